"""A peer measured beside us: the Python ``eventsourcing`` library on the same PostgreSQL server, in the same run.

The peer is the most used event-sourcing library for Python (PyPI
``eventsourcing``, with its PostgreSQL recorder over psycopg 3). It writes the
same events (the benchmark's award, the same fields and Vietnamese name) to
the same server, one aggregate per command as our write path does, first from
one client and then from as many concurrent clients as ours; then both read
every event back in order, as a rebuild or a notification-log follower does.
Each figure is ours over the peer's: above 1 we are faster.

The designs differ where it matters and the note of each figure says so: the
peer keeps a gapless global order by locking its table for each insert
(``LOCK TABLE … IN EXCLUSIVE MODE``), so its writers queue; our store orders
the log by transaction id instead and lets writers run in parallel.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import unquote, urlsplit

import asyncpg
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from kernel.eventstore import START, EventStore, Metadata
from kernel.unit_of_work import Transactions, UnitOfWork

from .stages import BenchEvent, Figure, fresh_schema, bench_event

PEER = "eventsourcing 9 (PostgreSQL recorder)"
SCHEMA = "bench_peer"


class GrantedAward(Aggregate):
    """The benchmark's award as the peer's aggregate: the same fields in its one created event."""

    @event("Granted")
    def __init__(self, award_id: str, year: int, award_code: str, recipient_name: str, unit_id: str) -> None:
        self.award_id = award_id
        self.year = year
        self.award_code = award_code
        self.recipient_name = recipient_name
        self.unit_id = unit_id


class AwardsApplication(Application):
    """The peer's application: a command saves one new aggregate (one event, one transaction)."""

    def grant(self, i: int) -> None:
        self.save(GrantedAward(**bench_event(i).model_dump()))


def peer_env(url: str, schema: str, pool_size: int) -> dict[str, str]:
    """The peer's settings for the server at ``url`` (its own environment variables), in ``schema``."""
    parts = urlsplit(url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": parts.path.lstrip("/") or "postgres",
        "POSTGRES_HOST": parts.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(parts.port or 5432),
        "POSTGRES_USER": unquote(parts.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(parts.password or ""),
        "POSTGRES_SCHEMA": schema,
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": "0",
        "CREATE_TABLE": "y",
    }


async def _in_threads(total: int, clients: int, one: Callable[[int], Any]) -> float:
    """Run the peer's synchronous ``one(i)`` for every i from ``clients`` threads; operations per second."""
    counter = iter(range(total))

    def worker() -> None:
        for i in counter:
            one(i)

    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        started = time.perf_counter()
        await asyncio.gather(*(loop.run_in_executor(pool, worker) for _ in range(clients)))
        return total / (time.perf_counter() - started)


async def _our_commands(pool: asyncpg.Pool, numbers: range, clients: int) -> float:
    """Our write path: one command, one new stream, one event, through the kernel's unit of work."""
    transactions = Transactions(lambda: pool, EventStore())
    counter = iter(numbers)

    async def worker() -> None:
        for i in counter:

            async def work(uow: UnitOfWork, i: int = i) -> None:
                granted = bench_event(i)
                await uow.stream(granted.subject())
                await uow.append([granted])

            await transactions.run(work, Metadata(actor_id="bench"))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(clients)))
    return len(numbers) / (time.perf_counter() - started)


async def _our_read_all(pool: asyncpg.Pool) -> tuple[int, float]:
    """Every event of our store in log order, as models: how many, and events per second."""
    started, seen, after = time.perf_counter(), 0, START
    async with pool.acquire() as conn:
        while batch := await EventStore.read_all(conn, after, limit=1000):
            for recorded in batch:
                BenchEvent.model_validate(recorded.payload)
            seen += len(batch)
            after = batch[-1].position
    return seen, seen / (time.perf_counter() - started)


def _peer_read_all(app: AwardsApplication) -> tuple[int, float]:
    """Every event of the peer's store in notification order, as its domain events."""
    started, seen, start = time.perf_counter(), 0, 1
    while notifications := app.recorder.select_notifications(start, limit=1000):
        for notification in notifications:
            app.mapper.to_domain_event(notification)
        seen += len(notifications)
        start = notifications[-1].id + 1
    return seen, seen / (time.perf_counter() - started)


async def peer_comparison(url: str, commands: int, clients: int) -> list[Figure]:
    """Our write path and read-back beside the peer's, on the same server, sizes and concurrency."""
    conn = await asyncpg.connect(url)
    await conn.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE; CREATE SCHEMA "{SCHEMA}"')
    await conn.close()
    app = AwardsApplication(env=peer_env(url, SCHEMA, clients))
    pool = await fresh_schema(url, "bench_ours")
    try:
        peer_one = await _in_threads(commands, 1, app.grant)
        ours_one = await _our_commands(pool, range(commands), 1)
        peer_many = await _in_threads(commands, clients, lambda i: app.grant(commands + i))
        ours_many = await _our_commands(pool, range(commands, 2 * commands), clients)
        peer_seen, peer_read = await asyncio.to_thread(_peer_read_all, app)
        ours_seen, ours_read = await _our_read_all(pool)
    finally:
        app.close()
        await pool.close()
    if peer_seen != ours_seen or ours_seen != 2 * commands:
        raise RuntimeError(f"the stores hold different numbers of events: ours {ours_seen}, the peer's {peer_seen}")
    return [
        Figure("peer: one event per command, 1 client", "commands/s", ours_one, peer_one,
               f"raw = {PEER}, one Application.save per command"),
        Figure(f"peer: one event per command, {clients} clients", "commands/s", ours_many, peer_many,
               f"raw = {PEER} from {clients} threads; it locks its table per insert for a gapless order"),
        Figure("peer: read every event in order", "events/s", ours_read, peer_read,
               f"raw = {PEER} select_notifications + mapper; ours = read_all + models, {ours_seen:,} events"),
    ]
