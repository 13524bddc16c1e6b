"""The nomination flow: the unit officer's nomination, the office's inbox and a nomination's page with every act.

Every act is a form (services/portal/forms.py): posted with the CSRF token, sent to the awards service with
the form's Idempotency-Key and the person's token, refused in Vietnamese next to the field with the input
kept, answered with a redirect. The portal decides nothing: a form is shown to whoever opens the page, and
the service's refusal (403 for a role it does not allow, ``outside_unit_scope`` for another unit) is what
the person reads.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from .. import forms
from ..backends.base import BackendError
from ..formats import now_vn, parse_day
from ..sessions import Session
from .common import optional, render, session

router = APIRouter()
COUNCIL_ID = "hd-tdkt-bct"
"""The Ministry's emulation and commendation council (Hội đồng TĐKT Bộ Công Thương)."""

STAGE_VI = {
    "received": "Đã tiếp nhận", "incomplete": "Hồ sơ chưa đủ", "returned": "Đã trả lại đơn vị",
    "on_notice": "Đang lấy ý kiến công khai", "awaiting_council": "Chờ Hội đồng xét",
    "awaiting_decision": "Chờ quyết định", "proposed_upward": "Đã trình cấp trên", "decided": "Đã quyết định",
}
WAITING_FOR = {"council_member": "awaiting_council", "approver": "awaiting_decision"}
"""What a council member's and the Minister's inbox opens on: what waits for their vote or decision."""
DOSSIER_VI = (("submission_letter", "Tờ trình đề nghị khen thưởng"), ("achievement_report", "Báo cáo thành tích"),
              ("review_minutes", "Biên bản họp Hội đồng Thi đua – Khen thưởng đơn vị"),
              ("vote_minutes", "Biên bản kiểm phiếu"), ("certification", "Văn bản xác nhận"))
"""What the submission declares the dossier holds (Luật TĐKT 2022 Điều 84); the files follow on the nomination's page."""
DECLARED = ("submission_letter", "achievement_report", "review_minutes")
"""Ticked when the form opens: what a merit nomination's dossier holds."""
COMMENT_ROWS = 3
"""Rows for the comments received on the form that closes a notice (empty rows are skipped)."""
BALLOT_VI = (("", "Vắng mặt, không có phiếu"), ("for", "Có mặt, đồng ý"), ("written", "Vắng mặt, phiếu đồng ý bằng văn bản"),
             ("against", "Không đồng ý"))


def _token(s: Session) -> str:
    return s.tokens.access_token


def _today() -> str:
    return now_vn().strftime("%d/%m/%Y")


class Invalid(Exception):
    """The portal's own check of a form (a date, a required choice): messages by field, nothing sent."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _day(fields: Mapping[str, Any], name: str, errors: dict[str, str]) -> str | None:
    """A dd/mm/yyyy field as an ISO date; its message in ``errors`` when it is not one."""
    try:
        found = parse_day(str(fields.get(name) or ""))
    except ValueError:
        found = None
    if found is None:
        errors[name] = "Ngày không hợp lệ: viết theo dạng dd/mm/yyyy."
        return None
    return found.isoformat()


def _text(fields: Mapping[str, Any], name: str, errors: dict[str, str], message: str = "Bắt buộc nhập.") -> str:
    value = str(fields.get(name) or "").strip()
    if not value:
        errors[name] = message
    return value


def _chosen(fields: Mapping[str, Any], name: str) -> list[str]:
    value = fields.get(name)
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str) and v]


# ------------------------------------------------------------------ inbox


@router.get("/nominations", response_class=HTMLResponse)
async def inbox(request: Request, s: Annotated[Session, Depends(session)],
                year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
                state: Annotated[str | None, Query(pattern="^[a-z_]*$", max_length=32)] = None,
                unit_id: Annotated[str | None, Query(max_length=64)] = None) -> HTMLResponse:
    """Nominations by stage with the counts; a council member and the Minister open on what waits for them,
    a unit officer on their unit's."""
    if state is None:
        state = next((WAITING_FOR[r] for r in s.roles if r in WAITING_FOR), None)
    if unit_id is None and "unit_officer" in s.roles:
        unit_id = s.unit_id
    filters = {"year": year, "state": state or None, "unit_id": unit_id or None}
    answer = await request.app.state.awards.nominations(_token(s), {**filters, "limit": 200})
    link = lambda **kw: "/nominations?" + urlencode(  # noqa: E731
        {k: v for k, v in {**filters, "state": "", **kw}.items() if v is not None})
    return render(request, "nominations.html", {"answer": answer, "filters": filters, "STAGE_VI": STAGE_VI,
                                                "link": link, "answered_at": now_vn()})


# ------------------------------------------------------------------ a new nomination


def _own_units(tree: dict[str, Any], root: str | None) -> list[tuple[str, str]]:
    """(id, name) of the unit officer's unit and the units under it (every unit for the office)."""
    found: list[tuple[str, str]] = []

    def walk(nodes: list[dict[str, Any]], inside: bool, depth: int) -> None:
        for node in nodes:
            here = inside or root is None or node["unit_id"] == root
            if here:
                found.append((node["unit_id"], "— " * depth + node["name"]))
            walk(node.get("children", []), here, depth + 1 if here else depth)

    walk(tree.get("units", []), False, 0)
    return found


async def _new_page(request: Request, s: Session, form: forms.Form, status: int = 200,
                    found: list[dict[str, Any]] | None = None) -> HTMLResponse:
    """The nomination form: unit, award, year, the people chosen with each one's verdict, a search to add more."""
    token = _token(s)
    awards_api = request.app.state.awards
    tree, catalogue = await asyncio.gather(request.app.state.units.tree(token, now_vn().date()),
                                           awards_api.catalogue(token))
    units = _own_units(tree, s.unit_id if "unit_officer" in s.roles else None)
    individual = [(a["code"], a["name_vi"]) for a in catalogue["awards"] if "individual" in a.get("recipients", [])]
    chosen = form.values_of("person_id")
    code, year = form.value("award_code"), form.value("year", str(now_vn().year - 1))
    names = dict(zip(chosen, form.values_of("person_name"), strict=False))
    verdicts: list[tuple[str, str, Any]] = []
    if code and str(year).isdigit():
        answers = await asyncio.gather(*(optional(awards_api.assessment(token, code, int(year), p)) for p in chosen),
                                       return_exceptions=True)
        verdicts = [(p, names.get(p, p), a) for p, a in zip(chosen, answers, strict=True)]
    else:
        verdicts = [(p, names.get(p, p), None) for p in chosen]
    return render(request, "nomination_new.html", {
        "form": form, "units": units, "awards": individual, "verdicts": verdicts, "found": found,
        "nomination_id": form.value("nomination_id") or f"n-{secrets.token_hex(6)}", "DOSSIER_VI": DOSSIER_VI,
    }, status_code=status)


@router.get("/nominations/new", response_class=HTMLResponse)
async def new_nomination(request: Request, s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    return await _new_page(request, s, forms.Form(values={"unit_id": s.unit_id or "", "documents": list(DECLARED)}))


@router.post("/nominations/new", response_class=HTMLResponse)
async def post_nomination(request: Request, s: Annotated[Session, Depends(session)]) -> Response:
    """One form, several buttons: ``search`` people, ``add`` the ticked ones (their verdicts shown), ``remove``
    one, ``submit`` the nomination (POST /nominations, the rendering's key making a double send one)."""
    fields = await forms.read(request, s)
    step = str(fields.get("step") or "")
    values = forms.inputs(fields)
    people, names = _chosen(fields, "person_id"), _chosen(fields, "person_name")
    if step.startswith("remove:"):
        gone = step.split(":", 1)[1]
        pairs = [(p, n) for p, n in zip(people, names, strict=False) if p != gone]
        people, names = [p for p, _ in pairs], [n for _, n in pairs]
    if step == "add":
        for picked in _chosen(fields, "pick"):
            person_id, _, name = picked.partition("|")
            if person_id not in people:
                people.append(person_id)
                names.append(name)
    values.update(person_id=people, person_name=names, pick=[])
    if step == "search":
        query = str(fields.get("q") or "").strip()
        found = (await request.app.state.units.search_people(_token(s), query, 30))["items"] if query else []
        unit_ids = {u for u, _ in _own_units(await request.app.state.units.tree(_token(s), now_vn().date()),
                                             str(fields.get("unit_id") or "") or None)}
        found = [p for p in found if p.get("unit_id") in unit_ids and not p.get("left_on")]
        return await _new_page(request, s, forms.Form(values=values), found=found)
    if step != "submit":
        return await _new_page(request, s, forms.Form(values=values))
    errors: dict[str, str] = {}
    unit_id = _text(fields, "unit_id", errors, "Chọn đơn vị trình.")
    code = _text(fields, "award_code", errors, "Chọn hình thức khen thưởng.")
    year = str(fields.get("year") or "")
    if not year.isdigit():
        errors["year"] = "Phải là số nguyên."
    if not people:
        errors["q"] = "Chọn ít nhất một người được đề nghị."
    if errors:
        return await _new_page(request, s, forms.Form(values=values, errors=errors), status=422)
    nomination_id = str(fields.get("nomination_id") or "")
    declared = dict(DOSSIER_VI)
    reference = str(fields.get("reference") or "").strip() or None
    documents = [{"kind": kind, "title": declared[kind], "reference": reference if kind == "submission_letter" else None}
                 for kind in _chosen(fields, "documents") if kind in declared]
    body = {"nomination_id": nomination_id, "year": int(year), "award_code": code, "submitting_unit_id": unit_id,
            "category": "merit", "submitted_on": now_vn().date().isoformat(), "documents": documents,
            "candidates": [{"candidate_id": f"c-{i}", "recipient_kind": "individual", "subject_id": p}
                           for i, p in enumerate(people, start=1)]}
    try:
        await request.app.state.awards.post(_token(s), "/nominations", body, str(fields.get("idempotency_key") or ""))
    except BackendError as error:
        if error.code != "nomination_exists":  # the same form sent twice: the nomination is there
            form = forms.refused(error, {**values, "q": ""}, names={
                "candidate_outside_unit": "q", "subject_id": "q", "candidates": "q", "submitting_unit_id": "unit_id",
                "unknown_award": "award_code", "wrong_recipient_kind": "award_code", "no_rule_for_year": "year",
                "year_in_future": "year", "dossier_incomplete": "documents", "reference": "reference"})
            return await _new_page(request, s, form, status=422 if error.status != 403 else 403)
    return forms.done(f"/nominations/{quote(nomination_id)}")


# ------------------------------------------------------------------ a nomination's page

FORM_NAMES = ("upload", "assign", "notice", "close", "vote", "grant", "reject", "propose", "decision")
PER_CANDIDATE = ("return", "resubmit")


async def _page(request: Request, s: Session, nomination_id: str,
                refused: tuple[str, forms.Form] | None = None, status: int = 200) -> HTMLResponse:
    token = _token(s)
    awards_api = request.app.state.awards
    nomination = await awards_api.nomination(token, nomination_id)
    dossier, audit, council = await asyncio.gather(
        optional(awards_api.dossier(token, nomination_id)), optional(awards_api.audit(token, nomination_id)),
        optional(awards_api.council(token, COUNCIL_ID, now_vn().date().isoformat())), return_exceptions=True)
    council = None if isinstance(council, BaseException) else council  # no council composed: no vote form
    for part in (dossier, audit):
        if isinstance(part, BaseException):
            raise part
    # One form (one Idempotency-Key) per act, and per candidate for the acts on one candidate.
    all_forms = {name: forms.Form() for name in FORM_NAMES}
    all_forms.update({f"{act}:{c['candidate_id']}": forms.Form() for c in nomination["candidates"]
                      for act in PER_CANDIDATE})
    all_forms.update({_result_form(c["candidate_id"], c["received_on"]): forms.Form()
                      for x in nomination["notices"] for c in x["comments"] if c.get("candidate_id")})
    if refused:
        all_forms[refused[0]] = refused[1]
    unit = await optional(request.app.state.units.unit(token, nomination["submitting_unit_id"]))
    return render(request, "nomination.html", {
        "n": nomination, "dossier": dossier, "audit": audit, "council": council, "forms": all_forms,
        "refused": refused[0] if refused else None, "today": _today(), "unit": unit, "BALLOT_VI": BALLOT_VI,
        "answered_at": now_vn(), "signer": f"Bộ trưởng {s.name}", "comment_rows": range(COMMENT_ROWS),
        "results": _results(nomination),
    }, status_code=status)


def _result_form(candidate_id: str, received_on: str) -> str:
    """The key of the form recording the verification of one comment (a candidate's comment of one day)."""
    return f"result:{candidate_id}:{received_on}"


def _results(nomination: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Each notice comment's verification result, by its form's key (absent: still being verified)."""
    return {_result_form(r["candidate_id"], r["received_on"]): r for x in nomination["notices"]
            for r in x.get("comment_results", [])}


@router.get("/nominations/{nomination_id}", response_class=HTMLResponse)
async def nomination_page(request: Request, nomination_id: str, s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    """Candidates with their verdicts, the dossier and what it lacks, the notices, votes, decisions, history, and
    the forms of every act."""
    return await _page(request, s, nomination_id)


@dataclass(frozen=True)
class Act:
    """One act on a nomination: the service's path, the body from the form, and whether it is irreversible."""

    path: str
    body: Callable[[Mapping[str, Any], dict[str, str]], dict[str, Any]]
    confirm: str | None = None
    """The confirmation's title, for an irreversible act."""


def _return(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    return {"reason": _text(f, "reason", e, "Ghi lý do trả lại."), "returned_on": _day(f, "returned_on", e)}


def _notice(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    ids = _chosen(f, "candidate_ids")
    if not ids:
        e["candidate_ids"] = "Chọn ít nhất một người."
    body = {"candidate_ids": ids, "opened_on": _day(f, "opened_on", e)}
    if str(f.get("closes_on") or "").strip():
        body["closes_on"] = _day(f, "closes_on", e)
    return body


def _close(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    """The notice's end with the comments received: per row the day, the candidate it names (or none), what it says."""
    comments = []
    for i in range(COMMENT_ROWS):
        summary = str(f.get(f"comment.{i}.summary") or "").strip()
        candidate_id = str(f.get(f"comment.{i}.candidate_id") or "")
        if not summary:
            if candidate_id:
                e[f"comment.{i}.summary"] = "Ghi nội dung ý kiến."
            continue
        comment = {"received_on": _day(f, f"comment.{i}.received_on", e), "summary": summary}
        if candidate_id:
            comment["candidate_id"] = candidate_id
        comments.append(comment)
    return {"closed_on": _day(f, "closed_on", e), "comments": comments}


def _comment_result(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    """The verification's result of one comment: founded or not, and its conclusion."""
    founded = str(f.get("founded") or "")
    if founded not in ("yes", "no"):
        e["founded"] = "Chọn kết quả xác minh."
    return {"candidate_id": str(f.get("candidate_id") or ""), "received_on": _day(f, "received_on", e),
            "resolved_on": _day(f, "resolved_on", e), "founded": founded == "yes",
            "result": _text(f, "result", e, "Ghi kết luận xác minh.")}


def _vote(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    """Each candidate's ballots from one select per member: present for/against, or absent with a written vote."""
    results: dict[str, list[dict[str, Any]]] = {}
    for name, value in f.items():
        if not name.startswith("ballot.") or not isinstance(value, str) or not value:
            continue
        _, candidate_id, member_id = name.split(".", 2)
        results.setdefault(candidate_id, []).append(
            {"member_id": member_id, "approve": value != "against", "in_writing": value == "written"})
    for candidate_id in _chosen(f, "vote_candidates"):
        results.setdefault(candidate_id, [])
    if not results:
        e["voted_on"] = "Không có người nào để bỏ phiếu."
    return {"council_id": str(f.get("council_id") or COUNCIL_ID), "voted_on": _day(f, "voted_on", e),
            "results": [{"candidate_id": c, "ballots": b} for c, b in results.items()]}


def _grant(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    ids = _chosen(f, "candidate_ids")
    if not ids:
        e["candidate_ids"] = "Chọn ít nhất một người."
    return {"candidate_ids": ids, "authority": "minister",
            "decision_number": _text(f, "decision_number", e), "decision_date": _day(f, "decision_date", e),
            "signer": _text(f, "signer", e)}


def _reject(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    ids = _chosen(f, "candidate_ids")
    if not ids:
        e["candidate_ids"] = "Chọn ít nhất một người."
    return {"candidate_ids": ids, "authority": "minister", "reason": _text(f, "reason", e, "Ghi lý do."),
            "decided_on": _day(f, "decided_on", e)}


def _propose(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    ids = _chosen(f, "candidate_ids")
    if not ids:
        e["candidate_ids"] = "Chọn ít nhất một người."
    return {"candidate_ids": ids, "submission_number": _text(f, "submission_number", e),
            "forwarded_on": _day(f, "forwarded_on", e)}


def _decision(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    outcomes = [{"candidate_id": name.split(".", 1)[1], "outcome": value} for name, value in f.items()
                if name.startswith("outcome.") and value in ("conferred", "declined")]
    if not outcomes:
        e["decision_number"] = "Chọn kết quả cho ít nhất một người."
    return {"decided_by": _text(f, "decided_by", e), "decision_number": _text(f, "decision_number", e),
            "decision_date": _day(f, "decision_date", e), "outcomes": outcomes,
            "recorded_on": now_vn().date().isoformat()}


ACTS: dict[str, Act] = {
    "return": Act("/candidates/{candidate_id}/returns", _return),
    "resubmit": Act("/candidates/{candidate_id}/resubmit",
                    lambda f, e: {"resubmitted_on": now_vn().date().isoformat()}),
    "assign": Act("/dossier/assignments", lambda f, e: {"assignee_id": _text(f, "assignee_id", e),
                                                        "assignee_name": str(f.get("assignee_name") or "") or None}),
    "notice": Act("/notices", _notice),
    "close": Act("/notices/close", _close),
    "result": Act("/notices/comment-results", _comment_result),
    "vote": Act("/votes", _vote),
    "grant": Act("/grants", _grant, confirm="quyết định khen thưởng"),
    "reject": Act("/rejections", _reject, confirm="không khen thưởng"),
    "propose": Act("/proposals", _propose, confirm="trình cấp trên"),
}
FIELD_NAMES = {"reasons": "reason", "candidate_ids": "candidate_ids", "closes_on": "closes_on",
               "notice_too_short": "closes_on", "date_before_submission": "returned_on",
               "decision_before_vote": "decision_date", "notice_period_not_over": "closed_on",
               "result_before_comment": "resolved_on"}
"""A service's field or code, to the form's field when they differ (forms.refused)."""


def _confirm_text(act: str, n: dict[str, Any], fields: Mapping[str, Any]) -> str:
    names = {c["candidate_id"]: c["display_name"] for c in n["candidates"]}
    people = ", ".join(names.get(c, c) for c in _chosen(fields, "candidate_ids"))
    if act == "grant":
        return (f"Tặng {n['award_name']} năm {n['year']} cho: {people} — quyết định số "
                f"{fields.get('decision_number', '')} ngày {fields.get('decision_date', '')}, {fields.get('signer', '')}.")
    if act == "propose":
        return f"Trình cấp trên {n['award_name']} năm {n['year']} cho: {people} — tờ trình số {fields.get('submission_number', '')}."
    return f"Không khen thưởng {n['award_name']} năm {n['year']} cho: {people}. Lý do: {fields.get('reason', '')}."


@router.post("/nominations/{nomination_id}/acts/{act}", response_class=HTMLResponse)
async def act_on(request: Request, nomination_id: str, act: str, s: Annotated[Session, Depends(session)]) -> Response:
    """One act: the form checked, confirmed when irreversible, sent with its key; the page again when refused.

    A per-candidate act (return, resubmit) names its candidate in the hidden field ``candidate_id``."""
    fields = await forms.read(request, s)
    candidate_id = str(fields.get("candidate_id") or "")
    if act == "upload":
        return await _upload(request, s, nomination_id, fields)
    if act == "decision":
        return await _higher_decision(request, s, nomination_id, fields)
    found = ACTS.get(act)
    if found is None:
        raise BackendError("portal", 404, "not_found", f"không có thao tác {act!r}")
    errors: dict[str, str] = {}
    body = found.body(fields, errors)
    which = f"{act}:{candidate_id}" if act in PER_CANDIDATE else act
    if act == "result":
        which = _result_form(candidate_id, str(fields.get("received_on") or ""))
    if errors:
        return await _page(request, s, nomination_id, (which, forms.Form(values=forms.inputs(fields), errors=errors)),
                           status=422)
    base = f"/nominations/{quote(nomination_id)}"
    if found.confirm and not forms.confirmed(fields):
        n = await request.app.state.awards.nomination(_token(s), nomination_id)
        return forms.confirm_page(request, fields, f"{base}/acts/{act}", found.confirm, _confirm_text(act, n, fields),
                                  base)
    if "{candidate_id}" in found.path and not candidate_id:
        raise BackendError("portal", 422, "invalid_request", "thiếu người được đề nghị (candidate_id)")
    path = base + found.path.format(candidate_id=quote(candidate_id))
    try:
        await request.app.state.awards.post(_token(s), path, body, str(fields.get("idempotency_key") or ""))
    except BackendError as error:
        form = forms.refused(error, forms.inputs(fields), FIELD_NAMES)
        return await _page(request, s, nomination_id, (which, form), status=403 if error.status == 403 else 422)
    return forms.done(f"{base}#{act}")


async def _upload(request: Request, s: Session, nomination_id: str, fields: dict[str, Any]) -> Response:
    """A dossier file (multipart to the awards service): its kind, the candidate it is for, a new version of one."""
    data = await request.form()
    upload = data.get("file")
    errors: dict[str, str] = {}
    kind = _text(fields, "kind", errors, "Chọn loại tài liệu.")
    title = _text(fields, "title", errors, "Ghi tên tài liệu.")
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = "Chọn tệp để tải lên."
    if errors:
        return await _page(request, s, nomination_id, ("upload", forms.Form(values=forms.inputs(fields),
                                                                            errors=errors)), status=422)
    assert isinstance(upload, UploadFile)
    sent = {"kind": kind, "title": title}
    for optional_field in ("candidate_id", "document_id"):
        if fields.get(optional_field):
            sent[optional_field] = str(fields[optional_field])
    content = await upload.read()
    try:
        await request.app.state.awards.upload(
            _token(s), f"/nominations/{quote(nomination_id)}/dossier/documents", sent,
            (upload.filename or "tai-lieu", content, upload.content_type or "application/octet-stream"),
            str(fields.get("idempotency_key") or ""))
    except BackendError as error:
        form = forms.refused(error, forms.inputs(fields), {"unsupported_file_type": "file", "file_too_large": "file",
                                                           "empty_file": "file", "unknown_document_kind": "kind",
                                                           "unknown_candidate": "candidate_id"})
        return await _page(request, s, nomination_id, ("upload", form), status=403 if error.status == 403 else 422)
    return forms.done(f"/nominations/{quote(nomination_id)}#dossier")


async def _higher_decision(request: Request, s: Session, nomination_id: str, fields: dict[str, Any]) -> Response:
    """The higher authority's decision, recorded by the office on the proposal it answers."""
    errors: dict[str, str] = {}
    proposal_id = _text(fields, "proposal_id", errors)
    body = _decision(fields, errors)
    if errors:
        return await _page(request, s, nomination_id, ("decision", forms.Form(values=forms.inputs(fields),
                                                                              errors=errors)), status=422)
    try:
        await request.app.state.awards.post(_token(s), f"/proposals/{quote(proposal_id)}/decisions", body,
                                            str(fields.get("idempotency_key") or ""))
    except BackendError as error:
        return await _page(request, s, nomination_id, ("decision", forms.refused(error, forms.inputs(fields))),
                           status=403 if error.status == 403 else 422)
    return forms.done(f"/nominations/{quote(nomination_id)}#decision")


# ------------------------------------------------------------------ files


async def streamed(request: Request, s: Session, path: str) -> StreamingResponse:
    """A file of the awards service streamed to the browser with the person's token: its type, name and length kept."""
    answer = await request.app.state.awards.file(_token(s), path)
    headers = {k: v for k, v in answer.headers.items() if k.lower() in ("content-disposition", "content-length")}
    return StreamingResponse(answer.aiter_bytes(), media_type=answer.headers.get("content-type"), headers=headers,
                             background=BackgroundTask(answer.aclose))


@router.get("/nominations/{nomination_id}/files/{document_id}/{version}")
async def dossier_file(request: Request, nomination_id: str, document_id: str, version: int,
                       s: Annotated[Session, Depends(session)]) -> StreamingResponse:
    """One version of a dossier file, streamed from the awards service with the person's token."""
    return await streamed(request, s, f"/nominations/{quote(nomination_id)}/dossier/documents/{quote(document_id)}"
                                       f"/versions/{version}/content")


@router.get("/nominations/{nomination_id}/draft-decision.docx")
async def draft_decision(request: Request, nomination_id: str, s: Annotated[Session, Depends(session)]) -> Response:
    """The draft decision (DOCX) the awards service writes for the eligible candidates."""
    return await streamed(request, s, f"/nominations/{quote(nomination_id)}/draft-decision.docx")


@router.get("/proposals/{proposal_id}/submission.{kind}")
async def submission(request: Request, proposal_id: str, kind: Literal["docx", "pdf"],
                     s: Annotated[Session, Depends(session)]) -> Response:
    """The tờ trình of a proposal upward (DOCX or PDF) the awards service writes."""
    return await streamed(request, s, f"/proposals/{quote(proposal_id)}/submission.{kind}")
