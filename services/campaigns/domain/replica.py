"""The campaigns context's local replica of the units context's facts, and its pure
``apply_*`` functions.

The campaigns service never reads the units service's tables: a subscriber maps
each units event to one of the small *fact* models below and folds it into a
:class:`ReplicaState` with :func:`apply_units_fact`. The facts are this
module's own types (not the units context's event classes), so that the
mapping lives in one place, in the subscriber. Our own
``training.reported`` events go in the same way, as :class:`TrainingReportFact`.

Dates follow the units context: ``effective_on`` is the first day a change is
in force. A unit is active from its establishment up to the day before its
merge or dissolution; a person is in a unit from ``effective_on`` up to the day
before the next transfer or leaving.

Counting rules for a year Y (used by :mod:`.targets`), all taken *as of 31
December of Y* (the reference date):

* A **unit counts** in Y if it is active on the reference date, or if it was
  graded for Y (a graded unit was evidently there to be graded).
* A **person counts** in Y, once, if they are on the staff on the reference
  date, or if they were graded for Y. Their unit for Y is the one the grade
  names, else the one on the reference date, else the last one they held in Y
  (NĐ 90 grades people where they are at year end; a person transferred in
  June counts in the new unit only).
* People recorded in a unit that was **merged** count under the absorbing unit
  from the merge date (follow the chain).
* The **tree** (parent of a unit) is taken on the reference date; it decides
  whether a unit falls under a scope (see :func:`in_scope_subtree`).

The units' place in the tree over time — establishment, parents, merges — follows the
model every context shares, :mod:`tdkt_contracts.orgtree` (:class:`UnitRecord` is its
:class:`~tdkt_contracts.orgtree.UnitHistory` with the unit's grades beside it).

Every ``apply_*`` returns a new state and never raises: facts can arrive out
of order across aggregates (a person's enrolment before the establishment of
their unit) and are recorded as they come. Re-applying a fact leaves the state
unchanged (idempotent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from tdkt_contracts.catalogue.campaigns import UnitScope
from tdkt_contracts.orgtree import Timeline, UnitHistory, UnitTree, in_force, with_entry
from tdkt_contracts.vocabulary import Grade

# ---------------------------------------------------------------------------
# Facts: the inputs the subscriber maps the units context's events to
# ---------------------------------------------------------------------------


class _Fact(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitEstablishedFact(_Fact):
    """A unit exists from ``effective_on`` (units: ``unit.established``)."""

    unit_id: str = Field(min_length=1)
    effective_on: date
    parent_id: str | None = None


class UnitMovedFact(_Fact):
    """A unit is under ``parent_id`` from ``effective_on`` (units: ``unit.moved``)."""

    unit_id: str = Field(min_length=1)
    parent_id: str | None
    effective_on: date


class UnitMergedFact(_Fact):
    """A unit is merged into ``into_unit_id`` from ``effective_on`` (units: ``unit.merged``)."""

    unit_id: str = Field(min_length=1)
    into_unit_id: str = Field(min_length=1)
    effective_on: date


class UnitDissolvedFact(_Fact):
    """A unit no longer exists from ``effective_on`` (units: ``unit.dissolved``)."""

    unit_id: str = Field(min_length=1)
    effective_on: date


class UnitEvaluationRecordedFact(_Fact):
    """A unit's grade for a year (units: ``unit.evaluation-recorded``)."""

    unit_id: str = Field(min_length=1)
    year: int
    grade: Grade


class UnitEvaluationCorrectedFact(UnitEvaluationRecordedFact):
    """A corrected grade; replaces the earlier one (units: ``unit.evaluation-corrected``)."""


class PersonEnrolledFact(_Fact):
    """A person is in ``unit_id`` from ``effective_on`` (units: ``person.enrolled``)."""

    person_id: str = Field(min_length=1)
    unit_id: str = Field(min_length=1)
    effective_on: date


class PersonTransferredFact(_Fact):
    """A person is in ``to_unit_id`` from ``effective_on`` (units: ``person.transferred``)."""

    person_id: str = Field(min_length=1)
    to_unit_id: str = Field(min_length=1)
    effective_on: date


class PersonLeftFact(_Fact):
    """A person is off the staff from ``effective_on`` (units: ``person.left``)."""

    person_id: str = Field(min_length=1)
    effective_on: date


class PersonEvaluationRecordedFact(_Fact):
    """A person's grade for a year (units: ``person.evaluation-recorded``). ``unit_id`` is
    the unit the person belonged to for that year, when the source says it."""

    person_id: str = Field(min_length=1)
    year: int
    grade: Grade
    unit_id: str | None = None


class PersonEvaluationCorrectedFact(PersonEvaluationRecordedFact):
    """A corrected grade; replaces the earlier one (units: ``person.evaluation-corrected``)."""


class TrainingReportFact(_Fact):
    """A unit's report of staff who completed a training (campaigns: ``training.reported``).
    A later report for the same unit, year and training replaces the earlier one."""

    unit_id: str = Field(min_length=1)
    year: int
    training_code: str = Field(min_length=1)
    completed: int = Field(ge=0)
    headcount: int = Field(ge=0)


UnitsFact = (
    UnitEstablishedFact
    | UnitMovedFact
    | UnitMergedFact
    | UnitDissolvedFact
    | UnitEvaluationRecordedFact
    | UnitEvaluationCorrectedFact
    | PersonEnrolledFact
    | PersonTransferredFact
    | PersonLeftFact
    | PersonEvaluationRecordedFact
    | PersonEvaluationCorrectedFact
    | TrainingReportFact
)

# ---------------------------------------------------------------------------
# State
# ---------------------------------------------------------------------------


def year_end(year: int) -> date:
    """The reference date of a year: 31 December."""
    return date(year, 12, 31)


@dataclass(frozen=True, slots=True)
class UnitRecord(UnitHistory):
    """What the replica knows of one unit: its place in the tree over time, and its grades."""

    grades: Mapping[int, Grade] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """What the replica knows of one person: where they were, and their grades."""

    person_id: str
    units: Timeline = ()
    """(from date, unit id or None when off the staff)."""
    grades: Mapping[int, tuple[Grade, str | None]] = field(default_factory=lambda: MappingProxyType({}))
    """year -> (grade, the unit the grade was given in, if known)."""

    def unit_on(self, day: date) -> str | None:
        return in_force(self.units, day)

    def last_unit_in(self, year: int) -> str | None:
        """The last unit the person belonged to during ``year`` (None if none)."""
        start, end = date(year, 1, 1), year_end(year)
        last: str | None = self.unit_on(start)
        for day, unit in self.units:
            if start <= day <= end and unit is not None:
                last = unit
        return last


@dataclass(frozen=True, slots=True)
class ReplicaState:
    """Units, people and training reports, as this service knows them (or the part of
    them a decision reads: see :class:`ReplicaNeeds`).

    The service keeps the records in tables (``services.campaigns.projections.replica``)
    and loads a state from them in each command's transaction; the ``apply_*``
    functions are the reference semantics of that projection.
    """

    units: Mapping[str, UnitRecord] = field(default_factory=lambda: MappingProxyType({}))
    people: Mapping[str, PersonRecord] = field(default_factory=lambda: MappingProxyType({}))
    training: Mapping[tuple[str, int, str], tuple[int, int]] = field(default_factory=lambda: MappingProxyType({}))
    """(unit_id, year, training_code) -> (completed, headcount)."""

    # -- reading --------------------------------------------------------------

    def unit(self, unit_id: str) -> UnitRecord:
        return self.units.get(unit_id) or UnitRecord(unit_id)

    @property
    def tree(self) -> UnitTree:
        """The units as the shared tree model (a view of :attr:`units`, not a copy)."""
        return UnitTree(self.units)


@dataclass(frozen=True, slots=True)
class ReplicaNeeds:
    """The part of the replica a decision reads, so a command loads that and no more.
    The units (their tree, dates and grades) are always read: a ministry has a few
    hundred; the people (tens of thousands) and the training reports only when asked."""

    people: frozenset[str] | None = frozenset()
    """The people to load; None: every person."""
    grade_years: frozenset[int] | None = None
    """Of the people loaded, their grades of these years only; None: every year."""
    training: frozenset[tuple[int, str]] = frozenset()
    """The training reports of these (year, training code) pairs."""

    def __or__(self, other: ReplicaNeeds) -> ReplicaNeeds:
        """What either of two decisions reads."""
        people = None if self.people is None or other.people is None else self.people | other.people
        if self.reads_no_people:
            years = other.grade_years
        elif other.reads_no_people:
            years = self.grade_years
        else:
            years = None if self.grade_years is None or other.grade_years is None else (
                self.grade_years | other.grade_years)
        return ReplicaNeeds(people=people, grade_years=years, training=self.training | other.training)

    @property
    def reads_no_people(self) -> bool:
        """Whether no person is to be loaded (``people`` None means every person)."""
        return self.people is not None and not self.people


TREE_ONLY = ReplicaNeeds()
"""The units alone (scope checks, a unit that no longer exists)."""


def in_scope_subtree(replica: ReplicaState, unit_id: str, scope: UnitScope, day: date) -> bool:
    """Whether ``unit_id`` (after merges) is a unit of ``scope`` or under one, on ``day``."""
    if scope.all_units:
        return True
    wanted = set(scope.unit_ids)
    tree = replica.tree
    return any(u in wanted for u in tree.lineage(tree.resolve(unit_id, day), day))


# ---------------------------------------------------------------------------
# apply
# ---------------------------------------------------------------------------


# Each fact's whole meaning is a change of one record (a unit's, a person's) or of one
# training entry. apply_units_fact applies one change to a new state; replay_facts
# applies many to working copies of the maps and freezes them once, so folding n facts
# costs O(n), not O(n x size of the replica) as copying the maps for every fact would.


def _unit_established(record: UnitRecord, fact: UnitEstablishedFact) -> UnitRecord:
    return record.with_established(fact.effective_on, fact.parent_id)


def _unit_moved(record: UnitRecord, fact: UnitMovedFact) -> UnitRecord:
    return record.with_moved(fact.effective_on, fact.parent_id)


def _unit_merged(record: UnitRecord, fact: UnitMergedFact) -> UnitRecord:
    return record.with_merged(fact.effective_on, fact.into_unit_id)


def _unit_dissolved(record: UnitRecord, fact: UnitDissolvedFact) -> UnitRecord:
    return record.with_dissolved(fact.effective_on)


def _unit_evaluation(record: UnitRecord, fact: UnitEvaluationRecordedFact | UnitEvaluationCorrectedFact) -> UnitRecord:
    """Recorded or corrected: the latest grade for the year wins."""
    grades = dict(record.grades)
    grades[fact.year] = fact.grade
    return replace(record, grades=MappingProxyType(grades))


def _person_enrolled(record: PersonRecord, fact: PersonEnrolledFact) -> PersonRecord:
    return replace(record, units=with_entry(record.units, fact.effective_on, fact.unit_id))


def _person_transferred(record: PersonRecord, fact: PersonTransferredFact) -> PersonRecord:
    return replace(record, units=with_entry(record.units, fact.effective_on, fact.to_unit_id))


def _person_left(record: PersonRecord, fact: PersonLeftFact) -> PersonRecord:
    return replace(record, units=with_entry(record.units, fact.effective_on, None))


def _person_evaluation(
    record: PersonRecord, fact: PersonEvaluationRecordedFact | PersonEvaluationCorrectedFact
) -> PersonRecord:
    """Recorded or corrected: the latest grade for the year wins. A correction that
    does not name the unit keeps the unit of the earlier grade."""
    grades = dict(record.grades)
    unit_id = fact.unit_id
    if unit_id is None and fact.year in grades:
        unit_id = grades[fact.year][1]
    grades[fact.year] = (fact.grade, unit_id)
    return replace(record, grades=MappingProxyType(grades))


_UNIT_CHANGES: dict[type, Callable[[UnitRecord, Any], UnitRecord]] = {
    UnitEstablishedFact: _unit_established,
    UnitMovedFact: _unit_moved,
    UnitMergedFact: _unit_merged,
    UnitDissolvedFact: _unit_dissolved,
    UnitEvaluationRecordedFact: _unit_evaluation,
    UnitEvaluationCorrectedFact: _unit_evaluation,
}
_PERSON_CHANGES: dict[type, Callable[[PersonRecord, Any], PersonRecord]] = {
    PersonEnrolledFact: _person_enrolled,
    PersonTransferredFact: _person_transferred,
    PersonLeftFact: _person_left,
    PersonEvaluationRecordedFact: _person_evaluation,
    PersonEvaluationCorrectedFact: _person_evaluation,
}

_UNIT_FACTS = (UnitEstablishedFact, UnitMovedFact, UnitMergedFact, UnitDissolvedFact, UnitEvaluationRecordedFact)
_PERSON_FACTS = (PersonEnrolledFact, PersonTransferredFact, PersonLeftFact, PersonEvaluationRecordedFact)
# (the *Corrected facts subclass the *Recorded ones)


class _Fold:
    """Working copies of a replica's maps, changed in place fact by fact, frozen once."""

    def __init__(self, state: ReplicaState) -> None:
        self.units = dict(state.units)
        self.people = dict(state.people)
        self.training = dict(state.training)

    def add(self, fact: UnitsFact) -> None:
        if isinstance(fact, _UNIT_FACTS):
            unit = self.units.get(fact.unit_id) or UnitRecord(fact.unit_id)
            self.units[fact.unit_id] = _UNIT_CHANGES[type(fact)](unit, fact)
        elif isinstance(fact, _PERSON_FACTS):
            person = self.people.get(fact.person_id) or PersonRecord(fact.person_id)
            self.people[fact.person_id] = _PERSON_CHANGES[type(fact)](person, fact)
        elif isinstance(fact, TrainingReportFact):
            self.training[(fact.unit_id, fact.year, fact.training_code)] = (fact.completed, fact.headcount)
        else:
            raise TypeError(f"not a units fact: {type(fact).__name__}")

    def state(self) -> ReplicaState:
        return ReplicaState(
            units=MappingProxyType(self.units),
            people=MappingProxyType(self.people),
            training=MappingProxyType(self.training),
        )


def apply_units_fact(state: ReplicaState, fact: UnitsFact) -> ReplicaState:
    """Fold one fact into the replica: a new state; ``state`` is left as it was."""
    return replay_facts((fact,), state)


def replay_facts(facts: Iterable[UnitsFact], state: ReplicaState | None = None) -> ReplicaState:
    """Fold many facts in order, starting from ``state`` or an empty replica (which is
    left as it was). Linear in the number of facts."""
    fold = _Fold(state or ReplicaState())
    for fact in facts:
        fold.add(fact)
    return fold.state()


# The reference semantics of each fact, one function per kind (kept for readers and callers).


def apply_unit_established(state: ReplicaState, fact: UnitEstablishedFact) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_unit_moved(state: ReplicaState, fact: UnitMovedFact) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_unit_merged(state: ReplicaState, fact: UnitMergedFact) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_unit_dissolved(state: ReplicaState, fact: UnitDissolvedFact) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_unit_evaluation(
    state: ReplicaState, fact: UnitEvaluationRecordedFact | UnitEvaluationCorrectedFact
) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_person_enrolled(state: ReplicaState, fact: PersonEnrolledFact) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_person_transferred(state: ReplicaState, fact: PersonTransferredFact) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_person_left(state: ReplicaState, fact: PersonLeftFact) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_person_evaluation(
    state: ReplicaState, fact: PersonEvaluationRecordedFact | PersonEvaluationCorrectedFact
) -> ReplicaState:
    return apply_units_fact(state, fact)


def apply_training_report(state: ReplicaState, fact: TrainingReportFact) -> ReplicaState:
    return apply_units_fact(state, fact)


# ---------------------------------------------------------------------------
# Which years a fact can change (used to pick the targets to recompute)
# ---------------------------------------------------------------------------


def years_affected(fact: UnitsFact) -> tuple[int, int | None]:
    """(first year, last year or None for "every later year") whose counts this fact can change."""
    if isinstance(fact, (UnitEvaluationRecordedFact, PersonEvaluationRecordedFact, TrainingReportFact)):
        return fact.year, fact.year
    return fact.effective_on.year, None
