"""Returning a whole dossier to its unit (trả lại toàn bộ hồ sơ), and the unit resubmitting it whole.

The office returns the nomination with one reason: every candidate still
before the Ministry gets a ``CandidateReturned`` carrying it — one event per
candidate, not one for the dossier, because a return is the candidate's state
everywhere already (its status, its rounds in the history, the unit's
notifications, the single-candidate resubmission): a dossier return is the
same fact for each of them, and the unit may then resubmit them all at once
(:func:`decide_resubmit_dossier`, each assessed again on today's facts) or one
by one (``…/candidates/{cid}/resubmit``). A candidate already returned gets
the dossier's reason too (its history shows this round). A dossier of which a
candidate was already decided (granted, forwarded, rejected …) cannot go back
whole: 409 ``candidate_already_decided`` naming them; the others can still be
returned one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from pydantic import Field
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import CandidateReturned

from kernel.errors import Conflict, DomainError

from ..domain.results import Assessment
from .codes import Code
from .commands import Command, Id, ResubmitCandidate
from .nomination import CandidateStatus, NominationState
from .nomination_steps import _exists, _not_before_submission, decide_resubmit
from .paths import not_after


class ReturnDossier(Command):
    """The office returns a whole nomination to its unit with a reason (trả lại hồ sơ)."""

    nomination_id: Id
    reason: str = Field(min_length=1, max_length=2000, description="Why, in Vietnamese (what to fix or add).")
    returned_on: date


class ResubmitDossier(Command):
    """The unit resubmits every returned candidate of its nomination after fixing the dossier."""

    nomination_id: Id
    resubmitted_on: date


def decide_return_dossier(state: NominationState, cmd: ReturnDossier, *, today: date) -> list[EventPayload]:
    """Every candidate of an undecided nomination returned with the reason (one ``CandidateReturned`` each)."""
    _exists(state, cmd.nomination_id)
    decided = [c for c in state.candidates if c.status.decided]
    if decided:
        raise Conflict(
            Code.CANDIDATE_ALREADY_DECIDED,
            "Hồ sơ đã có quyết định cho " + ", ".join(f"{c.candidate.display_name} ({c.status.value})" for c in decided)
            + "; không trả lại toàn bộ hồ sơ được, trả lại từng người còn lại",
            candidate_ids=[c.candidate_id for c in decided],
        )
    not_after(cmd.returned_on, today, "returned_on")
    _not_before_submission(state, cmd.returned_on, "returned_on")
    return [CandidateReturned(nomination_id=state.nomination_id, candidate_id=c.candidate_id,
                              reasons=[cmd.reason], returned_on=cmd.returned_on, by_office=True)
            for c in state.candidates]


def returned_candidates(state: NominationState) -> list[str]:
    """The candidates a whole resubmission brings back (those returned, in the nomination's order)."""
    return [c.candidate_id for c in state.candidates if c.status is CandidateStatus.RETURNED]


def decide_resubmit_dossier(
    state: NominationState,
    cmd: ResubmitDossier,
    *,
    assessments: Mapping[str, Assessment | None],
    candidate_units: Mapping[str, str | None],
    unit_subtree: frozenset[str] | set[str],
    today: date,
) -> list[EventPayload]:
    """Every returned candidate assessed again (as :func:`decide_resubmit` does for one); the still ineligible
    are returned again with the engine's reasons. ``assessments`` and ``candidate_units`` by candidate id, for
    :func:`returned_candidates`."""
    _exists(state, cmd.nomination_id)
    wanted = returned_candidates(state)
    if not wanted:
        raise DomainError(
            Code.CANDIDATE_NOT_RETURNED,
            f"Nomination {state.nomination_id!r} has no returned candidate; nothing to resubmit",
            nomination_id=state.nomination_id,
        )
    events: list[EventPayload] = []
    for candidate_id in wanted:
        one = ResubmitCandidate(nomination_id=cmd.nomination_id, candidate_id=candidate_id,
                                resubmitted_on=cmd.resubmitted_on)
        found = decide_resubmit(state, one, assessment=assessments.get(candidate_id),
                                candidate_unit=candidate_units.get(candidate_id), unit_subtree=unit_subtree,
                                today=today)
        for event in found:
            state = state.apply(event)
        events += found
    return events


__all__ = [
    "ResubmitDossier",
    "ReturnDossier",
    "decide_resubmit_dossier",
    "decide_return_dossier",
    "returned_candidates",
]
