"""The unit of work every command runs in: one transaction that reads, locks, decides, appends and projects.

A command handler says what it loads and which pure ``decide_*`` function it
calls; the unit of work does the rest, the same way in every service:

1. :meth:`UnitOfWork.lock` takes advisory transaction locks. Every service
   states its locks' global order in its handlers' docstring and names its
   keys so that sorting them gives that order; a call takes its keys sorted.
   A rule that reads state other streams' writers change (a tree that must
   stay acyclic, a quota counted across awards) is safe only under such a lock.
2. :meth:`UnitOfWork.stream` / :meth:`UnitOfWork.streams` read streams as
   the service's current models and remember each stream's version.
3. :meth:`UnitOfWork.append` groups the decided events by their own stream
   (``event.subject()``), appends them at the versions read — a stream never
   read is a new stream (version 0) — all or nothing, and runs the service's
   projection on them in the same transaction, so the next command's reads
   see them.

:class:`Transactions` runs a unit of work and, when a stream moved on under
it (``ConcurrencyError``), runs it again on fresh state — unless the client
pinned a version (``If-Match``): then the 409 is its answer. A refusal
(``DomainError``) rolls everything back: nothing is written.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import asyncpg
from tdkt_contracts import EventPayload, parse

from .eventstore import ConcurrencyError, EventStore, Metadata, RecordedEvent

T = TypeVar("T")

ReadEvent = Callable[[str, int, dict[str, Any]], Sequence[EventPayload]]
"""How a service reads one stored event (type, schema version, payload) as its current models."""

Project = Callable[[asyncpg.Connection, list[RecordedEvent]], Awaitable[None]]
"""A service's projection of freshly appended events onto its own tables, in the appending transaction."""

# One lock space per database schema, so that tests (one schema each) never wait on each other.
_LOCK_SQL = "SELECT {fn}(hashtextextended(current_schema() || ':' || $1, 0))"


def read_current(event_type: str, schema_version: int, payload: dict[str, Any]) -> list[EventPayload]:
    """A stored event as its newest contract model (upcast): the reading of most services."""
    return [parse(event_type, schema_version, payload)]


@dataclass(frozen=True)
class Stream:
    """One stream as read: its id, its version, its events as models and the stored type of each record."""

    stream_id: str
    version: int
    events: list[EventPayload]
    event_types: tuple[str, ...] = ()


@dataclass
class UnitOfWork:
    """One command's transaction on one connection: what it read, at which versions, and what it appends."""

    conn: asyncpg.Connection
    store: EventStore
    metadata: Metadata
    read_event: ReadEvent = read_current
    project: Project | None = None
    versions: dict[str, int] = field(default_factory=dict)
    """The version of every stream read so far: the versions ``append`` expects."""

    async def lock(self, *keys: str, shared: bool = False) -> None:
        """Take advisory transaction locks on ``keys`` (sorted), exclusive or shared; held to the end."""
        sql = _LOCK_SQL.format(fn="pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock")
        for key in sorted(set(keys)):
            await self.conn.execute(sql, key)

    async def stream(self, stream_id: str, *, expected_version: int | None = None) -> Stream:
        """One stream; with ``expected_version`` (a client's If-Match), ConcurrencyError unless it is there."""
        found = (await self.streams([stream_id]))[stream_id]
        if expected_version is not None and expected_version != found.version:
            raise ConcurrencyError(stream_id, expected_version, found.version)
        return found

    async def streams(self, stream_ids: Iterable[str]) -> dict[str, Stream]:
        """Several streams in one query, in the order asked; an absent stream comes back empty (version 0)."""
        ids = list(dict.fromkeys(stream_ids))
        rows = await self.conn.fetch(
            "SELECT stream_id, stream_version, event_type, schema_version, payload FROM events "
            "WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version",
            ids,
        )
        grouped: dict[str, list[asyncpg.Record]] = {i: [] for i in ids}
        for row in rows:
            grouped[row["stream_id"]].append(row)
        read: dict[str, Stream] = {}
        for stream_id, records in grouped.items():
            read[stream_id] = Stream(
                stream_id,
                records[-1]["stream_version"] if records else 0,
                [p for r in records for p in self.read_event(r["event_type"], r["schema_version"], r["payload"])],
                tuple(r["event_type"] for r in records),
            )
            self.versions[stream_id] = read[stream_id].version
        return read

    async def append(self, events: Sequence[EventPayload]) -> list[RecordedEvent]:
        """Append each event to its own stream at the version read, all or nothing, and project them."""
        groups: dict[str, list[EventPayload]] = {}
        for event in events:
            groups.setdefault(event.subject(), []).append(event)
        return await self.append_streams([(sid, self.versions.get(sid, 0), group) for sid, group in groups.items()])

    async def append_streams(self, appends: Sequence[tuple[str, int, Sequence[EventPayload]]]) -> list[RecordedEvent]:
        """Append ``(stream_id, expected_version, events)`` batches as given (a bulk import's plan), and project."""
        recorded = await self.store.append_batch(self.conn, appends, self.metadata)
        for stream_id, _, group in appends:
            self.versions[stream_id] = self.versions.get(stream_id, 0) + len(group)
        if recorded and self.project is not None:
            await self.project(self.conn, recorded)
        return recorded


@dataclass
class Transactions:
    """Runs units of work on a service's pool and event store (see the module's docstring)."""

    pool: Callable[[], asyncpg.Pool]
    store: EventStore
    read_event: ReadEvent = read_current
    project: Project | None = None
    attempts: int = 3

    async def run(
        self, work: Callable[[UnitOfWork], Awaitable[T]], metadata: Metadata, *, retry: bool = True
    ) -> T:
        """Run ``work`` in one transaction; after a lost race, again on fresh state (unless ``retry`` is off)."""
        for attempt in range(1, self.attempts + 1):
            try:
                async with self.pool().acquire() as conn, conn.transaction():
                    return await work(UnitOfWork(conn, self.store, metadata, self.read_event, self.project))
            except ConcurrencyError:
                if not retry or attempt == self.attempts:
                    raise
        raise AssertionError("unreachable")

    async def read(self, query: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """Run a query on one consistent, read-only snapshot (streams and tables seen at the same instant)."""
        async with self.pool().acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await query(conn)

    async def snapshot(self, work: Callable[[UnitOfWork], Awaitable[T]], metadata: Metadata) -> T:
        """Run ``work`` on a read-only snapshot through a unit of work (a dry run: any append fails)."""
        async with self.pool().acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await work(UnitOfWork(conn, self.store, metadata, self.read_event, self.project))
