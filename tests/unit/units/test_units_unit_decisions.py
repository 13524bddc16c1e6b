"""Decisions on units: establish, rename, move, merge, dissolve — acceptance and every refusal."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from services.units.domain import (
    DissolveUnit,
    EstablishUnit,
    MergeUnit,
    MoveUnit,
    OrgTree,
    RenameUnit,
    TransferPerson,
    UnitState,
    UnitStatus,
    fold_unit,
)
from tdkt_contracts.catalogue.units import UnitDissolved, UnitEstablished, UnitMerged, UnitMoved, UnitRenamed

if TYPE_CHECKING:
    from conftest import World


def establish(unit_id: str = "u-vpc", *, code: str = "VPC", parent: str | None = "u-bct",
              on: str = "2020-01-01", name: str = "Vụ Pháp chế") -> EstablishUnit:
    return EstablishUnit(unit_id=unit_id, code=code, name=name, kind="vu", parent_id=parent, effective_on=on)


# --------------------------------------------------------------------------- establish


def test_establish(ministry: World) -> None:
    [event] = ministry.run(establish(on="2020-01-01"))
    assert event == UnitEstablished(
        unit_id="u-vpc", code="VPC", name="Vụ Pháp chế", kind="vu", parent_id="u-bct", effective_on=date(2020, 1, 1)
    )
    unit = ministry.unit("u-vpc")
    assert unit.active and unit.name == "Vụ Pháp chế" and unit.parent_id == "u-bct" and unit.version == 1
    assert ministry.tree.children("u-bct") == ["u-cuc", "u-vpc", "u-vtccb", "u-vtdkt"]


def test_establish_top_level(world: World) -> None:
    world.run(establish(parent=None))
    assert world.tree.ancestors("u-vpc") == []


def test_establish_twice_is_unit_exists(ministry: World) -> None:
    ministry.run(establish())
    ministry.refuse(establish(code="VPC2"), "unit_exists")


def test_establish_code_taken(ministry: World) -> None:
    error = ministry.refuse(establish(code="u-vtccb"), "unit_code_taken")
    assert error.details["unit_id"] == "u-vtccb"
    assert error.status == 409


def test_establish_code_of_a_dissolved_unit_can_be_reused(ministry: World) -> None:
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))
    ministry.run(establish(code="U-VTDKT", on="2024-01-01"))


def test_establish_under_unknown_parent(ministry: World) -> None:
    error = ministry.refuse(establish(parent="u-nowhere"), "unit_not_found")
    assert error.status == 404


def test_establish_under_dissolved_parent(ministry: World) -> None:
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))
    ministry.refuse(establish(parent="u-vtdkt"), "unit_dissolved")


def test_establish_under_merged_parent(ministry: World) -> None:
    ministry.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2024-01-01"))
    error = ministry.refuse(establish(parent="u-vtdkt"), "unit_merged")
    assert error.details["into_unit_id"] == "u-vtccb"


def test_establish_before_parent_existed(ministry: World) -> None:
    ministry.refuse(establish(on="2006-01-01"), "unit_not_established")


def test_establish_in_the_future(ministry: World) -> None:
    ministry.refuse(establish(on="2025-07-01"), "date_in_future")


# --------------------------------------------------------------------------- rename


def test_rename_keeps_identity_and_history(ministry: World) -> None:
    [event] = ministry.run(RenameUnit(unit_id="u-vtdkt", name="Vụ Thi đua, Khen thưởng và Truyền thông",
                                      effective_on="2023-03-01", decision_number="412/QĐ-BCT"))
    assert isinstance(event, UnitRenamed) and event.previous_name == "Vụ Thi đua – Khen thưởng"
    unit = ministry.unit("u-vtdkt")
    assert unit.unit_id == "u-vtdkt" and unit.code == "U-VTDKT"
    assert unit.name == "Vụ Thi đua, Khen thưởng và Truyền thông"
    assert unit.name_on(date(2023, 2, 28)) == "Vụ Thi đua – Khen thưởng"
    assert unit.name_on(date(2023, 3, 1)) == "Vụ Thi đua, Khen thưởng và Truyền thông"
    assert [n.name for n in unit.names] == ["Vụ Thi đua – Khen thưởng", "Vụ Thi đua, Khen thưởng và Truyền thông"]


def test_rename_refusals(ministry: World) -> None:
    ministry.refuse(RenameUnit(unit_id="u-none", name="Vụ Mới", effective_on="2023-01-01"), "unit_not_found")
    ministry.refuse(RenameUnit(unit_id="u-vtdkt", name="Vụ Thi đua – Khen thưởng", effective_on="2023-01-01"),
                    "same_name")
    ministry.refuse(RenameUnit(unit_id="u-vtdkt", name="Vụ Mới", effective_on="2025-07-01"), "date_in_future")
    ministry.refuse(RenameUnit(unit_id="u-vtdkt", name="Vụ Mới", effective_on="2014-12-31"),
                    "effective_date_out_of_order")
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))
    ministry.refuse(RenameUnit(unit_id="u-vtdkt", name="Vụ Mới", effective_on="2024-06-01"), "unit_dissolved")


def test_rename_with_decomposed_text_compares_as_nfc(ministry: World) -> None:
    import unicodedata

    same = unicodedata.normalize("NFD", "Vụ Thi đua – Khen thưởng")
    ministry.refuse(RenameUnit(unit_id="u-vtdkt", name=same, effective_on="2023-01-01"), "same_name")


# --------------------------------------------------------------------------- move


def test_move(ministry: World) -> None:
    [event] = ministry.run(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtccb", effective_on="2022-07-01"))
    assert event == UnitMoved(unit_id="u-ttcntt", parent_id="u-vtccb", previous_parent_id="u-cuc",
                              effective_on=date(2022, 7, 1))
    assert ministry.tree.ancestors("u-ttcntt") == ["u-vtccb", "u-bct"]
    assert ministry.tree.ancestors("u-ttcntt", on=date(2022, 6, 30)) == ["u-cuc", "u-bct"]


def test_move_to_top_level(ministry: World) -> None:
    ministry.run(MoveUnit(unit_id="u-cuc", parent_id=None, effective_on="2022-07-01"))
    assert set(ministry.tree.as_of(date(2023, 1, 1)).roots) == {"u-bct", "u-cuc"}


def test_move_under_itself_or_a_descendant_is_a_cycle(ministry: World) -> None:
    error = ministry.refuse(MoveUnit(unit_id="u-cuc", parent_id="u-ttcntt", effective_on="2022-07-01"),
                            "move_creates_cycle")
    assert error.details["parent_ancestors"] == ["u-cuc", "u-bct"]
    ministry.refuse(MoveUnit(unit_id="u-cuc", parent_id="u-cuc", effective_on="2022-07-01"), "move_creates_cycle")
    ministry.refuse(MoveUnit(unit_id="u-bct", parent_id="u-ttcntt", effective_on="2022-07-01"), "move_creates_cycle")


def test_back_dated_move_that_would_cycle_in_the_past_is_refused(ministry: World) -> None:
    # 2016: the centre sits under the agency; 2023: it moves to the top.
    ministry.run(MoveUnit(unit_id="u-ttcntt", parent_id=None, effective_on="2023-01-01"))
    # Today the agency under the centre is no cycle, but from 2021 to 2022 it would be.
    assert not ministry.tree.would_create_cycle("u-cuc", "u-ttcntt")
    ministry.refuse(MoveUnit(unit_id="u-cuc", parent_id="u-ttcntt", effective_on="2021-01-01"),
                    "move_creates_cycle")
    # From 2023 on it is fine.
    ministry.run(MoveUnit(unit_id="u-cuc", parent_id="u-ttcntt", effective_on="2023-01-01"))
    assert ministry.tree.ancestors("u-cuc") == ["u-ttcntt"]


def test_move_refusals(ministry: World) -> None:
    ministry.refuse(MoveUnit(unit_id="u-x", parent_id="u-bct", effective_on="2022-01-01"), "unit_not_found")
    ministry.refuse(MoveUnit(unit_id="u-ttcntt", parent_id="u-x", effective_on="2022-01-01"), "unit_not_found")
    ministry.refuse(MoveUnit(unit_id="u-ttcntt", parent_id="u-cuc", effective_on="2022-01-01"), "same_parent")
    ministry.refuse(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtccb", effective_on="2026-01-01"), "date_in_future")
    ministry.refuse(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtccb", effective_on="2010-01-01"),
                    "effective_date_out_of_order")
    ministry.run(establish(on="2020-01-01"))
    ministry.run(RenameUnit(unit_id="u-ttcntt", name="Trung tâm Công nghệ thông tin", effective_on="2019-01-01"))
    ministry.refuse(MoveUnit(unit_id="u-ttcntt", parent_id="u-vpc", effective_on="2019-06-01"),
                    "unit_not_established")
    ministry.run(DissolveUnit(unit_id="u-vpc", effective_on="2024-01-01"))
    ministry.refuse(MoveUnit(unit_id="u-ttcntt", parent_id="u-vpc", effective_on="2024-06-01"), "unit_dissolved")


def test_a_dissolved_unit_cannot_move(ministry: World) -> None:
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))
    ministry.refuse(MoveUnit(unit_id="u-vtdkt", parent_id="u-cuc", effective_on="2024-06-01"), "unit_dissolved")


# --------------------------------------------------------------------------- merge


def test_merge(ministry: World) -> None:
    [event] = ministry.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2023-09-01"))
    assert event == UnitMerged(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on=date(2023, 9, 1))
    unit = ministry.unit("u-vtdkt")
    assert unit.status is UnitStatus.MERGED and unit.merged_into == "u-vtccb" and not unit.active
    assert ministry.tree.resolve("u-vtdkt", date(2023, 8, 31)) == "u-vtdkt"
    assert ministry.tree.resolve("u-vtdkt", date(2023, 9, 1)) == "u-vtccb"


def test_merge_refusals(ministry: World) -> None:
    ministry.refuse(MergeUnit(unit_id="u-x", into_unit_id="u-vtccb", effective_on="2023-01-01"), "unit_not_found")
    ministry.refuse(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-x", effective_on="2023-01-01"), "unit_not_found")
    ministry.refuse(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtdkt", effective_on="2023-01-01"),
                    "merge_into_self")
    ministry.refuse(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2025-12-01"),
                    "date_in_future")
    ministry.refuse(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2014-01-01"),
                    "unit_not_established")
    error = ministry.refuse(MergeUnit(unit_id="u-cuc", into_unit_id="u-vtccb", effective_on="2023-01-01"),
                            "unit_has_children")
    assert error.details["children"] == ["u-ttcntt"]
    ministry.run(DissolveUnit(unit_id="u-vtccb", effective_on="2024-01-01"))
    ministry.refuse(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2024-02-01"),
                    "unit_dissolved")
    ministry.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-bct", effective_on="2024-02-01"))
    ministry.refuse(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-bct", effective_on="2024-03-01"), "unit_merged")


def test_merge_after_moving_children_away(ministry: World) -> None:
    ministry.run(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtccb", effective_on="2023-01-01"))
    ministry.run(MergeUnit(unit_id="u-cuc", into_unit_id="u-vtccb", effective_on="2023-01-01"))
    assert ministry.tree.children("u-cuc") == []


def test_merge_back_dated_before_a_child_left_is_refused(ministry: World) -> None:
    ministry.run(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtccb", effective_on="2023-06-01"))
    # u-cuc was still the centre's parent between 2023-01-01 and 2023-05-31
    ministry.refuse(MergeUnit(unit_id="u-cuc", into_unit_id="u-vtccb", effective_on="2023-01-01"),
                    "unit_has_children")


def test_merged_unit_cannot_receive_people(ministry: World) -> None:
    ministry.enrol("p-1", "u-vtccb")
    ministry.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2023-09-01"))
    ministry.refuse(TransferPerson(person_id="p-1", to_unit_id="u-vtdkt", effective_on="2024-01-01"), "unit_merged")


# --------------------------------------------------------------------------- dissolve


def test_dissolve(ministry: World) -> None:
    [event] = ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01", reason="Sắp xếp tổ chức"))
    assert event == UnitDissolved(unit_id="u-vtdkt", effective_on=date(2024, 1, 1), reason="Sắp xếp tổ chức")
    unit = ministry.unit("u-vtdkt")
    assert unit.status is UnitStatus.DISSOLVED and unit.closed_on == date(2024, 1, 1)
    assert unit.is_active_on(date(2023, 12, 31)) and not unit.is_active_on(date(2024, 1, 1))


def test_dissolve_refusals(ministry: World) -> None:
    ministry.refuse(DissolveUnit(unit_id="u-x", effective_on="2024-01-01"), "unit_not_found")
    ministry.refuse(DissolveUnit(unit_id="u-cuc", effective_on="2024-01-01"), "unit_has_children")
    ministry.refuse(DissolveUnit(unit_id="u-vtdkt", effective_on="2025-07-01"), "date_in_future")
    ministry.refuse(DissolveUnit(unit_id="u-vtdkt", effective_on="2014-01-01"), "effective_date_out_of_order")
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))
    ministry.refuse(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-02-01"), "unit_dissolved")


def test_dissolve_with_people_is_refused_until_they_go(ministry: World) -> None:
    ministry.enrol("p-1", "u-vtdkt", on="2018-01-01")
    error = ministry.refuse(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"), "unit_has_members")
    assert error.details["person_ids"] == ["p-1"]
    ministry.run(TransferPerson(person_id="p-1", to_unit_id="u-vtccb", effective_on="2024-01-01"))
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))


def test_dissolve_counts_people_of_units_merged_into_it(ministry: World) -> None:
    ministry.enrol("p-1", "u-vtdkt")
    ministry.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2023-09-01"))
    ministry.refuse(DissolveUnit(unit_id="u-vtccb", effective_on="2024-01-01"), "unit_has_members")


def test_dissolve_back_dated_before_a_child_moved_away_is_refused(ministry: World) -> None:
    ministry.run(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtccb", effective_on="2023-06-01"))
    ministry.refuse(DissolveUnit(unit_id="u-cuc", effective_on="2023-01-01"), "unit_has_children")
    ministry.run(DissolveUnit(unit_id="u-cuc", effective_on="2023-06-01"))


def test_a_dissolved_unit_cannot_get_children(ministry: World) -> None:
    ministry.run(DissolveUnit(unit_id="u-vtdkt", effective_on="2024-01-01"))
    ministry.refuse(MoveUnit(unit_id="u-ttcntt", parent_id="u-vtdkt", effective_on="2024-02-01"), "unit_dissolved")


# --------------------------------------------------------------------------- fold


def test_fold_is_pure_and_ignores_foreign_events(ministry: World) -> None:
    events = [e for e in ministry.log if getattr(e, "unit_id", None) == "u-vtccb" and isinstance(e, UnitEstablished)]
    state = fold_unit(events)
    assert state == ministry.unit("u-vtccb")
    before = state.model_dump()
    state.apply(UnitRenamed(unit_id="u-vtccb", name="Vụ Mới", previous_name=state.name, effective_on=date(2024, 1, 1)))
    assert state.model_dump() == before  # frozen: apply returned a new state
    assert UnitState.initial("u-x").apply(object()) == UnitState.initial("u-x")  # type: ignore[arg-type]


def test_state_round_trips_json_for_the_local_table(ministry: World) -> None:
    ministry.run(RenameUnit(unit_id="u-vtdkt", name="Vụ Thi đua, Khen thưởng", effective_on="2023-03-01"))
    ministry.grade("u-vtdkt", 2023, "HTXS", subject="unit")
    for unit in ministry.tree:
        assert UnitState.model_validate_json(unit.model_dump_json()) == unit
    rebuilt = OrgTree(UnitState.model_validate_json(u.model_dump_json()) for u in ministry.tree)
    assert rebuilt.as_of(date(2023, 12, 31)) == ministry.tree.as_of(date(2023, 12, 31))


def test_tree_from_events_equals_incremental(ministry: World) -> None:
    assert OrgTree.from_events(ministry.log).units == ministry.tree.units


@pytest.mark.parametrize("kind", ["vu", "cuc", "vien", "truong", "tong_cong_ty", "cong_doan", "van_phong"])
def test_issue_unit_kinds(ministry: World, kind: str) -> None:
    ministry.run(EstablishUnit(unit_id=f"u-k-{kind}", code=f"K-{kind}", name="Đơn vị thử nghiệm", kind=kind,
                               parent_id="u-bct", effective_on="2020-01-01"))
    assert ministry.unit(f"u-k-{kind}").kind == kind
