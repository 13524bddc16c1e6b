"""The consumer runtime: applies Kafka events to PostgreSQL exactly once in effect.

Each batch is applied in one database transaction together with its
bookkeeping: the next offset per partition (so a redelivery after a crash
between the database commit and the Kafka offset commit is skipped) and the
event ids applied (so an event the relay re-sent at a new offset is skipped).
Kafka offsets are committed only after the database commit; they are a hint
for where to resume, the database is the truth.

A handler that fails is retried with back-off inside a savepoint; after
``max_retries`` the message goes to the dead-letter topic with the error and
its coordinates in headers, and the batch goes on. Infrastructure failures
(the database or broker unreachable) are never dead-lettered: the whole batch
is retried until they pass.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import asyncpg
import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.errors import CommitFailedError
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.middlewares import AckPolicy
from tdkt_contracts import Envelope, InvalidEnvelope, from_kafka

from .db import apply_sql, kernel_sql, quote_ident
from .errors import is_infrastructure
from .kafka_auth import KafkaCredentials, client_options
from .logs import KAFKA_OUTAGE
from .metrics import CONSUMER_APPLIED, CONSUMER_DUPLICATES, CONSUMER_LAG, DEAD_LETTERS, HANDLER_ERRORS
from .relay import make_producer
from .stopping import STOP_SECONDS, StopBudget, abandon, finish_within
from .telemetry import TRACEPARENT, trace_id_of
from .topics import partitions_of

log = structlog.get_logger("kernel.consumer")


class EventHandler(Protocol):
    """What a projection or policy provides to the runtime."""

    name: str
    """Consumer name: the Kafka consumer group and the key of its bookkeeping rows."""
    topics: Sequence[str]
    """Logical topic names (without the deployment's prefix)."""
    schema: str | None
    """The schema holding the handler's tables and bookkeeping, so that a rebuild
    can build a fresh copy beside it and swap; None: the pool's schema."""

    async def setup(self, conn: asyncpg.Connection) -> None:
        """Create the handler's tables (idempotent)."""

    async def handle(self, conn: asyncpg.Connection, event: Envelope) -> None:
        """Apply one event inside the runtime's transaction; raise to refuse it."""

    # Optional: ``async def handle_batch(self, conn, events) -> None`` applies a
    # batch's new events at once (e.g. one executemany); ``handle`` is still
    # needed: it isolates a failing event. Optional: ``async def end_batch(self,
    # conn) -> None`` runs once after the batch's events, in the same transaction.


@dataclass
class ConsumerStatus:
    """What the health endpoint reports about one consumer."""

    applied: int = 0
    duplicates: int = 0
    dead_letters: int = 0
    batches: int = 0
    last_error: str | None = None
    last_batch_at: float | None = None
    retrying: bool = False


@contextlib.contextmanager
def _event_context(envelope: Envelope) -> Iterator[None]:
    """Every log line a handler writes carries the event, its flow and its trace; events a policy
    appends while handling it continue that trace (kernel.telemetry)."""
    token = TRACEPARENT.set(envelope.traceparent)
    try:
        with structlog.contextvars.bound_contextvars(
            event_id=str(envelope.id), correlation_id=envelope.correlation_id, event_type=envelope.type,
            trace_id=trace_id_of(envelope.traceparent),
        ):
            yield
    finally:
        TRACEPARENT.reset(token)


def _text_safe(record: ConsumerRecord) -> ConsumerRecord:
    safe = tuple((k, v.decode("utf-8", "replace").encode() if isinstance(v, bytes) else b"")
                 for k, v in record.headers or ())
    return dataclasses.replace(record, headers=safe)


TRACE_IDS_LOGGED = 20
"""Trace ids named on a batch's ``events_applied`` line (a rebuild's batches hold thousands)."""

DEAD_LETTER_MAX_VALUE = 512 * 1024
"""Bytes of a poison message's value copied to the dead-letter topic."""


def dead_letter_topic(prefix: str, consumer: str) -> str:
    """Where a consumer's poison messages go."""
    return f"{prefix}tdkt.dlq.{consumer}"


@dataclass
class ConsumerRuntime:
    """Runs event handlers against Kafka topics with a PostgreSQL pool."""

    pool: asyncpg.Pool
    bootstrap_servers: str
    topic_prefix: str = ""
    max_retries: int = 5
    retry_base_delay: float = 0.05
    handlers: list[EventHandler] = field(default_factory=list)
    status: dict[str, ConsumerStatus] = field(default_factory=dict)
    credentials: KafkaCredentials | None = None
    _producer: AIOKafkaProducer | None = None
    _lag_client: AIOKafkaConsumer | None = None

    async def setup(self) -> None:
        """Create the bookkeeping tables and every handler's tables."""
        for handler in self.handlers:
            await setup_handler(self.pool, handler)

    def subscribe(self, broker: KafkaBroker, handler: EventHandler, *, max_records: int = 500) -> None:
        """Register ``handler`` as a batch subscriber of its topics on ``broker``."""
        self.handlers.append(handler)
        self.status[handler.name] = ConsumerStatus()

        async def raw_body(message: Any, _original: Any) -> Any:
            # The runtime reads the raw records itself: a body that is not JSON
            # must reach the dead-letter topic, not fail inside FastStream.
            return message.body

        async def tolerant_headers(records: tuple[ConsumerRecord, ...], original: Any) -> Any:
            # FastStream decodes every header as UTF-8; one header that is not (or a None value) would
            # stop the subscriber on that batch forever. Such a batch is parsed from text-safe copies;
            # the runtime keeps the records as they came, so the message is dead-lettered intact.
            try:
                return await original(records)
            except (UnicodeDecodeError, AttributeError):
                parsed = await original(tuple(_text_safe(record) for record in records))
                parsed.raw_message = records
                return parsed

        @broker.subscriber(
            *[self.topic_prefix + topic for topic in handler.topics],
            group_id=self.topic_prefix + handler.name,
            batch=True,
            max_records=max_records,
            auto_offset_reset="earliest",
            ack_policy=AckPolicy.MANUAL,
            decoder=raw_body,
            parser=tolerant_headers,
            title=handler.name,
        )
        async def on_batch(_body: Any, message: KafkaMessage) -> None:
            await self.process(handler, message.raw_message)
            KAFKA_OUTAGE.reachable()  # a batch came from the broker
            try:
                await message.ack()
            except CommitFailedError as error:
                # The partition moved to another instance during the batch; the
                # database already holds the result and will skip the redelivery.
                log.info("offset_commit_failed", consumer=handler.name, error=str(error))

    async def start(self) -> None:
        """Start the dead-letter producer (call before the broker starts)."""
        self._producer = make_producer(self.bootstrap_servers, self.credentials)
        await self._producer.start()

    async def stop(self, budget: StopBudget | None = None) -> None:
        """Stop the dead-letter producer and the lag client, within the stop's ``budget`` (the service's, or
        one of :data:`~kernel.stopping.STOP_TOTAL_SECONDS` of its own)."""
        budget = budget or StopBudget()
        producer, self._producer = self._producer, None
        if producer is not None:
            await budget.finish(producer.stop(), "dead_letter_producer_stop")
        client, self._lag_client = self._lag_client, None
        if client is not None:
            await budget.finish(client.stop(), "lag_client_stop")

    async def measure_lag(self) -> dict[str, dict[str, int]]:
        """Messages behind the end of each partition, per consumer, from the applied offsets.

        One group-less client serves every measurement of the service's life (a
        new client per measurement meant a client stop racing every service stop).
        """
        try:
            client = await self._lag_consumer()
            lags: dict[str, dict[str, int]] = {}
            for handler in self.handlers:
                applied = await self._applied(handler)
                partitions = await partitions_of(client, [self.topic_prefix + t for t in handler.topics])
                ends = await client.end_offsets(partitions) if partitions else {}
                lags[handler.name] = {}
                for tp, end in ends.items():
                    lag = max(end - applied.get(tp, 0), 0)
                    lags[handler.name][f"{tp.topic}/{tp.partition}"] = lag
                    CONSUMER_LAG.labels(handler.name, tp.topic, str(tp.partition)).set(lag)
        except Exception:
            # A client that failed may be half connected: the next measurement starts a fresh one.
            await self._close_lag_client(STOP_SECONDS)
            raise
        return lags

    async def catch_up(self, name: str, timeout: float) -> dict[str, int]:
        """Wait until consumer ``name`` has applied what its topics held when called; what is left if time ran out.

        The target is the end of every partition now (one request to the
        brokers); the wait polls the applied offsets in the database. Empty
        when caught up; else messages still behind per ``topic/partition``.
        """
        handler = next(h for h in self.handlers if h.name == name)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        # The brokers' answer is awaited with asyncio.wait, never by cancelling and awaiting: aiokafka can swallow
        # a cancel, and the bound would then bound nothing. A late query is left behind (kernel.stopping.abandon).
        query = asyncio.ensure_future(self._end_offsets(handler))
        done, _ = await asyncio.wait({query}, timeout=timeout)
        if not done:
            abandon(query)
            return {"brokers": -1}  # the target is unknown: not known to be caught up
        try:
            ends = query.result()
        except Exception:
            await self._close_lag_client(STOP_SECONDS)
            raise
        while True:
            applied = await self._applied(handler)
            behind = {f"{tp.topic}/{tp.partition}": end - applied.get(tp, 0)
                      for tp, end in ends.items() if applied.get(tp, 0) < end}
            if not behind or loop.time() >= deadline:
                return behind
            await asyncio.sleep(0.02)

    async def _end_offsets(self, handler: EventHandler) -> dict[TopicPartition, int]:
        """The end of every partition of the handler's topics now, from the brokers."""
        client = await self._lag_consumer()
        partitions = await partitions_of(client, [self.topic_prefix + t for t in handler.topics])
        return await client.end_offsets(partitions) if partitions else {}

    async def _applied(self, handler: EventHandler) -> dict[TopicPartition, int]:
        """The next offset to apply per partition, as the handler's transactions committed them."""
        async with self.pool.acquire() as conn, conn.transaction():
            await enter_schema(conn, handler)
            rows = await conn.fetch(
                "SELECT topic, partition, next_offset FROM consumer_offsets WHERE consumer = $1", handler.name
            )
        return {TopicPartition(r["topic"], r["partition"]): r["next_offset"] for r in rows}

    async def _lag_consumer(self) -> AIOKafkaConsumer:
        if self._lag_client is None:
            client = AIOKafkaConsumer(bootstrap_servers=self.bootstrap_servers, enable_auto_commit=False,
                                      group_id=None, **client_options(self.credentials))
            self._lag_client = client
            await client.start()
        return self._lag_client

    async def _close_lag_client(self, seconds: float) -> None:
        client, self._lag_client = self._lag_client, None
        if client is not None:
            await finish_within(client.stop(), seconds, "lag_client_stop")

    async def process(self, handler: EventHandler, records: Sequence[ConsumerRecord]) -> None:
        """Apply a batch of records; returns only once it is durably applied."""
        status = self.status.setdefault(handler.name, ConsumerStatus())
        parsed = [(record, _parse(record)) for record in sorted(records, key=lambda r: (r.topic, r.partition, r.offset))]
        delay = 0.2
        while True:
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    await enter_schema(conn, handler)
                    applied = await self._apply_batch(conn, handler, parsed, status)
                if applied:
                    traces = sorted({t for e in applied if (t := trace_id_of(e.traceparent))})
                    log.info("events_applied", consumer=handler.name, events=len(applied),
                             trace_ids=traces[:TRACE_IDS_LOGGED], more_traces=max(len(traces) - TRACE_IDS_LOGGED, 0))
                status.batches += 1
                status.last_batch_at = time.time()
                status.retrying = False
                return
            except Exception as error:  # noqa: BLE001  (never drop a batch: retry until it applies)
                # Infrastructure outages land here, and so would a failing end_batch:
                # the batch is retried as a whole, since its offsets were not saved.
                status.retrying = True
                status.last_error = f"{type(error).__name__}: {error}"
                level = log.warning if is_infrastructure(error) else log.error
                level("batch_retry", consumer=handler.name, error=status.last_error, retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)

    async def _apply_batch(
        self,
        conn: asyncpg.Connection,
        handler: EventHandler,
        parsed: list[tuple[ConsumerRecord, Envelope | InvalidEnvelope]],
        status: ConsumerStatus,
    ) -> list[Envelope]:
        """Apply what the batch holds that was not applied before; returns those events."""
        partitions = sorted({(record.topic, record.partition) for record, _ in parsed})
        await conn.executemany(
            "INSERT INTO consumer_offsets (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, 0) "
            "ON CONFLICT DO NOTHING",
            [(handler.name, topic, partition) for topic, partition in partitions],
        )
        # Locking the partitions' rows serialises two instances that were both
        # handed the same partition around a rebalance: the second sees the
        # first one's offsets and skips what it already applied.
        rows = await conn.fetch(
            "SELECT topic, partition, next_offset FROM consumer_offsets WHERE consumer = $1 "
            "AND (topic, partition) IN (SELECT * FROM unnest($2::text[], $3::int[])) "
            "ORDER BY topic, partition FOR UPDATE",
            handler.name,
            [t for t, _ in partitions],
            [p for _, p in partitions],
        )
        next_offsets = {(row["topic"], row["partition"]): row["next_offset"] for row in rows}
        pending = [(r, e) for r, e in parsed if r.offset >= next_offsets[(r.topic, r.partition)]]
        ids = [e.id for _, e in pending if isinstance(e, Envelope)]
        fresh = set(
            await conn.fetchval(
                "WITH applied AS (INSERT INTO consumer_inbox (consumer, event_id) "
                "SELECT $1, id FROM unnest($2::uuid[]) AS id ON CONFLICT DO NOTHING RETURNING event_id) "
                "SELECT coalesce(array_agg(event_id), '{}') FROM applied",
                handler.name,
                ids,
            )
        )
        skipped = len(parsed) - len(pending)
        to_apply: list[tuple[ConsumerRecord, Envelope]] = []
        for record, envelope in pending:
            if isinstance(envelope, InvalidEnvelope):
                await self._dead_letter(conn, handler, record, None, str(envelope), attempts=1)
                continue
            if envelope.id not in fresh:
                skipped += 1
                continue
            fresh.discard(envelope.id)
            to_apply.append((record, envelope))
        await self._apply_all(conn, handler, to_apply, status)
        end_batch = getattr(handler, "end_batch", None)
        if end_batch is not None:
            # Work a policy does once per batch (e.g. recompute totals), committed with it.
            await end_batch(conn)
        for record, _ in parsed:
            key = (record.topic, record.partition)
            next_offsets[key] = max(next_offsets[key], record.offset + 1)
        await conn.executemany(
            "UPDATE consumer_offsets SET next_offset = $4, updated_at = now() "
            "WHERE consumer = $1 AND topic = $2 AND partition = $3",
            [(handler.name, t, p, offset) for (t, p), offset in next_offsets.items()],
        )
        if skipped:
            status.duplicates += skipped
            CONSUMER_DUPLICATES.labels(handler.name).inc(skipped)
        return [envelope for _, envelope in to_apply]

    async def _apply_all(
        self,
        conn: asyncpg.Connection,
        handler: EventHandler,
        items: list[tuple[ConsumerRecord, Envelope]],
        status: ConsumerStatus,
    ) -> None:
        """Apply the batch's events under one savepoint; if one fails, redo them one by one.

        The common case costs one savepoint per batch instead of one per event;
        a failing event is then isolated, retried and dead-lettered alone.
        Handlers must therefore tolerate being called again for the same event
        after a rolled-back attempt (their database effects are rolled back).
        """
        if not items:
            return
        handle_batch = getattr(handler, "handle_batch", None)
        try:
            async with conn.transaction():
                if handle_batch is not None:
                    await handle_batch(conn, [envelope for _, envelope in items])
                else:
                    for _record, envelope in items:
                        with _event_context(envelope):
                            await handler.handle(conn, envelope)
        except Exception as error:  # noqa: BLE001  (find and isolate the failing event)
            if is_infrastructure(error):
                raise
            for record, envelope in items:
                await self._apply_one(conn, handler, record, envelope, status)
            return
        status.applied += len(items)
        CONSUMER_APPLIED.labels(handler.name).inc(len(items))

    async def _apply_one(
        self,
        conn: asyncpg.Connection,
        handler: EventHandler,
        record: ConsumerRecord,
        envelope: Envelope,
        status: ConsumerStatus,
    ) -> None:
        bound = log.bind(consumer=handler.name)
        for attempt in range(1, self.max_retries + 2):
            try:
                with _event_context(envelope):
                    async with conn.transaction():
                        await handler.handle(conn, envelope)
            except Exception as error:  # noqa: BLE001  (a handler's failure is data, not a crash)
                if is_infrastructure(error):
                    raise
                HANDLER_ERRORS.labels(handler.name).inc()
                status.last_error = f"{type(error).__name__}: {error}"
                bound.warning("handler_failed", attempt=attempt, error=status.last_error, event_id=str(envelope.id),
                              correlation_id=envelope.correlation_id, event_type=envelope.type)
                if attempt <= self.max_retries:
                    await asyncio.sleep(min(self.retry_base_delay * 2 ** (attempt - 1), 2.0))
                    continue
                await self._dead_letter(conn, handler, record, envelope, status.last_error, attempts=attempt)
                return
            else:
                status.applied += 1
                CONSUMER_APPLIED.labels(handler.name).inc()
                return

    async def _dead_letter(
        self,
        conn: asyncpg.Connection,
        handler: EventHandler,
        record: ConsumerRecord,
        envelope: Envelope | None,
        error: str,
        attempts: int,
    ) -> None:
        assert self._producer is not None, "ConsumerRuntime.start() was not called"
        headers = list(record.headers or ()) + [
            ("dlq_error", error[:4000].encode()),
            ("dlq_consumer", handler.name.encode()),
            ("dlq_topic", record.topic.encode()),
            ("dlq_partition", str(record.partition).encode()),
            ("dlq_offset", str(record.offset).encode()),
            ("dlq_attempts", str(attempts).encode()),
        ]
        value = record.value
        if value is not None and len(value) > DEAD_LETTER_MAX_VALUE:
            # The original stays in its topic (kept forever), found by the coordinates above; the
            # copy is cut so that it, with the headers added, still fits the broker's message limit.
            headers.append(("dlq_truncated_from", str(len(value)).encode()))
            value = value[:DEAD_LETTER_MAX_VALUE]
        # Published before the transaction commits: a crash in between re-sends
        # it, so the dead-letter topic is at least once too (dedupe on coordinates).
        await self._producer.send_and_wait(
            dead_letter_topic(self.topic_prefix, handler.name), value=value, key=record.key, headers=headers
        )
        await conn.execute(
            "INSERT INTO dead_letters (consumer, topic, partition, kafka_offset, event_id, error, attempts) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
            handler.name,
            record.topic,
            record.partition,
            record.offset,
            str(envelope.id) if envelope else None,
            error,
            attempts,
        )
        status = self.status[handler.name]
        status.dead_letters += 1
        DEAD_LETTERS.labels(handler.name).inc()
        log.error("dead_lettered", consumer=handler.name, topic=record.topic, partition=record.partition,
                  offset=record.offset, error=error)


async def enter_schema(conn: asyncpg.Connection, handler: EventHandler) -> None:
    """Point the transaction at the handler's own schema, if it has one."""
    schema = getattr(handler, "schema", None)
    if schema:
        await conn.execute("SELECT set_config('search_path', $1, true)", quote_ident(schema))


async def setup_handler(pool: asyncpg.Pool, handler: EventHandler) -> None:
    """Create a handler's schema (if it has one), its bookkeeping tables and its own tables."""
    async with pool.acquire() as conn:
        schema = getattr(handler, "schema", None)
        if schema:
            await conn.execute(f"CREATE SCHEMA IF NOT EXISTS {quote_ident(schema)}")
        async with conn.transaction():
            await enter_schema(conn, handler)
            await apply_sql(conn, [kernel_sql("consumer.sql")])
            await handler.setup(conn)


def _parse(record: ConsumerRecord) -> Envelope | InvalidEnvelope:
    try:
        return from_kafka(record.value, record.headers or ())
    except InvalidEnvelope as error:
        return error
