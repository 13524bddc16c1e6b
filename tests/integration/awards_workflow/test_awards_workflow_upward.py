"""Propose-upward path end to end: Huân chương Lao động hạng Ba for a collective, decided by the President.

Notice of 10 working days (public holidays excluded) before the council
votes, the vote, the Ministry's proposal (ProposalForwarded) and its tờ trình
(DOCX and PDF), the President's decision recorded (AwardGranted with
conferred_by_ministry=false), and the history.
"""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import httpx
import pytest
from pypdf import PdfReader

from kernel.auth import Role
from services.awards.workflow import docx_text

from ..awards.support import Publisher, confer, get_ok, unit, unit_grade
from .support import ballots, candidate, grant, nomination, nominee, of_type, ok, on_kafka, refused, set_council

pytestmark = pytest.mark.integration

VTCCB, PHONG = "u-vtccb", "u-vtccb-th"
PATH = "/nominations/n-2024-hcld3"


async def test_labour_order_is_forwarded_to_the_president_and_his_decision_recorded(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str, auth_keys
) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(PHONG, "VTCCB-TH", "Phòng Tổng hợp", kind="phong", parent_id=VTCCB),
        *(unit_grade(PHONG, year, "HTT") for year in (2020, 2021, 2022, 2023)),
        unit_grade(PHONG, 2024, "HTXS"),
    )
    await publish.settled(client)
    # The Prime Minister's certificate of 2018: five years before the achievement years 2020–2024.
    await confer(client, "a-2018-bkttg-th", "BK_TTG", 2018, PHONG, "Phòng Tổng hợp", recipient_kind="collective",
                 kind="award", unit_id=PHONG)
    # Excellent Collective every year and a ministry flag: the [U] reading of the collective clause (issue #19.8).
    for year in range(2020, 2025):
        await confer(client, f"a-{year}-ttldxs-th", "TTLDXS", year, PHONG, "Phòng Tổng hợp",
                     recipient_kind="collective", unit_id=PHONG)
    await confer(client, "a-2022-cotdbo-th", "CO_TD_BO", 2022, PHONG, "Phòng Tổng hợp", recipient_kind="collective",
                 unit_id=PHONG)
    members = await set_council(client, 10)
    holidays = {"days": [{"day": "2025-09-01", "name": "Nghỉ lễ Quốc khánh"},
                         {"day": "2025-09-02", "name": "Quốc khánh"}]}
    assert await ok(client, "/holidays/2025", holidays, status=200, method="put") == holidays

    submitted = await ok(client, "/nominations", nomination(
        "n-2024-hcld3", "HCLD_3", 2024, VTCCB, [nominee("c-1", PHONG, "collective")], submitted_on=date(2025, 8, 15)))
    assert candidate(submitted, "c-1")["status"] == "eligible"
    procedure = submitted["procedures"]["collective"]
    assert (procedure["authority"], procedure["route"]) == ("president", "propose_upward")
    assert procedure["public_notice_working_days"] == 10 and procedure["council_vote_share"] is None

    # The Minister cannot grant a Huân chương: the Ministry forwards it.
    error = await refused(client, f"{PATH}/grants", grant(["c-1"], "3600/QĐ-BCT", date(2025, 8, 20)), 422,
                          "beyond_power")
    assert error["details"]["required_authority"] == "president"

    # No vote before the names have been published for 10 working days.
    vote = {"council_id": "hd-tdkt-bct", "voted_on": "2025-09-15",
            "results": [{"candidate_id": "c-1", "ballots": ballots(members, approve=6, against=2)}]}
    await refused(client, f"{PATH}/votes", {**vote, "voted_on": "2025-08-20"}, 422, "notice_required")
    # From Monday 25 August, ten working days end on 9 September: 1 and 2 September are holidays.
    notice = {"candidate_ids": ["c-1"], "opened_on": "2025-08-25"}
    short = await refused(client, f"{PATH}/notices", {**notice, "closes_on": "2025-09-05"}, 422, "notice_too_short")
    assert short["details"]["counted_working_days"] == 8
    opened = await ok(client, f"{PATH}/notices", notice)
    assert opened["notices"][0]["closes_on"] == "2025-09-09"
    await refused(client, f"{PATH}/votes", vote, 422, "notice_required")  # published, but not yet closed
    await refused(client, f"{PATH}/notices/close", {"closed_on": "2025-09-08"}, 422, "notice_period_not_over")
    closed = await ok(client, f"{PATH}/notices/close", {"closed_on": "2025-09-09", "comments": [
        {"received_on": "2025-09-03", "candidate_id": "c-1", "summary": "Đồng tình với đề nghị khen thưởng."}]},
        status=200)
    assert closed["notices"][0]["closed_on"] == "2025-09-09" and closed["notices"][0]["comments"]

    # A comment naming the candidate is a hold until its result is recorded (NĐ 152/2025 Art. 4.4).
    held = await refused(client, f"{PATH}/votes", vote, 422, "comment_unresolved")
    assert held["details"]["received_on"] == "2025-09-03"
    result = {"candidate_id": "c-1", "received_on": "2025-09-03", "resolved_on": "2025-09-10", "founded": False,
              "result": "Ý kiến đồng tình, không phải đơn phản ánh."}
    await refused(client, f"{PATH}/notices/comment-results", {**result, "received_on": "2025-09-04"}, 404,
                  "unknown_comment")
    resolved = await ok(client, f"{PATH}/notices/comment-results", result, status=200)
    assert resolved["notices"][0]["comment_results"][0]["founded"] is False
    await refused(client, f"{PATH}/notices/comment-results", result, 409, "comment_already_resolved")

    # The council votes (the law sets no share for a Huân chương: the council's own half, advisory).
    voted = await ok(client, f"{PATH}/votes", vote)
    [v] = candidate(voted, "c-1")["votes"]
    assert (v["votes_for"], v["members_total"], v["threshold"], v["passed"]) == (6, 10, 0.5, True)

    # The Ministry forwards it (trình) to the President.
    proposal = await ok(client, f"{PATH}/proposals", {
        "candidate_ids": ["c-1"], "submission_number": "512/TTr-BCT", "forwarded_on": "2025-09-20"})
    proposal_id = proposal["proposal_id"]
    assert proposal["to_authority"] == "president" and proposal["to_body"].startswith("Chủ tịch nước")
    assert proposal["recipients"][0]["outcome"] == "pending"
    assert candidate(await get_ok(client, PATH), "c-1")["status"] == "forwarded"

    # Its tờ trình, to the Prime Minister who submits it to the President; a reader may download it, as a decision.
    reader = auth_keys.headers(Role.READER.value, subject="reader")
    response = await client.get(f"/proposals/{proposal_id}/submission.docx", headers=reader)
    assert response.status_code == 200, response.text
    assert "to-trinh-512-TTr-BCT.docx" in response.headers["content-disposition"]
    text = docx_text(response.content)
    assert unicodedata.is_normalized("NFC", text)
    parts = ["BỘ CÔNG THƯƠNG", "Số: 512/TTr-BCT", "Hà Nội, ngày 20 tháng 9 năm 2025", "TỜ TRÌNH",
             "Về việc đề nghị tặng Huân chương Lao động hạng Ba", "Kính gửi: Thủ tướng Chính phủ.",
             "Ngày 15/09/2025, Hội đồng Thi đua – Khen thưởng Bộ Công Thương đã họp xét, có 08/10 thành viên dự họp; "
             "kết quả bỏ phiếu: 06/10 (60,0%) tổng số thành viên Hội đồng đồng ý",
             "kính đề nghị Thủ tướng Chính phủ xem xét, trình Chủ tịch nước tặng Huân chương Lao động hạng Ba cho "
             "01 tập thể", "kính trình Thủ tướng Chính phủ xem xét, trình Chủ tịch nước quyết định./.",
             "- Bộ Nội vụ (Ban Thi đua – Khen thưởng Trung ương);", "BỘ TRƯỞNG", "DANH SÁCH",
             "Phòng Tổng hợp", "Vụ Tổ chức cán bộ", "06/10 (60,0%)"]
    at = -1
    for part in parts:  # each present, in the decree's order
        assert text.find(part, at + 1) > at, (part, text[at:])
        at = text.find(part, at + 1)
    pdf = await client.get(f"/proposals/{proposal_id}/submission.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(pdf.content)).pages
    printed = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in pages))
    for part in ("TỜ TRÌNH", "Kính gửi: Thủ tướng Chính phủ.", "Phòng Tổng hợp", "06/10 (60,0%)"):
        assert part in printed, part
    missing = await client.get("/proposals/pr-none/submission.pdf")
    assert missing.status_code == 404 and missing.json()["code"] == "proposal_not_found"

    # The President's decision comes back; a decision of anyone else cannot answer the proposal.
    decision = {"decided_by": "president", "decision_number": "1356/QĐ-CTN", "decision_date": "2025-11-10",
                "signer": "Chủ tịch nước Lương Cường", "recorded_on": "2025-11-15",
                "outcomes": [{"candidate_id": "c-1", "outcome": "conferred"}]}
    await refused(client, f"/proposals/{proposal_id}/decisions", {**decision, "decided_by": "prime_minister"}, 422,
                  "wrong_authority")
    recorded = await ok(client, f"/proposals/{proposal_id}/decisions", decision)
    [outcome] = recorded["recipients"]
    assert outcome["outcome"] == "conferred" and outcome["award_id"]
    await refused(client, f"/proposals/{proposal_id}/decisions", decision, 409, "candidate_already_decided")

    after = candidate(await get_ok(client, PATH), "c-1")
    assert after["status"] == "conferred" and after["status_vi"] == "Cấp trên đã khen thưởng"
    assert after["decision"]["conferred_by_ministry"] is False and after["decision"]["authority"] == "president"

    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    [forwarded] = of_type(published, "proposal.forwarded")
    assert forwarded["to_authority"] == "president" and forwarded["submission_number"] == "512/TTr-BCT"
    [higher] = of_type(published, "proposal.decision-recorded")
    assert higher["decision_number"] == "1356/QĐ-CTN"
    [granted] = [e for e in of_type(published, "award.granted") if e["award_code"] == "HCLD_3"]
    assert granted["conferred_by_ministry"] is False and granted["authority"] == "president"
    assert granted["proposal_id"] == proposal_id and granted["award_id"] == outcome["award_id"]
    assert granted["recipient"]["display_name"] == "Phòng Tổng hợp"
    assert len(of_type(published, "nomination.notice-opened")) == 1
    assert len(of_type(published, "nomination.notice-closed")) == 1

    # The unit's history: its own, and from the Vụ with its sub-units.
    own = await get_ok(client, f"/units/{PHONG}/awards")
    titles = [f"TTLDXS {year}" for year in range(2020, 2025)]
    assert sorted(own["held"]) == sorted(["BK_TTG 2018", "CO_TD_BO 2022", "HCLD_3 2024", *titles])
    assert own["name"] == "Phòng Tổng hợp"
    hcld = next(e for e in own["entries"] if e["award_code"] == "HCLD_3")
    assert (hcld["conferred_by_ministry"], hcld["authority"], hcld["decision_number"]) == (False, "president",
                                                                                           "1356/QĐ-CTN")
    assert (await get_ok(client, f"/units/{VTCCB}/awards"))["held"] == []
    assert (await get_ok(client, f"/units/{VTCCB}/awards", include_subunits=True))["held"] == own["held"]

    # The President's decision is his office's document, not the Ministry's.
    response = await client.get("/decisions/1356/QĐ-CTN/decision.docx")
    assert response.status_code == 422 and response.json()["code"] == "not_ministry_decision"
