"""The unit aggregate (đơn vị): its state, folded from its own events.

A unit keeps its id for life. Its name and parent are timelines of
``(effective_on, value)`` so that any past date can be answered ("what was
this unit called on 31 December 2022, and where did it sit?").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar

from pydantic import BaseModel, ConfigDict
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

from kernel.aggregate import fold

from . import evaluation
from .evaluation import Correction, EvaluationRecord


class UnitStatus(StrEnum):
    NEW = "new"
    """No event yet: the unit does not exist."""
    ACTIVE = "active"
    MERGED = "merged"
    DISSOLVED = "dissolved"


class NameEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    effective_on: date
    name: str
    decision_number: str | None = None


class ParentEntry(BaseModel):
    model_config = ConfigDict(frozen=True)

    effective_on: date
    parent_id: str | None


class UnitState(BaseModel):
    """Everything the unit's own stream says about it. Frozen; ``apply`` returns a new one.

    It is also the row the handler keeps per unit in its local tree table
    (``model_dump_json`` / ``model_validate_json``), from which :class:`OrgTree` is built.
    """

    model_config = ConfigDict(frozen=True)

    unit_id: str = ""
    status: UnitStatus = UnitStatus.NEW
    code: str = ""
    kind: UnitKind | None = None
    established_on: date | None = None
    names: tuple[NameEntry, ...] = ()
    parents: tuple[ParentEntry, ...] = ()
    closed_on: date | None = None
    """First day the unit no longer exists (merge or dissolution date)."""
    merged_into: str | None = None
    evaluations: tuple[EvaluationRecord, ...] = ()
    version: int = 0
    """Number of events applied (the stream version)."""

    @classmethod
    def initial(cls, unit_id: str = "") -> UnitState:
        return cls(unit_id=unit_id)

    # ---------------------------------------------------------------- reading

    @property
    def exists(self) -> bool:
        return self.status is not UnitStatus.NEW

    @property
    def active(self) -> bool:
        return self.status is UnitStatus.ACTIVE

    @property
    def name(self) -> str:
        """The latest name."""
        return self.names[-1].name if self.names else ""

    @property
    def parent_id(self) -> str | None:
        """The latest parent."""
        return self.parents[-1].parent_id if self.parents else None

    @property
    def last_change_on(self) -> date | None:
        """The latest effective date in the unit's history; a new change may not precede it."""
        dates = [e.effective_on for e in self.names] + [e.effective_on for e in self.parents]
        if self.closed_on is not None:
            dates.append(self.closed_on)
        return max(dates, default=None)

    def is_active_on(self, on: date) -> bool:
        """Whether the unit exists on that day: established on or before it, not yet closed."""
        return (
            self.established_on is not None
            and self.established_on <= on
            and (self.closed_on is None or on < self.closed_on)
        )

    def name_on(self, on: date) -> str:
        """The name in force on that day (the first name for a day before establishment)."""
        found = [e.name for e in self.names if e.effective_on <= on]
        return found[-1] if found else self.name_first

    @property
    def name_first(self) -> str:
        return self.names[0].name if self.names else ""

    def name_for_year(self, year: int) -> str:
        """The name a report for ``year`` uses: the one in force on 31 December,
        or on the unit's last day if it closed during that year."""
        return self.name_on(self.reference_date(year))

    def reference_date(self, year: int) -> date:
        """31 December of ``year``, or the unit's last day if it closed before."""
        last = date(year, 12, 31)
        if self.closed_on is not None and self.closed_on <= last:
            last = self.closed_on - timedelta(days=1)
        return last

    def parent_on(self, on: date) -> str | None:
        found = [e.parent_id for e in self.parents if e.effective_on <= on]
        return found[-1] if found else None

    def grade_for(self, year: int) -> EvaluationRecord | None:
        return evaluation.find(self.evaluations, year)

    # ---------------------------------------------------------------- folding

    def apply(self, event: EventPayload) -> UnitState:
        """The state after ``event``. Never fails; events of other aggregates are ignored."""
        update: dict[str, object]
        match event:
            case UnitEstablished():
                update = {
                    "unit_id": event.unit_id,
                    "status": UnitStatus.ACTIVE,
                    "code": event.code,
                    "kind": event.kind,
                    "established_on": event.effective_on,
                    "names": (NameEntry(effective_on=event.effective_on, name=event.name,
                                        decision_number=event.decision_number),),
                    "parents": (ParentEntry(effective_on=event.effective_on, parent_id=event.parent_id),),
                }
            case UnitRenamed():
                entry = NameEntry(effective_on=event.effective_on, name=event.name, decision_number=event.decision_number)
                update = {"names": _insert(self.names, entry)}
            case UnitMoved():
                entry = ParentEntry(effective_on=event.effective_on, parent_id=event.parent_id)
                update = {"parents": _insert(self.parents, entry)}
            case UnitMerged():
                update = {"status": UnitStatus.MERGED, "closed_on": event.effective_on, "merged_into": event.into_unit_id}
            case UnitDissolved():
                update = {"status": UnitStatus.DISSOLVED, "closed_on": event.effective_on}
            case UnitEvaluationRecorded():
                record = EvaluationRecord(
                    year=event.year,
                    recorded_grade=event.grade,
                    decision_number=event.decision_number,
                    legal_basis=event.legal_basis,
                )
                update = {"evaluations": evaluation.add(self.evaluations, record)}
            case UnitEvaluationCorrected():
                correction = Correction(
                    grade=event.grade,
                    previous_grade=event.previous_grade,
                    reason=event.reason,
                    decision_number=event.decision_number,
                )
                update = {"evaluations": evaluation.correct(self.evaluations, event.year, correction)}
            case _:
                return self
        update["version"] = self.version + 1
        return self.model_copy(update=update)


_Entry = TypeVar("_Entry", NameEntry, ParentEntry)


def _insert(entries: tuple[_Entry, ...], entry: _Entry) -> tuple[_Entry, ...]:
    """Entries with ``entry`` added in effective-date order (after any of the same date)."""
    return tuple(sorted(entries + (entry,), key=lambda e: e.effective_on))


def fold_unit(events: Iterable[EventPayload], state: UnitState | None = None) -> UnitState:
    """Fold a unit's events (in stream order) onto ``state`` (default: the initial state)."""
    return fold(state or UnitState.initial(), events)
