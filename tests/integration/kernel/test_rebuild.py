"""Rebuilding a read model from Kafka while the live consumer keeps going."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from kernel.replay import rebuild

from .support import TOPIC, ThingTotals, wait_until
from .test_consumer import consuming, envelope, produce

pytestmark = pytest.mark.integration


class SchemaTotals(ThingTotals):
    def __init__(self, schema: str) -> None:
        super().__init__()
        self.schema = schema


async def checksum(pool: asyncpg.Pool, schema: str) -> tuple[str, int]:
    async with pool.acquire() as conn:
        row = await conn.fetchrow(
            f'SELECT md5(string_agg(t::text, \'|\' ORDER BY thing_id)) AS sum, count(*) AS n FROM "{schema}".thing_totals t'
        )
    return row["sum"], row["n"]


async def test_rebuild_matches_the_live_model_and_twice_gives_identical_tables(
    real_stack, pool: asyncpg.Pool, schema: str, topic_prefix: str
) -> None:
    rm = f"{schema}_rm"
    first = [envelope(f"t{i % 7}", i) for i in range(1, 301)]
    await produce(real_stack.bootstrap_servers, topic_prefix + TOPIC, first + first[:20])  # with re-sent duplicates
    expected = {}
    for e in first:
        total, count = expected.get(e.subject, (0, 0))
        expected[e.subject] = (total + e.data["n"], count + 1)

    live = SchemaTotals(rm)
    async with consuming(real_stack, pool, topic_prefix, live):
        await wait_until(lambda: _rows(pool, rm, expected))
        before = await checksum(pool, rm)

        more = [envelope("t-late", n) for n in range(1, 51)]
        writer = asyncio.create_task(produce(real_stack.bootstrap_servers, topic_prefix + TOPIC, more))
        seen: list[int] = []
        result = await rebuild(
            SchemaTotals(rm), pool=pool, bootstrap_servers=real_stack.bootstrap_servers, topic_prefix=topic_prefix,
            progress=lambda done, total: seen.append(done), batch_size=50,
        )
        await writer
        expected["t-late"] = (sum(range(1, 51)), 50)
        await wait_until(lambda: _rows(pool, rm, expected))
        after_live = await checksum(pool, rm)

    assert result.messages >= 320 and seen and seen == sorted(seen)
    assert before != after_live  # the late events were applied exactly once across the swap
    again = await rebuild(
        SchemaTotals(rm), pool=pool, bootstrap_servers=real_stack.bootstrap_servers, topic_prefix=topic_prefix
    )
    assert again.messages == 370
    assert await checksum(pool, rm) == after_live
    async with pool.acquire() as conn:
        schemas = await conn.fetchval(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE $1", f"{rm}%"
        )
    assert schemas == 1  # no shadow or old copy left behind


async def _rows(pool: asyncpg.Pool, schema: str, expected: dict[str, tuple[int, int]]) -> bool:
    try:
        async with pool.acquire() as conn:
            rows = await conn.fetch(f'SELECT thing_id, total, events FROM "{schema}".thing_totals')
    except asyncpg.UndefinedTableError:
        return False
    return {r["thing_id"]: (r["total"], r["events"]) for r in rows} == expected


class BatchTotals(SchemaTotals):
    """Counts batches in a table of its own in end_batch: the rebuild must run the hook too."""

    async def setup(self, conn) -> None:  # type: ignore[no-untyped-def]
        await super().setup(conn)
        await conn.execute("CREATE TABLE IF NOT EXISTS batch_marks (id int PRIMARY KEY, seen bigint NOT NULL)")

    async def end_batch(self, conn) -> None:  # type: ignore[no-untyped-def]
        await conn.execute(
            "INSERT INTO batch_marks VALUES (1, (SELECT sum(events) FROM thing_totals)) "
            "ON CONFLICT (id) DO UPDATE SET seen = excluded.seen"
        )


async def test_rebuild_runs_the_handlers_end_batch_and_copes_with_topics_not_written_yet(
    real_stack, pool: asyncpg.Pool, schema: str, topic_prefix: str
) -> None:
    rm = f"{schema}_rm"
    empty = await rebuild(BatchTotals(rm), pool=pool, bootstrap_servers=real_stack.bootstrap_servers,
                          topic_prefix=topic_prefix)
    assert empty.messages == 0
    await produce(real_stack.bootstrap_servers, topic_prefix + TOPIC, [envelope("x", n) for n in range(1, 11)])
    await rebuild(BatchTotals(rm), pool=pool, bootstrap_servers=real_stack.bootstrap_servers,
                  topic_prefix=topic_prefix)
    async with pool.acquire() as conn:
        assert await conn.fetchval(f'SELECT seen FROM "{rm}".batch_marks WHERE id = 1') == 10
