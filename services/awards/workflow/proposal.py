"""The proposal aggregate (tờ trình lên cấp trên): what the Ministry forwarded, and what came back.

Stream: one per proposal, id ``proposal_id`` (``proposal_id_for(nomination_id,
n)``). ``ProposalForwarded`` opens it (written by
:func:`~.nomination_steps.decide_forward`); each ``HigherDecisionRecorded`` records
a decision of the Prime Minister, the President or the other ministry on
some or all of its candidates. The awards conferred are written to their own
streams, with ``conferred_by_ministry = false`` and the higher authority as
``authority``, so that the year-end report counts them apart from the
Minister's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    AwardKind,
    Category,
    HigherDecisionRecorded,
    ProposalForwarded,
    Recipient,
    RecipientOutcome,
)
from tdkt_contracts.vocabulary import Authority, SubmittingBody

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError, NotFound

from .award import conferred_event
from .codes import Code
from .commands import RecordHigherDecision
from .ids import award_id_for
from .nomination import NominationState
from .paths import Procedures, not_after, procedure_of


@dataclass(frozen=True, slots=True)
class ProposalState:
    """A proposal folded from its stream. ``exists`` is false before it is forwarded."""

    proposal_id: str = ""
    exists: bool = False
    nomination_id: str = ""
    year: int = 0
    award_code: str = ""
    award_name: str = ""
    award_kind: AwardKind = "award"
    category: Category = "merit"
    to_authority: Authority | None = None
    to_body: str = ""
    recipients: tuple[Recipient, ...] = ()
    submission_number: str = ""
    forwarded_on: date | None = None
    decisions: tuple[HigherDecisionRecorded, ...] = ()

    @classmethod
    def initial(cls, proposal_id: str = "") -> ProposalState:
        """The state of an empty stream."""
        return cls(proposal_id=proposal_id)

    @classmethod
    def replay(cls, events: Iterable[EventPayload], proposal_id: str = "") -> ProposalState:
        """Fold the proposal's stream."""
        return fold(cls.initial(proposal_id), events)

    def apply(self, event: EventPayload) -> ProposalState:
        """The state after ``event``; never fails. Events of other proposals leave it unchanged."""
        if self.proposal_id and getattr(event, "proposal_id", None) != self.proposal_id:
            return self
        if isinstance(event, ProposalForwarded):
            return replace(
                self,
                proposal_id=event.proposal_id,
                exists=True,
                nomination_id=event.nomination_id,
                year=event.year,
                award_code=event.award_code,
                award_name=event.award_name,
                award_kind=event.award_kind,
                category=event.category,
                to_authority=event.to_authority,
                to_body=event.to_body,
                recipients=tuple(event.recipients),
                submission_number=event.submission_number,
                forwarded_on=event.forwarded_on,
            )
        if isinstance(event, HigherDecisionRecorded):
            return replace(self, decisions=(*self.decisions, event))
        return self

    def recipient(self, candidate_id: str) -> Recipient | None:
        """The forwarded candidate with this id, or None."""
        return next((r for r in self.recipients if r.candidate_id == candidate_id), None)

    def outcome_of(self, candidate_id: str) -> RecipientOutcome | None:
        """The decision already recorded for a candidate, or None while pending."""
        for decision in self.decisions:
            for outcome in decision.outcomes:
                if outcome.candidate_id == candidate_id:
                    return outcome
        return None

    @property
    def pending(self) -> list[Recipient]:
        """Candidates still awaiting the higher authority's decision."""
        return [r for r in self.recipients if self.outcome_of(r.candidate_id) is None]


def decide_record_higher_decision(
    state: ProposalState,
    cmd: RecordHigherDecision,
    *,
    today: date,
    nomination: NominationState | None = None,
    procedures: Procedures | None = None,
) -> list[EventPayload]:
    """Record the decision that came back: ``HigherDecisionRecorded``, then one award event per conferred candidate.

    Load: the proposal's stream; optionally the nomination (its state gives
    each candidate's assessed initiatives, recorded on the award as the
    evidence used) and ``procedures`` (the cash multiple). The decision must
    come from the authority the proposal went to (``wrong_authority``), not
    be dated before the proposal, and name only forwarded candidates not yet
    decided. A decision may cover part of the proposal; the rest stays pending.

    The higher authority's decision is a fact the Ministry records, not one
    it takes: the one-achievement-one-award and quota checks belong to that
    authority and are not repeated here.
    """
    if not state.exists:
        raise NotFound(
            Code.PROPOSAL_NOT_FOUND, f"Proposal {cmd.proposal_id!r} does not exist", proposal_id=cmd.proposal_id
        )
    assert state.to_authority is not None and state.forwarded_on is not None
    if Authority(cmd.decided_by) is not state.to_authority:
        raise DomainError(
            Code.WRONG_AUTHORITY,
            f"The proposal went to {state.to_authority.label_vi}; a decision of {cmd.decided_by.label_vi} "
            "cannot answer it",
            proposal_id=state.proposal_id,
            to_authority=state.to_authority.value,
            decided_by=cmd.decided_by.value,
        )
    not_after(cmd.decision_date, today, "decision_date")
    not_after(cmd.recorded_on, today, "recorded_on")
    if cmd.decision_date < state.forwarded_on:
        raise DomainError(
            Code.DECISION_BEFORE_PROPOSAL,
            f"The decision ({cmd.decision_date}) is dated before the proposal was forwarded ({state.forwarded_on})",
            decision_date=cmd.decision_date.isoformat(),
            forwarded_on=state.forwarded_on.isoformat(),
        )
    if cmd.recorded_on < cmd.decision_date:
        raise DomainError(
            Code.DATE_BEFORE_DECISION,
            f"recorded_on {cmd.recorded_on} is before the decision ({cmd.decision_date})",
            recorded_on=cmd.recorded_on.isoformat(),
            decision_date=cmd.decision_date.isoformat(),
        )
    outcomes: list[RecipientOutcome] = []
    awards: list[EventPayload] = []
    for item in cmd.outcomes:
        recipient = state.recipient(item.candidate_id)
        if recipient is None:
            raise NotFound(
                Code.UNKNOWN_CANDIDATE,
                f"Candidate {item.candidate_id!r} was not forwarded in proposal {state.proposal_id!r}",
                proposal_id=state.proposal_id,
                candidate_id=item.candidate_id,
            )
        earlier = state.outcome_of(item.candidate_id)
        if earlier is not None:
            raise Conflict(
                Code.CANDIDATE_ALREADY_DECIDED,
                f"{recipient.display_name} ({item.candidate_id}) was already {earlier.outcome}",
                candidate_id=item.candidate_id,
                outcome=earlier.outcome,
            )
        if item.outcome == "declined":
            outcomes.append(RecipientOutcome(candidate_id=item.candidate_id, outcome="declined"))
            continue
        award_id = award_id_for(state.nomination_id, item.candidate_id)
        outcomes.append(RecipientOutcome(candidate_id=item.candidate_id, outcome="conferred", award_id=award_id))
        awards.append(
            conferred_event(
                award_id=award_id,
                award_kind=state.award_kind,
                year=state.year,
                award_code=state.award_code,
                award_name=state.award_name,
                category=state.category,
                recipient=recipient,
                nomination_id=state.nomination_id,
                proposal_id=state.proposal_id,
                authority=cmd.decided_by,
                conferred_by_ministry=False,
                decision_number=cmd.decision_number,
                decision_date=cmd.decision_date,
                signer=cmd.signer,
                cash_multiple=_cash(procedures, recipient),
                initiative_ids=_initiatives(nomination, item.candidate_id),
                submitted_by=SubmittingBody.CENTRAL_BODY,  # on the Ministry's tờ trình
            )
        )
    recorded = HigherDecisionRecorded(
        proposal_id=state.proposal_id,
        decided_by=cmd.decided_by,
        decision_number=cmd.decision_number,
        decision_date=cmd.decision_date,
        outcomes=outcomes,
        recorded_on=cmd.recorded_on,
    )
    return [recorded, *awards]


def _cash(procedures: Procedures | None, recipient: Recipient) -> float | None:
    if procedures is None:
        return None
    procedure = procedure_of(procedures, recipient.recipient_kind)
    return procedure.cash_multiple.value if procedure.cash_multiple else None


def _initiatives(nomination: NominationState | None, candidate_id: str) -> list[str]:
    if nomination is None:
        return []
    cand = nomination.candidate(candidate_id)
    if cand is None or cand.assessment is None:
        return []
    return list(cand.assessment.initiative_ids)
