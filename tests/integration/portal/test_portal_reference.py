"""The office's reference data and a notice's comments, in the browser on the real stack.

The office records a composition of the council (from a day far ahead, so the demo's council stays in force for
the other tests' votes), a year's public holidays and a quota, and reads each back on the page; a refused holiday
list keeps the input with its message. On a nomination the unit files through the awards API, the office opens
the public notice, closes it with a comment naming a candidate, sees the comment being verified, records the
verification's result, and the page shows it resolved.
"""

from __future__ import annotations

import io
import secrets
import unicodedata

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from kernel.auth import Role
from services.portal.formats import now_vn

from .conftest import Portal
from .test_portal_nomination_flow import PAGE_WAIT_MS, UNIT, YEAR, _api, _until, enrol_people, pdf, send

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900, func_only=True)]

FREE_YEAR = 2031
"""A year the demo leaves without holidays and quotas."""


def test_the_office_records_the_council_holidays_and_a_quota_and_reads_them_back(portal: Portal, page: Page) -> None:
    page.context.set_default_timeout(PAGE_WAIT_MS)
    portal.sign_in(page, "vanphong", "/nominations")
    send(page, page.locator("[data-testid=reference-link]"))
    page.goto(f"{portal.url}/reference?year={FREE_YEAR}")
    run = secrets.token_hex(3)
    decision = f"{run}/QĐ-BCT"

    council = page.locator("form[aria-label='Thành lập / kiện toàn Hội đồng']")
    if not council.is_visible():  # folded away once a council is composed
        page.locator("summary", has_text="Thành lập / kiện toàn Hội đồng").click()
    council.locator("#effective_on").fill("01/01/2099")
    council.locator("#decision_number").fill(decision)
    for i, (member_id, name, seat) in enumerate((("m-chu-tich", "Nguyễn Hồng Diên", "chair"),
                                                 ("m-uy-vien", "Phan Thị Thắng", "member"))):
        council.locator(f"[id='member.{i}.id']").fill(member_id)
        council.locator(f"[id='member.{i}.name']").fill(name)
        council.locator(f"[id='member.{i}.role']").select_option(seat)
    rows = council.locator("[data-testid=member-row]").count()
    for i in range(2, rows):  # the demo's other members left out of this composition
        council.locator(f"[id='member.{i}.id']").fill("")
        council.locator(f"[id='member.{i}.name']").fill("")
    send(page, council.locator("[data-testid=save-council]"))
    assert "#council" in page.url
    row = page.locator("[data-testid=council-history] tr", has_text=decision)
    assert row.locator("td").nth(0).inner_text() == "01/01/2099"
    assert row.locator("td").nth(2).inner_text() == "2"
    assert "Nguyễn Hồng Diên (Chủ tịch Hội đồng); Phan Thị Thắng (Ủy viên)" in row.inner_text()

    # A holiday list with a bad line is refused next to the field, the input kept; nothing is recorded.
    page.locator("summary", has_text=f"Ghi ngày nghỉ lễ năm {FREE_YEAR}").click()
    bad = "01/01/2031 Tết Dương lịch\n2/9 Quốc khánh"
    page.fill("#days", bad)
    send(page, page.locator("[data-testid=save-holidays]"))
    assert page.locator("[data-testid=error-days]").inner_text() == "Dòng 2: viết theo dạng dd/mm/yyyy Tên ngày lễ."
    assert page.locator("#days").input_value() == bad
    assert page.locator("[data-testid=holidays]").inner_text() == "Chưa ghi ngày nghỉ lễ."
    page.fill("#days", "01/01/2031 Tết Dương lịch\n02/09/2031 Quốc khánh")
    send(page, page.locator("[data-testid=save-holidays]"))
    assert page.locator("[data-testid=holidays] li").all_inner_texts() == [
        "01/01/2031 — Tết Dương lịch", "02/09/2031 — Quốc khánh"]

    page.locator("summary", has_text="Ghi hạn mức").click()
    page.fill("#award_code", "BK_BT")
    page.fill("#max_count", "120")
    page.fill("#label", f"Chỉ tiêu Bằng khen {FREE_YEAR} toàn Bộ")
    send(page, page.locator("[data-testid=save-quota]"))
    quota = page.locator("[data-testid=quotas] tbody tr", has_text="BK_BT")
    assert quota.locator("td").all_inner_texts() == ["BK_BT", str(FREE_YEAR), "Toàn Bộ", "120",
                                                     f"Chỉ tiêu Bằng khen {FREE_YEAR} toàn Bộ"]


def _file_nomination(portal: Portal) -> tuple[str, list[tuple[str, str, str]]]:
    """A nomination of two eligible people with its dossier, filed by the unit through the awards API."""
    people = enrol_people(portal)
    awards = _api(portal, "awards")
    nomination_id = f"n-ref-{secrets.token_hex(4)}"
    answer = awards("POST", "/nominations", Role.UNIT_OFFICER, json={
        "nomination_id": nomination_id, "year": YEAR, "award_code": "BK_BT", "submitting_unit_id": UNIT,
        "category": "merit", "submitted_on": now_vn().date().isoformat(), "documents": [
            {"kind": k, "title": t, "reference": None} for k, t in (
                ("submission_letter", "Tờ trình"), ("achievement_report", "Báo cáo thành tích"),
                ("review_minutes", "Biên bản họp Hội đồng"))],
        "candidates": [{"candidate_id": f"c-{i}", "recipient_kind": "individual", "subject_id": p}
                       for i, (p, _, _) in enumerate(people, start=1)]})
    assert answer.status_code == 201, answer.text
    files = [("to_trinh", None), ("bien_ban_hoi_dong", None), ("bao_cao_thanh_tich", "c-1"),
             ("bao_cao_thanh_tich", "c-2")]
    for kind, candidate_id in files:
        fields = {"kind": kind, "title": f"{kind} {candidate_id or ''}".strip()}
        if candidate_id:
            fields["candidate_id"] = candidate_id
        answer = awards("POST", f"/nominations/{nomination_id}/dossier/documents", Role.UNIT_OFFICER, data=fields,
                        files={"file": (f"{kind}.pdf", pdf(kind), "application/pdf")})
        assert answer.status_code == 201, answer.text
    return nomination_id, people


def test_the_office_closes_the_notice_with_a_comment_and_records_its_verification(portal: Portal, page: Page) -> None:
    page.context.set_default_timeout(PAGE_WAIT_MS)
    nomination_id, [(_, thao, _), _] = _file_nomination(portal)
    url = f"{portal.url}/nominations/{nomination_id}"
    portal.sign_in(page, "vanphong", f"/nominations/{nomination_id}")
    page.locator("summary", has_text="Mở lấy ý kiến công khai").click()
    send(page, page.locator("[data-testid=open-notice]"))
    assert "đang lấy ý kiến" in page.locator("[data-testid=notice]").inner_text()

    close = page.locator("form[aria-label='Kết thúc lấy ý kiến']")
    summary = "Bà Nguyễn Thị Lan (phòng Tổng hợp): đề nghị làm rõ thời gian công tác của người được đề nghị."
    close.locator("[id='comment.0.candidate_id']").select_option(label=thao)
    close.locator("[id='comment.0.summary']").fill(summary)
    send(page, close.locator("[data-testid=close-notice]"))
    assert page.url == f"{url}#close"
    assert "đã kết thúc" in page.locator("[data-testid=notice]").inner_text()
    comment = page.locator("[data-testid=comment]", has_text=summary)
    assert f"về {thao}" in comment.inner_text()
    assert comment.locator("[data-testid=comment-status]").inner_text() == "đang xác minh"

    # A result whose conclusion is blank is refused next to the field; then recorded.
    comment.locator("summary", has_text="Ghi kết quả xác minh").click()
    comment.locator("textarea[name=result]").fill("   ")
    send(page, comment.locator("[data-testid=record-result]"))
    comment = page.locator("[data-testid=comment]", has_text=summary)
    assert comment.locator("[data-testid=error-result]").inner_text() == "Ghi kết luận xác minh."
    conclusion = "Đã xác minh hồ sơ cán bộ: đủ thời gian công tác theo quy định."
    comment.locator("select[name=founded]").select_option("no")
    comment.locator("textarea[name=result]").fill(conclusion)
    send(page, comment.locator("[data-testid=record-result]"))
    assert page.url == f"{url}#result"
    status = page.locator("[data-testid=comment]", has_text=summary).locator("[data-testid=comment-status]")
    assert status.inner_text().endswith(f"không có cơ sở — {conclusion}")
    assert status.inner_text().startswith("đã xác minh ngày ")
    assert page.locator("[data-testid=comment] form").count() == 0  # nothing left to verify


def _enrol_one_off(portal: Portal) -> tuple[str, str]:
    """A new person of the unit whose file attests a one-off achievement in 2025 (a route to the Prime Minister's
    certificate, Luật TĐKT 2022 Điều 73 khoản 1); (id, name)."""
    units, awards = _api(portal, "units"), _api(portal, "awards")
    person_id, name = f"p-ref-hoa-{secrets.token_hex(3)}", "Trịnh Thị Hoà"
    answer = units("POST", "/people", Role.UNIT_OFFICER, json={
        "person_id": person_id, "full_name": name, "sex": "female", "date_of_birth": "1985-06-20",
        "sector_joined_on": "2008-09-01", "unit_id": UNIT, "position": "Chuyên viên chính",
        "staff_category": "cong_chuc", "union_member": True})
    assert answer.status_code == 201, answer.text
    _until(lambda: awards("GET", "/assessments", Role.EMULATION_OFFICE, params={
        "code": "BK_TTG", "year": YEAR, "person_id": person_id}).status_code == 200, f"the awards service knows {person_id}")
    answer = awards("POST", "/attestations", Role.EMULATION_OFFICE, json={
        "recipient_kind": "individual", "subject_id": person_id, "key": "one_off_achievement", "year": YEAR,
        "reference": "Báo cáo thành tích đột xuất 2025"})
    assert answer.status_code == 201, answer.text
    return person_id, name


def test_the_office_records_the_higher_authoritys_decision_on_a_proposal(portal: Portal, page: Page) -> None:
    """The Prime Minister's certificate: the council votes, the Minister proposes it upward (confirming), the
    office downloads the tờ trình (DOCX, PDF) from the nomination's page and records the Prime Minister's decision
    on the proposal."""
    page.context.set_default_timeout(PAGE_WAIT_MS)
    person_id, name = _enrol_one_off(portal)
    awards = _api(portal, "awards")
    nomination_id = f"n-ref-ttg-{secrets.token_hex(4)}"
    answer = awards("POST", "/nominations", Role.UNIT_OFFICER, json={
        "nomination_id": nomination_id, "year": YEAR, "award_code": "BK_TTG", "submitting_unit_id": UNIT,
        "category": "merit", "submitted_on": now_vn().date().isoformat(),
        "documents": [{"kind": "submission_letter", "title": "Tờ trình", "reference": None},
                                           {"kind": "achievement_report", "title": "Báo cáo thành tích", "reference": None},
                                           {"kind": "review_minutes", "title": "Biên bản họp Hội đồng", "reference": None}],
        "candidates": [{"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": person_id}]})
    assert answer.status_code == 201, answer.text
    missing = awards("GET", f"/nominations/{nomination_id}/dossier", Role.UNIT_OFFICER).json()["completeness"]["missing"]
    for m in missing:  # the dossier the law requires for this award, one file each
        fields = {"kind": m["kind"], "title": m["label_vi"], **({"candidate_id": m["candidate_id"]}
                                                                 if m.get("candidate_id") else {})}
        answer = awards("POST", f"/nominations/{nomination_id}/dossier/documents", Role.UNIT_OFFICER, data=fields,
                        files={"file": (f"{m['kind']}.pdf", pdf(m["label_vi"]), "application/pdf")})
        assert answer.status_code == 201, answer.text
    url = f"{portal.url}/nominations/{nomination_id}"

    office = page
    portal.sign_in(office, "vanphong", f"/nominations/{nomination_id}")
    assert office.locator("[data-testid=candidate-status]").inner_text() == "Đủ điều kiện"
    office.locator("summary", has_text="Mở lấy ý kiến công khai").click()
    send(office, office.locator("[data-testid=open-notice]"))
    send(office, office.locator("[data-testid=close-notice]"))
    office.locator("summary", has_text="Ghi kết quả bỏ phiếu").click()
    for select in office.locator("[data-testid=ballots] select").all():
        select.select_option("for")
    send(office, office.locator("[data-testid=record-vote]"))
    assert "— đạt" in office.locator("[data-testid=candidate]").inner_text()

    minister = office.context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    minister.context.set_default_timeout(PAGE_WAIT_MS)
    try:
        portal.sign_in(minister, "botruong", f"/nominations/{nomination_id}")
        minister.locator("summary", has_text="Trình cấp trên").click()
        minister.fill("#submission_number", "512/TTr-BCT")
        send(minister, minister.locator("[data-testid=propose]"))
        assert minister.locator("h1").inner_text() == "Xác nhận: trình cấp trên"
        assert name in minister.locator("[data-testid=confirm-what]").inner_text()
        send(minister, minister.locator("button", has_text="Xác nhận"))
        assert minister.url == f"{url}#propose"
        assert minister.locator("[data-testid=candidate-status]").inner_text() == "Đã trình cấp trên"
    finally:
        minister.context.close()

    office.goto(url)
    proposal = office.locator("[data-testid=proposal]", has_text="512/TTr-BCT")
    for kind, magic in (("docx", b"PK"), ("pdf", b"%PDF-")):  # the tờ trình, through the portal
        with office.expect_download() as download:
            proposal.locator(f"[data-testid=submission-{kind}]").click()
        content = download.value.path().read_bytes()
        assert content.startswith(magic) and download.value.suggested_filename.endswith(f".{kind}")
        if kind == "pdf":
            text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages))
            assert "512/TTr-BCT" in text and name in text, text[:500]
    proposal.locator("summary", has_text="Ghi quyết định của cấp trên").click()
    proposal.locator("input[name=decision_number]").fill("1789/QĐ-TTg")
    send(office, proposal.locator("button", has_text="Ghi quyết định"))
    assert office.url == f"{url}#decision"
    assert "Cấp trên đã quyết định." in office.locator("[data-testid=proposal]").inner_text()
    assert "1789/QĐ-TTg" in office.locator("[data-testid=decision]").inner_text()
    assert office.locator("[data-testid=candidate-status]").inner_text() == "Cấp trên đã khen thưởng"
