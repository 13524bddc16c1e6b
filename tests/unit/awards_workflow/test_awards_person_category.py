"""A recipient's category for forms 0602/0603 from the post held on the decision's day and the unit's place."""

from __future__ import annotations

from datetime import date

import pytest
from tdkt_contracts.vocabulary import PersonCategory as C

from services.awards.domain.bundles import OrgChart, UnitRecord
from services.awards.workflow.person_category import is_leader_post, person_category

DAY = date(2023, 12, 20)
START = date(2000, 1, 1)


def _unit(unit_id: str, kind: str, parent: str | None) -> UnitRecord:
    return UnitRecord(unit_id=unit_id, code=unit_id.upper(), kind=kind, established_on=START,
                      names=((START, unit_id),), parents=((START, parent),))


CHART = OrgChart([
    _unit("bo", "bo", None), _unit("vtccb", "vu", "bo"), _unit("vtccb-th", "phong", "vtccb"),
    _unit("tct", "tong_cong_ty", "bo"), _unit("tct-cty", "khac", "tct"), _unit("dhcn", "truong", "bo"),
])


@pytest.mark.parametrize(("position", "unit", "expected"), [
    ("Bộ trưởng", "bo", C.MINISTRY_LEADER),
    ("Thứ trưởng", "bo", C.MINISTRY_LEADER),
    ("Trợ lý Bộ trưởng", "bo", C.DIRECT_WORKER),
    ("Thư ký Thứ trưởng", "bo", C.DIRECT_WORKER),
    ("Vụ trưởng", "vtccb", C.DEPARTMENT_LEADER),
    ("Phó Vụ trưởng", "vtccb", C.DEPARTMENT_LEADER),
    ("Hiệu trưởng", "dhcn", C.DEPARTMENT_LEADER),
    ("Trưởng phòng", "vtccb-th", C.OTHER_LEADER),
    ("Phó Trưởng phòng", "vtccb-th", C.OTHER_LEADER),
    ("Tổng Giám đốc", "tct", C.BUSINESS_PERSON),
    ("Giám đốc", "tct-cty", C.BUSINESS_PERSON),
    ("Chuyên viên chính", "vtccb", C.DIRECT_WORKER),
    ("Phóng viên", "vtccb", C.DIRECT_WORKER),
    ("Giảng viên", "dhcn", C.DIRECT_WORKER),
    ("Công nhân kỹ thuật", "tct-cty", C.DIRECT_WORKER),
])
def test_the_post_and_the_unit_give_the_category(position: str, unit: str, expected: C) -> None:
    assert person_category(position, unit, CHART, DAY) is expected


def test_an_unknown_post_is_not_classified() -> None:
    assert person_category(None, "vtccb", CHART, DAY) is None
    assert person_category("", "vtccb", CHART, DAY) is None


def test_leader_posts_in_decomposed_unicode_too() -> None:
    import unicodedata

    assert is_leader_post(unicodedata.normalize("NFD", "Phó Trưởng khoa"))
    assert not is_leader_post("Kiểm soát viên thị trường")
