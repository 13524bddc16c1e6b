"""Certificates on pre-printed blanks: the layouts of the blanks (one per award code and issuer), their
calibration page, and a decision's certificates as PDF — all the awards service's; the portal only shows
and forwards them with the person's token.

The layout's form is the portal's one form mechanism (services/portal/forms.py): CSRF, Idempotency-Key, a
refusal's Vietnamese message next to the box it names with the input kept, a redirect on success.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from .. import forms
from ..backends.base import BackendError
from ..formats import now_vn
from ..sessions import Session
from .common import render, session
from .nominations import streamed

router = APIRouter()

FIELDS: tuple[tuple[str, str], ...] = (
    ("recipient_name", "Họ và tên / tên tập thể"), ("unit_name", "Đơn vị"), ("achievement", "Thành tích"),
    ("decision", "Số, ngày quyết định"), ("signer_title", "Chức vụ người ký"), ("signer_name", "Họ tên người ký"),
    ("register_number", "Số sổ vàng"),
)
"""The fields a blank prints, in the awards service's names (services/awards/workflow/certificate_layout.py)."""
MEASURES: tuple[tuple[str, str], ...] = (("x_mm", "x (mm)"), ("y_mm", "y (mm)"), ("width_mm", "Rộng (mm)"),
                                         ("height_mm", "Cao (mm)"), ("size_pt", "Cỡ chữ (pt)"))
FONTS = (("serif", "Có chân (DejaVu Serif)"), ("sans", "Không chân (DejaVu Sans)"))
ALIGNS = (("left", "Trái"), ("center", "Giữa"), ("right", "Phải"))
DEFAULT_ISSUER = "BCT"
"""The Minister's blanks; a unit head's are under the unit's code."""
Issuer = Annotated[str, Path(pattern=r"^[^/\s]{1,32}$")]
Code = Annotated[str, Path(pattern=r"^[^/\s]{1,32}$")]

_OFF_PAGE = re.compile(r"the box of (\w+) runs off the page")
REFUSAL_VI = {
    "off_page": "Ô vượt ra ngoài trang phôi: x + rộng không quá chiều rộng, y + cao không quá chiều cao của phôi.",
    "recipient_name": "Bố cục phải in họ và tên (tên tập thể).",
}


def _number(text: Any) -> float | None:
    try:
        return float(str(text or "").strip().replace(",", "."))
    except ValueError:
        return None


def layout_body(f: Mapping[str, Any], e: dict[str, str]) -> dict[str, Any]:
    """The layout from the form, as ``PUT /certificate-layouts/{award}/{issuer}`` takes it: the page and each
    printed field's box (a field not ticked is left out); a number written with a comma is read as one."""
    body: dict[str, Any] = {"fields": {}}
    for name in ("page_width_mm", "page_height_mm"):
        body[name] = _number(f.get(name))
        if body[name] is None:
            e[name] = "Phải là số."
    for name, _ in FIELDS:
        if f.get(f"{name}.printed") != "1":
            continue
        box: dict[str, Any] = {"font": str(f.get(f"{name}.font") or "serif"),
                               "align": str(f.get(f"{name}.align") or "center"),
                               "bold": f.get(f"{name}.bold") == "1", "italic": f.get(f"{name}.italic") == "1"}
        for measure, _ in MEASURES:
            box[measure] = _number(f.get(f"{name}.{measure}"))
            if box[measure] is None:
                e[f"{name}.{measure}"] = "Phải là số."
        body["fields"][name] = box
    return body


def layout_refused(error: BackendError, fields: Mapping[str, Any]) -> forms.Form:
    """The form again after the service's refusal: a box's bad value next to it (``body.fields.<name>.<measure>``),
    a box running off the page next to its x, a layout without the recipient's name next to that field."""
    form = forms.refused(error, fields)
    if form.errors:
        return form
    for problem in error.details.get("errors", []) if isinstance(error.details.get("errors"), list) else []:
        text = str(problem.get("problem", ""))
        off = _OFF_PAGE.search(text)
        if off and f"{off[1]}.x_mm" in fields:
            form.errors[f"{off[1]}.x_mm"] = REFUSAL_VI["off_page"]
        elif "recipient_name" in text:
            form.errors["recipient_name.printed"] = REFUSAL_VI["recipient_name"]
    if form.errors:
        form.message = None
    return form


def form_values(layout: Mapping[str, Any]) -> dict[str, Any]:
    """A recorded layout as the form's values (what the fields show before any post)."""
    values: dict[str, Any] = {"page_width_mm": f"{layout['page_width_mm']:g}",
                              "page_height_mm": f"{layout['page_height_mm']:g}"}
    for name, box in layout["fields"].items():
        values[f"{name}.printed"] = "1"
        values |= {f"{name}.{m}": f"{box[m]:g}" for m, _ in MEASURES}
        values |= {f"{name}.font": box["font"], f"{name}.align": box["align"]}
        values |= {f"{name}.{flag}": "1" for flag in ("bold", "italic") if box[flag]}
    return values


@router.get("/certificate-layouts", response_class=HTMLResponse)
async def layouts_page(request: Request, s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    """Every award kind of the catalogue with its blank at the Ministry, and a form to open another issuer's."""
    catalogue = await request.app.state.awards.catalogue(s.tokens.access_token)
    awards = [(a["code"], a["name_vi"]) for a in catalogue["awards"]]
    return render(request, "layouts.html", {"awards": awards, "issuer": DEFAULT_ISSUER, "answered_at": now_vn()})


@router.get("/certificate-layouts/open")
async def open_layout(code: Annotated[str, Query(pattern=r"^[^/\s]{1,32}$")],
                      issuer: Annotated[str, Query(pattern=r"^[^/\s]{1,32}$")]) -> RedirectResponse:
    """The list's "open" form: to the layout of that award code and issuer."""
    return RedirectResponse(f"/certificate-layouts/{quote(code.strip())}/{quote(issuer.strip())}", status_code=303)


async def _layout_page(request: Request, s: Session, code: str, issuer: str, refused: forms.Form | None = None,
                       status: int = 200) -> HTMLResponse:
    view = await request.app.state.awards.get(s.tokens.access_token,
                                              f"/certificate-layouts/{quote(code)}/{quote(issuer)}")
    form = refused or forms.Form(values=form_values(view["layout"]))
    return render(request, "layout.html", {
        "view": view, "code": code, "issuer": issuer, "form": form, "FIELDS": FIELDS, "MEASURES": MEASURES,
        "FONTS": FONTS, "ALIGNS": ALIGNS, "year": now_vn().year, "answered_at": now_vn()}, status_code=status)


@router.get("/certificate-layouts/{code}/{issuer}", response_class=HTMLResponse)
async def layout_page(request: Request, code: Code, issuer: Issuer,
                      s: Annotated[Session, Depends(session)]) -> HTMLResponse:
    """One blank's layout (recorded, or the built-in one) in its form, with the calibration page's link."""
    return await _layout_page(request, s, code, issuer)


@router.post("/certificate-layouts/{code}/{issuer}", response_class=HTMLResponse)
async def set_layout(request: Request, code: Code, issuer: Issuer, s: Annotated[Session, Depends(session)]) -> Response:
    """The layout's form: checked, sent as a PUT with its key; the page again, the input kept, when refused."""
    fields = await forms.read(request, s)
    errors: dict[str, str] = {}
    body = layout_body(fields, errors)
    if errors:
        return await _layout_page(request, s, code, issuer, forms.Form(values=forms.inputs(fields), errors=errors),
                                  status=422)
    try:
        await request.app.state.awards.put(s.tokens.access_token, f"/certificate-layouts/{quote(code)}/{quote(issuer)}",
                                           body, str(fields.get("idempotency_key") or ""))
    except BackendError as error:
        return await _layout_page(request, s, code, issuer, layout_refused(error, forms.inputs(fields)),
                                  status=403 if error.status == 403 else 422)
    return forms.done(f"/certificate-layouts/{quote(code)}/{quote(issuer)}?saved=1")


@router.get("/certificate-layouts/{code}/{issuer}/calibration.pdf")
async def calibration(request: Request, code: Code, issuer: Issuer,
                      s: Annotated[Session, Depends(session)]) -> StreamingResponse:
    """The calibration page of the blank (every field's box drawn and named), from the awards service."""
    return await streamed(request, s, f"/certificate-layouts/{quote(code)}/{quote(issuer)}/calibration.pdf")


@router.get("/decisions/{issuer}/{year}/{number}/certificates.pdf")
async def certificates(request: Request, issuer: Issuer, year: Annotated[int, Path(ge=1945, le=2100)],
                       number: Annotated[str, Path(pattern=r"^[0-9]{1,6}[a-z]?$")],
                       s: Annotated[Session, Depends(session)]) -> StreamingResponse:
    """A decision's certificates on the blanks, one page per recipient, from the awards service."""
    return await streamed(request, s, f"/decisions/{quote(issuer)}/{year}/{number}/certificates.pdf")
