"""The read-side pages: home (the year), the movements' list (one movement: routes/movements.py), units, people,
awards.

Each route asks the services with the person's token and renders a template. A part a service refuses
(403) is left out of the page with a short note; the portal decides nothing about who may see what.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kernel.ids import canonical_id

from ..backends.base import BackendError
from ..chart import Bar, bars_svg
from ..formats import now_vn, parse_day
from ..sessions import Session
from .common import optional, render, session

router = APIRouter()
Year = Annotated[int | None, Query(ge=1990, le=2100)]
EARLIEST_YEAR = 2017
"""The first year of the demo history; the year picker offers every year from here to the current one."""


def years() -> list[int]:
    return list(range(now_vn().year, EARLIEST_YEAR - 1, -1))


def _token(s: Session) -> str:
    return s.tokens.access_token


def _to_canonical(request: Request, prefix: str, subject_id: str) -> RedirectResponse | None:
    """A redirect to the page's canonical address when the id was typed otherwise (``/units/NK01``): the
    services keep ids in canonical form, and one subject has one address."""
    canonical = canonical_id(subject_id)
    if canonical == subject_id or not canonical:
        return None
    path = prefix + quote(canonical, safe="")
    return RedirectResponse(path + (f"?{request.url.query}" if request.url.query else ""), status_code=301)


# ------------------------------------------------------------------ home


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, s: Annotated[Session, Depends(session)], year: Year = None) -> HTMLResponse:
    """The year: figures (chart and table), the year-end paragraph, targets, the pledge's clauses."""
    reporting = request.app.state.reporting
    token = _token(s)
    chosen = year or await _latest_year_with_figures(reporting, token)
    summary, targets, pledges = await asyncio.gather(
        reporting.summary(token, chosen), optional(reporting.targets(token, chosen)),
        optional(reporting.pledges(token, chosen)))
    link = lambda flow, code: "/awards?" + urlencode({"year": chosen, "flow": flow, "award_code": code})  # noqa: E731
    groups = [
        ("Bộ trưởng tặng", [Bar(i["award_name"], i["individuals"], i["collectives"], link("granted", i["award_code"]))
                            for i in summary["granted"] if i.get("authority") == "minister"]),
        ("Trình cấp trên", [Bar(i["award_name"], i["individuals"], i["collectives"], link("proposed", i["award_code"]))
                            for i in summary["proposed"]]),
        ("Cấp trên đã quyết định tặng", [
            Bar(i["award_name"], i["individuals"], i["collectives"], link("conferred", i["award_code"]))
            for i in summary["conferred_by_higher"]]),
    ]
    if pledges:
        # The campaigns service owns the pledges: their clauses with the last review's result.
        pledges = await asyncio.gather(*(request.app.state.campaigns.pledge(token, p["pledge_id"])
                                         for p in pledges["items"]))
    chart = bars_svg(f"Khen thưởng năm {chosen}", [(h, bars) for h, bars in groups if bars])
    return render(request, "home.html", {
        "year": chosen, "years": years(), "summary": summary, "chart": chart, "link": link,
        "targets": targets, "pledges": pledges,
    })


async def _latest_year_with_figures(reporting: Any, token: str) -> int:
    """The most recent year (of the last five) with any award recorded; the year before this one if none."""
    this_year = now_vn().year
    for candidate in range(this_year, this_year - 5, -1):
        totals = (await reporting.summary(token, candidate))["totals"]
        if any(part["individuals"] or part["collectives"] for part in totals.values()):
            return candidate
    return this_year - 1


# ------------------------------------------------------------------ movements


@router.get("/movements", response_class=HTMLResponse)
async def movements(request: Request, s: Annotated[Session, Depends(session)], year: Year = None) -> HTMLResponse:
    answer = await request.app.state.reporting.movements(_token(s), year)
    return render(request, "movements.html", {"movements": answer, "year": year, "years": years()})



# ------------------------------------------------------------------ units


@router.get("/units", response_class=HTMLResponse)
async def units(request: Request, s: Annotated[Session, Depends(session)],
                as_of: Annotated[str | None, Query(max_length=20)] = None) -> HTMLResponse:
    """The tree as of a date (dd/mm/yyyy), each unit with its headcount in that year."""
    try:
        on = parse_day(as_of) or now_vn().date()
    except ValueError as error:
        return render(request, "units.html", {"error": str(error), "as_of": as_of, "tree": None}, status_code=422)
    units_api = request.app.state.units
    tree, counts = await asyncio.gather(units_api.tree(_token(s), on), optional(units_api.headcounts(_token(s), on.year)))
    headcounts = {u["unit_id"]: u for u in counts["units"]} if counts else {}
    return render(request, "units.html", {"tree": tree, "on": on, "headcounts": headcounts, "counts": counts,
                                          "as_of": on.strftime("%d/%m/%Y"), "answered_at": now_vn()})


@router.get("/units/{unit_id}", response_class=HTMLResponse)
async def unit(request: Request, unit_id: str, s: Annotated[Session, Depends(session)]) -> Response:
    """A unit: its grades by year (its own and its people's), its titles and awards, its registrations."""
    if redirect := _to_canonical(request, "/units/", unit_id):
        return redirect
    token = _token(s)
    units_api, reporting = request.app.state.units, request.app.state.reporting
    record = await units_api.unit(token, unit_id)
    shown = list(range(now_vn().year - 1, now_vn().year - 8, -1))
    grades = await asyncio.gather(*(optional(units_api.grades(token, y, unit_id)) for y in shown))
    awards, registrations = await asyncio.gather(optional(reporting.unit_awards(token, unit_id)),
                                                 optional(reporting.registrations(token, unit_id)))
    by_year = [(y, g["units"][0] if g and g.get("units") else None) for y, g in zip(shown, grades, strict=True)]
    return render(request, "unit.html", {"unit": record, "grades": by_year, "awards": awards,
                                         "registrations": registrations, "answered_at": now_vn()})


# ------------------------------------------------------------------ people


@router.get("/people", response_class=HTMLResponse)
async def people(request: Request, s: Annotated[Session, Depends(session)],
                 q: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
    """Search by name; diacritics are optional ("nguyen van a" finds "Nguyễn Văn An")."""
    found = await request.app.state.units.search_people(_token(s), q.strip()) if q and q.strip() else None
    return render(request, "people.html", {"q": q or "", "found": found, "answered_at": now_vn()})


@router.get("/people/{person_id}", response_class=HTMLResponse)
async def person(request: Request, person_id: str, s: Annotated[Session, Depends(session)],
                 award: Annotated[str | None, Query(max_length=32, pattern=r"^[A-Z0-9_]*$")] = None,
                 year: Year = None) -> Response:
    """A person's record: award history and grades; the eligibility check of an award and year, with the
    criteria, the facts used, the legal basis and next year's forecast, when the role may see it."""
    if redirect := _to_canonical(request, "/people/", person_id):
        return redirect
    token = _token(s)
    units_api, reporting, awards_api = request.app.state.units, request.app.state.reporting, request.app.state.awards
    record, history, catalogue, audit = await asyncio.gather(
        units_api.person(token, person_id), optional(reporting.person_awards(token, person_id)),
        optional(awards_api.catalogue(token)), optional(units_api.audit(token, person_id)))
    individual = [a for a in catalogue["awards"] if "individual" in a.get("recipients", [])] if catalogue else []
    assessment: Any = None
    forecast: Any = None
    check_year = year or now_vn().year - 1
    if award:
        try:
            assessment = await optional(awards_api.assessment(token, award, check_year, person_id))
        except BackendError as error:
            assessment = error
        unit_id = record.get("effective_unit_id") or record.get("unit_id")
        if assessment and not isinstance(assessment, BackendError) and unit_id:
            answer = await optional(awards_api.forecast(token, award, check_year + 1, unit_id))
            forecast = _forecast_of(answer, person_id) if answer else answer
    return render(request, "person.html", {
        "p": record, "history": history, "awards": individual, "award": award, "check_year": check_year,
        "years": years(), "assessment": assessment, "forecast": forecast, "audit": audit, "answered_at": now_vn(),
    })


def _forecast_of(answer: dict[str, Any], person_id: str) -> dict[str, Any] | None:
    for candidate in answer.get("candidates", []):
        if candidate.get("subject_id") == person_id:
            return {"year": answer.get("year"), **candidate}
    return {"year": answer.get("year"), "none": True}


# ------------------------------------------------------------------ awards

AWARD_FILTERS = ("year", "flow", "award_code", "recipient_kind", "unit_id")
PAGE = 50


def _filters(request: Request) -> dict[str, Any]:
    return {k: request.query_params.get(k) for k in AWARD_FILTERS if request.query_params.get(k)}


@router.get("/awards", response_class=HTMLResponse)
async def awards(request: Request, s: Annotated[Session, Depends(session)],
                 offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
    """The list of awards and proposals with filters, export links and paging."""
    filters = _filters(request)
    token = _token(s)
    answer, catalogue = await asyncio.gather(
        request.app.state.reporting.awards(token, {**filters, "limit": PAGE, "offset": offset}),
        optional(request.app.state.awards.catalogue(token)))
    query = urlencode(filters)
    return render(request, "awards.html", {
        "answer": answer, "filters": filters, "offset": offset, "page": PAGE, "query": query, "years": years(),
        "catalogue": catalogue["awards"] if catalogue else [],
    })


@router.get("/awards/export")
async def export(request: Request, s: Annotated[Session, Depends(session)],
                 format: Annotated[str, Query(pattern="^(csv|xlsx)$")] = "csv") -> Response:  # noqa: A002
    """The same list as a file, from the reporting service (CSV or XLSX), with the person's token."""
    answer = await request.app.state.reporting.export(_token(s), _filters(request), format)
    headers = {k: v for k, v in answer.headers.items() if k.lower() == "content-disposition"}
    return Response(answer.content, media_type=answer.headers.get("content-type"), headers=headers)


@router.get("/statistics", response_class=HTMLResponse)
async def statistics(request: Request, s: Annotated[Session, Depends(session)], year: Year = None) -> HTMLResponse:
    chosen = year or now_vn().year - 1
    answer = await request.app.state.reporting.statistics(_token(s), chosen)
    return render(request, "statistics.html", {"answer": answer, "year": chosen, "years": years()})


@router.get("/reports/annual", response_class=HTMLResponse)
async def annual_report(request: Request, s: Annotated[Session, Depends(session)], year: Year = None) -> HTMLResponse:
    chosen = year or now_vn().year - 1
    answer = await request.app.state.reporting.annual_report(_token(s), chosen)
    return render(request, "annual.html", {"report": answer, "year": chosen, "years": years()})

