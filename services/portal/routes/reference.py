"""The office's reference data: the council's composition, the quotas of a year and its public holidays.

Each is a form over the awards service's PUT (services/portal/forms.py: CSRF, Idempotency-Key, refusals next
to the field in Vietnamese with the input kept, a redirect on success), showing the current value from its GET.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from .. import forms
from ..backends.base import BackendError
from ..formats import now_vn, parse_day
from ..sessions import Session
from .common import optional, render, session
from .nominations import COUNCIL_ID

router = APIRouter()
ROLE_SEATS = (("chair", "Chủ tịch Hội đồng"), ("vice_chair", "Phó Chủ tịch Hội đồng"),
              ("standing_member", "Ủy viên thường trực"), ("member", "Ủy viên"))
"""The seats on the council (services/awards/workflow/council.py CouncilRole)."""
SPARE_ROWS = 3
"""Empty member rows under the current members, to add members."""
FORM_NAMES = ("council", "quota", "holidays")


def _day_iso(text: str) -> str | None:
    try:
        found = parse_day(text)
    except ValueError:
        return None
    return found.isoformat() if found else None


def council_body(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    """The council's composition from the form: one row per member (id, name, seat); empty rows are skipped."""
    members = []
    rows = sorted({int(k.split(".")[1]) for k in f if k.startswith("member.") and k.split(".")[1].isdigit()})
    for i in rows:
        member_id = str(f.get(f"member.{i}.id") or "").strip()
        name = str(f.get(f"member.{i}.name") or "").strip()
        if not member_id and not name:
            continue
        if not member_id or not name:
            e[f"member.{i}.name"] = "Cần cả mã và họ tên thành viên."
            continue
        members.append({"member_id": member_id, "name": name, "role": str(f.get(f"member.{i}.role") or "member")})
    if not members:
        e["members"] = "Cần ít nhất một thành viên."
    effective_on = _day_iso(str(f.get("effective_on") or ""))
    if effective_on is None:
        e["effective_on"] = "Ngày không hợp lệ: viết theo dạng dd/mm/yyyy."
    name = str(f.get("name") or "").strip()
    if not name:
        e["name"] = "Bắt buộc nhập."
    body: dict[str, Any] = {"name": name, "members": members, "effective_on": effective_on,
                            "decision_number": str(f.get("decision_number") or "").strip() or None}
    share = str(f.get("default_share") or "").strip().replace(",", ".")
    if share:
        try:
            body["default_share"] = float(share) / 100
        except ValueError:
            e["default_share"] = "Phải là số (phần trăm)."
    return body


def quota_body(f: Mapping[str, Any], e: dict[str, str]) -> tuple[str, str, dict[str, Any]]:
    """The award code and year of the quota's path, and its body (the unit empty: the whole Ministry)."""
    code = str(f.get("award_code") or "").strip()
    if not code:
        e["award_code"] = "Bắt buộc nhập."
    year = str(f.get("quota_year") or "").strip()
    if not year.isdigit():
        e["quota_year"] = "Phải là số nguyên."
    count: int | str = str(f.get("max_count") or "").strip()
    try:
        count = int(count)
    except ValueError:
        e["max_count"] = "Phải là số nguyên."
    label = str(f.get("label") or "").strip()
    if not label:
        e["label"] = "Bắt buộc nhập."
    return code, year, {"unit_id": str(f.get("unit_id") or "").strip() or None, "max_count": count, "label": label}


def holidays_body(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    """The year's holidays from a text area: one a line, ``dd/mm/yyyy Tên ngày lễ``."""
    days = []
    for number, line in enumerate(str(f.get("days") or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        when, _, name = line.partition(" ")
        iso = _day_iso(when)
        if iso is None or not name.strip():
            e.setdefault("days", f"Dòng {number}: viết theo dạng dd/mm/yyyy Tên ngày lễ.")
            continue
        days.append({"day": iso, "name": name.strip()})
    return {"days": days}


def holidays_text(days: list[dict[str, Any]]) -> str:
    """The recorded holidays as the text area shows them."""
    return "\n".join(f"{parse_day(d['day']).strftime('%d/%m/%Y')} {d['name']}" for d in days)  # type: ignore[union-attr]


async def _page(request: Request, s: Session, year: int, refused: tuple[str, forms.Form] | None = None,
                status: int = 200) -> HTMLResponse:
    token = s.tokens.access_token
    awards_api = request.app.state.awards
    council, quotas, holidays = await asyncio.gather(
        optional(awards_api.council(token, COUNCIL_ID, now_vn().date().isoformat())),
        optional(awards_api.get(token, "/quotas", {"year": year})),
        optional(awards_api.get(token, f"/holidays/{year}")), return_exceptions=True)
    if isinstance(council, BackendError) and council.code == "council_not_found":
        council = None  # not composed yet: the form starts empty
    for part in (council, quotas, holidays):
        if isinstance(part, BaseException):
            raise part
    all_forms = {name: forms.Form() for name in FORM_NAMES}
    if refused:
        all_forms[refused[0]] = refused[1]
    current = council.get("current") if council else None
    members = list(current["members"]) if current else []
    posted = [int(k.split(".")[1]) for k in all_forms["council"].values if k.startswith("member.")
              and k.split(".")[1].isdigit()]
    rows = max(len(members), max(posted, default=-1) + 1) + SPARE_ROWS
    return render(request, "reference.html", {
        "year": year, "council": council, "current": current, "members": members, "rows": rows, "quotas": quotas,
        "holidays": holidays, "holidays_text": holidays_text(holidays["days"]) if holidays else "",
        "forms": all_forms, "ROLE_SEATS": ROLE_SEATS, "SEAT_VI": dict(ROLE_SEATS), "COUNCIL_ID": COUNCIL_ID,
        "today": now_vn().strftime("%d/%m/%Y"), "answered_at": now_vn()}, status_code=status)


@router.get("/reference", response_class=HTMLResponse)
async def reference_page(request: Request, s: Annotated[Session, Depends(session)],
                         year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> HTMLResponse:
    """The council in force today, the year's quotas and holidays, each with its form."""
    return await _page(request, s, year or now_vn().year)


@router.post("/reference/{what}", response_class=HTMLResponse)
async def set_reference(request: Request, what: str, s: Annotated[Session, Depends(session)],
                        year: Annotated[int | None, Query(ge=2000, le=2100)] = None) -> Response:
    """One of the three forms: checked, sent as a PUT with its key; the page again, the input kept, when refused."""
    fields = await forms.read(request, s)
    year = year or now_vn().year
    errors: dict[str, str] = {}
    names: dict[str, str] = {}
    if what == "council":
        path, body = f"/councils/{quote(COUNCIL_ID)}", council_body(fields, errors)
        names = {"member_id": "members", "role": "members", "members": "members", "duplicate_entry": "members"}
    elif what == "quota":
        code, quota_year, body = quota_body(fields, errors)
        path = f"/quotas/{quote(code)}/{quota_year}"
        names = {"year": "quota_year", "unit_id": "unit_id"}
        if quota_year.isdigit():
            year = int(quota_year)
    elif what == "holidays":
        path, body = f"/holidays/{year}", holidays_body(fields, errors)
        names = {"day": "days", "name": "days", "duplicate_entry": "days"}
    else:
        raise BackendError("portal", 404, "not_found", f"không có danh mục {what!r}")
    if errors:
        return await _page(request, s, year, (what, forms.Form(values=forms.inputs(fields), errors=errors)),
                           status=422)
    try:
        await request.app.state.awards.put(s.tokens.access_token, path, body, str(fields.get("idempotency_key") or ""))
    except BackendError as error:
        form = forms.refused(error, forms.inputs(fields), names)
        return await _page(request, s, year, (what, form), status=403 if error.status == 403 else 422)
    return forms.done(f"/reference?year={year}#{what}")
