"""Planning an import: the parsed rows decided against the current state, into events per stream.

Against the tree, the people's states (loaded by the handler) and today's date,
each row goes through the same command models and decision functions as the
HTTP API, in file order (units: parents before children, whatever the order of
the rows), with within-file checks (two rows for one id, a parent cycle). Rows
whose effect is already recorded identically are *unchanged*; rows that
contradict what is recorded are errors.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from tdkt_contracts import EventPayload
from tdkt_contracts.vocabulary import UnitKind

from kernel.errors import DomainError
from kernel.ids import canonical_id

from ..domain import (
    EnrolPerson,
    EstablishUnit,
    EvaluationSubject,
    OrgTree,
    PersonState,
    RecordEvaluation,
    UnitState,
    decide_enrol,
    decide_establish,
    decide_record_evaluation,
)
from .columns import ImportKind, Problem, Row, Table


@dataclass
class Plan:
    """What importing a file would do: problems, or the events to append per stream."""

    table: Table
    problems: list[Problem] = field(default_factory=list)
    changes: dict[str, list[EventPayload]] = field(default_factory=dict)
    """Stream id → events to append, in order."""
    base_versions: dict[str, int] = field(default_factory=dict)
    """Stream id → the version the events were decided on (the expected version)."""
    new_rows: int = 0
    unchanged_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.table.problems

    @property
    def event_count(self) -> int:
        return sum(len(events) for events in self.changes.values())

    def all_problems(self) -> list[Problem]:
        """Every problem in row order, each with the value of the cell it names (as the file wrote it)."""
        cells = {row.number: row.cells for row in self.table.rows}
        found = [p if p.value is not None or p.column is None
                 else replace(p, value=cells.get(p.row or 0, {}).get(p.column))
                 for p in self.table.problems + self.problems]
        return sorted(found, key=lambda p: (p.row or 0, p.column or ""))

    def add(self, stream_id: str, version: int, events: Sequence[EventPayload]) -> None:
        self.base_versions.setdefault(stream_id, version)
        self.changes.setdefault(stream_id, []).extend(events)

    def report(self, *, dry_run: bool, applied: bool) -> dict[str, Any]:
        """The answer to the client: counts, the header as understood, and every problem."""
        problems = self.all_problems()
        bad_rows = {p.row for p in problems if p.row is not None and p.row != self.table.header_row}
        return {
            "kind": self.table.kind.value,
            "format": self.table.format,
            "encoding": self.table.encoding,
            "sheet": self.table.sheet,
            "dry_run": dry_run,
            "ok": not problems,
            "applied": applied,
            "rows": len(self.table.rows),
            "new": self.new_rows,
            "unchanged": self.unchanged_rows,
            "invalid": len(bad_rows),
            "events": self.event_count,
            "header_row": self.table.header_row,
            "columns": self.table.columns,
            "ignored_columns": self.table.ignored_columns,
            "errors": [p.to_dict() for p in problems],
        }


def referenced_ids(table: Table) -> dict[str, set[str]]:
    """Ids the plan will need the state of: ``people`` (person ids), ``units`` (ids or codes)."""
    people = {r.values["person_id"] for r in table.rows if "person_id" in r.values}
    units = {r.values[k] for r in table.rows for k in ("unit_id", "code", "unit", "parent") if k in r.values}
    return {"people": people, "units": units}


def resolve_unit(ref: str, tree: OrgTree) -> str | None:
    """A unit id from what a spreadsheet calls the unit: its id, else the code of the
    active unit using it, else the code of the only unit that ever had it."""
    if ref in tree:
        return ref
    owner = tree.code_owner(ref)
    if owner is not None:
        return owner
    matches = [u.unit_id for u in tree if u.code.upper() == ref.upper()]
    return matches[0] if len(matches) == 1 else None


# Which import field a refusal is about, by kind and error code.
_ERROR_FIELDS: dict[ImportKind, dict[str, str]] = {
    ImportKind.UNITS: {
        "unit_exists": "unit_id", "unit_code_taken": "code", "unit_not_found": "parent",
        "unit_dissolved": "parent", "unit_merged": "parent", "unit_not_established": "effective_on",
        "invalid_code": "code", "invalid_name": "name",
    },
    ImportKind.PEOPLE: {
        "person_exists": "person_id", "birth_date_implausible": "date_of_birth", "invalid_period": "effective_on",
        "unit_not_found": "unit", "unit_dissolved": "unit", "unit_merged": "unit",
        "unit_not_established": "unit", "invalid_name": "full_name",
    },
    ImportKind.GRADES: {
        "person_not_found": "person_id", "unit_not_found": "unit", "grade_future_year": "year",
        "grade_before_joining": "year", "grade_before_established": "year", "person_left": "year",
        "unit_dissolved": "year", "unit_merged": "year", "grade_exists": "grade",
    },
}
# Command field → import field, where they differ.
_COMMAND_FIELDS: dict[ImportKind, dict[str, str]] = {
    ImportKind.UNITS: {"parent_id": "parent"},
    ImportKind.PEOPLE: {"unit_id": "unit"},
    ImportKind.GRADES: {"subject_id": "person_id"},
}


def _refused(plan: Plan, row: Row, error: DomainError) -> None:
    """Record a command's refusal as the row's problem(s), naming the column(s)."""
    kind = plan.table.kind
    errors = error.details.get("errors") if isinstance(error.details, dict) else None
    if errors:  # a shape error from Command.parse: one problem per field
        ours = {"invalid_text", "invalid_name", "invalid_id", "invalid_code"}
        for item in errors:
            name = _COMMAND_FIELDS[kind].get(item["field"], item["field"])
            code = item["type"] if item["type"] in ours else "invalid_value"
            plan.problems.append(Problem(row.number, row.column(name), code, item["message"]))
        return
    name = error.details.get("field") or _ERROR_FIELDS[kind].get(error.code)
    if kind is ImportKind.UNITS and name == "unit_id" and "unit_id" not in row.headers:
        name = "code"
    if kind is ImportKind.GRADES and name in ("year", "grade", "person_id") and row.values.get("subject") == "unit":
        name = "unit" if name == "person_id" else name
    plan.problems.append(Problem(row.number, row.column(name), error.code, error.message))


def _parse(command: type[Any], data: dict[str, Any]) -> Any:
    return command.parse({k: v for k, v in data.items() if v is not None})


def plan(
    table: Table,
    *,
    tree: OrgTree,
    people: Mapping[str, PersonState],
    today: date,
    foreign_ids: Iterable[str] = (),
) -> Plan:
    """Decide every row of ``table`` against the current state; see the module docstring.

    ``people``: the states of the person ids the file names (missing = never
    enrolled). ``foreign_ids``: ids whose stream belongs to another kind of
    aggregate (a unit id used as a person id…): refused as ``id_taken``.
    """
    result = Plan(table)
    result.problems.extend(p for r in table.rows for p in r.problems)
    if table.problems:
        return result
    planner = {ImportKind.UNITS: _plan_units, ImportKind.PEOPLE: _plan_people, ImportKind.GRADES: _plan_grades}
    planner[table.kind](result, tree=tree, people=dict(people), today=today, foreign=set(foreign_ids))
    return result


def _duplicate(plan: Plan, row: Row, key: Any, seen: dict[Any, int], field_name: str, what: str) -> bool:
    first = seen.setdefault(key, row.number)
    if first != row.number:
        plan.problems.append(Problem(row.number, row.column(field_name), "duplicate_row",
                                     f"{what} is already in row {first} of this file"))
        return True
    return False


def _id_taken(plan: Plan, row: Row, stream_id: str, foreign: set[str], field_name: str) -> bool:
    if stream_id in foreign:
        plan.problems.append(Problem(row.number, row.column(field_name), "id_taken",
                                     f"id {stream_id!r} already belongs to another kind of record"))
        return True
    return False


# --------------------------------------------------------------------------- units


def _plan_units(
    plan: Plan, *, tree: OrgTree, people: dict[str, PersonState], today: date, foreign: set[str]
) -> None:
    rows = plan.table.rows
    unit_id_of: dict[int, str] = {}
    by_id: dict[str, Row] = {}
    by_code: dict[str, Row] = {}
    commands: dict[int, EstablishUnit] = {}
    failed: set[int] = {r.number for r in rows if r.problems}
    seen: dict[str, int] = {}
    for row in rows:
        code = row.values.get("code")
        unit_id = row.values.get("unit_id")
        if unit_id is None and isinstance(code, str):
            # Without an id column the code names the unit: a recorded active unit with that code is
            # this row's unit (so re-importing is "unchanged"); a new unit takes its code as id (canonical: lower case).
            unit_id = tree.code_owner(code) or canonical_id(code)
        if unit_id is None:
            continue
        unit_id_of[row.number] = unit_id
        if _duplicate(plan, row, unit_id, seen, "unit_id" if "unit_id" in row.values else "code",
                      f"unit {unit_id!r}"):
            failed.add(row.number)
            continue
        by_id[unit_id] = row
        if isinstance(code, str):
            by_code.setdefault(code.upper(), row)
        if _id_taken(plan, row, unit_id, foreign, "unit_id" if "unit_id" in row.values else "code"):
            failed.add(row.number)
            continue
        if row.number in failed:
            continue
        try:
            commands[row.number] = _parse(EstablishUnit, {
                "unit_id": unit_id, "code": code, "name": row.values.get("name"),
                "kind": row.values.get("kind", UnitKind.OTHER), "parent_id": row.values.get("parent"),
                "effective_on": row.values.get("effective_on"),
                "decision_number": row.values.get("decision_number"),
            })
        except DomainError as error:
            _refused(plan, row, error)
            failed.add(row.number)

    # The parent of each row: another row of the file, or a recorded unit.
    depends: dict[int, Row | None] = {}
    parent_of: dict[int, str | None] = {}
    row_at = {r.number: r for r in rows}
    for number in commands:
        row = row_at[number]
        ref = row.values.get("parent")
        depends[number] = None
        parent_of[number] = None
        if ref is None:
            continue
        target = by_id.get(ref) or by_code.get(ref.upper())
        if target is not None and target.number != number:
            depends[number] = target
            parent_of[number] = unit_id_of[target.number]
            continue
        resolved = resolve_unit(ref, tree)
        if resolved is None:
            plan.problems.append(Problem(number, row.column("parent"), "unit_not_found",
                                         f"parent unit {ref!r} is neither recorded nor in this file"))
            failed.add(number)
        parent_of[number] = resolved

    pending = [r for r in rows if r.number in commands and r.number not in failed]
    done: set[int] = set()
    progress = True
    while pending and progress:
        progress = False
        waiting: list[Row] = []
        for row in pending:
            parent = depends.get(row.number)
            if parent is not None and parent.number in failed:
                plan.problems.append(Problem(row.number, row.column("parent"), "parent_row_invalid",
                                             f"its parent unit is row {parent.number}, which cannot be imported"))
                failed.add(row.number)
                progress = True
            elif parent is None or parent.number in done:
                cmd = commands[row.number].model_copy(update={"parent_id": parent_of[row.number]})
                tree = _plan_unit(plan, row, cmd, tree, today, failed)
                done.add(row.number)
                progress = True
            else:
                waiting.append(row)
        pending = waiting
    for row in pending:  # each one waits on another: a cycle of parents within the file
        plan.problems.append(Problem(
            row.number, row.column("parent"), "move_creates_cycle",
            "the parents named in rows " + ", ".join(str(r.number) for r in pending) + " form a cycle",
        ))


def _plan_unit(plan: Plan, row: Row, cmd: EstablishUnit, tree: OrgTree, today: date, failed: set[int]) -> OrgTree:
    existing = tree.get(cmd.unit_id)
    if existing is not None:
        differences = _unit_differences(existing, cmd)
        if differences:
            plan.problems.append(Problem(
                row.number, row.column("unit_id") or row.column("code"), "unit_exists",
                f"unit {cmd.unit_id!r} is already recorded with different data: " + "; ".join(differences),
            ))
            failed.add(row.number)
        else:
            plan.unchanged_rows += 1
        return tree
    try:
        events = decide_establish(UnitState.initial(cmd.unit_id), cmd, tree=tree, today=today)
    except DomainError as error:
        _refused(plan, row, error)
        failed.add(row.number)
        return tree
    plan.add(cmd.unit_id, 0, events)
    plan.new_rows += 1
    for event in events:
        tree = tree.apply(event)
    return tree


def _unit_differences(unit: UnitState, cmd: EstablishUnit) -> list[str]:
    recorded = {
        "code": unit.code,
        "name": unit.names[0].name if unit.names else "",
        "kind": unit.kind,
        "parent": unit.parents[0].parent_id if unit.parents else None,
        "effective_on": unit.established_on,
        "decision_number": unit.names[0].decision_number if unit.names else None,
    }
    given = {"code": cmd.code, "name": cmd.name, "kind": cmd.kind, "parent": cmd.parent_id,
             "effective_on": cmd.effective_on, "decision_number": cmd.decision_number}
    return [f"{k} recorded {_show(recorded[k])}, file has {_show(given[k])}" for k in given if recorded[k] != given[k]]


def _show(value: Any) -> str:
    return "(blank)" if value is None else repr(str(value))


# --------------------------------------------------------------------------- people


def _plan_people(
    plan: Plan, *, tree: OrgTree, people: dict[str, PersonState], today: date, foreign: set[str]
) -> None:
    seen: dict[str, int] = {}
    for row in plan.table.rows:
        person_id = row.values.get("person_id")
        if person_id is not None and (
            _duplicate(plan, row, person_id, seen, "person_id", f"person {person_id!r}")
            or _id_taken(plan, row, person_id, foreign, "person_id")
        ):
            continue
        unit_ref = row.values.get("unit")
        unit_id = resolve_unit(unit_ref, tree) if unit_ref is not None else None
        if unit_ref is not None and unit_id is None:
            plan.problems.append(Problem(row.number, row.column("unit"), "unit_not_found",
                                         f"unit {unit_ref!r} does not exist (neither an id nor a code)"))
        if row.problems or (unit_ref is not None and unit_id is None):
            continue
        effective_on = row.values.get("effective_on")  # when absent, the domain picks the first day in the unit
        try:
            cmd = _parse(EnrolPerson, {
                "person_id": person_id, "full_name": row.values.get("full_name"), "sex": row.values.get("sex"),
                "date_of_birth": row.values.get("date_of_birth"),
                "sector_joined_on": row.values.get("sector_joined_on"), "unit_id": unit_id,
                "position": row.values.get("position"), "staff_category": row.values.get("staff_category"),
                "union_member": row.values.get("union_member", False),
                "effective_on": effective_on,
            })
        except DomainError as error:
            _refused(plan, row, error)
            continue
        state = people.get(cmd.person_id) or PersonState.initial(cmd.person_id)
        if state.exists:
            differences = _person_differences(state, cmd)
            if differences:
                plan.problems.append(Problem(
                    row.number, row.column("person_id"), "person_exists",
                    f"person {cmd.person_id!r} ({state.full_name}) is already enrolled with different data: "
                    + "; ".join(differences),
                ))
            else:
                plan.unchanged_rows += 1
            continue
        try:
            events = decide_enrol(state, cmd, tree=tree, today=today)
        except DomainError as error:
            _refused(plan, row, error)
            continue
        plan.add(cmd.person_id, state.version, events)
        plan.new_rows += 1


def _person_differences(person: PersonState, cmd: EnrolPerson) -> list[str]:
    first = person.stints[0] if person.stints else None
    recorded = {
        "full_name": person.full_name, "sex": person.sex, "date_of_birth": person.date_of_birth,
        "sector_joined_on": person.sector_joined_on, "unit": first.unit_id if first else None,
        "position": first.position if first else None, "staff_category": person.staff_category,
        "union_member": person.union_member, "effective_on": first.start if first else None,
    }
    given = {
        "full_name": cmd.full_name, "sex": cmd.sex, "date_of_birth": cmd.date_of_birth,
        "sector_joined_on": cmd.sector_joined_on, "unit": cmd.unit_id, "position": cmd.position,
        "staff_category": cmd.staff_category, "union_member": cmd.union_member,
        "effective_on": cmd.effective_on,
    }
    # A blank first day in the unit leaves the domain's default: nothing to compare.
    return [
        f"{k} recorded {_show(recorded[k])}, file has {_show(given[k])}"
        for k in given
        if given[k] is not None or k != "effective_on"
        if recorded[k] != given[k]
    ]


# --------------------------------------------------------------------------- grades


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    return norm(a) == norm(b)


def _plan_grades(
    plan: Plan, *, tree: OrgTree, people: dict[str, PersonState], today: date, foreign: set[str]
) -> None:
    has_person_column = "person_id" in plan.table.columns
    seen: dict[tuple[str, str, int], int] = {}
    for row in plan.table.rows:
        subject = row.values.get("subject") or (
            EvaluationSubject.PERSON if has_person_column else EvaluationSubject.UNIT
        )
        row.values["subject"] = subject
        if subject is EvaluationSubject.PERSON:
            subject_id = row.values.get("person_id")
            if subject_id is None:
                plan.problems.append(Problem(row.number, row.column("person_id") or row.column("subject"),
                                             "missing_value", "a person's grade needs the person's id"))
                continue
        else:
            ref = row.values.get("unit")
            if ref is None:
                plan.problems.append(Problem(row.number, row.column("unit") or row.column("subject"),
                                             "missing_value", "a unit's grade needs the unit's id or code"))
                continue
            subject_id = resolve_unit(ref, tree)
            if subject_id is None:
                plan.problems.append(Problem(row.number, row.column("unit"), "unit_not_found",
                                             f"unit {ref!r} does not exist (neither an id nor a code)"))
                continue
        year = row.values.get("year")
        if year is not None and _duplicate(
            plan, row, (subject.value, subject_id, year), seen, "year",
            f"the {year} grade of {subject_id!r}",
        ):
            continue
        if row.problems:
            continue
        try:
            cmd = _parse(RecordEvaluation, {
                "subject": subject, "subject_id": subject_id, "year": year, "grade": row.values.get("grade"),
                "decision_number": row.values.get("decision_number"),
                "legal_basis": row.values.get("legal_basis"),
            })
        except DomainError as error:
            _refused(plan, row, error)
            continue
        state: PersonState | UnitState
        if subject is EvaluationSubject.PERSON:
            state = people.get(subject_id) or PersonState.initial(subject_id)
            name = row.values.get("full_name")
            if state.exists and name is not None and not _same_name(name, state.full_name):
                plan.problems.append(Problem(row.number, row.column("full_name"), "name_mismatch",
                                             f"person {subject_id!r} is recorded as {state.full_name!r}, "
                                             f"not {name.strip()!r}: check the id"))
                continue
        else:
            state = tree.get(subject_id) or UnitState.initial(subject_id)
        record = state.grade_for(cmd.year) if state.exists else None
        if record is not None:
            if cmd.grade in (record.grade, record.recorded_grade):
                plan.unchanged_rows += 1
            else:
                plan.problems.append(Problem(
                    row.number, row.column("grade"), "grade_exists",
                    f"{subject_id!r} already has the grade {record.grade} for {cmd.year}, not {cmd.grade}; "
                    "record a correction (with its reason) instead of importing",
                ))
            continue
        try:
            events = decide_record_evaluation(state, cmd, today=today)
        except DomainError as error:
            _refused(plan, row, error)
            continue
        plan.add(subject_id, state.version, events)
        plan.new_rows += 1
        for event in events:
            state = state.apply(event)
        if isinstance(state, PersonState):
            people[subject_id] = state
        else:
            tree = tree.with_unit(state)
