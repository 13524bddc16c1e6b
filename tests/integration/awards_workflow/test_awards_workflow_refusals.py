"""Bad input gets the workflow's 4xx code and changes nothing; the council counts as composed on the meeting day."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from kernel.clock import business_today

from ..awards.support import Publisher, confer, enrol, get_ok, grade, unit
from .support import (
    ballots,
    candidate,
    grant,
    nomination,
    nominee,
    ok,
    refused,
    set_council,
)

pytestmark = pytest.mark.integration

VTCCB, VKH = "u-vtccb", "u-vkh"


async def _staff(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(VKH, "VKH", "Vụ Kế hoạch", parent_id=None),
        enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female"),
        enrol("p-hung", "Đặng Quốc Hưng", VTCCB),
        enrol("p-khoa", "Phạm Đăng Khoa", VKH),
        enrol("p-yen", "Hoàng Thị Yến", VTCCB, sex="female"),
        enrol("p-binh", "Vương Đình Bình", VTCCB),
    )
    await publish.settled(client)
    for person, name in (("p-tuyet", "Lê Thị Ánh Tuyết"), ("p-hung", "Đặng Quốc Hưng"), ("p-khoa", "Phạm Đăng Khoa")):
        for year in (2023, 2024):
            await confer(client, f"a-{year}-cstdcs-{person}", "CSTDCS", year, person, name)


async def test_submissions_that_are_refused_write_nothing(client: httpx.AsyncClient, publish: Publisher) -> None:
    await _staff(client, publish)
    body = nomination("n-2024-bkbt", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet")], submitted_on=date(2024, 12, 5))

    # A unit nominates only its own people: Khoa works in Vụ Kế hoạch.
    error = await refused(client, "/nominations", {**body, "candidates": [nominee("c-1", "p-tuyet"),
                                                                          nominee("c-2", "p-khoa")]},
                          422, "candidate_outside_unit")
    assert error["details"]["unit_id"] == VKH and error["details"]["submitting_unit_id"] == VTCCB
    # An achievement year that has not begun, a dossier received tomorrow.
    today = business_today()  # the service's business date: today in Việt Nam
    future = today.year + 1
    error = await refused(client, "/nominations", {**body, "year": future}, 422, "year_in_future")
    assert error["details"]["year"] == future
    tomorrow = date.fromordinal(today.toordinal() + 1).isoformat()
    await refused(client, "/nominations", {**body, "submitted_on": tomorrow}, 422, "date_in_future")
    await refused(client, "/nominations", {**body, "candidates": [nominee("c-1", "p-nobody")]}, 404,
                  "subject_not_found")
    await refused(client, "/nominations", {**body, "award_code": "BK_XYZ"}, 404, "unknown_award")
    await refused(client, "/nominations", {**body, "submitting_unit_id": "u-nowhere"}, 404, "unit_not_found")
    await refused(client, "/nominations", {**body, "documents": []}, 422, "dossier_incomplete")
    await refused(client, "/nominations", {**body, "candidates": [nominee("c-1", VTCCB, "collective")],
                                           "award_code": "CSTD_BO"}, 422, "wrong_recipient_kind")
    await refused(client, "/nominations", {**body, "year": 2010}, 422, "no_rule_for_year")
    # Malformed bodies: named field by field.
    error = await refused(client, "/nominations", {**body, "candidates": [nominee("c-1", "p-tuyet"),
                                                                          nominee("c-1", "p-hung")]},
                          422, "invalid_request")
    assert "more than once" in error["message"]
    await refused(client, "/nominations", {**body, "category": "heroic"}, 422, "invalid_request")

    await ok(client, "/nominations", body)
    await refused(client, "/nominations", body, 409, "nomination_exists")
    await refused(client, "/nominations/n-nowhere/grants", grant(["c-1"], "1/QĐ-BCT", date(2024, 12, 20)), 404,
                  "nomination_not_found")
    response = await client.get("/nominations/n-nowhere")
    assert response.status_code == 404 and response.json()["code"] == "nomination_not_found"
    await refused(client, "/nominations/n-2024-bkbt/grants", grant(["c-9"], "1/QĐ-BCT", date(2024, 12, 20)), 404,
                  "unknown_candidate")
    # The Minister cannot sign as someone else, nor grant before the dossier arrived.
    await refused(client, "/nominations/n-2024-bkbt/grants",
                  grant(["c-1"], "1/QĐ-BCT", date(2024, 12, 20), authority="president"), 422, "invalid_request")
    await refused(client, "/nominations/n-2024-bkbt/grants", grant(["c-1"], "1/QĐ-BCT", date(2024, 12, 1)), 422,
                  "date_before_submission")


async def test_the_council_is_the_one_composed_on_the_meeting_day(
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    await _staff(client, publish)
    await ok(client, "/nominations", nomination(
        "n-2024-cstdcs", "CSTDCS", 2024, VTCCB, [nominee("c-1", "p-yen"), nominee("c-2", "p-binh")],
        submitted_on=date(2024, 3, 1)))
    # CSTĐCS 2024 needs LĐTT and HTXS (or an initiative): no grade yet, both are returned.
    path = "/nominations/n-2024-cstdcs"
    assert (await get_ok(client, path))["returned"] == ["c-1", "c-2"]
    vote = {"council_id": "hd-tdkt-vtccb", "voted_on": "2025-01-10",
            "results": [{"candidate_id": "c-1", "ballots": []}]}
    await refused(client, f"{path}/votes", vote, 404, "council_not_found")

    # The facts are fixed (grades recorded), the candidates resubmitted and assessed again.
    await publish.send(grade("p-yen", 2024, "HTXS", VTCCB), grade("p-binh", 2024, "HTXS", VTCCB))
    await publish.settled(client)
    await refused(client, f"{path}/votes", {**vote, "results": [{"candidate_id": "c-1", "ballots": []}]}, 404,
                  "council_not_found")
    resubmitted = await ok(client, f"{path}/candidates/c-1/resubmit", {"resubmitted_on": "2025-01-06"}, status=200)
    assert candidate(resubmitted, "c-1")["status"] == "eligible"
    await ok(client, f"{path}/candidates/c-2/resubmit", {"resubmitted_on": "2025-01-06"}, status=200)
    await refused(client, f"{path}/candidates/c-1/resubmit", {"resubmitted_on": "2025-01-07"}, 422,
                  "candidate_not_returned")

    # The unit's council: five members from 2024, recomposed with five others from 1 February 2025.
    old = await set_council(client, 5, council_id="hd-tdkt-vtccb", effective_on=date(2024, 1, 2))
    new = await set_council(client, 5, council_id="hd-tdkt-vtccb", effective_on=date(2025, 2, 1), first=5)
    council = await get_ok(client, "/councils/hd-tdkt-vtccb", on="2025-01-10")
    assert [m["member_id"] for m in council["current"]["members"]] == old and len(council["history"]) == 2

    # A January meeting is counted against the January council: the new members were not on it yet.
    early = {**vote, "results": [{"candidate_id": "c-1", "ballots": ballots(new, approve=5)}]}
    error = await refused(client, f"{path}/votes", early, 422, "voter_not_on_council")
    assert error["details"]["member_ids"] == new
    twice = {**vote, "results": [{"candidate_id": "c-1", "ballots": [*ballots(old, approve=4),
                                                                      {"member_id": old[0], "approve": True}]}]}
    await refused(client, f"{path}/votes", twice, 422, "duplicate_ballot")
    await refused(client, f"{path}/votes", {**vote, "results": [{"candidate_id": "c-1", "ballots": []},
                                                                  {"candidate_id": "c-1", "ballots": []}]},
                  422, "invalid_command")
    voted = await ok(client, f"{path}/votes", {**vote, "results": [
        {"candidate_id": "c-1", "ballots": ballots(old, approve=4, against=1)},
        {"candidate_id": "c-2", "ballots": ballots(old, approve=3, against=2)}]})
    # 80% of all members for CSTĐCS (NĐ 98/2023 Điều 30 khoản 7): 4 of 5 passes, 3 of 5 does not.
    assert [v["passed"] for c in voted["candidates"] for v in c["votes"]] == [True, False]
    assert {v["members_total"] for c in voted["candidates"] for v in c["votes"]} == {5}

    # The decider: the head of the unit, not the Minister; a failed vote stops the grant; a rejection is final.
    await refused(client, f"{path}/grants", grant(["c-1"], "12/QĐ-VTCCB", date(2025, 1, 15)), 422, "wrong_authority")
    head = {"authority": "unit_head", "signer": "Vụ trưởng Hoàng Văn Bình"}
    await refused(client, f"{path}/grants", grant(["c-2"], "12/QĐ-VTCCB", date(2025, 1, 15), **head), 422,
                  "vote_not_passed")
    await refused(client, f"{path}/grants", grant(["c-1"], "12/QĐ-VTCCB", date(2025, 1, 9), **head), 422,
                  "decision_before_vote")
    rejected = await ok(client, f"{path}/rejections", {
        "candidate_ids": ["c-2"], "authority": "unit_head", "decided_on": "2025-01-15",
        "reason": "Không đạt tỷ lệ phiếu đồng ý của Hội đồng (dưới 80%)."})
    assert candidate(rejected, "c-2")["status"] == "rejected"
    await refused(client, f"{path}/grants", grant(["c-2"], "12/QĐ-VTCCB", date(2025, 1, 15), **head), 409,
                  "candidate_already_decided")
    granted = await ok(client, f"{path}/grants", grant(["c-1"], "12/QĐ-VTCCB", date(2025, 1, 15), **head))
    assert candidate(granted, "c-1")["status"] == "granted"


async def test_a_quota_caps_the_grants_of_a_code_and_year(client: httpx.AsyncClient, publish: Publisher) -> None:
    await _staff(client, publish)
    await refused(client, "/quotas/BK_BT/2024", {"unit_id": "u-nowhere", "max_count": 1, "label": "x"}, 404,
                  "unit_not_found", method="put")
    quota = {"unit_id": VTCCB, "max_count": 1, "label": "Chỉ tiêu Bằng khen năm 2024 của Vụ Tổ chức cán bộ"}
    assert await ok(client, "/quotas/BK_BT/2024", quota, status=200, method="put") == {
        **quota, "award_code": "BK_BT", "year": 2024}
    await ok(client, "/nominations", nomination(
        "n-2024-bkbt", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet"), nominee("c-2", "p-hung")],
        submitted_on=date(2024, 12, 5)))
    path = "/nominations/n-2024-bkbt/grants"
    error = await refused(client, path, grant(["c-1", "c-2"], "2400/QĐ-BCT", date(2024, 12, 20)), 422,
                          "quota_exceeded")
    assert error["details"]["max_count"] == 1 and error["details"]["requested"] == 2
    await ok(client, path, grant(["c-1"], "2400/QĐ-BCT", date(2024, 12, 20)))
    error = await refused(client, path, grant(["c-2"], "2401/QĐ-BCT", date(2024, 12, 21)), 422, "quota_exceeded")
    assert error["details"]["already_granted"] == 1
    # Khoa is outside the quota's unit: his Vụ is not capped.
    await ok(client, "/nominations", nomination(
        "n-2024-bkbt-vkh", "BK_BT", 2024, VKH, [nominee("c-1", "p-khoa")], submitted_on=date(2024, 12, 5)))
    await ok(client, "/nominations/n-2024-bkbt-vkh/grants", grant(["c-1"], "2402/QĐ-BCT", date(2024, 12, 21)))
    assert [q["max_count"] for q in await get_ok(client, "/quotas", award_code="BK_BT")] == [1]
