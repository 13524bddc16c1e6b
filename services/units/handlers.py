"""Command handlers of the units service: load, decide, append, project — one transaction each.

Every handler reads the aggregate's stream from the event store (the truth),
loads from the service's own query tables whatever else its decision function
needs (the :class:`OrgTree`, other people's states), calls the pure
``decide_*`` function with ``today``, appends the events and updates the query
tables in the same transaction (:func:`.projections.project`).

Why the handlers run their own transactions rather than
``kernel.commands.execute``: the cross-aggregate reads (tree, people) must
happen in the transaction that appends, under a lock, or two concurrent
commands could each pass their check and together break a rule (two moves
making a cycle, an enrolment into a unit being dissolved). Commands that change
the shape of the tree take the *tree lock* exclusively; commands that only
rely on a unit being active (enrol, transfer, recognise an initiative) take it
shared, so they run in parallel with each other. Commands that touch one
stream only (rename, leave, grades, discipline) need no lock: the stream's
expected version protects them. A lost race (``ConcurrencyError``) is retried
on fresh state.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Any, TypeVar

import asyncpg
from tdkt_contracts import EventPayload

from kernel.errors import Conflict, DomainError
from kernel.eventstore import ConcurrencyError, EventStore, Metadata, RecordedEvent
from kernel.scope import outside_scope
from kernel.service import Service

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


class Lock(Enum):
    """How a command holds the tree lock."""

    SHARED = "pg_advisory_xact_lock_shared"
    EXCLUSIVE = "pg_advisory_xact_lock"


# One key per database schema, so that tests (one schema each) never wait on each other.
_LOCK_SQL = "SELECT {fn}(hashtext(current_schema() || ':units-tree'))"


@dataclass(frozen=True)
class Stream:
    """One aggregate's stream as read: its id, version and events as models."""

    stream_id: str
    version: int
    events: list[EventPayload]
    kinds: frozenset[str]
    """Aggregate kinds found on the stream (``unit``, ``person``, ``initiative``)."""


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


async def read_streams(conn: asyncpg.Connection, stream_ids: Iterable[str]) -> dict[str, Stream]:
    """Several streams in one query (for imports); absent streams come back empty."""
    ids = sorted(set(stream_ids))
    rows = await conn.fetch(
        """
        SELECT stream_id, stream_version, event_type, schema_version, payload FROM events
        WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version
        """,
        ids,
    )
    grouped: dict[str, list[asyncpg.Record]] = {i: [] for i in ids}
    for row in rows:
        grouped[row["stream_id"]].append(row)
    return {
        stream_id: Stream(
            stream_id,
            len(found),
            [p for r in found for p in read_event(r["event_type"], r["schema_version"], r["payload"])],
            frozenset(k for r in found if (k := aggregate_of(r["event_type"])) is not None),
        )
        for stream_id, found in grouped.items()
    }


def _ensure_kind(stream: Stream, kind: str) -> None:
    """Refuse to start an aggregate on a stream that already holds another kind's events."""
    others = stream.kinds - {kind}
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

    def __init__(self, service: Service, *, today: Callable[[], date] = date.today, attempts: int = 3) -> None:
        self.service = service
        self.today = today
        self.attempts = attempts

    @property
    def pool(self) -> asyncpg.Pool:
        assert self.service.pool is not None, "the service is not started"
        return self.service.pool

    @property
    def store(self) -> EventStore:
        return self.service.store

    # ------------------------------------------------------------------ plumbing

    async def _transact(
        self, work: Callable[[asyncpg.Connection], Awaitable[T]], lock: Lock | None = None
    ) -> T:
        """Run ``work`` in one transaction (after taking the tree lock), retrying lost races."""
        for attempt in range(1, self.attempts + 1):
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    if lock is not None:
                        await conn.execute(_LOCK_SQL.format(fn=lock.value))
                    return await work(conn)
            except ConcurrencyError:
                if attempt == self.attempts:
                    raise
        raise AssertionError("unreachable")

    async def _stream(self, conn: asyncpg.Connection, stream_id: str) -> Stream:
        history = await self.store.read_stream(conn, stream_id)
        return Stream(
            stream_id,
            len(history),
            [p for e in history for p in read_event(e.event_type, e.schema_version, e.payload)],
            frozenset(k for e in history if (k := aggregate_of(e.event_type)) is not None),
        )

    async def _append(
        self, conn: asyncpg.Connection, stream: Stream, events: Sequence[EventPayload], metadata: Metadata
    ) -> list[RecordedEvent]:
        recorded = await self.store.append(conn, stream.stream_id, stream.version, events, metadata)
        await project(conn, recorded)
        return recorded

    # ------------------------------------------------------------------ units

    async def establish_unit(self, cmd: EstablishUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Thành lập: a new unit under an active parent, with a code no active unit uses."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.unit_id)
            _ensure_kind(stream, "unit")
            tree = await load_tree(conn)
            events = decide_establish(fold_unit(stream.events), cmd, tree=tree, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work, Lock.EXCLUSIVE)

    async def rename_unit(self, cmd: RenameUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Đổi tên from a date; the old name stays in force before it."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.unit_id)
            events = decide_rename(fold_unit(stream.events), cmd, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work)

    async def move_unit(self, cmd: MoveUnit, metadata: Metadata) -> list[RecordedEvent]:
        """A new parent from a date; refused if it would make a cycle on any date."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.unit_id)
            tree = await load_tree(conn)
            events = decide_move(fold_unit(stream.events), cmd, tree=tree, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work, Lock.EXCLUSIVE)

    async def merge_unit(self, cmd: MergeUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Sáp nhập: the unit closes; its people count under the absorbing unit from the date."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.unit_id)
            tree = await load_tree(conn)
            events = decide_merge(fold_unit(stream.events), cmd, tree=tree, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work, Lock.EXCLUSIVE)

    async def dissolve_unit(self, cmd: DissolveUnit, metadata: Metadata) -> list[RecordedEvent]:
        """Giải thể: only without sub-units and without people (its own or merged into it)."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.unit_id)
            tree = await load_tree(conn)
            feeding = [u.unit_id for u in tree if tree.resolve(u.unit_id) == cmd.unit_id] + [cmd.unit_id]
            people = await people_ever_in(conn, feeding)
            events = decide_dissolve(
                fold_unit(stream.events), cmd, tree=tree, people=people, today=self.today()
            )
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work, Lock.EXCLUSIVE)

    # ------------------------------------------------------------------ people

    async def enrol_person(self, cmd: EnrolPerson, metadata: Metadata) -> list[RecordedEvent]:
        """A person enters the staff records of an active unit (once per id)."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.person_id)
            _ensure_kind(stream, "person")
            tree = await load_tree(conn)
            events = decide_enrol(fold_person(stream.events), cmd, tree=tree, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work, Lock.SHARED)

    async def transfer_person(
        self, cmd: TransferPerson, metadata: Metadata, officer_unit: str | None = None
    ) -> list[RecordedEvent]:
        """Điều động, luân chuyển to another active unit; a unit officer (``officer_unit``) only into their own."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.person_id)
            tree = await load_tree(conn)
            _require_scope(tree, officer_unit, {"to_unit_id": [cmd.to_unit_id]}, self.today())
            events = decide_transfer(fold_person(stream.events), cmd, tree=tree, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work, Lock.SHARED)

    async def record_leaving(self, cmd: RecordPersonLeft, metadata: Metadata) -> list[RecordedEvent]:
        """Nghỉ hưu, thôi việc, chuyển công tác…: the person leaves the staff."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.person_id)
            events = decide_leave(fold_person(stream.events), cmd, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work)

    # ------------------------------------------------------------------ grades

    def _subject(self, stream: Stream, subject: EvaluationSubject) -> PersonState | UnitState:
        return fold_person(stream.events) if subject is EvaluationSubject.PERSON else fold_unit(stream.events)

    async def record_evaluation(self, cmd: RecordEvaluation, metadata: Metadata) -> list[RecordedEvent]:
        """The annual grade of a person or a unit (once per year)."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.subject_id)
            events = decide_record_evaluation(self._subject(stream, cmd.subject), cmd, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work)

    async def correct_evaluation(self, cmd: CorrectEvaluation, metadata: Metadata) -> list[RecordedEvent]:
        """A correction of a recorded grade, with its reason; the old grade stays in history."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.subject_id)
            events = decide_correct_evaluation(self._subject(stream, cmd.subject), cmd)
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work)

    # ------------------------------------------------------------------ discipline

    async def impose_discipline(self, cmd: ImposeDiscipline, metadata: Metadata) -> list[RecordedEvent]:
        """Kỷ luật: recorded on the person's stream, published on the internal topic only."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.person_id)
            events = decide_impose_discipline(fold_person(stream.events), cmd, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work)

    async def end_discipline(self, cmd: EndDiscipline, metadata: Metadata) -> list[RecordedEvent]:
        """A discipline expired or was annulled."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.person_id)
            events = decide_end_discipline(fold_person(stream.events), cmd, today=self.today())
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work)

    # ------------------------------------------------------------------ initiatives

    async def recognize_initiative(
        self, cmd: RecognizeInitiative, metadata: Metadata, officer_unit: str | None = None
    ) -> list[RecordedEvent]:
        """Sáng kiến, đề tài: its authors must be known people, its unit must have existed that year; a unit
        officer (``officer_unit``) credits only people of their own units."""

        async def work(conn: asyncpg.Connection) -> list[RecordedEvent]:
            stream = await self._stream(conn, cmd.initiative_id)
            _ensure_kind(stream, "initiative")
            tree = await load_tree(conn)
            authors = await load_people(conn, cmd.author_ids)
            # Unknown authors are the decision's refusal; known ones must be people of the officer's units.
            placed = [p.unit_id for p in authors.values() if p.exists and p.unit_id is not None]
            _require_scope(tree, officer_unit, {"author_ids": placed}, self.today())
            events = decide_recognize_initiative(
                fold_initiative(stream.events), cmd, authors=authors, tree=tree, today=self.today()
            )
            return await self._append(conn, stream, events, metadata)

        return await self._transact(work, Lock.SHARED)

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

        async def work(conn: asyncpg.Connection) -> tuple[Plan, int]:
            begin = time.perf_counter()
            tree = await load_tree(conn)
            person_ids = refs["people"] if kind is not ImportKind.UNITS else set()
            streams = await read_streams(conn, person_ids)
            people = {i: fold_person(s.events) for i, s in streams.items() if "person" in s.kinds}
            foreign = {i for i, s in streams.items() if s.kinds - {"person"}} if kind is ImportKind.PEOPLE else set()
            if kind is ImportKind.UNITS:
                foreign = await _foreign_ids(conn, refs["units"], "unit")
            timings["load_ms"] = (time.perf_counter() - begin) * 1000
            begin = time.perf_counter()
            result = await asyncio.to_thread(
                plan, table, tree=tree, people=people, today=self.today(), foreign_ids=foreign
            )
            timings["check_ms"] = (time.perf_counter() - begin) * 1000
            if dry_run or not result.ok:
                return result, 0
            begin = time.perf_counter()
            recorded: list[RecordedEvent] = []
            for stream_id, events in result.changes.items():
                recorded += await self.store.append(conn, stream_id, result.base_versions[stream_id], events, metadata)
            await project(conn, recorded)
            timings["write_ms"] = (time.perf_counter() - begin) * 1000
            return result, len(recorded)

        if dry_run:
            # A consistent snapshot is enough to check against; nothing is written.
            async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
                result, written = await work(conn)
        else:
            result, written = await self._transact(work, Lock.EXCLUSIVE)
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
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await query(conn)


async def _foreign_ids(conn: asyncpg.Connection, ids: Iterable[str], kind: str) -> set[str]:
    """Ids among ``ids`` whose stream holds events of another kind of aggregate."""
    rows = await conn.fetch(
        "SELECT DISTINCT stream_id, event_type FROM events WHERE stream_id = ANY($1::text[])", sorted(set(ids))
    )
    return {r["stream_id"] for r in rows if aggregate_of(r["event_type"]) != kind}


__all__ = ["ImportRejected", "Lock", "Stream", "UnitsHandlers", "read_streams"]
