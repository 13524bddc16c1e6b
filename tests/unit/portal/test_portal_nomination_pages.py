"""The nomination pages rendered from services' answers: every act's form with the session's CSRF token and its
own Idempotency-Key (one per candidate for the per-candidate acts), a refused field marked and its message
linked, the verdicts with their citations, the inbox's counts as links."""

from __future__ import annotations

import re
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from starlette.requests import Request

from services.portal import forms
from services.portal.app import templates
from services.portal.routes.nominations import BALLOT_VI, FORM_NAMES, PER_CANDIDATE, STAGE_VI, _vote

ENV = templates()
REQUEST = Request({"type": "http", "method": "GET", "path": "/nominations/n-1", "headers": [], "query_string": b"",
                   "server": ("portal", 80), "scheme": "http", "root_path": ""})
SESSION = SimpleNamespace(csrf="csrf-token", name="Trần Thị Thu Hà", roles=["emulation_office"])


def _candidate(cid: str, name: str, status: str, status_vi: str, **kw: Any) -> dict[str, Any]:
    return {"candidate_id": cid, "display_name": name, "subject_id": f"p-{cid}", "status": status,
            "status_vi": status_vi, "reasons": [], "assessment": None, "votes": [], "decision": None,
            "rejection_reason": None, **kw}


CANDIDATES = [
    _candidate("c-1", "Lê Thị Ánh Tuyết", "eligible", "Đủ điều kiện", assessment={
        "eligible": True, "assessed_on": "2026-12-01", "unconfirmed_rules": False, "criteria": [
            {"status": "passed", "explanation_vi": "Có thành tích đóng góp được xác nhận",
             "citation": "Luật Thi đua, khen thưởng 2022, Điều 74", "unconfirmed": False}]}),
    _candidate("c-2", "Phạm Văn Hải", "returned", "Trả lại hồ sơ", reasons=["Thiếu xác nhận của thủ trưởng."]),
]
NOMINATION = {"nomination_id": "n-1", "award_name": "Bằng khen của Bộ trưởng Bộ Công Thương", "year": 2025,
              "submitting_unit_id": "u-cxnk", "submitted_on": "2026-12-01", "path_vi": "Khen thưởng thường xuyên",
              "procedures": {"individual": {"authority_vi": "Bộ trưởng", "council_vote_share": 0.9,
                                            "public_notice_working_days": None}},
              "candidates": CANDIDATES, "notices": [], "proposals": []}
DOSSIER = {"documents": [{"document_id": "d-1", "kind": "to_trinh", "kind_vi": "Tờ trình", "candidate_id": None,
                          "title": "Tờ trình 15/TTr-CXNK", "versions": [
                              {"version": 1, "file_name": "to-trinh.pdf", "attached_on": "2026-12-01"}]}],
           "assignee_id": None, "assignments": [],
           "completeness": {"complete": False, "enforced": True, "missing": [
               {"kind": "bao_cao_thanh_tich", "label_vi": "Báo cáo thành tích", "candidate_id": "c-1",
                "citation": "Luật Thi đua, khen thưởng 2022, Điều 84 khoản 1", "confidence": "C",
                "overridden": False}]}}
COUNCIL = {"council_id": "hd-tdkt-bct", "current": {"members": [{"member_id": "m-01", "name": "Nguyễn Văn A"},
                                                                {"member_id": "m-02", "name": "Trần Thị B"}]}}


def _page(refused: tuple[str, forms.Form] | None = None) -> str:
    all_forms = {k: forms.Form() for k in FORM_NAMES}
    all_forms.update({f"{a}:{c['candidate_id']}": forms.Form() for c in CANDIDATES for a in PER_CANDIDATE})
    if refused:
        all_forms[refused[0]] = refused[1]
    return ENV.get_template("nomination.html").render(
        request=REQUEST, session=SESSION, n=NOMINATION, dossier=DOSSIER, audit={"entries": []}, council=COUNCIL,
        forms=all_forms, refused=refused[0] if refused else None, today="01/12/2026", unit=None,
        BALLOT_VI=BALLOT_VI, answered_at=datetime(2026, 12, 1, 9, 0), signer="Bộ trưởng Nguyễn Hồng Diên")


def test_every_act_is_a_form_with_the_csrf_token_and_its_own_key() -> None:
    html = _page()
    actions = re.findall(r'<form method="post" action="/nominations/n-1/acts/([a-z]+)"', html)
    assert set(actions) >= {"resubmit", "return", "upload", "assign", "notice", "vote", "grant", "propose", "reject"}
    assert html.count('name="csrf" value="csrf-token"') == len(actions) + 1  # and the header's sign-out
    keys = re.findall(r'name="idempotency_key" value="([^"]+)"', html)
    assert len(keys) == len(actions) == len(set(keys))  # one key per form: two acts are never one command
    assert 'enctype="multipart/form-data"' in html and 'href="/nominations/n-1/files/d-1/1"' in html
    assert "Căn cứ: Luật Thi đua, khen thưởng 2022, Điều 74" in html
    assert "Thiếu xác nhận của thủ trưởng." in html and "Điều 84 khoản 1" in html
    assert html.count('name="ballot.c-1.m-0') == 2  # one ballot choice per member, for the eligible candidate


def test_a_refused_act_shows_its_message_on_the_field_of_that_candidate_only() -> None:
    refused = forms.Form(values={"reason": "Thử", "returned_on": "31/02/2026", "candidate_id": "c-1"},
                         errors={"returned_on": "Ngày không hợp lệ: viết theo dạng dd/mm/yyyy."})
    html = _page(("return:c-1", refused))
    assert 'id="return-c-1-returned_on" name="returned_on" type="text" value="31/02/2026" required aria-invalid="true"' \
        in html
    assert 'aria-describedby="return-c-1-returned_on-hint return-c-1-returned_on-error"' in html
    assert html.count("Ngày không hợp lệ") == 1 and ">Thử</textarea>" in html
    assert 'data-testid="page-error"' in html


def test_the_vote_form_gives_each_candidate_its_ballots() -> None:
    errors: dict[str, str] = {}
    body = _vote({"voted_on": "20/12/2026", "council_id": "hd-tdkt-bct", "vote_candidates": "c-1",
                  "ballot.c-1.m-01": "for", "ballot.c-1.m-02": "written", "ballot.c-1.m-03": ""}, errors)
    assert errors == {}
    assert body == {"council_id": "hd-tdkt-bct", "voted_on": "2026-12-20", "results": [{"candidate_id": "c-1", "ballots": [
        {"member_id": "m-01", "approve": True, "in_writing": False},
        {"member_id": "m-02", "approve": True, "in_writing": True}]}]}
    bad: dict[str, str] = {}
    _vote({"voted_on": "20/13/2026", "vote_candidates": "c-1"}, bad)
    assert bad == {"voted_on": "Ngày không hợp lệ: viết theo dạng dd/mm/yyyy."}


def test_the_inbox_links_every_stage_with_its_count() -> None:
    counts = {k: 0 for k in STAGE_VI} | {"returned": 2}
    html = ENV.get_template("nominations.html").render(
        request=REQUEST, session=SESSION, answer={"counts": counts, "total": 0, "items": []},
        filters={"year": 2025, "state": "returned", "unit_id": None}, STAGE_VI=STAGE_VI,
        link=lambda **kw: "/nominations?" + "&".join(f"{k}={v}" for k, v in kw.items()),
        answered_at=datetime(2026, 12, 1, 9, 0))
    for stage, text in STAGE_VI.items():
        assert f'data-testid="stage-{stage}"' in html and text in html
    assert 'data-testid="stage-returned" aria-current="page">Đã trả lại đơn vị (<span class="count">2</span>)' in html
