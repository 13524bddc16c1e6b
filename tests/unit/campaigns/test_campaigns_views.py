"""Read models: a movement's dashboard, a unit's overview, a cluster's ranking."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from campaigns_testkit import MOVEMENT_ID, fold, pledge_2024_cmd, refused

from services.campaigns.domain import (
    AssignClusterLead,
    ClusterState,
    FormCluster,
    MemberScore,
    PledgeState,
    RegistrationState,
    ReviewPledge,
    ScoreCluster,
    SetTarget,
    SubmitRegistration,
    TargetState,
    WithdrawRegistration,
    YearState,
    cluster_ranking,
    compute_progress,
    decide_assign_cluster_lead,
    decide_form_cluster,
    decide_progress_events,
    decide_review_pledge,
    decide_score_cluster,
    decide_set_target,
    decide_sign_pledge,
    decide_submit_registration,
    decide_withdraw_registration,
    movement_dashboard,
    unit_overview,
)


def registration(movement, unit, year=2024, movement_id=MOVEMENT_ID, **over):
    cmd = SubmitRegistration(
        movement_id=movement_id,
        unit_id=unit,
        year=year,
        **{
            "collective_titles": ["TTLDXS"],
            "individuals": [{"person_id": f"{unit}-p1", "titles": ["LDTT", "CSTDCS"]}],
            **over,
        },
    )
    return fold(
        RegistrationState(),
        decide_submit_registration(RegistrationState(), cmd, movement=movement, today=date(2024, 2, 1)),
    )


def test_movement_dashboard(movement, replica):
    def target(target_id, metric, threshold, year=2024):
        cmd = SetTarget(
            target_id=target_id,
            movement_id=MOVEMENT_ID,
            year=year,
            metric=metric,
            threshold_percent=threshold,
            description="Chỉ tiêu năm",
            set_on=date(2024, 1, 15),
        )
        return fold(TargetState(), decide_set_target(TargetState(), cmd, movement=movement, year=YearState()))

    staff = target("ct-cbccvc", "staff_graded_good_or_better", 95)
    staff = fold(staff, decide_progress_events(staff, compute_progress(staff, replica)))
    units = target("ct-don-vi", "units_graded_good_or_better", 100)  # never progressed
    foreign = fold(
        TargetState(),
        decide_set_target(
            TargetState(),
            SetTarget(
                target_id="ct-khac",
                year=2024,
                metric="units_graded_good_or_better",
                threshold_percent=100,
                description="x",
                set_on=date(2024, 1, 1),
            ),
            movement=None,
            year=YearState(),
        ),
    )

    tccb = registration(movement, "vu-tccb")
    tdkt = registration(movement, "vu-tdkt", collective_titles=["TTLDTT"], individuals=[])
    withdrawn = registration(movement, "cuc-xnk")
    withdrawn = fold(
        withdrawn,
        decide_withdraw_registration(
            withdrawn,
            WithdrawRegistration(movement_id=MOVEMENT_ID, unit_id="cuc-xnk", year=2024),
            movement=movement,
            today=date(2024, 2, 2),
        ),
    )
    next_year = registration(movement, "vu-tccb", year=2025)

    pledge = fold(
        PledgeState(), decide_sign_pledge(PledgeState(), pledge_2024_cmd(movement_id=MOVEMENT_ID), movement=movement)
    )
    pledge = fold(
        pledge,
        decide_review_pledge(
            pledge,
            ReviewPledge(
                pledge_id=pledge.pledge_id,
                kind="interim",
                reviewed_on=date(2024, 7, 1),
                assessments=[
                    {"clause_number": n, "result": "achieved" if n < 4 else "partly_achieved"} for n in range(1, 6)
                ],
            ),
            movement=movement,
        ),
    )

    view = movement_dashboard(
        movement,
        targets=[staff, units, foreign],
        registrations=[tccb, tdkt, withdrawn, next_year],
        pledges=[pledge, PledgeState()],
        year=2024,
    )
    assert view.status == "open" and view.movement_id == MOVEMENT_ID
    assert [t.target_id for t in view.targets] == ["ct-cbccvc", "ct-don-vi"]
    staff_view = view.targets[0]
    assert (staff_view.numerator, staff_view.denominator, staff_view.share_percent) == (4, 6, Decimal("66.66"))
    assert staff_view.on_track is False and staff_view.outcome is None
    assert view.targets[1].numerator is None and view.targets[1].on_track is None
    assert [u.unit_id for u in view.registrations_by_unit] == ["vu-tccb", "vu-tdkt"]
    summary = view.registration_summary
    assert summary.units_registered == 2 and summary.units_not_registered == ["cuc-xnk"]
    assert summary.collective_title_counts == {"TTLDTT": 1, "TTLDXS": 1}
    assert summary.individual_title_counts == {"CSTDCS": 1, "LDTT": 1} and summary.people_registered == 1
    [pledge_view] = view.pledges
    assert pledge_view.status == "interim_reviewed" and pledge_view.reviews == 1
    assert pledge_view.result_counts == {"achieved": 3, "partly_achieved": 2, "not_achieved": 0}
    assert [c.result.value for c in pledge_view.clauses] == ["achieved"] * 3 + ["partly_achieved"] * 2
    # serialisable for HTTP, percentages as numbers
    data = json.loads(view.model_dump_json())
    assert data["targets"][0]["share_percent"] == 66.66

    all_years = movement_dashboard(movement, targets=[staff], registrations=[tccb, next_year])
    assert [len(u.registrations) for u in all_years.registrations_by_unit] == [2]


def test_dashboard_of_an_unknown_movement():
    from services.campaigns.domain import MovementState

    refused("movement_not_found", movement_dashboard, MovementState())


def test_unit_overview(movement):
    own = registration(movement, "vu-tccb")
    other = registration(movement, "vu-tdkt")
    pledge_cmd = pledge_2024_cmd(
        pledge_id="gu-vu-tccb",
        parties=[{"name": "Lãnh đạo Vụ Tổ chức cán bộ", "unit_id": "vu-tccb"}, {"name": "Công đoàn Vụ Tổ chức cán bộ"}],
        signatories=[
            {"full_name": "Trần Văn An", "position": "Vụ trưởng", "party": "Lãnh đạo Vụ Tổ chức cán bộ"},
            {"full_name": "Lê Thị Bình", "position": "Chủ tịch công đoàn", "party": "Công đoàn Vụ Tổ chức cán bộ"},
        ],
    )
    unit_pledge = fold(PledgeState(), decide_sign_pledge(PledgeState(), pledge_cmd))
    ministry_pledge = fold(PledgeState(), decide_sign_pledge(PledgeState(), pledge_2024_cmd()))
    cluster = fold(
        ClusterState(),
        decide_form_cluster(
            ClusterState(),
            FormCluster(
                cluster_id="cum-vu",
                name="Khối các Vụ",
                kind="khoi",
                members=["vu-tccb", "vu-tdkt"],
                from_year=2024,
                formed_on=date(2024, 1, 5),
            ),
        ),
    )
    cluster_pledge = fold(
        PledgeState(),
        decide_sign_pledge(
            PledgeState(), pledge_2024_cmd(pledge_id="gu-khoi-vu", cluster_id="cum-vu"), cluster=cluster
        ),
    )

    view = unit_overview(
        "vu-tccb",
        registrations=[own, other],
        pledges=[unit_pledge, ministry_pledge, cluster_pledge],
        clusters=[cluster],
    )
    assert [r.unit_id for r in view.registrations] == ["vu-tccb"]
    assert [p.pledge_id for p in view.pledges] == ["gu-khoi-vu", "gu-vu-tccb"]
    assert view.pledges[1].status == "signed"
    without_clusters = unit_overview("vu-tccb", pledges=[unit_pledge, cluster_pledge])
    assert [p.pledge_id for p in without_clusters.pledges] == ["gu-vu-tccb"]


def test_cluster_ranking():
    cluster = fold(
        ClusterState(),
        decide_form_cluster(
            ClusterState(),
            FormCluster(
                cluster_id="cum-1",
                name="Cụm thi đua các Viện",
                kind="cum",
                members=["a", "b", "c"],
                from_year=2024,
                formed_on=date(2024, 1, 5),
            ),
        ),
    )
    cluster = fold(
        cluster,
        decide_assign_cluster_lead(
            cluster, AssignClusterLead(cluster_id="cum-1", year=2024, unit_id="b", assigned_on=date(2024, 1, 5))
        ),
    )
    before = cluster_ranking(cluster, 2024)
    assert not before.scored and before.ranking == [] and before.leaders == [] and before.lead_unit_id == "b"
    cluster = fold(
        cluster,
        decide_score_cluster(
            cluster,
            ScoreCluster(
                cluster_id="cum-1",
                year=2024,
                scored_on=date(2024, 12, 18),
                scores=[
                    MemberScore(unit_id="a", score=95),
                    MemberScore(unit_id="b", score=95),
                    MemberScore(unit_id="c", score=90),
                ],
            ),
        ),
    )
    after = cluster_ranking(cluster, 2024)
    assert after.scored and after.scored_on == date(2024, 12, 18)
    assert [(r.rank, r.unit_id) for r in after.ranking] == [(1, "a"), (1, "b"), (3, "c")]
    assert after.leaders == ["a", "b"] and after.members == ["a", "b", "c"]
    refused("cluster_not_found", cluster_ranking, ClusterState(), 2024)
