"""The shared organisation tree over time: the dates of the units events, merges followed,
out-of-order facts recorded, cycles in bad data ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tdkt_contracts.orgtree import UnitHistory, UnitTree, in_force, with_entry

D = date


def _tree() -> UnitTree:
    """bo (top) with vu-a and vu-b; phong-1 under vu-a, moved under vu-b on 01/07/2023;
    vu-b merged into vu-a on 01/01/2025; phong-2 under vu-a, dissolved on 01/03/2024."""
    units = [
        UnitHistory("bo").with_established(D(2010, 1, 1), None),
        UnitHistory("vu-a").with_established(D(2010, 1, 1), "bo"),
        UnitHistory("vu-b").with_established(D(2010, 1, 1), "bo").with_merged(D(2025, 1, 1), "vu-a"),
        UnitHistory("phong-1").with_established(D(2012, 1, 1), "vu-a").with_moved(D(2023, 7, 1), "vu-b"),
        UnitHistory("phong-2").with_established(D(2012, 1, 1), "vu-a").with_dissolved(D(2024, 3, 1)),
    ]
    return UnitTree(units)


def test_a_timeline_gives_the_value_in_force_and_a_same_day_entry_replaces() -> None:
    line = with_entry(with_entry((), D(2023, 7, 1), "vu-b"), D(2010, 1, 1), "vu-a")
    assert line == ((D(2010, 1, 1), "vu-a"), (D(2023, 7, 1), "vu-b"))
    assert in_force(line, D(2009, 12, 31)) is None
    assert in_force(line, D(2023, 6, 30)) == "vu-a"
    assert in_force(line, D(2023, 7, 1)) == "vu-b"
    assert in_force(with_entry(line, D(2023, 7, 1), None), D(2024, 1, 1)) is None


def test_a_unit_is_active_from_its_establishment_to_the_day_before_its_end() -> None:
    tree = _tree()
    phong_2 = tree.get("phong-2")
    assert phong_2 is not None
    assert not phong_2.active_on(D(2011, 12, 31))
    assert phong_2.active_on(D(2012, 1, 1)) and phong_2.active_on(D(2024, 2, 29))
    assert not phong_2.active_on(D(2024, 3, 1))
    assert not UnitHistory("never").active_on(D(2024, 1, 1))  # known only from other facts


def test_parents_and_lineage_follow_the_day() -> None:
    tree = _tree()
    assert tree.lineage("phong-1", D(2023, 6, 30)) == ["phong-1", "vu-a", "bo"]
    assert tree.lineage("phong-1", D(2023, 7, 1)) == ["phong-1", "vu-b", "bo"]
    assert tree.ancestors("phong-1", D(2023, 7, 1)) == ["vu-b", "bo"]
    assert tree.children("vu-a", D(2023, 12, 31)) == ["phong-2"]
    assert tree.children("vu-a", D(2024, 3, 1)) == []
    assert tree.subtree("vu-b", D(2024, 12, 31)) == {"vu-b", "phong-1"}
    assert tree.is_top_level("bo", D(2024, 1, 1)) and not tree.is_top_level("vu-a", D(2024, 1, 1))


def test_a_merged_unit_resolves_to_the_absorbing_one_from_the_merge_date() -> None:
    tree = _tree()
    assert tree.resolve("vu-b", D(2024, 12, 31)) == "vu-b"
    assert tree.resolve("vu-b", D(2025, 1, 1)) == "vu-a"
    assert tree.resolve("phong-2", D(2025, 1, 1)) == "phong-2"  # dissolved: carried by no one
    # under vu-a once vu-b is merged into it, not before
    assert not tree.within("vu-b", "vu-a", D(2024, 12, 31))
    assert tree.within("vu-b", "vu-a", D(2025, 1, 1))
    assert tree.within("phong-1", "bo", D(2024, 1, 1))


def test_chains_of_merges_are_followed_and_a_cycle_ends() -> None:
    chain = UnitTree([
        UnitHistory("a").with_merged(D(2024, 10, 1), "b"),
        UnitHistory("b").with_merged(D(2025, 1, 1), "c"),
    ])
    assert chain.resolve("a", D(2024, 12, 31)) == "b"
    assert chain.resolve("a", D(2025, 1, 1)) == "c"
    cycle = UnitTree([UnitHistory("a").with_merged(D(2024, 1, 1), "b"),
                      UnitHistory("b").with_merged(D(2024, 1, 1), "a")])
    assert cycle.resolve("a", D(2024, 6, 1)) in {"a", "b"}
    loop = UnitTree([UnitHistory("x").with_moved(D(2024, 1, 1), "y"),
                     UnitHistory("y").with_moved(D(2024, 1, 1), "x")])
    assert loop.lineage("x", D(2024, 6, 1)) == ["x", "y"]


def test_facts_out_of_order_are_recorded_and_a_subclass_is_kept() -> None:
    @dataclass(frozen=True, slots=True)
    class Graded(UnitHistory):
        grade: str | None = None

    # moved before its establishment arrives; the establishment then sets its first parent
    unit = Graded("phong-3", grade="HTT").with_moved(D(2024, 1, 1), "vu-b").with_established(D(2020, 1, 1), "vu-a")
    assert isinstance(unit, Graded) and unit.grade == "HTT"
    assert unit.parent_on(D(2023, 12, 31)) == "vu-a" and unit.parent_on(D(2024, 1, 1)) == "vu-b"
    tree = UnitTree({"phong-3": unit})  # a mapping is wrapped as it is
    assert tree.lineage("phong-3", D(2024, 6, 1)) == ["phong-3", "vu-b"]
    assert "phong-3" in tree and len(tree) == 1 and list(tree) == [unit]
