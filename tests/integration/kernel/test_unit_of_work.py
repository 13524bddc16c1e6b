"""The kernel's unit of work against a real PostgreSQL server: grouping, versions, retries, locks, rollback."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest

from kernel.errors import DomainError
from kernel.eventstore import ConcurrencyError, EventStore, Metadata, RecordedEvent
from kernel.unit_of_work import Transactions, UnitOfWork

from .support import ThingCounted

pytestmark = pytest.mark.integration


def read_thing(_event_type: str, _version: int, payload: dict[str, Any]) -> list[ThingCounted]:
    return [ThingCounted.model_validate(payload)]


@pytest.fixture
async def transactions(pool: asyncpg.Pool) -> Transactions:
    async with pool.acquire() as conn:
        await EventStore.migrate(conn)
        await conn.execute("CREATE TABLE IF NOT EXISTS projected (stream_id text, n int)")
    projected: list[RecordedEvent] = []

    async def project(conn: asyncpg.Connection, recorded: list[RecordedEvent]) -> None:
        projected.extend(recorded)
        await conn.executemany(
            "INSERT INTO projected VALUES ($1, $2)", [(e.stream_id, e.payload["n"]) for e in recorded]
        )

    return Transactions(lambda: pool, EventStore(), read_thing, project)


async def count(pool: asyncpg.Pool, sql: str, *args: object) -> int:
    async with pool.acquire() as conn:
        return int(await conn.fetchval(sql, *args))


async def test_append_groups_events_by_their_own_stream_and_projects_them_in_the_transaction(
    pool: asyncpg.Pool, transactions: Transactions
) -> None:
    async def work(uow: UnitOfWork) -> list[RecordedEvent]:
        await uow.stream("a")
        return await uow.append(
            [ThingCounted(thing_id="a", n=1), ThingCounted(thing_id="b", n=2), ThingCounted(thing_id="a", n=3)]
        )

    recorded = await transactions.run(work, Metadata(actor_id="t"))
    assert [(e.stream_id, e.stream_version, e.payload["n"]) for e in recorded] == [("a", 1, 1), ("a", 2, 3), ("b", 1, 2)]
    assert await count(pool, "SELECT count(*) FROM projected") == 3

    async def read_back(uow: UnitOfWork) -> tuple[int, list[int]]:
        found = await uow.streams(["b", "a", "absent"])
        assert list(found) == ["b", "a", "absent"] and found["absent"].version == 0
        return found["a"].version, [e.n for e in found["a"].events]

    assert await transactions.run(read_back, Metadata()) == (2, [1, 3])


async def test_a_lost_race_runs_again_on_fresh_state(pool: asyncpg.Pool, transactions: Transactions) -> None:
    both_read = asyncio.Barrier(2)
    seen: list[int] = []

    async def increment(uow: UnitOfWork) -> None:
        stream = await uow.stream("race")
        seen.append(stream.version)
        if len(seen) <= 2:
            await both_read.wait()  # both first tries read version 0: one of them must lose
        await uow.append([ThingCounted(thing_id="race", n=stream.version + 1)])

    await asyncio.gather(transactions.run(increment, Metadata()), transactions.run(increment, Metadata()))
    assert sorted(seen) == [0, 0, 1]
    assert await count(pool, "SELECT max(stream_version) FROM events WHERE stream_id = 'race'") == 2


async def test_a_pinned_version_is_the_clients_answer_not_retried(transactions: Transactions) -> None:
    async def first(uow: UnitOfWork) -> None:
        await uow.stream("pinned")
        await uow.append([ThingCounted(thing_id="pinned", n=1)])

    await transactions.run(first, Metadata())
    tries = 0

    async def stale(uow: UnitOfWork) -> None:
        nonlocal tries
        tries += 1
        await uow.stream("pinned", expected_version=0)

    with pytest.raises(ConcurrencyError) as caught:
        await transactions.run(stale, Metadata(), retry=False)
    assert tries == 1 and caught.value.details == {"stream_id": "pinned", "expected": 0, "actual": 1}


async def test_a_refusal_after_an_append_leaves_nothing_written(pool: asyncpg.Pool, transactions: Transactions) -> None:
    async def refused(uow: UnitOfWork) -> None:
        await uow.append([ThingCounted(thing_id="refused", n=1)])
        raise DomainError("refused", "a later check failed")

    with pytest.raises(DomainError):
        await transactions.run(refused, Metadata())
    assert await count(pool, "SELECT count(*) FROM events WHERE stream_id = 'refused'") == 0
    assert await count(pool, "SELECT count(*) FROM projected WHERE stream_id = 'refused'") == 0


async def test_an_exclusive_lock_waits_for_a_shared_holder_and_shared_holders_share(
    transactions: Transactions,
) -> None:
    order: list[str] = []
    shared_held = asyncio.Event()
    release = asyncio.Event()

    async def reader(name: str) -> None:
        async def work(uow: UnitOfWork) -> None:
            await uow.lock("tree", shared=True)
            order.append(f"{name} in")
            shared_held.set()
            await release.wait()
            order.append(f"{name} out")

        await transactions.run(work, Metadata())

    async def writer(uow: UnitOfWork) -> None:
        await uow.lock("tree")
        order.append("writer in")

    readers = [asyncio.create_task(reader("r1")), asyncio.create_task(reader("r2"))]
    await shared_held.wait()
    while len(order) < 2:  # the second shared holder gets in while the first still holds
        await asyncio.sleep(0.01)
    written = asyncio.create_task(transactions.run(writer, Metadata()))
    await asyncio.sleep(0.3)
    assert "writer in" not in order
    release.set()
    await asyncio.gather(*readers, written)
    assert order[-1] == "writer in" and sorted(order[:2]) == ["r1 in", "r2 in"]


async def test_a_snapshot_reads_but_cannot_write(transactions: Transactions) -> None:
    async def dry(uow: UnitOfWork) -> None:
        await uow.stream("dry")
        await uow.append([ThingCounted(thing_id="dry", n=1)])

    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
        await transactions.snapshot(dry, Metadata())
