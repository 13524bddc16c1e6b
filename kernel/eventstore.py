"""The event store of a service, on asyncpg: append with an expected version, read a
stream, read the whole log in a stable order from a position.

Appending also makes the outbox entry: the ``events`` table is the outbox the
relay reads, so event and outbox entry commit in one transaction by construction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
from tdkt_contracts import Envelope, EventPayload

from .db import apply_sql, kernel_sql
from .errors import Conflict
from .idempotency import mark_committed
from .telemetry import TRACEPARENT


class ConcurrencyError(Conflict):
    """The stream moved on since the caller read it (HTTP 409)."""

    def __init__(self, stream_id: str, expected: int, actual: int, reason: str | None = None) -> None:
        message = reason or (
            f"stream {stream_id!r} is at version {actual}, not the expected {expected}: "
            "someone else changed it; read it again and retry"
        )
        super().__init__("concurrency_conflict", message, stream_id=stream_id, expected=expected, actual=actual)
        self.stream_id = stream_id
        self.expected = expected
        self.actual = actual


@dataclass(frozen=True, order=True)
class Position:
    """A place in the log: the writing transaction's id, then the row's sequence number."""

    tx_id: int
    seq: int

    def __str__(self) -> str:
        return f"{self.tx_id}:{self.seq}"


START = Position(0, 0)


@dataclass(frozen=True)
class Metadata:
    """Who asked for a change and why; copied onto every event it produces."""

    actor_id: str | None = None
    actor_role: str | None = None
    correlation_id: str | None = None
    causation_id: str | None = None
    occurred_at: datetime | None = None
    business_date: date | None = None
    """The date the request set as today (``X-Tdkt-Today``, where a service honours it), recorded for the audit."""
    client_supplied: tuple[str, ...] = ()
    """Which of ``correlation_id`` and ``causation_id`` the client sent (kept as given, never trusted as ours)."""

    def caused_by(self, event_id: uuid.UUID | str) -> Metadata:
        """Metadata for events written in reaction to ``event_id`` (same correlation)."""
        return Metadata(self.actor_id, self.actor_role, self.correlation_id, str(event_id),
                        client_supplied=tuple(n for n in self.client_supplied if n == "correlation_id"))

    def request_claims(self) -> dict[str, Any] | None:
        """What the request claimed rather than the service established (the ``request_claims`` column)."""
        claims: dict[str, Any] = {}
        if self.business_date is not None:
            claims["business_date"] = self.business_date.isoformat()
        if self.client_supplied:
            claims["client_supplied"] = list(self.client_supplied)
        return claims or None


@dataclass(frozen=True)
class RecordedEvent:
    """An event as stored."""

    event_id: uuid.UUID
    stream_id: str
    stream_version: int
    event_type: str
    schema_version: int
    topic: str
    payload: dict[str, Any]
    occurred_at: datetime
    recorded_at: datetime
    actor_id: str | None
    actor_role: str | None
    correlation_id: str | None
    causation_id: str | None
    position: Position = field(compare=False)
    traceparent: str | None = field(default=None, compare=False)
    """The W3C trace context of the request (or event) that caused it (kernel.telemetry)."""

    def envelope(self, source: str) -> Envelope:
        """The CloudEvents envelope this event travels in. Who acted is personal data other systems do not
        need: it travels on internal topics only (the audit trail, ``GET /audit/…``, keeps it for every event)."""
        internal = self.topic.endswith(".internal")
        return Envelope(
            id=self.event_id,
            source=source,
            type=self.event_type,
            schema_version=self.schema_version,
            subject=self.stream_id,
            time=self.occurred_at,
            stream_version=self.stream_version,
            correlation_id=self.correlation_id,
            causation_id=self.causation_id,
            actor_id=self.actor_id if internal else None,
            actor_role=self.actor_role if internal else None,
            traceparent=self.traceparent,
            data=self.payload,
        )


_LOG_ORDER = (
    "transaction began writing before the last writer of stream {stream!r} committed; retry. "
    "The log is ordered by transaction id, so a transaction that got its id before the "
    "stream's previous writer committed would land ahead of that writer's events on Kafka."
)

_COLUMNS = (
    "event_id, stream_id, stream_version, event_type, schema_version, topic, payload, occurred_at, "
    "recorded_at, actor_id, actor_role, correlation_id, causation_id, traceparent, tx_id::text::bigint AS tx, seq"
)


def _row_to_event(row: asyncpg.Record) -> RecordedEvent:
    return RecordedEvent(
        event_id=row["event_id"],
        stream_id=row["stream_id"],
        stream_version=row["stream_version"],
        event_type=row["event_type"],
        schema_version=row["schema_version"],
        topic=row["topic"],
        payload=row["payload"],
        occurred_at=row["occurred_at"],
        recorded_at=row["recorded_at"],
        actor_id=row["actor_id"],
        actor_role=row["actor_role"],
        correlation_id=row["correlation_id"],
        causation_id=row["causation_id"],
        position=Position(row["tx"], row["seq"]),
        traceparent=row["traceparent"],
    )


class EventStore:
    """Appends and reads the events of one service's database schema."""

    def __init__(self, notify_channel: str | None = None) -> None:
        self.notify_channel = notify_channel

    @staticmethod
    async def migrate(conn: asyncpg.Connection) -> None:
        """Create the event store's tables in the connection's schema."""
        await apply_sql(conn, [kernel_sql("eventstore.sql")])

    async def append(
        self,
        conn: asyncpg.Connection,
        stream_id: str,
        expected_version: int,
        events: Sequence[EventPayload],
        metadata: Metadata | None = None,
    ) -> list[RecordedEvent]:
        """Append ``events`` to a stream that must be at ``expected_version`` (0 = new).

        Must run inside the caller's transaction, with the caller's other writes.
        Raises :class:`ConcurrencyError` when the stream moved on; nothing of this
        call is left written then, and the transaction stays usable.
        """
        return await self.append_batch(conn, [(stream_id, expected_version, events)], metadata)

    async def append_batch(
        self,
        conn: asyncpg.Connection,
        appends: Sequence[tuple[str, int, Sequence[EventPayload]]],
        metadata: Metadata | None = None,
    ) -> list[RecordedEvent]:
        """Append to many streams in one statement: ``(stream_id, expected_version, events)`` each.

        The version check, the log-order check and the insert are one round
        trip, so a bulk import of thousands of streams costs one statement per
        batch. All or nothing: if any stream moved on, nothing of the batch
        stays written and :class:`ConcurrencyError` names that stream.
        """
        if not conn.is_in_transaction():
            raise RuntimeError("append must run inside a transaction")
        appends = [(stream, expected, events) for stream, expected, events in appends if events]
        if not appends:
            return []
        metadata = metadata or Metadata()
        occurred_at = metadata.occurred_at or datetime.now(UTC)
        traceparent = TRACEPARENT.get()
        claims = metadata.request_claims()
        rows = [
            (
                uuid.uuid4(),
                stream_id,
                expected + i + 1,
                event.event_type,
                event.event_version,
                event.topic(),
                event.model_dump(mode="json"),
                occurred_at,
                metadata.actor_id,
                metadata.actor_role,
                metadata.correlation_id,
                metadata.causation_id,
                traceparent,
                claims,
            )
            for stream_id, expected, events in appends
            for i, event in enumerate(events)
        ]
        # A stream is written only if it is at the expected version and its last
        # event was not written by a transaction newer than this one (see
        # _LOG_ORDER). ON CONFLICT turns a concurrent writer's race into "no row".
        recorded = await conn.fetch(
            f"""
            WITH wanted AS (
                SELECT * FROM unnest($15::text[], $16::int[]) AS w(stream_id, expected)
            ), writable AS (
                SELECT w.stream_id FROM wanted w
                LEFT JOIN LATERAL (
                    SELECT e.stream_version, e.tx_id FROM events e
                    WHERE e.stream_id = w.stream_id ORDER BY e.stream_version DESC LIMIT 1
                ) head ON true
                WHERE coalesce(head.stream_version, 0) = w.expected
                  AND (head.tx_id IS NULL OR head.tx_id <= pg_current_xact_id())
            )
            INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, topic,
                                payload, occurred_at, actor_id, actor_role, correlation_id, causation_id, traceparent,
                                request_claims)
            SELECT r.* FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[],
                                   $7::jsonb[], $8::timestamptz[], $9::text[], $10::text[], $11::text[],
                                   $12::text[], $13::text[], $14::jsonb[])
                 AS r(event_id, stream_id, stream_version, event_type, schema_version, topic, payload,
                      occurred_at, actor_id, actor_role, correlation_id, causation_id, traceparent, request_claims)
            WHERE r.stream_id IN (SELECT stream_id FROM writable)
            ON CONFLICT (stream_id, stream_version) DO NOTHING
            RETURNING {_COLUMNS}
            """,
            *[list(column) for column in zip(*rows, strict=True)],
            [stream for stream, _, _ in appends],
            [expected for _, expected, _ in appends],
        )
        if len(recorded) != len(rows):
            await self._refuse(conn, appends, [row["event_id"] for row in recorded])
        await mark_committed(conn)
        if self.notify_channel:
            await conn.execute("SELECT pg_notify($1, '')", self.notify_channel)
        order = {stream: n for n, (stream, _, _) in enumerate(appends)}
        return [
            _row_to_event(row)
            for row in sorted(recorded, key=lambda r: (order[r["stream_id"]], r["stream_version"]))
        ]

    @staticmethod
    async def _refuse(
        conn: asyncpg.Connection, appends: Sequence[tuple[str, int, Sequence[EventPayload]]], written: list[uuid.UUID]
    ) -> None:
        """Undo what the statement did write, then raise for the first stream that refused."""
        if written:
            await conn.execute("DELETE FROM events WHERE event_id = ANY($1::uuid[])", written)
        for stream_id, expected, _ in appends:
            head = await conn.fetchrow(
                "SELECT stream_version, tx_id > pg_current_xact_id() AS newer FROM events "
                "WHERE stream_id = $1 ORDER BY stream_version DESC LIMIT 1",
                stream_id,
            )
            actual = head["stream_version"] if head else 0
            if actual != expected:
                raise ConcurrencyError(stream_id, expected, actual)
            if head and head["newer"]:
                raise ConcurrencyError(stream_id, expected, actual, reason=_LOG_ORDER.format(stream=stream_id))
        # Every head looks right now: a concurrent writer won a race and then rolled back.
        stream_id, expected, _ = appends[0]
        raise ConcurrencyError(stream_id, expected, expected, reason=f"stream {stream_id!r} was being written; retry")

    @staticmethod
    async def read_stream(conn: asyncpg.Connection, stream_id: str, after_version: int = 0) -> list[RecordedEvent]:
        """Every event of one stream, oldest first."""
        rows = await conn.fetch(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version",
            stream_id,
            after_version,
        )
        return [_row_to_event(row) for row in rows]

    @staticmethod
    async def read_all(conn: asyncpg.Connection, after: Position = START, limit: int = 1000) -> list[RecordedEvent]:
        """Events after ``after`` in log order, only from transactions that can no longer change.

        Rows of a transaction are returned only once every older transaction has
        ended, so reading on from the last position returned never skips a row.
        """
        rows = await conn.fetch(
            f"""
            SELECT {_COLUMNS} FROM events
            WHERE (tx_id, seq) > ($1::text::xid8, $2::bigint)
              AND tx_id < pg_snapshot_xmin(pg_current_snapshot())
            ORDER BY tx_id, seq
            LIMIT $3
            """,
            str(after.tx_id),
            after.seq,
            limit,
        )
        return [_row_to_event(row) for row in rows]
