"""A whole dossier returned to its unit with a reason and resubmitted, round after round, against the real stack."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from kernel.auth import Role

from ..awards.support import Publisher, confer, enrol, unit
from .support import candidate, nomination, nominee, ok, refused, snapshot

pytestmark = pytest.mark.integration

VTCCB, VKH = "u-vtccb", "u-vkh"
NID = "n-2023-bkbt-vtccb"
PATH = f"/nominations/{NID}"


async def _eligible_pair(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
                       unit(VKH, "VKH", "Vụ Kế hoạch", parent_id=None),
                       enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female"),
                       enrol("p-hung", "Đặng Quốc Hưng", VTCCB))
    await publish.settled(client)
    for person, name in (("p-tuyet", "Lê Thị Ánh Tuyết"), ("p-hung", "Đặng Quốc Hưng")):
        for year in (2022, 2023):  # two years of CSTĐ cơ sở: eligible for the Minister's certificate
            await confer(client, f"a-{year}-cstdcs-{person}", "CSTDCS", year, person, name)
    submitted = await ok(client, "/nominations", nomination(
        NID, "BK_BT", 2023, VTCCB, [nominee("c-1", "p-tuyet"), nominee("c-2", "p-hung")],
        submitted_on=date(2024, 1, 8)))
    assert [c["status"] for c in submitted["candidates"]] == ["eligible", "eligible"], submitted["candidates"]


async def _returned_events(client: httpx.AsyncClient) -> int:
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        return int(await conn.fetchval("SELECT count(*) FROM events WHERE stream_id = $1 AND event_type = "
                                       "'vn.tdkt.awards.nomination.candidate-returned'", NID))


async def test_the_office_returns_the_whole_dossier_and_the_unit_resubmits_it(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    await _eligible_pair(client, publish)
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    stranger = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vkh", unit_id=VKH)
    first = "Tờ trình chưa có chữ ký của thủ trưởng đơn vị; đề nghị hoàn thiện toàn bộ hồ sơ."

    # Only the office returns; bad input is refused and writes nothing.
    denied = await client.post(f"{PATH}/returns", json={"reason": first, "returned_on": "2024-01-15"},
                               headers=officer)
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    await refused(client, f"{PATH}/returns", {"reason": first, "returned_on": "2024-01-02"}, 422,
                  "date_before_submission")
    await refused(client, f"{PATH}/returns", {"reason": "", "returned_on": "2024-01-15"}, 422, "invalid_request")
    await refused(client, "/nominations/n-none/returns", {"reason": first, "returned_on": "2024-01-15"}, 404,
                  "nomination_not_found")
    await refused(client, f"{PATH}/resubmit", {"resubmitted_on": "2024-01-16"}, 422, "candidate_not_returned")

    # Round 1: every candidate goes back with the reason, one event each.
    returned = await ok(client, f"{PATH}/returns", {"reason": first, "returned_on": "2024-01-15"}, status=200)
    assert [(c["status"], c["reasons"]) for c in returned["candidates"]] == [("returned", [first])] * 2
    assert [r["event_type"] for r in returned["recorded"]] == ["vn.tdkt.awards.nomination.candidate-returned"] * 2
    # The unit's officer reads the office's note: it says what to fix.
    as_officer = (await client.get(PATH, headers=officer)).json()
    assert [c["reasons"] for c in as_officer["candidates"]] == [[first]] * 2, as_officer["candidates"]
    # Another unit's officer cannot resubmit it; nothing written.
    before = await snapshot(client)
    got = await client.post(f"{PATH}/resubmit", json={"resubmitted_on": "2024-01-20"}, headers=stranger)
    assert got.status_code == 403 and got.json()["code"] == "outside_unit_scope", got.text
    assert await snapshot(client) == before
    # The unit's officer resubmits the whole dossier: both assessed again, eligible.
    back = (await client.post(f"{PATH}/resubmit", json={"resubmitted_on": "2024-01-20"}, headers=officer))
    assert back.status_code == 200, back.text
    assert [c["status"] for c in back.json()["candidates"]] == ["eligible", "eligible"]

    # Round 2, then resubmitted by the office: the history keeps both rounds for each candidate.
    second = "Thiếu biên bản họp Hội đồng Thi đua – Khen thưởng của đơn vị."
    await ok(client, f"{PATH}/returns", {"reason": second, "returned_on": "2024-01-22"}, status=200)
    await ok(client, f"{PATH}/resubmit", {"resubmitted_on": "2024-01-24"}, status=200)
    view = (await client.get(PATH)).json()
    for cid in ("c-1", "c-2"):
        assert candidate(view, cid)["status"] == "eligible"
        assert candidate(view, cid)["returns"] == [
            {"returned_on": "2024-01-15", "reasons": [first], "by_office": True},
            {"returned_on": "2024-01-22", "reasons": [second], "by_office": True}]
    assert await _returned_events(client) == 4

    # Once a candidate is decided, the dossier no longer goes back whole.
    await ok(client, f"{PATH}/rejections", {"candidate_ids": ["c-2"], "authority": "minister",
                                             "reason": "Không đủ chỉ tiêu.", "decided_on": "2024-01-25"})
    error = await refused(client, f"{PATH}/returns", {"reason": second, "returned_on": "2024-01-26"}, 409,
                          "candidate_already_decided")
    assert error["details"]["candidate_ids"] == ["c-2"]
