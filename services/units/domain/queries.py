"""Pure read-side answers of the units context: headcount and grades by unit
and year, and a person's full record.

Which unit a person belongs to for a year (used by both headcount and grades):

    the unit they are recorded in on 31 December of that year, or — if they
    left during the year — on their last day (the day before
    ``PersonLeft.effective_on``); a person enrolled after 31 December, or who
    left before 1 January, does not count for that year. That unit is then
    *resolved* through merges on that same day: after a merge, the people of
    the merged unit count under the absorbing unit.

So a person counts exactly once per year, in one unit. A unit's count does
not include its sub-units (sum :meth:`OrgTree.descendants` for a roll-up).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from pydantic import BaseModel, ConfigDict

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.units import InitiativeRecognized, LeaveReason
from tdkt_contracts.vocabulary import DisciplineForm, Grade, InitiativeKind, Level, Sex, StaffCategory

from .evaluation import Correction
from .initiative import InitiativeState
from .person import DisciplineRecord, PersonState, fold_person
from .tree import OrgTree

# --------------------------------------------------------------------------- headcount


def placement_for_year(person: PersonState, year: int, tree: OrgTree | None = None) -> str | None:
    """The (merge-resolved) unit ``person`` counts in for ``year``, or None if they don't count."""
    day = person.reference_date(year)
    if day is None:
        return None
    unit_id = person.unit_on(day)
    if unit_id is None:
        return None
    return tree.resolve(unit_id, day) if tree is not None else unit_id


def members_by_unit(people: Iterable[PersonState], year: int, tree: OrgTree | None = None) -> dict[str, list[str]]:
    """Person ids per unit for ``year`` (see the module docstring for the rule)."""
    found: dict[str, list[str]] = defaultdict(list)
    for person in people:
        if not person.exists:
            continue
        unit_id = placement_for_year(person, year, tree)
        if unit_id is not None:
            found[unit_id].append(person.person_id)
    return {u: sorted(ids) for u, ids in sorted(found.items())}


def headcount_by_unit(people: Iterable[PersonState], year: int, tree: OrgTree | None = None) -> dict[str, int]:
    """Number of people per unit for ``year``; units with nobody are absent."""
    return {u: len(ids) for u, ids in members_by_unit(people, year, tree).items()}


# --------------------------------------------------------------------------- grades


class PersonGrade(BaseModel):
    model_config = ConfigDict(frozen=True)

    person_id: str
    grade: Grade
    corrected: bool = False


class UnitYearGrades(BaseModel):
    """The grades of one unit for one year: its own grade and its people's."""

    model_config = ConfigDict(frozen=True)

    unit_id: str
    code: str
    name: str
    """The unit's name in that year (in force on 31 December, or on its last day)."""
    year: int
    unit_grade: Grade | None
    headcount: int
    counts: dict[Grade, int]
    """People per grade in force (after corrections); every grade is a key."""
    ungraded: int
    """People counted in the unit for the year who have no grade."""
    people: tuple[PersonGrade, ...]

    @property
    def graded(self) -> int:
        return sum(self.counts.values())


def grades_by_unit(people: Iterable[PersonState], year: int, tree: OrgTree) -> list[UnitYearGrades]:
    """Per unit for ``year``: the unit's own grade, and its people's grades counted
    in the unit they belong to for that year (see the module docstring). A grade
    for a year before the person's first recorded unit counts in the unit stored
    with the grade. Units active at some time in the year, or holding a grade,
    are listed, ordered by code."""
    people = [p for p in people if p.exists]
    members = members_by_unit(people, year, tree)
    grades: dict[str, list[PersonGrade]] = defaultdict(list)
    for person in people:
        record = person.grade_for(year)
        if record is None:
            continue
        unit_id = placement_for_year(person, year, tree)
        if unit_id is None and record.unit_id is not None:
            unit_id = tree.resolve(record.unit_id, date(year, 12, 31))
        if unit_id is None:
            continue
        grades[unit_id].append(PersonGrade(person_id=person.person_id, grade=record.grade, corrected=record.corrected))

    first, last = date(year, 1, 1), date(year, 12, 31)
    listed = {
        u.unit_id
        for u in tree
        if u.established_on is not None
        and u.established_on <= last
        and (u.closed_on is None or u.closed_on > first)
    }
    listed |= set(members) | set(grades)
    listed |= {u.unit_id for u in tree if u.grade_for(year) is not None}

    out: list[UnitYearGrades] = []
    for unit_id in listed:
        unit = tree.get(unit_id)
        unit_record = unit.grade_for(year) if unit else None
        people_grades = tuple(sorted(grades.get(unit_id, []), key=lambda g: g.person_id))
        member_ids = set(members.get(unit_id, []))
        graded_members = {g.person_id for g in people_grades} & member_ids
        counts = {g: 0 for g in Grade}
        for g in people_grades:
            counts[g.grade] += 1
        out.append(
            UnitYearGrades(
                unit_id=unit_id,
                code=unit.code if unit else "",
                name=unit.name_for_year(year) if unit else unit_id,
                year=year,
                unit_grade=unit_record.grade if unit_record else None,
                headcount=len(member_ids),
                counts=counts,
                ungraded=len(member_ids - graded_members),
                people=people_grades,
            )
        )
    return sorted(out, key=lambda r: (r.code, r.unit_id))


# --------------------------------------------------------------------------- person record


class UnitStintView(BaseModel):
    model_config = ConfigDict(frozen=True)

    unit_id: str
    unit_name: str | None
    """The unit's name when the person joined it."""
    start: date
    end: date | None
    """First day no longer there; None while there."""
    position: str
    decision_number: str | None = None


class GradeView(BaseModel):
    model_config = ConfigDict(frozen=True)

    year: int
    grade: Grade
    """The grade in force (after corrections)."""
    recorded_grade: Grade
    unit_id: str | None
    unit_name: str | None
    """The unit's name that year."""
    decision_number: str | None = None
    legal_basis: str | None = None
    corrections: tuple[Correction, ...] = ()


class InitiativeView(BaseModel):
    model_config = ConfigDict(frozen=True)

    initiative_id: str
    kind: InitiativeKind
    level: Level
    year: int
    title: str
    decision_number: str
    decided_on: date
    unit_id: str
    co_author_ids: tuple[str, ...]


class PersonRecord(BaseModel):
    """A person's full record (hồ sơ): identity, unit history, grades with their
    corrections, disciplines, initiatives. Contains discipline details:
    internal use only."""

    model_config = ConfigDict(frozen=True)

    person_id: str
    full_name: str
    sex: Sex
    date_of_birth: date
    sector_joined_on: date
    staff_category: StaffCategory
    union_member: bool
    on_staff: bool
    left_on: date | None
    leave_reason: LeaveReason | None
    unit_id: str | None
    """The unit the person is recorded in (the last one, if they left)."""
    effective_unit_id: str | None
    """``unit_id`` resolved through merges: the unit that carries them now."""
    effective_unit_name: str | None
    position: str | None
    units: tuple[UnitStintView, ...]
    grades: tuple[GradeView, ...]
    disciplines: tuple[DisciplineRecord, ...]
    initiatives: tuple[InitiativeView, ...]

    def grade_for(self, year: int) -> Grade | None:
        return next((g.grade for g in self.grades if g.year == year), None)

    @property
    def heaviest_discipline(self) -> DisciplineForm | None:
        forms = [d.form for d in self.disciplines if not d.annulled]
        return max(forms, key=lambda f: f.severity, default=None)


def person_record(
    person: PersonState, *, initiatives: Iterable[InitiativeState] = (), tree: OrgTree | None = None
) -> PersonRecord:
    """The full record of ``person``. ``initiatives`` may hold any initiatives;
    those the person co-authored are kept. ``tree`` supplies unit names (ids only without it)."""
    if not person.exists or person.sex is None or person.date_of_birth is None:
        raise ValueError(f"person {person.person_id!r} is not enrolled")
    assert person.sector_joined_on is not None and person.staff_category is not None

    def name_on(unit_id: str | None, on: date) -> str | None:
        return tree.name_on(unit_id, on) if tree is not None and unit_id is not None else None

    effective = tree.resolve(person.unit_id) if tree is not None and person.unit_id is not None else person.unit_id
    effective_unit = tree.get(effective) if tree is not None else None
    return PersonRecord(
        person_id=person.person_id,
        full_name=person.full_name,
        sex=person.sex,
        date_of_birth=person.date_of_birth,
        sector_joined_on=person.sector_joined_on,
        staff_category=person.staff_category,
        union_member=person.union_member,
        on_staff=not person.has_left,
        left_on=person.left_on,
        leave_reason=person.leave_reason,
        unit_id=person.unit_id,
        effective_unit_id=effective,
        effective_unit_name=effective_unit.name if effective_unit else None,
        position=person.position,
        units=tuple(
            UnitStintView(
                unit_id=s.unit_id,
                unit_name=name_on(s.unit_id, s.start),
                start=s.start,
                end=s.end,
                position=s.position,
                decision_number=s.decision_number,
            )
            for s in person.stints
        ),
        grades=tuple(
            GradeView(
                year=r.year,
                grade=r.grade,
                recorded_grade=r.recorded_grade,
                unit_id=r.unit_id,
                unit_name=tree.name_for_year(r.unit_id, r.year) if tree is not None and r.unit_id else None,
                decision_number=r.decision_number,
                legal_basis=r.legal_basis,
                corrections=r.corrections,
            )
            for r in person.evaluations
        ),
        disciplines=tuple(sorted(person.disciplines, key=lambda d: (d.starts_on, d.discipline_id))),
        initiatives=tuple(
            InitiativeView(
                initiative_id=i.initiative_id,
                kind=i.kind,
                level=i.level,
                year=i.year,
                title=i.title,
                decision_number=i.decision_number,
                decided_on=i.decided_on,
                unit_id=i.unit_id,
                co_author_ids=tuple(a for a in i.author_ids if a != person.person_id),
            )
            for i in sorted(initiatives, key=lambda i: (i.year or 0, i.initiative_id))
            if i.exists and person.person_id in i.author_ids
            and i.kind is not None and i.level is not None and i.year is not None and i.decided_on is not None
        ),
    )


def person_record_from_events(
    person_events: Iterable[EventPayload],
    initiative_events: Iterable[EventPayload] = (),
    tree: OrgTree | None = None,
) -> PersonRecord:
    """:func:`person_record` straight from a person's stream and any initiative events."""
    by_id: dict[str, InitiativeState] = {}
    for event in initiative_events:
        if isinstance(event, InitiativeRecognized):
            state = by_id.get(event.initiative_id) or InitiativeState.initial(event.initiative_id)
            by_id[event.initiative_id] = state.apply(event)
    return person_record(fold_person(person_events), initiatives=by_id.values(), tree=tree)
