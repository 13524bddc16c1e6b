"""The procedure checks wired into the workflow (issue #19 points 12, 14): the council's quorum on the vote,
the pre-2024 share quota of Chiến sĩ thi đua cơ sở and the signer of a Giấy khen on the grant. Each outcome is
on the events (and so on the nomination's answer) with its article and confidence; a confirmed ([C]/[S]) rule
not met refuses, an unconfirmed [U] one only warns. Before the change none of these checks was called."""

from __future__ import annotations

from datetime import date

import pytest
from awards_testkit import raw_parts
from awards_workflow_testkit import COUNCIL, World, ballots, person, refused
from tdkt_contracts.catalogue.awards import CouncilVoted, ProcedureChecked, TitleConferred

from services.awards.domain import parse_catalogue
from services.awards.workflow import GrantAwards, decide_grant
from services.awards.workflow.procedure import UnitShares

MEETING = date(2024, 12, 10)


def _cstd_bo(world: World) -> World:
    world.submit("n-1", "CSTD_BO", 2024, [("c-1", person("p-huong", "CSTD_BO", 2024))],
                 submitted_on=date(2024, 11, 1))
    return world


# (members present of 11, written votes, quorum met): two thirds of 11 is 8 (QĐ 2218/QĐ-BTNMT Art. 8.2 as [U])
QUORUM_ROWS = [("eight-present", 8, 2, True), ("seven-present", 7, 3, False), ("all-in-writing", 0, 10, False)]


@pytest.mark.parametrize(("case", "present", "written", "met"), QUORUM_ROWS, ids=[r[0] for r in QUORUM_ROWS])
def test_the_vote_records_the_quorum_and_an_unconfirmed_one_only_warns(
    world: World, case: str, present: int, written: int, met: bool
) -> None:
    _cstd_bo(world)
    [voted] = world.vote("n-1", MEETING, {"c-1": ballots(approve=present, written=written)})
    assert isinstance(voted, CouncilVoted)
    [quorum] = voted.procedure_checks
    assert (quorum.kind, quorum.met, quorum.confidence, quorum.limit, quorum.actual) == (
        "council_quorum", met, "U", 8, present
    )
    assert quorum.citation.startswith("Quy chế") or "Điều" in quorum.citation
    assert ("không đủ số thành viên dự họp" in quorum.detail_vi) is (not met)
    # the vote itself is recorded, and counted on all members as before
    assert voted.passed is (present + written >= 10)


def test_a_confirmed_quorum_not_met_refuses_the_vote(world: World) -> None:
    parts = raw_parts()
    rule_sets = next(content for name, content in parts if name == "_rule_sets.yaml")["rule_sets"]
    for rule_set in rule_sets:
        rule_set["council_quorum"]["confidence"] = "C"
    confirmed = parse_catalogue(parts)
    _cstd_bo(world)
    error = refused("no_quorum", world.vote, "n-1", MEETING, {"c-1": ballots(approve=7, written=3)}, law=confirmed)
    assert error.details["present"] == 7 and error.details["limit"] == 8 and error.details["confidence"] == "C"
    assert world.nomination("n-1").candidate("c-1").votes == ()


def _cstdcs_2023(world: World, *candidates: str) -> World:
    world.submit("n-cs", "CSTDCS", 2023, [(f"c-{i}", person(pid, "CSTDCS", 2023)) for i, pid in enumerate(candidates, 1)],
                 submitted_on=date(2023, 12, 1))
    return world


def _grant_cs_cmd(candidate_ids: list[str]) -> GrantAwards:
    return GrantAwards(nomination_id="n-cs", candidate_ids=candidate_ids, authority="unit_head",
                       decision_number="45/QĐ-VTCCB", decision_date=date(2023, 12, 20), signer="Viện trưởng")


def _grant_cs_kw(world: World, shares: UnitShares | None) -> dict[str, object]:
    return {"procedures": world.procedures("n-cs"), "law": world.catalogue, "held_awards": [], "today": world.today,
            "shares": shares}


def _grant_cs(world: World, candidate_ids: list[str], shares: UnitShares | None) -> list:
    return decide_grant(world.nomination("n-cs"), _grant_cs_cmd(candidate_ids), **_grant_cs_kw(world, shares))


SCOPE = frozenset({"u-vtccb", "u-vtccb-th"})


def test_the_2017_share_quota_of_grassroots_fighters_is_checked_at_the_grant(world: World) -> None:
    """NĐ 91/2017 Art. 9.3 [S]: at most 15 % of the unit's Lao động tiên tiến; 15 % of 20 is 3."""
    _cstdcs_2023(world, "p-huong", "p-tuyet")
    *awards, checked = _grant_cs(world, ["c-1", "c-2"], UnitShares(SCOPE, already_granted=1, holders={"LDTT": 20}))
    assert [type(a) for a in awards] == [TitleConferred, TitleConferred]
    assert isinstance(checked, ProcedureChecked) and checked.candidate_ids == ["c-1", "c-2"]
    [quota] = checked.checks
    assert (quota.kind, quota.met, quota.confidence, quota.limit, quota.actual) == ("share_quota", True, "S", 3, 3)
    assert quota.citation == "Nghị định 91/2017/NĐ-CP, Điều 9, khoản 3"


def test_a_grant_beyond_the_confirmed_share_quota_is_refused(world: World) -> None:
    _cstdcs_2023(world, "p-huong", "p-tuyet")
    error = refused("quota_exceeded", decide_grant, world.nomination("n-cs"), _grant_cs_cmd(["c-1", "c-2"]),
                    **_grant_cs_kw(world, UnitShares(SCOPE, already_granted=2, holders={"LDTT": 20})))
    assert error.details["limit"] == 3 and error.details["actual"] == 4
    assert error.details["citation"] == "Nghị định 91/2017/NĐ-CP, Điều 9, khoản 3"
    assert "Điều 9" in error.message or "Art. 9" in error.message


def test_candidates_outside_the_scope_are_not_counted(world: World) -> None:
    _cstdcs_2023(world, "p-huong")
    *_, checked = _grant_cs(world, ["c-1"], UnitShares(frozenset({"u-vkh"}), already_granted=3, holders={"LDTT": 20}))
    assert checked.checks[0].actual == 3 and checked.checks[0].met


def test_a_share_quota_without_its_counts_is_a_callers_error(world: World) -> None:
    _cstdcs_2023(world, "p-huong")
    with pytest.raises(ValueError, match="share quotas"):
        _grant_cs(world, ["c-1"], None)


def test_from_2024_grassroots_fighters_have_no_share_quota(world: World) -> None:
    """Law 2022 Art. 23: the cap is gone, so nothing is checked or recorded."""
    world.submit("n-cs", "CSTDCS", 2024, [("c-1", person("p-huong", "CSTDCS", 2024))], submitted_on=date(2024, 12, 1))
    world.vote("n-cs", MEETING, {"c-1": ballots(approve=10)})
    cmd = GrantAwards(nomination_id="n-cs", candidate_ids=["c-1"], authority="unit_head",
                      decision_number="45/QĐ-VTCCB", decision_date=date(2024, 12, 20), signer="Viện trưởng")
    events = decide_grant(world.nomination("n-cs"), cmd, procedures=world.procedures("n-cs"), law=world.catalogue,
                          held_awards=[], today=world.today)
    assert [type(e) for e in events] == [TitleConferred]


def _giay_khen_cmd(world: World, year: int, issuer: str | None) -> GrantAwards:
    world.submit("n-gk", "GIAY_KHEN", year, [("c-1", person("p-huong", "GIAY_KHEN", year))],
                 submitted_on=date(year, 12, 1))
    return GrantAwards(nomination_id="n-gk", candidate_ids=["c-1"], authority="unit_head",
                       decision_number="12/QĐ-VTCCB", decision_date=date(year, 12, 20), signer="Viện trưởng",
                       issuer=issuer)


# (article, year, issuer, met, confidence)
ISSUER_ROWS = [
    ("Law2022-Art80-legal-entity-head", 2024, "legal_entity_head", True, "C"),
    ("Law2022-Art75-board-chair", 2024, "board_chair", True, "S"),
    ("Law2003-board-chair-not-listed-U", 2023, "board_chair", False, "U"),
    ("not-stated", 2024, None, False, "U"),
]


@pytest.mark.parametrize(("article", "year", "issuer", "met", "confidence"), ISSUER_ROWS, ids=[r[0] for r in ISSUER_ROWS])
def test_the_signer_of_a_giay_khen_is_checked_and_recorded(
    world: World, article: str, year: int, issuer: str | None, met: bool, confidence: str
) -> None:
    cmd = _giay_khen_cmd(world, year, issuer)
    _award, checked = decide_grant(world.nomination("n-gk"), cmd, procedures=world.procedures("n-gk"),
                                   law=world.catalogue, held_awards=[], today=world.today)
    [signer] = checked.checks
    assert (signer.kind, signer.met, signer.confidence) == ("issuer", met, confidence)
    world.append([_award, checked])
    assert world.nomination("n-gk").procedure_checks == (checked,)


def test_a_signer_outside_a_confirmed_list_is_refused(world: World) -> None:
    from awards_testkit import award

    parts = raw_parts()
    rule_2024 = award(parts, "GIAY_KHEN")["rules"][1]  # individuals, 2024 – mid-2025
    rule_2024["issuers"] = [i for i in rule_2024["issuers"] if i["kind"] != "board_chair"]
    cmd = _giay_khen_cmd(world, 2024, "board_chair")
    error = refused("issuer_not_competent", decide_grant, world.nomination("n-gk"), cmd,
                    procedures=world.procedures("n-gk"), law=parse_catalogue(parts), held_awards=[], today=world.today)
    assert error.details["issuer"] == "board_chair"
    assert error.details["citation"].startswith("Luật Thi đua, khen thưởng 2022, Điều")


def test_the_council_size_is_the_quorum_base(world: World) -> None:
    """Two thirds of ALL members, the council as composed on the meeting day (11 here)."""
    _cstd_bo(world)
    [voted] = world.vote("n-1", MEETING, {"c-1": ballots(approve=10)})
    assert voted.members_total == len(COUNCIL.members) == 11 and voted.procedure_checks[0].limit == 8


def test_no_base_title_recorded_leaves_the_share_quota_undetermined(world: World) -> None:
    """No LĐTT of the year recorded in the unit yet: the base is unknown, so the cap warns, never refuses."""
    _cstdcs_2023(world, "p-huong")
    *_, checked = _grant_cs(world, ["c-1"], UnitShares(SCOPE, already_granted=0, holders={"LDTT": 0}))
    [quota] = checked.checks
    assert (quota.met, quota.confidence, quota.limit, quota.actual) == (False, "U", None, 1)
    assert "chưa kiểm tra được hạn mức 15%" in quota.detail_vi


def test_the_procedure_follows_the_filing_date_where_the_assessment_does(world: World) -> None:
    """Point 13: a 2024 file filed from 1 July 2025 is judged under NĐ 152, its procedure (who decides, the
    vote's share, the cash) too, so the workflow and the assessment never disagree."""
    from datetime import date as day

    from services.awards.domain.engine import procedure_of_version
    from services.awards.workflow import procedures_for
    from tdkt_contracts.vocabulary import RecipientKind

    law = world.catalogue
    entry = law.entry("CO_TD_CP")
    late = procedures_for(law, "CO_TD_CP", 2024, day(2025, 8, 4))[RecipientKind.COLLECTIVE]
    early = procedures_for(law, "CO_TD_CP", 2024, day(2025, 1, 8))[RecipientKind.COLLECTIVE]
    assert late == procedure_of_version(law, entry.rule_for(RecipientKind.COLLECTIVE, day(2025, 8, 4)))
    assert early == procedure_of_version(law, entry.rule_for(RecipientKind.COLLECTIVE, day(2024, 12, 31)))
    assert (late.cash_multiple.value if late.cash_multiple else None) == 12.0 and early.cash_multiple is None
