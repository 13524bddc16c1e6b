"""The notifications service's commands and queries: one transaction each, SQL in projections/."""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
import structlog

from kernel.errors import NotFound

from .domain import Recipient
from .projections import outbox, tables

log = structlog.get_logger("notifications.handlers")


class NotificationsHandlers:
    """What the HTTP routes call; ``pool`` is read at call time (the service starts it)."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool

    def pool(self) -> asyncpg.Pool:
        found = self._pool()
        assert found is not None, "the service is not started"
        return found

    async def mine(self, account: str, *, unread_only: bool, limit: int, offset: int
                   ) -> tuple[list[dict[str, Any]], int, int]:
        """A person's notifications (newest first), the total and the unread count."""
        async with self.pool().acquire() as conn:
            return await tables.mine(conn, account, unread_only=unread_only, limit=limit, offset=offset)

    async def unread(self, account: str) -> int:
        """How many of the person's notifications are unread."""
        async with self.pool().acquire() as conn:
            return await tables.unread_count(conn, account)

    async def mark_read(self, account: str, notification_id: uuid.UUID) -> dict[str, Any]:
        """Mark one of the person's notifications read; another's is as unknown as one that does not exist."""
        async with self.pool().acquire() as conn:
            found = await tables.mark_read(conn, account, notification_id)
        if found is None:
            raise NotFound("notification_not_found", f"You have no notification {notification_id}",
                           notification_id=str(notification_id))
        return found

    async def mark_all_read(self, account: str) -> int:
        """Mark every unread notification of the person read; how many."""
        async with self.pool().acquire() as conn:
            return await tables.mark_all_read(conn, account)

    async def put_recipient(self, recipient: Recipient, actor: str | None) -> bool:
        """Create or replace a recipient (the administrator); True when new. Logged with who did it."""
        async with self.pool().acquire() as conn:
            created = await tables.put_recipient(conn, recipient, actor)
        log.info("recipient_recorded", account=recipient.account, role=recipient.role, unit_id=recipient.unit_id,
                 active=recipient.active, created=created, actor=actor)
        return created

    async def recipients(self) -> list[dict[str, Any]]:
        """Every recipient."""
        async with self.pool().acquire() as conn:
            return await tables.list_recipients(conn)

    async def mail_counts(self) -> dict[str, int]:
        """Mails by status."""
        async with self.pool().acquire() as conn:
            return await outbox.counts(conn)
