"""Decisions on people: enrol, transfer, leave; grades and corrections; discipline."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import TYPE_CHECKING

import pytest

from services.units.domain import (
    CorrectEvaluation,
    DissolveUnit,
    EndDiscipline,
    EnrolPerson,
    ImposeDiscipline,
    MergeUnit,
    PersonState,
    RecordEvaluation,
    RecordPersonLeft,
    TransferPerson,
    decide_correct_evaluation,
    decide_record_evaluation,
    fold_person,
)
from tdkt_contracts.catalogue.units import (
    DisciplineEnded,
    DisciplineImposed,
    PersonEnrolled,
    PersonEvaluationCorrected,
    PersonEvaluationRecorded,
    PersonLeft,
    PersonProfileRecorded,
    PersonTransferred,
    UnitEvaluationCorrected,
    UnitEvaluationRecorded,
)
from tdkt_contracts.vocabulary import DisciplineForm, Grade

if TYPE_CHECKING:
    from conftest import World


def enrol(person_id: str = "p-1", *, unit_id: str = "u-vtccb", **over: object) -> EnrolPerson:
    data: dict[str, object] = {
        "person_id": person_id,
        "full_name": "Nguyễn Thị Hương",
        "sex": "female",
        "date_of_birth": "1985-04-12",
        "sector_joined_on": "2008-09-01",
        "unit_id": unit_id,
        "position": "Chuyên viên chính",
        "staff_category": "cong_chuc",
        "union_member": True,
        "effective_on": "2018-01-01",
    }
    data.update(over)
    return EnrolPerson.parse(data)


def grade(subject_id: str, year: int, value: str, subject: str = "person") -> RecordEvaluation:
    return RecordEvaluation(subject=subject, subject_id=subject_id, year=year, grade=value)


def correct(subject_id: str, year: int, value: str, subject: str = "person",
            reason: str = "Điều chỉnh theo kết luận kiểm tra") -> CorrectEvaluation:
    return CorrectEvaluation(subject=subject, subject_id=subject_id, year=year, grade=value, reason=reason)


# --------------------------------------------------------------------------- enrol


def test_enrol(ministry: World) -> None:
    [event, profile] = ministry.run(enrol())
    assert isinstance(event, PersonEnrolled)
    assert event.full_name == "Nguyễn Thị Hương" and event.effective_on == date(2018, 1, 1)
    # Birth date, sex and union membership travel on the internal topic only.
    assert isinstance(profile, PersonProfileRecorded) and profile.topic() == "tdkt.units.internal"
    assert "date_of_birth" not in event.model_dump() and profile.date_of_birth is not None
    person = ministry.person("p-1")
    assert person.exists and person.unit_id == "u-vtccb" and person.position == "Chuyên viên chính"
    assert person.unit_on(date(2017, 12, 31)) is None and person.unit_on(date(2018, 1, 1)) == "u-vtccb"


def test_enrol_decomposed_name_stored_as_nfc(ministry: World) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    [event, _] = ministry.run(enrol(full_name=f" {decomposed} "))
    assert event.full_name == "Nguyễn Thị Hương"  # type: ignore[attr-defined]
    assert ministry.person("p-1").full_name == "Nguyễn Thị Hương"
    assert PersonEnrolled.model_validate_json(event.model_dump_json()).full_name == "Nguyễn Thị Hương"  # type: ignore[attr-defined]


def test_enrol_effective_date_defaults_to_joining_the_sector(ministry: World) -> None:
    [event, _] = ministry.run(enrol(effective_on=None, sector_joined_on="2016-03-01"))
    assert event.effective_on == date(2016, 3, 1)  # type: ignore[attr-defined]


def test_enrol_twice_is_person_exists(ministry: World) -> None:
    ministry.run(enrol())
    error = ministry.refuse(enrol(unit_id="u-vtdkt"), "person_exists")
    assert error.status == 409
    ministry.run(RecordPersonLeft(person_id="p-1", reason="nghi_huu", effective_on="2024-01-01"))
    ministry.refuse(enrol(), "person_exists")


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"unit_id": "u-none"}, "unit_not_found"),
        ({"date_of_birth": "2026-01-01"}, "birth_date_implausible"),
        ({"date_of_birth": "1900-01-01"}, "birth_date_implausible"),
        ({"date_of_birth": "2000-01-01"}, "birth_date_implausible"),  # joined the sector aged 8
        ({"sector_joined_on": "2025-08-01", "effective_on": "2025-08-01"}, "date_in_future"),
        ({"effective_on": "2025-07-01"}, "date_in_future"),
        ({"effective_on": "2008-08-31"}, "invalid_period"),
        ({"effective_on": "2014-12-31"}, "unit_not_established"),
    ],
)
def test_enrol_refusals(ministry: World, over: dict[str, object], code: str) -> None:
    ministry.refuse(enrol(**over), code)


def test_enrol_into_closed_units(ministry: World) -> None:
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))
    ministry.refuse(enrol(unit_id="u-vtdkt"), "unit_dissolved")
    ministry.run(MergeUnit(unit_id="u-vtccb", into_unit_id="u-bct", effective_on="2024-01-01"))
    ministry.refuse(enrol(unit_id="u-vtccb"), "unit_merged")


# --------------------------------------------------------------------------- transfer and leave


def test_transfer(ministry: World) -> None:
    ministry.run(enrol())
    [event] = ministry.run(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2024-07-01",
                                          position="Phó Vụ trưởng", decision_number="1502/QĐ-BCT"))
    assert event == PersonTransferred(person_id="p-1", from_unit_id="u-vtccb", to_unit_id="u-vtdkt",
                                      position="Phó Vụ trưởng", effective_on=date(2024, 7, 1),
                                      decision_number="1502/QĐ-BCT")
    person = ministry.person("p-1")
    assert person.unit_id == "u-vtdkt" and person.position == "Phó Vụ trưởng"
    assert [(s.unit_id, s.start, s.end) for s in person.stints] == [
        ("u-vtccb", date(2018, 1, 1), date(2024, 7, 1)),
        ("u-vtdkt", date(2024, 7, 1), None),
    ]
    assert person.unit_on(date(2024, 6, 30)) == "u-vtccb"


def test_transfer_keeps_position_by_default(ministry: World) -> None:
    ministry.run(enrol())
    [event] = ministry.run(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2024-07-01"))
    assert event.position == "Chuyên viên chính"  # type: ignore[attr-defined]


def test_transfer_refusals(ministry: World) -> None:
    ministry.refuse(TransferPerson(person_id="p-x", to_unit_id="u-vtdkt", effective_on="2024-01-01"),
                    "person_not_found")
    ministry.run(enrol())
    ministry.refuse(TransferPerson(person_id="p-1", to_unit_id="u-vtccb", effective_on="2024-01-01"), "same_unit")
    ministry.refuse(TransferPerson(person_id="p-1", to_unit_id="u-none", effective_on="2024-01-01"),
                    "unit_not_found")
    ministry.refuse(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2025-07-01"),
                    "date_in_future")
    ministry.refuse(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2017-01-01"),
                    "effective_date_out_of_order")
    ministry.run(RecordPersonLeft(person_id="p-1", reason="nghi_huu", effective_on="2024-10-01"))
    error = ministry.refuse(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2024-11-01"),
                            "person_left")
    assert error.details["left_on"] == "2024-10-01"


def test_leave(ministry: World) -> None:
    ministry.run(enrol())
    [event] = ministry.run(RecordPersonLeft(person_id="p-1", reason="nghi_huu", effective_on="2024-10-01",
                                            note="Nghỉ hưu theo chế độ"))
    assert event == PersonLeft(person_id="p-1", unit_id="u-vtccb", reason="nghi_huu",
                               effective_on=date(2024, 10, 1), note="Nghỉ hưu theo chế độ")
    person = ministry.person("p-1")
    assert person.has_left and person.unit_id == "u-vtccb" and person.last_working_year == 2024
    assert person.unit_on(date(2024, 9, 30)) == "u-vtccb" and person.unit_on(date(2024, 10, 1)) is None


def test_leave_refusals(ministry: World) -> None:
    ministry.refuse(RecordPersonLeft(person_id="p-x", reason="thoi_viec", effective_on="2024-01-01"),
                    "person_not_found")
    ministry.run(enrol())
    ministry.refuse(RecordPersonLeft(person_id="p-1", reason="thoi_viec", effective_on="2025-07-01"),
                    "date_in_future")
    ministry.refuse(RecordPersonLeft(person_id="p-1", reason="thoi_viec", effective_on="2017-12-31"),
                    "effective_date_out_of_order")
    ministry.run(RecordPersonLeft(person_id="p-1", reason="thoi_viec", effective_on="2024-01-01"))
    ministry.refuse(RecordPersonLeft(person_id="p-1", reason="nghi_huu", effective_on="2024-02-01"), "person_left")


# --------------------------------------------------------------------------- person grades


def test_record_and_correct_a_person_grade(ministry: World) -> None:
    ministry.run(enrol())
    [recorded] = ministry.run(grade("p-1", 2023, "HTXS"))
    assert recorded == PersonEvaluationRecorded(person_id="p-1", year=2023, grade=Grade.EXCELLENT, unit_id="u-vtccb")
    [corrected] = ministry.run(correct("p-1", 2023, "HTT"))
    assert corrected == PersonEvaluationCorrected(person_id="p-1", year=2023, grade=Grade.GOOD,
                                                  previous_grade=Grade.EXCELLENT, unit_id="u-vtccb",
                                                  reason="Điều chỉnh theo kết luận kiểm tra")
    ministry.run(correct("p-1", 2023, "HT", reason="Bị kỷ luật trong năm"))
    record = ministry.person("p-1").grade_for(2023)
    assert record is not None
    assert record.grade is Grade.COMPLETED and record.recorded_grade is Grade.EXCELLENT
    assert [(c.previous_grade, c.grade) for c in record.corrections] == [
        (Grade.EXCELLENT, Grade.GOOD), (Grade.GOOD, Grade.COMPLETED)]
    # never an overwrite: both facts are in the log
    assert sum(isinstance(e, PersonEvaluationRecorded) for e in ministry.log) == 1
    assert sum(isinstance(e, PersonEvaluationCorrected) for e in ministry.log) == 2


def test_grade_unit_is_the_unit_at_year_end(ministry: World) -> None:
    ministry.run(enrol())
    ministry.run(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2024-07-01"))
    [event] = ministry.run(grade("p-1", 2023, "HTT"))
    assert event.unit_id == "u-vtccb"  # type: ignore[attr-defined]
    [event] = ministry.run(grade("p-1", 2024, "HTT"))
    assert event.unit_id == "u-vtdkt"  # type: ignore[attr-defined]
    [event] = ministry.run(grade("p-1", 2012, "HT"))  # before enrolment: first known unit
    assert event.unit_id == "u-vtccb"  # type: ignore[attr-defined]


def test_grade_in_the_year_of_leaving_is_allowed(ministry: World) -> None:
    ministry.run(enrol())
    ministry.run(RecordPersonLeft(person_id="p-1", reason="nghi_huu", effective_on="2024-10-01"))
    ministry.run(grade("p-1", 2024, "HTT"))
    ministry.refuse(grade("p-1", 2025, "HTT"), "person_left")


def test_leaving_on_1_january_closes_the_previous_year(ministry: World) -> None:
    ministry.run(enrol())
    ministry.run(RecordPersonLeft(person_id="p-1", reason="nghi_huu", effective_on="2024-01-01"))
    ministry.run(grade("p-1", 2023, "HTT"))
    ministry.refuse(grade("p-1", 2024, "HTT"), "person_left")


def test_person_grade_refusals(ministry: World) -> None:
    ministry.refuse(grade("p-x", 2023, "HTT"), "person_not_found")
    ministry.run(enrol())
    error = ministry.refuse(grade("p-1", 2026, "HTT"), "grade_future_year")
    assert error.details["year"] == 2026
    ministry.refuse(grade("p-1", 2007, "HTT"), "grade_before_joining")
    ministry.run(grade("p-1", 2023, "HTT"))
    error = ministry.refuse(grade("p-1", 2023, "HTXS"), "grade_exists")
    assert error.status == 409 and "correction" in error.message


def test_current_year_can_be_graded(ministry: World) -> None:
    ministry.run(enrol())
    ministry.run(grade("p-1", 2025, "HTT"))


def test_person_correction_refusals(ministry: World) -> None:
    ministry.refuse(correct("p-x", 2023, "HTT"), "person_not_found")
    ministry.run(enrol())
    error = ministry.refuse(correct("p-1", 2023, "HTT"), "grade_not_found")
    assert error.status == 404
    ministry.run(grade("p-1", 2023, "HTT"))
    ministry.refuse(correct("p-1", 2023, "HTT"), "same_grade")
    ministry.run(correct("p-1", 2023, "HT"))
    ministry.refuse(correct("p-1", 2023, "HT"), "same_grade")


def test_evaluation_subject_must_match_the_state() -> None:
    with pytest.raises(TypeError):
        decide_record_evaluation(PersonState(), grade("u-1", 2023, "HTT", subject="unit"), today=date(2025, 1, 1))
    with pytest.raises(TypeError):
        decide_correct_evaluation(PersonState(), correct("u-1", 2023, "HTT", subject="unit"))


# --------------------------------------------------------------------------- unit grades


def test_record_and_correct_a_unit_grade(ministry: World) -> None:
    [event] = ministry.run(grade("u-vtccb", 2023, "HTXS", subject="unit"))
    assert event == UnitEvaluationRecorded(unit_id="u-vtccb", year=2023, grade=Grade.EXCELLENT)
    [event] = ministry.run(correct("u-vtccb", 2023, "HTT", subject="unit"))
    assert event == UnitEvaluationCorrected(unit_id="u-vtccb", year=2023, grade=Grade.GOOD,
                                            previous_grade=Grade.EXCELLENT,
                                            reason="Điều chỉnh theo kết luận kiểm tra")
    record = ministry.unit("u-vtccb").grade_for(2023)
    assert record is not None and record.grade is Grade.GOOD and record.corrected


def test_unit_grade_refusals(ministry: World) -> None:
    ministry.refuse(grade("u-x", 2023, "HTT", subject="unit"), "unit_not_found")
    ministry.refuse(grade("u-vtccb", 2026, "HTT", subject="unit"), "grade_future_year")
    ministry.refuse(grade("u-vtccb", 2014, "HTT", subject="unit"), "grade_before_established")
    ministry.run(grade("u-vtccb", 2023, "HTT", subject="unit"))
    ministry.refuse(grade("u-vtccb", 2023, "HT", subject="unit"), "grade_exists")
    ministry.refuse(correct("u-vtccb", 2022, "HT", subject="unit"), "grade_not_found")
    ministry.refuse(correct("u-vtccb", 2023, "HTT", subject="unit"), "same_grade")
    ministry.refuse(correct("u-x", 2023, "HTT", subject="unit"), "unit_not_found")


def test_closed_unit_can_be_graded_for_its_last_year_only(ministry: World) -> None:
    ministry.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2024-09-01"))
    ministry.run(grade("u-vtdkt", 2024, "HTT", subject="unit"))
    ministry.refuse(grade("u-vtdkt", 2025, "HTT", subject="unit"), "unit_merged")
    ministry.run(DissolveUnit(unit_id="u-vtccb", effective_on="2025-01-01"))
    ministry.run(grade("u-vtccb", 2024, "HTT", subject="unit"))
    ministry.refuse(grade("u-vtccb", 2025, "HTT", subject="unit"), "unit_dissolved")


# --------------------------------------------------------------------------- discipline


def impose(discipline_id: str = "kl-1", **over: object) -> ImposeDiscipline:
    data: dict[str, object] = {
        "person_id": "p-1",
        "discipline_id": discipline_id,
        "form": "khien_trach",
        "reason": "Vi phạm quy chế làm việc",
        "decision_number": "77/QĐ-VTCCB",
        "decided_on": "2024-03-15",
        "ends_on": "2025-03-14",
    }
    data.update(over)
    return ImposeDiscipline.parse(data)


def test_impose_and_end_discipline(ministry: World) -> None:
    ministry.run(enrol())
    [event] = ministry.run(impose())
    assert isinstance(event, DisciplineImposed) and event.audience == "internal"
    assert event.starts_on == date(2024, 3, 15)  # defaults to the decision date
    person = ministry.person("p-1")
    record = person.discipline("kl-1")
    assert record is not None and record.form is DisciplineForm.REPRIMAND
    assert record.in_force_on(date(2025, 3, 14)) and not record.in_force_on(date(2025, 3, 15))
    assert person.disciplines_in_force_on(date(2024, 6, 1)) == [record]

    [event] = ministry.run(EndDiscipline(person_id="p-1", discipline_id="kl-1", ended_on="2024-09-30",
                                         ending="het_thoi_han"))
    assert isinstance(event, DisciplineEnded) and event.topic() == "tdkt.units.internal"
    record = ministry.person("p-1").discipline("kl-1")
    assert record is not None and record.ended and record.last_day == date(2024, 9, 30)
    assert not record.in_force_on(date(2024, 10, 1)) and record.in_force_on(date(2024, 9, 30))


def test_annulled_discipline_was_never_in_force(ministry: World) -> None:
    ministry.run(enrol())
    ministry.run(impose())
    ministry.run(EndDiscipline(person_id="p-1", discipline_id="kl-1", ended_on="2024-05-01", ending="huy_bo",
                               note="Quyết định 90/QĐ-BCT hủy bỏ quyết định kỷ luật"))
    record = ministry.person("p-1").discipline("kl-1")
    assert record is not None and record.annulled and not record.in_force_on(date(2024, 4, 1))


def test_discipline_may_be_imposed_after_leaving(ministry: World) -> None:
    ministry.run(enrol())
    ministry.run(RecordPersonLeft(person_id="p-1", reason="nghi_huu", effective_on="2024-01-01"))
    ministry.run(impose(form="canh_cao", ends_on=None))


def test_discipline_refusals(ministry: World) -> None:
    ministry.refuse(impose(), "person_not_found")
    ministry.run(enrol())
    ministry.refuse(impose(decided_on="2025-07-01", ends_on=None), "date_in_future")
    ministry.refuse(impose(starts_on="2024-03-01"), "invalid_period")
    ministry.refuse(impose(ends_on="2024-03-14"), "invalid_period")
    ministry.run(impose())
    ministry.refuse(impose(), "discipline_exists")


def test_end_discipline_refusals(ministry: World) -> None:
    end = EndDiscipline(person_id="p-1", discipline_id="kl-1", ended_on="2025-03-14", ending="het_thoi_han")
    ministry.refuse(end, "person_not_found")
    ministry.run(enrol())
    error = ministry.refuse(end, "discipline_not_found")
    assert error.status == 404
    ministry.run(impose())
    ministry.refuse(EndDiscipline(person_id="p-1", discipline_id="kl-1", ended_on="2025-07-01",
                                  ending="het_thoi_han"), "date_in_future")
    ministry.refuse(EndDiscipline(person_id="p-1", discipline_id="kl-1", ended_on="2024-03-14",
                                  ending="huy_bo"), "invalid_period")
    ministry.run(end)
    ministry.refuse(end, "discipline_already_ended")


# --------------------------------------------------------------------------- fold


def test_person_fold_matches_incremental_state(ministry: World) -> None:
    ministry.run(enrol())
    ministry.run(grade("p-1", 2023, "HTXS"))
    ministry.run(correct("p-1", 2023, "HTT"))
    ministry.run(impose())
    ministry.run(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2024-07-01"))
    ministry.run(RecordPersonLeft(person_id="p-1", reason="chuyen_cong_tac", effective_on="2025-01-01"))
    events = [e for e in ministry.log if getattr(e, "person_id", None) == "p-1"]
    state = fold_person(events)
    assert state == ministry.person("p-1")
    assert state.version == len(events) == 7  # the enrolment and its profile, then five
    assert PersonState.model_validate_json(state.model_dump_json()) == state
    # apply never fails and never mutates
    assert fold_person(events[1:]).exists is False



def test_enrol_without_a_first_day_starts_with_the_unit_when_the_sector_came_first(ministry: World) -> None:
    # u-vtccb was founded on 2015-01-01; she joined the sector in 2005.
    [event, _] = ministry.run(enrol(effective_on=None, sector_joined_on="2005-09-01"))
    assert event.effective_on == date(2015, 1, 1)  # type: ignore[attr-defined]
    assert event.sector_joined_on == date(2005, 9, 1)  # type: ignore[attr-defined]
