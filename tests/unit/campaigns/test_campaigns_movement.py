"""The movement aggregate: launch, amend, review, close; a closed movement accepts nothing."""

from __future__ import annotations

from datetime import date

import pytest
from campaigns_testkit import MOVEMENT_ID, UNITS, closed, fold, launch_cmd, launched_movement, pledge_2024_cmd, refused
from tdkt_contracts.catalogue.campaigns import (
    ClauseAssessment,
    MovementAmended,
    MovementClosed,
    MovementLaunched,
    MovementReviewed,
    ReviewKind,
    TargetMet,
    TargetMissed,
    UnitScope,
    YearClosed,
)

from kernel.errors import Conflict, NotFound
from services.campaigns.domain import (
    AmendMovement,
    CloseMovement,
    MovementState,
    PledgeState,
    RegistrationState,
    ReplicaState,
    ReviewMovement,
    ReviewPledge,
    SetTarget,
    SubmitRegistration,
    TargetState,
    WithdrawRegistration,
    YearState,
    decide_amend_movement,
    decide_close_movement,
    decide_launch_movement,
    decide_review_movement,
    decide_review_pledge,
    decide_set_target,
    decide_sign_pledge,
    decide_submit_registration,
    decide_withdraw_registration,
)


def amend(**over):
    return AmendMovement(movement_id=MOVEMENT_ID, amended_on=date(2024, 3, 1), reason="Điều chỉnh kế hoạch", **over)


def review(kind="interim", on=date(2024, 7, 15)):
    return ReviewMovement(movement_id=MOVEMENT_ID, kind=kind, reviewed_on=on, summary="Sơ kết 6 tháng đầu năm")


class TestLaunch:
    def test_launch(self):
        [event] = decide_launch_movement(MovementState(), launch_cmd())
        assert isinstance(event, MovementLaunched)
        assert event.subject() == MOVEMENT_ID
        assert event.scope == UnitScope(unit_ids=UNITS)
        state = MovementState().apply(event)
        assert state.exists and not state.closed and state.title.startswith("Thi đua thường xuyên")
        assert state.deadline_for(2024) == date(2024, 3, 31)

    def test_launch_of_a_thematic_movement_answering_the_prime_minister(self):
        cmd = launch_cmd(
            movement_id="pt-nong-thon-moi",
            title="Ngành Công Thương chung sức xây dựng nông thôn mới",
            kind="chuyen_de",
            scope={"all_units": True},
            responds_to="Cả nước chung sức xây dựng nông thôn mới",
            period_end=None,
            registration_deadline=date(2024, 2, 15),
        )
        [event] = decide_launch_movement(MovementState(), cmd)
        state = MovementState().apply(event)
        assert state.responds_to == "Cả nước chung sức xây dựng nông thôn mới"
        assert state.covers_year(2040)  # open-ended
        assert state.deadline_for(2025) == date(2024, 2, 15)

    def test_twice_is_refused(self, movement):
        error = refused("movement_exists", decide_launch_movement, movement, launch_cmd())
        assert isinstance(error, Conflict)

    def test_period_ending_before_it_starts(self):
        refused("invalid_period", decide_launch_movement, MovementState(), launch_cmd(period_end=date(2023, 12, 31)))

    def test_yearly_deadline_on_29_february_falls_on_28_in_common_years(self):
        state = launched_movement(annual_registration_deadline="02-29")
        assert state.deadline_for(2024) == date(2024, 2, 29)
        assert state.deadline_for(2025) == date(2025, 2, 28)


class TestAmend:
    def test_only_changed_fields_are_in_the_event(self, movement):
        [event] = decide_amend_movement(movement, amend(criteria="Nội dung mới", title=movement.title))
        assert isinstance(event, MovementAmended)
        assert event.criteria == "Nội dung mới" and event.title is None
        state = movement.apply(event)
        assert state.criteria == "Nội dung mới" and state.title == movement.title

    def test_scope_and_deadline(self, movement):
        events = decide_amend_movement(movement, amend(scope={"all_units": True}, annual_registration_deadline="04-15"))
        state = fold(movement, events)
        assert state.scope.all_units and state.deadline_for(2025) == date(2025, 4, 15)

    def test_nothing_to_amend(self, movement):
        refused("nothing_to_amend", decide_amend_movement, movement, amend())
        refused("nothing_to_amend", decide_amend_movement, movement, amend(title=movement.title))

    def test_period_stays_valid(self, movement):
        refused("invalid_period", decide_amend_movement, movement, amend(period_end=date(2023, 6, 30)))
        refused("invalid_period", decide_amend_movement, movement, amend(period_start=date(2026, 1, 1)))

    def test_unknown_movement(self):
        error = refused("movement_not_found", decide_amend_movement, MovementState(), amend(criteria="x"))
        assert isinstance(error, NotFound)


class TestReview:
    def test_interim_reviews_then_a_final_one(self, movement):
        state = fold(movement, decide_review_movement(movement, review()))
        state = fold(state, decide_review_movement(state, review(on=date(2024, 12, 20))))
        [event] = decide_review_movement(state, review("final", date(2025, 12, 15)))
        assert isinstance(event, MovementReviewed) and event.kind is ReviewKind.FINAL
        state = state.apply(event)
        assert [k for k, _, _ in state.reviews] == [ReviewKind.INTERIM, ReviewKind.INTERIM, ReviewKind.FINAL]
        assert state.final_reviewed

    @pytest.mark.parametrize("kind", ["interim", "final"])
    def test_nothing_after_the_final_review(self, movement, kind):
        state = fold(movement, decide_review_movement(movement, review("final", date(2025, 12, 15))))
        refused("final_review_done", decide_review_movement, state, review(kind, date(2025, 12, 20)))

    def test_not_before_the_launch(self, movement):
        refused("review_before_launch", decide_review_movement, movement, review(on=date(2024, 1, 14)))


class TestClose:
    def test_close(self, movement):
        events = decide_close_movement(
            movement,
            CloseMovement(movement_id=MOVEMENT_ID, closed_on=date(2025, 12, 31)),
            targets=[],
            replica=ReplicaState(),
        )
        assert [type(e) for e in events] == [MovementClosed]
        state = fold(movement, events)
        assert state.closed and state.closed_on == date(2025, 12, 31)

    def test_close_makes_its_open_targets_final_and_leaves_others(self, movement, replica):
        def target(target_id, movement_id, units):
            cmd = SetTarget(
                target_id=target_id,
                movement_id=movement_id,
                year=2024,
                metric="units_graded_good_or_better",
                threshold_percent=100,
                scope={"unit_ids": units},
                description="100% các đơn vị hoàn thành tốt nhiệm vụ trở lên",
                set_on=date(2024, 1, 15),
            )
            return fold(TargetState(), decide_set_target(TargetState(), cmd, movement=movement, year=YearState()))

        met = target("t-met", MOVEMENT_ID, ["vu-tccb", "vu-tdkt"])  # HTXS, HTT: 2/2
        missed = target("t-missed", MOVEMENT_ID, UNITS)  # cuc-xnk HT: 2/3
        other = target("t-other", None, UNITS)  # a year target, not this movement's
        already_final = fold(
            target("t-final", MOVEMENT_ID, UNITS),
            [
                TargetMissed(
                    target_id="t-final",
                    movement_id=MOVEMENT_ID,
                    year=2024,
                    metric="units_graded_good_or_better",
                    numerator=2,
                    denominator=3,
                    threshold_percent=100,
                    share_percent=66.66,
                    closed_by="year_closed",
                    decided_on=date(2025, 1, 5),
                )
            ],
        )
        events = decide_close_movement(
            movement,
            CloseMovement(movement_id=MOVEMENT_ID, closed_on=date(2025, 12, 31)),
            targets=[met, missed, other, already_final],
            replica=replica,
        )
        assert isinstance(events[0], MovementClosed)
        first, second = events[1:]
        assert isinstance(first, TargetMet) and (first.target_id, first.numerator, first.denominator) == ("t-met", 2, 2)
        assert isinstance(second, TargetMissed)
        assert (second.target_id, second.numerator, second.denominator) == ("t-missed", 2, 3)
        assert second.threshold_percent == 100 and str(second.share_percent) == "66.66"
        assert first.closed_by.value == "movement_closed" and first.decided_on == date(2025, 12, 31)

    def test_not_before_the_launch(self, movement):
        refused(
            "close_before_launch",
            decide_close_movement,
            movement,
            CloseMovement(movement_id=MOVEMENT_ID, closed_on=date(2024, 1, 1)),
            targets=[],
            replica=ReplicaState(),
        )


class TestAClosedMovementAcceptsNothing:
    """Every command that touches a closed movement is refused with movement_closed."""

    def test_amend(self, closed_movement):
        refused("movement_closed", decide_amend_movement, closed_movement, amend(criteria="x"))

    def test_review(self, closed_movement):
        refused("movement_closed", decide_review_movement, closed_movement, review())

    def test_close_again(self, closed_movement):
        refused(
            "movement_closed",
            decide_close_movement,
            closed_movement,
            CloseMovement(movement_id=MOVEMENT_ID, closed_on=date(2026, 1, 1)),
            targets=[],
            replica=ReplicaState(),
        )

    def test_set_target(self, closed_movement):
        cmd = SetTarget(
            target_id="t",
            movement_id=MOVEMENT_ID,
            year=2025,
            metric="units_graded_good_or_better",
            threshold_percent=100,
            description="100% các đơn vị hoàn thành tốt nhiệm vụ trở lên",
            set_on=date(2025, 1, 1),
        )
        refused("movement_closed", decide_set_target, TargetState(), cmd, movement=closed_movement, year=YearState())

    def test_register_and_withdraw(self, movement):
        registered = fold(
            RegistrationState(),
            decide_submit_registration(
                RegistrationState(),
                SubmitRegistration(movement_id=MOVEMENT_ID, unit_id="vu-tccb", year=2025, collective_titles=["TTLDXS"]),
                movement=movement,
                today=date(2025, 1, 10),
            ),
        )
        gone = closed(movement)
        refused(
            "movement_closed",
            decide_submit_registration,
            RegistrationState(),
            SubmitRegistration(movement_id=MOVEMENT_ID, unit_id="vu-tdkt", year=2025, collective_titles=["TTLDXS"]),
            movement=gone,
            today=date(2025, 1, 10),
        )
        refused(
            "movement_closed",
            decide_withdraw_registration,
            registered,
            WithdrawRegistration(movement_id=MOVEMENT_ID, unit_id="vu-tccb", year=2025),
            movement=gone,
            today=date(2026, 1, 10),
        )

    def test_sign_and_review_a_pledge(self, movement):
        cmd = pledge_2024_cmd(movement_id=MOVEMENT_ID)
        pledge = fold(PledgeState(), decide_sign_pledge(PledgeState(), cmd, movement=movement))
        gone = closed(movement)
        refused("movement_closed", decide_sign_pledge, PledgeState(), cmd, movement=gone)
        assessments = [ClauseAssessment(clause_number=n, result="achieved") for n in range(1, 6)]
        refused(
            "movement_closed",
            decide_review_pledge,
            pledge,
            ReviewPledge(
                pledge_id=cmd.pledge_id, kind="final", reviewed_on=date(2025, 12, 20), assessments=assessments
            ),
            movement=gone,
        )


def test_apply_ignores_other_events(movement):
    assert movement.apply(YearClosed(year=2024, closed_on=date(2025, 1, 2))) is movement
    assert MovementState.replay([]) == MovementState()
