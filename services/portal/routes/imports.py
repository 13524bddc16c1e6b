"""Imports of units, people or past grades from a spreadsheet: check (dry run), see every bad row, apply.

Who may import is the units service's rule (its 403 is shown as it is). The file the dry run checked
waits in the portal's memory (services/portal/imports.py) so the apply sends the same bytes; a file with
problems is fixed and uploaded again. The service applies a file in one transaction — all rows or none —
so there is no part-way state to show: the page says how many rows will be written before, and what was
written after.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from .. import forms
from ..backends.base import BackendError, Refused
from ..forms import Form
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
    fields = await forms.read(request, s)
    kind, upload = str(fields.get("kind") or ""), fields.get("file")
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
        return _page(request, None, Form(forms.inputs(fields), errors), status_code=422)
    mime = media_type(filename) or ""
    try:
        report = await request.app.state.units.import_file(s.tokens.access_token, kind, content, mime, filename,
                                                           dry_run=True)
    except Refused as error:
        return _page(request, None, Form(forms.inputs(fields)), refused=error.message, status_code=403)
    except BackendError as error:
        if error.status >= 500:
            raise
        reason = FILE_VI.get(error.code, "Không kiểm tra được tệp")
        detail = error.details.get("reason")
        problem = f"{reason}: {error.message}" + (f" ({detail})" if detail else "")
        return _page(request, None, Form(forms.inputs(fields), {"file": problem}), status_code=422)
    kept = request.app.state.drafts.keep(Draft(s.session_id, kind, filename, mime, content, report))
    return forms.done(f"/imports?draft={kept.draft_id}")


@router.post("/imports/{draft_id}/apply", response_class=HTMLResponse)
async def apply(request: Request, draft_id: str, s: Annotated[Session, Depends(session)]) -> Response:
    """Apply a checked file: the same bytes, dry_run=false, with the form's Idempotency-Key (a double click or a
    reload writes once)."""
    fields = await forms.read(request, s)
    draft = request.app.state.drafts.find(draft_id, s.session_id)
    if draft is None:
        return _page(request, None, Form(message="Tệp đã kiểm tra không còn được giữ (quá 30 phút, hoặc đã "
                                                 "kiểm tra tệp khác): tải tệp lên lại."), status_code=410)
    key = str(fields.get("idempotency_key") or "") or None
    try:
        draft.applied = await request.app.state.units.import_file(
            s.tokens.access_token, draft.kind, draft.content, draft.media_type, draft.filename, dry_run=False,
            idempotency_key=key)
    except Refused as error:
        return _page(request, draft, refused=error.message, status_code=403)
    except BackendError as error:
        report = error.details.get("report")
        if error.code != "import_rejected" or not isinstance(report, dict):
            raise
        draft.report = report  # the records changed since the dry run: these rows are bad now
    return forms.done(f"/imports?draft={draft.draft_id}")


def _page(request: Request, draft: Draft | None, form: Form | None = None, *, refused: str | None = None,
          status_code: int = 200) -> HTMLResponse:
    """The page: the upload form (refused input kept), and a checked file's report with its apply form."""
    report: dict[str, Any] | None = draft.report if draft else None
    upload = form or Form({"kind": draft.kind} if draft else {})
    return render(request, "imports.html", {
        "draft": draft, "report": report, "kinds": list(KINDS_VI.items()), "kind_vi": KINDS_VI, "form": upload,
        "apply": Form(), "refused": refused, "problem_vi": problem_vi,
    }, status_code=status_code)
