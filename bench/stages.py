"""The benchmark's stages: each measures a pipeline stage and the raw limit beside it, in one run.

A stage returns a :class:`Figure`: what the kernel achieved, what the raw
client library achieved on the same machine moments before, and the ratio.
Raw limits use the same server, the same message size and headers, and the
same durability settings (commit per row; acks=all, idempotent producer).
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime

import asyncpg
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from faststream.kafka import KafkaBroker
from tdkt_contracts import Envelope, EventPayload

from kernel.consumer import ConsumerRuntime
from kernel.db import create_pool
from kernel.eventstore import EventStore, Metadata
from kernel.relay import OutboxRelay, make_producer
from kernel.replay import rebuild
from kernel.topics import ensure_topics
from kernel.unit_of_work import Transactions, UnitOfWork


class BenchEvent(EventPayload):
    """A representative event: ids, a year, a Vietnamese name, a code (≈250 bytes of JSON)."""

    event_type = "vn.tdkt.bench.award.granted"
    context = "bench"
    subject_field = "award_id"

    award_id: str
    year: int
    award_code: str
    recipient_name: str
    unit_id: str


def bench_event(i: int) -> BenchEvent:
    return BenchEvent(
        award_id=f"a-{i:08d}", year=2017 + i % 7, award_code=("BK_BT", "CSTD_BO", "KNC_CT", "LDTT")[i % 4],
        recipient_name="Nguyễn Thị Hương", unit_id=f"u-{i % 40:03d}",
    )


@dataclass
class Figure:
    """One measured figure against its raw bound."""

    stage: str
    unit: str
    value: float
    raw: float | None = None
    note: str = ""
    samples: list[tuple[float, float]] = field(default_factory=list)

    @property
    def ratio(self) -> float | None:
        return self.value / self.raw if self.raw else None

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["ratio"] = self.ratio
        data.pop("samples")
        return data


async def fresh_schema(url: str, name: str) -> asyncpg.Pool:
    conn = await asyncpg.connect(url)
    await conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    await conn.close()
    pool = await create_pool(url, name, min_size=4, max_size=16)
    async with pool.acquire() as conn:
        await EventStore.migrate(conn)
    return pool


async def _concurrently(total: int, clients: int, one: "callable") -> float:  # type: ignore[valid-type]
    """Run ``one(i)`` for i in range(total) from ``clients`` workers; return operations per second."""
    counter = iter(range(total))

    async def worker() -> None:
        for i in counter:
            await one(i)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return total / (time.perf_counter() - started)


async def write_path(url: str, commands: int, clients: int) -> list[Figure]:
    """One event per command through the event store, against raw single-row insert-and-commit."""
    pool = await fresh_schema(url, "bench_write")
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE raw_rows (id uuid PRIMARY KEY, stream text, payload jsonb)")

    async def raw(i: int) -> None:
        async with pool.acquire() as conn:
            await conn.execute(
                "INSERT INTO raw_rows VALUES ($1, $2, $3)", uuid.uuid4(), f"s{i}", bench_event(i).model_dump()
            )

    store = EventStore()
    transactions = Transactions(lambda: pool, store)

    async def command(i: int) -> None:
        async def work(uow: UnitOfWork) -> None:
            granted = bench_event(i)
            await uow.stream(granted.subject())
            await uow.append([granted])

        await transactions.run(work, Metadata(actor_id="bench"))

    raw_rate = await _concurrently(commands, clients, raw)
    rate = await _concurrently(commands, clients, command)

    # Bulk import: many events per transaction (one stream each), against COPY of the same rows.
    rows = [(uuid.uuid4(), f"bulk-{i}", bench_event(i).model_dump()) for i in range(commands * 5)]
    started = time.perf_counter()
    async with pool.acquire() as conn:
        # COPY speaks binary: jsonb's binary form is a version byte, then the text.
        await conn.set_type_codec(
            "jsonb", schema="pg_catalog", format="binary",
            encoder=lambda value: b"\x01" + json.dumps(value, ensure_ascii=False).encode(),
            decoder=lambda data: json.loads(data[1:]),
        )
        await conn.copy_records_to_table("raw_rows", records=rows)
        await conn.reload_schema_state()
    copy_rate = len(rows) / (time.perf_counter() - started)
    started = time.perf_counter()
    async with pool.acquire() as conn:
        for chunk in range(0, len(rows), 1000):
            async with conn.transaction():
                await store.append_batch(
                    conn, [(f"bulk-{i}", 0, [bench_event(i)]) for i in range(chunk, min(chunk + 1000, len(rows)))]
                )
    bulk_rate = len(rows) / (time.perf_counter() - started)
    await pool.close()
    return [
        Figure("write path: one event per command", "commands/s", rate, raw_rate,
               f"{clients} concurrent clients; raw = single-row INSERT + COMMIT"),
        Figure("write path: bulk import", "events/s", bulk_rate, copy_rate, "1,000 events per transaction; raw = COPY"),
    ]


async def relay(url: str, bootstrap: str, events: int) -> list[Figure]:
    """Outbox to Kafka, against raw idempotent production of the same records."""
    pool = await fresh_schema(url, "bench_relay")
    store = EventStore()
    async with pool.acquire() as conn:
        for chunk in range(0, events, 1000):
            async with conn.transaction():
                await store.append_batch(
                    conn, [(f"r-{i}", 0, [bench_event(i)]) for i in range(chunk, min(chunk + 1000, events))]
                )
        recorded = await store.read_all(conn, limit=events)
    prefix = f"bench{uuid.uuid4().hex[:6]}."
    await ensure_topics(bootstrap, [prefix + "raw", prefix + BenchEvent.topic()])
    messages = [event.envelope("/tdkt/bench").to_kafka() for event in recorded]
    producer = make_producer(bootstrap)
    await producer.start()
    started = time.perf_counter()
    futures = [await producer.send(prefix + "raw", value=v, key=k, headers=h) for k, v, h in messages]
    await asyncio.gather(*futures)
    raw_rate = events / (time.perf_counter() - started)
    await producer.stop()

    outbox = OutboxRelay(dsn=url, schema="bench_relay", bootstrap_servers=bootstrap, source="/tdkt/bench",
                         topic_prefix=prefix, batch_size=2000, poll_interval=0.01)
    started = time.perf_counter()
    task = asyncio.create_task(outbox.run())
    while outbox.status.published < events:
        await asyncio.sleep(0.01)
    relay_rate = events / (time.perf_counter() - started)
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await pool.close()
    return [Figure("relay: outbox to Kafka", "events/s", relay_rate, raw_rate,
                   "raw = aiokafka idempotent producer, acks=all, same records and headers")]


async def relay_lag(url: str, bootstrap: str, rate: int, seconds: float) -> Figure:
    """Commit-to-Kafka latency at a fixed offered load: p50/p95/p99 in milliseconds."""
    pool = await fresh_schema(url, "bench_lag")
    prefix = f"lag{uuid.uuid4().hex[:6]}."
    await ensure_topics(bootstrap, [prefix + BenchEvent.topic()])
    outbox = OutboxRelay(dsn=url, schema="bench_lag", bootstrap_servers=bootstrap, source="/tdkt/bench",
                         topic_prefix=prefix, batch_size=1000, poll_interval=0.5)
    task = asyncio.create_task(outbox.run())
    consumer = AIOKafkaConsumer(prefix + BenchEvent.topic(), bootstrap_servers=bootstrap, auto_offset_reset="earliest")
    await consumer.start()
    committed: dict[str, float] = {}
    latencies: list[float] = []
    samples: list[tuple[float, float]] = []
    store = EventStore(notify_channel="tdkt_events_bench_lag")
    began = time.perf_counter()

    async def offer() -> None:
        for i in range(int(rate * seconds)):
            target = began + i / rate
            await asyncio.sleep(max(0.0, target - time.perf_counter()))
            async with pool.acquire() as conn, conn.transaction():
                await store.append(conn, f"lag-{i}", 0, [bench_event(i)])
            committed[f"lag-{i}"] = time.perf_counter()

    writer = asyncio.create_task(offer())
    expected = int(rate * seconds)
    while len(latencies) < expected:
        batch = await consumer.getmany(timeout_ms=200)
        now = time.perf_counter()
        for records in batch.values():
            for record in records:
                subject = record.key.decode()
                if subject in committed:
                    latency = (now - committed[subject]) * 1000
                    latencies.append(latency)
                    samples.append((now - began, latency))
        if writer.done() and not batch and time.perf_counter() - began > seconds + 30:
            break
    await writer
    await consumer.stop()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    await pool.close()
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))] if latencies else float("nan")

    return Figure("relay lag: commit to Kafka", "ms p99", pct(0.99), None,
                  f"{rate} events/s for {seconds:.0f} s; p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms",
                  samples=samples)


class StatsProjection:
    """The award-statistics shape: counts by year × award × unit, upserted per event."""

    name = "bench-stats"

    def __init__(self, topic: str, schema: str | None = None) -> None:
        self.topics = (topic,)
        self.schema = schema

    async def setup(self, conn: asyncpg.Connection) -> None:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS award_stats (year int, award_code text, unit_id text, total int, "
            "PRIMARY KEY (year, award_code, unit_id))"
        )

    async def handle(self, conn: asyncpg.Connection, event: Envelope) -> None:
        await self.handle_batch(conn, [event])

    async def handle_batch(self, conn: asyncpg.Connection, events: list[Envelope]) -> None:
        await conn.executemany(
            "INSERT INTO award_stats VALUES ($1, $2, $3, 1) ON CONFLICT (year, award_code, unit_id) "
            "DO UPDATE SET total = award_stats.total + 1",
            [(e.data["year"], e.data["award_code"], e.data["unit_id"]) for e in events],
        )


async def projection(url: str, bootstrap: str, events: int) -> tuple[list[Figure], str, str]:
    """Consumer runtime into the statistics table, against raw consume + batched upsert."""
    prefix = f"proj{uuid.uuid4().hex[:6]}."
    topic = prefix + BenchEvent.topic()
    await ensure_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=20, max_batch_size=512 * 1024)
    await producer.start()
    futures = []
    for i in range(events):
        envelope = Envelope(id=uuid.uuid4(), source="/tdkt/bench", type=BenchEvent.event_type, schema_version=1,
                            subject=f"a-{i}", time=datetime.now(UTC), data=bench_event(i).model_dump())
        key, value, headers = envelope.to_kafka()
        futures.append(await producer.send(topic, value=value, key=key, headers=headers))
    await asyncio.gather(*futures)
    await producer.stop()

    raw_pool = await fresh_schema(url, "bench_raw_proj")
    async with raw_pool.acquire() as conn:
        await StatsProjection(topic).setup(conn)
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                group_id=f"{prefix}raw", max_poll_records=500)
    await consumer.start()
    started, seen = time.perf_counter(), 0
    while seen < events:
        batch = await consumer.getmany(timeout_ms=500, max_records=500)
        rows = []
        for records in batch.values():
            for record in records:
                d = json.loads(record.value)
                rows.append((d["year"], d["award_code"], d["unit_id"]))
        if rows:
            async with raw_pool.acquire() as conn, conn.transaction():
                await conn.executemany(
                    "INSERT INTO award_stats VALUES ($1, $2, $3, 1) ON CONFLICT (year, award_code, unit_id) "
                    "DO UPDATE SET total = award_stats.total + 1", rows)
            seen += len(rows)
    raw_rate = events / (time.perf_counter() - started)
    await consumer.stop()
    await raw_pool.close()

    pool = await fresh_schema(url, "bench_proj")
    handler = StatsProjection(BenchEvent.topic(), schema="bench_proj_rm")
    runtime = ConsumerRuntime(pool=pool, bootstrap_servers=bootstrap, topic_prefix=prefix)
    broker = KafkaBroker(bootstrap, logger=None)
    runtime.subscribe(broker, handler, max_records=500)
    await runtime.setup()
    await runtime.start()
    started = time.perf_counter()
    await broker.start()
    while runtime.status[handler.name].applied < events:
        await asyncio.sleep(0.02)
    rate = events / (time.perf_counter() - started)
    await broker.stop()
    await runtime.stop()

    rebuilt = await rebuild(StatsProjection(BenchEvent.topic(), schema="bench_proj_rm"), pool=pool,
                            bootstrap_servers=bootstrap, topic_prefix=prefix, batch_size=5000)
    await pool.close()
    return (
        [
            Figure("projection: award statistics", "events/s", rate, raw_rate,
                   "raw = aiokafka consume + batched upsert of the same rows"),
            Figure("rebuild: award statistics from Kafka", "events/s", rebuilt.rate, raw_rate,
                   f"{rebuilt.messages:,} events into a shadow schema, then swapped"),
        ],
        prefix,
        topic,
    )
