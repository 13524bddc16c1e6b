"""Titles that build on earlier titles: chains, discipline from the internal topic, and the forecast."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from .support import (
    Publisher,
    assert_cited,
    confer,
    criterion,
    discipline,
    discipline_ended,
    enrol,
    eventually,
    get_ok,
    grade,
    initiative,
    registration,
    revoke,
    unit,
)

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"


async def _cstdcs(client: httpx.AsyncClient, person_id: str, name: str, *years: int) -> None:
    for year in years:
        await confer(client, f"a-{year}-cstdcs-{person_id}", "CSTDCS", year, person_id, name, unit_id=VTCCB)


async def test_ministry_fighter_needs_an_unbroken_chain(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-minh", "Đỗ Văn Minh", VTCCB),
        enrol("p-thu", "Vũ Thị Thu", VTCCB, sex="female"),
        initiative("sk-bo-2022-minh", 2022, ["p-minh"], VTCCB, level="bo"),
        initiative("sk-bo-2022-thu", 2022, ["p-thu"], VTCCB, level="bo"),
    )
    await publish.settled(client)
    await _cstdcs(client, "p-minh", "Đỗ Văn Minh", 2021, 2022, 2023)
    await _cstdcs(client, "p-thu", "Vũ Thị Thu", 2021, 2023)  # 2022 missing

    minh = await eventually(
        client, "/assessments", lambda a: a["outcome"] == "eligible", code="CSTD_BO", year=2023, person_id="p-minh"
    )
    assert criterion(minh, "chain")["status"] == "passed"
    assert criterion(minh, "chain")["facts_used"]["years_needed"] == [2021, 2022, 2023]
    assert minh["initiatives_to_consume"] == ["sk-bo-2022-minh"]
    assert "Điều 22" in minh["rule"]["citation"]["text_vi"]
    assert_cited(minh)

    thu = await eventually(
        client, "/assessments", lambda a: a["outcome"] == "ineligible", code="CSTD_BO", year=2023, person_id="p-thu"
    )
    chain = criterion(thu, "chain")
    assert chain["status"] == "failed"
    assert "2022" in chain["detail_vi"] and "gián đoạn" in chain["detail_vi"]
    assert "broken chain" in chain["explanation_en"]
    assert criterion(thu, "initiative")["status"] == "passed"
    assert_cited(thu)

    # Once the ministry-level initiative served as evidence for CSTĐ Bộ 2023, it cannot serve again
    # (CV 5007/BNV-TĐKT/2023) — except for a re-assessment of that same award.
    await confer(client, "a-2023-cstdbo-minh", "CSTD_BO", 2023, "p-minh", "Đỗ Văn Minh",
                 initiative_ids=("sk-bo-2022-minh",))
    same = await get_ok(client, "/assessments", code="CSTD_BO", year=2023, person_id="p-minh")
    assert same["outcome"] == "eligible"
    later = await get_ok(client, "/assessments", code="BK_BT", year=2023, person_id="p-minh")
    assert "sk-bo-2022-minh" not in later["initiatives_to_consume"]

    # A revoked title no longer counts towards a chain.
    await revoke(client, "a-2022-cstdcs-p-minh")
    revoked = await get_ok(client, "/assessments", code="CSTD_BO", year=2023, person_id="p-minh")
    assert criterion(revoked, "chain")["status"] == "failed"


async def test_discipline_on_the_internal_topic_bars_and_its_annulment_clears(
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-hai", "Ngô Văn Hải", VTCCB),
        initiative("sk-bo-2024-hai", 2024, ["p-hai"], VTCCB, level="bo"),
        registration(VTCCB, 2025, {"p-hai": ["LDTT", "CSTDCS", "CSTD_BO"]}),
    )
    await _cstdcs(client, "p-hai", "Ngô Văn Hải", 2023, 2024, 2025)
    # From 1/7/2025 the achievements of disciplined years do not count (NĐ 152/2025 Điều 4 khoản 4).
    clean = await eventually(
        client, "/assessments", lambda a: a["outcome"] == "eligible", code="CSTD_BO", year=2025, person_id="p-hai"
    )
    assert criterion(clean, "registration")["status"] == "passed"
    assert criterion(clean, "no_discipline")["status"] == "passed"

    imposed = discipline("p-hai", "kl-2025-003", "khien_trach", date(2025, 3, 15), date(2026, 3, 14))
    assert imposed.topic() == "tdkt.units.internal"
    await publish.send(imposed)
    barred = await eventually(
        client, "/assessments", lambda a: a["outcome"] == "ineligible", code="CSTD_BO", year=2025, person_id="p-hai"
    )
    rule = criterion(barred, "no_discipline")
    assert rule["status"] == "failed"
    assert rule["citation"]["text_vi"].endswith("Điều 4, khoản 4")
    assert "Khiển trách" in rule["detail_vi"]
    assert "Vi phạm" not in str(barred)  # the reason (personal data) is not kept nor shown
    assert_cited(barred)

    # Annulled (hủy bỏ): treated as never imposed.
    await publish.send(discipline_ended("p-hai", "kl-2025-003", date(2025, 6, 1), "huy_bo"))
    await eventually(
        client, "/assessments", lambda a: a["outcome"] == "eligible", code="CSTD_BO", year=2025, person_id="p-hai"
    )


async def test_forecast_lists_those_one_year_short_of_a_chain(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-quang", "Bùi Văn Quang", VTCCB),
        enrol("p-yen", "Hoàng Thị Yến", VTCCB, sex="female"),
        enrol("p-son", "Đặng Văn Sơn", VTCCB),
        grade("p-quang", 2024, "HTXS", VTCCB),
        grade("p-yen", 2024, "HTXS", VTCCB),
        grade("p-son", 2024, "HTT", VTCCB),
        initiative("sk-bo-2024-quang", 2024, ["p-quang"], VTCCB, level="bo"),
        initiative("sk-bo-2024-yen", 2024, ["p-yen"], VTCCB, level="bo"),
        registration(VTCCB, 2024, {"p-quang": ["CSTDCS", "CSTD_BO"], "p-yen": ["CSTDCS"], "p-son": ["LDTT"]}),
    )
    await publish.settled(client)
    await _cstdcs(client, "p-quang", "Bùi Văn Quang", 2023, 2024)  # two of the three
    await _cstdcs(client, "p-yen", "Hoàng Thị Yến", 2023, 2024)  # two of three, but never registered CSTĐ Bộ
    await _cstdcs(client, "p-son", "Đặng Văn Sơn", 2024)

    found = await eventually(
        client, "/forecasts", lambda f: bool(f["candidates"]), code="CSTD_BO", year=2025, unit_id=VTCCB
    )
    assert found["based_on_year"] == 2024
    assert [c["subject_id"] for c in found["candidates"]] == ["p-quang"]
    quang = found["candidates"][0]
    assert quang["on_track"] is True
    assert any("CSTDCS" in text for text in quang["assumptions_en"])
    missing = {gap["criterion_id"]: gap for gap in quang["missing"]}
    assert missing["chain"]["covered_by_trend"] is True
    assert all(gap["explanation_vi"] for gap in quang["missing"])

    wider = await get_ok(client, "/forecasts", code="CSTD_BO", year=2025, unit_id=VTCCB, max_unmet=1)
    assert [c["subject_id"] for c in wider["candidates"]] == ["p-quang", "p-yen"]
    yen = wider["candidates"][1]
    assert yen["on_track"] is False and yen["unmet_after_trend"] == 1
    assert criterion(yen["projected"], "registration")["status"] == "unknown"  # [U]: never a refusal (#19.2)

    everyone = await get_ok(client, "/forecasts", code="CSTD_BO", year=2025)
    assert [c["subject_id"] for c in everyone["candidates"]] == ["p-quang"]
