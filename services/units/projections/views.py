"""Answers to the units service's queries, from its query tables and the pure domain.

Each function loads what it needs (the tree is always all units: a ministry
has hundreds, not millions; people are narrowed by year and unit with the
indexed columns) and lets :mod:`services.units.domain.queries` do the
counting, so the HTTP answers and the unit-tested rules cannot drift apart.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import asyncpg
from tdkt_contracts.vocabulary import Grade

from kernel.errors import NotFound

from ..domain import Code, OrgTree, grades_by_unit, headcount_by_unit, person_record
from ..domain.tree import TreeSnapshot
from ..importer import fold_key
from .tables import initiatives_of, load_people, load_tree, people_for_year


def _require_unit(tree: OrgTree, unit_id: str) -> None:
    if unit_id not in tree:
        raise NotFound(Code.UNIT_NOT_FOUND, f"unit {unit_id!r} does not exist", unit_id=unit_id)


def snapshot_json(snapshot: TreeSnapshot) -> dict[str, Any]:
    """The tree of one day as nested JSON: each unit with its name that day and its sub-units."""
    by_id = {n.unit_id: n for n in snapshot.nodes}

    def build(unit_id: str) -> dict[str, Any]:
        node = by_id[unit_id]
        return {
            "unit_id": node.unit_id,
            "code": node.code,
            "kind": node.kind.value,
            "name": node.name,
            "parent_id": node.parent_id,
            "established_on": node.established_on.isoformat(),
            "children": [build(c) for c in node.children],
        }

    return {"as_of": snapshot.on.isoformat(), "count": len(snapshot.nodes), "units": [build(r) for r in snapshot.roots]}


async def tree_as_of(conn: asyncpg.Connection, on: date) -> dict[str, Any]:
    """Units active on ``on``, with the names and parents in force that day (merges applied)."""
    tree = await load_tree(conn)
    return snapshot_json(tree.as_of(on))


async def list_units(conn: asyncpg.Connection, status: str | None = None) -> list[dict[str, Any]]:
    """Every unit (optionally of one status), current name and parent, ordered by code."""
    rows = await conn.fetch(
        """
        SELECT unit_id, code, name, status, parent_id, merged_into, established_on, closed_on, version
        FROM unit_states WHERE $1::text IS NULL OR status = $1 ORDER BY code, unit_id
        """,
        status,
    )
    return [dict(r) for r in rows]


async def unit_view(conn: asyncpg.Connection, unit_id: str) -> dict[str, Any]:
    """One unit: its current state, name and parent histories, grades with corrections."""
    tree = await load_tree(conn)
    _require_unit(tree, unit_id)
    unit = tree.get(unit_id)
    assert unit is not None
    return {
        "unit_id": unit.unit_id,
        "code": unit.code,
        "kind": unit.kind.value if unit.kind else None,
        "status": unit.status.value,
        "name": unit.name,
        "parent_id": unit.parent_id,
        "established_on": unit.established_on,
        "closed_on": unit.closed_on,
        "merged_into": unit.merged_into,
        "carried_by": tree.resolve(unit_id),
        "children": tree.children(unit_id) if unit.active else [],
        "names": [n.model_dump(mode="json") for n in unit.names],
        "parents": [p.model_dump(mode="json") for p in unit.parents],
        "evaluations": [
            {**r.model_dump(mode="json"), "grade": r.grade.value, "corrected": r.corrected} for r in unit.evaluations
        ],
        "version": unit.version,
    }


async def search_people(conn: asyncpg.Connection, query: str, limit: int) -> dict[str, Any]:
    """People whose name contains every word of ``query``, diacritics and case ignored ("nguyen van a" finds
    "Nguyễn Văn An"); those still on the staff first, then by name. A ministry has thousands of people, so the
    names are folded here rather than kept folded in a column."""
    words = fold_key(query).split()
    if not words:
        return {"query": query, "total": 0, "items": []}
    rows = await conn.fetch("SELECT person_id, full_name, unit_id, left_on FROM person_states")
    found = [r for r in rows if all(f" {w}" in f" {fold_key(r['full_name'])}" for w in words)]
    found.sort(key=lambda r: (r["left_on"] is not None, fold_key(r["full_name"]), r["person_id"]))
    tree = await load_tree(conn)
    items = [
        {"person_id": r["person_id"], "full_name": r["full_name"], "unit_id": r["unit_id"],
         "unit_name": unit.name if (unit := tree.get(r["unit_id"])) else None,
         "left_on": r["left_on"].isoformat() if r["left_on"] else None}
        for r in found[:limit]
    ]
    return {"query": query, "total": len(found), "items": items}


async def person_view(conn: asyncpg.Connection, person_id: str) -> dict[str, Any]:
    """A person's full record (hồ sơ): identity, units, grades with corrections, disciplines, initiatives."""
    people = await load_people(conn, [person_id])
    person = people.get(person_id)
    if person is None or not person.exists:
        raise NotFound(Code.PERSON_NOT_FOUND, f"person {person_id!r} does not exist", person_id=person_id)
    tree = await load_tree(conn)
    record = person_record(person, initiatives=await initiatives_of(conn, person_id), tree=tree)
    return {**record.model_dump(mode="json"), "version": person.version}


def _scope(tree: OrgTree, year: int, unit_id: str | None, include_subunits: bool) -> set[str] | None:
    """The units asked about: one unit, or it and its sub-units as on 31 December; None = all."""
    if unit_id is None:
        return None
    _require_unit(tree, unit_id)
    scope = {unit_id}
    if include_subunits:
        scope.update(tree.descendants(unit_id, on=date(year, 12, 31)))
    return scope


def _feeding(tree: OrgTree, scope: set[str] | None) -> set[str] | None:
    """Units whose people may count in ``scope``: the scope and every unit merged into it (chains)."""
    if scope is None:
        return None
    found: set[str] = set()
    for unit in tree:
        current: str | None = unit.unit_id
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current in scope:
                found.add(unit.unit_id)
                break
            seen.add(current)
            state = tree.get(current)
            current = state.merged_into if state else None
    return found


def _active_in(tree: OrgTree, year: int) -> set[str]:
    first, last = date(year, 1, 1), date(year, 12, 31)
    return {
        u.unit_id
        for u in tree
        if u.established_on is not None and u.established_on <= last and (u.closed_on is None or u.closed_on > first)
    }


async def headcounts(
    conn: asyncpg.Connection, year: int, unit_id: str | None = None, include_subunits: bool = False
) -> dict[str, Any]:
    """People per unit for ``year`` (the denominators of campaign targets).

    A person counts once, in the unit they are in on 31 December (or on their
    last day if they left that year), resolved through merges; see
    :mod:`services.units.domain.queries`. ``subtree_headcount`` adds the
    sub-units as they stood on 31 December.
    """
    tree = await load_tree(conn)
    scope = _scope(tree, year, unit_id, include_subunits)
    people = await people_for_year(conn, year, _feeding(tree, scope))
    counts = headcount_by_unit(people, year, tree)
    reference = date(year, 12, 31)
    listed = scope if scope is not None else _active_in(tree, year) | set(counts)
    units = []
    for uid in listed:
        unit = tree.get(uid)
        subtree = [uid] + tree.descendants(uid, on=reference)
        units.append({
            "unit_id": uid,
            "code": unit.code if unit else "",
            "name": tree.name_for_year(uid, year) if unit else uid,
            "parent_id": unit.parent_on(unit.reference_date(year)) if unit else None,
            "headcount": counts.get(uid, 0),
            "subtree_headcount": sum(counts.get(u, 0) for u in subtree),
        })
    units.sort(key=lambda u: (u["code"], u["unit_id"]))
    return {
        "year": year,
        "unit_id": unit_id,
        "include_subunits": include_subunits,
        "total": sum(u["headcount"] for u in units),
        "units": units,
    }


async def grades(
    conn: asyncpg.Connection, year: int, unit_id: str | None = None, include_subunits: bool = False
) -> dict[str, Any]:
    """Per unit for ``year``: the unit's own grade and its people's grades (in force
    after corrections), under the unit's name of that year."""
    tree = await load_tree(conn)
    scope = _scope(tree, year, unit_id, include_subunits)
    people = await people_for_year(conn, year, _feeding(tree, scope), with_grades=True)
    rows = [r for r in grades_by_unit(people, year, tree) if scope is None or r.unit_id in scope]
    totals: Counter[str] = Counter({g.value: 0 for g in Grade})
    for r in rows:
        totals.update({g.value: n for g, n in r.counts.items()})
    return {
        "year": year,
        "unit_id": unit_id,
        "include_subunits": include_subunits,
        "totals": {
            "headcount": sum(r.headcount for r in rows),
            "ungraded": sum(r.ungraded for r in rows),
            "counts": dict(totals),
        },
        "units": [{**r.model_dump(mode="json"), "graded": r.graded} for r in rows],
    }
