"""HTTP API of the notifications service: a person's own notifications, and the recipients the administrator keeps.

Whose notifications a request sees is the token's subject (``sub``), never a
parameter: nobody lists or marks another's. Refusals answer ``{"code",
"message", "details"}``: 404 ``notification_not_found`` (also for another
person's id), 422 ``invalid_request`` / ``invalid_text`` / ``invalid_name`` /
``invalid_email`` (malformed input, nothing written).
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from pydantic import AfterValidator, BaseModel, Field

from kernel.auth import Role
from kernel.errors import DomainError
from kernel.ids import SubjectId
from kernel.text import CheckedCommand, PersonName

from .domain import Kind, Recipient
from .handlers import NotificationsHandlers

DEFAULT_LIMIT = 50
MAX_LIMIT = 500
TAG_MINE = "my notifications (thông báo của tôi)"
TAG_RECIPIENTS = "recipients (người nhận)"

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")


def _check_email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("not an e-mail address (local@domain, ASCII)")
    return value


class NotificationView(BaseModel):
    """One notification."""

    notification_id: uuid.UUID = Field(description="Stable id (derived from the person, the kind and what it is about).")
    kind: Kind = Field(description="What it is about; each kind has its Vietnamese message.")
    subject: str = Field(description="One line, in Vietnamese (the e-mail's subject).")
    text: str = Field(description="The message, in Vietnamese.")
    link: str = Field(description="Where in the portal to see it (a path).")
    created_at: datetime
    read: bool = Field(description="Marked read (đã đọc).")
    read_at: datetime | None = Field(description="When it was first marked read.")


class MyNotifications(BaseModel):
    """A page of the person's notifications, newest first."""

    items: list[NotificationView]
    total: int = Field(description="How many match (all, or the unread ones).")
    unread: int = Field(description="How many of the person's notifications are unread.")
    limit: int
    offset: int


class UnreadCount(BaseModel):
    """The unread count (chưa đọc), for a badge."""

    unread: int


class MarkedRead(BaseModel):
    """How many notifications were marked read."""

    marked: int


class RecipientBody(CheckedCommand):
    """A person who receives notifications: their e-mail, the role they are told as and (a unit officer) their unit."""

    email: Annotated[str, AfterValidator(_check_email)] = Field(
        max_length=254, description="Where their mail goes.", examples=["canbo.cxnk@moit.gov.vn"])
    role: Literal["unit_officer", "emulation_office", "council_member", "approver", "reader", "administrator"] = (
        Field(description="The role they are told as (their role in the sign-on).")
    )
    display_name: PersonName = Field(description="Họ và tên, as the greeting writes it.")
    unit_id: SubjectId | None = Field(
        default=None, max_length=64, description="A unit officer's unit (the sign-on's unit_id claim)."
    )
    active: bool = Field(default=True, description="False: no more notifications (kept for the record).")


class RecipientView(BaseModel):
    """A recipient as recorded."""

    account: str
    email: str
    role: str
    display_name: str
    unit_id: str | None
    active: bool
    updated_by: str | None
    updated_at: datetime


class RecipientRecorded(BaseModel):
    """The recipient, and whether it was new."""

    created: bool
    recipient: RecipientView


def _account(request: Request) -> str:
    return request.state.principal.subject


def router(handlers: NotificationsHandlers) -> APIRouter:
    """The notifications API over ``handlers``."""
    api = APIRouter()

    @api.get("/notifications", response_model=MyNotifications, tags=[TAG_MINE],
             summary="My notifications (thông báo của tôi)",
             description="The caller's own notifications, newest first; `unread=true` for the unread ones only.")
    async def my_notifications(
        request: Request,
        unread: Annotated[bool, Query(description="Only the unread ones.")] = False,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> dict[str, Any]:
        items, total, unread_count = await handlers.mine(_account(request), unread_only=unread, limit=limit,
                                                         offset=offset)
        return {"items": items, "total": total, "unread": unread_count, "limit": limit, "offset": offset}

    @api.get("/notifications/unread-count", response_model=UnreadCount, tags=[TAG_MINE],
             summary="How many of mine are unread")
    async def unread_count(request: Request) -> dict[str, int]:
        return {"unread": await handlers.unread(_account(request))}

    @api.post("/notifications/{notification_id}/read", response_model=NotificationView, tags=[TAG_MINE],
              summary="Mark one of mine read (đánh dấu đã đọc)",
              description="Idempotent: marking it again keeps the first time. Another person's id: 404.")
    async def mark_read(request: Request, notification_id: Annotated[uuid.UUID, Path()]) -> dict[str, Any]:
        return await handlers.mark_read(_account(request), notification_id)

    @api.post("/notifications/read-all", response_model=MarkedRead, tags=[TAG_MINE],
              summary="Mark all of mine read")
    async def mark_all_read(request: Request) -> dict[str, int]:
        return {"marked": await handlers.mark_all_read(_account(request))}

    @api.get("/recipients", response_model=list[RecipientView], tags=[TAG_RECIPIENTS],
             summary="The recipients (administrator)")
    async def recipients() -> list[dict[str, Any]]:
        return await handlers.recipients()

    @api.put("/recipients/{account}", response_model=RecipientRecorded, tags=[TAG_RECIPIENTS],
             summary="Record a recipient (administrator)",
             description="`account` is the person's account in the sign-on: the `sub` of their tokens.")
    async def put_recipient(
        request: Request,
        account: Annotated[str, Path(min_length=1, max_length=255)],
        body: RecipientBody,
    ) -> dict[str, Any]:
        if body.role == Role.UNIT_OFFICER and body.unit_id is None:
            raise DomainError("unit_required", "A unit officer is told about their unit: give unit_id",
                              field="unit_id")
        recipient = Recipient(account, body.email, body.role, body.display_name, body.unit_id, body.active)
        created = await handlers.put_recipient(recipient, _account(request))
        [view] = [r for r in await handlers.recipients() if r["account"] == account]
        return {"created": created, "recipient": view}

    return api
