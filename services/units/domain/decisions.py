"""Decision functions of the units context: ``decide_x(state, command, …) -> events``.

Each takes the state of the aggregate the command writes to (the handler
folds its stream; an empty stream gives the ``initial`` state), the command,
and — explicitly, as keyword arguments — whatever else the rule has to see:

- ``today``: the date the command is decided on (the domain never reads the clock);
- ``tree``: an :class:`~.tree.OrgTree` of every unit (the handler's local unit table);
- ``people`` / ``authors``: person states the handler loaded.

They return the events to append (to that one stream), or raise a
:class:`kernel.errors.DomainError` (``NotFound`` 404, ``Conflict`` 409,
otherwise 422) with a stable code from :class:`~.codes.Code`; nothing is
written then.

Dates: an ``effective_on`` may not be later than ``today`` (record a change
on or after the day it takes effect), nor earlier than the aggregate's last
recorded change (history is entered in order).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from kernel.errors import Conflict, DomainError, NotFound
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.units import (
    DisciplineEnded,
    DisciplineImposed,
    InitiativeRecognized,
    PersonEnrolled,
    PersonEvaluationCorrected,
    PersonEvaluationRecorded,
    PersonLeft,
    PersonProfileRecorded,
    PersonTransferred,
    UnitDissolved,
    UnitEstablished,
    UnitEvaluationCorrected,
    UnitEvaluationRecorded,
    UnitMerged,
    UnitMoved,
    UnitRenamed,
)

from .codes import Code
from .commands import (
    CorrectEvaluation,
    DissolveUnit,
    EndDiscipline,
    EnrolPerson,
    EstablishUnit,
    EvaluationSubject,
    ImposeDiscipline,
    MergeUnit,
    MoveUnit,
    RecognizeInitiative,
    RecordEvaluation,
    RecordPersonLeft,
    RenameUnit,
    TransferPerson,
)
from .evaluation import EvaluationRecord
from .initiative import InitiativeState
from .person import PersonState
from .tree import OrgTree, ensure_active
from .unit import UnitState

MIN_AGE_AT_JOINING = 15
"""Youngest plausible age when joining the sector (labour law minimum working age)."""
MAX_AGE = 100
"""Oldest plausible age of a person on the staff records."""

__all__ = [
    "decide_correct_evaluation",
    "decide_dissolve",
    "decide_end_discipline",
    "decide_enrol",
    "decide_establish",
    "decide_impose_discipline",
    "decide_leave",
    "decide_merge",
    "decide_move",
    "decide_recognize_initiative",
    "decide_record_evaluation",
    "decide_rename",
    "decide_transfer",
]


# --------------------------------------------------------------------------- shared checks


def _not_future(day: date, today: date, field: str) -> None:
    if day > today:
        raise DomainError(
            Code.DATE_IN_FUTURE,
            f"{field} {day} is later than today ({today}); record it on or after that day",
            field=field,
            date=day.isoformat(),
            today=today.isoformat(),
        )


def _in_order(day: date, last: date | None, what: str) -> None:
    if last is not None and day < last:
        raise DomainError(
            Code.EFFECTIVE_DATE_OUT_OF_ORDER,
            f"effective_on {day} is earlier than the last recorded change of this {what} ({last})",
            effective_on=day.isoformat(),
            last_change_on=last.isoformat(),
        )


def _unit_exists(unit: UnitState, unit_id: str) -> UnitState:
    if not unit.exists:
        raise NotFound(Code.UNIT_NOT_FOUND, f"unit {unit_id!r} does not exist", unit_id=unit_id)
    return unit


def _unit_active(unit: UnitState, unit_id: str) -> UnitState:
    _unit_exists(unit, unit_id)
    ensure_active(unit)
    return unit


def _person_exists(person: PersonState, person_id: str) -> PersonState:
    if not person.exists:
        raise NotFound(Code.PERSON_NOT_FOUND, f"person {person_id!r} does not exist", person_id=person_id)
    return person


def _person_on_staff(person: PersonState, person_id: str) -> PersonState:
    _person_exists(person, person_id)
    if person.has_left:
        raise Conflict(
            Code.PERSON_LEFT,
            f"{person.full_name} ({person_id}) left the staff on {person.left_on}",
            person_id=person_id,
            left_on=person.left_on.isoformat() if person.left_on else None,
        )
    return person


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# --------------------------------------------------------------------------- units


def decide_establish(unit: UnitState, cmd: EstablishUnit, *, tree: OrgTree, today: date) -> list[EventPayload]:
    """Establish a unit. ``unit``: the (empty) stream of ``cmd.unit_id``.

    Refuses: unit_exists, date_in_future, unit_code_taken, and for the parent
    unit_not_found / unit_dissolved / unit_merged / unit_not_established.
    """
    if unit.exists or cmd.unit_id in tree:
        raise Conflict(Code.UNIT_EXISTS, f"unit {cmd.unit_id!r} already exists", unit_id=cmd.unit_id)
    _not_future(cmd.effective_on, today, "effective_on")
    owner = tree.code_owner(cmd.code)
    if owner is not None:
        raise Conflict(
            Code.UNIT_CODE_TAKEN,
            f"unit code {cmd.code!r} is already used by active unit {owner!r}",
            unit_code=cmd.code,
            unit_id=owner,
        )
    if cmd.parent_id is not None:
        tree.require_active(cmd.parent_id, on=cmd.effective_on)
    return [
        UnitEstablished(
            unit_id=cmd.unit_id,
            code=cmd.code,
            name=cmd.name,
            kind=cmd.kind,
            parent_id=cmd.parent_id,
            effective_on=cmd.effective_on,
            decision_number=cmd.decision_number,
        )
    ]


def decide_rename(unit: UnitState, cmd: RenameUnit, *, today: date) -> list[EventPayload]:
    """Rename a unit. Refuses: unit_not_found, unit_dissolved/merged, date_in_future,
    effective_date_out_of_order, same_name."""
    _unit_active(unit, cmd.unit_id)
    _not_future(cmd.effective_on, today, "effective_on")
    _in_order(cmd.effective_on, unit.last_change_on, "unit")
    if cmd.name == unit.name:
        raise DomainError(Code.SAME_NAME, f"unit {cmd.unit_id!r} is already named {cmd.name!r}", name=cmd.name)
    return [
        UnitRenamed(
            unit_id=cmd.unit_id,
            name=cmd.name,
            previous_name=unit.name,
            effective_on=cmd.effective_on,
            decision_number=cmd.decision_number,
        )
    ]


def decide_move(unit: UnitState, cmd: MoveUnit, *, tree: OrgTree, today: date) -> list[EventPayload]:
    """Place a unit under another parent (``parent_id=None``: top level).

    Refuses: unit_not_found, unit_dissolved/merged (the unit or the new parent),
    date_in_future, effective_date_out_of_order, same_parent, move_creates_cycle
    (the new parent is the unit or one of its descendants, now or on any later
    date of the history), unit_not_established (parent younger than the move).
    """
    _unit_active(unit, cmd.unit_id)
    _not_future(cmd.effective_on, today, "effective_on")
    _in_order(cmd.effective_on, unit.last_change_on, "unit")
    if cmd.parent_id == unit.parent_id:
        raise DomainError(
            Code.SAME_PARENT, f"unit {cmd.unit_id!r} is already under {cmd.parent_id!r}", parent_id=cmd.parent_id
        )
    if cmd.parent_id is not None:
        tree = tree.with_unit(unit)
        if cmd.parent_id != cmd.unit_id:
            tree.require_active(cmd.parent_id, on=cmd.effective_on)
        if tree.would_create_cycle(cmd.unit_id, cmd.parent_id, on=cmd.effective_on):
            raise DomainError(
                Code.MOVE_CREATES_CYCLE,
                f"moving {cmd.unit_id!r} under {cmd.parent_id!r} would make the unit its own ancestor",
                unit_id=cmd.unit_id,
                parent_id=cmd.parent_id,
                parent_ancestors=tree.ancestors(cmd.parent_id),
            )
    return [
        UnitMoved(
            unit_id=cmd.unit_id,
            parent_id=cmd.parent_id,
            previous_parent_id=unit.parent_id,
            effective_on=cmd.effective_on,
            decision_number=cmd.decision_number,
        )
    ]


def decide_merge(unit: UnitState, cmd: MergeUnit, *, tree: OrgTree, today: date) -> list[EventPayload]:
    """Merge a unit into another. Its people are not moved: from the merge date
    they count under the absorbing unit (:meth:`OrgTree.resolve`).

    Refuses: unit_not_found (either), unit_dissolved/merged (either),
    merge_into_self, unit_not_established (absorbing unit younger than the
    merge), date_in_future, effective_date_out_of_order, unit_has_children
    (move the sub-units first).
    """
    _unit_active(unit, cmd.unit_id)
    if cmd.into_unit_id == cmd.unit_id:
        raise DomainError(Code.MERGE_INTO_SELF, f"unit {cmd.unit_id!r} cannot be merged into itself")
    tree = tree.with_unit(unit)
    tree.require_active(cmd.into_unit_id, on=cmd.effective_on)
    _not_future(cmd.effective_on, today, "effective_on")
    _in_order(cmd.effective_on, unit.last_change_on, "unit")
    _no_children(tree, cmd.unit_id, cmd.effective_on, "merged")
    return [
        UnitMerged(
            unit_id=cmd.unit_id,
            into_unit_id=cmd.into_unit_id,
            effective_on=cmd.effective_on,
            decision_number=cmd.decision_number,
        )
    ]


def decide_dissolve(
    unit: UnitState, cmd: DissolveUnit, *, tree: OrgTree, people: Iterable[PersonState], today: date
) -> list[EventPayload]:
    """Dissolve a unit.

    ``people``: the persons recorded in this unit, or in a unit merged into it
    (the handler may pass more; others are ignored). Refuses: unit_not_found,
    unit_dissolved/merged, date_in_future, effective_date_out_of_order,
    unit_has_children, unit_has_members (transfer them or record their leaving first).
    """
    _unit_active(unit, cmd.unit_id)
    _not_future(cmd.effective_on, today, "effective_on")
    _in_order(cmd.effective_on, unit.last_change_on, "unit")
    tree = tree.with_unit(unit)
    _no_children(tree, cmd.unit_id, cmd.effective_on, "dissolved")
    members = members_from(cmd.unit_id, cmd.effective_on, people, tree)
    if members:
        raise Conflict(
            Code.UNIT_HAS_MEMBERS,
            f"unit {cmd.unit_id!r} still has {len(members)} people on or after {cmd.effective_on}; "
            "transfer them or record their leaving first",
            person_ids=members,
        )
    return [
        UnitDissolved(
            unit_id=cmd.unit_id,
            effective_on=cmd.effective_on,
            decision_number=cmd.decision_number,
            reason=cmd.reason,
        )
    ]


def _no_children(tree: OrgTree, unit_id: str, on: date, verb: str) -> None:
    children = tree.children_from(unit_id, on)
    if children:
        raise Conflict(
            Code.UNIT_HAS_CHILDREN,
            f"unit {unit_id!r} has sub-units on or after {on} ({', '.join(children)}); "
            f"move them before it is {verb}",
            children=children,
        )


def members_from(unit_id: str, on: date, people: Iterable[PersonState], tree: OrgTree) -> list[str]:
    """Ids of the people who are in ``unit_id`` (directly, or through a unit
    merged into it) on some day from ``on`` onwards."""
    found: list[str] = []
    for person in people:
        for stint in person.stints:
            if stint.end is not None and stint.end <= on:
                continue
            last_day = stint.end - timedelta(days=1) if stint.end is not None else date.max
            if stint.unit_id == unit_id or tree.resolve(stint.unit_id, last_day) == unit_id:
                found.append(person.person_id)
                break
    return sorted(found)


# --------------------------------------------------------------------------- people


def decide_enrol(person: PersonState, cmd: EnrolPerson, *, tree: OrgTree, today: date) -> list[EventPayload]:
    """Enrol a person in a unit. ``effective_on`` defaults to ``sector_joined_on``, or to the
    unit's founding day when the person joined the sector before the unit existed
    (staff lists give the day someone joined the sector, rarely the day they came
    to a unit founded since).

    Refuses: person_exists, birth_date_implausible, date_in_future,
    invalid_period (in the unit before joining the sector), unit_not_found,
    unit_dissolved/merged, unit_not_established.
    """
    if person.exists:
        raise Conflict(
            Code.PERSON_EXISTS,
            f"person {cmd.person_id!r} is already enrolled ({person.full_name})",
            person_id=cmd.person_id,
            has_left=person.has_left,
        )
    effective_on = cmd.effective_on or cmd.sector_joined_on
    if cmd.effective_on is None:
        unit = tree.get(cmd.unit_id)
        if unit is not None and unit.established_on is not None and unit.established_on > effective_on:
            effective_on = unit.established_on
    if cmd.date_of_birth >= today or _age(cmd.date_of_birth, today) > MAX_AGE:
        raise DomainError(
            Code.BIRTH_DATE_IMPLAUSIBLE,
            f"date of birth {cmd.date_of_birth} is not plausible for a person on the staff",
            date_of_birth=cmd.date_of_birth.isoformat(),
        )
    _not_future(cmd.sector_joined_on, today, "sector_joined_on")
    _not_future(effective_on, today, "effective_on")
    age = _age(cmd.date_of_birth, cmd.sector_joined_on)
    if age < MIN_AGE_AT_JOINING:
        raise DomainError(
            Code.BIRTH_DATE_IMPLAUSIBLE,
            f"born {cmd.date_of_birth}, the person would have joined the sector on "
            f"{cmd.sector_joined_on} aged {age} (minimum {MIN_AGE_AT_JOINING})",
            date_of_birth=cmd.date_of_birth.isoformat(),
            sector_joined_on=cmd.sector_joined_on.isoformat(),
        )
    if effective_on < cmd.sector_joined_on:
        raise DomainError(
            Code.INVALID_PERIOD,
            f"effective_on {effective_on} is before the date the person joined the sector ({cmd.sector_joined_on})",
            effective_on=effective_on.isoformat(),
            sector_joined_on=cmd.sector_joined_on.isoformat(),
        )
    tree.require_active(cmd.unit_id, on=effective_on)
    return [
        PersonEnrolled(
            person_id=cmd.person_id,
            full_name=cmd.full_name,
            sector_joined_on=cmd.sector_joined_on,
            unit_id=cmd.unit_id,
            position=cmd.position,
            staff_category=cmd.staff_category,
            effective_on=effective_on,
        ),
        # Personal data other systems do not need: on the internal topic only.
        PersonProfileRecorded(
            person_id=cmd.person_id, sex=cmd.sex, date_of_birth=cmd.date_of_birth, union_member=cmd.union_member
        ),
    ]


def decide_transfer(person: PersonState, cmd: TransferPerson, *, tree: OrgTree, today: date) -> list[EventPayload]:
    """Move a person to another unit. ``position`` defaults to the current one.

    Refuses: person_not_found, person_left, same_unit, date_in_future,
    effective_date_out_of_order, unit_not_found, unit_dissolved/merged, unit_not_established.
    """
    _person_on_staff(person, cmd.person_id)
    if cmd.to_unit_id == person.unit_id:
        raise DomainError(
            Code.SAME_UNIT, f"{person.full_name} is already in unit {cmd.to_unit_id!r}", unit_id=cmd.to_unit_id
        )
    _not_future(cmd.effective_on, today, "effective_on")
    _in_order(cmd.effective_on, person.last_change_on, "person")
    tree.require_active(cmd.to_unit_id, on=cmd.effective_on)
    return [
        PersonTransferred(
            person_id=cmd.person_id,
            from_unit_id=person.unit_id or "",
            to_unit_id=cmd.to_unit_id,
            position=cmd.position or person.position or "",
            effective_on=cmd.effective_on,
            decision_number=cmd.decision_number,
        )
    ]


def decide_leave(person: PersonState, cmd: RecordPersonLeft, *, today: date) -> list[EventPayload]:
    """Record that a person left. Refuses: person_not_found, person_left,
    date_in_future, effective_date_out_of_order."""
    _person_on_staff(person, cmd.person_id)
    _not_future(cmd.effective_on, today, "effective_on")
    _in_order(cmd.effective_on, person.last_change_on, "person")
    return [
        PersonLeft(
            person_id=cmd.person_id,
            unit_id=person.unit_id or "",
            reason=cmd.reason,
            effective_on=cmd.effective_on,
            decision_number=cmd.decision_number,
            note=cmd.note,
        )
    ]


# --------------------------------------------------------------------------- evaluations


def decide_record_evaluation(
    subject: PersonState | UnitState, cmd: RecordEvaluation, *, today: date
) -> list[EventPayload]:
    """Record a grade for a year. ``subject``: the person's or the unit's state,
    as ``cmd.subject`` says (the handler loads that stream).

    Refuses: person_not_found / unit_not_found, grade_future_year,
    grade_before_joining / grade_before_established, person_left /
    unit_dissolved / unit_merged (a year after they left or closed),
    grade_exists (use a correction).
    """
    if cmd.subject is EvaluationSubject.PERSON:
        if not isinstance(subject, PersonState):
            raise TypeError("a person evaluation needs the person's state")
        return _record_person_evaluation(subject, cmd, today)
    if not isinstance(subject, UnitState):
        raise TypeError("a unit evaluation needs the unit's state")
    return _record_unit_evaluation(subject, cmd, today)


def _future_year(year: int, today: date) -> None:
    if year > today.year:
        raise DomainError(
            Code.GRADE_FUTURE_YEAR,
            f"cannot grade year {year}: it is later than the current year {today.year}",
            year=year,
        )


def _grade_exists(subject_id: str, record: EvaluationRecord | None, year: int) -> None:
    if record is not None:
        raise Conflict(
            Code.GRADE_EXISTS,
            f"{subject_id!r} already has a grade for {year} ({record.grade}); record a correction instead",
            year=year,
            grade=str(record.grade),
        )


def _record_person_evaluation(person: PersonState, cmd: RecordEvaluation, today: date) -> list[EventPayload]:
    _person_exists(person, cmd.subject_id)
    _future_year(cmd.year, today)
    joined = person.sector_joined_on
    if joined is not None and cmd.year < joined.year:
        raise DomainError(
            Code.GRADE_BEFORE_JOINING,
            f"{person.full_name} joined the sector on {joined}; cannot grade {cmd.year}",
            year=cmd.year,
            sector_joined_on=joined.isoformat(),
        )
    last_year = person.last_working_year
    if last_year is not None and cmd.year > last_year:
        raise Conflict(
            Code.PERSON_LEFT,
            f"{person.full_name} left the staff on {person.left_on}; cannot grade {cmd.year}",
            year=cmd.year,
            left_on=person.left_on.isoformat() if person.left_on else None,
        )
    _grade_exists(cmd.subject_id, person.grade_for(cmd.year), cmd.year)
    return [
        PersonEvaluationRecorded(
            person_id=cmd.subject_id,
            year=cmd.year,
            grade=cmd.grade,
            unit_id=person.unit_for_year(cmd.year) or person.unit_id or "",
            decision_number=cmd.decision_number,
            legal_basis=cmd.legal_basis,
        )
    ]


def _record_unit_evaluation(unit: UnitState, cmd: RecordEvaluation, today: date) -> list[EventPayload]:
    _unit_exists(unit, cmd.subject_id)
    _future_year(cmd.year, today)
    if unit.established_on is not None and cmd.year < unit.established_on.year:
        raise DomainError(
            Code.GRADE_BEFORE_ESTABLISHED,
            f"unit {cmd.subject_id!r} was established on {unit.established_on}; cannot grade {cmd.year}",
            year=cmd.year,
            established_on=unit.established_on.isoformat(),
        )
    if unit.closed_on is not None and cmd.year > (unit.closed_on - timedelta(days=1)).year:
        ensure_active(unit)
    _grade_exists(cmd.subject_id, unit.grade_for(cmd.year), cmd.year)
    return [
        UnitEvaluationRecorded(
            unit_id=cmd.subject_id,
            year=cmd.year,
            grade=cmd.grade,
            decision_number=cmd.decision_number,
            legal_basis=cmd.legal_basis,
        )
    ]


def decide_correct_evaluation(subject: PersonState | UnitState, cmd: CorrectEvaluation) -> list[EventPayload]:
    """Correct a recorded grade (never overwrites: a new event, with a reason).

    Refuses: person_not_found / unit_not_found, grade_not_found, same_grade.
    """
    if cmd.subject is EvaluationSubject.PERSON:
        if not isinstance(subject, PersonState):
            raise TypeError("a person evaluation needs the person's state")
        _person_exists(subject, cmd.subject_id)
    else:
        if not isinstance(subject, UnitState):
            raise TypeError("a unit evaluation needs the unit's state")
        _unit_exists(subject, cmd.subject_id)
    record = subject.grade_for(cmd.year)
    if record is None:
        raise NotFound(
            Code.GRADE_NOT_FOUND,
            f"{cmd.subject_id!r} has no grade for {cmd.year} to correct; record one instead",
            year=cmd.year,
        )
    if record.grade == cmd.grade:
        raise DomainError(
            Code.SAME_GRADE,
            f"the grade of {cmd.subject_id!r} for {cmd.year} is already {cmd.grade}",
            year=cmd.year,
            grade=str(cmd.grade),
        )
    if isinstance(subject, PersonState):
        return [
            PersonEvaluationCorrected(
                person_id=cmd.subject_id,
                year=cmd.year,
                grade=cmd.grade,
                previous_grade=record.grade,
                unit_id=record.unit_id or subject.unit_id or "",
                reason=cmd.reason,
                decision_number=cmd.decision_number,
            )
        ]
    return [
        UnitEvaluationCorrected(
            unit_id=cmd.subject_id,
            year=cmd.year,
            grade=cmd.grade,
            previous_grade=record.grade,
            reason=cmd.reason,
            decision_number=cmd.decision_number,
        )
    ]


# --------------------------------------------------------------------------- discipline


def decide_impose_discipline(person: PersonState, cmd: ImposeDiscipline, *, today: date) -> list[EventPayload]:
    """Record a discipline decision. Allowed for a person who has left (discipline
    may follow retirement). ``starts_on`` defaults to ``decided_on``.

    Refuses: person_not_found, discipline_exists, date_in_future (decision date),
    invalid_period (starts before the decision, or ends before it starts).
    """
    _person_exists(person, cmd.person_id)
    if person.discipline(cmd.discipline_id) is not None:
        raise Conflict(
            Code.DISCIPLINE_EXISTS,
            f"discipline {cmd.discipline_id!r} is already recorded for {cmd.person_id!r}",
            discipline_id=cmd.discipline_id,
        )
    _not_future(cmd.decided_on, today, "decided_on")
    starts_on = cmd.starts_on or cmd.decided_on
    if starts_on < cmd.decided_on:
        raise DomainError(
            Code.INVALID_PERIOD,
            f"the discipline cannot start ({starts_on}) before its decision ({cmd.decided_on})",
            starts_on=starts_on.isoformat(),
            decided_on=cmd.decided_on.isoformat(),
        )
    if cmd.ends_on is not None and cmd.ends_on < starts_on:
        raise DomainError(
            Code.INVALID_PERIOD,
            f"the discipline period ends ({cmd.ends_on}) before it starts ({starts_on})",
            starts_on=starts_on.isoformat(),
            ends_on=cmd.ends_on.isoformat(),
        )
    return [
        DisciplineImposed(
            person_id=cmd.person_id,
            discipline_id=cmd.discipline_id,
            form=cmd.form,
            reason=cmd.reason,
            decision_number=cmd.decision_number,
            decided_on=cmd.decided_on,
            starts_on=starts_on,
            ends_on=cmd.ends_on,
        )
    ]


def decide_end_discipline(person: PersonState, cmd: EndDiscipline, *, today: date) -> list[EventPayload]:
    """Record that a discipline stopped being in force (expired or annulled).

    Refuses: person_not_found, discipline_not_found, discipline_already_ended,
    date_in_future, invalid_period (ended before the decision was taken).
    """
    _person_exists(person, cmd.person_id)
    record = person.discipline(cmd.discipline_id)
    if record is None:
        raise NotFound(
            Code.DISCIPLINE_NOT_FOUND,
            f"no discipline {cmd.discipline_id!r} for {cmd.person_id!r}",
            discipline_id=cmd.discipline_id,
        )
    if record.ended:
        raise Conflict(
            Code.DISCIPLINE_ALREADY_ENDED,
            f"discipline {cmd.discipline_id!r} already ended on {record.ended_on}",
            discipline_id=cmd.discipline_id,
            ended_on=record.ended_on.isoformat() if record.ended_on else None,
        )
    _not_future(cmd.ended_on, today, "ended_on")
    if cmd.ended_on < record.decided_on:
        raise DomainError(
            Code.INVALID_PERIOD,
            f"the discipline cannot end ({cmd.ended_on}) before its decision ({record.decided_on})",
            ended_on=cmd.ended_on.isoformat(),
            decided_on=record.decided_on.isoformat(),
        )
    return [
        DisciplineEnded(
            person_id=cmd.person_id,
            discipline_id=cmd.discipline_id,
            ended_on=cmd.ended_on,
            ending=cmd.ending,
            note=cmd.note,
        )
    ]


# --------------------------------------------------------------------------- initiatives


def decide_recognize_initiative(
    initiative: InitiativeState,
    cmd: RecognizeInitiative,
    *,
    authors: Mapping[str, PersonState],
    tree: OrgTree,
    today: date,
) -> list[EventPayload]:
    """Record a recognised initiative or research work.

    ``authors``: the states of ``cmd.author_ids`` the handler could load (a
    missing or empty one is an unknown person). The unit must have existed
    during ``year``; authors who have left since are fine.

    Refuses: initiative_exists, initiative_future_year, date_in_future,
    invalid_period (decision before the year), person_not_found, unit_not_found,
    unit_not_established, unit_dissolved / unit_merged (closed before the year).
    """
    if initiative.exists:
        raise Conflict(
            Code.INITIATIVE_EXISTS,
            f"initiative {cmd.initiative_id!r} is already recognised ({initiative.title})",
            initiative_id=cmd.initiative_id,
        )
    if cmd.year > today.year:
        raise DomainError(
            Code.INITIATIVE_FUTURE_YEAR,
            f"year {cmd.year} is later than the current year {today.year}",
            year=cmd.year,
        )
    _not_future(cmd.decided_on, today, "decided_on")
    if cmd.decided_on.year < cmd.year:
        raise DomainError(
            Code.INVALID_PERIOD,
            f"the recognition decision ({cmd.decided_on}) is dated before the year {cmd.year}",
            decided_on=cmd.decided_on.isoformat(),
            year=cmd.year,
        )
    missing = [a for a in cmd.author_ids if a not in authors or not authors[a].exists]
    if missing:
        raise NotFound(
            Code.PERSON_NOT_FOUND,
            f"unknown author(s): {', '.join(missing)}",
            person_ids=missing,
        )
    unit = tree.require(cmd.unit_id)
    if unit.established_on is not None and unit.established_on > date(cmd.year, 12, 31):
        raise DomainError(
            Code.UNIT_NOT_ESTABLISHED,
            f"unit {cmd.unit_id!r} was established on {unit.established_on}, after the year {cmd.year}",
            unit_id=cmd.unit_id,
            established_on=unit.established_on.isoformat(),
        )
    if unit.closed_on is not None and unit.closed_on <= date(cmd.year, 1, 1):
        ensure_active(unit)
    return [
        InitiativeRecognized(
            initiative_id=cmd.initiative_id,
            kind=cmd.kind,
            level=cmd.level,
            year=cmd.year,
            title=cmd.title,
            decision_number=cmd.decision_number,
            decided_on=cmd.decided_on,
            author_ids=list(cmd.author_ids),
            unit_id=cmd.unit_id,
        )
    ]
