"""A unit's registrations (đăng ký thi đua) and training reports: the unit officer's page for a year.

``GET /units/{id}/registrations?year=`` lists what the unit (and its sub-units) registered that year (the
reporting service's ``GET /registrations``), with the form to register the unit and people of it for a
movement (campaigns ``POST /registrations``: people picked from a name search limited to the unit), the
button to withdraw (``POST /registrations/{movement}/{unit}/{year}/withdraw``) and the form to report how
many staff completed a training (``POST /training-reports``), next to the year's training targets. Who may is
the campaigns service's rule (a unit officer: own units only); its refusals (deadline passed, outside the
movement's scope) are shown next to the field in Vietnamese, the input kept.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from .. import forms
from ..forms import Form
from ..formats import now_vn
from ..sessions import Session
from .common import optional, render, session
from .movements import Checked, Id, _send

router = APIRouter()
Year = Annotated[int | None, Query(ge=1945, le=2200)]

REGISTRATION_FIELDS = {"movement_id": "movement_id", "collective_titles": "collective_titles",
                       "individuals": "person_id", "titles": "person_titles", "year": "year",
                       "registration_deadline_passed": "movement_id", "unit_not_in_scope": "movement_id",
                       "movement_closed": "movement_id", "registration_exists": "movement_id",
                       "movement_not_found": "movement_id", "person_not_found": "person_id",
                       "duplicate_person": "person_id", "title_not_for_individual": "person_titles",
                       "title_not_for_collective": "collective_titles",
                       "empty_registration": "collective_titles", "unknown_title": "collective_titles"}
"""A campaigns refusal (its path's last part, or its code) → the form field it is about."""


def _codes(value: Any) -> list[str]:
    """Title codes typed separated by commas or spaces, upper-cased (LDTT, CSTDCS …)."""
    return [c.upper() for c in re.split(r"[\s,;]+", str(value or "")) if c]


@router.get("/units/{unit_id}/registrations", response_class=HTMLResponse)
async def registrations(request: Request, unit_id: Id, s: Annotated[Session, Depends(session)], year: Year = None,
                        q: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    """The year's registrations of the unit; ``q`` searches the unit's people to pick for a registration."""
    shown = year or now_vn().year
    return await _page(request, s, unit_id, shown, q=q)


async def _page(request: Request, s: Session, unit_id: str, year: int, status_code: int = 200,
                q: str | None = None, **refused: Form) -> HTMLResponse:
    token = s.tokens.access_token
    reporting = request.app.state.reporting
    unit, listed, movements, targets = await asyncio.gather(
        request.app.state.units.unit(token, unit_id), optional(reporting.registrations(token, unit_id, year)),
        optional(reporting.movements(token, year)), optional(reporting.targets(token, year)))
    register_form = refused.get("register_form") or Form({"person_titles": "LDTT"})
    query = (q or "").strip() or str(register_form.value("q") or "").strip()
    found = (await request.app.state.units.search_people(token, query, 50))["items"] if query else []
    chosen = set(register_form.values_of("person_id"))
    people = [p for p in found if p.get("unit_id") == unit_id or p["person_id"] in chosen]
    open_movements = [m for m in (movements["items"] if movements else []) if m.get("status") != "closed"]
    training = [t for t in (targets["items"] if targets else []) if t.get("training_code")]
    context = {
        "unit": unit, "year": year, "listed": listed, "movements": open_movements, "q": query, "people": people,
        "training_targets": training, "register_form": register_form,
        "training_form": refused.get("training_form") or Form({"training_year": str(year)}),
        "withdraw_form": refused.get("withdraw_form") or Form(), "answered_at": now_vn(),
    }
    return render(request, "registrations.html", context, status_code=status_code)


def _year_of(fields: Mapping[str, Any], name: str = "year") -> int:
    value = str(fields.get(name) or "")
    return int(value) if value.isdigit() and 1945 <= int(value) <= 2200 else now_vn().year


@router.post("/units/{unit_id}/registrations", response_class=HTMLResponse)
async def register(request: Request, unit_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """Register the unit's and the ticked people's title aims for a movement's year: ``POST /registrations``."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    year = c.integer("year")
    people = forms.Form(fields).values_of("person_id")
    person_titles = _codes(fields.get("person_titles"))
    if people and not person_titles:
        c.errors["person_titles"] = "Nhập danh hiệu cá nhân đăng ký (ví dụ LDTT, CSTDCS)."
    body = {"movement_id": c.text("movement_id"), "unit_id": unit_id, "year": year,
            "collective_titles": _codes(fields.get("collective_titles")),
            "individuals": [{"person_id": p, "titles": person_titles} for p in people]}
    if not body["collective_titles"] and not people:
        c.errors["collective_titles"] = "Đăng ký ít nhất một danh hiệu tập thể hoặc một cá nhân."
    return await _answer(request, s, unit_id, year or _year_of(fields), "register_form", c, fields,
                         "/registrations", body, REGISTRATION_FIELDS)


@router.post("/units/{unit_id}/registrations/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, unit_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """Withdraw one registration of the unit (or a sub-unit): ``POST /registrations/{id}/withdraw``."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    body = {"movement_id": c.text("movement_id"), "unit_id": c.text("registered_unit_id"), "year": c.integer("year")}
    path = f"/registrations/{body['movement_id']}/{body['unit_id']}/{body['year']}/withdraw"
    return await _answer(request, s, unit_id, body["year"] or _year_of(fields), "withdraw_form", c, fields, path,
                         body)


@router.post("/units/{unit_id}/training-reports", response_class=HTMLResponse)
async def report_training(request: Request, unit_id: Id, s: Annotated[Session, Depends(session)]) -> Response:
    """How many of the unit's staff completed a training in a year: ``POST /training-reports``."""
    fields = await forms.read(request, s)
    c = Checked(fields)
    year = c.integer("training_year")
    body = {"unit_id": unit_id, "year": year, "training_code": c.text("training_code"),
            "completed": c.integer("completed"), "headcount": c.integer("headcount")}
    return await _answer(request, s, unit_id, year or _year_of(fields, "training_year"), "training_form", c, fields,
                         "/training-reports", body,
                         {"year": "training_year", "completed_exceeds_headcount": "completed"})


async def _answer(request: Request, s: Session, unit_id: str, year: int, form_name: str, c: Checked,
                  fields: Mapping[str, Any], path: str, body: dict[str, Any],
                  names: Mapping[str, str] | None = None) -> Response:
    """Send the command when the form is complete; the page again with the form refused if not."""
    if c.errors:
        return await _page(request, s, unit_id, year, 422, **{form_name: Form(forms.inputs(fields), c.errors)})
    refused = await _send(request, s, path, body, fields, names)
    if refused:
        return await _page(request, s, unit_id, year, 422, **{form_name: refused})
    return forms.done(f"/units/{unit_id}/registrations?year={year}")
