"""The base of every model in the awards domain: frozen, strict, NFC text."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from tdkt_contracts import nfc


def _nfc_deep(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_nfc_deep(v) for v in value)
    return value


class DomainModel(BaseModel):
    """Immutable, rejects unknown fields, normalises every string field to NFC.

    Catalogue YAML and replicated facts are typed by people and other
    services; the same Vietnamese word must compare equal however it was typed.
    (A model-level validator rather than a field one: pydantic forbids field
    validators on the discriminator of ``Facts``.)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _normalise_text(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: _nfc_deep(value) for key, value in data.items()}
        return data
