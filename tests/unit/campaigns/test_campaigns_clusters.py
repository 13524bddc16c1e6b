"""Clusters and blocs (cụm, khối thi đua): membership per year, rotating lead, scoring and ranking."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from campaigns_testkit import fold, refused
from tdkt_contracts.catalogue.campaigns import (
    ClusterFormed,
    ClusterKind,
    ClusterLeadAssigned,
    ClusterMembershipChanged,
    ClusterScored,
)

from kernel.errors import Conflict, NotFound
from services.campaigns.domain import (
    AssignClusterLead,
    ChangeClusterMembership,
    ClusterState,
    FormCluster,
    MemberScore,
    ScoreCluster,
    decide_assign_cluster_lead,
    decide_change_cluster_membership,
    decide_form_cluster,
    decide_score_cluster,
    next_lead_in_rotation,
    rank_members,
)

CID = "cum-vien-nghien-cuu"
MEMBERS = ["vien-ccs", "vien-nang-luong", "vien-hoa-chat", "vien-co-khi"]


def form(**over):
    fields = {
        "cluster_id": CID,
        "name": "Cụm thi đua các Viện nghiên cứu thuộc Bộ Công Thương",
        "kind": "cum",
        "members": MEMBERS,
        "from_year": 2024,
        "formed_on": date(2024, 1, 10),
    }
    fields.update(over)
    return FormCluster(**fields)


def cluster(**over) -> ClusterState:
    return fold(ClusterState(), decide_form_cluster(ClusterState(), form(**over)))


def change(year=2025, add=(), remove=()):
    return ChangeClusterMembership(
        cluster_id=CID,
        year=year,
        add=list(add),
        remove=list(remove),
        changed_on=date(year, 1, 5),
        reason="Sắp xếp lại đơn vị",
    )


def lead(year, unit):
    return AssignClusterLead(cluster_id=CID, year=year, unit_id=unit, assigned_on=date(year, 1, 10))


def score(year=2024, **scores):
    entries = []
    for unit, value in scores.items():
        if isinstance(value, tuple):
            entries.append(MemberScore(unit_id=unit.replace("_", "-"), score=value[0], women_share_percent=value[1]))
        else:
            entries.append(MemberScore(unit_id=unit.replace("_", "-"), score=value))
    return ScoreCluster(cluster_id=CID, year=year, scored_on=date(year, 12, 18), scores=entries)


class TestForm:
    def test_form(self):
        [event] = decide_form_cluster(ClusterState(), form(kind="khoi"))
        assert isinstance(event, ClusterFormed) and event.kind is ClusterKind.BLOC
        state = ClusterState().apply(event)
        assert state.members_in(2024) == tuple(MEMBERS) and state.members_in(2023) == ()

    def test_twice(self):
        assert isinstance(refused("cluster_exists", decide_form_cluster, cluster(), form()), Conflict)

    def test_member_twice(self):
        refused("duplicate_member", decide_form_cluster, ClusterState(), form(members=["a", "a", "b"]))

    @pytest.mark.parametrize("members", [[], ["a"]])
    def test_too_few(self, members):
        refused("cluster_needs_members", decide_form_cluster, ClusterState(), form(members=members))


class TestMembership:
    def test_change_from_a_year_on(self):
        state = cluster()
        [event] = decide_change_cluster_membership(state, change(add=["vien-dau-khi"], remove=["vien-co-khi"]))
        assert isinstance(event, ClusterMembershipChanged)
        assert event.members == ["vien-ccs", "vien-nang-luong", "vien-hoa-chat", "vien-dau-khi"]
        state = state.apply(event)
        assert state.members_in(2024) == tuple(MEMBERS)
        assert "vien-dau-khi" in state.members_in(2026) and "vien-co-khi" not in state.members_in(2025)

    def test_refusals(self):
        state = cluster()
        assert isinstance(
            refused("cluster_not_found", decide_change_cluster_membership, ClusterState(), change(add=["x"])), NotFound
        )
        refused("year_before_cluster_formed", decide_change_cluster_membership, state, change(year=2023, add=["x"]))
        refused("nothing_to_change", decide_change_cluster_membership, state, change())
        refused("add_and_remove_same_unit", decide_change_cluster_membership, state, change(add=["x"], remove=["x"]))
        assert isinstance(
            refused("already_member", decide_change_cluster_membership, state, change(add=["vien-ccs"])), Conflict
        )
        refused("not_a_member", decide_change_cluster_membership, state, change(remove=["vien-ngoai"]))
        refused("cluster_needs_members", decide_change_cluster_membership, state, change(remove=MEMBERS[1:]))

    def test_in_year_order(self):
        state = cluster()
        state = fold(state, decide_change_cluster_membership(state, change(year=2026, add=["x"])))
        refused(
            "membership_year_before_last_change", decide_change_cluster_membership, state, change(year=2025, add=["y"])
        )
        assert decide_change_cluster_membership(state, change(year=2026, add=["y"]))

    def test_scored_years_are_frozen(self):
        state = cluster()
        state = fold(
            state, decide_score_cluster(state, score(vien_ccs=90, vien_nang_luong=91, vien_hoa_chat=92, vien_co_khi=93))
        )
        refused("cluster_year_scored", decide_change_cluster_membership, state, change(year=2024, add=["x"]))
        assert decide_change_cluster_membership(state, change(year=2025, add=["x"]))

    def test_the_lead_cannot_leave(self):
        state = cluster()
        state = fold(state, decide_assign_cluster_lead(state, lead(2025, "vien-co-khi")))
        refused("cannot_remove_lead", decide_change_cluster_membership, state, change(remove=["vien-co-khi"]))
        assert decide_change_cluster_membership(state, change(year=2026, remove=["vien-co-khi"]))


class TestLead:
    def test_assign_and_replace(self):
        state = cluster()
        [event] = decide_assign_cluster_lead(state, lead(2024, "vien-nang-luong"))
        assert isinstance(event, ClusterLeadAssigned) and event.previous_unit_id is None
        state = state.apply(event)
        assert decide_assign_cluster_lead(state, lead(2024, "vien-nang-luong")) == []  # no change
        [event] = decide_assign_cluster_lead(state, lead(2024, "vien-ccs"))
        assert event.previous_unit_id == "vien-nang-luong"
        assert state.apply(event).leads[2024] == "vien-ccs"

    def test_must_be_a_member_that_year(self):
        state = cluster()
        state = fold(state, decide_change_cluster_membership(state, change(add=["vien-dau-khi"])))
        refused("lead_not_member", decide_assign_cluster_lead, state, lead(2024, "vien-dau-khi"))
        assert decide_assign_cluster_lead(state, lead(2025, "vien-dau-khi"))
        refused("lead_not_member", decide_assign_cluster_lead, state, lead(2025, "vien-ngoai"))

    def test_rotation(self):
        state = cluster()
        state = fold(state, decide_assign_cluster_lead(state, lead(2024, "vien-ccs")))
        error = refused("lead_not_rotated", decide_assign_cluster_lead, state, lead(2025, "vien-ccs"))
        assert error.details["year"] == 2024
        state = fold(state, decide_assign_cluster_lead(state, lead(2026, "vien-hoa-chat")))
        refused("lead_not_rotated", decide_assign_cluster_lead, state, lead(2025, "vien-hoa-chat"))
        assert decide_assign_cluster_lead(state, lead(2025, "vien-nang-luong"))

    def test_rotation_can_be_off(self):
        state = cluster(rotate_lead=False)
        state = fold(state, decide_assign_cluster_lead(state, lead(2024, "vien-ccs")))
        assert decide_assign_cluster_lead(state, lead(2025, "vien-ccs"))

    def test_next_in_rotation(self):
        state = cluster()
        assert next_lead_in_rotation(state, 2024) == "vien-ccs"
        state = fold(state, decide_assign_cluster_lead(state, lead(2024, "vien-hoa-chat")))
        assert next_lead_in_rotation(state, 2025) == "vien-co-khi"
        state = fold(state, decide_assign_cluster_lead(state, lead(2025, "vien-co-khi")))
        assert next_lead_in_rotation(state, 2026) == "vien-ccs"  # wraps round
        assert next_lead_in_rotation(state, 2020) is None

    def test_unknown_cluster_and_year(self):
        refused("cluster_not_found", decide_assign_cluster_lead, ClusterState(), lead(2024, "vien-ccs"))
        refused("year_before_cluster_formed", decide_assign_cluster_lead, cluster(), lead(2023, "vien-ccs"))


class TestScoring:
    def test_ranking_by_score(self):
        state = cluster()
        [event] = decide_score_cluster(
            state, score(vien_ccs=Decimal("90.25"), vien_nang_luong=94, vien_hoa_chat=Decimal("96.5"), vien_co_khi=80)
        )
        assert isinstance(event, ClusterScored)
        assert [(r.rank, r.unit_id) for r in event.ranking] == [
            (1, "vien-hoa-chat"),
            (2, "vien-nang-luong"),
            (3, "vien-ccs"),
            (4, "vien-co-khi"),
        ]
        state = state.apply(event)
        assert state.rankings[2024][0].unit_id == "vien-hoa-chat" and state.scored_on[2024] == date(2024, 12, 18)

    def test_a_tie_goes_to_the_collective_with_70_percent_women(self):
        [event] = decide_score_cluster(
            cluster(),
            score(
                vien_ccs=(Decimal("96.5"), Decimal(55)),
                vien_hoa_chat=(Decimal("96.5"), Decimal(72)),
                vien_nang_luong=94,
                vien_co_khi=(Decimal(94), Decimal(70)),
            ),
        )
        ranking = [(r.rank, r.unit_id, r.women_preferred) for r in event.ranking]
        assert ranking == [
            (1, "vien-hoa-chat", True),
            (2, "vien-ccs", False),
            (3, "vien-co-khi", True),
            (4, "vien-nang-luong", False),
        ]

    def test_ties_that_remain_share_a_rank(self):
        ranked = rank_members(
            [
                MemberScore(unit_id="b", score=90),
                MemberScore(unit_id="a", score=90),
                MemberScore(unit_id="c", score=95),
                MemberScore(unit_id="d", score=80),
                MemberScore(unit_id="e", score=90, women_share_percent=69.99),
            ]
        )
        assert [(r.rank, r.unit_id) for r in ranked] == [(1, "c"), (2, "a"), (2, "b"), (2, "e"), (5, "d")]
        assert not any(r.women_preferred for r in ranked)

    def test_both_tied_members_with_70_percent_women_stay_tied(self):
        ranked = rank_members(
            [
                MemberScore(unit_id="a", score=90, women_share_percent=80),
                MemberScore(unit_id="b", score=90, women_share_percent=75),
            ]
        )
        assert [(r.rank, r.women_preferred) for r in ranked] == [(1, False), (1, False)]

    def test_refusals(self):
        state = cluster()
        full = dict(vien_ccs=1, vien_nang_luong=2, vien_hoa_chat=3, vien_co_khi=4)
        refused("cluster_not_found", decide_score_cluster, ClusterState(), score(**full))
        refused("year_before_cluster_formed", decide_score_cluster, state, score(year=2023, **full))
        error = refused("member_not_scored", decide_score_cluster, state, score(vien_ccs=1, vien_nang_luong=2))
        assert error.details["unit_ids"] == ["vien-hoa-chat", "vien-co-khi"]
        refused("not_a_member", decide_score_cluster, state, score(**full, vien_ngoai=5))
        dup = score(**full)
        dup = dup.model_copy(update={"scores": [*dup.scores, dup.scores[0]]})
        refused("duplicate_score", decide_score_cluster, state, dup)
        refused("member_not_scored", decide_score_cluster, state, score())
        scored = fold(state, decide_score_cluster(state, score(**full)))
        assert isinstance(refused("cluster_year_scored", decide_score_cluster, scored, score(**full)), Conflict)

    def test_members_of_the_year_are_scored(self):
        state = cluster()
        state = fold(
            state, decide_change_cluster_membership(state, change(add=["vien-dau-khi"], remove=["vien-co-khi"]))
        )
        refused(
            "not_a_member",
            decide_score_cluster,
            state,
            score(year=2025, vien_ccs=1, vien_nang_luong=2, vien_hoa_chat=3, vien_co_khi=4),
        )
        assert decide_score_cluster(
            state, score(year=2025, vien_ccs=1, vien_nang_luong=2, vien_hoa_chat=3, vien_dau_khi=4)
        )
