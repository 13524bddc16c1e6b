"""The person's notifications: the list (each linking to what it is about), mark one or all read.

Whose notifications these are is the token's subject, decided by the notifications service; the portal
passes no person. When that service does not answer the page says so instead of failing.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..backends.base import BackendError
from ..formats import now_vn
from ..sessions import Session
from .common import render, safe_next, session

router = APIRouter()
PAGE = 20
NotificationId = Annotated[str, Path(pattern=r"^[0-9a-fA-F-]{36}$")]


@router.get("/notifications", response_class=HTMLResponse)
async def notifications(request: Request, s: Annotated[Session, Depends(session)],
                        unread: bool = False, offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> HTMLResponse:
    """The person's notifications, newest first (``unread=true``: the unread ones only)."""
    answer: dict[str, Any] | None = None
    failure: BackendError | None = None
    try:
        answer = await request.app.state.notifications.mine(s.tokens.access_token, unread, PAGE, offset)
    except BackendError as error:
        failure = error
    items = [{**n, "link": safe_next(n.get("link"))} for n in (answer or {}).get("items", [])]
    return render(request, "notifications.html", {
        "answer": answer, "items": items, "failure": failure, "unread_only": unread, "offset": offset,
        "page": PAGE, "answered_at": now_vn(),
        # Each rendering's forms are sent with keys of their own: a double click marks once.
        "page_key": secrets.token_urlsafe(12),
    }, status_code=200 if failure is None else 503)


@router.post("/notifications/read-all")
async def mark_all_read(request: Request, s: Annotated[Session, Depends(session)],
                        csrf: Annotated[str, Form(max_length=200)] = "",
                        idempotency_key: Annotated[str, Form(min_length=8, max_length=100)] = "") -> Response:
    """Mark every notification of the person read, then back to the list."""
    if not s.csrf_ok(csrf) or not idempotency_key:
        return _csrf_refused(request)
    await request.app.state.notifications.mark_all_read(s.tokens.access_token, idempotency_key)
    return RedirectResponse("/notifications", status_code=303)


@router.post("/notifications/{notification_id}/read")
async def mark_read(request: Request, notification_id: NotificationId, s: Annotated[Session, Depends(session)],
                    csrf: Annotated[str, Form(max_length=200)] = "",
                    idempotency_key: Annotated[str, Form(min_length=8, max_length=100)] = "",
                    open_link: Annotated[str, Form(alias="open", max_length=500)] = "") -> Response:
    """Mark one read; with ``open`` (the notification's link) go there, else back to the list."""
    if not s.csrf_ok(csrf) or not idempotency_key:
        return _csrf_refused(request)
    await request.app.state.notifications.mark_read(s.tokens.access_token, notification_id, idempotency_key)
    return RedirectResponse(safe_next(open_link) if open_link else "/notifications", status_code=303)


def _csrf_refused(request: Request) -> HTMLResponse:
    return render(request, "error.html", {"error": BackendError(
        "portal", 403, "csrf", "Phiên biểu mẫu không hợp lệ: tải lại trang rồi thử lại.")}, status_code=403)
