"""A service process: its database, event store, relay, consumers and HTTP API, wired once."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import structlog
import uvicorn
from fastapi import FastAPI, Request
from faststream.kafka import KafkaBroker
from tdkt_contracts import topic_for

from .consumer import ConsumerRuntime, EventHandler, dead_letter_topic
from .db import apply_sql, create_pool
from .eventstore import EventStore, Metadata, RecordedEvent
from .freshness import ReplicaBehind, await_published
from .kafka_auth import faststream_security
from .logs import KAFKA_OUTAGE, configure_logging
from .relay import OutboxRelay, notify_channel
from .settings import Settings
from .stopping import StopBudget
from .topics import ensure_topics

log = structlog.get_logger("kernel.service")


@dataclass
class Service:
    """Everything one bounded context's process runs, started and stopped together."""

    context: str
    settings: Settings
    migrations: Sequence[str] = ()
    handlers: Sequence[EventHandler] = ()
    publishes: bool = True
    pool: asyncpg.Pool | None = None
    store: EventStore = field(init=False)
    relay: OutboxRelay | None = None
    consumers: ConsumerRuntime | None = None
    _broker: KafkaBroker | None = None
    _relay_task: asyncio.Task[None] | None = None
    _lag_task: asyncio.Task[None] | None = None
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    consumer_lag: dict[str, dict[str, int]] = field(default_factory=dict)
    _started_at: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.store = EventStore(notify_channel=notify_channel(self.settings.database_schema))

    @property
    def source(self) -> str:
        return f"/tdkt/{self.context}"

    async def start(self) -> None:
        """Connect, migrate, create topics, then start the relay and the consumers."""
        s = self.settings
        credentials = s.kafka_credentials()
        self._stopping.clear()
        self.pool = await create_pool(s.database_url, s.database_schema, max_size=20)
        async with self.pool.acquire() as conn:
            await EventStore.migrate(conn)
            if self.migrations:
                await apply_sql(conn, list(self.migrations))
        if self.publishes:
            await ensure_topics(
                s.kafka_bootstrap_servers,
                [s.topic_prefix + topic_for(self.context, audience) for audience in ("public", "internal")],
                credentials=credentials,
            )
            self.relay = OutboxRelay(
                dsn=s.database_url,
                schema=s.database_schema,
                bootstrap_servers=s.kafka_bootstrap_servers,
                source=self.source,
                topic_prefix=s.topic_prefix,
                batch_size=s.relay_batch_size,
                poll_interval=s.relay_poll_interval_ms / 1000,
                credentials=credentials,
            )
            self._relay_task = asyncio.create_task(self.relay.run(), name=f"{self.context}-relay")
        if self.handlers:
            self.consumers = ConsumerRuntime(
                pool=self.pool,
                bootstrap_servers=s.kafka_bootstrap_servers,
                topic_prefix=s.topic_prefix,
                max_retries=s.consumer_max_retries,
                credentials=credentials,
            )
            self._broker = KafkaBroker(s.kafka_bootstrap_servers, logger=None,
                                       security=faststream_security(credentials))
            for handler in self.handlers:
                self.consumers.subscribe(self._broker, handler)
            await self.consumers.setup()
            # Subscribed topics and the dead-letter topics exist before anyone reads or writes them.
            await ensure_topics(
                s.kafka_bootstrap_servers,
                sorted({s.topic_prefix + t for h in self.handlers for t in h.topics}
                       | {dead_letter_topic(s.topic_prefix, h.name) for h in self.handlers}),
                credentials=credentials,
            )
            await self.consumers.start()
            await self._broker.start()
            self._lag_task = asyncio.create_task(self._watch_lag(), name=f"{self.context}-lag")
        log.info("service_started", context=self.context, schema=s.database_schema)

    async def catch_up(self, consumer: str) -> None:
        """Wait until ``consumer`` has applied what Kafka held on its topics now; ReplicaBehind (503) if it cannot.

        For decisions that must be as of now on another service's facts (a unit
        officer's scope, :mod:`kernel.freshness`); bounded by ``TDKT_SCOPE_SYNC_MS``.
        """
        assert self.consumers is not None, "the service has no consumers"
        behind = await self.consumers.catch_up(consumer, self.settings.scope_sync_ms / 1000)
        if behind:
            raise ReplicaBehind(consumer, behind)

    async def published(self, events: Sequence[RecordedEvent]) -> bool:
        """Wait until the relay has put ``events`` on Kafka (bounded by ``TDKT_SCOPE_SYNC_MS``): False if not yet."""
        if not events or not self.publishes:
            return True
        assert self.pool is not None, "the service is not started"
        return await await_published(self.pool, max(e.position for e in events),
                                     timeout=self.settings.scope_sync_ms / 1000)

    async def _watch_lag(self, every: float = 10.0) -> None:
        """Keep the consumer-lag gauges and the health report current, until the service stops."""
        assert self.consumers is not None
        while not self._stopping.is_set():
            try:
                self.consumer_lag = await self.consumers.measure_lag()
                KAFKA_OUTAGE.reachable()
            except Exception as error:  # noqa: BLE001  (a failed measurement must not stop the service)
                log.warning("lag_measurement_failed", error=str(error))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), every)

    async def stop(self) -> None:
        """Stop everything the service started; every step is bounded, and the whole stop too
        (:class:`kernel.stopping.StopBudget`).

        The consumers leave their groups first, so another replica takes their
        partitions at once. Giving up on a Kafka client is safe: what was applied
        is in the database with its offsets, and the next start resumes there.
        """
        self._stopping.set()
        budget = StopBudget()
        if self.relay:
            self.relay.stop()
        if self._broker:
            await budget.finish(self._broker.stop(), "consumers_stop")
        if self._lag_task:
            await budget.finish(self._lag_task, "lag_watch_stop")
        if self.consumers:
            await self.consumers.stop(budget)
        if self._relay_task:
            await budget.finish(self._relay_task, "relay_stop")
        if self.pool and not await budget.finish(self.pool.close(), "pool_close"):
            self.pool.terminate()

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    def running_pool(self) -> asyncpg.Pool:
        """The connection pool of a started service (commands and queries run only between start and stop)."""
        if self.pool is None:
            raise RuntimeError(f"the {self.context} service is not started")
        return self.pool

    def health(self) -> tuple[bool, dict[str, Any]]:
        """Relay and consumer state for ``/health``; not ok when the relay has stopped."""
        detail: dict[str, Any] = {"service": self.context, "uptime_s": round(time.time() - self._started_at, 1)}
        ok = self.pool is not None
        if self.relay:
            status = self.relay.status
            relay_ok = self._relay_task is not None and not self._relay_task.done() and status.running
            ok = ok and relay_ok
            detail["relay"] = {
                "running": relay_ok,
                "leader": status.leader,
                "checkpoint": status.checkpoint,
                "published": status.published,
                "last_error": status.last_error,
            }
        if self.consumers:
            detail["consumers"] = {
                name: {**vars(status), "lag": self.consumer_lag.get(name, {})}
                for name, status in self.consumers.status.items()
            }
        return ok, detail

    @staticmethod
    def metadata(request: Request) -> Metadata:
        """Who acts (the token's subject and the role that allowed the command) and in which flow; the ids a
        client sent are kept as given and marked client-supplied."""
        principal = getattr(request.state, "principal", None)
        role = getattr(principal, "role", None)
        correlation_id = request.headers.get("x-correlation-id")
        causation_id = request.headers.get("x-request-id")
        return Metadata(
            actor_id=getattr(principal, "subject", None),
            actor_role=str(role) if role is not None else None,
            correlation_id=correlation_id,
            causation_id=causation_id,
            # A service that honours a business-date header leaves the date it took in request.state.
            business_date=getattr(request.state, "business_date", None),
            client_supplied=tuple(name for name, value in (("correlation_id", correlation_id),
                                                           ("causation_id", causation_id)) if value is not None),
        )


HTTP_DRAIN_SECONDS = 5
"""Seconds the HTTP server waits on SIGTERM for requests in flight before closing them (uvicorn waits without
a bound otherwise); the service's own stop (:class:`kernel.stopping.StopBudget`) comes after."""


def serve(app: FastAPI, settings: Settings, context: str) -> None:
    """Run the HTTP API (and with it the relay and consumers) until SIGTERM or Ctrl-C."""
    configure_logging(context, settings.log_format, settings.log_level)
    config = uvicorn.Config(app, host=settings.http_host, port=settings.http_port, log_config=None,
                            access_log=False, lifespan="on", timeout_graceful_shutdown=HTTP_DRAIN_SECONDS)
    uvicorn.Server(config).run()
