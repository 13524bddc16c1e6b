"""Where a nomination stands for the office's inbox: one stage, the earliest act that waits for someone."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from tdkt_contracts.catalogue.awards import Candidate

from services.awards.workflow.inbox import stage_of
from services.awards.workflow.nomination import CandidateState, CandidateStatus, NominationState, Notice

S = CandidateStatus
OPEN = Notice(opened_on=date(2025, 1, 6), closes_on=date(2025, 1, 17), candidate_ids=("c-1",), channel="Cổng")
CLOSED = replace(OPEN, closed_on=date(2025, 1, 17))
VOTED = (object(),)
"""A vote's presence is what the stage reads (its outcome is the decider's business)."""


def _state(*candidates: tuple[CandidateStatus, tuple[Any, ...]], notices: tuple[Notice, ...] = ()) -> NominationState:
    made = tuple(
        CandidateState(Candidate(candidate_id=f"c-{i}", recipient_kind="individual", subject_id=f"p-{i}",
                                 display_name=f"Người {i}"), status=status, votes=votes)  # type: ignore[arg-type]
        for i, (status, votes) in enumerate(candidates, start=1))
    return NominationState(nomination_id="n-1", exists=True, year=2024, candidates=made, notices=notices)


@pytest.mark.parametrize("state, stage", [
    (_state((S.ELIGIBLE, ())), "received"),
    (_state((S.ELIGIBLE, ()), (S.RETURNED, ())), "returned"),
    (_state((S.INELIGIBLE, ())), "returned"),
    (_state((S.ELIGIBLE, ()), (S.RETURNED, ()), notices=(OPEN,)), "on_notice"),
    (_state((S.ELIGIBLE, ()), notices=(CLOSED,)), "awaiting_council"),
    (_state((S.ELIGIBLE, VOTED), (S.ELIGIBLE, ()), notices=(CLOSED,)), "awaiting_council"),
    (_state((S.ELIGIBLE, VOTED), (S.GRANTED, VOTED), notices=(CLOSED,)), "awaiting_decision"),
    (_state((S.ELIGIBLE, VOTED)), "awaiting_decision"),  # a path with no notice
    (_state((S.FORWARDED, VOTED), (S.REJECTED, ())), "proposed_upward"),
    (_state((S.GRANTED, VOTED), (S.CONFERRED, ()), (S.DECLINED, ()), (S.REJECTED, ())), "decided"),
])
def test_the_stage_is_the_earliest_act_that_waits(state: NominationState, stage: str) -> None:
    assert stage_of(state) == stage
