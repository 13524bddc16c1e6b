"""A nomination's file: the nomination folded with its linked proposal and award streams (pure).

The one place that states which streams belong to a nomination and the order
they are folded in (``README.md`` next to this file): the nomination stream;
then the proposals ``proposal_id_for(nid, 1, 2, …)`` up to the first empty
one; then the candidates' award streams ``award_id_for(nid, cid)``. The
handlers read the streams :func:`linked_stream_ids` names and call
:meth:`NominationFile.fold`; the unit tests' in-memory world does the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    AwardRevoked,
    HigherDecisionRecorded,
    ProposalForwarded,
    TitleConferred,
)

from kernel.aggregate import fold

from .award import AwardState
from .ids import proposal_id_for
from .nomination import NominationState
from .proposal import ProposalState


def linked_stream_ids(state: NominationState) -> list[str]:
    """The proposal streams that may exist, then the candidates' award streams, in folding order.

    Each proposal forwards at least one candidate, and a candidate is
    forwarded once: there are at most as many proposals as candidates, so
    the ids are known from the nomination alone and one read fetches them all.
    """
    proposals = [proposal_id_for(state.nomination_id, n) for n in range(1, len(state.candidates) + 2)]
    return [*proposals, *state.award_stream_ids()]


@dataclass(frozen=True)
class NominationFile:
    """A nomination folded with its linked streams (the unit of work keeps the versions read)."""

    state: NominationState
    proposals: dict[str, ProposalState]
    awards: dict[str, AwardState]

    @classmethod
    def fold(
        cls,
        nomination_id: str,
        own: Sequence[EventPayload],
        linked: Mapping[str, Sequence[EventPayload]],
    ) -> NominationFile:
        """The file from the nomination's own events and its linked streams' (absent streams: no events).

        ``linked`` must hold the streams :func:`linked_stream_ids` names for
        the nomination folded from ``own``; proposals are folded up to the
        first empty one, then every award stream.
        """
        state = NominationState.replay(own, nomination_id)
        proposals: dict[str, ProposalState] = {}
        award_ids = state.award_stream_ids()
        for pid in (s for s in linked_stream_ids(state) if s not in award_ids):
            events = linked.get(pid, ())
            if not events:
                break
            state = fold(state, events)
            proposals[pid] = ProposalState.replay(events, pid)
        awards: dict[str, AwardState] = {}
        for aid in award_ids:
            events = linked.get(aid, ())
            state = fold(state, events)
            if events:
                awards[aid] = AwardState.replay(events, aid)
        return cls(state, proposals, awards)

    def with_events(self, events: Sequence[EventPayload]) -> NominationFile:
        """The file after ``events`` were appended (to answer without reading again)."""
        state, proposals, awards = self.state, dict(self.proposals), dict(self.awards)
        for event in events:
            state = state.apply(event)
            sid = event.subject()
            if isinstance(event, ProposalForwarded | HigherDecisionRecorded):
                proposals[sid] = proposals.get(sid, ProposalState.initial(sid)).apply(event)
            elif isinstance(event, AwardGranted | TitleConferred | AwardRevoked):
                awards[sid] = awards.get(sid, AwardState.initial(sid)).apply(event)
        return replace(self, state=state, proposals=proposals, awards=awards)


__all__ = ["NominationFile", "linked_stream_ids"]
