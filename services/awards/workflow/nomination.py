"""The nomination aggregate (đề nghị khen thưởng): state folded from its events.

Stream: one per nomination, id ``nomination_id``. It holds the submission,
each candidate's assessments and returns, the public notices and the council
votes, and the rejections.

What became of each candidate after the Ministry decided lives in other
streams: the award (``award_id_for(nomination_id, candidate_id)``) and the
proposals forwarded upward (``proposal_id_for(nomination_id, 1, 2, …)``).
:meth:`NominationState.apply` folds those *linked* events too, so that a
decision sees whether a candidate was already granted, forwarded, conferred
or revoked. The handler therefore folds, after the nomination's own stream:

1. the streams ``proposal_id_for(nomination_id, n)`` for n = 1, 2, … until
   one is empty;
2. the stream ``award_id_for(nomination_id, c)`` of every candidate ``c``
   (:meth:`NominationState.award_stream_ids`).

Events of other nominations are ignored, so a handler may fold liberally.
If it folds too little, the deterministic ids still stop a double grant or a
double forward: the append to an existing stream fails on its expected version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    AwardKind,
    AwardRevoked,
    Candidate,
    CandidateAssessed,
    CandidateRejected,
    CandidateReturned,
    CommentResolved,
    Category,
    CouncilVoted,
    DossierDocument,
    HigherDecisionRecorded,
    NominationSubmitted,
    NoticeComment,
    ProcedureChecked,
    ProposalForwarded,
    PublicNoticeClosed,
    PublicNoticeOpened,
    TitleConferred,
)

from kernel.aggregate import fold

from .ids import award_id_for, proposal_id_for
from .paths import CommendationPath, path_for


class CandidateStatus(StrEnum):
    """Where a candidate stands."""

    SUBMITTED = "submitted"
    """Received, before its assessment is recorded (only between two events of one submission)."""
    ELIGIBLE = "eligible"
    """Assessed eligible: may go to notice, vote and decision."""
    INELIGIBLE = "ineligible"
    """Assessed not eligible, before the return is recorded."""
    RETURNED = "returned"
    """Returned to the unit with the reasons (trả lại hồ sơ); it may resubmit."""
    GRANTED = "granted"
    """The Ministry (Minister or unit head) granted it."""
    FORWARDED = "forwarded"
    """Forwarded to a higher authority; awaiting its decision."""
    CONFERRED = "conferred"
    """The higher authority conferred it."""
    DECLINED = "declined"
    """The higher authority declined it."""
    REJECTED = "rejected"
    """The decider declined it (không khen thưởng)."""

    @property
    def decided(self) -> bool:
        """True once a decider acted: nothing more may be decided for the candidate."""
        return self in _DECIDED


_DECIDED = frozenset(
    {
        CandidateStatus.GRANTED,
        CandidateStatus.FORWARDED,
        CandidateStatus.CONFERRED,
        CandidateStatus.DECLINED,
        CandidateStatus.REJECTED,
    }
)


@dataclass(frozen=True, slots=True)
class CandidateState:
    """One candidate of a nomination and what happened to it."""

    candidate: Candidate
    status: CandidateStatus = CandidateStatus.SUBMITTED
    assessment: CandidateAssessed | None = None
    """The latest assessment."""
    returns: tuple[CandidateReturned, ...] = ()
    votes: tuple[CouncilVoted, ...] = ()
    award_id: str | None = None
    """Set once granted or conferred."""
    proposal_id: str | None = None
    """Set once forwarded."""
    decision_number: str | None = None
    rejection_reason: str | None = None
    revoked: bool = False

    @property
    def candidate_id(self) -> str:
        """Id within the nomination."""
        return self.candidate.candidate_id

    @property
    def last_vote(self) -> CouncilVoted | None:
        """The council's latest vote on this candidate."""
        return self.votes[-1] if self.votes else None

    @property
    def reasons(self) -> list[str]:
        """Why it was last returned (empty if never)."""
        return list(self.returns[-1].reasons) if self.returns else []


@dataclass(frozen=True, slots=True)
class Notice:
    """A public notice (lấy ý kiến công khai) of some candidates."""

    opened_on: date
    closes_on: date
    candidate_ids: tuple[str, ...]
    channel: str
    closed_on: date | None = None
    comments: tuple[NoticeComment, ...] = ()

    @property
    def is_open(self) -> bool:
        """True until the closing is recorded."""
        return self.closed_on is None


@dataclass(frozen=True, slots=True)
class NominationState:
    """A nomination folded from its events (and its linked ones). ``exists`` is false before submission."""

    nomination_id: str = ""
    exists: bool = False
    year: int = 0
    award_code: str = ""
    award_name: str = ""
    award_kind: AwardKind = "award"
    category: Category = "merit"
    submitting_unit_id: str = ""
    movement_id: str | None = None
    documents: tuple[DossierDocument, ...] = ()
    submitted_on: date | None = None
    candidates: tuple[CandidateState, ...] = ()
    notices: tuple[Notice, ...] = ()
    comment_results: tuple[CommentResolved, ...] = ()
    proposal_ids: tuple[str, ...] = ()
    procedure_checks: tuple[ProcedureChecked, ...] = ()
    """The checks of the procedure run at each grant (share quotas, signer), in order."""

    # -- folding ---------------------------------------------------------------

    @classmethod
    def initial(cls, nomination_id: str = "") -> NominationState:
        """The state of an empty stream."""
        return cls(nomination_id=nomination_id)

    @classmethod
    def replay(cls, events: Iterable[EventPayload], nomination_id: str = "") -> NominationState:
        """Fold ``events`` (the nomination's stream, then its linked streams) from the initial state."""
        return fold(cls.initial(nomination_id), events)

    def apply(self, event: EventPayload) -> NominationState:
        """The state after ``event``; never fails. Events of other aggregates leave it unchanged."""
        if isinstance(event, NominationSubmitted):
            if self.exists or (self.nomination_id and event.nomination_id != self.nomination_id):
                return self
            return replace(
                self,
                nomination_id=event.nomination_id,
                exists=True,
                year=event.year,
                award_code=event.award_code,
                award_name=event.award_name,
                award_kind=event.award_kind,
                category=event.category,
                submitting_unit_id=event.submitting_unit_id,
                movement_id=event.movement_id,
                documents=tuple(event.documents),
                submitted_on=event.submitted_on,
                candidates=tuple(CandidateState(candidate=c) for c in event.candidates),
            )
        if isinstance(event, (AwardGranted, TitleConferred)):
            if event.nomination_id != self.nomination_id:
                return self
            status = CandidateStatus.GRANTED if event.proposal_id is None else CandidateStatus.CONFERRED
            return self._update(
                event.recipient.candidate_id,
                status=status,
                award_id=event.award_id,
                decision_number=event.decision_number,
            )
        if isinstance(event, AwardRevoked):
            for cand in self.candidates:
                if cand.award_id == event.award_id:
                    return self._update(cand.candidate_id, revoked=True)
            return self
        if isinstance(event, ProposalForwarded):
            if event.nomination_id != self.nomination_id:
                return self
            state = self
            for recipient in event.recipients:
                cand = state.candidate(recipient.candidate_id)
                # Linked streams may be folded in any order: a decision already seen wins.
                if cand is not None and cand.status not in (CandidateStatus.CONFERRED, CandidateStatus.DECLINED):
                    state = state._update(recipient.candidate_id, status=CandidateStatus.FORWARDED)
                state = state._update(recipient.candidate_id, proposal_id=event.proposal_id)
            if event.proposal_id not in state.proposal_ids:
                state = replace(state, proposal_ids=(*state.proposal_ids, event.proposal_id))
            return state
        if isinstance(event, HigherDecisionRecorded):
            state = self
            for outcome in event.outcomes:
                cand = state.candidate(outcome.candidate_id)
                if cand is None or cand.proposal_id != event.proposal_id:
                    continue
                if outcome.outcome == "declined":
                    state = state._update(outcome.candidate_id, status=CandidateStatus.DECLINED)
                else:
                    state = state._update(
                        outcome.candidate_id, status=CandidateStatus.CONFERRED, award_id=outcome.award_id
                    )
            return state
        if not self._mine(event):
            return self
        return self._apply_own(event)

    def _mine(self, event: EventPayload) -> bool:
        return getattr(event, "nomination_id", None) == self.nomination_id and self.exists

    def _apply_own(self, event: EventPayload) -> NominationState:
        if isinstance(event, CandidateAssessed):
            status = CandidateStatus.ELIGIBLE if event.eligible else CandidateStatus.INELIGIBLE
            return self._update(event.candidate_id, status=status, assessment=event)
        if isinstance(event, CandidateReturned):
            cand = self.candidate(event.candidate_id)
            returns = (*cand.returns, event) if cand else (event,)
            return self._update(event.candidate_id, status=CandidateStatus.RETURNED, returns=returns)
        if isinstance(event, CouncilVoted):
            cand = self.candidate(event.candidate_id)
            votes = (*cand.votes, event) if cand else (event,)
            return self._update(event.candidate_id, votes=votes)
        if isinstance(event, CandidateRejected):
            return self._update(event.candidate_id, status=CandidateStatus.REJECTED, rejection_reason=event.reason)
        if isinstance(event, PublicNoticeOpened):
            notice = Notice(
                opened_on=event.opened_on,
                closes_on=event.closes_on,
                candidate_ids=tuple(event.candidate_ids),
                channel=event.channel,
            )
            return replace(self, notices=(*self.notices, notice))
        if isinstance(event, CommentResolved):
            return replace(self, comment_results=(*self.comment_results, event))
        if isinstance(event, ProcedureChecked):
            return replace(self, procedure_checks=(*self.procedure_checks, event))
        if isinstance(event, PublicNoticeClosed):
            open_at = next((i for i, n in enumerate(self.notices) if n.is_open), None)
            if open_at is None:
                return self
            closed = replace(self.notices[open_at], closed_on=event.closed_on, comments=tuple(event.comments))
            notices = (*self.notices[:open_at], closed, *self.notices[open_at + 1 :])
            return replace(self, notices=notices)
        return self

    def _update(self, candidate_id: str, **changes: object) -> NominationState:
        candidates = tuple(
            replace(c, **changes) if c.candidate_id == candidate_id else c  # type: ignore[arg-type]
            for c in self.candidates
        )
        return replace(self, candidates=candidates)

    # -- reading ---------------------------------------------------------------

    def candidate(self, candidate_id: str) -> CandidateState | None:
        """The candidate with this id, or None."""
        return next((c for c in self.candidates if c.candidate_id == candidate_id), None)

    @property
    def path(self) -> CommendationPath:
        """The path of the nomination's category."""
        return path_for(self.category)

    @property
    def open_notice(self) -> Notice | None:
        """The notice currently open, if any (at most one at a time)."""
        return next((n for n in self.notices if n.is_open), None)

    def comments_on(self, candidate_id: str) -> list[NoticeComment]:
        """Comments received during the closed notices that name this candidate."""
        return [c for n in self.notices for c in n.comments if c.candidate_id == candidate_id]

    def comment_result(self, candidate_id: str, received_on: date) -> CommentResolved | None:
        """The recorded result of the comment received on ``received_on`` naming the candidate, if any."""
        return next(
            (r for r in self.comment_results if r.candidate_id == candidate_id and r.received_on == received_on),
            None,
        )

    def award_stream_ids(self) -> list[str]:
        """Streams of the awards the candidates would receive: the handler folds them after this stream."""
        return [award_id_for(self.nomination_id, c.candidate_id) for c in self.candidates]

    @property
    def next_proposal_id(self) -> str:
        """The id the next proposal forwarded from this nomination takes."""
        return proposal_id_for(self.nomination_id, len(self.proposal_ids) + 1)
