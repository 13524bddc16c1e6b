"""Test events and Kafka helpers shared by the kernel's integration tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence

from aiokafka import AIOKafkaConsumer, ConsumerRecord
from pydantic import Field
from tdkt_contracts import EventPayload


class ThingCounted(EventPayload):
    """A throwaway event for kernel tests (not registered in the public catalogue)."""

    event_type = "vn.tdkt.test.thing.counted"
    context = "test"
    subject_field = "thing_id"

    thing_id: str
    n: int
    note: str = Field(default="")


TOPIC = ThingCounted.topic()


async def consume(
    bootstrap_servers: str, topics: Sequence[str], expected: int, timeout: float = 30.0
) -> list[ConsumerRecord]:
    """Read ``topics`` from the beginning until ``expected`` records arrived (or time runs out)."""
    consumer = AIOKafkaConsumer(
        *topics, bootstrap_servers=bootstrap_servers, auto_offset_reset="earliest", enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    records: list[ConsumerRecord] = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(records) < expected and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for part in batch.values():
                records.extend(part)
    finally:
        await consumer.stop()
    return records


@contextlib.asynccontextmanager
async def running(coro_fn) -> AsyncIterator[asyncio.Task]:  # type: ignore[no-untyped-def]
    """Run a long-lived coroutine as a task for the duration of a block, then cancel it."""
    task = asyncio.create_task(coro_fn())
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
