"""Bad requests get clear 4xx answers; re-delivered events change nothing."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from .support import (
    Publisher,
    confer,
    criterion,
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
from ..kernel.support import wait_until

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"


async def refused(client: httpx.AsyncClient, path: str, status: int, error: str, **params: object) -> dict:
    """GET that must be refused with ``status`` and the stable ``error`` code; the body."""
    response = await client.get(path, params=params)
    assert response.status_code == status, (path, params, response.text)
    body = response.json()
    assert body["code"] == error, body
    assert body["message"] and isinstance(body["details"], dict)
    return body


async def test_unknown_award_year_candidate_and_kind_are_named(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
                       enrol("p-an", "Nguyễn Văn An", VTCCB))
    await eventually(client, "/assessments", lambda a: True, code="LDTT", year=2024, person_id="p-an")

    body = await refused(client, "/assessments", 404, "unknown_award", code="CSTD_XYZ", year=2024, person_id="p-an")
    assert "CSTD_XYZ" in body["message"] and body["details"]["award_code"] == "CSTD_XYZ"
    # The award is checked first: an unknown award is reported as such whoever the candidate is.
    await refused(client, "/assessments", 404, "unknown_award", code="CSTD_XYZ", year=2024, person_id="p-nobody")

    body = await refused(client, "/assessments", 422, "no_rule_for_year", code="CSTDCS", year=2010, person_id="p-an")
    assert "2010" in body["message"] and body["details"]["windows"]
    body = await refused(client, "/assessments", 404, "candidate_not_found", code="CSTDCS", year=2024,
                         person_id="p-nobody")
    assert "p-nobody" in body["message"] and body["details"] == {"person_id": "p-nobody"}
    body = await refused(client, "/assessments", 404, "candidate_not_found", code="TTLDTT", year=2024,
                         unit_id="u-nowhere")
    assert "u-nowhere" in body["message"]

    body = await refused(client, "/assessments", 422, "wrong_recipient_kind", code="TTLDTT", year=2024,
                         person_id="p-an")
    assert body["details"]["allowed"] == ["collective"]
    await refused(client, "/assessments", 422, "wrong_recipient_kind", code="CSTDCS", year=2024, unit_id=VTCCB)
    await refused(client, "/assessments", 422, "invalid_candidate", code="CSTDCS", year=2024)
    await refused(client, "/assessments", 422, "invalid_candidate", code="CSTDCS", year=2024, person_id="p-an",
                  unit_id=VTCCB)
    body = await refused(client, "/assessments", 422, "invalid_request", code="CSTDCS", year=1800, person_id="p-an")
    assert "year" in body["message"]

    body = await refused(client, "/units/u-nowhere/assessments", 404, "unit_not_found", code="CSTDCS", year=2024)
    assert "u-nowhere" in body["message"]
    await refused(client, f"/units/{VTCCB}/assessments", 404, "unknown_award", code="NOPE", year=2024)
    await refused(client, f"/units/{VTCCB}/assessments", 422, "no_rule_for_year", code="CSTDCS", year=2016)
    await refused(client, f"/units/{VTCCB}/assessments", 422, "wrong_recipient_kind", code="CSTDCS", year=2024,
                  recipient_kind="collective")
    await refused(client, "/forecasts", 404, "unit_not_found", code="CSTD_BO", year=2025, unit_id="u-nowhere")
    await refused(client, "/forecasts", 404, "unknown_award", code="NOPE", year=2025)
    await refused(client, "/catalogue/NOPE", 404, "unknown_award")


async def test_redelivered_events_change_nothing(client: httpx.AsyncClient, publish: Publisher) -> None:
    sent = await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-hai", "Ngô Văn Hải", VTCCB),
        enrol("p-lan", "Lê Thị Lan", VTCCB, sex="female"),
        grade("p-hai", 2025, "HTXS", VTCCB),
        grade("p-lan", 2025, "HTT", VTCCB),
        unit_grade(VTCCB, 2025, "HTT"),
        initiative("sk-bo-2024-hai", 2024, ["p-hai"], VTCCB, level="bo"),
        registration(VTCCB, 2025, {"p-hai": ["CSTD_BO"]}),
        discipline("p-lan", "kl-2025-001", "khien_trach", date(2025, 2, 1), date(2026, 1, 31)),
    )
    for year in (2023, 2024, 2025):
        await confer(client, f"a-{year}-cstdcs-hai", "CSTDCS", year, "p-hai", "Ngô Văn Hải", unit_id=VTCCB)
    for person_id, name in (("p-hai", "Ngô Văn Hải"), ("p-lan", "Lê Thị Lan")):
        await confer(client, f"a-2025-ldtt-{person_id}", "LDTT", 2025, person_id, name, unit_id=VTCCB)

    async def snapshot() -> tuple[dict, dict]:
        person = await get_ok(client, "/assessments", code="CSTD_BO", year=2025, person_id="p-hai")
        collective = await get_ok(client, "/assessments", code="TTLDTT", year=2025, unit_id=VTCCB)
        return person, collective

    await eventually(client, "/assessments", lambda a: a["outcome"] == "eligible", code="CSTD_BO", year=2025,
                     person_id="p-hai")
    await eventually(client, "/assessments", lambda a: a["outcome"] == "eligible", code="TTLDTT", year=2025,
                     unit_id=VTCCB)
    before = await snapshot()
    assert criterion(before[0], "initiative")["facts_used"]["usable"] == ["sk-bo-2024-hai"]
    assert criterion(before[0], "registration")["facts_used"]["registered"] == ["CSTD_BO"]
    assert criterion(before[1], "ldtt_share")["facts_used"] == {
        "year": 2025, "member_count": 2, "with_title": 2, "share": 1.0
    }

    # The relays re-send everything after a crash (same ce_id, new offsets), and a careless producer
    # re-publishes some facts under new ids.
    await publish.resend(*sent)
    await publish.send(
        enrol("p-lan", "Lê Thị Lan", VTCCB, sex="female"),
        initiative("sk-bo-2024-hai", 2024, ["p-hai", "p-hai"], VTCCB, level="bo"),
        discipline("p-lan", "kl-2025-001", "khien_trach", date(2025, 2, 1), date(2026, 1, 31)),
    )
    units_total, campaigns_total = 2 * 8 + 3, 2 * 1

    async def all_consumed() -> bool:
        consumers = (await get_ok(client, "/health"))["consumers"]
        seen = {name: c["applied"] + c["duplicates"] for name, c in consumers.items()}
        return seen == {"awards-units-replica": units_total, "awards-campaigns-replica": campaigns_total}

    await wait_until(all_consumed)
    after = await snapshot()
    assert after == before

    health = await get_ok(client, "/health")
    consumers = health["consumers"]
    assert consumers["awards-units-replica"]["duplicates"] == 8  # the kernel skipped the re-sent ones
    assert consumers["awards-campaigns-replica"]["duplicates"] == 1
    assert all(c["dead_letters"] == 0 for c in consumers.values())
