"""Putting events on the real Kafka and waiting for the reporting read models to apply them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import asyncpg
from aiokafka import AIOKafkaProducer
from tdkt_contracts import Envelope, model_for

from services.reporting.projections import Projection, qualified, read_models
from tests.integration.kernel.support import wait_until


def topic_of(e: Envelope) -> str:
    """The logical topic an event travels on."""
    return model_for(e.type, e.schema_version).topic()


async def produce(bootstrap: str, prefix: str, events: Sequence[Envelope]) -> None:
    """Send the events, keyed by subject, in order, to their topics (with the test's prefix)."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, enable_idempotence=True, linger_ms=5)
    await producer.start()
    try:
        for e in events:
            key, value, headers = e.to_kafka()
            await producer.send(prefix + topic_of(e), value=value, key=key, headers=headers)
        await producer.flush()
    finally:
        await producer.stop()


def expected_counts(events: Sequence[Envelope], schema: str) -> dict[str, int]:
    """How many events each read model will have applied once it read ``events``."""
    per_topic = Counter(topic_of(e) for e in events)
    return {name: sum(per_topic[t] for t in model.topics) for name, model in read_models(schema).items()}


async def applied(pool: asyncpg.Pool, model: Projection) -> int:
    """Events the read model applied so far (0 before its tables exist)."""
    try:
        async with pool.acquire() as conn:
            return await conn.fetchval(
                f"SELECT coalesce(max(events_applied), 0) FROM {qualified(model.live_schema, 'rm_currency')}"
            )
    except (asyncpg.UndefinedTableError, asyncpg.InvalidSchemaNameError):
        return 0


async def wait_applied(pool: asyncpg.Pool, schema: str, counts: dict[str, int], timeout: float = 60) -> None:
    """Wait until every read model applied at least its count of events."""
    models = read_models(schema)

    async def done() -> bool:
        for name, n in counts.items():
            if await applied(pool, models[name]) < n:
                return False
        return True

    await wait_until(done, timeout=timeout)
