"""The person's notifications: the list (each linking to what it is about), mark one or all read.

Whose notifications these are is the token's subject, decided by the notifications service; the portal
passes no person. When that service does not answer the page says so instead of failing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from .. import forms
from ..backends.base import BackendError
from ..forms import Form
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
        # Each form of the rendering has its own Idempotency-Key: a double click marks once.
        "forms": {n["notification_id"]: Form() for n in items}, "all_form": Form(),
    }, status_code=200 if failure is None else 503)


@router.post("/notifications/read-all")
async def mark_all_read(request: Request, s: Annotated[Session, Depends(session)]) -> Response:
    """Mark every notification of the person read, then back to the list."""
    fields = await forms.read(request, s)
    await request.app.state.notifications.mark_all_read(s.tokens.access_token, str(fields.get("idempotency_key")))
    return forms.done("/notifications")


@router.post("/notifications/{notification_id}/read")
async def mark_read(request: Request, notification_id: NotificationId,
                    s: Annotated[Session, Depends(session)]) -> Response:
    """Mark one read; with ``open`` (the notification's link) go there, else back to the list."""
    fields = await forms.read(request, s)
    await request.app.state.notifications.mark_read(s.tokens.access_token, notification_id,
                                                    str(fields.get("idempotency_key")))
    link = str(fields.get("open") or "")
    return forms.done(safe_next(link) if link else "/notifications")
