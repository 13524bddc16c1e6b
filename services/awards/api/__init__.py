"""HTTP API of the awards service: one module per resource, each a ``router(...)`` that app.py mounts.

- :mod:`.catalogue`: the titles and award forms, rule versions and legal sources;
- :mod:`.assessments`: eligibility of one candidate or a unit, and forecasts;
- :mod:`.inbox`: the nominations by stage (the office's inbox), with counts;
- :mod:`.nominations`: nominations, notices, votes, grants, proposals upward, revocations, history;
- :mod:`.documents`: the draft decision, the decision and the certificates (DOCX);
- :mod:`.dossiers`: a nomination's files (versions, downloads), its completeness override, assignments;
- :mod:`.completeness`: the answer saying what a dossier lacks by the law;
- :mod:`.file_facts`: service years, attested findings and awards held, from the files;
- :mod:`.councils`: the council's compositions over time;
- :mod:`.reference_data`: public holidays and quotas;
- :mod:`.returns`: a whole dossier returned to its unit and resubmitted;
- :mod:`.rounds`: the nomination rounds' dates; :mod:`.deadlines`: the answer saying a nomination's dates.

Routes parse the request, call :class:`~services.awards.handlers.AwardsHandlers`
(every command, and every read that folds streams) or a query of
:mod:`services.awards.projections` inside ``handlers.read``, and shape the
answer; they hold no SQL and decide nothing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """Every refusal: a stable machine-readable code, a message naming what is wrong, and details."""

    code: str = Field(description="e.g. unknown_award, candidate_not_found, no_rule_for_year, wrong_recipient_kind.")
    message: str = Field(description="What is wrong, in English with the Vietnamese term.")
    details: dict[str, Any] = Field(description="The offending values, e.g. {'award_code': 'CSTD_XYZ'}.")
