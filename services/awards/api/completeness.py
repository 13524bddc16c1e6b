"""The answer saying whether a nomination's dossier holds what the law asks (on the nomination and the dossier)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from ..workflow.dossier import DossierState
from ..workflow.dossier_requirements import Completeness


class MissingView(BaseModel):
    """A file the dossier lacks, with the law that asks for it."""

    requirement: str = Field(description="Id of the requirement in catalogue/_dossier_requirements.yaml.")
    kind: str = Field(description="The document kind to attach.")
    label_vi: str
    candidate_id: str | None = Field(description="The candidate it is for; null: the whole dossier.")
    citation: str = Field(description="Article the requirement rests on (căn cứ).")
    confidence: Literal["C", "S", "U"] = Field(description="U: unconfirmed — reported, never blocking alone.")
    enforced: bool = Field(description="Whether it blocks the notice and the council (false for a [U] requirement).")
    overridden: bool = Field(description="The office let the dossier go on without it (with a recorded reason).")


class OverrideView(BaseModel):
    """An override the office recorded."""

    missing: list[str]
    reason: str
    overridden_on: date
    overridden_by: str | None


class CompletenessView(BaseModel):
    """Whether the dossier is complete by the law (Luật TĐKT 2022 Điều 84), and what is missing."""

    complete: bool = Field(description="No file a confirmed requirement asks is missing.")
    enforced: bool = Field(description="Whether completeness is required before the notice and the council "
                           "(false for a paper dossier received before the service took files).")
    may_proceed: bool = Field(description="Complete, overridden for every confirmed gap, or not enforced.")
    missing: list[MissingView]
    overrides: list[OverrideView]


def completeness_view(found: Completeness, dossier: DossierState, *, enforced: bool) -> CompletenessView:
    """The answer for a dossier's completeness."""
    return CompletenessView(
        complete=found.complete,
        enforced=enforced,
        may_proceed=not enforced or not found.blocking,
        missing=[MissingView(
            requirement=m.requirement.id, kind=m.requirement.kind, label_vi=m.requirement.label_vi,
            candidate_id=m.candidate_id, citation=m.requirement.citation, confidence=m.requirement.confidence,
            enforced=m.enforced, overridden=m.key in found.overridden,
        ) for m in found.missing],
        overrides=[OverrideView(missing=list(o.missing), reason=o.reason, overridden_on=o.overridden_on,
                                overridden_by=o.overridden_by) for o in dossier.overrides],
    )
