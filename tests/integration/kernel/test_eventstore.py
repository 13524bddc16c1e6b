"""The event store against a real PostgreSQL server."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from kernel.eventstore import ConcurrencyError, EventStore, Metadata

from .support import ThingCounted

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(pool: asyncpg.Pool) -> EventStore:
    async with pool.acquire() as conn:
        await EventStore.migrate(conn)
    return EventStore()


async def test_append_and_read_stream_keeps_vietnamese_and_metadata(pool: asyncpg.Pool, store: EventStore) -> None:
    meta = Metadata(actor_id="can-bo-01", actor_role="emulation_office", correlation_id="corr-1")
    async with pool.acquire() as conn, conn.transaction():
        recorded = await store.append(
            conn, "thing-1", 0, [ThingCounted(thing_id="thing-1", n=1, note="Nguyễn Thị Hương")], meta
        )
    assert [e.stream_version for e in recorded] == [1]
    async with pool.acquire() as conn:
        events = await store.read_stream(conn, "thing-1")
    assert len(events) == 1
    event = events[0]
    assert event.payload == {"thing_id": "thing-1", "n": 1, "note": "Nguyễn Thị Hương"}
    assert (event.actor_id, event.actor_role, event.correlation_id) == ("can-bo-01", "emulation_office", "corr-1")
    assert event.event_type == "vn.tdkt.test.thing.counted" and event.schema_version == 1
    assert event.topic == "tdkt.test.events"


async def test_wrong_expected_version_is_a_conflict_naming_the_versions(pool: asyncpg.Pool, store: EventStore) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, "thing-2", 0, [ThingCounted(thing_id="thing-2", n=1)])
    with pytest.raises(ConcurrencyError) as caught:
        async with pool.acquire() as conn, conn.transaction():
            await store.append(conn, "thing-2", 0, [ThingCounted(thing_id="thing-2", n=2)])
    assert caught.value.details == {"stream_id": "thing-2", "expected": 0, "actual": 1}
    assert "thing-2" in caught.value.message


async def test_two_concurrent_appends_at_the_same_version_exactly_one_wins(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, "thing-3", 0, [ThingCounted(thing_id="thing-3", n=0)])
    first_inserted = asyncio.Event()

    async def writer(n: int) -> str:
        async with pool.acquire() as conn:
            if n == 2:
                await first_inserted.wait()  # both now append at version 1 while the first is uncommitted
            try:
                async with conn.transaction():
                    await store.append(conn, "thing-3", 1, [ThingCounted(thing_id="thing-3", n=n)])
                    if n == 1:
                        first_inserted.set()
                        await asyncio.sleep(0.3)  # the second writer is now blocked on our row
                return "won"
            except ConcurrencyError:
                return "conflict"

    results = await asyncio.gather(writer(1), writer(2))
    assert sorted(results) == ["conflict", "won"]
    async with pool.acquire() as conn:
        assert [e.stream_version for e in await store.read_stream(conn, "thing-3")] == [1, 2]


async def test_read_all_returns_only_ended_transactions_in_log_order(pool: asyncpg.Pool, store: EventStore) -> None:
    early = await pool.acquire()
    tx = early.transaction()
    await tx.start()
    # This transaction takes its id (and sequence number) first but commits last.
    await store.append(early, "late", 0, [ThingCounted(thing_id="late", n=1)])
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, "prompt", 0, [ThingCounted(thing_id="prompt", n=1)])
    async with pool.acquire() as conn:
        visible = await store.read_all(conn)
    # The prompt one is held back too: reading on past it would skip the late one forever.
    assert visible == []
    await tx.commit()
    await pool.release(early)
    async with pool.acquire() as conn:
        visible = await store.read_all(conn)
        assert [e.stream_id for e in visible] == ["late", "prompt"]
        assert await store.read_all(conn, visible[-1].position) == []


async def test_append_from_a_transaction_older_than_the_streams_last_writer_is_refused(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    old = await pool.acquire()
    tx = old.transaction()
    await tx.start()
    await store.append(old, "other-stream", 0, [ThingCounted(thing_id="other-stream", n=1)])  # takes its id now
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, "shared", 0, [ThingCounted(thing_id="shared", n=1)])
    with pytest.raises(ConcurrencyError, match="retry"):
        await store.append(old, "shared", 1, [ThingCounted(thing_id="shared", n=2)])
    await tx.rollback()
    await pool.release(old)


async def test_append_batch_is_all_or_nothing_and_names_the_stream_that_moved(
    pool: asyncpg.Pool, store: EventStore
) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, "moved", 0, [ThingCounted(thing_id="moved", n=1)])
    async with pool.acquire() as conn, conn.transaction():
        with pytest.raises(ConcurrencyError) as caught:
            await store.append_batch(
                conn,
                [("fresh-1", 0, [ThingCounted(thing_id="fresh-1", n=1)]),
                 ("moved", 0, [ThingCounted(thing_id="moved", n=2)]),
                 ("fresh-2", 0, [ThingCounted(thing_id="fresh-2", n=1)])],
            )
        assert caught.value.stream_id == "moved" and caught.value.actual == 1
        # The transaction is still usable and holds nothing of the refused batch.
        assert await conn.fetchval("SELECT count(*) FROM events WHERE stream_id LIKE 'fresh-%'") == 0
        written = await store.append_batch(
            conn,
            [("fresh-1", 0, [ThingCounted(thing_id="fresh-1", n=1), ThingCounted(thing_id="fresh-1", n=2)]),
             ("moved", 1, [ThingCounted(thing_id="moved", n=2)])],
        )
    assert [(e.stream_id, e.stream_version) for e in written] == [("fresh-1", 1), ("fresh-1", 2), ("moved", 2)]
