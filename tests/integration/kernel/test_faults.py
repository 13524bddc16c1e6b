"""Fault tests: crashes and restarts anywhere lose nothing and double nothing.

They run on a private Kafka broker and PostgreSQL server (not the session's),
because they stop and restart them.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest
from faststream.kafka import KafkaBroker
from tdkt_contracts import from_kafka

from kernel.consumer import ConsumerRuntime
from kernel.db import create_pool
from kernel.errors import INFRASTRUCTURE_ERRORS
from kernel.eventstore import EventStore
from kernel.relay import OutboxRelay
from tdkt.stack.launcher import Stack, StackConfig

from .support import TOPIC, ThingCounted, ThingTotals, consume, running, totals, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def private_stack() -> Iterator[Stack]:
    stack = Stack(StackConfig(state_dir=Path(tempfile.mkdtemp(prefix="tdkt-fault-")), services=()))
    try:
        stack.start(progress=lambda line: print(f"[fault stack] {line}"))
        asyncio.run(_create_db(stack.postgres.url()))  # type: ignore[union-attr]
        yield stack
    finally:
        stack.stop()


async def _create_db(url: str) -> None:
    conn = await asyncpg.connect(url)
    with contextlib.suppress(asyncpg.DuplicateDatabaseError):
        await conn.execute("CREATE DATABASE faults")
    await conn.close()


@pytest.fixture
async def env(private_stack: Stack, schema: str, topic_prefix: str) -> AsyncIterator[dict]:  # type: ignore[type-arg]
    url = private_stack.postgres.url("faults")  # type: ignore[union-attr]
    pool = await create_pool(url, schema, max_size=10)
    async with pool.acquire() as conn:
        await EventStore.migrate(conn)
    yield {"url": url, "pool": pool, "schema": schema, "prefix": topic_prefix,
           "bootstrap": private_stack.kafka.bootstrap_servers}  # type: ignore[union-attr]
    await pool.close()


def relay_for(env: dict) -> OutboxRelay:  # type: ignore[type-arg]
    return OutboxRelay(dsn=env["url"], schema=env["schema"], bootstrap_servers=env["bootstrap"],
                       source="/tdkt/test", topic_prefix=env["prefix"], poll_interval=0.05, batch_size=50)


@contextlib.asynccontextmanager
async def consumer_for(env: dict, handler: ThingTotals) -> AsyncIterator[ConsumerRuntime]:  # type: ignore[type-arg]
    runtime = ConsumerRuntime(pool=env["pool"], bootstrap_servers=env["bootstrap"], topic_prefix=env["prefix"])
    broker = KafkaBroker(env["bootstrap"])
    runtime.subscribe(broker, handler)
    await runtime.setup()
    await runtime.start()
    await broker.start()
    try:
        yield runtime
    finally:
        await broker.stop()
        await runtime.stop()


async def write_events(env: dict, streams: int, per_stream: int, pause: float = 0.0) -> dict[str, tuple[int, int]]:  # type: ignore[type-arg]
    """Append n = 1..per_stream to each stream; retry through outages; return the expected totals."""
    store = EventStore()
    for n in range(1, per_stream + 1):
        for s in range(streams):
            while True:
                try:
                    async with env["pool"].acquire() as conn, conn.transaction():
                        await store.append(conn, f"s{s}", n - 1, [ThingCounted(thing_id=f"s{s}", n=n)])
                    break
                except INFRASTRUCTURE_ERRORS:
                    await asyncio.sleep(0.2)
        await asyncio.sleep(pause)
    return {f"s{s}": (per_stream * (per_stream + 1) // 2, per_stream) for s in range(streams)}


class Crash(BaseException):
    """Stands for the process dying: nothing in the relay catches it."""


async def test_relay_killed_after_kafka_ack_before_checkpoint(env: dict) -> None:  # type: ignore[type-arg]
    expected = await write_events(env, streams=3, per_stream=10)
    doomed = relay_for(env)

    async def die(*_args: object) -> None:
        raise Crash

    doomed._save_checkpoint = die  # type: ignore[method-assign]
    with pytest.raises(Crash):
        await doomed.run()
    async with running(relay_for(env).run):
        handler = ThingTotals()
        async with consumer_for(env, handler):
            await wait_until(lambda: _equal(env["pool"], expected), timeout=60)
    records = await consume(env["bootstrap"], [env["prefix"] + TOPIC], expected=80, timeout=5)
    ids = Counter(from_kafka(r.value, r.headers).id for r in records)
    assert max(ids.values()) == 2, "the crash should have made the relay send a batch twice"
    assert await totals(env["pool"]) == expected


async def test_broker_stopped_and_restarted_while_writes_continue(env: dict, private_stack: Stack) -> None:  # type: ignore[type-arg]
    handler = ThingTotals()
    async with running(relay_for(env).run), consumer_for(env, handler):
        writer = asyncio.create_task(write_events(env, streams=4, per_stream=30, pause=0.1))
        await asyncio.sleep(1.0)
        private_stack.kafka.stop()  # type: ignore[union-attr]
        await asyncio.sleep(2.0)
        await asyncio.to_thread(private_stack.kafka.start)  # type: ignore[union-attr]
        expected = await writer
        await wait_until(lambda: _equal(env["pool"], expected), timeout=120)
    assert await totals(env["pool"]) == expected


async def test_postgres_restarted_under_the_consumer(env: dict, private_stack: Stack) -> None:  # type: ignore[type-arg]
    expected = await write_events(env, streams=4, per_stream=25)
    handler = ThingTotals()
    async with running(relay_for(env).run), consumer_for(env, handler) as runtime:
        await wait_until(lambda: _some(env["pool"]), timeout=30)
        private_stack.postgres.stop()  # type: ignore[union-attr]
        await asyncio.sleep(1.0)
        await asyncio.to_thread(private_stack.postgres.start, {})  # type: ignore[union-attr]
        await wait_until(lambda: _equal(env["pool"], expected), timeout=120)
        assert runtime.status[handler.name].dead_letters == 0
    assert await totals(env["pool"]) == expected


async def _equal(pool: asyncpg.Pool, expected: dict[str, tuple[int, int]]) -> bool:
    try:
        return await totals(pool) == expected
    except (*INFRASTRUCTURE_ERRORS, asyncpg.PostgresError):
        return False


async def _some(pool: asyncpg.Pool) -> bool:
    try:
        return bool(await totals(pool))
    except (*INFRASTRUCTURE_ERRORS, asyncpg.PostgresError):
        return False
