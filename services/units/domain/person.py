"""The person aggregate (cán bộ, công chức, viên chức, người lao động): state folded from its events.

Where a person works is a list of :class:`Stint` — ``[start, end)`` in one unit —
so "which unit on this date / for this year" is a pure lookup. Grades, with
their corrections, and disciplines live on the same stream.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from pydantic import BaseModel, ConfigDict
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.units import (
    DisciplineEnded,
    DisciplineEnding,
    DisciplineImposed,
    LeaveReason,
    PersonEnrolled,
    PersonEvaluationCorrected,
    PersonEvaluationRecorded,
    PersonLeft,
    PersonProfileRecorded,
    PersonTransferred,
)
from tdkt_contracts.vocabulary import DisciplineForm, Sex, StaffCategory

from kernel.aggregate import fold

from . import evaluation
from .evaluation import Correction, EvaluationRecord


class Stint(BaseModel):
    """A period in one unit: from ``start`` (included) to ``end`` (excluded; None = still there)."""

    model_config = ConfigDict(frozen=True)

    unit_id: str
    start: date
    end: date | None = None
    position: str
    decision_number: str | None = None

    def covers(self, on: date) -> bool:
        return self.start <= on and (self.end is None or on < self.end)


class DisciplineRecord(BaseModel):
    """One discipline: in force from ``starts_on`` to ``ends_on`` / ``ended_on`` (inclusive)."""

    model_config = ConfigDict(frozen=True)

    discipline_id: str
    form: DisciplineForm
    reason: str
    decision_number: str
    decided_on: date
    starts_on: date
    ends_on: date | None = None
    ended_on: date | None = None
    ending: DisciplineEnding | None = None
    end_note: str | None = None

    @property
    def ended(self) -> bool:
        return self.ended_on is not None

    @property
    def annulled(self) -> bool:
        return self.ending is DisciplineEnding.ANNULLED

    @property
    def last_day(self) -> date | None:
        """Last day in force: the earlier of ``ends_on`` and ``ended_on``; None if open-ended."""
        days = [d for d in (self.ends_on, self.ended_on) if d is not None]
        return min(days) if days else None

    def in_force_on(self, on: date) -> bool:
        """Whether the discipline applies on that day. An annulled discipline never applied."""
        if self.annulled:
            return False
        last = self.last_day
        return self.starts_on <= on and (last is None or on <= last)


class PersonState(BaseModel):
    """Everything a person's stream says about them. Frozen; ``apply`` returns a new one."""

    model_config = ConfigDict(frozen=True)

    person_id: str = ""
    enrolled: bool = False
    full_name: str = ""
    sex: Sex | None = None
    date_of_birth: date | None = None
    sector_joined_on: date | None = None
    staff_category: StaffCategory | None = None
    union_member: bool = False
    stints: tuple[Stint, ...] = ()
    left_on: date | None = None
    """First day no longer on the staff."""
    leave_reason: LeaveReason | None = None
    evaluations: tuple[EvaluationRecord, ...] = ()
    disciplines: tuple[DisciplineRecord, ...] = ()
    version: int = 0

    @classmethod
    def initial(cls, person_id: str = "") -> PersonState:
        return cls(person_id=person_id)

    # ---------------------------------------------------------------- reading

    @property
    def exists(self) -> bool:
        return self.enrolled

    @property
    def has_left(self) -> bool:
        return self.left_on is not None

    @property
    def unit_id(self) -> str | None:
        """The current unit (the last one, for a person who left)."""
        return self.stints[-1].unit_id if self.stints else None

    @property
    def position(self) -> str | None:
        return self.stints[-1].position if self.stints else None

    @property
    def last_change_on(self) -> date | None:
        """The latest effective date of the person's employment history."""
        dates = [s.start for s in self.stints]
        if self.left_on is not None:
            dates.append(self.left_on)
        return max(dates, default=None)

    def unit_on(self, on: date) -> str | None:
        """The unit the person is recorded in on that day, or None if not employed then."""
        if self.left_on is not None and on >= self.left_on:
            return None
        for stint in reversed(self.stints):
            if stint.start <= on:
                return stint.unit_id
        return None

    def reference_date(self, year: int) -> date | None:
        """The day that places the person in ``year``: 31 December, or the last day
        before leaving if they left during the year. None if they were not on the
        staff (as recorded) at that day."""
        day = date(year, 12, 31)
        if self.left_on is not None and self.left_on <= day:
            day = self.left_on - timedelta(days=1)
        if day.year != year or not self.stints or day < self.stints[0].start:
            return None
        return day

    def unit_for_year(self, year: int) -> str | None:
        """The unit the person belongs to for ``year`` (grades and headcount use it):
        the unit on :meth:`reference_date`; for a year before the first recorded
        stint, the first unit; None for a year after they left."""
        day = self.reference_date(year)
        if day is not None:
            return self.unit_on(day)
        if self.stints and year <= self.stints[0].start.year:
            return self.stints[0].unit_id
        return None

    @property
    def last_working_year(self) -> int | None:
        """The last year the person was on the staff, for someone who left."""
        return (self.left_on - timedelta(days=1)).year if self.left_on else None

    def grade_for(self, year: int) -> EvaluationRecord | None:
        return evaluation.find(self.evaluations, year)

    def discipline(self, discipline_id: str) -> DisciplineRecord | None:
        return next((d for d in self.disciplines if d.discipline_id == discipline_id), None)

    def disciplines_in_force_on(self, on: date) -> list[DisciplineRecord]:
        return [d for d in self.disciplines if d.in_force_on(on)]

    # ---------------------------------------------------------------- folding

    def apply(self, event: EventPayload) -> PersonState:
        """The state after ``event``. Never fails; events of other aggregates are ignored."""
        update: dict[str, object]
        match event:
            case PersonEnrolled():
                update = {
                    "person_id": event.person_id,
                    "enrolled": True,
                    "full_name": event.full_name,
                    "sector_joined_on": event.sector_joined_on,
                    "staff_category": event.staff_category,
                    "stints": (Stint(unit_id=event.unit_id, start=event.effective_on, position=event.position),),
                }
            case PersonProfileRecorded():
                update = {"sex": event.sex, "date_of_birth": event.date_of_birth, "union_member": event.union_member}
            case PersonTransferred():
                closed = tuple(
                    s.model_copy(update={"end": event.effective_on}) if s.end is None else s for s in self.stints
                )
                stint = Stint(
                    unit_id=event.to_unit_id,
                    start=event.effective_on,
                    position=event.position,
                    decision_number=event.decision_number,
                )
                update = {"stints": closed + (stint,)}
            case PersonLeft():
                closed = tuple(
                    s.model_copy(update={"end": event.effective_on}) if s.end is None else s for s in self.stints
                )
                update = {"stints": closed, "left_on": event.effective_on, "leave_reason": event.reason}
            case PersonEvaluationRecorded():
                record = EvaluationRecord(
                    year=event.year,
                    recorded_grade=event.grade,
                    unit_id=event.unit_id,
                    decision_number=event.decision_number,
                    legal_basis=event.legal_basis,
                )
                update = {"evaluations": evaluation.add(self.evaluations, record)}
            case PersonEvaluationCorrected():
                correction = Correction(
                    grade=event.grade,
                    previous_grade=event.previous_grade,
                    reason=event.reason,
                    decision_number=event.decision_number,
                )
                update = {"evaluations": evaluation.correct(self.evaluations, event.year, correction)}
            case DisciplineImposed():
                record = DisciplineRecord(
                    discipline_id=event.discipline_id,
                    form=event.form,
                    reason=event.reason,
                    decision_number=event.decision_number,
                    decided_on=event.decided_on,
                    starts_on=event.starts_on,
                    ends_on=event.ends_on,
                )
                others = tuple(d for d in self.disciplines if d.discipline_id != event.discipline_id)
                update = {"disciplines": others + (record,)}
            case DisciplineEnded():
                update = {
                    "disciplines": tuple(
                        d.model_copy(update={"ended_on": event.ended_on, "ending": event.ending, "end_note": event.note})
                        if d.discipline_id == event.discipline_id
                        else d
                        for d in self.disciplines
                    )
                }
            case _:
                return self
        update["version"] = self.version + 1
        return self.model_copy(update=update)


def fold_person(events: Iterable[EventPayload], state: PersonState | None = None) -> PersonState:
    """Fold a person's events (in stream order) onto ``state`` (default: the initial state)."""
    return fold(state or PersonState.initial(), events)
