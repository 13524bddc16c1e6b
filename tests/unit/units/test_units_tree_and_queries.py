"""The tree as of a date across a rename and a merge; headcount and grades by
unit and year; a person's full record."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from services.units.domain import (
    CorrectEvaluation,
    EstablishUnit,
    ImposeDiscipline,
    MergeUnit,
    MoveUnit,
    OrgTree,
    RecognizeInitiative,
    RecordPersonLeft,
    RenameUnit,
    TransferPerson,
    grades_by_unit,
    headcount_by_unit,
    members_by_unit,
    person_record,
    person_record_from_events,
)
from tdkt_contracts.vocabulary import DisciplineForm, Grade

if TYPE_CHECKING:
    from conftest import World

OLD = "Vụ Thi đua – Khen thưởng"
NEW = "Vụ Thi đua, Khen thưởng và Truyền thông"


@pytest.fixture
def history(ministry: World) -> World:
    """2018–2024 of a small ministry.

    - u-vtdkt is renamed on 2023-03-01, then merged into u-vtccb on 2023-09-01;
    - p-a works in u-vtdkt from 2018 (so under u-vtccb after the merge);
    - p-b works in u-vtccb from 2018;
    - p-c works in u-vtdkt from 2018 and retires on 2023-05-01, before the merge;
    - p-d joins u-vtccb on 2024-02-01;
    - p-e works in u-vtccb and leaves on 2023-01-01 (last day 2022-12-31).
    """
    w = ministry
    w.enrol("p-a", "u-vtdkt", name="Nguyễn Thị Hương")
    w.enrol("p-b", "u-vtccb", name="Trần Văn Minh", sex="male")
    w.enrol("p-c", "u-vtdkt", name="Lê Thị Lan", born="1963-05-01", joined="1985-09-01")
    w.enrol("p-e", "u-vtccb", name="Phạm Quốc Huy", sex="male")
    w.run(RecordPersonLeft(person_id="p-e", reason="thoi_viec", effective_on="2023-01-01"))
    w.run(RenameUnit(unit_id="u-vtdkt", name=NEW, effective_on="2023-03-01", decision_number="412/QĐ-BCT"))
    w.run(RecordPersonLeft(person_id="p-c", reason="nghi_huu", effective_on="2023-05-01"))
    w.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2023-09-01"))
    w.enrol("p-d", "u-vtccb", name="Hoàng Minh Đức", sex="male", on="2024-02-01", joined="2024-02-01",
            born="1998-10-10")
    return w


# --------------------------------------------------------------------------- tree as of a date


def test_tree_as_of_dates_across_rename_and_merge(history: World) -> None:
    tree = history.tree
    s2022 = tree.as_of(date(2022, 12, 31))
    assert s2022.name_of("u-vtdkt") == OLD
    assert s2022.children("u-bct") == ("u-cuc", "u-vtccb", "u-vtdkt")
    assert s2022.path("u-vtdkt") == ["Bộ Công Thương", OLD]

    s_mid = tree.as_of(date(2023, 6, 1))
    assert s_mid.name_of("u-vtdkt") == NEW

    s_after = tree.as_of(date(2023, 9, 1))
    assert "u-vtdkt" not in s_after
    assert s_after.children("u-bct") == ("u-cuc", "u-vtccb")
    assert "u-vtdkt" in tree.as_of(date(2023, 8, 31))


def test_report_names_by_year(history: World) -> None:
    tree = history.tree
    assert tree.name_for_year("u-vtdkt", 2022) == OLD
    assert tree.name_for_year("u-vtdkt", 2023) == NEW  # its last day, 2023-08-31
    assert tree.name_on("u-vtdkt", date(2023, 2, 28)) == OLD
    assert tree.name_for_year("u-vtccb", 2023) == "Vụ Tổ chức cán bộ"


def test_snapshot_is_json_ready(history: World) -> None:
    nested = history.tree.as_of(date(2022, 12, 31)).nested()
    assert [n["code"] for n in nested] == ["U-BCT"]
    assert [c["name"] for c in nested[0]["children"]] == [
        "Cục Thương mại điện tử và Kinh tế số", "Vụ Tổ chức cán bộ", OLD]
    assert nested[0]["children"][0]["children"][0]["name"] == "Trung tâm Tin học"
    snapshot = history.tree.as_of(date(2022, 12, 31))
    assert type(snapshot).model_validate_json(snapshot.model_dump_json()) == snapshot


def test_tree_before_anything_is_empty(history: World) -> None:
    snapshot = history.tree.as_of(date(2000, 1, 1))
    assert snapshot.nodes == () and snapshot.roots == ()


def test_moves_change_the_tree_from_their_date(ministry: World) -> None:
    ministry.run(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtccb", effective_on="2022-07-01"))
    tree = ministry.tree
    assert tree.as_of(date(2022, 6, 30)).node("u-ttcntt").parent_id == "u-cuc"  # type: ignore[union-attr]
    assert tree.as_of(date(2022, 7, 1)).node("u-ttcntt").parent_id == "u-vtccb"  # type: ignore[union-attr]
    assert tree.descendants("u-bct") == ["u-cuc", "u-vtccb", "u-vtdkt", "u-ttcntt"]
    assert tree.descendants("u-cuc") == []
    assert tree.descendants("u-cuc", on=date(2022, 1, 1)) == ["u-ttcntt"]


def test_resolve_follows_chains_of_merges(ministry: World) -> None:
    ministry.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2023-01-01"))
    ministry.run(MergeUnit(unit_id="u-vtccb", into_unit_id="u-bct", effective_on="2024-01-01"))
    tree = ministry.tree
    assert tree.resolve("u-vtdkt", date(2022, 12, 31)) == "u-vtdkt"
    assert tree.resolve("u-vtdkt", date(2023, 6, 1)) == "u-vtccb"
    assert tree.resolve("u-vtdkt", date(2024, 6, 1)) == "u-bct"
    assert tree.resolve("u-vtdkt") == "u-bct"
    assert tree.resolve("u-unknown") == "u-unknown"


def test_cycle_helper(ministry: World) -> None:
    tree = ministry.tree
    assert tree.ancestors("u-ttcntt") == ["u-cuc", "u-bct"]
    assert tree.would_create_cycle("u-cuc", "u-ttcntt")
    assert tree.would_create_cycle("u-cuc", "u-cuc")
    assert not tree.would_create_cycle("u-ttcntt", "u-vtccb")
    assert not tree.would_create_cycle("u-cuc", None)


def test_require_active(history: World) -> None:
    from kernel.errors import DomainError

    with pytest.raises(DomainError) as caught:
        history.tree.require_active("u-vtdkt")
    assert caught.value.code == "unit_merged"


# --------------------------------------------------------------------------- headcount


def test_headcount_by_unit_and_year(history: World) -> None:
    people = list(history.people.values())
    tree = history.tree
    # 2022: everyone in place on 31 December (p-e's last day is 2022-12-31)
    assert headcount_by_unit(people, 2022, tree) == {"u-vtccb": 2, "u-vtdkt": 2}
    # 2023: p-a counts under the absorbing unit from the merge date; p-c retired
    # before the merge and counts in the unit she left; p-e no longer counts
    assert members_by_unit(people, 2023, tree) == {"u-vtccb": ["p-a", "p-b"], "u-vtdkt": ["p-c"]}
    # 2024: p-d joins
    assert headcount_by_unit(people, 2024, tree) == {"u-vtccb": 3}
    # before anyone was recorded
    assert headcount_by_unit(people, 2017, tree) == {}
    # the tree helper says the same
    assert tree.headcount(people, 2023) == {"u-vtccb": 2, "u-vtdkt": 1}


def test_headcount_without_tree_uses_recorded_units(history: World) -> None:
    assert headcount_by_unit(history.people.values(), 2023) == {"u-vtccb": 1, "u-vtdkt": 2}


def test_transfer_mid_year_counts_in_the_year_end_unit(ministry: World) -> None:
    ministry.enrol("p-1", "u-vtccb")
    ministry.run(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2023-07-01"))
    people = ministry.people.values()
    assert headcount_by_unit(people, 2022, ministry.tree) == {"u-vtccb": 1}
    assert headcount_by_unit(people, 2023, ministry.tree) == {"u-vtdkt": 1}


def test_enrolled_and_left_within_one_year(ministry: World) -> None:
    ministry.enrol("p-1", "u-vtccb", on="2023-02-01", joined="2023-02-01")
    ministry.run(RecordPersonLeft(person_id="p-1", reason="thoi_viec", effective_on="2023-11-01"))
    assert headcount_by_unit(ministry.people.values(), 2023, ministry.tree) == {"u-vtccb": 1}
    assert headcount_by_unit(ministry.people.values(), 2024, ministry.tree) == {}


# --------------------------------------------------------------------------- grades by unit and year


def test_grades_by_unit_and_year(history: World) -> None:
    w = history
    for pid in ("p-a", "p-b", "p-c", "p-e"):
        w.grade(pid, 2022, "HTT")
    w.grade("p-a", 2023, "HTXS")
    w.grade("p-b", 2023, "HTT")
    w.grade("p-c", 2023, "HT")
    w.run(CorrectEvaluation(subject="person", subject_id="p-b", year=2023, grade="HT", reason="Điều chỉnh"))
    w.grade("u-vtccb", 2023, "HTXS", subject="unit")
    w.grade("u-vtdkt", 2022, "HTT", subject="unit")

    rows = {r.unit_id: r for r in grades_by_unit(w.people.values(), 2023, w.tree)}
    assert set(rows) == {"u-bct", "u-cuc", "u-ttcntt", "u-vtccb", "u-vtdkt"}
    vtccb = rows["u-vtccb"]
    assert vtccb.unit_grade is Grade.EXCELLENT and vtccb.headcount == 2
    assert vtccb.counts == {Grade.EXCELLENT: 1, Grade.GOOD: 0, Grade.COMPLETED: 1, Grade.NOT_COMPLETED: 0}
    assert [(g.person_id, g.grade, g.corrected) for g in vtccb.people] == [
        ("p-a", Grade.EXCELLENT, False), ("p-b", Grade.COMPLETED, True)]
    assert vtccb.ungraded == 0 and vtccb.graded == 2
    vtdkt = rows["u-vtdkt"]
    assert vtdkt.name == NEW and vtdkt.unit_grade is None and vtdkt.counts[Grade.COMPLETED] == 1

    rows_2022 = {r.unit_id: r for r in grades_by_unit(w.people.values(), 2022, w.tree)}
    assert rows_2022["u-vtdkt"].name == OLD and rows_2022["u-vtdkt"].unit_grade is Grade.GOOD
    assert rows_2022["u-vtccb"].counts[Grade.GOOD] == 2 and rows_2022["u-vtdkt"].counts[Grade.GOOD] == 2

    rows_2024 = {r.unit_id: r for r in grades_by_unit(w.people.values(), 2024, w.tree)}
    assert "u-vtdkt" not in rows_2024
    assert rows_2024["u-vtccb"].headcount == 3 and rows_2024["u-vtccb"].ungraded == 3


def test_grade_for_a_year_before_enrolment_counts_in_its_stored_unit(ministry: World) -> None:
    ministry.enrol("p-1", "u-vtdkt", on="2020-01-01")
    ministry.grade("p-1", 2016, "HTXS")
    [row] = [r for r in grades_by_unit(ministry.people.values(), 2016, ministry.tree) if r.unit_id == "u-vtdkt"]
    assert row.counts[Grade.EXCELLENT] == 1 and row.headcount == 0


# --------------------------------------------------------------------------- person record


def test_person_full_record(history: World) -> None:
    w = history
    w.grade("p-a", 2022, "HTXS")
    w.run(CorrectEvaluation(subject="person", subject_id="p-a", year=2022, grade="HTT",
                            reason="Kết luận kiểm tra"))
    w.grade("p-a", 2023, "HTXS")
    w.run(ImposeDiscipline(person_id="p-a", discipline_id="kl-1", form="khien_trach", reason="Chậm trễ",
                           decision_number="5/QĐ-VTCCB", decided_on="2024-03-01", ends_on="2025-02-28"))
    w.run(RecognizeInitiative(initiative_id="sk-1", kind="sang_kien", level="co_so", year=2023,
                              title="Số hóa quy trình xét tặng danh hiệu thi đua", decision_number="1120/QĐ-BCT",
                              decided_on="2023-11-20", author_ids=["p-a", "p-b"], unit_id="u-vtdkt"))
    w.run(RecognizeInitiative(initiative_id="sk-2", kind="de_tai", level="bo", year=2022,
                              title="Nghiên cứu mô hình thi đua khối", decision_number="99/QĐ-BCT",
                              decided_on="2022-12-20", author_ids=["p-b"], unit_id="u-vtccb"))

    record = person_record(w.person("p-a"), initiatives=w.initiatives.values(), tree=w.tree)
    assert record.full_name == "Nguyễn Thị Hương" and record.on_staff
    assert record.unit_id == "u-vtdkt"
    assert record.effective_unit_id == "u-vtccb" and record.effective_unit_name == "Vụ Tổ chức cán bộ"
    assert [(u.unit_id, u.unit_name) for u in record.units] == [("u-vtdkt", OLD)]
    g2022, g2023 = record.grades
    assert (g2022.year, g2022.grade, g2022.recorded_grade, g2022.unit_name) == (2022, Grade.GOOD, Grade.EXCELLENT, OLD)
    assert [c.reason for c in g2022.corrections] == ["Kết luận kiểm tra"]
    assert (g2023.grade, g2023.unit_name) == (Grade.EXCELLENT, NEW)
    assert record.grade_for(2023) is Grade.EXCELLENT and record.grade_for(2019) is None
    assert [d.discipline_id for d in record.disciplines] == ["kl-1"]
    assert record.heaviest_discipline is DisciplineForm.REPRIMAND
    assert [(i.initiative_id, i.co_author_ids) for i in record.initiatives] == [("sk-1", ("p-b",))]
    assert type(record).model_validate_json(record.model_dump_json()) == record

    from_events = person_record_from_events(
        [e for e in w.log if getattr(e, "person_id", None) == "p-a"],
        [e for e in w.log if hasattr(e, "initiative_id")],
        tree=w.tree,
    )
    assert from_events == record


def test_person_record_of_someone_who_left_without_tree(history: World) -> None:
    record = person_record(history.person("p-c"))
    assert not record.on_staff and record.left_on == date(2023, 5, 1)
    assert record.leave_reason == "nghi_huu"
    assert record.effective_unit_id == "u-vtdkt" and record.effective_unit_name is None
    assert record.units[0].end == date(2023, 5, 1)


def test_person_record_needs_an_enrolled_person() -> None:
    from services.units.domain import PersonState

    with pytest.raises(ValueError):
        person_record(PersonState.initial("p-x"))


def test_a_tree_of_established_units_only() -> None:
    tree = OrgTree()
    assert len(tree) == 0 and "u-1" not in tree and tree.get("u-1") is None
    assert EstablishUnit(unit_id="u-1", code="A", name="Vụ A", kind="vu", effective_on="2020-01-01")
