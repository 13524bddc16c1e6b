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


class ThingTotals:
    """A tiny projection for runtime tests: per thing, the sum of n and the count of events.

    An event whose note is "poison" always fails, like a handler bug would.
    """

    name = "thing-totals"
    topics = (TOPIC,)

    def __init__(self) -> None:
        self.calls = 0

    async def setup(self, conn) -> None:  # type: ignore[no-untyped-def]
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS thing_totals (thing_id text PRIMARY KEY, total bigint NOT NULL, "
            "events integer NOT NULL)"
        )

    async def handle(self, conn, event) -> None:  # type: ignore[no-untyped-def]
        self.calls += 1
        if event.data.get("note") == "poison":
            raise ValueError("this event is poison")
        await conn.execute(
            "INSERT INTO thing_totals VALUES ($1, $2, 1) ON CONFLICT (thing_id) DO UPDATE "
            "SET total = thing_totals.total + excluded.total, events = thing_totals.events + 1",
            event.data["thing_id"],
            event.data["n"],
        )


async def totals(pool) -> dict[str, tuple[int, int]]:  # type: ignore[no-untyped-def]
    async with pool.acquire() as conn:
        rows = await conn.fetch("SELECT thing_id, total, events FROM thing_totals ORDER BY thing_id")
    return {row["thing_id"]: (row["total"], row["events"]) for row in rows}


async def wait_until(predicate, timeout: float = 30.0, interval: float = 0.1) -> None:  # type: ignore[no-untyped-def]
    """Poll an async predicate until it is true; fail the test with a clear message if not."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        if await predicate():
            return
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
