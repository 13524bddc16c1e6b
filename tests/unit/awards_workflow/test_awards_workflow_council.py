"""Council review: the threshold is a share of ALL members; absent members vote in writing; only members vote."""

from __future__ import annotations

from datetime import date

import pytest
from awards_workflow_testkit import changed, COUNCIL, World, ballots, collective, person, refused
from tdkt_contracts.catalogue.awards import CouncilVoted

from services.awards.workflow import (
    Ballot,
    CandidateBallots,
    Council,
    CouncilMember,
    RecordCouncilVote,
    decide_vote,
    share_reached,
)

YEAR = 2024
MEETING = date(2024, 12, 10)


@pytest.fixture
def cstd_bo(world: World) -> World:
    """Two eligible CSTĐ Bộ candidates (vote share 90 % of all members, NĐ 98/2023 Art. 30.7)."""
    world.submit(
        "n-1",
        "CSTD_BO",
        YEAR,
        [("c-1", person("p-huong", "CSTD_BO", YEAR)), ("c-2", person("p-tuyet", "CSTD_BO", YEAR))],
        submitted_on=date(2024, 11, 1),
    )
    return world


def _cmd(results: dict[str, list[Ballot]], *, council_id: str = COUNCIL.council_id, on: date = MEETING) -> RecordCouncilVote:
    return RecordCouncilVote(
        nomination_id="n-1",
        council_id=council_id,
        voted_on=on,
        results=[CandidateBallots(candidate_id=cid, ballots=b) for cid, b in results.items()],
    )


def test_written_votes_of_absent_members_count_toward_all_members(cstd_bo: World) -> None:
    # 9 present vote for, 1 absent member votes for in writing, 1 absent sends nothing: 10/11 = 90.9 % ≥ 90 %.
    [voted] = cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=9, written=1)})
    assert isinstance(voted, CouncilVoted)
    assert (voted.members_total, voted.votes_for, voted.votes_against, voted.written_votes) == (11, 10, 0, 1)
    assert voted.threshold == 0.9 and voted.passed
    assert voted.council_id == COUNCIL.council_id  # the minutes name the council whose members are the base
    assert cstd_bo.nomination("n-1").candidate("c-1").last_vote == voted


def test_the_share_is_of_all_members_not_of_those_present(cstd_bo: World) -> None:
    # 9 of 9 present vote for (100 % of those present), 2 absent do not vote: 9/11 = 81.8 % < 90 %.
    [voted] = cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=9)})
    assert (voted.members_total, voted.votes_for, voted.written_votes) == (11, 9, 0)
    assert not voted.passed


def test_votes_against_are_recorded(cstd_bo: World) -> None:
    [voted] = cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=8, written=1, against=2)})
    assert (voted.votes_for, voted.votes_against, voted.written_votes, voted.passed) == (9, 2, 1, False)


def test_one_meeting_votes_on_several_candidates(cstd_bo: World) -> None:
    events = cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11), "c-2": ballots(approve=5, against=6)})
    assert [(e.candidate_id, e.passed) for e in events] == [("c-1", True), ("c-2", False)]


def test_a_vote_from_someone_not_on_the_council(cstd_bo: World) -> None:
    stranger = Ballot(member_id="m-99", approve=True)
    cmd = _cmd({"c-1": [*ballots(approve=9), stranger]})
    error = refused(
        "voter_not_on_council",
        decide_vote,
        cstd_bo.nomination("n-1"),
        cmd,
        council=COUNCIL,
        procedures=cstd_bo.procedures("n-1"),
        law=cstd_bo.catalogue,
        today=cstd_bo.today,
    )
    assert error.details["member_ids"] == ["m-99"]


def test_each_member_votes_once(cstd_bo: World) -> None:
    twice = [*ballots(approve=9), Ballot(member_id="m-01", approve=True, in_writing=True)]
    refused(
        "duplicate_ballot",
        decide_vote,
        cstd_bo.nomination("n-1"),
        _cmd({"c-1": twice}),
        council=COUNCIL,
        procedures=cstd_bo.procedures("n-1"),
        law=cstd_bo.catalogue,
        today=cstd_bo.today,
    )


def test_a_candidate_is_voted_on_once(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=9)})
    refused(
        "already_voted",
        decide_vote,
        cstd_bo.nomination("n-1"),
        _cmd({"c-1": ballots(approve=11)}),
        council=COUNCIL,
        procedures=cstd_bo.procedures("n-1"),
        law=cstd_bo.catalogue,
        today=cstd_bo.today,
    )


def test_the_vote_names_the_council_loaded(cstd_bo: World) -> None:
    refused(
        "council_mismatch",
        decide_vote,
        cstd_bo.nomination("n-1"),
        _cmd({"c-1": ballots(approve=11)}, council_id="hd-khac"),
        council=COUNCIL,
        procedures=cstd_bo.procedures("n-1"),
        law=cstd_bo.catalogue,
        today=cstd_bo.today,
    )


@pytest.mark.parametrize(("on", "code"), [(date(2025, 4, 1), "date_in_future"), (date(2024, 10, 1), "date_before_submission")])
def test_the_meeting_date(cstd_bo: World, on: date, code: str) -> None:
    refused(
        code,
        decide_vote,
        cstd_bo.nomination("n-1"),
        _cmd({"c-1": ballots(approve=11)}, on=on),
        council=COUNCIL,
        procedures=cstd_bo.procedures("n-1"),
        law=cstd_bo.catalogue,
        today=cstd_bo.today,
    )


def test_a_returned_candidate_is_not_voted_on(world: World) -> None:
    lacking = changed(person("p-huong", "CSTD_BO", YEAR), initiatives=[])
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", lacking)], submitted_on=date(2024, 11, 1))
    refused(
        "candidate_not_eligible",
        decide_vote,
        world.nomination("n-1"),
        _cmd({"c-1": ballots(approve=11)}),
        council=COUNCIL,
        procedures=world.procedures("n-1"),
        law=world.catalogue,
        today=world.today,
    )


def test_an_unknown_candidate(cstd_bo: World) -> None:
    refused(
        "unknown_candidate",
        decide_vote,
        cstd_bo.nomination("n-1"),
        _cmd({"c-9": ballots(approve=11)}),
        council=COUNCIL,
        procedures=cstd_bo.procedures("n-1"),
        law=cstd_bo.catalogue,
        today=cstd_bo.today,
    )


def test_where_the_law_sets_no_share_the_councils_own_rule_applies(world: World) -> None:
    # Bằng khen của Bộ trưởng: no share in the law; the council's regulation (here half of all members).
    world.submit("n-bk", "BK_BT", YEAR, [("c-1", collective("u-vtccb-th", "BK_BT", YEAR))], submitted_on=date(2024, 11, 1))
    cmd = RecordCouncilVote(
        nomination_id="n-bk",
        council_id=COUNCIL.council_id,
        voted_on=MEETING,
        results=[CandidateBallots(candidate_id="c-1", ballots=ballots(approve=6))],
    )
    [voted] = decide_vote(
        world.nomination("n-bk"), cmd, council=COUNCIL, procedures=world.procedures("n-bk"), law=world.catalogue,
        today=world.today
    )
    assert voted.threshold == 0.5 and voted.passed and voted.members_total == 11


@pytest.mark.parametrize(
    ("votes_for", "members", "share", "passed"),
    [(9, 10, 0.9, True), (4, 5, 0.8, True), (8, 10, 0.9, False), (10, 11, 0.9, True), (9, 11, 0.9, False),
     (9, 11, 0.8, True), (8, 11, 0.8, False), (0, 11, 0.5, False)],
)
def test_share_reached_is_exact(votes_for: int, members: int, share: float, passed: bool) -> None:
    assert share_reached(votes_for, members, share) is passed


def test_a_council_lists_each_member_once() -> None:
    member = CouncilMember(member_id="m-01", name="Nguyễn Hồng Diên", role="chair")
    with pytest.raises(ValueError):
        Council(council_id="hd", name="Hội đồng", members=(member, member))
