"""Fixtures for the units domain tests: a tiny in-memory "world" that plays the
handler's part (load state, decide, append by folding) without any I/O."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from kernel.errors import DomainError
from services.units.domain import (
    Command,
    CorrectEvaluation,
    DissolveUnit,
    EndDiscipline,
    EnrolPerson,
    EstablishUnit,
    EvaluationSubject,
    ImposeDiscipline,
    InitiativeState,
    MergeUnit,
    MoveUnit,
    OrgTree,
    PersonState,
    RecognizeInitiative,
    RecordEvaluation,
    RecordPersonLeft,
    RenameUnit,
    TransferPerson,
    UnitState,
    decide_correct_evaluation,
    decide_dissolve,
    decide_end_discipline,
    decide_enrol,
    decide_establish,
    decide_impose_discipline,
    decide_leave,
    decide_merge,
    decide_move,
    decide_recognize_initiative,
    decide_record_evaluation,
    decide_rename,
    decide_transfer,
)
from tdkt_contracts import EventPayload

TODAY = date(2025, 6, 30)


class World:
    """Aggregates kept as states; ``run`` decides a command and folds its events."""

    def __init__(self, today: date = TODAY) -> None:
        self.today = today
        self.tree = OrgTree()
        self.people: dict[str, PersonState] = {}
        self.initiatives: dict[str, InitiativeState] = {}
        self.log: list[EventPayload] = []

    # ---------------------------------------------------------------- state access

    def unit(self, unit_id: str) -> UnitState:
        return self.tree.get(unit_id) or UnitState.initial(unit_id)

    def person(self, person_id: str) -> PersonState:
        return self.people.get(person_id) or PersonState.initial(person_id)

    def snapshot(self) -> tuple[Any, ...]:
        return (dict(self.tree.units), dict(self.people), dict(self.initiatives), len(self.log))

    # ---------------------------------------------------------------- the handler's job

    def decide(self, cmd: Command, today: date | None = None) -> list[EventPayload]:
        today = today or self.today
        match cmd:
            case EstablishUnit():
                return decide_establish(self.unit(cmd.unit_id), cmd, tree=self.tree, today=today)
            case RenameUnit():
                return decide_rename(self.unit(cmd.unit_id), cmd, today=today)
            case MoveUnit():
                return decide_move(self.unit(cmd.unit_id), cmd, tree=self.tree, today=today)
            case MergeUnit():
                return decide_merge(self.unit(cmd.unit_id), cmd, tree=self.tree, today=today)
            case DissolveUnit():
                return decide_dissolve(
                    self.unit(cmd.unit_id), cmd, tree=self.tree, people=self.people.values(), today=today
                )
            case EnrolPerson():
                return decide_enrol(self.person(cmd.person_id), cmd, tree=self.tree, today=today)
            case TransferPerson():
                return decide_transfer(self.person(cmd.person_id), cmd, tree=self.tree, today=today)
            case RecordPersonLeft():
                return decide_leave(self.person(cmd.person_id), cmd, today=today)
            case RecordEvaluation():
                return decide_record_evaluation(self._subject(cmd.subject, cmd.subject_id), cmd, today=today)
            case CorrectEvaluation():
                return decide_correct_evaluation(self._subject(cmd.subject, cmd.subject_id), cmd)
            case ImposeDiscipline():
                return decide_impose_discipline(self.person(cmd.person_id), cmd, today=today)
            case EndDiscipline():
                return decide_end_discipline(self.person(cmd.person_id), cmd, today=today)
            case RecognizeInitiative():
                authors = {a: self.people[a] for a in cmd.author_ids if a in self.people}
                state = self.initiatives.get(cmd.initiative_id) or InitiativeState.initial(cmd.initiative_id)
                return decide_recognize_initiative(state, cmd, authors=authors, tree=self.tree, today=today)
        raise AssertionError(f"no decision for {cmd!r}")

    def _subject(self, subject: EvaluationSubject, subject_id: str) -> PersonState | UnitState:
        return self.person(subject_id) if subject is EvaluationSubject.PERSON else self.unit(subject_id)

    def append(self, events: list[EventPayload]) -> None:
        for event in events:
            # Every event must survive the wire.
            assert type(event).model_validate_json(event.model_dump_json()) == event
            self.log.append(event)
            self.tree = self.tree.apply(event)
            person_id = getattr(event, "person_id", None)
            if person_id is not None:
                self.people[person_id] = self.person(person_id).apply(event)
            initiative_id = getattr(event, "initiative_id", None)
            if initiative_id is not None:
                state = self.initiatives.get(initiative_id) or InitiativeState.initial(initiative_id)
                self.initiatives[initiative_id] = state.apply(event)

    def run(self, cmd: Command, today: date | None = None) -> list[EventPayload]:
        events = self.decide(cmd, today)
        self.append(events)
        return events

    def refuse(self, cmd: Command, code: str, today: date | None = None) -> DomainError:
        """Run a command that must be refused with ``code``; check nothing changed."""
        before = self.snapshot()
        with pytest.raises(DomainError) as caught:
            self.run(cmd, today)
        assert caught.value.code == code, caught.value.to_dict()
        assert self.snapshot() == before
        assert caught.value.message
        return caught.value

    # ---------------------------------------------------------------- shortcuts

    def establish(self, unit_id: str, name: str, *, parent: str | None = None, on: str = "2015-01-01",
                  kind: str = "vu", code: str | None = None) -> None:
        self.run(EstablishUnit(unit_id=unit_id, code=code or unit_id.upper(), name=name, kind=kind,
                               parent_id=parent, effective_on=on))

    def enrol(self, person_id: str, unit_id: str, *, name: str = "Nguyễn Thị Hương", on: str = "2018-01-01",
              sex: str = "female", born: str = "1985-04-12", joined: str = "2008-09-01") -> None:
        self.run(EnrolPerson(person_id=person_id, full_name=name, sex=sex, date_of_birth=born,
                             sector_joined_on=joined, unit_id=unit_id, position="Chuyên viên",
                             staff_category="cong_chuc", union_member=True, effective_on=on))

    def grade(self, subject_id: str, year: int, grade: str, subject: str = "person") -> None:
        self.run(RecordEvaluation(subject=subject, subject_id=subject_id, year=year, grade=grade))


@pytest.fixture
def world() -> World:
    return World()


@pytest.fixture
def ministry(world: World) -> World:
    """Bộ Công Thương with two departments and one agency with a sub-unit."""
    world.establish("u-bct", "Bộ Công Thương", kind="bo", on="2007-08-01")
    world.establish("u-vtccb", "Vụ Tổ chức cán bộ", parent="u-bct")
    world.establish("u-vtdkt", "Vụ Thi đua – Khen thưởng", parent="u-bct")
    world.establish("u-cuc", "Cục Thương mại điện tử và Kinh tế số", parent="u-bct", kind="cuc")
    world.establish("u-ttcntt", "Trung tâm Tin học", parent="u-cuc", kind="trung_tam")
    return world


@pytest.fixture
def make() -> Callable[..., Any]:
    """``make(Model, **fields)``: a command built through ``Command.parse`` like an HTTP body."""

    def build(model: type[Command], **fields: Any) -> Command:
        return model.parse(fields)

    return build
