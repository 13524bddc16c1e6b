"""Target progress follows the units context's events arriving over Kafka; closing the
year makes the targets final with the right numbers."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from tdkt_contracts.catalogue import units as u

from services.campaigns.app import build
from tests.integration.kernel.support import consume, wait_until

from .support import (
    CAMPAIGNS_TOPIC,
    UnitsPublisher,
    by_type,
    campaigns_settings,
    data_of,
    event_count,
    headers_of,
    ok,
    on,
    person,
    person_grade,
    unit,
    unit_grade,
)

pytestmark = pytest.mark.integration

UNION = "cong-doan-bct-2024"
UNITS_TARGET, STAFF_TARGET, TRAINING_TARGET = "ct-2024-don-vi-htt", "ct-2024-cbccvc-htt", "ct-2024-hoc-tap"
DEPARTMENTS = {"u-vtdkt": "Vụ Thi đua – Khen thưởng", "u-vtccb": "Vụ Tổ chức cán bộ", "u-vp": "Văn phòng Bộ"}
PEOPLE = [(f"p-{n:03d}", unit_id) for n, unit_id in enumerate(["u-vtdkt"] * 8 + ["u-vtccb"] * 7 + ["u-vp"] * 5)]


def training(unit_id: str, completed: int, headcount: int) -> dict[str, Any]:
    """A 2024 training report on the political-theory training of the union's target."""
    return {"unit_id": unit_id, "year": 2024, "training_code": "chinh-tri-2024", "completed": completed,
            "headcount": headcount}


async def _setup_movement_and_targets(client: httpx.AsyncClient) -> None:
    ok(await client.post("/movements", json={
        "movement_id": UNION, "title": "Thi đua hoàn thành xuất sắc nhiệm vụ năm 2024", "launched_by": "cong_doan_bo",
        "kind": "thuong_xuyen", "scope": {"all_units": True}, "period_start": "2024-01-01",
        "period_end": "2024-12-31", "criteria": "Hoàn thành tốt nhiệm vụ trở lên.", "launched_on": "2024-01-26",
    }), 201)
    for target_id, metric, threshold, extra in [
        (UNITS_TARGET, "units_graded_good_or_better", 100, {}),
        (STAFF_TARGET, "staff_graded_good_or_better", 95, {}),
        (TRAINING_TARGET, "staff_training_completed", 100, {"training_code": "chinh-tri-2024"}),
    ]:
        ok(await client.post("/targets", json={
            "target_id": target_id, "movement_id": UNION, "year": 2024, "metric": metric,
            "threshold_percent": threshold, "description": f"Chỉ tiêu {threshold}%", "set_on": "2024-01-26", **extra,
        }), 201)


async def _numbers(client: httpx.AsyncClient, target_id: str) -> tuple[Any, Any, Any]:
    body = ok(await client.get(f"/targets/{target_id}"))
    return body["numerator"], body["denominator"], body["on_track"]


async def _until_numbers(client: httpx.AsyncClient, target_id: str, expected: tuple[Any, Any, Any]) -> None:
    async def reached() -> bool:
        return await _numbers(client, target_id) == expected

    try:
        await wait_until(reached, timeout=30)
    except AssertionError:
        raise AssertionError(f"{target_id}: {await _numbers(client, target_id)} != {expected}") from None


async def _progressed(client: httpx.AsyncClient, target_id: str) -> list[int]:
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        rows = await conn.fetch(
            "SELECT stream_version FROM events WHERE stream_id = $1 AND event_type LIKE '%target.progressed'",
            target_id,
        )
    return [r["stream_version"] for r in rows]


async def test_progress_follows_units_events_and_closing_the_year_decides(  # type: ignore[no-untyped-def]
    settings, start_service, real_stack
) -> None:
    client = await start_service(build, campaigns_settings(settings))
    await _setup_movement_and_targets(client)

    async with UnitsPublisher(real_stack.bootstrap_servers, settings.topic_prefix) as units:
        # The ministry at the top, three departments under it (đơn vị thuộc Bộ), 20 people.
        await units.publish(
            unit("u-bct", "Bộ Công Thương", parent_id=None, kind="bo", effective_on=date(2007, 8, 1)),
            *[unit(unit_id, name, parent_id="u-bct") for unit_id, name in DEPARTMENTS.items()],
            *[person(person_id, unit_id, f"Nguyễn Văn {n}") for n, (person_id, unit_id) in enumerate(PEOPLE)],
        )
        # Nobody graded yet: 0 of 3 units, 0 of 20 people.
        await _until_numbers(client, UNITS_TARGET, (0, 3, False))
        await _until_numbers(client, STAFF_TARGET, (0, 20, False))

        # The 2024 grades: two departments HTT or better, one HT; 19 people HTT+, one HT.
        graded = await units.publish(
            unit_grade("u-vtdkt", 2024, "HTXS"), unit_grade("u-vtccb", 2024, "HTT"), unit_grade("u-vp", 2024, "HT"),
            *[person_grade(pid, uid, 2024, "HT" if pid == "p-019" else ("HTXS" if n % 4 == 0 else "HTT"))
              for n, (pid, uid) in enumerate(PEOPLE)],
            correlation_id="xep-loai-2024",
        )
        await _until_numbers(client, UNITS_TARGET, (2, 3, False))
        await _until_numbers(client, STAFF_TARGET, (19, 20, True))  # 95% exactly: on track

        # Training reports come through the API; the training target moves in the same transaction.
        first = ok(await client.post("/training-reports", headers=on("2024-12-15"), json=training("u-vtdkt", 8, 8)),
                   201)
        assert [e["type"] for e in first["events"]] == [
            "vn.tdkt.campaigns.training.reported", "vn.tdkt.campaigns.target.progressed"]
        ok(await client.post("/training-reports", headers=on("2024-12-15"), json=training("u-vtccb", 7, 7)), 201)
        ok(await client.post("/training-reports", headers=on("2024-12-16"), json=training("u-vp", 4, 5)), 201)
        assert await _numbers(client, TRAINING_TARGET) == (19, 20, False)
        again = ok(await client.post("/training-reports", headers=on("2024-12-16"), json=training("u-vp", 4, 5)))
        assert again["events"] == [] and not again["created"]  # same numbers: nothing to record
        replaced = await client.post("/training-reports", headers=on("2024-12-20"), json=training("u-vp", 5, 5))
        assert replaced.status_code == 200 and replaced.json()["stream_version"] == 2
        assert await _numbers(client, TRAINING_TARGET) == (20, 20, True)

        # Corrections: Văn phòng Bộ's grade goes up to HTT, one person's goes down to HT.
        before = await _progressed(client, STAFF_TARGET)
        await units.publish(
            u.UnitEvaluationCorrected(unit_id="u-vp", year=2024, grade="HTT", previous_grade="HT",
                                      reason="Kết quả phúc tra xếp loại chất lượng tập thể"),
            u.PersonEvaluationCorrected(person_id="p-001", year=2024, grade="HT", previous_grade="HTT",
                                        unit_id="u-vtdkt", reason="Bị kỷ luật khiển trách trong năm 2024"),
        )
        await _until_numbers(client, UNITS_TARGET, (3, 3, True))
        await _until_numbers(client, STAFF_TARGET, (18, 20, False))
        assert len(await _progressed(client, STAFF_TARGET)) == len(before) + 1

        # A person leaving in 2025 changes nothing for 2024 (still on the staff on 31 December 2024).
        left = await units.publish(u.PersonLeft(person_id="p-002", unit_id="u-vtdkt", reason="nghi_huu",
                                                effective_on=date(2025, 3, 1)))

        async def left_recorded() -> bool:
            async with client.service.pool.acquire() as conn:
                return bool(await conn.fetchval("SELECT count(*) FROM units_replica_facts WHERE event_id = $1",
                                                left[0].id))

        await wait_until(left_recorded)
        assert await _numbers(client, STAFF_TARGET) == (18, 20, False)

    # -- the year closes: every open target of 2024 becomes final ------------------------
    early = await client.post("/years/2024/close", headers=on("2024-12-31"))
    assert early.status_code == 422 and early.json()["code"] == "year_not_over"
    closed = ok(await client.post("/years/2024/close", headers=on("2025-01-10")))
    assert closed["stream_id"] == "2024" and closed["stream_version"] == 1
    assert [(e["type"], e["stream_id"]) for e in closed["events"]] == [
        ("vn.tdkt.campaigns.year.closed", "2024"),
        ("vn.tdkt.campaigns.target.missed", STAFF_TARGET),  # targets in id order
        ("vn.tdkt.campaigns.target.met", UNITS_TARGET),
        ("vn.tdkt.campaigns.target.met", TRAINING_TARGET),
    ]
    staff = ok(await client.get(f"/targets/{STAFF_TARGET}"))
    assert (staff["outcome"], staff["numerator"], staff["denominator"], staff["decided_on"]) == (
        "missed", 18, 20, "2025-01-10")
    again = await client.post("/years/2024/close", headers=on("2025-01-11"))
    assert again.status_code == 409 and again.json()["code"] == "year_already_closed"

    # Final is final: a late correction is recorded in the replica but moves no target.
    versions = {t: await event_count(client.service.pool, t) for t in (UNITS_TARGET, STAFF_TARGET, TRAINING_TARGET)}
    async with UnitsPublisher(real_stack.bootstrap_servers, settings.topic_prefix) as late_units:
        late = await late_units.publish(u.UnitEvaluationCorrected(
            unit_id="u-vtccb", year=2024, grade="HT", previous_grade="HTT", reason="Phúc tra sau khi tổng kết"))

    async def late_recorded() -> bool:
        async with client.service.pool.acquire() as conn:
            return bool(await conn.fetchval("SELECT count(*) FROM units_replica_facts WHERE event_id = $1",
                                            late[0].id))

    await wait_until(late_recorded)
    assert {t: await event_count(client.service.pool, t) for t in versions} == versions

    # -- Kafka: progress and outcomes, caused by the units events -------------------------
    async with client.service.pool.acquire() as conn:
        total = await conn.fetchval("SELECT count(*) FROM events")
    records = await consume(real_stack.bootstrap_servers, [settings.topic_prefix + CAMPAIGNS_TOPIC], total)
    assert len(records) == total == await event_count(client.service.pool)

    progressed = by_type(records, "vn.tdkt.campaigns.target.progressed")
    staff_numbers = [(data_of(r)["numerator"], data_of(r)["denominator"]) for r in progressed
                     if r.key.decode() == STAFF_TARGET]
    # Intermediate numbers depend on how Kafka batched the events; these do not.
    assert (0, 20) in staff_numbers and (19, 20) in staff_numbers and staff_numbers[-1] == (18, 20)
    assert all(a != b for a, b in zip(staff_numbers, staff_numbers[1:], strict=False))  # published only on a change
    units_ids = {str(e.id) for e in units.sent}
    for record in progressed:
        headers = headers_of(record)
        if record.key.decode() != TRAINING_TARGET:
            assert headers["ce_causationid"] in units_ids  # the policy names the units event that moved it
    graded_ids = {str(e.id) for e in graded}
    assert any(headers_of(r).get("ce_correlationid") == "xep-loai-2024" and headers_of(r)["ce_causationid"]
               in graded_ids for r in progressed)
    on_track = [data_of(r) for r in progressed if r.key.decode() == STAFF_TARGET and data_of(r)["numerator"] == 19]
    assert on_track and on_track[0]["share_percent"] == 95.0 and on_track[0]["on_track"] is True

    outcomes = {r.key.decode(): (headers_of(r)["ce_type"], data_of(r)) for r in records
                if headers_of(r)["ce_type"] in ("vn.tdkt.campaigns.target.met", "vn.tdkt.campaigns.target.missed")}
    assert {k: (t.rsplit(".", 1)[1], d["numerator"], d["denominator"], d["threshold_percent"], d["closed_by"])
            for k, (t, d) in outcomes.items()} == {
        UNITS_TARGET: ("met", 3, 3, 100.0, "year_closed"),
        STAFF_TARGET: ("missed", 18, 20, 95.0, "year_closed"),
        TRAINING_TARGET: ("met", 20, 20, 100.0, "year_closed"),
    }
    assert outcomes[STAFF_TARGET][1]["share_percent"] == 90.0
    assert outcomes[STAFF_TARGET][1]["decided_on"] == "2025-01-10"


async def test_the_replica_is_reloaded_from_its_table_at_start(  # type: ignore[no-untyped-def]
    settings, start_service, real_stack
) -> None:
    """A second instance (or a restart) starts with the facts the first one recorded:
    a target set there gets its numbers at once."""
    first = await start_service(build, campaigns_settings(settings))
    async with UnitsPublisher(real_stack.bootstrap_servers, settings.topic_prefix) as units:
        await units.publish(
            unit("u-bct", "Bộ Công Thương", parent_id=None, kind="bo"),
            *[unit(unit_id, name, parent_id="u-bct") for unit_id, name in DEPARTMENTS.items()],
            unit_grade("u-vtdkt", 2024, "HTT"),
        )

    async def all_recorded() -> bool:
        async with first.service.pool.acquire() as conn:
            return await conn.fetchval("SELECT count(*) FROM units_replica_facts") == 5

    await wait_until(all_recorded)

    second = await start_service(build, campaigns_settings(settings))
    assert second.service is not first.service
    body = ok(await second.post("/targets", json={
        "target_id": "ct-2024-nam", "year": 2024, "metric": "units_graded_good_or_better", "threshold_percent": 100,
        "description": "100% các đơn vị thuộc Bộ hoàn thành tốt nhiệm vụ trở lên", "set_on": "2024-01-26",
    }), 201)
    assert [e["type"] for e in body["events"]] == [
        "vn.tdkt.campaigns.target.set", "vn.tdkt.campaigns.target.progressed"]
    assert await _numbers(second, "ct-2024-nam") == (1, 3, False)


async def test_a_bad_units_event_is_dead_lettered_and_the_rest_counts(  # type: ignore[no-untyped-def]
    settings, start_service, real_stack
) -> None:
    """One malformed grade among good facts: it goes to the dead-letter topic after its
    retries; the batch's other facts are recorded once and move the target."""
    client = await start_service(build, campaigns_settings(settings))
    ok(await client.post("/targets", json={
        "target_id": "ct-2024-don-vi", "year": 2024, "metric": "units_graded_good_or_better", "threshold_percent": 100,
        "description": "100% các đơn vị hoàn thành tốt nhiệm vụ trở lên", "set_on": "2024-01-26"}), 201)
    async with UnitsPublisher(real_stack.bootstrap_servers, settings.topic_prefix) as units:
        await units.publish(
            unit("u-bct", "Bộ Công Thương", parent_id=None, kind="bo"),
            *[unit(unit_id, name, parent_id="u-bct") for unit_id, name in DEPARTMENTS.items()],
            unit_grade("u-vtdkt", 2024, "HTT"),
        )
        bad = await units.publish_raw("vn.tdkt.units.unit.evaluation-recorded", "u-vtccb",
                                      {"unit_id": "u-vtccb", "year": 2024, "grade": "GIOI"})
        await units.publish(unit_grade("u-vp", 2024, "HTXS"))
    await _until_numbers(client, "ct-2024-don-vi", (2, 3, False))

    async with client.service.pool.acquire() as conn:
        dead = await conn.fetch("SELECT event_id, error FROM dead_letters")
        facts = await conn.fetchval("SELECT count(*) FROM units_replica_facts")
    assert [row["event_id"] for row in dead] == [str(bad.id)]
    assert "grade" in dead[0]["error"]
    assert facts == 6  # four units, two good grades: each once, though the batch was redone
