"""The event store of a service, on asyncpg: append with an expected version, read a
stream, read the whole log in a stable order from a position.

Appending also makes the outbox entry: the ``events`` table is the outbox the
relay reads, so event and outbox entry commit in one transaction by construction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import asyncpg
from tdkt_contracts import Envelope, EventPayload

from .db import apply_sql, kernel_sql
from .errors import Conflict


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

    def caused_by(self, event_id: uuid.UUID | str) -> Metadata:
        """Metadata for events written in reaction to ``event_id`` (same correlation)."""
        return Metadata(self.actor_id, self.actor_role, self.correlation_id, str(event_id))


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

    def envelope(self, source: str) -> Envelope:
        """The CloudEvents envelope this event travels in."""
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
            actor_id=self.actor_id,
            actor_role=self.actor_role,
            data=self.payload,
        )


_COLUMNS = (
    "event_id, stream_id, stream_version, event_type, schema_version, topic, payload, occurred_at, "
    "recorded_at, actor_id, actor_role, correlation_id, causation_id, tx_id::text::bigint AS tx, seq"
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
        Raises :class:`ConcurrencyError` when the stream moved on.
        """
        if not conn.is_in_transaction():
            raise RuntimeError("append must run inside a transaction")
        if not events:
            return []
        metadata = metadata or Metadata()
        current = await conn.fetchval(
            "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1", stream_id
        )
        if current != expected_version:
            raise ConcurrencyError(stream_id, expected_version, current)
        occurred_at = metadata.occurred_at or datetime.now(UTC)
        rows = [
            (
                uuid.uuid4(),
                stream_id,
                expected_version + i + 1,
                event.event_type,
                event.event_version,
                event.topic(),
                event.model_dump(mode="json"),
                occurred_at,
                metadata.actor_id,
                metadata.actor_role,
                metadata.correlation_id,
                metadata.causation_id,
            )
            for i, event in enumerate(events)
        ]
        try:
            # A savepoint, so that a lost race leaves the caller's transaction usable.
            async with conn.transaction():
                recorded = await conn.fetch(
                    f"""
                    INSERT INTO events (event_id, stream_id, stream_version, event_type, schema_version, topic,
                                        payload, occurred_at, actor_id, actor_role, correlation_id, causation_id)
                    SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::int[], $6::text[],
                                         $7::jsonb[], $8::timestamptz[], $9::text[], $10::text[], $11::text[],
                                         $12::text[])
                    RETURNING {_COLUMNS}
                    """,
                    *[list(column) for column in zip(*rows, strict=True)],
                )
        except asyncpg.UniqueViolationError:
            actual = await conn.fetchval(
                "SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = $1", stream_id
            )
            raise ConcurrencyError(stream_id, expected_version, actual) from None
        await self._check_log_order(conn, stream_id, expected_version)
        if self.notify_channel:
            await conn.execute("SELECT pg_notify($1, '')", self.notify_channel)
        return [_row_to_event(row) for row in sorted(recorded, key=lambda r: r["stream_version"])]

    @staticmethod
    async def _check_log_order(conn: asyncpg.Connection, stream_id: str, expected_version: int) -> None:
        """Refuse an append whose transaction id is older than the stream's previous writer.

        The log is ordered by transaction id. A transaction that got its id
        before the previous writer of this stream committed (because it wrote
        something else first) would land ahead of that writer's events in the
        log, breaking per-aggregate order on Kafka. It is refused as a conflict;
        a retry runs in a new transaction with a newer id.
        """
        if expected_version == 0:
            return
        older = await conn.fetchval(
            "SELECT tx_id > pg_current_xact_id() FROM events WHERE stream_id = $1 AND stream_version = $2",
            stream_id,
            expected_version,
        )
        if older:
            raise ConcurrencyError(
                stream_id,
                expected_version,
                expected_version,
                reason=f"transaction began writing before the last writer of stream {stream_id!r} committed; retry",
            )

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
