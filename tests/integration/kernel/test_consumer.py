"""The consumer runtime against a real Apache Kafka broker and PostgreSQL server."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from faststream.kafka import KafkaBroker
from tdkt_contracts import Envelope

from kernel.consumer import ConsumerRuntime, dead_letter_topic

from .support import TOPIC, ThingTotals, consume, totals, wait_until

pytestmark = pytest.mark.integration


def envelope(thing: str, n: int, note: str = "") -> Envelope:
    return Envelope(
        id=uuid.uuid4(), source="/tdkt/test", type="vn.tdkt.test.thing.counted", schema_version=1, subject=thing,
        time=datetime.now(UTC), data={"thing_id": thing, "n": n, "note": note},
    )


async def produce(bootstrap: str, topic: str, messages: list[Envelope | tuple[bytes, list]]) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True)
    await producer.start()
    try:
        for message in messages:
            if isinstance(message, Envelope):
                key, value, headers = message.to_kafka()
            else:
                value, headers = message
                key = b"raw"
            await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


@contextlib.asynccontextmanager
async def consuming(real_stack, pool, topic_prefix, handler) -> AsyncIterator[ConsumerRuntime]:  # type: ignore[no-untyped-def]
    runtime = ConsumerRuntime(
        pool=pool, bootstrap_servers=real_stack.bootstrap_servers, topic_prefix=topic_prefix, max_retries=2,
        retry_base_delay=0.01,
    )
    broker = KafkaBroker(real_stack.bootstrap_servers)
    runtime.subscribe(broker, handler)
    await runtime.setup()
    await runtime.start()
    await broker.start()
    try:
        yield runtime
    finally:
        await broker.stop()
        await runtime.stop()


async def test_duplicates_have_no_effect(real_stack, pool: asyncpg.Pool, topic_prefix: str) -> None:
    first, second = envelope("a", 5, "Chiến sĩ thi đua"), envelope("a", 7)
    # The relay re-sent the first event after a crash: same ce_id at a new offset.
    await produce(real_stack.bootstrap_servers, topic_prefix + TOPIC, [first, second, first, envelope("b", 1)])
    handler = ThingTotals()
    async with consuming(real_stack, pool, topic_prefix, handler) as runtime:
        await wait_until(lambda: _has(pool, {"a": (12, 2), "b": (1, 1)}))
        assert runtime.status[handler.name].duplicates == 1
        lag = await runtime.measure_lag()
        assert set(lag) == {handler.name} and lag[handler.name]
        assert all(behind == 0 for behind in lag[handler.name].values())
    assert await totals(pool) == {"a": (12, 2), "b": (1, 1)}


async def test_poison_and_malformed_messages_go_to_the_dead_letter_topic_and_the_rest_is_applied(
    real_stack, pool: asyncpg.Pool, topic_prefix: str
) -> None:
    poison = envelope("a", 100, "poison")
    malformed = (b"{not json", [("ce_specversion", b"1.0"), ("ce_id", str(uuid.uuid4()).encode())])
    await produce(
        real_stack.bootstrap_servers, topic_prefix + TOPIC, [envelope("a", 1), poison, malformed, envelope("a", 2)]
    )
    handler = ThingTotals()
    async with consuming(real_stack, pool, topic_prefix, handler) as runtime:
        await wait_until(lambda: _has(pool, {"a": (3, 2)}))
        assert runtime.status[handler.name].dead_letters == 2
    # The batch is tried whole once, then event by event: the poison one 1 + max_retries times.
    assert handler.calls >= 2 + 3
    dead = await consume(real_stack.bootstrap_servers, [dead_letter_topic(topic_prefix, handler.name)], expected=2)
    errors = sorted(dict(r.headers)["dlq_error"].decode() for r in dead)
    assert len(errors) == 2
    assert "this event is poison" in errors[1] or "this event is poison" in errors[0]
    assert any("header ce_source is missing" in e for e in errors)
    assert {dict(r.headers)["dlq_topic"].decode() for r in dead} == {topic_prefix + TOPIC}
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM dead_letters") == 2


async def test_crash_between_database_commit_and_offset_commit_applies_nothing_twice(
    real_stack, pool: asyncpg.Pool, topic_prefix: str
) -> None:
    events = [envelope("c", n) for n in (1, 2, 3)]
    await produce(real_stack.bootstrap_servers, topic_prefix + TOPIC, events)
    handler = ThingTotals()
    crashed = ConsumerRuntime(pool=pool, bootstrap_servers=real_stack.bootstrap_servers, topic_prefix=topic_prefix)
    crashed.handlers.append(handler)
    await crashed.setup()
    # The consumer applied the batch and committed to PostgreSQL, then died
    # before committing its Kafka offsets: the group has no committed offset.
    records = await consume(real_stack.bootstrap_servers, [topic_prefix + TOPIC], expected=3)
    await crashed.process(handler, records)
    assert await totals(pool) == {"c": (6, 3)}
    restarted = ThingTotals()
    async with consuming(real_stack, pool, topic_prefix, restarted) as runtime:
        await wait_until(lambda: _duplicates(runtime, restarted.name, 3))
    assert restarted.calls == 0
    assert await totals(pool) == {"c": (6, 3)}


async def _has(pool: asyncpg.Pool, expected: dict[str, tuple[int, int]]) -> bool:
    try:
        return await totals(pool) == expected
    except asyncpg.UndefinedTableError:
        return False


async def _duplicates(runtime: ConsumerRuntime, name: str, count: int) -> bool:
    return runtime.status[name].duplicates >= count
