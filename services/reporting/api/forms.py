"""The Ministry of Home Affairs' statistical forms 0601.N–0605.N/BNV-TĐKT, as JSON or as a print-ready XLSX."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Path, Query
from fastapi.responses import Response
from pydantic import ValidationError

from kernel.errors import DomainError, NotFound
from kernel.limits import off_loop

from .. import exports, form_pdf, form_workbook
from .. import statistical_forms as forms
from ..answers import Answer, OfficeReference, answer, exportable
from ..office import OfficeStaff, OfficeUnits
from ..projections.queries import award_form_facts, movements_for_form, office_reference, save_office_reference
from ..tree import Tree, year_end
from .common import ReportingQueries, check_year, export_headers, json_answer

TAG = "statistical forms (biểu mẫu thống kê TT 02/2023/TT-BNV)"
FormFormat = Literal["json", "xlsx", "pdf"]
PDF_MEDIA_TYPE = "application/pdf"
REFERENCE: dict[str, type[OfficeUnits] | type[OfficeStaff]] = {"0604": OfficeUnits, "0605": OfficeStaff}


def reporting_body_of(tree: Tree, year: int) -> str:
    """The name of the one top unit on 31 December of ``year`` (the Ministry), '' if there is not exactly one."""
    day = year_end(year)
    roots = [u for u in tree.units if tree.active_on(u, day) and tree.parent_on(u, day) is None]
    return (tree.name_on(roots[0], day) or "") if len(roots) == 1 else ""


def form_responses() -> dict[int | str, dict[str, Any]]:
    """The forms' ``responses``: JSON, or the official layout as XLSX or PDF (no CSV: a form is a layout)."""
    documented = exportable(Answer)
    content = documented[200]["content"]
    content.pop(exports.CSV_MEDIA_TYPE)
    content[PDF_MEDIA_TYPE] = {"schema": {"type": "string", "format": "binary"}}
    return documented


def reference_form(form: str) -> type[OfficeUnits] | type[OfficeStaff]:
    """The model of a form's reference data; 422 ``not_a_reference_form`` for 0601–0603 (from the events)."""
    model = REFERENCE.get(form)
    if model is None:
        raise DomainError("not_a_reference_form", f"form {form!r} is filled from the events, not recorded",
                          form=form, allowed=sorted(REFERENCE))
    return model


def parse_reference(form: str, year: int, body: dict) -> OfficeUnits | OfficeStaff:
    """The office's data for ``form``, checked; 422 ``invalid_reference_data`` with what is wrong."""
    try:
        data = reference_form(form).model_validate(body)
    except ValidationError as error:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()]
        raise DomainError("invalid_reference_data", f"the data for form {form} is not valid",
                          problems=problems) from None
    problems = data.check_year(year) if isinstance(data, OfficeStaff) else []
    if problems:
        raise DomainError("invalid_reference_data", f"the data for form {form} is not valid for {year}",
                          problems=problems)
    return data


def router(q: ReportingQueries) -> APIRouter:
    """The statistical form routes."""
    api = APIRouter()

    @api.get(
        "/forms/{form}/{year}", tags=[TAG],
        summary="One of the five annual statistical forms of Thông tư 02/2023/TT-BNV, filled for a year",
        description="`form` is 0601 (movements), 0602 (state-level awards), 0603 (ministry-level awards), "
        "0604 (the office's emulation units) or 0605 (its civil servants). Rows and columns as the form prints "
        "them; what the events do not carry is counted in a \"Chưa phân loại\" row of its own, so every "
        "breakdown adds up to row 01 (`sums_ok`). 0604 and 0605 are reference data the office records: "
        "without it their figures are null (`recorded: false`). `format=xlsx` or `pdf`: the official layout, "
        "A4, header rows repeated, fitted to the page width. 422 `unknown_form`, `year_out_of_range`.",
        responses=form_responses(),
    )
    async def statistical_form(
        form: str = Path(..., description="0601, 0602, 0603, 0604 or 0605."),
        year: int = Path(..., description="The reporting year."),
        reporting_body: str | None = Query(
            None, max_length=200, description="Đơn vị báo cáo; default: the name of the top unit on 31 December."
        ),
        format: FormFormat = Query("json", description="json, or xlsx / pdf (the official layout)."),  # noqa: A002
    ) -> Response:
        definition = forms.FORMS.get(form)
        if definition is None:
            raise DomainError("unknown_form", f"no statistical form {form!r}", form=form, allowed=sorted(forms.FORMS))
        check_year(year)
        if form == "0601":
            values = forms.fill_0601(await movements_for_form(q.reader, q.movements, year), year)
            model = q.movements
        elif form in ("0602", "0603"):
            tree = await q.tree()
            facts = await award_form_facts(q.reader, q.stats, year)
            values = forms.fill_awards(definition, facts, year,
                                       lambda u: tree.units[u].kind if u in tree else None)
            model = q.stats
        else:
            recorded = await office_reference(q.reader, q.service.settings.database_schema, year, form)
            data = parse_reference(form, year, recorded["body"]) if recorded else None
            if isinstance(data, OfficeUnits):
                values = forms.fill_0604(data.counts())
            elif isinstance(data, OfficeStaff):
                values = forms.fill_0605(data.people(), year)
            else:
                values = forms.fill_0604(None) if form == "0604" else forms.fill_0605(None, year)
            model = q.stats
        body = reporting_body if reporting_body is not None else reporting_body_of(await q.tree(), year)
        filled = forms.render(definition, values, year=year, reporting_body=body.strip())
        as_of = await q.as_of(model)
        if format == "json":
            return json_answer({**filled, "as_of": as_of})
        if format == "pdf":
            content, media = await off_loop(form_pdf.to_pdf, filled), PDF_MEDIA_TYPE
        else:
            content, media = await off_loop(form_workbook.to_xlsx, filled), exports.XLSX_MEDIA_TYPE
        disposition = exports.content_disposition(f"Biểu {form}.N-BNV-TĐKT năm {year}.{format}")
        return Response(content, media_type=media,
                        headers={"Content-Disposition": disposition, **export_headers(as_of)})

    @api.get(
        "/forms/{form}/{year}/reference", tags=[TAG],
        summary="The office's reference data for form 0604 or 0605 of a year",
        description="What the office recorded (its emulation and commendation units; its civil servants by sex, "
        "birth year, education, year they began in the field). 404 `reference_not_recorded`; 422 "
        "`not_a_reference_form` for 0601–0603.",
        responses=answer(OfficeReference),
    )
    async def get_reference(form: str = Path(...), year: int = Path(...)) -> Response:
        reference_form(form)
        check_year(year)
        recorded = await office_reference(q.reader, q.service.settings.database_schema, year, form)
        if recorded is None:
            raise NotFound("reference_not_recorded", f"nothing recorded for form {form} of {year}",
                           form=form, year=year)
        return json_answer({"form": form, "year": year, **recorded})

    @api.put(
        "/forms/{form}/{year}/reference", tags=[TAG],
        summary="Record the office's reference data for form 0604 or 0605 of a year (replaces it)",
        description="0604: `{\"units\": {\"02\": 1, \"03\": 2}}`; 0605: `{\"civil_servants\": [{\"sex\": "
        "\"female\", \"birth_year\": 1985, \"education\": \"dai_hoc\", \"in_field_since\": 2012}]}` "
        "(education so_cap, trung_cap, cao_dang, dai_hoc, tren_dai_hoc or null). No names: the form counts. "
        "422 `invalid_reference_data` (nothing changes), `not_a_reference_form`.",
        responses=answer(OfficeReference),
    )
    async def put_reference(
        form: str = Path(...), year: int = Path(...), body: dict = Body(...)
    ) -> Response:
        check_year(year)
        data = parse_reference(form, year, body)
        await save_office_reference(q.service.pool, q.service.settings.database_schema, year, form,
                                    data.model_dump(mode="json"))
        recorded = await office_reference(q.reader, q.service.settings.database_schema, year, form)
        return json_answer({"form": form, "year": year, **(recorded or {})})

    return api
