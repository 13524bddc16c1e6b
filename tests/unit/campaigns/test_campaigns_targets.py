"""Targets: progress computed from the replica, progress events, year close, training reports."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType

import pytest
from campaigns_testkit import MOVEMENT_ID, UNITS, fold, launched_movement, refused
from tdkt_contracts.catalogue.campaigns import (
    TargetMet,
    TargetMetric,
    TargetMissed,
    TargetProgressed,
    TargetSet,
    TrainingCompletionReported,
    UnitScope,
    YearClosed,
)
from tdkt_contracts.vocabulary import Grade

from kernel.errors import Conflict
from services.campaigns.domain import (
    CloseYear,
    PersonEnrolledFact,
    PersonEvaluationCorrectedFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    TREE_ONLY,
    Progress,
    ReplicaNeeds,
    ReplicaState,
    ReportTrainingCompletion,
    SetTarget,
    TargetState,
    TrainingReportFact,
    TrainingReportState,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationCorrectedFact,
    UnitEvaluationRecordedFact,
    UnitMergedFact,
    YearState,
    apply_units_fact,
    compute_progress,
    decide_close_year,
    decide_finalise_target,
    replica_needs,
    decide_progress_events,
    decide_report_training,
    decide_set_target,
    replay_facts,
    targets_touched_by,
    training_fact,
)

UNITS_GOOD = "units_graded_good_or_better"
STAFF_GOOD = "staff_graded_good_or_better"
TRAINING = "staff_training_completed"


def set_cmd(**over):
    fields = {
        "target_id": "ct-2024",
        "year": 2024,
        "metric": STAFF_GOOD,
        "threshold_percent": 95,
        "description": "95% cán bộ, công chức, viên chức và người lao động hoàn thành tốt nhiệm vụ trở lên",
        "set_on": date(2024, 1, 15),
    }
    fields.update(over)
    return SetTarget(**fields)


def target(**over) -> TargetState:
    return fold(TargetState(), decide_set_target(TargetState(), set_cmd(**over), movement=None, year=YearState()))


def numbers(progress: Progress) -> tuple[int, int]:
    return progress.numerator, progress.denominator


# ---------------------------------------------------------------------------- set


class TestSetTarget:
    def test_year_target_defaults_to_all_units(self):
        [event] = decide_set_target(TargetState(), set_cmd(), movement=None, year=YearState())
        assert isinstance(event, TargetSet)
        assert event.metric is TargetMetric.STAFF_GRADED_GOOD_OR_BETTER and event.scope.all_units
        assert event.threshold_percent == Decimal(95) and event.movement_id is None

    def test_movement_target_takes_the_movement_scope(self, movement):
        [event] = decide_set_target(
            TargetState(), set_cmd(movement_id=MOVEMENT_ID), movement=movement, year=YearState()
        )
        assert event.scope == UnitScope(unit_ids=UNITS)

    def test_movement_target_with_a_narrower_scope(self, movement):
        [event] = decide_set_target(
            TargetState(),
            set_cmd(movement_id=MOVEMENT_ID, scope={"unit_ids": ["vu-tccb"]}),
            movement=movement,
            year=YearState(),
        )
        assert event.scope.unit_ids == ["vu-tccb"]

    def test_training_target(self):
        [event] = decide_set_target(
            TargetState(),
            set_cmd(metric=TRAINING, training_code="nq-2024", threshold_percent=100),
            movement=None,
            year=YearState(),
        )
        assert event.training_code == "nq-2024"

    def test_unknown_metric(self):
        error = refused(
            "unknown_metric",
            decide_set_target,
            TargetState(),
            set_cmd(metric="units_happy"),
            movement=None,
            year=YearState(),
        )
        assert "units_graded_good_or_better" in error.message and error.details["known"]

    def test_training_code_required_and_not_applicable(self):
        refused(
            "training_code_required",
            decide_set_target,
            TargetState(),
            set_cmd(metric=TRAINING),
            movement=None,
            year=YearState(),
        )
        refused(
            "training_code_not_applicable",
            decide_set_target,
            TargetState(),
            set_cmd(training_code="x"),
            movement=None,
            year=YearState(),
        )

    def test_twice(self):
        error = refused("target_exists", decide_set_target, target(), set_cmd(), movement=None, year=YearState())
        assert isinstance(error, Conflict)

    def test_closed_year(self):
        closed_year = YearState().apply(YearClosed(year=2024, closed_on=date(2025, 1, 5)))
        refused("year_closed", decide_set_target, TargetState(), set_cmd(), movement=None, year=closed_year)

    def test_movement_rules(self, movement):
        refused(
            "movement_not_found",
            decide_set_target,
            TargetState(),
            set_cmd(movement_id="nope"),
            movement=None,
            year=YearState(),
        )
        refused(
            "year_outside_movement_period",
            decide_set_target,
            TargetState(),
            set_cmd(movement_id=MOVEMENT_ID, year=2026),
            movement=movement,
            year=YearState(),
        )
        error = refused(
            "unit_not_in_scope",
            decide_set_target,
            TargetState(),
            set_cmd(movement_id=MOVEMENT_ID, scope={"unit_ids": ["vu-tccb", "vien-x"]}),
            movement=movement,
            year=YearState(),
        )
        assert error.details["unit_ids"] == ["vien-x"]
        refused(
            "unit_not_in_scope",
            decide_set_target,
            TargetState(),
            set_cmd(movement_id=MOVEMENT_ID, scope={"all_units": True}),
            movement=movement,
            year=YearState(),
        )

    def test_all_units_movement_accepts_any_target_scope(self):
        movement = launched_movement(scope={"all_units": True})
        assert decide_set_target(
            TargetState(),
            set_cmd(movement_id=MOVEMENT_ID, scope={"unit_ids": ["x"]}),
            movement=movement,
            year=YearState(),
        )


# ---------------------------------------------------------------------------- progress


class TestComputeProgress:
    def test_units_of_the_ministry(self, replica):
        # vu-tccb HTXS, vu-tdkt HTT, cuc-xnk HT; phong-1 is under cuc-xnk (not counted);
        # vien-x dissolved in June, ungraded (not counted); u-bct is the ministry itself
        progress = compute_progress(target(metric=UNITS_GOOD, threshold_percent=100), replica)
        assert numbers(progress) == (2, 3)
        assert progress.share_percent == Decimal("66.66") and not progress.met

    def test_listed_units(self, replica):
        assert numbers(
            compute_progress(target(metric=UNITS_GOOD, scope={"unit_ids": ["vu-tccb", "phong-1"]}), replica)
        ) == (2, 2)

    def test_a_dissolved_unit_that_was_graded_still_counts(self, replica):
        state = apply_units_fact(replica, UnitEvaluationRecordedFact(unit_id="vien-x", year=2024, grade=Grade.GOOD))
        assert numbers(compute_progress(target(metric=UNITS_GOOD), state)) == (3, 4)

    def test_a_unit_established_during_the_year_counts_ungraded(self, replica):
        state = apply_units_fact(
            replica, UnitEstablishedFact(unit_id="cuc-moi", effective_on=date(2024, 11, 1), parent_id="u-bct")
        )
        assert numbers(compute_progress(target(metric=UNITS_GOOD), state)) == (2, 4)
        later = apply_units_fact(
            replica, UnitEstablishedFact(unit_id="cuc-moi", effective_on=date(2025, 1, 1), parent_id="u-bct")
        )
        assert numbers(compute_progress(target(metric=UNITS_GOOD), later)) == (2, 3)

    def test_a_unit_correction_changes_the_numbers(self, replica):
        state = apply_units_fact(replica, UnitEvaluationCorrectedFact(unit_id="cuc-xnk", year=2024, grade=Grade.GOOD))
        progress = compute_progress(target(metric=UNITS_GOOD, threshold_percent=100), state)
        assert numbers(progress) == (3, 3) and progress.met and progress.share_percent == 100

    def test_all_staff(self, replica):
        # p1 HTXS, p2 HTT, p3 HT, p4 HTT, p5 HTT, p7 ungraded; p6 retired in May, ungraded
        progress = compute_progress(target(), replica)
        assert numbers(progress) == (4, 6) and not progress.met

    def test_staff_of_a_unit_include_its_sub_units(self, replica):
        assert numbers(compute_progress(target(scope={"unit_ids": ["cuc-xnk"]}), replica)) == (1, 2)  # p3, p4

    def test_a_grade_correction_changes_the_numbers(self, replica):
        state = apply_units_fact(replica, PersonEvaluationCorrectedFact(person_id="p3", year=2024, grade=Grade.GOOD))
        assert numbers(compute_progress(target(scope={"unit_ids": ["cuc-xnk"]}), state)) == (2, 2)
        worse = apply_units_fact(
            state, PersonEvaluationCorrectedFact(person_id="p4", year=2024, grade=Grade.NOT_COMPLETED)
        )
        assert numbers(compute_progress(target(scope={"unit_ids": ["cuc-xnk"]}), worse)) == (1, 2)

    def test_a_person_transferred_mid_year_counts_in_the_new_unit_only(self):
        base = [
            UnitEstablishedFact(unit_id="a", effective_on=date(2010, 1, 1)),
            UnitEstablishedFact(unit_id="b", effective_on=date(2010, 1, 1)),
            PersonEnrolledFact(person_id="p", unit_id="a", effective_on=date(2020, 1, 1)),
            PersonEvaluationRecordedFact(person_id="p", year=2023, grade=Grade.GOOD, unit_id="a"),
        ]
        before = replay_facts(base)
        in_a, in_b = target(scope={"unit_ids": ["a"]}), target(scope={"unit_ids": ["b"]})
        assert numbers(compute_progress(in_a, before)) == (0, 1)
        assert numbers(compute_progress(in_b, before)) == (0, 0)
        moved = apply_units_fact(
            before, PersonTransferredFact(person_id="p", to_unit_id="b", effective_on=date(2024, 7, 1))
        )
        assert numbers(compute_progress(in_a, moved)) == (0, 0)
        assert numbers(compute_progress(in_b, moved)) == (0, 1)
        graded = apply_units_fact(
            moved, PersonEvaluationRecordedFact(person_id="p", year=2024, grade=Grade.EXCELLENT, unit_id="b")
        )
        assert numbers(compute_progress(in_b, graded)) == (1, 1)
        # the year before is untouched by the transfer
        assert numbers(compute_progress(target(year=2023, scope={"unit_ids": ["a"]}), graded)) == (1, 1)

    def test_the_unit_named_by_the_grade_wins_over_the_timeline(self):
        state = replay_facts(
            [
                PersonEnrolledFact(person_id="p", unit_id="a", effective_on=date(2020, 1, 1)),
                PersonEvaluationRecordedFact(person_id="p", year=2024, grade=Grade.GOOD, unit_id="b"),
            ]
        )
        assert numbers(compute_progress(target(scope={"unit_ids": ["b"]}), state)) == (1, 1)

    def test_someone_who_left_counts_only_if_graded(self, replica):
        graded = apply_units_fact(replica, PersonEvaluationRecordedFact(person_id="p6", year=2024, grade=Grade.GOOD))
        assert numbers(compute_progress(target(scope={"unit_ids": ["vu-tccb"]}), replica)) == (2, 2)
        assert numbers(compute_progress(target(scope={"unit_ids": ["vu-tccb"]}), graded)) == (3, 3)

    def test_someone_leaving_on_1_january_next_year_counts(self, replica):
        state = apply_units_fact(replica, PersonLeftFact(person_id="p7", effective_on=date(2025, 1, 1)))
        assert numbers(compute_progress(target(), state)) == (4, 6)
        state = apply_units_fact(replica, PersonLeftFact(person_id="p7", effective_on=date(2024, 12, 31)))
        assert numbers(compute_progress(target(), state)) == (4, 5)

    def test_people_of_a_merged_unit_count_under_the_absorbing_one(self, replica):
        merged = apply_units_fact(
            replica, UnitMergedFact(unit_id="vu-tccb", into_unit_id="vu-tdkt", effective_on=date(2024, 10, 1))
        )
        # p1, p2 (graded in vu-tccb) now count in vu-tdkt with p5 and p7
        assert numbers(compute_progress(target(scope={"unit_ids": ["vu-tdkt"]}), merged)) == (3, 4)
        assert numbers(compute_progress(target(scope={"unit_ids": ["vu-tccb"]}), merged)) == (0, 0)

    def test_training(self, replica):
        reports = [
            TrainingReportFact(unit_id="vu-tccb", year=2024, training_code="nq-2024", completed=10, headcount=10),
            TrainingReportFact(unit_id="cuc-xnk", year=2024, training_code="nq-2024", completed=8, headcount=10),
            TrainingReportFact(unit_id="phong-1", year=2024, training_code="nq-2024", completed=5, headcount=5),
            TrainingReportFact(unit_id="vu-tdkt", year=2024, training_code="other", completed=0, headcount=9),
            TrainingReportFact(unit_id="vu-tdkt", year=2023, training_code="nq-2024", completed=0, headcount=9),
        ]
        state = replay_facts(reports, replica)
        everyone = target(metric=TRAINING, training_code="nq-2024", threshold_percent=100)
        assert numbers(compute_progress(everyone, state)) == (23, 25)
        assert numbers(
            compute_progress(target(metric=TRAINING, training_code="nq-2024", scope={"unit_ids": ["cuc-xnk"]}), state)
        ) == (13, 15)
        corrected = apply_units_fact(
            state, TrainingReportFact(unit_id="cuc-xnk", year=2024, training_code="nq-2024", completed=10, headcount=10)
        )
        progress = compute_progress(everyone, corrected)
        assert numbers(progress) == (25, 25) and progress.met

    @pytest.mark.parametrize("metric", [UNITS_GOOD, STAFF_GOOD, TRAINING])
    def test_denominator_zero_is_unknown_not_an_error(self, metric):
        t = target(metric=metric, training_code="x" if metric == TRAINING else None)
        progress = compute_progress(t, ReplicaState())
        assert numbers(progress) == (0, 0)
        assert not progress.known and progress.share is None and progress.share_percent is None
        assert not progress.met
        assert decide_progress_events(t, progress) == []

    def test_threshold_is_compared_exactly_and_the_share_rounds_down(self):
        assert not Progress(18_999, 20_000, Decimal(95)).met
        assert Progress(18_999, 20_000, Decimal(95)).share_percent == Decimal("94.99")
        assert Progress(19_000, 20_000, Decimal(95)).met
        assert Progress(2, 3, Decimal("66.67")).share_percent == Decimal("66.66")
        assert not Progress(2, 3, Decimal("66.67")).met
        assert Progress(2, 3, Decimal("66.66")).met
        # share_percent >= threshold exactly when met
        for n in range(0, 201):
            p = Progress(n, 200, Decimal("95.5"))
            assert (p.share_percent >= p.threshold) == p.met


# ---------------------------------------------------------------------------- progress events


class TestProgressEvents:
    def test_published_when_numbers_change_only(self, replica):
        t = target()
        [event] = decide_progress_events(t, compute_progress(t, replica))
        assert isinstance(event, TargetProgressed)
        assert (event.numerator, event.denominator, event.threshold_percent) == (4, 6, 95)
        assert event.share_percent == Decimal("66.66") and event.on_track is False
        t = t.apply(event)
        assert decide_progress_events(t, compute_progress(t, replica)) == []
        better = apply_units_fact(replica, PersonEvaluationRecordedFact(person_id="p7", year=2024, grade=Grade.GOOD))
        [event] = decide_progress_events(t, compute_progress(t, better))
        assert (event.numerator, event.denominator) == (5, 6)

    def test_a_change_of_denominator_alone_is_published(self, replica):
        t = target()
        t = fold(t, decide_progress_events(t, compute_progress(t, replica)))
        left = apply_units_fact(replica, PersonLeftFact(person_id="p7", effective_on=date(2024, 12, 31)))
        [event] = decide_progress_events(t, compute_progress(t, left))
        assert (event.numerator, event.denominator) == (4, 5)

    def test_nothing_once_final(self, replica):
        t = target()
        t = fold(t, decide_finalise_target(t, replica, trigger="year_closed", decided_on=date(2025, 1, 5)))
        assert t.outcome == "missed"
        assert decide_progress_events(t, Progress(6, 6, Decimal(95))) == []

    def test_nothing_for_a_target_never_set(self):
        assert decide_progress_events(TargetState(), Progress(1, 1, Decimal(0))) == []


class TestTouchedTargets:
    def test_selection(self):
        units_2024 = target(target_id="a", metric=UNITS_GOOD)
        staff_2024 = target(target_id="b")
        staff_2025 = target(target_id="c", year=2025)
        training_2024 = target(target_id="d", metric=TRAINING, training_code="nq")
        everything = [units_2024, staff_2024, staff_2025, training_2024]

        def ids(fact):
            return [t.target_id for t in targets_touched_by(fact, everything)]

        assert ids(PersonEvaluationRecordedFact(person_id="p", year=2024, grade=Grade.GOOD)) == ["b"]
        assert ids(UnitEvaluationRecordedFact(unit_id="u", year=2024, grade=Grade.GOOD)) == ["a"]
        assert ids(PersonTransferredFact(person_id="p", to_unit_id="u", effective_on=date(2024, 7, 1))) == ["b", "c"]
        assert ids(PersonTransferredFact(person_id="p", to_unit_id="u", effective_on=date(2025, 1, 1))) == ["c"]
        assert ids(UnitDissolvedFact(unit_id="u", effective_on=date(2024, 5, 1))) == ["a", "b", "c", "d"]
        assert ids(TrainingReportFact(unit_id="u", year=2024, training_code="nq", completed=1, headcount=1)) == ["d"]
        assert ids(TrainingReportFact(unit_id="u", year=2024, training_code="zz", completed=1, headcount=1)) == []

    def test_final_targets_are_not_touched(self, replica):
        t = target()
        t = fold(t, decide_finalise_target(t, replica, trigger="year_closed", decided_on=date(2025, 1, 5)))
        assert targets_touched_by(PersonEvaluationRecordedFact(person_id="p", year=2024, grade=Grade.GOOD), [t]) == []


# ---------------------------------------------------------------------------- closing the year


class TestCloseYear:
    def test_met_and_missed_with_their_numbers(self, replica, movement):
        units_all = target(
            target_id="ct-don-vi",
            metric=UNITS_GOOD,
            threshold_percent=100,
            description="100% các đơn vị hoàn thành tốt nhiệm vụ trở lên",
        )
        staff_tccb = target(target_id="ct-tccb", scope={"unit_ids": ["vu-tccb"]})
        staff_all = target(target_id="ct-cbccvc")
        of_movement = fold(
            TargetState(),
            decide_set_target(
                TargetState(),
                set_cmd(target_id="ct-pt", movement_id=MOVEMENT_ID, metric=UNITS_GOOD, threshold_percent=60),
                movement=movement,
                year=YearState(),
            ),
        )
        next_year = target(target_id="ct-2025", year=2025)
        events = decide_close_year(
            YearState(),
            CloseYear(year=2024),
            targets=[units_all, staff_tccb, staff_all, of_movement, next_year],
            replica=replica,
            today=date(2025, 1, 10),
        )
        assert isinstance(events[0], YearClosed) and events[0].year == 2024 and events[0].subject() == "2024"
        by_id = {e.target_id: e for e in events[1:]}
        assert set(by_id) == {"ct-don-vi", "ct-tccb", "ct-cbccvc", "ct-pt"}
        assert isinstance(by_id["ct-don-vi"], TargetMissed)
        assert (by_id["ct-don-vi"].numerator, by_id["ct-don-vi"].denominator) == (2, 3)
        assert by_id["ct-don-vi"].threshold_percent == 100
        assert isinstance(by_id["ct-tccb"], TargetMet)
        assert (by_id["ct-tccb"].numerator, by_id["ct-tccb"].denominator, by_id["ct-tccb"].share_percent) == (2, 2, 100)
        assert isinstance(by_id["ct-cbccvc"], TargetMissed)
        assert (by_id["ct-cbccvc"].numerator, by_id["ct-cbccvc"].denominator) == (4, 6)
        assert by_id["ct-cbccvc"].threshold_percent == 95 and by_id["ct-cbccvc"].share_percent == Decimal("66.66")
        assert isinstance(by_id["ct-pt"], TargetMet) and by_id["ct-pt"].movement_id == MOVEMENT_ID  # 66.66 ≥ 60
        assert all(e.closed_by.value == "year_closed" and e.decided_on == date(2025, 1, 10) for e in by_id.values())
        # the outcome is in the target's state
        assert units_all.apply(by_id["ct-don-vi"]).outcome == "missed"

    def test_unknown_progress_is_missed_with_no_share(self):
        t = target(scope={"unit_ids": ["nobody"]})
        [_, event] = decide_close_year(
            YearState(), CloseYear(year=2024), targets=[t], replica=ReplicaState(), today=date(2025, 1, 2)
        )
        assert isinstance(event, TargetMissed)
        assert (event.numerator, event.denominator, event.share_percent) == (0, 0, None)

    def test_targets_already_final_are_left(self, replica):
        t = target()
        t = fold(t, decide_finalise_target(t, replica, trigger="movement_closed", decided_on=date(2024, 11, 1)))
        events = decide_close_year(
            YearState(), CloseYear(year=2024), targets=[t], replica=replica, today=date(2025, 1, 2)
        )
        assert [type(e) for e in events] == [YearClosed]
        assert decide_finalise_target(t, replica, trigger="year_closed", decided_on=date(2025, 1, 2)) == []

    def test_not_before_the_year_is_over(self):
        refused(
            "year_not_over",
            decide_close_year,
            YearState(),
            CloseYear(year=2024),
            targets=[],
            replica=ReplicaState(),
            today=date(2024, 12, 31),
        )

    def test_once(self):
        closed_year = YearState().apply(YearClosed(year=2024, closed_on=date(2025, 1, 5)))
        error = refused(
            "year_already_closed",
            decide_close_year,
            closed_year,
            CloseYear(year=2024),
            targets=[],
            replica=ReplicaState(),
            today=date(2025, 2, 1),
        )
        assert isinstance(error, Conflict)


# ---------------------------------------------------------------------------- training reports


class TestTrainingReports:
    def report(self, completed=40, headcount=42):
        return ReportTrainingCompletion(
            unit_id="vu-tccb",
            year=2024,
            training_code="hoc-tap-nghi-quyet-2024",
            completed=completed,
            headcount=headcount,
        )

    def test_report_then_replace(self):
        [event] = decide_report_training(
            TrainingReportState(), self.report(), year=YearState(), today=date(2024, 11, 30)
        )
        assert isinstance(event, TrainingCompletionReported)
        assert event.report_id == "vu-tccb/2024/hoc-tap-nghi-quyet-2024" and event.reported_on == date(2024, 11, 30)
        state = TrainingReportState().apply(event)
        assert decide_report_training(state, self.report(), year=YearState(), today=date(2024, 12, 1)) == []
        [again] = decide_report_training(state, self.report(42), year=YearState(), today=date(2024, 12, 1))
        assert again.completed == 42
        assert training_fact(again) == TrainingReportFact(
            unit_id="vu-tccb", year=2024, training_code="hoc-tap-nghi-quyet-2024", completed=42, headcount=42
        )

    def test_more_completed_than_staff(self):
        refused(
            "completed_exceeds_headcount",
            decide_report_training,
            TrainingReportState(),
            self.report(43),
            year=YearState(),
            today=date(2024, 11, 30),
        )

    def test_closed_year(self):
        closed_year = YearState().apply(YearClosed(year=2024, closed_on=date(2025, 1, 5)))
        refused(
            "year_closed",
            decide_report_training,
            TrainingReportState(),
            self.report(),
            year=closed_year,
            today=date(2025, 1, 6),
        )


class TestReplicaNeeds:
    """A command loads only the part of the replica its targets read (replica_needs); on
    that part the numbers are those of the whole replica."""

    @staticmethod
    def narrowed(replica: ReplicaState, needs: ReplicaNeeds) -> ReplicaState:
        """What projections.replica.load_replica returns for ``needs``, computed in memory."""
        people = {
            pid: replace(p, grades=MappingProxyType(
                {y: g for y, g in p.grades.items() if needs.grade_years is None or y in needs.grade_years}))
            for pid, p in replica.people.items() if needs.people is None or pid in needs.people
        }
        training = {k: v for k, v in replica.training.items() if (k[1], k[2]) in needs.training}
        return ReplicaState(units=replica.units, people=MappingProxyType(people), training=MappingProxyType(training))

    def test_each_metric_names_what_it_reads(self):
        assert replica_needs([target(metric=UNITS_GOOD)]) == TREE_ONLY
        assert replica_needs([target(metric=STAFF_GOOD)]) == ReplicaNeeds(people=None, grade_years=frozenset({2024}))
        assert replica_needs([target(metric=TRAINING, training_code="nq-dang")]) == ReplicaNeeds(
            training=frozenset({(2024, "nq-dang")}))
        both = replica_needs([target(metric=STAFF_GOOD), target(metric=STAFF_GOOD, year=2025),
                              target(metric=TRAINING, training_code="nq-dang")])
        assert both == ReplicaNeeds(people=None, grade_years=frozenset({2024, 2025}),
                                    training=frozenset({(2024, "nq-dang")}))

    def test_a_scope_check_names_the_people_it_reads(self):
        two = ReplicaNeeds(people=frozenset({"p1"})) | ReplicaNeeds(people=frozenset({"p2"}))
        assert two == ReplicaNeeds(people=frozenset({"p1", "p2"}))
        assert (two | ReplicaNeeds(people=None, grade_years=frozenset({2024}))).people is None

    @pytest.mark.parametrize("metric", [UNITS_GOOD, STAFF_GOOD, TRAINING])
    def test_the_numbers_on_the_part_loaded_are_those_of_the_whole(self, replica, metric):
        replica = apply_units_fact(replica, TrainingReportFact(
            unit_id="vu-tccb", year=2024, training_code="nq-dang", completed=4, headcount=5))
        replica = apply_units_fact(replica, PersonEvaluationRecordedFact(
            person_id="p1", year=2023, grade=Grade.COMPLETED, unit_id="vu-tccb"))
        goal = target(metric=metric, training_code="nq-dang" if metric == TRAINING else None)
        part = self.narrowed(replica, replica_needs([goal]))
        assert numbers(compute_progress(goal, part)) == numbers(compute_progress(goal, replica)) != (0, 0)
        if metric != STAFF_GOOD:
            assert not part.people
