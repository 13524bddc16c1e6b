"""The answer saying a nomination's dates: its round, lateness, public notice, council meeting, the law's dates upward."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field
from tdkt_contracts.catalogue.awards import Category, LateRule, NominationFlaggedLate

from ..workflow.deadlines import Round, UpwardDeadline, vn_day
from ..workflow.nomination import NominationState


class RoundView(BaseModel):
    """A round as last scheduled."""

    round_id: str
    year: int
    category: Category
    title: str
    submission_deadline: date
    submission_deadline_vi: str = Field(description="dd/mm/yyyy.")
    late_rule: LateRule
    council_meeting_on: date | None


class LateView(BaseModel):
    """The dossier arrived after its round's deadline (recorded on arrival)."""

    round_id: str
    submission_deadline: date
    submitted_on: date
    days_late: int


class UpwardView(BaseModel):
    """A date the law sets for the Ministry's proposal upward, and how this nomination stands against it."""

    deadline_id: str
    label_vi: str
    due_on: date
    due_on_vi: str = Field(description="dd/mm/yyyy.")
    citation: str = Field(description="Article the date rests on (căn cứ).")
    confidence: Literal["C", "S", "U"] = Field(description="U: unconfirmed. A law's date flags, never refuses.")
    status: Literal["pending", "met", "late", "overdue"] = Field(
        description="pending: not forwarded, still time; met: forwarded by the date; late: forwarded after it; "
        "overdue: not forwarded and the date passed.")
    forwarded_on: date | None


class DeadlinesView(BaseModel):
    """A nomination's dates: its round, lateness, public notice, council meeting, the law's dates upward."""

    round: RoundView | None = Field(description="The round of its year and path; null: none was scheduled.")
    late: LateView | None = Field(description="Set when the dossier arrived after the round's deadline (flagged).")
    public_notice_ends_on: date | None = Field(description="The end of its open (or else latest) public notice.")
    council_meeting_on: date | None = Field(
        description="The council's meeting: the day it voted, or else the round's planned day.")
    council_met: bool = Field(description="Whether the council has voted on it.")
    upward: list[UpwardView] = Field(description="The dates the law sets for its proposal upward (by its code).")


def round_view(found: Round) -> RoundView:
    """A round's answer."""
    return RoundView(
        round_id=found.round_id, year=found.year, category=found.category, title=found.title,
        submission_deadline=found.submission_deadline, submission_deadline_vi=vn_day(found.submission_deadline),
        late_rule=found.late_rule, council_meeting_on=found.council_meeting_on,
    )


def deadlines_view(
    state: NominationState, found: Round | None, late: NominationFlaggedLate | None, upward: list[UpwardDeadline]
) -> DeadlinesView:
    """The nomination's dates as its answer shows them."""
    notice = state.open_notice or (state.notices[-1] if state.notices else None)
    voted = [c.last_vote.voted_on for c in state.candidates if c.last_vote is not None]
    return DeadlinesView(
        round=round_view(found) if found else None,
        late=LateView(round_id=late.round_id, submission_deadline=late.submission_deadline,
                      submitted_on=late.submitted_on, days_late=late.days_late) if late else None,
        public_notice_ends_on=notice.closes_on if notice else None,
        council_meeting_on=max(voted) if voted else (found.council_meeting_on if found else None),
        council_met=bool(voted),
        upward=[UpwardView(deadline_id=u.deadline_id, label_vi=u.label_vi, due_on=u.due_on, due_on_vi=vn_day(u.due_on),
                           citation=u.citation, confidence=u.confidence, status=u.status,
                           forwarded_on=u.forwarded_on) for u in upward],
    )


__all__ = ["DeadlinesView", "RoundView", "deadlines_view", "round_view"]
