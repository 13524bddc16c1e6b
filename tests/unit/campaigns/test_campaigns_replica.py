"""The units replica: pure apply functions, never failing, idempotent."""

from __future__ import annotations

from datetime import date

from campaigns_testkit import sample_replica
from tdkt_contracts.catalogue.campaigns import UnitScope
from tdkt_contracts.vocabulary import Grade

from services.campaigns.domain import (
    PersonEnrolledFact,
    PersonEvaluationCorrectedFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    ReplicaState,
    TrainingReportFact,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationCorrectedFact,
    UnitEvaluationRecordedFact,
    UnitMergedFact,
    UnitMovedFact,
    apply_units_fact,
    replay_facts,
)
from services.campaigns.domain.replica import in_scope_subtree, years_affected


def test_apply_returns_a_new_state_and_leaves_the_old_one():
    empty = ReplicaState()
    after = apply_units_fact(empty, UnitEstablishedFact(unit_id="u", effective_on=date(2020, 1, 1)))
    assert "u" in after.units and "u" not in empty.units


def test_every_fact_is_idempotent():
    facts = [
        UnitEstablishedFact(unit_id="u", effective_on=date(2020, 1, 1), parent_id="root"),
        UnitMovedFact(unit_id="u", parent_id="other", effective_on=date(2023, 1, 1)),
        UnitEvaluationRecordedFact(unit_id="u", year=2024, grade=Grade.GOOD),
        UnitEvaluationCorrectedFact(unit_id="u", year=2024, grade=Grade.COMPLETED),
        UnitMergedFact(unit_id="u", into_unit_id="v", effective_on=date(2025, 1, 1)),
        UnitDissolvedFact(unit_id="w", effective_on=date(2025, 1, 1)),
        PersonEnrolledFact(person_id="p", unit_id="u", effective_on=date(2020, 1, 1)),
        PersonTransferredFact(person_id="p", to_unit_id="v", effective_on=date(2024, 7, 1)),
        PersonEvaluationRecordedFact(person_id="p", year=2024, grade=Grade.GOOD, unit_id="v"),
        PersonEvaluationCorrectedFact(person_id="p", year=2024, grade=Grade.EXCELLENT),
        PersonLeftFact(person_id="p", effective_on=date(2025, 3, 1)),
        TrainingReportFact(unit_id="u", year=2024, training_code="t", completed=3, headcount=4),
    ]
    once = replay_facts(facts)
    twice = replay_facts(facts, once)
    assert once == twice


def test_facts_out_of_order_do_not_fail():
    # a person enrolled in a unit the replica has not heard of; a grade for an unknown unit;
    # a transfer and a departure before the enrolment arrives
    state = replay_facts(
        [
            PersonTransferredFact(person_id="p", to_unit_id="b", effective_on=date(2024, 7, 1)),
            PersonLeftFact(person_id="q", effective_on=date(2024, 3, 1)),
            UnitEvaluationRecordedFact(unit_id="ghost", year=2024, grade=Grade.GOOD),
            PersonEnrolledFact(person_id="p", unit_id="a", effective_on=date(2020, 1, 1)),
        ]
    )
    person = state.people["p"]
    assert person.unit_on(date(2024, 6, 30)) == "a" and person.unit_on(date(2024, 7, 1)) == "b"
    assert state.people["q"].unit_on(date(2024, 12, 31)) is None
    assert not state.units["ghost"].active_on(date(2024, 12, 31))  # never established


def test_unit_lifetime_ends_the_day_before_dissolution():
    state = replay_facts(
        [
            UnitEstablishedFact(unit_id="u", effective_on=date(2020, 1, 1)),
            UnitDissolvedFact(unit_id="u", effective_on=date(2024, 6, 1)),
        ]
    )
    unit = state.units["u"]
    assert unit.active_on(date(2024, 5, 31)) and not unit.active_on(date(2024, 6, 1))
    assert not unit.active_on(date(2019, 12, 31))


def test_a_correction_replaces_the_grade_and_keeps_the_unit():
    state = replay_facts(
        [
            PersonEvaluationRecordedFact(person_id="p", year=2024, grade=Grade.EXCELLENT, unit_id="u"),
            PersonEvaluationCorrectedFact(person_id="p", year=2024, grade=Grade.COMPLETED),
        ]
    )
    assert state.people["p"].grades[2024] == (Grade.COMPLETED, "u")


def test_a_later_training_report_replaces_the_earlier_one():
    state = replay_facts(
        [
            TrainingReportFact(unit_id="u", year=2024, training_code="t", completed=3, headcount=10),
            TrainingReportFact(unit_id="u", year=2024, training_code="t", completed=9, headcount=10),
        ]
    )
    assert state.training[("u", 2024, "t")] == (9, 10)


def test_merges_are_followed_from_their_date():
    state = replay_facts(
        [
            UnitEstablishedFact(unit_id="a", effective_on=date(2020, 1, 1)),
            UnitEstablishedFact(unit_id="b", effective_on=date(2020, 1, 1)),
            UnitEstablishedFact(unit_id="c", effective_on=date(2020, 1, 1)),
            UnitMergedFact(unit_id="a", into_unit_id="b", effective_on=date(2024, 10, 1)),
            UnitMergedFact(unit_id="b", into_unit_id="c", effective_on=date(2025, 6, 1)),
        ]
    )
    assert state.tree.resolve("a", date(2024, 9, 30)) == "a"
    assert state.tree.resolve("a", date(2024, 12, 31)) == "b"
    assert state.tree.resolve("a", date(2025, 12, 31)) == "c"


def test_merge_cycles_in_bad_data_stop():
    state = replay_facts(
        [
            UnitMergedFact(unit_id="a", into_unit_id="b", effective_on=date(2024, 1, 1)),
            UnitMergedFact(unit_id="b", into_unit_id="a", effective_on=date(2024, 1, 1)),
        ]
    )
    assert state.tree.resolve("a", date(2024, 12, 31)) in {"a", "b"}


def test_scope_subtree_follows_the_tree_on_the_date(replica):
    listed = UnitScope(unit_ids=["cuc-xnk"])
    day = date(2024, 12, 31)
    assert in_scope_subtree(replica, "phong-1", listed, day)
    assert in_scope_subtree(replica, "cuc-xnk", listed, day)
    assert not in_scope_subtree(replica, "vu-tccb", listed, day)
    moved = apply_units_fact(
        replica, UnitMovedFact(unit_id="phong-1", parent_id="vu-tccb", effective_on=date(2024, 3, 1))
    )
    assert not in_scope_subtree(moved, "phong-1", listed, day)
    assert in_scope_subtree(moved, "phong-1", listed, date(2024, 2, 28))


def test_person_timeline(replica):
    p5 = replica.people["p5"]
    assert p5.unit_on(date(2024, 6, 30)) == "vu-tccb" and p5.unit_on(date(2024, 12, 31)) == "vu-tdkt"
    p6 = replica.people["p6"]
    assert p6.unit_on(date(2024, 12, 31)) is None and p6.last_unit_in(2024) == "vu-tccb"


def test_years_affected():
    assert years_affected(UnitEvaluationRecordedFact(unit_id="u", year=2024, grade=Grade.GOOD)) == (2024, 2024)
    assert years_affected(PersonEvaluationCorrectedFact(person_id="p", year=2023, grade=Grade.GOOD)) == (2023, 2023)
    assert years_affected(PersonTransferredFact(person_id="p", to_unit_id="u", effective_on=date(2024, 7, 1))) == (
        2024,
        None,
    )


def test_sample_replica_is_stable():
    assert sample_replica() == sample_replica()
