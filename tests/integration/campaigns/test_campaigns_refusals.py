"""Bad input through HTTP: the right status and code, and nothing written."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from tdkt_contracts.catalogue.campaigns import PLEDGE_2024_CLAUSES

from services.campaigns.app import build

from .support import campaigns_settings, event_count, ok, on, refused

pytestmark = pytest.mark.integration

MOVEMENT = "pt-van-hoa-cong-so-2024"
UNITS = ["u-vtdkt", "u-vtccb"]

PARTIES = [{"name": "Lãnh đạo Bộ Công Thương"}, {"name": "Công đoàn Bộ Công Thương"}]
SIGNATORIES = [
    {"full_name": "Nguyễn Hồng Diên", "position": "Bộ trưởng", "party": "Lãnh đạo Bộ Công Thương"},
    {"full_name": "Nguyễn Minh Huệ", "position": "Chủ tịch Công đoàn Bộ", "party": "Công đoàn Bộ Công Thương"},
]


def registration(unit_id: str = "u-vtdkt", **over: Any) -> dict[str, Any]:
    return {"movement_id": MOVEMENT, "unit_id": unit_id, "year": 2024, "collective_titles": ["TTLDXS"], **over}


def target(**over: Any) -> dict[str, Any]:
    return {"target_id": "ct-2024-van-hoa", "movement_id": MOVEMENT, "year": 2024,
            "metric": "units_graded_good_or_better", "threshold_percent": 100,
            "description": "100% các đơn vị hoàn thành tốt nhiệm vụ trở lên", "set_on": "2024-02-01", **over}


def pledge(**over: Any) -> dict[str, Any]:
    return {"pledge_id": "gu-2024", "title": "Giao ước thi đua năm 2024", "year": 2024, "parties": PARTIES,
            "clauses": PLEDGE_2024_CLAUSES, "signatories": SIGNATORIES, "signed_on": "2024-01-26", **over}


async def nothing_written(
    client: httpx.AsyncClient, call: Callable[[], Awaitable[httpx.Response]], status: int, code: str,
    stream_id: str | None = None,
) -> dict[str, Any]:
    """``call`` is refused with ``status``/``code`` and the event store is unchanged."""
    pool = client.service.pool  # type: ignore[attr-defined]
    before, stream_before = await event_count(pool), await event_count(pool, stream_id) if stream_id else 0
    body = refused(await call(), status, code)
    assert await event_count(pool) == before, f"{code}: something was written"
    if stream_id:
        assert await event_count(pool, stream_id) == stream_before
    return body


async def test_refusals_write_nothing(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build, campaigns_settings(settings))
    launched = ok(await client.post("/movements", json={
        "movement_id": MOVEMENT, "title": "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
        "launched_by": "bo", "kind": "chuyen_de", "scope": {"unit_ids": UNITS}, "period_start": "2024-01-01",
        "period_end": "2024-12-31", "criteria": "Thực hiện văn hóa công sở.", "launched_on": "2024-01-15",
    }), 201)
    assert launched["stream_version"] == 1

    # Late registration: the yearly deadline is 31 March (hạn đăng ký thi đua).
    late = await nothing_written(
        client, lambda: client.post("/registrations", json=registration(), headers=on("2024-04-01")),
        422, "registration_deadline_passed", f"{MOVEMENT}/u-vtdkt/2024")
    assert late["details"] == {"deadline": "2024-03-31", "today": "2024-04-01"}
    # Without the header the real date applies, long past 2024's deadline.
    await nothing_written(client, lambda: client.post("/registrations", json=registration()),
                          422, "registration_deadline_passed")

    # A unit outside the movement's scope.
    outside = await nothing_written(
        client, lambda: client.post("/registrations", json=registration("u-cuc-xnk"), headers=on("2024-02-01")),
        422, "unit_not_in_scope", f"{MOVEMENT}/u-cuc-xnk/2024")
    assert outside["details"]["unit_id"] == "u-cuc-xnk"
    await nothing_written(client, lambda: client.post("/targets", json=target(scope={"unit_ids": ["u-cuc-xnk"]})),
                          422, "unit_not_in_scope", "ct-2024-van-hoa")

    # A metric the service cannot compute.
    unknown = await nothing_written(client, lambda: client.post("/targets", json=target(metric="ty_le_sang_kien")),
                                    422, "unknown_metric", "ct-2024-van-hoa")
    assert "units_graded_good_or_better" in unknown["details"]["known"]

    # Pledges without parties or without clauses (giao ước).
    await nothing_written(client, lambda: client.post("/pledges", json=pledge(parties=[], signatories=[])),
                          422, "pledge_without_parties", "gu-2024")
    await nothing_written(client, lambda: client.post("/pledges", json=pledge(parties=PARTIES[:1])),
                          422, "pledge_without_parties", "gu-2024")
    await nothing_written(client, lambda: client.post("/pledges", json=pledge(clauses=[])),
                          422, "pledge_without_clauses", "gu-2024")

    # Shapes: an id made only of digits would take a year's stream; the path and body disagree.
    await nothing_written(client, lambda: client.post("/targets", json=target(target_id="2024")),
                          422, "invalid_request")
    await nothing_written(client, lambda: client.post(f"/movements/{MOVEMENT}/reviews", json={
        "movement_id": "khac", "kind": "interim", "reviewed_on": "2024-06-30", "summary": "Sơ kết 6 tháng"}),
        422, "path_body_mismatch", MOVEMENT)
    # Ids are one namespace: a pledge cannot take the movement's id.
    await nothing_written(client, lambda: client.post("/pledges", json=pledge(pledge_id=MOVEMENT)),
                          409, "id_in_use", MOVEMENT)
    # A stale If-Match.
    stale = await nothing_written(client, lambda: client.post(f"/movements/{MOVEMENT}/reviews", json={
        "movement_id": MOVEMENT, "kind": "interim", "reviewed_on": "2024-06-30", "summary": "Sơ kết 6 tháng"},
        headers={"If-Match": '"7"'}), 409, "concurrency_conflict", MOVEMENT)
    assert stale["details"] == {"stream_id": MOVEMENT, "expected": 7, "actual": 1}
    await nothing_written(client, lambda: client.get("/targets/khong-co"), 404, "target_not_found")

    # What is accepted before the close.
    ok(await client.post("/registrations", json=registration(), headers=on("2024-03-31")), 201)
    ok(await client.post("/targets", json=target()), 201)
    ok(await client.post("/pledges", json=pledge(movement_id=MOVEMENT)), 201)

    closed = ok(await client.post(f"/movements/{MOVEMENT}/close", json={
        "movement_id": MOVEMENT, "closed_on": "2024-12-31"}, headers={"If-Match": '"1"'}))
    assert [(e["type"], e["stream_id"]) for e in closed["events"]] == [
        ("vn.tdkt.campaigns.movement.closed", MOVEMENT),
        ("vn.tdkt.campaigns.target.missed", "ct-2024-van-hoa"),  # nothing to count: missed, share null
    ]
    outcome = ok(await client.get("/targets/ct-2024-van-hoa"))
    assert (outcome["outcome"], outcome["numerator"], outcome["denominator"], outcome["share_percent"]) == (
        "missed", 0, 0, None)

    # Every command on the closed movement, or on what belongs to it.
    for call, stream in [
        (lambda: client.post(f"/movements/{MOVEMENT}/reviews", json={
            "movement_id": MOVEMENT, "kind": "final", "reviewed_on": "2024-12-31", "summary": "Tổng kết"}), MOVEMENT),
        (lambda: client.patch(f"/movements/{MOVEMENT}", json={
            "movement_id": MOVEMENT, "amended_on": "2024-12-31", "reason": "Gia hạn", "period_end": "2025-06-30"}),
         MOVEMENT),
        (lambda: client.post(f"/movements/{MOVEMENT}/close", json={"movement_id": MOVEMENT, "closed_on": "2025-01-01"}),
         MOVEMENT),
        (lambda: client.post("/registrations", json=registration("u-vtccb"), headers=on("2024-03-01")),
         f"{MOVEMENT}/u-vtccb/2024"),
        (lambda: client.post(f"/registrations/{MOVEMENT}/u-vtdkt/2024/withdraw", json={
            "movement_id": MOVEMENT, "unit_id": "u-vtdkt", "year": 2024}, headers=on("2024-12-31")),
         f"{MOVEMENT}/u-vtdkt/2024"),
        (lambda: client.post("/targets", json=target(target_id="ct-2024-khac")), "ct-2024-khac"),
        (lambda: client.post("/pledges", json=pledge(pledge_id="gu-2024-khac", movement_id=MOVEMENT)), "gu-2024-khac"),
        (lambda: client.post("/pledges/gu-2024/reviews", json={
            "pledge_id": "gu-2024", "kind": "final", "reviewed_on": "2024-12-31",
            "assessments": [{"clause_number": n, "result": "achieved"} for n in range(1, 6)]}), "gu-2024"),
    ]:
        await nothing_written(client, call, 422, "movement_closed", stream)

    dashboard = ok(await client.get(f"/movements/{MOVEMENT}/dashboard"))
    assert dashboard["status"] == "closed" and dashboard["registration_summary"]["units_registered"] == 1


async def test_the_today_header_is_refused_unless_allowed(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build, settings)  # plain kernel settings: production defaults
    body = await nothing_written(client, lambda: client.post("/years/2024/close", headers=on("2025-01-10")),
                                 403, "today_header_not_allowed")
    assert "TDKT_ALLOW_TODAY_HEADER" in body["message"]
    # Without the header the service's own date applies (2024 is over by now).
    closed = ok(await client.post("/years/2024/close"))
    assert [e["type"] for e in closed["events"]] == ["vn.tdkt.campaigns.year.closed"]


async def test_racing_commands_are_serialised(settings, start_service) -> None:  # type: ignore[no-untyped-def]
    """Two closes of one year, two registrations of one unit: one wins, the other is told why."""
    client = await start_service(build, campaigns_settings(settings))
    ok(await client.post("/movements", json={
        "movement_id": MOVEMENT, "title": "Thi đua văn hóa công sở", "launched_by": "bo", "kind": "chuyen_de",
        "scope": {"unit_ids": UNITS}, "period_start": "2024-01-01", "period_end": "2024-12-31",
        "criteria": "Thực hiện văn hóa công sở.", "launched_on": "2024-01-15"}), 201)
    for n in range(3):
        ok(await client.post("/targets", json=target(target_id=f"ct-2024-{n}", movement_id=None, scope=None)), 201)

    first, second = await asyncio.gather(
        client.post("/registrations", json=registration(), headers=on("2024-03-01")),
        client.post("/registrations", json=registration(), headers=on("2024-03-01")),
    )
    assert sorted([first.status_code, second.status_code]) == [201, 409]
    assert {first.json().get("code"), second.json().get("code")} >= {"registration_exists"}
    assert await event_count(client.service.pool, f"{MOVEMENT}/u-vtdkt/2024") == 1

    closes = await asyncio.gather(*[client.post("/years/2024/close", headers=on("2025-01-10")) for _ in range(3)])
    assert sorted(r.status_code for r in closes) == [200, 409, 409]
    assert await event_count(client.service.pool, "2024") == 1
    for n in range(3):
        assert await event_count(client.service.pool, f"ct-2024-{n}") == 2  # set, then missed: once
