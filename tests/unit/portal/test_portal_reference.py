"""The office's reference data pages and a notice's comments, rendered from services' answers: the forms' bodies
as the awards API takes them, the current values shown, a refused field marked; each comment with its status and,
while it is being verified, the form recording its result."""

from __future__ import annotations

import re
from datetime import datetime

from services.portal import forms
from services.portal.routes.nominations import _close, _comment_result, _result_form, _results
from services.portal.routes.reference import (ROLE_SEATS, council_body, holidays_body, holidays_text, quota_body)

from .test_portal_nomination_pages import CANDIDATES, DOSSIER, ENV, NOMINATION, REQUEST, SESSION

COUNCIL = {"council_id": "hd-tdkt-bct", "current": {
    "name": "Hội đồng Thi đua – Khen thưởng Bộ Công Thương", "effective_on": "2026-01-05", "decision_number": "12/QĐ-BCT",
    "default_share": 0.5, "members_total": 2, "members": [
        {"member_id": "m-01", "name": "Nguyễn Hồng Diên", "role": "chair"},
        {"member_id": "m-02", "name": "Phan Thị Thắng", "role": "member"}]}}
COUNCIL["history"] = [COUNCIL["current"]]


def _reference(refused: tuple[str, forms.Form] | None = None) -> str:
    all_forms = {k: forms.Form() for k in ("council", "quota", "holidays")}
    if refused:
        all_forms[refused[0]] = refused[1]
    members = COUNCIL["current"]["members"]
    return ENV.get_template("reference.html").render(
        request=REQUEST, session=SESSION, year=2025, council=COUNCIL, current=COUNCIL["current"], members=members,
        rows=len(members) + 3, quotas=[{"award_code": "bang_khen_bo", "year": 2025, "unit_id": None, "max_count": 1200,
                                        "label": "Chỉ tiêu Bằng khen 2025"}],
        holidays={"days": [{"day": "2025-09-02", "name": "Quốc khánh"}]},
        holidays_text=holidays_text([{"day": "2025-09-02", "name": "Quốc khánh"}]), forms=all_forms,
        ROLE_SEATS=ROLE_SEATS, SEAT_VI=dict(ROLE_SEATS), today="01/12/2026", answered_at=datetime(2026, 12, 1, 9, 0))


def test_the_council_form_posts_members_with_their_seats_as_the_api_takes_them() -> None:
    errors: dict[str, str] = {}
    body = council_body({"name": "Hội đồng TĐKT", "effective_on": "05/01/2026", "decision_number": "12/QĐ-BCT",
                         "default_share": "60", "member.0.id": "m-01", "member.0.name": "Nguyễn Hồng Diên",
                         "member.0.role": "chair", "member.1.id": "", "member.1.name": "", "member.1.role": "member",
                         "member.2.id": "m-03", "member.2.name": "Lê Thị Hoa", "member.2.role": "member"}, errors)
    assert errors == {}
    assert body == {"name": "Hội đồng TĐKT", "effective_on": "2026-01-05", "decision_number": "12/QĐ-BCT",
                    "default_share": 0.6, "members": [
                        {"member_id": "m-01", "name": "Nguyễn Hồng Diên", "role": "chair"},
                        {"member_id": "m-03", "name": "Lê Thị Hoa", "role": "member"}]}
    bad: dict[str, str] = {}
    council_body({"name": "", "effective_on": "32/01/2026", "member.0.id": "m-01", "member.0.name": ""}, bad)
    assert bad == {"name": "Bắt buộc nhập.", "effective_on": "Ngày không hợp lệ: viết theo dạng dd/mm/yyyy.",
                   "member.0.name": "Cần cả mã và họ tên thành viên.", "members": "Cần ít nhất một thành viên."}


def test_the_quota_and_holiday_forms_give_the_path_and_body() -> None:
    errors: dict[str, str] = {}
    assert quota_body({"award_code": "bang_khen_bo", "quota_year": "2025", "unit_id": "", "max_count": "12",
                       "label": "Chỉ tiêu"}, errors) == (
        "bang_khen_bo", "2025", {"unit_id": None, "max_count": 12, "label": "Chỉ tiêu"})
    assert errors == {}
    bad: dict[str, str] = {}
    quota_body({"award_code": "x", "quota_year": "năm", "max_count": "mười", "label": ""}, bad)
    assert set(bad) == {"quota_year", "max_count", "label"}
    assert holidays_body({"days": "01/01/2025 Tết Dương lịch\n\n02/09/2025 Quốc khánh"}, errors) == {"days": [
        {"day": "2025-01-01", "name": "Tết Dương lịch"}, {"day": "2025-09-02", "name": "Quốc khánh"}]}
    holidays_body({"days": "01/01/2025 Tết Dương lịch\n2/9 Quốc khánh"}, bad)
    assert bad["days"] == "Dòng 2: viết theo dạng dd/mm/yyyy Tên ngày lễ."


def test_the_reference_page_shows_the_current_values_in_its_forms() -> None:
    html = _reference()
    assert re.findall(r'<form method="post" action="/reference/([a-z]+)\?year=2025"', html) == [
        "council", "quota", "holidays"]
    assert "2 thành viên, từ ngày 05/01/2026 (quyết định số 12/QĐ-BCT)" in html
    assert "<td>Nguyễn Hồng Diên</td><td>Chủ tịch Hội đồng</td>" in html
    assert "Nguyễn Hồng Diên (Chủ tịch Hội đồng); Phan Thị Thắng (Ủy viên)" in html  # the history
    assert 'name="member.1.name" type="text" value="Phan Thị Thắng"' in html
    assert 'name="member.4.id" type="text" value=""' in html  # spare rows to add members
    assert "<td>bang_khen_bo</td><td>2025</td><td>Toàn Bộ</td>" in html
    assert "02/09/2025 — Quốc khánh" in html and ">02/09/2025 Quốc khánh</textarea>" in html


def test_a_refused_holiday_list_keeps_the_input_with_its_message() -> None:
    refused = forms.Form(values={"days": "2/9 Quốc khánh"}, errors={"days": "Dòng 1: viết theo dạng dd/mm/yyyy Tên ngày lễ."})
    html = _reference(("holidays", refused))
    assert ">2/9 Quốc khánh</textarea>" in html and 'data-testid="error-days">Dòng 1' in html


def test_closing_the_notice_records_the_comments_and_each_result_its_verification() -> None:
    errors: dict[str, str] = {}
    body = _close({"closed_on": "15/12/2026", "comment.0.received_on": "10/12/2026", "comment.0.candidate_id": "c-1",
                   "comment.0.summary": "Ông Trần Văn Bình: chưa đủ 2 năm công tác", "comment.1.received_on": "15/12/2026",
                   "comment.1.summary": "", "comment.2.summary": "Góp ý chung về hồ sơ",
                   "comment.2.received_on": "11/12/2026"}, errors)
    assert errors == {}
    assert body == {"closed_on": "2026-12-15", "comments": [
        {"received_on": "2026-12-10", "candidate_id": "c-1", "summary": "Ông Trần Văn Bình: chưa đủ 2 năm công tác"},
        {"received_on": "2026-12-11", "summary": "Góp ý chung về hồ sơ"}]}
    bad: dict[str, str] = {}
    _close({"closed_on": "15/12/2026", "comment.0.candidate_id": "c-1", "comment.0.summary": ""}, bad)
    assert bad == {"comment.0.summary": "Ghi nội dung ý kiến."}
    assert _comment_result({"candidate_id": "c-1", "received_on": "2026-12-10", "resolved_on": "16/12/2026",
                            "founded": "no", "result": "Đủ thời gian công tác"}, errors) == {
        "candidate_id": "c-1", "received_on": "2026-12-10", "resolved_on": "2026-12-16", "founded": False,
        "result": "Đủ thời gian công tác"}
    _comment_result({"candidate_id": "c-1", "received_on": "2026-12-10", "resolved_on": "16/12/2026"}, bad)
    assert bad["founded"] == "Chọn kết quả xác minh." and bad["result"] == "Ghi kết luận xác minh."


def test_the_page_shows_each_comment_and_its_status(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    comments = [{"received_on": "2026-12-10", "candidate_id": "c-1", "summary": "Chưa đủ 2 năm công tác"},
                {"received_on": "2026-12-11", "candidate_id": None, "summary": "Góp ý chung"}]
    notice = {"opened_on": "2026-12-01", "closes_on": "2026-12-15", "closed_on": "2026-12-15", "candidate_ids": ["c-1"],
              "channel": "cổng thông tin", "comments": comments, "comment_results": []}
    monkeypatch.setitem(NOMINATION, "notices", [notice])
    key = _result_form("c-1", "2026-12-10")
    html = ENV.get_template("nomination.html").render(
        request=REQUEST, session=SESSION, n=NOMINATION, dossier=DOSSIER, audit={"entries": []}, council=None,
        forms={**{k: forms.Form() for k in ("upload", "assign", "notice", "close", "vote", "grant", "reject",
                                            "propose", "decision")},
               **{f"{a}:{c['candidate_id']}": forms.Form() for c in CANDIDATES for a in ("return", "resubmit")},
               key: forms.Form()}, refused=None, today="16/12/2026", unit=None, BALLOT_VI=(), results={},
        answered_at=datetime(2026, 12, 16, 9, 0), signer="", comment_rows=range(3))
    assert "Ngày 10/12/2026, về Lê Thị Ánh Tuyết: Chưa đủ 2 năm công tác" in html
    assert "<strong>đang xác minh</strong>" in html and "không nêu người cụ thể" in html
    assert html.count('action="/nominations/n-1/acts/result"') == 1  # only the comment naming a candidate
    assert 'name="received_on" value="2026-12-10"' in html
    notice["comment_results"] = [{"candidate_id": "c-1", "received_on": "2026-12-10", "resolved_on": "2026-12-16",
                                  "founded": False, "result": "Đủ thời gian công tác"}]
    resolved = ENV.get_template("nomination.html").render(
        request=REQUEST, session=SESSION, n=NOMINATION, dossier=DOSSIER, audit={"entries": []}, council=None,
        forms={k: forms.Form() for k in ("upload", "assign", "notice", "close", "vote", "grant", "reject", "propose",
                                         "decision")} | {f"{a}:{c['candidate_id']}": forms.Form() for c in CANDIDATES
                                                         for a in ("return", "resubmit")},
        refused=None, today="16/12/2026", unit=None, BALLOT_VI=(), results=_results(NOMINATION),
        answered_at=datetime(2026, 12, 16, 9, 0), signer="", comment_rows=range(3))
    assert "đã xác minh ngày 16/12/2026: không có cơ sở — Đủ thời gian công tác" in resolved
    assert 'acts/result"' not in resolved
