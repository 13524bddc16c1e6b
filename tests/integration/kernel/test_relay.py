"""The outbox relay against a real PostgreSQL and a real Apache Kafka broker."""

from __future__ import annotations

import asyncio
import random
import re
import uuid
from collections import defaultdict
from datetime import datetime

import asyncpg
import pytest
from tdkt_contracts import from_kafka

from kernel.eventstore import ConcurrencyError, EventStore
from kernel.relay import OutboxRelay

from .support import TOPIC, ThingCounted, consume, running

pytestmark = pytest.mark.integration


@pytest.fixture
async def store(pool: asyncpg.Pool) -> EventStore:
    async with pool.acquire() as conn:
        await EventStore.migrate(conn)
    return EventStore(notify_channel=None)


def make_relay(real_stack, schema: str, topic_prefix: str, **kwargs) -> OutboxRelay:  # type: ignore[no-untyped-def]
    return OutboxRelay(
        dsn=real_stack.database_url, schema=schema, bootstrap_servers=real_stack.bootstrap_servers,
        source="/tdkt/test", topic_prefix=topic_prefix, poll_interval=0.05, **kwargs,
    )


async def append(pool: asyncpg.Pool, store: EventStore, stream: str, n: int) -> None:
    async with pool.acquire() as conn, conn.transaction():
        await store.append(conn, stream, n - 1, [ThingCounted(thing_id=stream, n=n, note="Bằng khen")])


async def test_every_message_carries_valid_cloudevents_headers(
    real_stack, pool, store, schema, topic_prefix
) -> None:
    for n in (1, 2):
        await append(pool, store, "alpha", n)
    async with running(make_relay(real_stack, schema, topic_prefix).run):
        records = await consume(real_stack.bootstrap_servers, [topic_prefix + TOPIC], expected=2)
    assert len(records) == 2
    for record in records:
        headers = {k: v.decode() for k, v in record.headers}
        assert headers["ce_specversion"] == "1.0"
        assert headers["content-type"] == "application/json; charset=utf-8"
        uuid.UUID(headers["ce_id"])
        assert headers["ce_source"] == "/tdkt/test"
        assert headers["ce_type"] == "vn.tdkt.test.thing.counted"
        assert headers["ce_subject"] == "alpha" and record.key == b"alpha"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", headers["ce_time"])
        datetime.fromisoformat(headers["ce_time"])
        envelope = from_kafka(record.value, record.headers)
        assert envelope.data["note"] == "Bằng khen"
    assert sorted(from_kafka(r.value, r.headers).stream_version for r in records) == [1, 2]


async def test_many_writers_and_a_late_committer_every_event_arrives_in_order(
    real_stack, pool, store, schema, topic_prefix
) -> None:
    streams = [f"s{i}" for i in range(8)]
    versions: dict[str, int] = defaultdict(int)
    written: list[tuple[str, int]] = []
    lock = asyncio.Lock()

    # A transaction that takes its id and sequence number before everyone else
    # and commits after all of them: the classic trap for a bigserial cursor.
    late = await pool.acquire()
    late_tx = late.transaction()
    await late_tx.start()
    await store.append(late, "late-stream", 0, [ThingCounted(thing_id="late-stream", n=1)])

    async def writer(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(25):
            stream = rng.choice(streams)
            while True:
                async with lock:
                    version = versions[stream]
                try:
                    async with pool.acquire() as conn, conn.transaction():
                        await store.append(conn, stream, version, [ThingCounted(thing_id=stream, n=version + 1)])
                        await asyncio.sleep(rng.random() * 0.01)  # commit at a random moment
                except ConcurrencyError:
                    continue
                async with lock:
                    versions[stream] = max(versions[stream], version + 1)
                    written.append((stream, version + 1))
                break

    async with running(make_relay(real_stack, schema, topic_prefix, batch_size=37).run):
        await asyncio.gather(*(writer(seed) for seed in range(10)))
        await asyncio.sleep(0.5)
        await late_tx.commit()
        await pool.release(late)
        expected = len(written) + 1
        records = await consume(real_stack.bootstrap_servers, [topic_prefix + TOPIC], expected=expected, timeout=60)

    events = [from_kafka(r.value, r.headers) for r in records]
    assert len({e.id for e in events}) == len(events) == expected
    got = {(e.subject, e.stream_version) for e in events}
    assert got == set(written) | {("late-stream", 1)}
    by_partition: dict[tuple[int, str], list[int]] = defaultdict(list)
    for record, event in zip(records, events, strict=True):
        by_partition[(record.partition, event.subject)].append(event.stream_version)
    for (_, stream), seen in by_partition.items():
        assert seen == sorted(seen), f"{stream} out of order: {seen}"


async def test_relay_resumes_from_its_checkpoint_and_one_relay_runs_at_a_time(
    real_stack, pool, store, schema, topic_prefix
) -> None:
    await append(pool, store, "beta", 1)
    first = make_relay(real_stack, schema, topic_prefix)
    standby = make_relay(real_stack, schema, topic_prefix)
    async with running(first.run), running(standby.run):
        await consume(real_stack.bootstrap_servers, [topic_prefix + TOPIC], expected=1)
        await asyncio.sleep(0.3)
        assert [first.status.leader, standby.status.leader].count(True) == 1
    await append(pool, store, "beta", 2)
    async with running(make_relay(real_stack, schema, topic_prefix).run):
        records = await consume(real_stack.bootstrap_servers, [topic_prefix + TOPIC], expected=3, timeout=5)
    assert sorted(from_kafka(r.value, r.headers).stream_version for r in records) == [1, 2]
