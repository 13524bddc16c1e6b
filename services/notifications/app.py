"""Wiring of the notifications service on the shared kernel (see docs/kernel.md).

It publishes nothing: one consumer turns the other contexts' events into
notifications and queued mails (:mod:`.subscribers`), a watch announces near
deadlines, and the sender delivers the mail outbox over SMTP (:mod:`.mailer`).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI

from kernel.auth import Access
from kernel.clock import business_today
from kernel.http import create_app
from kernel.service import Service
from kernel.settings import Settings
from kernel.stopping import STOP_SECONDS, finish_within

from .access import ACCESS
from .api import router
from .handlers import NotificationsHandlers
from .mailer import Sender, compose
from .projections.tables import TABLES_SQL
from .settings import NotificationsSettings
from .subscribers import DeadlineWatch, NotificationPolicy

DESCRIPTION = """\
Notifications for people (thông báo): an award granted to someone in my unit,
a nomination of my unit returned, rejected or granted, a vote waiting for the
council, a deadline in three days. Each person reads their own (by their
token), marks them read, and gets each by e-mail once.

Errors: `{"code", "message", "details"}` with a stable `code`.
"""


def build(settings: Settings) -> tuple[FastAPI, Service]:
    """The notifications service: its app (HTTP API) and its Service (pool, consumer; no relay).

    ``settings`` may be plain kernel settings (the SMTP and sender settings take their defaults then).
    """
    if not isinstance(settings, NotificationsSettings):
        settings = NotificationsSettings(**settings.model_dump())
    mail = compose(settings.mail_link_base_url)
    policy = NotificationPolicy(mail, business_today)
    service = Service(context="notifications", settings=settings, migrations=[TABLES_SQL], handlers=[policy],
                      publishes=False)
    sender = Sender(settings, lambda: service.pool)
    watch = DeadlineWatch(lambda: service.pool, business_today, mail, settings.deadline_check_s)
    handlers = NotificationsHandlers(lambda: service.pool)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service.lifespan(app):
            tasks = [asyncio.create_task(sender.run(), name="notifications-sender"),
                     asyncio.create_task(watch.run(), name="notifications-deadlines")]
            try:
                yield
            finally:
                # Before the pool closes: a mail in hand is finished or abandoned (then it stays pending).
                sender.stop()
                watch.stop()
                for task in tasks:
                    await finish_within(task, STOP_SECONDS, task.get_name())

    def health() -> tuple[bool, dict[str, Any]]:
        ok, detail = service.health()
        detail["mail"] = {"sent": sender.sent, "failed_attempts": sender.failed_attempts,
                          "unconfirmed": sender.unconfirmed,
                          "last_error": sender.last_error}
        return ok, detail

    app = create_app(
        title="tdkt notifications — thông báo",
        description=DESCRIPTION,
        health=health,
        access=Access.from_settings(settings, ACCESS),
        lifespan=lifespan,
        pool=lambda: service.pool,
    )
    app.include_router(router(handlers))
    app.state.sender = sender
    app.state.deadlines = watch
    return app, service
