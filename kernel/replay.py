"""Rebuilding a read model from the beginning of its topics, while the live one keeps answering.

The rebuild fills a fresh schema beside the handler's live one, reading every
partition from its first offset, then swaps the two schemas in one
transaction. The swap locks the live bookkeeping table, so the live consumer
cannot apply anything meanwhile; the copy first catches up to exactly where
the live consumer stands, so after the swap the live consumer goes on from
there and nothing is missing or applied twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, TopicPartition

from .consumer import ConsumerRuntime, EventHandler, setup_handler
from .db import quote_ident
from .kafka_auth import KafkaCredentials, client_options
from .stopping import STOP_SECONDS, finish_within
from .topics import ensure_topics, partitions_of

log = structlog.get_logger("kernel.replay")

Progress = Callable[[int, int], None]
"""Called with (messages read so far, messages known to exist)."""


@dataclass
class RebuildResult:
    """What a rebuild did."""

    handler: str
    messages: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.messages / self.seconds if self.seconds else 0.0


@dataclass
class _Shadow:
    """The handler, pointed at the shadow schema."""

    inner: EventHandler
    schema: str

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def topics(self):  # type: ignore[no-untyped-def]
        return self.inner.topics

    async def setup(self, conn: asyncpg.Connection) -> None:
        await self.inner.setup(conn)

    async def handle(self, conn, event) -> None:  # type: ignore[no-untyped-def]
        await self.inner.handle(conn, event)

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        # The optional hooks (handle_batch, end_batch) must run in a rebuild as they do live,
        # or the copy would differ from the live tables.
        if name in ("handle_batch", "end_batch"):
            return getattr(self.inner, name)
        raise AttributeError(name)


async def rebuild(
    handler: EventHandler,
    *,
    pool: asyncpg.Pool,
    bootstrap_servers: str,
    topic_prefix: str = "",
    progress: Progress | None = None,
    batch_size: int = 2000,
    credentials: KafkaCredentials | None = None,
) -> RebuildResult:
    """Rebuild ``handler``'s tables from the start of its topics and swap them in.

    Running it twice gives identical tables. Messages that failed in the live
    run fail again and reach the dead-letter topic again.
    """
    live = handler.schema
    if not live:
        raise ValueError(f"{handler.name} keeps no schema of its own, so it cannot be rebuilt beside the live one")
    shadow = _Shadow(handler, f"{live}__rebuild")
    started = time.monotonic()
    async with pool.acquire() as conn:
        await conn.execute(f"DROP SCHEMA IF EXISTS {quote_ident(shadow.schema)} CASCADE")
    await setup_handler(pool, shadow)
    await setup_handler(pool, handler)  # the live schema exists even if the service never ran

    runtime = ConsumerRuntime(pool=pool, bootstrap_servers=bootstrap_servers, topic_prefix=topic_prefix,
                              credentials=credentials)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers, enable_auto_commit=False, group_id=None, max_poll_records=batch_size,
        **client_options(credentials),
    )
    await runtime.start()
    await consumer.start()
    read = 0
    try:
        topics = [topic_prefix + t for t in handler.topics]
        # A read model of topics nobody wrote to yet is empty.
        await ensure_topics(bootstrap_servers, topics, credentials=credentials)
        partitions = await partitions_of(consumer, topics)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        first = await consumer.beginning_offsets(partitions)

        async def total() -> int:
            ends = await consumer.end_offsets(partitions)
            return sum(ends[p] - first[p] for p in partitions)

        async def read_until(targets: dict[TopicPartition, int]) -> None:
            nonlocal read
            while any(position < targets[p] for p, position in await _positions(consumer, partitions)):
                batches = await consumer.getmany(timeout_ms=1000, max_records=batch_size)
                for records in batches.values():
                    await runtime.process(shadow, records)
                    read += len(records)
                if progress:
                    progress(read, await total())

        await read_until(await consumer.end_offsets(partitions))
        while True:
            async with pool.acquire() as conn, conn.transaction():
                # Freeze the live consumer: it writes these rows in every batch.
                await conn.execute(f"LOCK TABLE {quote_ident(live)}.consumer_offsets IN EXCLUSIVE MODE")
                live_offsets = await _offsets(conn, live, handler.name)
                targets = {p: live_offsets.get((p.topic, p.partition), first[p]) for p in partitions}
                if all(position >= targets[p] for p, position in await _positions(consumer, partitions)):
                    old = f"{live}__old"
                    await conn.execute(f"DROP SCHEMA IF EXISTS {quote_ident(old)} CASCADE")
                    await conn.execute(f"ALTER SCHEMA {quote_ident(live)} RENAME TO {quote_ident(old)}")
                    await conn.execute(f"ALTER SCHEMA {quote_ident(shadow.schema)} RENAME TO {quote_ident(live)}")
                    await conn.execute(f"DROP SCHEMA {quote_ident(old)} CASCADE")
                    break
            # The live consumer is ahead of the copy: catch up to where it stood, then try again.
            await read_until(targets)
    finally:
        await finish_within(consumer.stop(), STOP_SECONDS, "rebuild_consumer_stop")
        await runtime.stop()
    result = RebuildResult(handler.name, read, time.monotonic() - started)
    log.info("rebuilt", handler=handler.name, messages=read, seconds=round(result.seconds, 2))
    return result


async def _positions(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> list[tuple[TopicPartition, int]]:
    return [(p, await consumer.position(p)) for p in partitions]


async def _offsets(conn: asyncpg.Connection, schema: str, consumer: str) -> dict[tuple[str, int], int]:
    rows = await conn.fetch(
        f"SELECT topic, partition, next_offset FROM {quote_ident(schema)}.consumer_offsets WHERE consumer = $1",
        consumer,
    )
    return {(row["topic"], row["partition"]): row["next_offset"] for row in rows}


