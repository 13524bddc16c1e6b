"""Command handlers of the units service: each a declaration of what it loads and which decision it calls.

Every handler runs in the kernel's unit of work (:mod:`kernel.unit_of_work`):
it reads the aggregate's stream (the truth), loads from the service's own query
tables whatever else its decision function needs (the :class:`OrgTree`, other
people's states), calls the pure ``decide_*`` function with ``today`` and
appends the result; the unit of work projects it onto the query tables
(:func:`.projections.project`) in the same transaction and retries a lost race
on fresh state.

**Locks.** The cross-aggregate reads (tree, people) must happen in the
transaction that appends, under a lock, or two concurrent commands could each
pass their check and together break a rule (two moves making a cycle, an
enrolment into a unit being dissolved). There is one lock, the *tree lock*:
commands that change the shape of the tree take it exclusively; commands that
only rely on a unit being active (enrol, transfer, recognise an initiative)
take it shared, so they run in parallel with each other. Commands that touch
one stream only (rename, leave, grades, discipline) need no lock: the stream's
expected version protects them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from datetime import date
from typing import Any, TypeVar

import asyncpg

from kernel.errors import Conflict, DomainError
from kernel.clock import business_today
from kernel.eventstore import Metadata, RecordedEvent
from kernel.scope import outside_scope
from kernel.service import Service
from kernel.unit_of_work import Stream, Transactions, UnitOfWork

from .domain import (
    Code,
    CorrectEvaluation,
    DissolveUnit,
    EndDiscipline,
    EnrolPerson,
    EstablishUnit,
    EvaluationSubject,
    ImposeDiscipline,
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
    fold_initiative,
    fold_person,
    fold_unit,
)
from .importer import ImportKind, Plan, detect_format, parse_table, plan, read_table, referenced_ids
from .projections import aggregate_of, load_people, load_tree, people_ever_in, project, read_event

T = TypeVar("T")


TREE_LOCK = "units-tree"
"""The one advisory lock of the units service (see the module's docstring)."""


class ImportRejected(DomainError):
    """An apply refused because some rows are bad: nothing was written (HTTP 422)."""

    def __init__(self, report: dict[str, Any]) -> None:
        super().__init__(
            "import_rejected",
            f"{len(report['errors'])} problems ({report['invalid']} of {report['rows']} rows bad"
            f"{', header incomplete' if any(e['code'] == 'missing_column' for e in report['errors']) else ''}); "
            "nothing was written (see details.report.errors)",
            report=report,
        )


def kinds_of(stream: Stream) -> frozenset[str]:
    """Aggregate kinds found on a stream (``unit``, ``person``, ``initiative``)."""
    return frozenset(k for t in stream.event_types if (k := aggregate_of(t)) is not None)


def _ensure_kind(stream: Stream, kind: str) -> None:
    """Refuse to start an aggregate on a stream that already holds another kind's events."""
    others = kinds_of(stream) - {kind}
    if others:
        raise Conflict(
            Code.ID_TAKEN,
            f"id {stream.stream_id!r} is already used by a {', '.join(sorted(others))}; choose another id",
            id=stream.stream_id,
        )


def _require_scope(tree: OrgTree, officer_unit: str | None, named: dict[str, list[str]], today: date) -> None:
    """A unit officer's command may name only units at or under their own, as the tree stands now (the
    command's transaction): ``named`` maps a field to the units it names. Nothing to check for other roles."""
    if officer_unit is None:
        return
    for field, unit_ids in named.items():
        outside = sorted({u for u in unit_ids if not tree.within(u, officer_unit, today)})
        if outside:
            raise outside_scope(officer_unit, field, outside)


class UnitsHandlers:
    """The units service's commands, imports and queries, over its pool and event store."""

    def __init__(self, service: Service, *, today: Callable[[], date] = business_today, attempts: int = 3) -> None:
        self.service = service
        self.today = today
        self.transactions = Transactions(service.running_pool, service.store, read_event, project, attempts)

    # ------------------------------------------------------------------ units

    async def establish_unit(self, cmd: EstablishUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Thành lập: a new unit under an active parent, with a code no active unit uses."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(TREE_LOCK)
            stream = await uow.stream(cmd.unit_id)
            _ensure_kind(stream, "unit")
            tree = await load_tree(uow.conn)
            events = decide_establish(fold_unit(stream.events), cmd, tree=tree, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def rename_unit(self, cmd: RenameUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Đổi tên from a date; the old name stays in force before it."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            stream = await uow.stream(cmd.unit_id)
            events = decide_rename(fold_unit(stream.events), cmd, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def move_unit(self, cmd: MoveUnit, metadata: Metadata) -> list[RecordedEvent]:
        """A new parent from a date; refused if it would make a cycle on any date."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(TREE_LOCK)
            stream = await uow.stream(cmd.unit_id)
            tree = await load_tree(uow.conn)
            events = decide_move(fold_unit(stream.events), cmd, tree=tree, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def merge_unit(self, cmd: MergeUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Sáp nhập: the unit closes; its people count under the absorbing unit from the date."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(TREE_LOCK)
            stream = await uow.stream(cmd.unit_id)
            tree = await load_tree(uow.conn)
            events = decide_merge(fold_unit(stream.events), cmd, tree=tree, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def dissolve_unit(self, cmd: DissolveUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Giải thể: only without sub-units and without people (its own or merged into it)."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(TREE_LOCK)
            stream = await uow.stream(cmd.unit_id)
            tree = await load_tree(uow.conn)
            feeding = [u.unit_id for u in tree if tree.resolve(u.unit_id) == cmd.unit_id] + [cmd.unit_id]
            people = await people_ever_in(uow.conn, feeding)
            events = decide_dissolve(
                fold_unit(stream.events), cmd, tree=tree, people=people, today=self.today()
            )
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    # ------------------------------------------------------------------ people

    async def enrol_person(self, cmd: EnrolPerson, metadata: Metadata) -> list[RecordedEvent]:
        """A person enters the staff records of an active unit (once per id)."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(TREE_LOCK, shared=True)
            stream = await uow.stream(cmd.person_id)
            _ensure_kind(stream, "person")
            tree = await load_tree(uow.conn)
            events = decide_enrol(fold_person(stream.events), cmd, tree=tree, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def transfer_person(
        self, cmd: TransferPerson, metadata: Metadata, officer_unit: str | None = None
    ) -> list[RecordedEvent]:
        """Điều động, luân chuyển to another active unit; a unit officer (``officer_unit``) only into their own."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(TREE_LOCK, shared=True)
            stream = await uow.stream(cmd.person_id)
            tree = await load_tree(uow.conn)
            _require_scope(tree, officer_unit, {"to_unit_id": [cmd.to_unit_id]}, self.today())
            events = decide_transfer(fold_person(stream.events), cmd, tree=tree, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def record_leaving(self, cmd: RecordPersonLeft, metadata: Metadata) -> list[RecordedEvent]:
        """Nghỉ hưu, thôi việc, chuyển công tác…: the person leaves the staff."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            stream = await uow.stream(cmd.person_id)
            events = decide_leave(fold_person(stream.events), cmd, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    # ------------------------------------------------------------------ grades

    def _subject(self, stream: Stream, subject: EvaluationSubject) -> PersonState | UnitState:
        return fold_person(stream.events) if subject is EvaluationSubject.PERSON else fold_unit(stream.events)

    async def record_evaluation(self, cmd: RecordEvaluation, metadata: Metadata) -> list[RecordedEvent]:
        """The annual grade of a person or a unit (once per year)."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            stream = await uow.stream(cmd.subject_id)
            events = decide_record_evaluation(self._subject(stream, cmd.subject), cmd, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def correct_evaluation(self, cmd: CorrectEvaluation, metadata: Metadata) -> list[RecordedEvent]:
        """A correction of a recorded grade, with its reason; the old grade stays in history."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            stream = await uow.stream(cmd.subject_id)
            events = decide_correct_evaluation(self._subject(stream, cmd.subject), cmd)
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    # ------------------------------------------------------------------ discipline

    async def impose_discipline(self, cmd: ImposeDiscipline, metadata: Metadata) -> list[RecordedEvent]:
        """Kỷ luật: recorded on the person's stream, published on the internal topic only."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            stream = await uow.stream(cmd.person_id)
            events = decide_impose_discipline(fold_person(stream.events), cmd, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    async def end_discipline(self, cmd: EndDiscipline, metadata: Metadata) -> list[RecordedEvent]:
        """A discipline expired or was annulled."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            stream = await uow.stream(cmd.person_id)
            events = decide_end_discipline(fold_person(stream.events), cmd, today=self.today())
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    # ------------------------------------------------------------------ initiatives

    async def recognize_initiative(
        self, cmd: RecognizeInitiative, metadata: Metadata, officer_unit: str | None = None
    ) -> list[RecordedEvent]:
        """Sáng kiến, đề tài: its authors must be known people, its unit must have existed that year; a unit
        officer (``officer_unit``) credits only people of their own units."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(TREE_LOCK, shared=True)
            stream = await uow.stream(cmd.initiative_id)
            _ensure_kind(stream, "initiative")
            tree = await load_tree(uow.conn)
            authors = await load_people(uow.conn, cmd.author_ids)
            # Unknown authors are the decision's refusal; known ones must be people of the officer's units.
            placed = [p.unit_id for p in authors.values() if p.exists and p.unit_id is not None]
            _require_scope(tree, officer_unit, {"author_ids": placed}, self.today())
            events = decide_recognize_initiative(
                fold_initiative(stream.events), cmd, authors=authors, tree=tree, today=self.today()
            )
            return await uow.append(events)

        return await self.transactions.run(work, metadata)

    # ------------------------------------------------------------------ bulk import

    async def import_file(
        self,
        kind: ImportKind,
        data: bytes,
        *,
        content_type: str | None,
        filename: str | None = None,
        dry_run: bool,
        metadata: Metadata,
    ) -> dict[str, Any]:
        """Check (``dry_run``) or apply a whole file: every row's events in one transaction, or none.

        Returns the report (see :meth:`.importer.Plan.report`); an apply with
        any bad row raises :class:`ImportRejected` carrying the report.
        """
        started = time.perf_counter()
        fmt = detect_format(data, content_type, filename)
        # Parsing 5,000 rows (openpyxl especially) takes a moment: keep the event loop free.
        table = await asyncio.to_thread(lambda: parse_table(kind, read_table(data, fmt)))
        parsed = time.perf_counter()
        refs = referenced_ids(table)
        timings: dict[str, float] = {"read_ms": (parsed - started) * 1000}

        async def work(uow: UnitOfWork) -> tuple[Plan, int]:
            begin = time.perf_counter()
            if not dry_run:
                await uow.lock(TREE_LOCK)
            tree = await load_tree(uow.conn)
            person_ids = refs["people"] if kind is not ImportKind.UNITS else set()
            streams = await uow.streams(sorted(person_ids))
            people = {i: fold_person(s.events) for i, s in streams.items() if "person" in kinds_of(s)}
            foreign = {i for i, s in streams.items() if kinds_of(s) - {"person"}} if kind is ImportKind.PEOPLE else set()
            if kind is ImportKind.UNITS:
                foreign = await _foreign_ids(uow.conn, refs["units"], "unit")
            timings["load_ms"] = (time.perf_counter() - begin) * 1000
            begin = time.perf_counter()
            result = await asyncio.to_thread(
                plan, table, tree=tree, people=people, today=self.today(), foreign_ids=foreign
            )
            timings["check_ms"] = (time.perf_counter() - begin) * 1000
            if dry_run or not result.ok:
                return result, 0
            begin = time.perf_counter()
            recorded = await uow.append_streams(
                [(stream_id, result.base_versions[stream_id], events) for stream_id, events in result.changes.items()]
            )
            timings["write_ms"] = (time.perf_counter() - begin) * 1000
            return result, len(recorded)

        if dry_run:
            # A consistent snapshot is enough to check against; nothing is written.
            result, written = await self.transactions.snapshot(work, metadata)
        else:
            result, written = await self.transactions.run(work, metadata)
        report = result.report(dry_run=dry_run, applied=bool(not dry_run and result.ok))
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        report["elapsed_ms"] = {k: round(v) for k, v in timings.items()}
        if not dry_run and not result.ok:
            raise ImportRejected(report)
        report["events_written"] = written
        return report

    # ------------------------------------------------------------------ reading

    async def read(self, query: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """Run a query on one consistent snapshot of the query tables."""
        return await self.transactions.read(query)


async def _foreign_ids(conn: asyncpg.Connection, ids: Iterable[str], kind: str) -> set[str]:
    """Ids among ``ids`` whose stream holds events of another kind of aggregate."""
    rows = await conn.fetch(
        "SELECT DISTINCT stream_id, event_type FROM events WHERE stream_id = ANY($1::text[])", sorted(set(ids))
    )
    return {r["stream_id"] for r in rows if aggregate_of(r["event_type"]) != kind}


__all__ = ["TREE_LOCK", "ImportRejected", "UnitsHandlers", "kinds_of"]
