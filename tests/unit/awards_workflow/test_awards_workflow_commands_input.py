"""Commands refuse what their parts do not have, though the events' readers ignore unknown fields."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from services.awards.workflow.commands import ClosePublicNotice


def test_a_comment_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match="unknown fields: colour"):
        ClosePublicNotice.model_validate({"nomination_id": "n-1", "closed_on": "2023-10-20",
                                          "comments": [{"colour": "red"}]})
