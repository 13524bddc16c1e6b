"""Imports of units, people or past grades from a spreadsheet: check (dry run), see every bad row, apply.

Who may import is the units service's rule (its 403 is shown as it is). The file the dry run checked
waits in the portal's memory (services/portal/imports.py) so the apply sends the same bytes; a file with
problems is fixed and uploaded again. The service applies a file in one transaction — all rows or none —
so there is no part-way state to show: the page says how many rows will be written before, and what was
written after.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from ..backends.base import BackendError, Refused
from ..imports import FILE_VI, KINDS_VI, MAX_BYTES, Draft, media_type, problem_vi
from ..sessions import Session
from .common import render, session

router = APIRouter()


@router.get("/imports", response_class=HTMLResponse)
async def imports(request: Request, s: Annotated[Session, Depends(session)], draft: str | None = None) -> HTMLResponse:
    """The upload form; with ``draft``, a checked file's report (and its apply, when every row is good)."""
    found = request.app.state.drafts.find(draft, s.session_id) if draft else None
    return _page(request, found)


@router.post("/imports", response_class=HTMLResponse)
async def check(request: Request, s: Annotated[Session, Depends(session)]) -> Response:
    """Dry run: the file is sent to the units service with dry_run=true; every problem is listed."""
    form = await request.form(max_files=1, max_fields=10)
    kind, upload = str(form.get("kind") or ""), form.get("file")
    if not s.csrf_ok(str(form.get("csrf") or "")):
        return _refused_form(request)
    errors: dict[str, str] = {}
    if kind not in KINDS_VI:
        errors["kind"] = "Chọn loại dữ liệu cần nhập."
    content = b""
    filename = ""
    if not isinstance(upload, UploadFile) or not upload.filename:
        errors["file"] = "Chọn tệp cần nhập (.xlsx, .csv hoặc .json)."
    else:
        filename = upload.filename
        content = await upload.read(MAX_BYTES + 1)
        if media_type(filename) is None:
            errors["file"] = FILE_VI["unsupported_format"] + "."
        elif len(content) > MAX_BYTES:
            errors["file"] = FILE_VI["payload_too_large"] + "."
        elif not content:
            errors["file"] = "Tệp rỗng."
    if errors:
        return _page(request, None, kind=kind, errors=errors, status_code=422)
    mime = media_type(filename) or ""
    try:
        report = await request.app.state.units.import_file(s.tokens.access_token, kind, content, mime, filename,
                                                           dry_run=True)
    except Refused as error:
        return _page(request, None, kind=kind, refused=error.message, status_code=403)
    except BackendError as error:
        if error.status >= 500:
            raise
        reason = FILE_VI.get(error.code, "Không kiểm tra được tệp")
        detail = (error.details or {}).get("reason")
        return _page(request, None, kind=kind, status_code=422,
                     errors={"file": f"{reason}: {error.message}" + (f" ({detail})" if detail else "")})
    kept = request.app.state.drafts.keep(Draft(s.session_id, kind, filename, mime, content, report))
    return RedirectResponse(f"/imports?draft={kept.draft_id}", status_code=303)


@router.post("/imports/{draft_id}/apply", response_class=HTMLResponse)
async def apply(request: Request, draft_id: str, s: Annotated[Session, Depends(session)]) -> Response:
    """Apply a checked file: the same bytes, dry_run=false, with the form's Idempotency-Key (a double click or a
    reload writes once)."""
    form = await request.form(max_files=0, max_fields=10)
    if not s.csrf_ok(str(form.get("csrf") or "")):
        return _refused_form(request)
    draft = request.app.state.drafts.find(draft_id, s.session_id)
    if draft is None:
        return _page(request, None, status_code=410,
                     errors={"file": "Tệp đã kiểm tra không còn được giữ (quá 30 phút hoặc đã thay tệp khác): "
                                     "tải tệp lên lại."})
    key = str(form.get("idempotency_key") or "") or None
    try:
        draft.applied = await request.app.state.units.import_file(
            s.tokens.access_token, draft.kind, draft.content, draft.media_type, draft.filename, dry_run=False,
            idempotency_key=key)
    except Refused as error:
        return _page(request, draft, refused=error.message, status_code=403)
    except BackendError as error:
        report = (error.details or {}).get("report")
        if error.code != "import_rejected" or not isinstance(report, dict):
            raise
        draft.report = report  # the records changed since the dry run: these rows are bad now
    return RedirectResponse(f"/imports?draft={draft.draft_id}", status_code=303)


def _page(request: Request, draft: Draft | None, *, kind: str = "", errors: dict[str, str] | None = None,
          refused: str | None = None, status_code: int = 200) -> HTMLResponse:
    report: dict[str, Any] | None = draft.report if draft else None
    return render(request, "imports.html", {
        "draft": draft, "report": report, "kinds": KINDS_VI, "kind": kind or (draft.kind if draft else ""),
        "errors": errors or {}, "refused": refused, "problem_vi": problem_vi,
        "apply_key": secrets.token_urlsafe(18),
    }, status_code=status_code)


def _refused_form(request: Request) -> HTMLResponse:
    return _page(request, None, status_code=403,
                 errors={"file": "Biểu mẫu đã hết hạn hoặc không hợp lệ: mở lại trang rồi gửi lại."})
