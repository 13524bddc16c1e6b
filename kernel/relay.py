"""The outbox relay: every committed event reaches Kafka, in order per aggregate, at least once.

How it never skips an event. A bigserial number is taken at insert time but
rows become visible at commit time, so a relay that remembers "the highest
number sent" skips any row whose transaction took its number early and
committed late. This relay reads by (transaction id, sequence) and only rows
whose transaction id is below the oldest transaction still running
(``pg_snapshot_xmin``): every transaction it reads from has ended, and no
transaction can later commit rows below its checkpoint. The event store
refuses an append whose transaction id is older than the stream's previous
writer, so log order is also per-aggregate order.

How it survives crashes. The checkpoint is written after Kafka acknowledged
the batch (idempotent producer, acks=all). A crash in between re-sends that
batch: consumers dedupe on ``ce_id``. One relay runs per database at a time
(a session advisory lock), so replicas of a service can all run it safely.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable
from dataclasses import dataclass

import asyncpg
import structlog
from aiokafka import AIOKafkaProducer

from .db import connect
from .errors import INFRASTRUCTURE_ERRORS
from .stopping import STOP_SECONDS, finish_within
from .eventstore import START, EventStore, Position, RecordedEvent
from .kafka_auth import KafkaCredentials, client_options
from .logs import KAFKA_OUTAGE
from .metrics import RELAY_BACKLOG, RELAY_LAG_SECONDS, RELAY_PUBLISHED

log = structlog.get_logger("kernel.relay")


@dataclass
class RelayStatus:
    """What the health endpoint reports about the relay."""

    running: bool = False
    leader: bool = False
    checkpoint: str = str(START)
    published: int = 0
    last_error: str | None = None
    last_published_at: float | None = None


def make_producer(bootstrap_servers: str, credentials: KafkaCredentials | None = None) -> AIOKafkaProducer:
    """The idempotent producer: acks from all in-sync replicas, no duplicates from its own retries."""
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        **client_options(credentials),
        enable_idempotence=True,
        acks="all",
        linger_ms=5,
        max_batch_size=256 * 1024,
        request_timeout_ms=30_000,
    )


class OutboxRelay:
    """Publishes a service's events from its PostgreSQL event store to Kafka."""

    def __init__(
        self,
        *,
        dsn: str,
        schema: str,
        bootstrap_servers: str,
        source: str,
        topic_prefix: str = "",
        batch_size: int = 1000,
        poll_interval: float = 0.5,
        name: str = "kafka",
        credentials: KafkaCredentials | None = None,
    ) -> None:
        self.dsn = dsn
        self.schema = schema
        self.bootstrap_servers = bootstrap_servers
        self.source = source
        self.topic_prefix = topic_prefix
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.name = name
        self.credentials = credentials
        self.notify_channel = notify_channel(schema)
        self.status = RelayStatus()
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()

    def stop(self) -> None:
        """Ask :meth:`run` to end after the batch in flight (its task then ends by itself)."""
        self._stopping.set()
        self._wake.set()

    async def run(self) -> None:
        """Relay until :meth:`stop` (or a cancel); after any error, wait and start again from the checkpoint."""
        self.status.running = True
        backoff = 0.5
        try:
            while not self._stopping.is_set():
                try:
                    await self._run_once()
                except (*INFRASTRUCTURE_ERRORS, asyncpg.PostgresError) as error:
                    self.status.last_error = f"{type(error).__name__}: {error}"
                    self.status.leader = False
                    log.warning("relay_error", error=self.status.last_error, retry_in=backoff, schema=self.schema)
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), backoff)
                    backoff = min(backoff * 2, 10.0)
                else:
                    backoff = 0.5
        finally:
            self.status.running = False
            self.status.leader = False

    async def _run_once(self) -> None:
        conn = await connect(self.dsn, self.schema)
        producer = make_producer(self.bootstrap_servers, self.credentials)
        try:
            # Only one relay per database; the others wait here as hot standbys.
            if not await self._until_stopped(conn.execute("SELECT pg_advisory_lock(hashtext(current_schema() || ':relay'))")):
                return
            self.status.leader = True
            await conn.add_listener(self.notify_channel, self._on_notify)
            await producer.start()
            KAFKA_OUTAGE.reachable()
            checkpoint = await self._load_checkpoint(conn)
            log.info("relay_started", schema=self.schema, checkpoint=str(checkpoint))
            while not self._stopping.is_set():
                batch = await EventStore.read_all(conn, checkpoint, self.batch_size)
                if batch:
                    await self._publish(producer, batch)
                    checkpoint = batch[-1].position
                    await self._save_checkpoint(conn, checkpoint)
                    self.status.published += len(batch)
                    self.status.last_published_at = time.time()
                    RELAY_PUBLISHED.labels(self.schema).inc(len(batch))
                    KAFKA_OUTAGE.reachable()
                    if len(batch) == self.batch_size:
                        continue
                await self._observe_backlog(conn, checkpoint)
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), self.poll_interval)
        finally:
            self.status.leader = False
            await finish_within(producer.stop(), STOP_SECONDS, "relay_producer_stop")
            if not await finish_within(conn.close(), STOP_SECONDS, "relay_connection_close"):
                conn.terminate()

    async def _until_stopped(self, step: Awaitable[object]) -> bool:
        """Run ``step`` unless :meth:`stop` comes first (then cancel it): True when it ran."""
        task = asyncio.ensure_future(step)
        stopping = asyncio.ensure_future(self._stopping.wait())
        try:
            await asyncio.wait({task, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if task.done():
            task.result()
            return True
        await finish_within(task, 0, "relay_standby_wait")
        return False

    def _on_notify(self, *_args: object) -> None:
        self._wake.set()

    async def _publish(self, producer: AIOKafkaProducer, batch: list[RecordedEvent]) -> None:
        futures = []
        for event in batch:
            key, value, headers = event.envelope(self.source).to_kafka()
            futures.append(await producer.send(self.topic_prefix + event.topic, value=value, key=key, headers=headers))
        await asyncio.gather(*futures)

    async def _load_checkpoint(self, conn: asyncpg.Connection) -> Position:
        row = await conn.fetchrow(
            "SELECT tx_id::text::bigint AS tx, seq FROM relay_checkpoints WHERE relay = $1", self.name
        )
        position = Position(row["tx"], row["seq"]) if row else START
        self.status.checkpoint = str(position)
        return position

    async def _save_checkpoint(self, conn: asyncpg.Connection, position: Position) -> None:
        await conn.execute(
            """
            INSERT INTO relay_checkpoints (relay, tx_id, seq, updated_at) VALUES ($1, $2::text::xid8, $3, now())
            ON CONFLICT (relay) DO UPDATE SET tx_id = excluded.tx_id, seq = excluded.seq, updated_at = now()
            """,
            self.name,
            str(position.tx_id),
            position.seq,
        )
        self.status.checkpoint = str(position)

    async def _observe_backlog(self, conn: asyncpg.Connection, checkpoint: Position) -> None:
        row = await conn.fetchrow(
            """
            SELECT count(*) AS backlog, extract(epoch FROM now() - min(recorded_at)) AS lag
            FROM events WHERE (tx_id, seq) > ($1::text::xid8, $2::bigint)
            """,
            str(checkpoint.tx_id),
            checkpoint.seq,
        )
        RELAY_BACKLOG.labels(self.schema).set(row["backlog"])
        RELAY_LAG_SECONDS.labels(self.schema).set(float(row["lag"] or 0.0))


def notify_channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel that wakes the relay of one schema."""
    return f"tdkt_events_{schema}"
