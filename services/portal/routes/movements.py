"""Movements, targets, pledges and clusters: the read pages of part 1 with the office's forms on them.

Launch a movement (campaigns ``POST /movements``), set its targets (``POST /targets``), review it
(``POST /movements/{id}/reviews``), record a pledge with its clauses (``POST /pledges``) and its reviews
(``POST /pledges/{id}/reviews``), form a cluster, change its membership and record its scores. Who may is
the campaigns service's rule: a refusal (403) is shown on the form. Dates are typed dd/mm/yyyy; the ids of
new targets and pledges come from the form's rendering, so a form sent twice is the same command.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from tdkt_contracts.catalogue.campaigns import ClauseResult, ClusterKind, Launcher, MovementKind, ReviewKind, TargetMetric

from .. import forms
from ..backends.base import BackendError, Refused
from ..forms import Form
from ..formats import now_vn, parse_day
from ..sessions import Session
from .common import render, session

router = APIRouter()
Id = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[^/\s]+$")]
NEW_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")

CHOICES = {
    "launched_by": [(m.value, m.label_vi) for m in Launcher],
    "kind": [(m.value, m.label_vi) for m in MovementKind],
    "metric": [(m.value, m.label_vi) for m in TargetMetric],
    "review_kind": [(m.value, m.label_vi) for m in ReviewKind],
    "clause_result": [(m.value, m.label_vi) for m in ClauseResult],
    "cluster_kind": [(m.value, m.label_vi) for m in ClusterKind],
}


class Checked:
    """The body of a command being built from a form's fields, with a message per field that is wrong."""

    def __init__(self, fields: Mapping[str, Any]) -> None:
        self.fields = fields
        self.errors: dict[str, str] = {}

    def text(self, name: str, required: bool = True) -> str | None:
        value = str(self.fields.get(name) or "").strip()
        if not value and required:
            self.errors[name] = "Bắt buộc nhập."
        return value or None

    def day(self, name: str, required: bool = True) -> str | None:
        """A dd/mm/yyyy field as the ISO date the services take."""
        value = self.text(name, required)
        if value is None:
            return None
        try:
            found = parse_day(value)
        except ValueError:
            self.errors[name] = "Ngày không hợp lệ: viết dd/mm/yyyy, ví dụ 05/09/2025."
            return None
        return found.isoformat() if found else None

    def number(self, name: str, required: bool = True) -> float | None:
        value = self.text(name, required)
        if value is None:
            return None
        try:
            return float(value.replace(",", "."))
        except ValueError:
            self.errors[name] = "Phải là một số (dấu phẩy thập phân, ví dụ 95,5)."
            return None

    def integer(self, name: str) -> int | None:
        value = self.text(name)
        if value is None:
            return None
        if not value.isdigit():
            self.errors[name] = "Phải là số nguyên."
            return None
        return int(value)

    def new_id(self, name: str) -> str | None:
        value = self.text(name)
        if value is not None and not (NEW_ID.match(value) and not value.isdigit()):
            self.errors[name] = ("Mã gồm chữ không dấu, số, dấu chấm hoặc gạch ngang (không chỉ có số), "
                                 "ví dụ pt-chuyen-doi-so-2025.")
            return None
        return value

    def lines(self, name: str, required: bool = True) -> list[str]:
        found = [line.strip() for line in str(self.fields.get(name) or "").splitlines() if line.strip()]
        if not found and required:
            self.errors[name] = "Bắt buộc nhập (mỗi dòng một mục)."
        return found

    def units(self, name: str, required: bool = True) -> list[str]:
        """Unit ids separated by commas, spaces or lines."""
        found = [u for u in re.split(r"[\s,;]+", str(self.fields.get(name) or "")) if u]
        if not found and required:
            self.errors[name] = "Nhập mã các đơn vị, cách nhau bởi dấu phẩy."
        return found


def _key_id(prefix: str, fields: Mapping[str, Any]) -> str:
    """A new aggregate's id from the form's rendering key: the same form sent twice names the same one."""
    key = re.sub(r"[^A-Za-z0-9]", "", str(fields.get("idempotency_key") or ""))[:12].lower()
    return f"{prefix}-{key}"


async def _send(request: Request, s: Session, path: str, body: dict[str, Any], fields: Mapping[str, Any],
                names: Mapping[str, str] | None = None) -> Form | None:
    """Send a command; None when done, else the form again with the service's refusal next to its field."""
    try:
        await request.app.state.campaigns.command(s.tokens.access_token, path, body,
                                                  str(fields.get("idempotency_key") or ""))
    except BackendError as error:
        if error.status >= 500 and not isinstance(error, Refused):
            raise
        return forms.refused(error, fields, names)
    return None


# ------------------------------------------------------------------ movements


@router.get("/movements/new", response_class=HTMLResponse)
async def new_movement(request: Request, s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    """The form to launch a movement."""
    today = now_vn().date().strftime("%d/%m/%Y")
    return _launch_page(request, Form({"launched_on": today, "period_start": today, "launched_by": "bo",
                                       "all_units": "1"}))


def _form_page(template: str) -> Callable[..., HTMLResponse]:
    """A page that is one form (launching a movement, forming a cluster), with its choices."""
    def page(request: Request, form: Form, status_code: int = 200) -> HTMLResponse:
        return render(request, template, {"form": form, "choices": CHOICES}, status_code=status_code)
    return page


_launch_page = _form_page("movement_new.html")
_clusters_page = _form_page("clusters.html")


@router.post("/movements/new", response_class=HTMLResponse)
async def launch_movement(request: Request, s: Annotated[Session, Depends(session)]) -> Response:
    """Launch: ``POST /movements``; then the movement's page."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    all_units = fields.get("all_units") == "1"
    body = {
        "movement_id": c.new_id("movement_id"), "title": c.text("title"), "launched_by": c.text("launched_by"),
        "kind": c.text("kind"), "criteria": c.text("criteria"), "launched_on": c.day("launched_on"),
        "period_start": c.day("period_start"), "period_end": c.day("period_end", required=False),
        "registration_deadline": c.day("registration_deadline", required=False),
        "decision_ref": c.text("decision_ref", required=False),
        "scope": {"all_units": True} if all_units else {"unit_ids": c.units("unit_ids")},
    }
    if c.errors:
        return _launch_page(request, Form(forms.inputs(fields), c.errors), 422)
    refused = await _send(request, s, "/movements", _present(body), fields, {"movement_id": "movement_id"})
    if refused:
        return _launch_page(request, refused, 422)
    return forms.done(f"/movements/{body['movement_id']}")


@router.get("/movements/{movement_id}", response_class=HTMLResponse)
async def movement(request: Request, movement_id: Id, s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    """A movement: targets, registrations, reviews, pledges (reporting), with the office's forms."""
    return await _movement_page(request, s, movement_id)


async def _movement_page(request: Request, s: Session, movement_id: str, status_code: int = 200,
                         **refused: Form) -> HTMLResponse:
    token = s.tokens.access_token
    try:
        answer = await request.app.state.reporting.movement(token, movement_id)
        pending = False
    except BackendError as error:
        if error.status != 404:
            raise
        # Just launched: the campaigns service has it, the reporting service's dashboard a moment later.
        live = await request.app.state.campaigns.movement(token, movement_id)
        answer = {"movement": live, "targets": [], "registrations": [], "reviews": [], "pledges": [], "as_of": None}
        pending = True
    today = now_vn().date().strftime("%d/%m/%Y")
    year = str(now_vn().year)
    forms_shown = {
        "target_form": Form({"target_year": year, "set_on": today}),
        "review_form": Form({"reviewed_on": today, "review_kind": "interim"}),
        "pledge_form": Form({"pledge_year": year, "signed_on": today}),
        **refused,
    }
    return render(request, "movement.html", {"m": answer, "pending": pending, "choices": CHOICES, **forms_shown},
                  status_code=status_code)


@router.post("/movements/{movement_id}/targets", response_class=HTMLResponse)
async def set_target(request: Request, movement_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """Set a target of the movement for a year: ``POST /targets``."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    body = {
        "target_id": _key_id("ct", fields), "movement_id": movement_id, "year": c.integer("target_year"),
        "metric": c.text("metric"), "threshold_percent": c.number("threshold_percent"),
        "description": c.text("description"), "set_on": c.day("set_on"),
        "training_code": c.text("training_code", required=False),
    }
    return await _answer(request, s, movement_id, "target_form", c, fields, "/targets", body,
                         {"year": "target_year"})


@router.post("/movements/{movement_id}/reviews", response_class=HTMLResponse)
async def review_movement(request: Request, movement_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """An interim or final review of the movement."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    body = {"movement_id": movement_id, "kind": c.text("review_kind"), "reviewed_on": c.day("reviewed_on"),
            "summary": c.text("summary"), "document_ref": c.text("document_ref", required=False)}
    return await _answer(request, s, movement_id, "review_form", c, fields, f"/movements/{movement_id}/reviews",
                         body, {"kind": "review_kind"})


@router.post("/movements/{movement_id}/pledges", response_class=HTMLResponse)
async def sign_pledge(request: Request, movement_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """A signed pledge of the movement: its parties, numbered clauses and signatories."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    parties = c.lines("parties")
    signatories = []
    for line in c.lines("signatories"):
        parts = [p.strip() for p in line.split("|")]
        if len(parts) != 3 or not all(parts):
            c.errors["signatories"] = "Mỗi dòng: Họ và tên | Chức vụ | Bên ký (một trong các bên giao ước)."
            break
        signatories.append({"full_name": parts[0], "position": parts[1], "party": parts[2]})
    body = {
        "pledge_id": _key_id("gu", fields), "movement_id": movement_id, "title": c.text("pledge_title"),
        "year": c.integer("pledge_year"), "signed_on": c.day("signed_on"),
        "parties": [{"name": p} for p in parties],
        "clauses": [{"number": i, "text": t} for i, t in enumerate(c.lines("clauses"), start=1)],
        "signatories": signatories, "occasion": c.text("occasion", required=False),
    }
    return await _answer(request, s, movement_id, "pledge_form", c, fields, "/pledges", body,
                         {"year": "pledge_year", "title": "pledge_title"})


async def _answer(request: Request, s: Session, movement_id: str, form_name: str, c: Checked,
                  fields: Mapping[str, Any], path: str, body: dict[str, Any],
                  names: Mapping[str, str] | None = None) -> Response:
    """Send the command when the form is complete; the movement's page again with the form refused if not."""
    if c.errors:
        return await _movement_page(request, s, movement_id, 422, **{form_name: Form(forms.inputs(fields), c.errors)})
    refused = await _send(request, s, path, _present(body), fields, names)
    if refused:
        return await _movement_page(request, s, movement_id, 422, **{form_name: refused})
    return forms.done(f"/movements/{movement_id}")


def _present(body: dict[str, Any]) -> dict[str, Any]:
    """The body without the optional fields left blank."""
    return {k: v for k, v in body.items() if v is not None}


# ------------------------------------------------------------------ pledges


@router.get("/pledges/{pledge_id}", response_class=HTMLResponse)
async def pledge(request: Request, pledge_id: Id, s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    """A pledge: its clauses with the latest result, and the form to review it."""
    return await _pledge_page(request, s, pledge_id, Form({"reviewed_on": now_vn().date().strftime("%d/%m/%Y"),
                                                           "review_kind": "interim"}))


async def _pledge_page(request: Request, s: Session, pledge_id: str, form: Form, status_code: int = 200) -> HTMLResponse:
    found = await request.app.state.campaigns.pledge(s.tokens.access_token, pledge_id)
    return render(request, "pledge.html", {"p": found, "form": form, "choices": CHOICES, "answered_at": now_vn()},
                  status_code=status_code)


@router.post("/pledges/{pledge_id}/reviews", response_class=HTMLResponse)
async def review_pledge(request: Request, pledge_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """Assess every clause (đạt, đạt một phần, không đạt): ``POST /pledges/{id}/reviews``."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    found = await request.app.state.campaigns.pledge(s.tokens.access_token, pledge_id)
    assessments = []
    for clause in found["clauses"]:
        number = clause["number"]
        assessments.append({"clause_number": number, "result": c.text(f"result_{number}"),
                            "comment": c.text(f"comment_{number}", required=False)})
    body = {"pledge_id": pledge_id, "kind": c.text("review_kind"), "reviewed_on": c.day("reviewed_on"),
            "summary": c.text("summary", required=False),
            "assessments": [_present(a) for a in assessments]}
    if c.errors:
        return await _pledge_page(request, s, pledge_id, Form(forms.inputs(fields), c.errors), 422)
    refused = await _send(request, s, f"/pledges/{pledge_id}/reviews", _present(body), fields, {"kind": "review_kind"})
    if refused:
        return await _pledge_page(request, s, pledge_id, refused, 422)
    return forms.done(f"/pledges/{pledge_id}")


# ------------------------------------------------------------------ clusters


@router.get("/clusters", response_class=HTMLResponse)
async def clusters(request: Request, s: Annotated[Session, Depends(session)],
                   cluster_id: Annotated[str | None, Query(max_length=128)] = None) -> Response:
    """Open a cluster by its id, or form a new one."""
    if cluster_id:
        return forms.done(f"/clusters/{cluster_id.strip()}")
    return _clusters_page(request, Form({"from_year": str(now_vn().year),
                                         "formed_on": now_vn().date().strftime("%d/%m/%Y"), "cluster_kind": "cum"}))


@router.post("/clusters", response_class=HTMLResponse)
async def form_cluster(request: Request, s: Annotated[Session, Depends(session)]) -> Response:
    """Form a cluster or bloc: ``POST /clusters``."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    body = {"cluster_id": c.new_id("cluster_id"), "name": c.text("name"), "kind": c.text("cluster_kind"),
            "members": c.units("members"), "from_year": c.integer("from_year"), "formed_on": c.day("formed_on"),
            "rotate_lead": fields.get("rotate_lead") == "1"}
    if c.errors:
        return _clusters_page(request, Form(forms.inputs(fields), c.errors), 422)
    refused = await _send(request, s, "/clusters", body, fields, {"kind": "cluster_kind"})
    if refused:
        return _clusters_page(request, refused, 422)
    return forms.done(f"/clusters/{body['cluster_id']}?year={body['from_year']}")


@router.get("/clusters/{cluster_id}", response_class=HTMLResponse)
async def cluster(request: Request, cluster_id: Id, s: Annotated[Session, Depends(session)],
                  year: Annotated[int | None, Query(ge=1945, le=2200)] = None) -> HTMLResponse:
    """A cluster's year: members, lead, scores and ranking; the forms to change membership and record scores."""
    return await _cluster_page(request, s, cluster_id, year or now_vn().year)


async def _cluster_page(request: Request, s: Session, cluster_id: str, year: int, status_code: int = 200,
                        **refused: Form) -> HTMLResponse:
    ranking = await request.app.state.campaigns.ranking(s.tokens.access_token, cluster_id, year)
    today = now_vn().date().strftime("%d/%m/%Y")
    shown = {"membership_form": Form({"changed_on": today}), "scores_form": Form({"scored_on": today}), **refused}
    return render(request, "cluster.html", {"c": ranking, "year": year, "answered_at": now_vn(), **shown},
                  status_code=status_code)


@router.post("/clusters/{cluster_id}/membership", response_class=HTMLResponse)
async def change_membership(request: Request, cluster_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """Add or remove members from a year on."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    year = c.integer("year")
    body = {"cluster_id": cluster_id, "year": year, "add": c.units("add", required=False),
            "remove": c.units("remove", required=False), "changed_on": c.day("changed_on"),
            "reason": c.text("reason", required=False)}
    if not body["add"] and not body["remove"]:
        c.errors["add"] = "Nhập ít nhất một đơn vị thêm vào hoặc rút ra."
    return await _cluster_answer(request, s, cluster_id, year, "membership_form", c, fields,
                                 f"/clusters/{cluster_id}/membership", body)


@router.post("/clusters/{cluster_id}/scores", response_class=HTMLResponse)
async def score_cluster(request: Request, cluster_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """Every member's score of the year (and the share of women, for ties): the ranking follows."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    year = c.integer("year")
    members = [str(m) for m in (fields.get("member") if isinstance(fields.get("member"), list)
                                 else [fields.get("member")] if fields.get("member") else [])]
    scores = []
    for unit_id in members:
        score = c.number(f"score_{unit_id}")
        women = c.number(f"women_{unit_id}", required=False)
        scores.append(_present({"unit_id": unit_id, "score": score, "women_share_percent": women}))
    body = {"cluster_id": cluster_id, "year": year, "scored_on": c.day("scored_on"), "scores": scores}
    return await _cluster_answer(request, s, cluster_id, year, "scores_form", c, fields,
                                 f"/clusters/{cluster_id}/scores", body)


async def _cluster_answer(request: Request, s: Session, cluster_id: str, year: int | None, form_name: str,
                          c: Checked, fields: Mapping[str, Any], path: str, body: dict[str, Any]) -> Response:
    shown_year = year or now_vn().year
    if c.errors:
        return await _cluster_page(request, s, cluster_id, shown_year, 422,
                                   **{form_name: Form(forms.inputs(fields), c.errors)})
    refused = await _send(request, s, path, _present(body), fields)
    if refused:
        return await _cluster_page(request, s, cluster_id, shown_year, 422, **{form_name: refused})
    return forms.done(f"/clusters/{cluster_id}?year={shown_year}")

