"""Emulation pledges (giao ước thi đua): signed between named parties — e.g. the
Ministry's leadership and its trade union at the annual staff conference, or the
members of a cluster — with numbered clauses, signatories and a date; later
reviews assess each clause.

Stream: one per pledge, id ``pledge_id``.

Signing rules: at least two parties (``pledge_without_parties``) with distinct
names (``duplicate_party``); at least one clause (``pledge_without_clauses``)
with distinct numbers (``duplicate_clause_number``; clauses are stored in number
order); every signatory signs for one of the parties
(``signatory_party_unknown``) and every party has a signatory
(``party_without_signatory``); a pledge is signed once (``pledge_exists``); if it
belongs to a movement, the movement is open; if it belongs to a cluster and the
cluster is given, parties that name a unit are members that year
(``party_not_in_cluster``).

Reviews (choice): a pledge may be reviewed several times — interim reviews (sơ
kết) during the year, then one final review (tổng kết); after the final review
nothing more (``pledge_already_reviewed``). Each review assesses **every**
clause exactly once (``clause_not_found``, ``duplicate_clause_assessment``,
``clause_not_assessed``) and is not dated before the signing
(``review_before_signing``). The latest review is the pledge's current status.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import (
    Clause,
    ClauseAssessment,
    Party,
    PledgeReviewed,
    PledgeSigned,
    ReviewKind,
    Signatory,
)

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError, NotFound

from .clusters import ClusterState
from .commands import ReviewPledge, SignPledge
from .movement import MovementState, require_open_movement


@dataclass(frozen=True, slots=True)
class PledgeReview:
    review_no: int
    kind: ReviewKind
    reviewed_on: date
    assessments: tuple[ClauseAssessment, ...]
    summary: str | None


@dataclass(frozen=True, slots=True)
class PledgeState:
    """A pledge folded from its events; ``exists`` is false before it is signed."""

    pledge_id: str = ""
    exists: bool = False
    title: str = ""
    year: int = 0
    movement_id: str | None = None
    cluster_id: str | None = None
    parties: tuple[Party, ...] = ()
    clauses: tuple[Clause, ...] = ()
    signatories: tuple[Signatory, ...] = ()
    signed_on: date | None = None
    occasion: str | None = None
    reviews: tuple[PledgeReview, ...] = ()

    @classmethod
    def replay(cls, events: Iterable[EventPayload]) -> PledgeState:
        return fold(cls(), events)

    def apply(self, event: EventPayload) -> PledgeState:
        if isinstance(event, PledgeSigned):
            return replace(
                self,
                pledge_id=event.pledge_id,
                exists=True,
                title=event.title,
                year=event.year,
                movement_id=event.movement_id,
                cluster_id=event.cluster_id,
                parties=tuple(event.parties),
                clauses=tuple(event.clauses),
                signatories=tuple(event.signatories),
                signed_on=event.signed_on,
                occasion=event.occasion,
            )
        if isinstance(event, PledgeReviewed):
            review = PledgeReview(
                event.review_no, event.kind, event.reviewed_on, tuple(event.assessments), event.summary
            )
            return replace(self, reviews=(*self.reviews, review))
        return self

    @property
    def latest_review(self) -> PledgeReview | None:
        return self.reviews[-1] if self.reviews else None

    @property
    def final_reviewed(self) -> bool:
        return any(r.kind is ReviewKind.FINAL for r in self.reviews)


def decide_sign_pledge(
    state: PledgeState,
    cmd: SignPledge,
    *,
    movement: MovementState | None = None,
    cluster: ClusterState | None = None,
) -> list[EventPayload]:
    """Record a signed pledge. Load: the pledge's stream; the movement's stream if
    ``cmd.movement_id`` is set; the cluster's stream if ``cmd.cluster_id`` is set
    (optional: without it party membership is not checked)."""
    if state.exists:
        raise Conflict("pledge_exists", f"Pledge {cmd.pledge_id!r} is already recorded.", pledge_id=cmd.pledge_id)
    if len(cmd.parties) < 2:
        raise DomainError(
            "pledge_without_parties",
            f"A pledge (giao ước) is between at least two parties; {len(cmd.parties)} given.",
            parties=len(cmd.parties),
        )
    names = [p.name for p in cmd.parties]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise DomainError("duplicate_party", f"Party named twice: {', '.join(duplicates)}.", parties=duplicates)
    if not cmd.clauses:
        raise DomainError("pledge_without_clauses", "A pledge needs at least one clause (nội dung giao ước).")
    numbers = [c.number for c in cmd.clauses]
    repeated = sorted({n for n in numbers if numbers.count(n) > 1})
    if repeated:
        raise DomainError("duplicate_clause_number", f"Clause number used twice: {repeated}.", clause_numbers=repeated)
    for signatory in cmd.signatories:
        if signatory.party not in names:
            raise DomainError(
                "signatory_party_unknown",
                f"{signatory.full_name} signs for {signatory.party!r}, which is not a party to this pledge.",
                party=signatory.party,
            )
    unsigned = [n for n in names if not any(s.party == n for s in cmd.signatories)]
    if unsigned:
        raise DomainError(
            "party_without_signatory",
            f"No one signed for: {', '.join(unsigned)}.",
            parties=unsigned,
        )
    if cmd.movement_id is not None:
        require_open_movement(movement or MovementState(), cmd.movement_id)
    if cmd.cluster_id is not None and cluster is not None and cluster.exists:
        members = cluster.members_in(cmd.year)
        strangers = [p.unit_id for p in cmd.parties if p.unit_id is not None and p.unit_id not in members]
        if strangers:
            raise DomainError(
                "party_not_in_cluster",
                f"Not members of {cluster.name!r} in {cmd.year}: {', '.join(strangers)}.",
                unit_ids=strangers,
            )
    return [
        PledgeSigned(
            pledge_id=cmd.pledge_id,
            title=cmd.title,
            year=cmd.year,
            movement_id=cmd.movement_id,
            cluster_id=cmd.cluster_id,
            parties=list(cmd.parties),
            clauses=sorted(cmd.clauses, key=lambda c: c.number),
            signatories=list(cmd.signatories),
            signed_on=cmd.signed_on,
            occasion=cmd.occasion,
        )
    ]


def decide_review_pledge(
    state: PledgeState,
    cmd: ReviewPledge,
    *,
    movement: MovementState | None = None,
) -> list[EventPayload]:
    """Assess every clause. Load: the pledge's stream; its movement's stream if the
    pledge belongs to one (a closed movement accepts nothing more)."""
    if not state.exists:
        raise NotFound("pledge_not_found", f"Pledge {cmd.pledge_id!r} does not exist.", pledge_id=cmd.pledge_id)
    if state.movement_id is not None:
        require_open_movement(movement or MovementState(), state.movement_id)
    if state.final_reviewed:
        raise Conflict(
            "pledge_already_reviewed",
            f"Pledge {state.title!r} already had its final review (tổng kết).",
            pledge_id=cmd.pledge_id,
        )
    assert state.signed_on is not None
    if cmd.reviewed_on < state.signed_on:
        raise DomainError(
            "review_before_signing",
            f"A review dated {cmd.reviewed_on} is before the signing on {state.signed_on}.",
            pledge_id=cmd.pledge_id,
        )
    known = {c.number for c in state.clauses}
    seen: set[int] = set()
    for assessment in cmd.assessments:
        if assessment.clause_number not in known:
            raise DomainError(
                "clause_not_found",
                f"Pledge {state.title!r} has no clause {assessment.clause_number}; it has {sorted(known)}.",
                clause_number=assessment.clause_number,
            )
        if assessment.clause_number in seen:
            raise DomainError(
                "duplicate_clause_assessment",
                f"Clause {assessment.clause_number} is assessed twice.",
                clause_number=assessment.clause_number,
            )
        seen.add(assessment.clause_number)
    missing = sorted(known - seen)
    if missing:
        raise DomainError(
            "clause_not_assessed",
            f"Every clause is assessed in a review; missing: {missing}.",
            clause_numbers=missing,
        )
    return [
        PledgeReviewed(
            pledge_id=cmd.pledge_id,
            review_no=len(state.reviews) + 1,
            kind=cmd.kind,
            reviewed_on=cmd.reviewed_on,
            assessments=sorted(cmd.assessments, key=lambda a: a.clause_number),
            summary=cmd.summary,
        )
    ]
