"""The office's inbox (``GET /nominations``): a nomination's stage through its life, the counts per stage, the
filters; and the unit officer resubmitting a returned candidate of their own unit only."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from kernel.auth import Role
from services.awards.projections.inbox import rebuild_inbox

from ..awards.support import Publisher, confer, enrol, get_ok, unit
from .support import ballots, candidate, grant, nomination, nominee, ok, set_council
from .test_awards_dossier_files import known

pytestmark = pytest.mark.integration

VTCCB, VKH = "u-vtccb", "u-vkh"
NID = "n-2023-bkbt-inbox"
PATH = f"/nominations/{NID}"


async def _stage(client: httpx.AsyncClient, **filters: str | int) -> tuple[str | None, dict[str, int]]:
    """The nomination's stage in the list (None: not listed) and the counts per stage."""
    answer = await get_ok(client, "/nominations", **filters)
    assert answer["total"] == len(answer["items"])  # one page holds them all here
    found = [i for i in answer["items"] if i["nomination_id"] == NID]
    return (found[0]["stage"] if found else None), answer["counts"]


async def test_the_inbox_follows_a_nomination_and_the_unit_officer_resubmits_its_own(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(VKH, "VKH", "Vụ Kế hoạch", parent_id=None),
        enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female"),
        enrol("p-hai", "Phạm Văn Hải", VTCCB),
    )
    await known(client, publish)
    for year in (2022, 2023):  # two years of Chiến sĩ thi đua cơ sở: eligible for the Minister's certificate
        await confer(client, f"a-{year}-cstdcs-tuyet", "CSTDCS", year, "p-tuyet", "Lê Thị Ánh Tuyết")
        await confer(client, f"a-{year}-cstdcs-hai", "CSTDCS", year, "p-hai", "Phạm Văn Hải")
    members = await set_council(client, 10)
    assert await _stage(client, year=2023) == (None, {s: 0 for s in (
        "received", "incomplete", "returned", "on_notice", "awaiting_council", "awaiting_decision",
        "proposed_upward", "decided")})

    submitted = await ok(client, "/nominations", nomination(
        NID, "BK_BT", 2023, VTCCB, [nominee("c-1", "p-tuyet"), nominee("c-2", "p-hai")], submitted_on=date(2024, 1, 8)))
    assert submitted["eligible"] == ["c-1", "c-2"]
    stage, counts = await _stage(client, year=2023)
    assert stage == "received" and counts["received"] == 1
    [item] = (await get_ok(client, "/nominations", year=2023))["items"]
    assert (item["award_code"], item["submitting_unit_id"], item["candidates"], item["stage_vi"]) == (
        "BK_BT", VTCCB, 2, "Đã tiếp nhận")

    # Returned: the office's reason; the list counts it among the returned.
    await ok(client, f"{PATH}/candidates/c-2/returns", {"reason": "Thiếu xác nhận của thủ trưởng đơn vị.",
                                                        "returned_on": "2024-01-15"}, status=200)
    stage, counts = await _stage(client, year=2023, state="returned")
    assert stage == "returned" and counts["returned"] == 1 and counts["received"] == 0
    assert (await _stage(client, year=2023, state="received"))[0] is None  # the state filter selects
    assert (await get_ok(client, "/nominations", year=2023))["items"][0]["returned"] == 1

    # The unit officer resubmits — only for their own unit's nomination.
    stranger = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vkh", unit_id=VKH)
    denied = await client.post(f"{PATH}/candidates/c-2/resubmit", json={"resubmitted_on": "2024-01-20"},
                               headers=stranger)
    assert denied.status_code == 403 and denied.json()["code"] == "outside_unit_scope", denied.text
    reader = auth_keys.headers(Role.READER.value, subject="reader")
    forbidden = await client.post(f"{PATH}/candidates/c-2/resubmit", json={"resubmitted_on": "2024-01-20"},
                                  headers=reader)
    assert forbidden.status_code == 403 and forbidden.json()["code"] == "forbidden"
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    again = await client.post(f"{PATH}/candidates/c-2/resubmit", json={"resubmitted_on": "2024-01-20"},
                              headers=officer)
    assert again.status_code == 200, again.text
    assert candidate(again.json(), "c-2")["status"] == "eligible"
    assert (await _stage(client, year=2023))[0] == "received"

    # Notice, council, decision: each a stage; the notice's end is the deadline shown.
    await ok(client, f"{PATH}/notices", {"candidate_ids": ["c-1", "c-2"], "opened_on": "2024-01-22",
                                         "closes_on": "2024-01-26"})
    answer = await get_ok(client, "/nominations", year=2023, state="on_notice")
    assert [(i["stage"], i["deadline"]) for i in answer["items"]] == [("on_notice", "2024-01-26")]
    await ok(client, f"{PATH}/notices/close", {"closed_on": "2024-01-26"}, status=200)
    assert (await _stage(client, year=2023))[0] == "awaiting_council"
    await ok(client, f"{PATH}/votes", {"council_id": "hd-tdkt-bct", "voted_on": "2024-01-30", "results": [
        {"candidate_id": c, "ballots": ballots(members, approve=10)} for c in ("c-1", "c-2")]})
    assert (await _stage(client, year=2023))[0] == "awaiting_decision"
    await ok(client, f"{PATH}/grants", grant(["c-1", "c-2"], "120/QĐ-BCT", date(2024, 2, 5)))
    stage, counts = await _stage(client, year=2023)
    assert stage == "decided" and counts["decided"] == 1 and sum(counts.values()) == 1

    # The filters: the unit (and the units under it), the assignee, the year.
    assert (await _stage(client, unit_id=VTCCB))[0] == "decided"
    assert (await _stage(client, unit_id=VKH))[0] is None
    assert (await _stage(client, year=2024))[0] is None
    await ok(client, f"{PATH}/dossier/assignments", {"assignee_id": "cv-trang", "assignee_name": "Nguyễn Thu Trang"})
    [assigned] = (await get_ok(client, "/nominations", assigned_to="cv-trang"))["items"]
    assert (assigned["nomination_id"], assigned["assignee_name"]) == (NID, "Nguyễn Thu Trang")
    assert (await get_ok(client, "/nominations", assigned_to="cv-minh"))["items"] == []
    bad = await client.get("/nominations", params={"state": "lost"})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_request"

    # Rebuilt from the event store, the list says the same.
    before = await get_ok(client, "/nominations")
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        async with conn.transaction():
            assert await rebuild_inbox(conn, client.service.store) == 1  # type: ignore[attr-defined]
    assert await get_ok(client, "/nominations") == before
