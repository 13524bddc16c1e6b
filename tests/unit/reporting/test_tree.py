"""The unit tree through time: names, parents, merges, subtrees and the headcount rule."""

from __future__ import annotations

from datetime import date

from services.reporting.tree import Tree, UnitFacts, headcounts, subtree_totals


def tree() -> Tree:
    d = date
    return Tree([
        UnitFacts("bct", "BCT", "bo", d(2000, 1, 1), [(d(2000, 1, 1), "Bộ Công Thương")], [(d(2000, 1, 1), None)]),
        UnitFacts("vtccb", "VTCCB", "vu", d(2000, 1, 1), [(d(2000, 1, 1), "Vụ Tổ chức cán bộ")],
                  [(d(2000, 1, 1), "bct")]),
        UnitFacts("vtdkt", "VTDKT", "vu", d(2005, 1, 1),
                  [(d(2005, 1, 1), "Vụ Thi đua – Khen thưởng"),
                   (d(2023, 3, 1), "Vụ Thi đua – Khen thưởng và Truyền thông")],
                  [(d(2005, 1, 1), "bct")], ended_on=d(2023, 9, 1), how="merged", into_unit_id="vtccb"),
        UnitFacts("phong", "P1", "phong", d(2010, 1, 1), [(d(2010, 1, 1), "Phòng Khen thưởng")],
                  [(d(2010, 1, 1), "vtdkt"), (d(2023, 8, 1), "vtccb")]),
        UnitFacts("bql", "BQL", "khac", d(2010, 1, 1), [(d(2010, 1, 1), "Ban Quản lý dự án")],
                  [(d(2010, 1, 1), "vtccb")], ended_on=d(2024, 1, 1), how="dissolved"),
        UnitFacts("ttcntt", "TTCNTT", "trung_tam", d(2020, 1, 1), [(d(2020, 1, 1), "Trung tâm Tin học")],
                  [(d(2020, 1, 1), "bct")]),
    ])


def test_names_and_parents_as_of_a_day() -> None:
    t = tree()
    assert t.name_on("vtdkt", date(2023, 2, 28)) == "Vụ Thi đua – Khen thưởng"
    assert t.name_on("vtdkt", date(2023, 3, 1)) == "Vụ Thi đua – Khen thưởng và Truyền thông"
    assert t.name_on("vtdkt", date(2030, 1, 1)) == "Vụ Thi đua – Khen thưởng và Truyền thông"  # its last name
    assert t.parent_on("phong", date(2023, 7, 31)) == "vtdkt" and t.parent_on("phong", date(2023, 8, 1)) == "vtccb"
    assert t.active_on("vtdkt", date(2023, 8, 31)) and not t.active_on("vtdkt", date(2023, 9, 1))


def test_merges_resolve_from_their_effective_date() -> None:
    t = tree()
    assert t.resolve("vtdkt", date(2023, 8, 31)) == "vtdkt"
    assert t.resolve("vtdkt", date(2023, 9, 1)) == "vtccb"
    assert t.resolve("unknown", date(2023, 9, 1)) == "unknown"


def test_subtrees_follow_moves_merges_and_dissolutions() -> None:
    t = tree()
    assert t.subtree("vtdkt", date(2022, 12, 31)) == {"vtdkt", "phong"}
    assert t.subtree("vtccb", date(2022, 12, 31)) == {"vtccb", "bql"}
    # after the move and the merge, both count under VTCCB; the dissolved unit stays in its branch
    assert t.subtree("vtccb", date(2024, 12, 31)) == {"vtccb", "bql", "vtdkt", "phong"}
    assert t.subtree("bct", date(2019, 12, 31)) == {"bct", "vtccb", "vtdkt", "phong", "bql"}


def test_headcount_rule_year_end_unit_last_day_for_leavers_and_graded_people() -> None:
    t = tree()
    placed = [
        ("p1", "vtdkt", date(2023, 12, 31)),  # in the merged unit on 31 Dec: counts under VTCCB
        ("p2", "vtdkt", date(2023, 6, 30)),   # left before the merge: counts in VTĐKT
        ("p3", "ttcntt", date(2023, 12, 31)),
    ]
    graded = [("p3", "bct"), ("p4", "vtdkt")]  # p3 is placed already; p4 only graded
    own = headcounts(t, 2023, placed, graded)
    assert own == {"vtccb": 2, "vtdkt": 1, "ttcntt": 1}
    totals = subtree_totals(t, date(2023, 12, 31), own)
    assert totals["bct"] == 4 and totals["vtccb"] == 3 and "phong" not in totals


def test_listing_shows_the_tree_in_order_with_headcounts() -> None:
    t = tree()
    own = {"vtccb": 2, "vtdkt": 1, "ttcntt": 1}
    rows = t.listing(date(2023, 12, 31), own)
    assert [r.code for r in rows] == ["BCT", "TTCNTT", "VTCCB", "BQL", "P1", "VTDKT"]
    by_code = {r.code: r for r in rows}
    assert by_code["VTDKT"].status == "merged" and by_code["VTDKT"].parent_id == "vtccb"
    assert by_code["BCT"].headcount_total == 4 and by_code["P1"].level == 2
