"""The local tables can be rebuilt — replicas from Kafka, history from the event store — with the same answers."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from kernel.replay import rebuild
from services.awards.projections import rebuild_history, record_conferred
from tdkt_contracts.catalogue.awards import Recipient, TitleConferred

from .support import (
    Publisher,
    confer,
    discipline,
    enrol,
    eventually,
    get_ok,
    grade,
    initiative,
    registration,
    unit,
    unit_grade,
)

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"
QUERIES = (
    ("/assessments", {"code": "CSTD_BO", "year": 2025, "person_id": "p-hai"}),
    ("/assessments", {"code": "TTLDTT", "year": 2025, "unit_id": VTCCB}),
    ("/assessments", {"code": "KNC_CT", "year": 2025, "person_id": "p-lan"}),
    (f"/units/{VTCCB}/assessments", {"code": "CSTDCS", "year": 2025, "detail": "full"}),
    ("/forecasts", {"code": "CSTD_BO", "year": 2026, "max_unmet": 2}),
)


async def answers(client: httpx.AsyncClient) -> list[dict]:
    return [await get_ok(client, path, **params) for path, params in QUERIES]


async def test_rebuilt_tables_give_the_same_answers(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-hai", "Ngô Văn Hải", VTCCB),
        enrol("p-lan", "Lê Thị Lan", VTCCB, sex="female", joined=date(2009, 1, 1)),
        grade("p-hai", 2025, "HTXS", VTCCB),
        grade("p-lan", 2025, "HTT", VTCCB),
        unit_grade(VTCCB, 2025, "HTT"),
        initiative("sk-bo-2024-hai", 2024, ["p-hai"], VTCCB, level="bo"),
        registration(VTCCB, 2025, {"p-hai": ["CSTD_BO"]}),
        discipline("p-lan", "kl-2025-001", "khien_trach", date(2025, 2, 1), date(2026, 1, 31)),
    )
    await publish.settled(client)
    for year in (2023, 2024, 2025):
        await confer(client, f"a-{year}-cstdcs-hai", "CSTDCS", year, "p-hai", "Ngô Văn Hải", unit_id=VTCCB)
    await confer(client, "a-2025-ldtt-hai", "LDTT", 2025, "p-hai", "Ngô Văn Hải", unit_id=VTCCB)
    await eventually(client, "/assessments", lambda a: a["outcome"] == "eligible", code="CSTD_BO", year=2025,
                     person_id="p-hai")
    await eventually(client, "/assessments", lambda a: a["criteria"][1]["facts_used"].get("member_count") == 2,
                     code="TTLDTT", year=2025, unit_id=VTCCB)
    before = await answers(client)

    service = client.service  # type: ignore[attr-defined]
    for handler in service.handlers:
        result = await rebuild(handler, pool=service.pool, bootstrap_servers=real_stack.bootstrap_servers,
                               topic_prefix=topic_prefix)
        assert result.messages >= 1
    assert await answers(client) == before  # the live service answers from the swapped-in copies

    async with service.pool.acquire() as conn, conn.transaction():
        assert await rebuild_history(conn, service.store) == 4
    assert await answers(client) == before

    # Recording the same decision again (a retried command) changes nothing.
    again = TitleConferred(
        award_id="a-2025-ldtt-hai", year=2025, award_code="LDTT", award_name="Lao động tiên tiến", category="merit",
        recipient=Recipient(candidate_id="c-1", recipient_kind="individual", subject_id="p-hai",
                            display_name="Ngô Văn Hải", unit_id=VTCCB),
        authority="unit_head", conferred_by_ministry=True, decision_number="125/QĐ-BCT",
        decision_date=date(2025, 12, 28),
    )
    async with service.pool.acquire() as conn, conn.transaction():
        await record_conferred(conn, again)
        assert await conn.fetchval("SELECT count(*) FROM held_awards") == 4
    assert await answers(client) == before
