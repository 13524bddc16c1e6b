"""Races between commands keep the rules, and the query tables equal a fold of the events."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from services.units.projections import rebuild

from .support import enrol, ministry, ok

pytestmark = pytest.mark.integration


async def test_two_concurrent_moves_cannot_make_a_cycle(client: httpx.AsyncClient) -> None:
    await ministry(client)
    for _ in range(5):
        a, b = await asyncio.gather(
            client.post("/units/move", json={"unit_id": "u-vtccb", "parent_id": "u-vtdkt",
                                             "effective_on": "2024-01-01"}),
            client.post("/units/move", json={"unit_id": "u-vtdkt", "parent_id": "u-vtccb",
                                             "effective_on": "2024-01-01"}),
        )
        statuses = sorted([a.status_code, b.status_code])
        assert statuses == [200, 422], (a.text, b.text)
        refused = a if a.status_code == 422 else b
        assert refused.json()["code"] == "move_creates_cycle"
        # Back to where they were, for the next round.
        moved = "u-vtccb" if a.status_code == 200 else "u-vtdkt"
        await ok(client, "/units/move", {"unit_id": moved, "parent_id": "u-bct", "effective_on": "2024-01-01"})


async def test_concurrent_enrolments_of_one_id(client: httpx.AsyncClient) -> None:
    await ministry(client)
    answers = await asyncio.gather(*(
        client.post("/people", json=enrol("p-1", unit, "Nguyễn Thị Hương"))
        for unit in ("u-vtccb", "u-vtdkt", "u-cuc", "u-phong")
    ))
    assert sorted(a.status_code for a in answers) == [201, 409, 409, 409]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"person_exists"}


async def test_enrolment_racing_a_dissolution(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await ok(client, "/units", {"unit_id": "u-tt", "code": "TT", "name": "Trung tâm Tin học", "kind": "trung_tam",
                                "parent_id": "u-bct", "effective_on": "2020-01-01"}, 201)
    enrolled, dissolved = await asyncio.gather(
        client.post("/people", json=enrol("p-1", "u-tt", "Lê Văn Tám", sex="male", joined="2021-01-01")),
        client.post("/units/dissolve", json={"unit_id": "u-tt", "effective_on": "2024-01-01"}),
    )
    # Either order is fine, but never both: a dissolved unit with a person in it.
    assert sorted([enrolled.status_code, dissolved.status_code]) in ([200, 409], [201, 409]), (
        enrolled.text, dissolved.text)


async def tables(client: httpx.AsyncClient) -> dict[str, list[dict[str, Any]]]:
    out = {}
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        for table, key in [("unit_states", "unit_id"), ("person_states", "person_id"),
                           ("person_grades", "person_id, year"), ("initiatives", "initiative_id")]:
            out[table] = [dict(r) for r in await conn.fetch(f"SELECT * FROM {table} ORDER BY {key}")]
    return out


async def test_query_tables_can_be_rebuilt_from_the_events(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await ok(client, "/people", enrol("p-1", "u-vtdkt", "Nguyễn Thị Hương"), 201)
    await ok(client, "/people", enrol("p-2", "u-vtccb", "Trần Văn Minh", sex="male"), 201)
    await ok(client, "/people/transfer", {"person_id": "p-2", "to_unit_id": "u-cuc", "effective_on": "2022-01-01"})
    await ok(client, "/evaluations", {"subject": "person", "subject_id": "p-1", "year": 2023, "grade": "HTT"})
    await ok(client, "/evaluations/corrections", {"subject": "person", "subject_id": "p-1", "year": 2023,
                                                  "grade": "HTXS", "reason": "Bổ sung thành tích"})
    await ok(client, "/units/merge", {"unit_id": "u-vtdkt", "into_unit_id": "u-vtccb", "effective_on": "2024-01-01"})
    await ok(client, "/initiatives", {"initiative_id": "sk-1", "kind": "sang_kien", "level": "co_so", "year": 2023,
                                      "title": "Cải tiến quy trình xét khen thưởng", "decision_number": "3/QĐ",
                                      "decided_on": "2023-12-20", "author_ids": ["p-1", "p-2"],
                                      "unit_id": "u-vtdkt"})
    live = await tables(client)
    async with client.service.pool.acquire() as conn, conn.transaction():  # type: ignore[attr-defined]
        folded = await rebuild(conn)
    assert folded == 14  # each enrolment is two events: the public enrolment and the internal profile
    assert await tables(client) == live
    assert live["person_states"][1]["unit_ids"] == ["u-cuc", "u-vtccb"]
