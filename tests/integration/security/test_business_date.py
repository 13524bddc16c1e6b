"""The business date (``X-Tdkt-Today``) and the ids a client sends, at the running campaigns service.

On a demo stack (``TDKT_ALLOW_TODAY_HEADER=true``) only an administrator may date a request: a unit
officer or the office back-dating a registration past its deadline gets 403 ``today_header_not_allowed``
and nothing is written. The administrator's dated registration is accepted and its audit entry records
the date it set; the correlation and request ids the client sent are kept as given and marked
client-supplied, while an id the service made itself is not marked.
"""

from __future__ import annotations

import pytest

from services.campaigns.app import build

from ..campaigns.support import UnitsPublisher, campaigns_settings, event_count, ok, on, unit
from ..kernel.support import wait_until

pytestmark = pytest.mark.integration

MOVEMENT = "pt-thi-dua-thuong-xuyen-2023"
ROOT, OWN = "u-bct", "u-vtdkt"


def registration(unit_id: str = OWN) -> dict[str, object]:
    return {"movement_id": MOVEMENT, "unit_id": unit_id, "year": 2023, "collective_titles": ["TTLDXS"]}


async def test_only_an_administrator_dates_a_request(  # type: ignore[no-untyped-def]
    settings, start_service, real_stack, auth_keys
) -> None:
    client = await start_service(build, campaigns_settings(settings, allow_today_header=True))
    async with UnitsPublisher(real_stack.bootstrap_servers, settings.topic_prefix) as units:
        await units.publish(unit(ROOT, "Bộ Công Thương", parent_id=None, kind="bo"),
                            unit(OWN, "Vụ Thi đua - Khen thưởng", parent_id=ROOT))

    async def replicated() -> bool:
        answer = await client.get(f"/units/{OWN}/overview", params={"year": 2023})
        return answer.status_code == 200

    ok(await client.post("/movements", json={
        "movement_id": MOVEMENT, "title": "Phong trào thi đua thường xuyên năm 2023", "launched_by": "bo",
        "kind": "thuong_xuyen", "scope": {"unit_ids": [OWN]}, "period_start": "2023-01-01",
        "period_end": "2023-12-31", "criteria": "Hoàn thành xuất sắc nhiệm vụ.", "launched_on": "2023-01-10",
    }), 201)
    await wait_until(replicated, timeout=30)
    pool = client.service.pool  # type: ignore[attr-defined]
    before = await event_count(pool)
    # 2023's deadline (31 March) is long past: only a dated request could register now.
    for who in (auth_keys.headers("unit_officer", subject="can-bo-vtdkt", unit_id=OWN),
                auth_keys.headers("emulation_office", subject="chuyen-vien-vtdkt")):
        answer = await client.post("/registrations", json=registration(), headers={**who, **on("2023-03-20")})
        assert answer.status_code == 403, answer.text
        assert answer.json()["code"] == "today_header_not_allowed"
        assert "administrator" in answer.json()["message"]
    assert await event_count(pool) == before
    # Without the header the clock's date applies: the deadline has passed.
    late = await client.post("/registrations", json=registration(),
                             headers=auth_keys.headers("unit_officer", subject="can-bo-vtdkt", unit_id=OWN))
    assert (late.status_code, late.json()["code"]) == (422, "registration_deadline_passed"), late.text

    # The administrator (as the demo files it) may; the audit says which date and which ids were claimed.
    dated = ok(await client.post("/registrations", json=registration(), headers={
        **auth_keys.headers("administrator", subject="qtht-bct"), **on("2023-03-20"),
        "X-Correlation-Id": "dem-2023-dang-ky", "X-Request-Id": "req-42"}), 201)
    audit = ok(await client.get(f"/audit/{dated['stream_id']}"))
    entry = audit["entries"][-1]
    assert entry["business_date"] == "2023-03-20"
    assert (entry["correlation_id"], entry["causation_id"]) == ("dem-2023-dang-ky", "req-42")
    assert entry["client_supplied"] == ["correlation_id", "causation_id"]
    assert entry["actor_id"] == "qtht-bct" and entry["actor_role"] == "administrator"
    # An undated command with no ids from the client: the service's own correlation id, nothing marked.
    movement = ok(await client.get(f"/audit/{MOVEMENT}"))["entries"][0]
    assert movement["business_date"] is None and movement["client_supplied"] == []
    assert movement["correlation_id"]


async def test_the_header_stays_refused_outside_demo_stacks(settings, start_service, auth_keys) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build, campaigns_settings(settings, allow_today_header=False))
    answer = await client.post("/years/2023/close", headers={**auth_keys.headers(), **on("2024-01-05")})
    assert (answer.status_code, answer.json()["code"]) == (403, "today_header_not_allowed")
    assert "TDKT_ALLOW_TODAY_HEADER" in answer.json()["message"]
