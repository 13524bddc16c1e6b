"""Where a nomination stands, for the office's inbox: one stage per nomination, from its folded file.

Pure. The stages, in the order a nomination goes through them:

- ``received``: submitted, its candidates assessed, nothing more yet;
- ``incomplete``: as received, but its electronic dossier lacks a file a confirmed requirement asks (Luật TĐKT
  2022 Điều 84) — the inbox query says so (it depends on the service's setting), :func:`stage_of` never does;
- ``returned``: a candidate still in play was returned to the unit (or assessed not eligible) and not resubmitted;
- ``on_notice``: a public notice is open;
- ``awaiting_council``: the notice closed, the council has not voted on every eligible candidate;
- ``awaiting_decision``: every eligible candidate has a council vote (or the procedure needs none and the
  notice closed) — the decider's turn;
- ``proposed_upward``: nothing left to the Ministry; some candidates wait for the higher authority;
- ``decided``: every candidate has its decision.

A nomination in two situations at once takes the earliest that needs someone's act: a returned
candidate beside a notice is ``on_notice`` (the notice runs; the unit's fix comes back to it).
"""

from __future__ import annotations

from typing import Literal

from .nomination import CandidateStatus, NominationState

Stage = Literal["received", "incomplete", "returned", "on_notice", "awaiting_council", "awaiting_decision",
                "proposed_upward", "decided"]
STAGES: tuple[Stage, ...] = ("received", "incomplete", "returned", "on_notice", "awaiting_council",
                             "awaiting_decision", "proposed_upward", "decided")
FINAL = frozenset({CandidateStatus.GRANTED, CandidateStatus.CONFERRED, CandidateStatus.DECLINED,
                   CandidateStatus.REJECTED})
BACK_WITH_UNIT = frozenset({CandidateStatus.RETURNED, CandidateStatus.INELIGIBLE})


def stage_of(state: NominationState) -> Stage:
    """The nomination's stage, its dossier taken as complete."""
    statuses = [c.status for c in state.candidates]
    if all(s in FINAL for s in statuses):
        return "decided"
    if all(s in FINAL or s is CandidateStatus.FORWARDED for s in statuses):
        return "proposed_upward"
    if state.notices and state.notices[-1].is_open:
        return "on_notice"
    if any(s in BACK_WITH_UNIT for s in statuses):
        return "returned"
    eligible = [c for c in state.candidates if c.status is CandidateStatus.ELIGIBLE]
    if eligible and all(c.last_vote is not None for c in eligible):
        return "awaiting_decision"
    if state.notices:
        return "awaiting_council"
    return "received"
