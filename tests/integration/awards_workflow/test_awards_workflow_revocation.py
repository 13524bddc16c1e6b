"""Revocation end to end: a title granted by the unit head is revoked, flagged in the history; a chain on it breaks."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ..awards.support import Publisher, confer, criterion, enrol, get_ok, grade, initiative, unit
from .support import candidate, criterion_status, grant, nomination, nominee, of_type, ok, on_kafka, refused

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"
HEAD = "Vụ trưởng Hoàng Văn Bình"


async def test_a_revoked_title_stays_in_the_history_and_no_longer_counts(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-an", "Nguyễn Văn An", VTCCB),
        grade("p-an", 2023, "HTXS", VTCCB),
        initiative("sk-cs-2023-an", 2023, ["p-an"], VTCCB),  # grassroots: the evidence of CSTĐCS 2023
        initiative("sk-bo-2022-an", 2022, ["p-an"], VTCCB, level="bo"),  # ministry level: for CSTĐ Bộ
    )
    await publish.settled(client)
    for year in (2021, 2022):
        await confer(client, f"a-{year}-cstdcs-p-an", "CSTDCS", year, "p-an", "Nguyễn Văn An", unit_id=VTCCB)

    # CSTĐCS 2023 through the workflow: the unit head decides it, not the Minister.
    await ok(client, "/nominations", nomination("n-2023-cstdcs", "CSTDCS", 2023, VTCCB, [nominee("c-1", "p-an")],
                                                submitted_on=date(2023, 12, 4)))
    await refused(client, "/nominations/n-2023-cstdcs/grants", grant(["c-1"], "3400/QĐ-BCT", date(2023, 12, 20)),
                  422, "wrong_authority")
    granted = await ok(client, "/nominations/n-2023-cstdcs/grants", grant(
        ["c-1"], "25/QĐ-VTCCB", date(2023, 12, 20), authority="unit_head", signer=HEAD))
    award = candidate(granted, "c-1")["decision"]
    assert award["authority"] == "unit_head" and award["initiative_ids"] == ["sk-cs-2023-an"]

    # With three CSTĐCS in a row and a ministry-level initiative, he qualifies for CSTĐ Bộ 2023.
    chain = await get_ok(client, "/assessments", code="CSTD_BO", year=2023, person_id="p-an")
    assert chain["outcome"] == "eligible"

    # Only the authority that conferred it revokes it; once.
    path = f"/awards/{award['award_id']}/revocations"
    revocation = {"authority": "unit_head", "reason": "Hồ sơ đề nghị kê khai không trung thực thành tích.",
                  "decision_number": "40/QĐ-VTCCB", "revoked_on": "2024-03-05"}
    await refused(client, path, {**revocation, "authority": "minister"}, 422, "beyond_power")
    await refused(client, path, {**revocation, "revoked_on": "2023-12-01"}, 422, "date_before_decision")
    revoked = await ok(client, path, revocation)
    assert revoked["revoked"] is True and revoked["revocation_decision_number"] == "40/QĐ-VTCCB"
    assert revoked["revocation_reason"] == revocation["reason"]
    await refused(client, path, revocation, 409, "award_already_revoked")
    await refused(client, "/awards/a-nowhere/revocations", revocation, 404, "award_not_found")

    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    [event] = of_type(published, "award.revoked")
    assert event["award_id"] == award["award_id"] and event["decision_number"] == "40/QĐ-VTCCB"

    # The history keeps it, flagged; it no longer counts as held.
    history = await get_ok(client, "/people/p-an/awards")
    assert history["held"] == ["CSTDCS 2021", "CSTDCS 2022"]
    entry = next(e for e in history["entries"] if e["year"] == 2023)
    assert entry["revoked"] is True and entry["revoked_on"] == "2024-03-05"
    assert candidate(await get_ok(client, "/nominations/n-2023-cstdcs"), "c-1")["decision"]["revoked"] is True

    # The chain relying on it breaks: the assessment, and a nomination submitted now, say so.
    broken = await get_ok(client, "/assessments", code="CSTD_BO", year=2023, person_id="p-an")
    assert broken["outcome"] == "ineligible" and criterion(broken, "chain")["status"] == "failed"
    later = await ok(client, "/nominations", nomination("n-2023-cstdbo", "CSTD_BO", 2023, VTCCB,
                                                        [nominee("c-1", "p-an")], submitted_on=date(2024, 3, 20)))
    assert candidate(later, "c-1")["status"] == "returned"
    assert criterion_status(candidate(later, "c-1"), "chain") == "failed"

    # No certificate is printed for a revoked award.
    response = await client.get(f"/awards/{award['award_id']}/certificate.docx")
    assert response.status_code == 409 and response.json()["code"] == "award_already_revoked"
