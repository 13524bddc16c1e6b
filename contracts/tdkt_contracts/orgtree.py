"""The organisation tree over time, as a subscriber of the units events folds it.

Every context that follows the units context keeps its own replica of the units
tree (its own table, never the units service's) and asks it the same questions:
was this unit there on that day, who was its parent, which unit carries it after
a merge, is it under that unit. This module is the one model of those answers,
pure (no I/O, standard library only), so the contexts share one meaning of the
events' dates instead of each writing its own:

* ``effective_on`` is the first day a change is in force (``unit.established``,
  ``unit.moved``, ``unit.merged``, ``unit.dissolved``);
* a unit is active from its establishment up to the day *before* its merge or
  dissolution (:attr:`UnitHistory.ended_on` is the first day it no longer exists);
* a parent is in force from its day until the next one (:data:`Timeline`); two
  changes of the same day: the later one recorded wins;
* a merged unit *resolves* to the unit it was merged into from the merge date on,
  following chains of merges (:meth:`UnitTree.resolve`): what was recorded in it
  counts there.

Facts may arrive out of order across units (a child's establishment before its
parent's): every ``with_*`` method records what it is told and never fails. A
cycle in bad data ends a walk instead of looping.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

Timeline = tuple[tuple[date, "str | None"], ...]
"""Sorted (from day, value) pairs; the value in force on day d is that of the last pair dated <= d."""


def in_force(timeline: Timeline, day: date) -> str | None:
    """The value in force on ``day`` (None before the first entry)."""
    index = bisect.bisect_right([d for d, _ in timeline], day)
    return timeline[index - 1][1] if index else None


def with_entry(timeline: Timeline, day: date, value: str | None) -> Timeline:
    """The timeline with ``value`` in force from ``day``; an entry of the same day is replaced."""
    kept = [(d, v) for d, v in timeline if d != day]
    kept.append((day, value))
    return tuple(sorted(kept, key=lambda pair: pair[0]))


H = TypeVar("H", bound="UnitHistory")


@dataclass(frozen=True, slots=True)
class UnitHistory:
    """What a replica knows of one unit's place in the tree. A context may subclass it to
    keep more of the unit (its grades, its name) beside it: the ``with_*`` methods keep
    the subclass."""

    unit_id: str
    established_on: date | None = None
    """None until ``unit.established`` arrives."""
    ended_on: date | None = None
    """First day the unit no longer exists (merge or dissolution), if any."""
    merged_into: str | None = None
    """The absorbing unit, for a merge (None for a dissolution)."""
    parents: Timeline = ()

    # -- reading ------------------------------------------------------------------

    def active_on(self, day: date) -> bool:
        """Whether the unit exists on ``day``. A unit never established is not active."""
        if self.established_on is None or self.established_on > day:
            return False
        return self.ended_on is None or day < self.ended_on

    def parent_on(self, day: date) -> str | None:
        """Its parent on ``day`` (None: top level, or before its first parent is known)."""
        return in_force(self.parents, day)

    def merged_by(self, day: date) -> str | None:
        """The unit it was merged into, if that merge is in force on ``day``."""
        if self.merged_into is not None and self.ended_on is not None and self.ended_on <= day:
            return self.merged_into
        return None

    # -- folding the units events -------------------------------------------------

    def with_established(self: H, on: date, parent_id: str | None) -> H:
        """``unit.established``: it exists from ``on``, under ``parent_id``."""
        return replace(self, established_on=on, parents=with_entry(self.parents, on, parent_id))

    def with_moved(self: H, on: date, parent_id: str | None) -> H:
        """``unit.moved``: under ``parent_id`` from ``on``."""
        return replace(self, parents=with_entry(self.parents, on, parent_id))

    def with_merged(self: H, on: date, into_unit_id: str) -> H:
        """``unit.merged``: ends the day before ``on``; its records count in ``into_unit_id`` from then."""
        return replace(self, ended_on=on, merged_into=into_unit_id)

    def with_dissolved(self: H, on: date) -> H:
        """``unit.dissolved``: ends the day before ``on``."""
        return replace(self, ended_on=on, merged_into=None)


class UnitTree:
    """Units by id, read-only, answering for any day. Wraps the mapping it is given (no
    copy), so a replica can build one per question at no cost."""

    __slots__ = ("_units",)

    def __init__(self, units: Mapping[str, UnitHistory] | Iterable[UnitHistory]) -> None:
        self._units: Mapping[str, UnitHistory] = (
            units if isinstance(units, Mapping) else {u.unit_id: u for u in units}
        )

    def __contains__(self, unit_id: object) -> bool:
        return unit_id in self._units

    def __iter__(self) -> Iterator[UnitHistory]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def get(self, unit_id: str | None) -> UnitHistory | None:
        """The unit, or None if no fact named it."""
        return self._units.get(unit_id) if unit_id is not None else None

    def resolve(self, unit_id: str, day: date) -> str:
        """The unit that carries ``unit_id`` on ``day``: itself, or for a unit merged by
        then, the absorbing unit (following chains of merges)."""
        seen = {unit_id}
        current = unit_id
        while (unit := self._units.get(current)) is not None and (into := unit.merged_by(day)) is not None:
            if into in seen:  # a cycle in bad data: stop where we are
                return current
            seen.add(into)
            current = into
        return current

    def lineage(self, unit_id: str, day: date) -> list[str]:
        """``unit_id`` and its ancestors on ``day``, nearest first (merges are not followed:
        :meth:`resolve` first for that)."""
        chain = [unit_id]
        while (unit := self._units.get(chain[-1])) is not None:
            parent = unit.parent_on(day)
            if parent is None or parent in chain:
                break
            chain.append(parent)
        return chain

    def ancestors(self, unit_id: str, day: date) -> list[str]:
        """Parent, grandparent, … of ``unit_id`` on ``day``, nearest first."""
        return self.lineage(unit_id, day)[1:]

    def within(self, unit_id: str, root_id: str, day: date) -> bool:
        """Whether ``unit_id`` — or the unit that carries it after merges — is ``root_id`` or
        under it on ``day``."""
        return root_id in self.lineage(self.resolve(unit_id, day), day)

    def is_top_level(self, unit_id: str, day: date) -> bool:
        """Whether the unit is established and has no parent on ``day`` (the ministry)."""
        unit = self._units.get(unit_id)
        return unit is not None and unit.established_on is not None and unit.parent_on(day) is None

    def children(self, unit_id: str, day: date) -> list[str]:
        """The units whose parent on ``day`` is ``unit_id`` and that are active then, by id."""
        return sorted(u.unit_id for u in self._units.values() if u.active_on(day) and u.parent_on(day) == unit_id)

    def subtree(self, root_id: str, day: date) -> set[str]:
        """``root_id`` and every unit active on ``day`` under it."""
        return {root_id} | {
            u.unit_id for u in self._units.values() if u.active_on(day) and root_id in self.lineage(u.unit_id, day)
        }
