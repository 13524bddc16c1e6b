"""Title and award history of a person or a unit, as a pure function of the award events.

The handler (or a projection) selects the award streams of a subject, or
simply passes every award event it has: the function keeps the subject's,
applies revocations and sorts by year. The same entries feed:

- the one-achievement-one-award check of :func:`~.nomination_steps.decide_grant`
  (``held_awards``);
- the engine's facts (:func:`title_records`), with the category that keeps
  thematic and one-off awards out of merit evidence (NĐ 152/2025 Art. 4.3).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date

from pydantic import Field
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import AwardGranted, AwardKind, AwardRevoked, Category, TitleConferred
from tdkt_contracts.vocabulary import Authority, RecipientKind

from ..domain.base import DomainModel
from ..domain.facts import TitleRecord


class HistoryEntry(DomainModel):
    """One title or award conferred on a subject, and whether it was revoked."""

    award_id: str
    subject_id: str
    recipient_kind: RecipientKind
    display_name: str
    unit_id: str | None = None
    year: int
    award_code: str
    award_name: str
    award_kind: AwardKind
    category: Category
    authority: Authority
    conferred_by_ministry: bool
    decision_number: str
    decision_date: date
    signer: str | None = None
    nomination_id: str | None = None
    proposal_id: str | None = None
    initiative_ids: tuple[str, ...] = ()
    revoked: bool = False
    revoked_on: date | None = None
    revocation_reason: str | None = None
    revocation_decision_number: str | None = Field(default=None, description="Number of the revocation decision.")


def title_and_award_history(
    events: Iterable[EventPayload],
    *,
    subject_id: str | None = None,
    unit_ids: Collection[str] | None = None,
) -> list[HistoryEntry]:
    """Every title and award in ``events``, revocations applied, sorted by year then decision date.

    ``subject_id``: keep one person's or one collective's. ``unit_ids``: keep
    those whose recipient belongs to one of these units (a unit's people and
    the unit itself, when the caller passes the unit's subtree). Revoked
    awards stay in the history with ``revoked=True``: the year's record shows
    what was conferred and what was withdrawn.
    """
    entries: dict[str, HistoryEntry] = {}
    revocations: dict[str, AwardRevoked] = {}
    for event in events:
        if isinstance(event, (AwardGranted, TitleConferred)):
            entries[event.award_id] = _entry(event)
        elif isinstance(event, AwardRevoked):
            revocations[event.award_id] = event
    result = []
    for award_id, entry in entries.items():
        if subject_id is not None and entry.subject_id != subject_id:
            continue
        if unit_ids is not None and entry.unit_id not in unit_ids and entry.subject_id not in unit_ids:
            continue
        revocation = revocations.get(award_id)
        if revocation is not None:
            entry = entry.model_copy(
                update={
                    "revoked": True,
                    "revoked_on": revocation.revoked_on,
                    "revocation_reason": revocation.reason,
                    "revocation_decision_number": revocation.decision_number,
                }
            )
        result.append(entry)
    return sorted(result, key=lambda e: (e.year, e.decision_date, e.award_code, e.award_id))


def _entry(event: AwardGranted | TitleConferred) -> HistoryEntry:
    recipient = event.recipient
    return HistoryEntry(
        award_id=event.award_id,
        subject_id=recipient.subject_id,
        recipient_kind=recipient.recipient_kind,
        display_name=recipient.display_name,
        unit_id=recipient.unit_id,
        year=event.year,
        award_code=event.award_code,
        award_name=event.award_name,
        award_kind="title" if isinstance(event, TitleConferred) else "award",
        category=event.category,
        authority=event.authority,
        conferred_by_ministry=event.conferred_by_ministry,
        decision_number=event.decision_number,
        decision_date=event.decision_date,
        signer=event.signer,
        nomination_id=event.nomination_id,
        proposal_id=event.proposal_id,
        initiative_ids=tuple(event.initiative_ids),
    )


def title_records(history: Iterable[HistoryEntry]) -> list[TitleRecord]:
    """The engine's view of the titles and awards held: revoked ones left out, category kept.

    A revoked award never happened as far as eligibility goes (Law Ch. VII);
    the category lets the engine refuse thematic and one-off awards as
    evidence for merit awards.
    """
    return [
        TitleRecord(
            code=e.award_code,
            year=e.year,
            decision_number=e.decision_number,
            decided_on=e.decision_date,
            category=e.category,
        )
        for e in history
        if not e.revoked
    ]
