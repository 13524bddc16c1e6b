"""Rebuilding the read models from Kafka: identical tables (by checksum), queries answered throughout."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta

import httpx
import pytest

from kernel.replay import rebuild
from services.reporting.projections import read_models, table_checksums
from tests.unit.reporting.builders import article_2023_events, conferred

from .scenario import BASE_TIME, envelopes, everything
from .support import expected_counts, produce, wait_applied

pytestmark = pytest.mark.integration

QUERIES = {
    "award_stats": ["/summaries/2023", "/statistics/awards?year=2024&unit_id=u-vtdkt", "/reports/annual/2023"],
    "award_history": [
        "/people/p-003/awards", "/awards?year=2023&limit=10", "/units/u-vtdkt/awards?include_sub_units=true",
    ],
    "movements": ["/movements?year=2024", "/movements/pt-2024-vhcs", "/targets", "/pledges"],
    "unit_tree": ["/units?year=2024", "/units/tree?year=2023", "/units/u-vtccb/headcounts?from_year=2022&to_year=2024"],
}


async def checksums(pool, schema: str) -> dict[str, dict[str, tuple[str, int]]]:  # type: ignore[no-untyped-def]
    async with pool.acquire() as conn:
        return {
            name: await table_checksums(conn, model.live_schema, model.TABLES)
            for name, model in read_models(schema).items()
        }


@contextlib.asynccontextmanager
async def querying(client: httpx.AsyncClient, paths: list[str], workers: int = 3):  # type: ignore[no-untyped-def]
    """Query ``paths`` in a loop from several tasks; yields the list of answers (status, as_of.rebuilding)."""
    answers: list[tuple[str, int, bool]] = []
    stop = asyncio.Event()

    async def loop(offset: int) -> None:
        i = offset
        while not stop.is_set():
            path = paths[i % len(paths)]
            response = await client.get(path)
            body = response.json()
            as_of = body.get("as_of") or {}
            answers.append((path, response.status_code, bool(as_of.get("rebuilding"))))
            i += 1
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(loop(n)) for n in range(workers)]
    try:
        yield answers
    finally:
        stop.set()
        await asyncio.gather(*tasks)


async def test_a_rebuild_gives_identical_tables_and_queries_never_fail(
    reporting: httpx.AsyncClient, settings, real_stack  # type: ignore[no-untyped-def]
) -> None:
    events = everything() + envelopes(article_2023_events(), BASE_TIME + timedelta(hours=1))
    await produce(real_stack.bootstrap_servers, settings.topic_prefix, events)
    schema = settings.database_schema
    pool = reporting.service.pool
    await wait_applied(pool, schema, expected_counts(events, schema))
    live = await checksums(pool, schema)
    assert live["award_stats"]["counted"][1] == 15 + 548 and live["unit_tree"]["placements"][1] == 10
    before = (await reporting.get("/summaries/2023")).json()

    models = read_models(schema)
    for round_ in (1, 2):
        for name, model in models.items():
            async with querying(reporting, QUERIES[name] + ["/read-models"]) as answers:
                result = await rebuild(
                    model, pool=pool, bootstrap_servers=real_stack.bootstrap_servers,
                    topic_prefix=settings.topic_prefix, batch_size=50,
                )
                await asyncio.sleep(0.05)  # a few queries after the swap too
            assert result.messages == expected_counts(events, schema)[name]
            failed = [a for a in answers if a[1] != 200]
            assert not failed, f"round {round_}, {name}: {failed[:5]}"
            assert len(answers) >= 10
            if name == "award_stats" and round_ == 1:
                assert any(rebuilding for _, _, rebuilding in answers), "no answer saw the rebuild under way"
        assert await checksums(pool, schema) == live, f"round {round_}: the rebuilt tables differ"

    after = (await reporting.get("/summaries/2023")).json()
    assert {k: v for k, v in after.items() if k != "as_of"} == {k: v for k, v in before.items() if k != "as_of"}
    async with pool.acquire() as conn:
        left = await conn.fetchval(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE $1", f"{schema}_rm_%"
        )
    assert left == 4  # no shadow or old copy left behind


async def test_events_arriving_during_a_rebuild_are_applied_exactly_once(
    loaded: httpx.AsyncClient, settings, real_stack  # type: ignore[no-untyped-def]
) -> None:
    schema = settings.database_schema
    pool = loaded.service.pool
    model = read_models(schema)["award_stats"]
    late = envelopes(
        [conferred(f"a-24-late-{i:03d}", 2024, "CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", title=True)
         for i in range(60)],
        BASE_TIME + timedelta(days=1),
    )
    writer = asyncio.create_task(produce(real_stack.bootstrap_servers, settings.topic_prefix, late))
    await rebuild(model, pool=pool, bootstrap_servers=real_stack.bootstrap_servers,
                  topic_prefix=settings.topic_prefix, batch_size=5)
    await writer
    await wait_applied(pool, schema, {"award_stats": 15 + 60})
    summary = (await loaded.get("/summaries/2024")).json()
    cstd = next(i for i in summary["granted"] if i["award_code"] == "CSTD_BO")
    assert cstd["individuals"] == 2 + 60
    assert summary["as_of"]["events_applied"] == 75
    assert summary["as_of"]["last_event_at"] == (BASE_TIME + timedelta(days=1, seconds=59)).isoformat()
    live = await checksums(pool, schema)
    await rebuild(model, pool=pool, bootstrap_servers=real_stack.bootstrap_servers, topic_prefix=settings.topic_prefix)
    assert await checksums(pool, schema) == live


async def test_a_rebuild_through_the_api(loaded: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    pool = loaded.service.pool
    live = await checksums(pool, settings.database_schema)
    started = await loaded.post("/read-models/movements/rebuild")
    assert started.status_code == 202, started.text
    again = await loaded.post("/read-models/movements/rebuild")
    assert again.status_code == 409 and again.json()["code"] == "rebuild_running"
    for _ in range(300):
        job = (await loaded.get("/read-models/movements/rebuild")).json()
        if job["status"] != "running":
            break
        await asyncio.sleep(0.1)
    assert job["status"] == "done", job
    assert job["messages"] == 20 and job["progress"]["read"] == 20
    assert job["checksums"] == {t: s for t, (s, _n) in live["movements"].items()}
    assert await checksums(pool, settings.database_schema) == live
    listing = (await loaded.get("/read-models", params={"checksums": "true"})).json()["read_models"]
    movements = next(m for m in listing if m["read_model"] == "movements")
    assert movements["last_rebuild"]["status"] == "done" and movements["rows"]["targets"] == 3
    assert movements["checksums"] == job["checksums"]
