"""Which files a nomination's dossier must hold, by the law, and what is missing.

The law's table is ``catalogue/_dossier_requirements.yaml``, read once by the catalogue's loader
(``Catalogue.dossiers``, the same rows :func:`~..domain.procedure_checks.required_documents` reads); this
module views each row as a :class:`Requirement` with its citation rendered. A requirement is the law's
data: its citation and confidence travel with every missing item. A [U] (unconfirmed) requirement is
reported and never blocks alone (:attr:`Completeness.blocking` keeps only the confirmed ones); the office
may let an incomplete dossier go on with a recorded reason, which covers the items missing at that moment
(a later gap — a resubmitted candidate — needs its file or a new override).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kernel.errors import DomainError

from ..domain import Catalogue, default_catalogue
from ..domain.timespan import year_end
from .codes import Code
from .dossier import DOCUMENT_KINDS, DossierState
from .nomination import CandidateStatus, NominationState

OUT_OF_PLAY = frozenset({CandidateStatus.REJECTED, CandidateStatus.DECLINED})
"""Candidates whose files no longer matter: the decision was no."""


class Requirement(BaseModel):
    """One file the law asks of a dossier, as the completeness check reads it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: str
    label_vi: str
    categories: list[Literal["merit", "thematic", "one_off", "long_service", "foreign"]] = Field(min_length=1)
    award_codes: list[str] | None = None
    per_candidate: bool
    valid_from: date
    valid_to: date | None = None
    citation: str = Field(min_length=1)
    confidence: Literal["C", "S", "U"]

    def applies(self, state: NominationState) -> bool:
        """Whether the nomination's path and code are the ones it is for, under the procedure in force the day
        its dossier was filed (31 December of its year if it has no filing day)."""
        day = state.submitted_on or year_end(state.year)
        in_force = self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
        codes_match = self.award_codes is None or state.award_code in self.award_codes
        return in_force and state.category in self.categories and codes_match


def load_requirements(catalogue: Catalogue | None = None) -> tuple[Requirement, ...]:
    """The catalogue's dossier requirements (default: the packaged catalogue's), each with its citation;
    ValueError for a file kind the dossier does not know (the service stops at start)."""
    law = catalogue or default_catalogue()
    if bad := [r.id for r in law.dossiers if r.kind not in DOCUMENT_KINDS]:
        raise ValueError(f"_dossier_requirements.yaml: unknown file kind in {bad}")
    return tuple(
        Requirement(
            id=r.id,
            kind=r.kind,
            label_vi=r.label_vi,
            categories=[c.value for c in r.categories],
            award_codes=list(r.award_codes) or None,
            per_candidate=r.per_candidate,
            valid_from=r.valid_from,
            valid_to=r.valid_to,
            citation=law.cite(r.source).text_vi,
            confidence=r.confidence.value,
        )
        for r in law.dossiers
    )


@dataclass(frozen=True, slots=True)
class Missing:
    """A file the dossier lacks."""

    requirement: Requirement
    candidate_id: str | None

    @property
    def key(self) -> str:
        """``c-1: chung_nhan_sang_kien`` or ``dossier: to_trinh`` (what an override records)."""
        return f"{self.candidate_id or 'dossier'}: {self.requirement.id}"

    @property
    def enforced(self) -> bool:
        """A confirmed requirement blocks; an unconfirmed [U] one is only reported."""
        return self.requirement.confidence != "U"


@dataclass(frozen=True, slots=True)
class Completeness:
    """What the dossier lacks, what of that blocks, and the overrides recorded."""

    missing: tuple[Missing, ...]
    overridden: frozenset[str]

    @property
    def complete(self) -> bool:
        """No file missing that a confirmed requirement asks."""
        return not any(m.enforced for m in self.missing)

    @property
    def blocking(self) -> list[Missing]:
        """Confirmed gaps the office has not overridden."""
        return [m for m in self.missing if m.enforced and m.key not in self.overridden]


def completeness(requirements: Sequence[Requirement], state: NominationState, dossier: DossierState) -> Completeness:
    """The dossier against the requirements that apply to the nomination."""
    held = {(v.kind, v.candidate_id) for v in dossier.current()}
    kinds = {kind for kind, _ in held}
    in_play = [c.candidate_id for c in state.candidates if c.status not in OUT_OF_PLAY]
    missing = []
    for req in requirements:
        if not req.applies(state):
            continue
        if req.per_candidate:
            missing += [Missing(req, cid) for cid in in_play if (req.kind, cid) not in held]
        elif req.kind not in kinds:
            missing.append(Missing(req, None))
    return Completeness(tuple(missing), frozenset(k for o in dossier.overrides for k in o.missing))


def require_complete(found: Completeness, nomination_id: str, step: str) -> None:
    """DomainError('dossier_incomplete') naming each confirmed gap not overridden, before ``step``."""
    if blocking := found.blocking:
        raise DomainError(
            Code.DOSSIER_INCOMPLETE,
            f"The dossier lacks {', '.join(m.requirement.label_vi for m in blocking)}: it cannot go to {step} "
            "until the files are attached or the office overrides with a reason (hồ sơ chưa đầy đủ)",
            nomination_id=nomination_id,
            missing=[{"requirement": m.requirement.id, "kind": m.requirement.kind, "candidate_id": m.candidate_id,
                      "citation": m.requirement.citation} for m in blocking],
        )
