"""The organisation tree (cây tổ chức) as a pure value: every unit's state,
with answers for any date.

The handler builds an :class:`OrgTree` from its local table of
:class:`~.unit.UnitState` rows (one per unit, kept up to date in the same
transaction as the unit events) and passes it to the decision functions that
need to look beyond one unit: does the parent exist, is it dissolved, would a
move make a cycle, does the unit still have sub-units. Tests build one with
:meth:`OrgTree.from_events`.

Dates: a unit is active on ``[established_on, closed_on)``; names and parents
are timelines by ``effective_on``. A merged unit *resolves* to the unit it was
merged into from the merge date on (following chains of merges).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict

from kernel.errors import Conflict, DomainError, NotFound
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.units import (
    UnitDissolved,
    UnitEstablished,
    UnitEvaluationCorrected,
    UnitEvaluationRecorded,
    UnitMerged,
    UnitMoved,
    UnitRenamed,
)
from tdkt_contracts.vocabulary import UnitKind

from .codes import Code
from .unit import UnitState, UnitStatus

if TYPE_CHECKING:
    from .person import PersonState

UNIT_EVENTS = (
    UnitEstablished,
    UnitRenamed,
    UnitMoved,
    UnitMerged,
    UnitDissolved,
    UnitEvaluationRecorded,
    UnitEvaluationCorrected,
)
"""Event types of the unit stream (the ones an OrgTree folds)."""


class TreeNode(BaseModel):
    """One unit in a snapshot of the tree, with the name in force on the snapshot date."""

    model_config = ConfigDict(frozen=True)

    unit_id: str
    code: str
    kind: UnitKind
    name: str
    parent_id: str | None
    children: tuple[str, ...] = ()
    established_on: date


class TreeSnapshot(BaseModel):
    """The tree as it stood on one day: active units only, names in force that day."""

    model_config = ConfigDict(frozen=True)

    on: date
    nodes: tuple[TreeNode, ...]
    """Every active unit, ordered by code."""
    roots: tuple[str, ...]

    def node(self, unit_id: str) -> TreeNode | None:
        return next((n for n in self.nodes if n.unit_id == unit_id), None)

    def __contains__(self, unit_id: object) -> bool:
        return any(n.unit_id == unit_id for n in self.nodes)

    def name_of(self, unit_id: str) -> str | None:
        node = self.node(unit_id)
        return node.name if node else None

    def children(self, unit_id: str) -> tuple[str, ...]:
        node = self.node(unit_id)
        return node.children if node else ()

    def path(self, unit_id: str) -> list[str]:
        """Names from the root down to the unit."""
        names: list[str] = []
        node = self.node(unit_id)
        seen: set[str] = set()
        while node is not None and node.unit_id not in seen:
            seen.add(node.unit_id)
            names.append(node.name)
            node = self.node(node.parent_id) if node.parent_id else None
        return list(reversed(names))

    def nested(self) -> list[dict[str, Any]]:
        """The tree as nested JSON-ready dicts (``children`` lists), roots first."""
        by_id = {n.unit_id: n for n in self.nodes}

        def build(unit_id: str) -> dict[str, Any]:
            n = by_id[unit_id]
            return {
                "unit_id": n.unit_id,
                "code": n.code,
                "kind": n.kind.value,
                "name": n.name,
                "children": [build(c) for c in n.children],
            }

        return [build(r) for r in self.roots]


class OrgTree:
    """All units, immutable. Methods taking ``on`` answer for that day; with
    ``on=None`` they answer for the latest recorded state."""

    __slots__ = ("_units",)

    def __init__(self, units: Iterable[UnitState] = ()) -> None:
        self._units: dict[str, UnitState] = {u.unit_id: u for u in units if u.exists}

    # ---------------------------------------------------------------- building

    @classmethod
    def from_events(cls, events: Iterable[EventPayload]) -> OrgTree:
        """Fold unit events (each unit's in stream order; other events are ignored)."""
        tree = cls()
        for event in events:
            tree = tree.apply(event)
        return tree

    def apply(self, event: EventPayload) -> OrgTree:
        """The tree after one event of a unit stream; other events leave it unchanged."""
        if not isinstance(event, UNIT_EVENTS):
            return self
        state = self._units.get(event.unit_id) or UnitState.initial(event.unit_id)
        return self.with_unit(state.apply(event))

    def with_unit(self, state: UnitState) -> OrgTree:
        """The tree with one unit's state replaced (or added)."""
        units = dict(self._units)
        if state.exists:
            units[state.unit_id] = state
        else:
            units.pop(state.unit_id, None)
        new = OrgTree()
        new._units = units
        return new

    # ---------------------------------------------------------------- lookup

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units

    def __iter__(self) -> Iterator[UnitState]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    @property
    def units(self) -> Mapping[str, UnitState]:
        return dict(self._units)

    def get(self, unit_id: str | None) -> UnitState | None:
        return self._units.get(unit_id) if unit_id is not None else None

    def require(self, unit_id: str) -> UnitState:
        """The unit, or NotFound ``unit_not_found``."""
        unit = self._units.get(unit_id)
        if unit is None:
            raise NotFound(Code.UNIT_NOT_FOUND, f"unit {unit_id!r} does not exist", unit_id=unit_id)
        return unit

    def require_active(self, unit_id: str, on: date | None = None) -> UnitState:
        """The unit, if it exists, is active now and (given ``on``) was established by ``on``.

        Raises ``unit_not_found``, ``unit_dissolved``, ``unit_merged`` or ``unit_not_established``.
        """
        unit = self.require(unit_id)
        ensure_active(unit)
        if on is not None and unit.established_on is not None and on < unit.established_on:
            raise DomainError(
                Code.UNIT_NOT_ESTABLISHED,
                f"unit {unit_id!r} ({unit.name}) was established on {unit.established_on}, after {on}",
                unit_id=unit_id,
                established_on=unit.established_on.isoformat(),
                on=on.isoformat(),
            )
        return unit

    def code_owner(self, code: str) -> str | None:
        """Id of the active unit using ``code`` (case-insensitive), if any."""
        code = code.upper()
        return next((u.unit_id for u in self._units.values() if u.active and u.code.upper() == code), None)

    def is_active(self, unit_id: str, on: date) -> bool:
        unit = self._units.get(unit_id)
        return unit is not None and unit.is_active_on(on)

    def name_on(self, unit_id: str, on: date) -> str | None:
        unit = self._units.get(unit_id)
        return unit.name_on(on) if unit else None

    def name_for_year(self, unit_id: str, year: int) -> str | None:
        """The unit's name for a report on ``year`` (in force on 31 December, or on its last day)."""
        unit = self._units.get(unit_id)
        return unit.name_for_year(year) if unit else None

    def resolve(self, unit_id: str, on: date | None = None) -> str:
        """The unit that carries ``unit_id`` on that day: itself, or for a unit
        merged on or before ``on``, the absorbing unit (following chains)."""
        on = on or date.max
        seen: set[str] = set()
        current = unit_id
        while current not in seen:
            seen.add(current)
            unit = self._units.get(current)
            if unit is None or unit.merged_into is None or unit.closed_on is None or unit.closed_on > on:
                return current
            current = unit.merged_into
        return current

    # ---------------------------------------------------------------- structure

    def parent_of(self, unit_id: str, on: date | None = None) -> str | None:
        unit = self._units.get(unit_id)
        if unit is None:
            return None
        return unit.parent_id if on is None else unit.parent_on(on)

    def ancestors(self, unit_id: str, on: date | None = None) -> list[str]:
        """Parent, grandparent, … up to a top-level unit (nearest first)."""
        return self._ancestors(unit_id, on, {})

    def _ancestors(self, unit_id: str, on: date | None, override: dict[str, str | None]) -> list[str]:
        out: list[str] = []
        seen = {unit_id}
        current = override[unit_id] if unit_id in override else self.parent_of(unit_id, on)
        while current is not None:
            out.append(current)
            if current in seen:  # a cycle: stop (only reachable through ``override``)
                break
            seen.add(current)
            current = override[current] if current in override else self.parent_of(current, on)
        return out

    def children(self, unit_id: str, on: date | None = None) -> list[str]:
        """Units whose parent is ``unit_id``: active now (``on=None``) or on that day."""
        return sorted(
            u.unit_id
            for u in self._units.values()
            if (u.active if on is None else u.is_active_on(on))
            and (u.parent_id if on is None else u.parent_on(on)) == unit_id
        )

    def descendants(self, unit_id: str, on: date | None = None) -> list[str]:
        out: list[str] = []
        todo = [unit_id]
        while todo:
            for child in self.children(todo.pop(), on):
                if child not in out and child != unit_id:
                    out.append(child)
                    todo.append(child)
        return out

    def within(self, unit_id: str, root_id: str, on: date | None = None) -> bool:
        """``unit_id`` — through merges, the unit that carries it — is ``root_id`` or under it (a unit officer's
        scope: their unit and the units under it)."""
        carrier = self.resolve(unit_id, on)
        return carrier == root_id or root_id in self.ancestors(carrier, on)

    def change_dates(self, since: date) -> list[date]:
        """``since`` and every later effective date recorded anywhere in the tree."""
        dates = {since}
        for u in self._units.values():
            dates.update(e.effective_on for e in u.names if e.effective_on > since)
            dates.update(e.effective_on for e in u.parents if e.effective_on > since)
            if u.closed_on is not None and u.closed_on > since:
                dates.add(u.closed_on)
        return sorted(dates)

    def would_create_cycle(self, unit_id: str, new_parent_id: str | None, on: date | None = None) -> bool:
        """Whether placing ``unit_id`` under ``new_parent_id`` (from ``on`` onwards)
        makes a unit its own ancestor — now, or on any later date of the history."""
        if new_parent_id is None:
            return False
        if new_parent_id == unit_id:
            return True
        override = {unit_id: new_parent_id}
        days: list[date | None] = [None]
        if on is not None:
            days += self.change_dates(on)
        return any(unit_id in self._ancestors(new_parent_id, day, override) for day in days)

    def children_from(self, unit_id: str, on: date) -> list[str]:
        """Units that have ``unit_id`` as their parent now or on any day from ``on`` on."""
        found: set[str] = set(self.children(unit_id))
        for day in self.change_dates(on):
            found.update(self.children(unit_id, day))
        return sorted(found)

    def as_of(self, on: date) -> TreeSnapshot:
        """The tree on that day: active units, each with its name and parent then."""
        active = {u.unit_id: u for u in self._units.values() if u.is_active_on(on)}
        parents: dict[str, str | None] = {}
        for unit_id, unit in active.items():
            parent = unit.parent_on(on)
            if parent is not None and parent not in active:
                # Defensive: a parent closed before its child (the decisions refuse this).
                parent = self.resolve(parent, on)
                parent = parent if parent in active and parent != unit_id else None
            parents[unit_id] = parent
        kids: dict[str, list[str]] = {u: [] for u in active}
        for unit_id, parent in parents.items():
            if parent is not None:
                kids[parent].append(unit_id)

        def order(ids: Iterable[str]) -> tuple[str, ...]:
            return tuple(sorted(ids, key=lambda i: (active[i].code, i)))

        nodes = tuple(
            TreeNode(
                unit_id=unit_id,
                code=active[unit_id].code,
                kind=active[unit_id].kind or UnitKind.OTHER,
                name=active[unit_id].name_on(on),
                parent_id=parents[unit_id],
                children=order(kids[unit_id]),
                established_on=active[unit_id].established_on or on,
            )
            for unit_id in order(active)
        )
        return TreeSnapshot(on=on, nodes=nodes, roots=order(u for u, p in parents.items() if p is None))

    # ---------------------------------------------------------------- people

    def headcount(self, people: Iterable[PersonState], year: int) -> dict[str, int]:
        """People per unit for ``year``; see :func:`.queries.headcount_by_unit`."""
        from .queries import headcount_by_unit

        return headcount_by_unit(people, year, self)


def ensure_active(unit: UnitState) -> None:
    """Raise ``unit_dissolved`` or ``unit_merged`` (Conflict) for a closed unit."""
    if unit.status is UnitStatus.DISSOLVED:
        raise Conflict(
            Code.UNIT_DISSOLVED,
            f"unit {unit.unit_id!r} ({unit.name}) was dissolved on {unit.closed_on}",
            unit_id=unit.unit_id,
            closed_on=unit.closed_on.isoformat() if unit.closed_on else None,
        )
    if unit.status is UnitStatus.MERGED:
        raise Conflict(
            Code.UNIT_MERGED,
            f"unit {unit.unit_id!r} ({unit.name}) was merged into {unit.merged_into!r} on {unit.closed_on}",
            unit_id=unit.unit_id,
            into_unit_id=unit.merged_into,
            closed_on=unit.closed_on.isoformat() if unit.closed_on else None,
        )
