"""The unit tree through time, from the facts the ``unit_tree`` read model stores. Pure: no I/O.

The rules follow ``tdkt_contracts.catalogue.units``:

- a unit exists from its establishment date up to the day before its merge
  or dissolution;
- its name and parent on a day are the latest ones in force on that day;
- from a merge date on, what is recorded in the merged unit counts under the
  absorbing unit (following the chain if that one was merged too).

"Unit X and its sub-units" as of a day ``d`` (:meth:`Tree.subtree`) are the
units established by ``d`` whose chain leads to X, where a unit's next link is
the absorbing unit if it was merged by ``d``, otherwise its parent on ``d``, or
on its last day if it was dissolved before: a dissolved unit's past awards stay
with the branch it belonged to.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any


@dataclass
class UnitFacts:
    """What is known of one unit: its dated names and parents, and its end."""

    unit_id: str
    code: str
    kind: str
    established_on: date
    names: list[tuple[date, str]] = field(default_factory=list)
    parents: list[tuple[date, str | None]] = field(default_factory=list)
    ended_on: date | None = None
    how: str | None = None
    into_unit_id: str | None = None

    @property
    def last_day(self) -> date | None:
        """The last day the unit existed, if it ended."""
        return self.ended_on - timedelta(days=1) if self.ended_on else None


def _in_force(history: list[tuple[date, Any]], day: date) -> Any:
    # The latest value effective on or before ``day``; before the first one, the first one.
    if not history:
        return None
    i = bisect.bisect_right([d for d, _ in history], day)
    return history[max(i - 1, 0)][1]


@dataclass
class TreeRow:
    """One unit in a listing of the tree as of a day."""

    unit_id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    level: int
    path: list[str]
    status: str
    headcount: int = 0
    headcount_total: int = 0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "unit_id": self.unit_id, "code": self.code, "name": self.name, "kind": self.kind,
            "parent_id": self.parent_id, "level": self.level, "path": self.path, "status": self.status,
            "headcount": self.headcount, "headcount_total": self.headcount_total,
        }


class Tree:
    """The organisation tree with its history; answers "as of a day" questions."""

    def __init__(self, units: Iterable[UnitFacts]) -> None:
        self.units: dict[str, UnitFacts] = {u.unit_id: u for u in units}
        for u in self.units.values():
            u.names.sort(key=lambda item: item[0])
            u.parents.sort(key=lambda item: item[0])

    @classmethod
    def from_rows(
        cls,
        units: Iterable[Mapping[str, Any]],
        names: Iterable[Mapping[str, Any]],
        parents: Iterable[Mapping[str, Any]],
        ends: Iterable[Mapping[str, Any]],
    ) -> Tree:
        """Build from the rows of the read model's tables: units, unit_names, unit_parents, unit_ends."""
        facts = {
            r["unit_id"]: UnitFacts(r["unit_id"], r["code"], r["kind"], r["established_on"]) for r in units
        }
        for r in names:
            if r["unit_id"] in facts:
                facts[r["unit_id"]].names.append((r["effective_on"], r["name"]))
        for r in parents:
            if r["unit_id"] in facts:
                facts[r["unit_id"]].parents.append((r["effective_on"], r["parent_id"]))
        for r in ends:
            if r["unit_id"] in facts:
                u = facts[r["unit_id"]]
                u.ended_on, u.how, u.into_unit_id = r["ended_on"], r["how"], r["into_unit_id"]
        return cls(facts.values())

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self.units

    def active_on(self, unit_id: str, day: date) -> bool:
        """Whether the unit exists on ``day``."""
        u = self.units.get(unit_id)
        return u is not None and u.established_on <= day and (u.ended_on is None or day < u.ended_on)

    def _clamp(self, u: UnitFacts, day: date) -> date:
        # After its end a unit keeps the name and parent of its last day.
        return min(day, u.last_day) if u.last_day else day

    def name_on(self, unit_id: str, day: date) -> str | None:
        """The unit's name on ``day`` (its last name if it had ended; its first one before it existed)."""
        u = self.units.get(unit_id)
        return _in_force(u.names, self._clamp(u, day)) if u else None

    def parent_on(self, unit_id: str, day: date) -> str | None:
        """The unit's parent on ``day`` (on its last day if it had ended)."""
        u = self.units.get(unit_id)
        return _in_force(u.parents, self._clamp(u, day)) if u else None

    def resolve(self, unit_id: str, day: date) -> str:
        """The unit under which what is recorded in ``unit_id`` counts on ``day``: merges followed."""
        seen = {unit_id}
        current = unit_id
        while True:
            u = self.units.get(current)
            if u is None or u.how != "merged" or not u.into_unit_id or u.ended_on is None or u.ended_on > day:
                return current
            current = u.into_unit_id
            if current in seen:  # a cycle in bad data: stop rather than loop
                return current
            seen.add(current)

    def next_link(self, unit_id: str, day: date) -> str | None:
        """The next unit up the chain on ``day``: the absorbing unit once merged, else the parent."""
        u = self.units.get(unit_id)
        if u is None:
            return None
        if u.how == "merged" and u.into_unit_id and u.ended_on is not None and u.ended_on <= day:
            return u.into_unit_id
        return self.parent_on(unit_id, day)

    def ancestors(self, unit_id: str, day: date) -> list[str]:
        """The chain above ``unit_id`` on ``day``, nearest first (see :meth:`next_link`)."""
        chain: list[str] = []
        seen = {unit_id}
        current = self.next_link(unit_id, day)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.next_link(current, day)
        return chain

    def subtree(self, unit_id: str, day: date) -> set[str]:
        """``unit_id`` and every unit under it on ``day``, including units merged into it or dissolved in it."""
        found = {unit_id}
        for u in self.units.values():
            if u.unit_id != unit_id and u.established_on <= day and unit_id in self.ancestors(u.unit_id, day):
                found.add(u.unit_id)
        return found

    def status_on(self, unit_id: str, day: date) -> str:
        """active, merged, dissolved or not_established on ``day``."""
        u = self.units[unit_id]
        if u.established_on > day:
            return "not_established"
        if u.ended_on is not None and u.ended_on <= day:
            return u.how or "dissolved"
        return "active"

    def listing(self, day: date, own: Mapping[str, int] | None = None) -> list[TreeRow]:
        """The tree on ``day`` as a flat list in tree order (by code path): units active that day,
        and ended ones that still have a headcount; with own and subtree headcounts."""
        own = own or {}
        totals = subtree_totals(self, day, own)
        shown = [
            u.unit_id for u in self.units.values()
            if self.active_on(u.unit_id, day) or (own.get(u.unit_id, 0) and u.established_on <= day)
        ]
        rows: list[TreeRow] = []
        for unit_id in shown:
            u = self.units[unit_id]
            chain = list(reversed(self.ancestors(unit_id, day)))
            path = [self.units[a].code if a in self.units else a for a in chain] + [u.code]
            rows.append(
                TreeRow(
                    unit_id=unit_id, code=u.code, name=self.name_on(unit_id, day) or u.code, kind=u.kind,
                    parent_id=self.next_link(unit_id, day), level=len(chain), path=path,
                    status=self.status_on(unit_id, day), headcount=own.get(unit_id, 0),
                    headcount_total=totals.get(unit_id, 0),
                )
            )
        rows.sort(key=lambda r: r.path)
        return rows


def year_end(year: int) -> date:
    """31 December of ``year``: the day a year's tree and headcount are taken."""
    return date(year, 12, 31)


def headcounts(
    tree: Tree,
    year: int,
    placed: Iterable[tuple[str, str, date]],
    graded: Iterable[tuple[str, str]] = (),
) -> Counter[str]:
    """Headcount per unit for ``year`` (units.py's counting rule).

    ``placed``: (person, unit, day) for each person on the staff at some time in
    the year: the unit on 31 December, or on the last day for someone who left
    during the year. ``graded``: (person, unit) of the people graded for the
    year; they count in that unit when the placements do not place them (grades
    imported for years before enrolment). Each person counts once, in the unit
    resolved through merges on that day.
    """
    counted: dict[str, str] = {}
    for person, unit, day in placed:
        counted[person] = tree.resolve(unit, day)
    for person, unit in graded:
        if person not in counted:
            counted[person] = tree.resolve(unit, year_end(year))
    return Counter(counted.values())


def subtree_totals(tree: Tree, day: date, own: Mapping[str, int]) -> dict[str, int]:
    """Each unit's own headcount plus those of every unit under it on ``day``."""
    totals: dict[str, int] = {}
    for unit_id, n in own.items():
        if not n:
            continue
        totals[unit_id] = totals.get(unit_id, 0) + n
        for ancestor in tree.ancestors(unit_id, day):
            totals[ancestor] = totals.get(ancestor, 0) + n
    return totals
