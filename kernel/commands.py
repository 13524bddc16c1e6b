"""Running a command: read the stream, decide, append, update local tables: one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import asyncpg
from tdkt_contracts import EventPayload

from .eventstore import ConcurrencyError, EventStore, Metadata, RecordedEvent

Decide = Callable[[list[RecordedEvent]], Sequence[EventPayload]]
Project = Callable[[asyncpg.Connection, list[RecordedEvent]], Awaitable[None]]


async def execute(
    pool: asyncpg.Pool,
    store: EventStore,
    stream_id: str,
    decide: Decide,
    metadata: Metadata,
    *,
    project: Project | None = None,
    expected_version: int | None = None,
    attempts: int = 3,
) -> list[RecordedEvent]:
    """Decide on a stream's history and append the result, with the service's own tables.

    ``decide`` gets the stream's past events and returns new ones (or raises a
    DomainError: nothing is written). ``project`` updates the service's query
    tables in the same transaction. Without a client-supplied
    ``expected_version``, a lost race is retried on fresh history.
    """
    for attempt in range(1, attempts + 1):
        try:
            async with pool.acquire() as conn, conn.transaction():
                history = await store.read_stream(conn, stream_id)
                if expected_version is not None and expected_version != len(history):
                    raise ConcurrencyError(stream_id, expected_version, len(history))
                events = decide(history)
                recorded = await store.append(conn, stream_id, len(history), events, metadata)
                if project and recorded:
                    await project(conn, recorded)
                return recorded
        except ConcurrencyError:
            if expected_version is not None or attempt == attempts:
                raise
    raise AssertionError("unreachable")
