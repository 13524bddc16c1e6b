"""What the awards events carry for the statistical forms (0602): who issued the tờ trình."""

from __future__ import annotations

from tdkt_contracts.catalogue.awards import AwardGranted, ProposalForwarded, TitleConferred

from awards_workflow_testkit import World

from test_awards_workflow_events import _whole_year


def test_the_ministrys_proposals_and_the_awards_conferred_on_them_say_who_submitted(world: World) -> None:
    events = _whole_year(world)
    [forwarded] = [e for e in events if isinstance(e, ProposalForwarded)]
    assert forwarded.submitted_by == "bo_nganh"
    conferred = [e for e in events if isinstance(e, (AwardGranted, TitleConferred))]
    by_higher = [e for e in conferred if not e.conferred_by_ministry]
    assert by_higher and all(e.submitted_by == "bo_nganh" for e in by_higher)
    # The Minister's own decisions have no tờ trình to the Prime Minister: not recorded.
    assert all(e.submitted_by is None for e in conferred if e.conferred_by_ministry)
