"""The notifications service: the signed-in person's own notifications (whose: the token's subject)."""

from __future__ import annotations

from typing import Any

from .base import Backend

BELL_TIMEOUT_S = 3.0
"""The bell is on every page: a slow notifications service may not hold the page up longer than this."""


class Notifications(Backend):
    name = "notifications"

    async def unread(self, token: str) -> int:
        """How many of the person's notifications are unread (for the bell)."""
        response = await self.response(token, "/notifications/unread-count", timeout=BELL_TIMEOUT_S)
        return int(response.json()["unread"])

    async def mine(self, token: str, unread_only: bool, limit: int, offset: int) -> dict[str, Any]:
        return await self.get(token, "/notifications",
                              {"unread": "true" if unread_only else None, "limit": limit, "offset": offset})

    async def mark_read(self, token: str, notification_id: str, idempotency_key: str) -> dict[str, Any]:
        return await self.post(token, f"/notifications/{notification_id}/read", {}, idempotency_key)

    async def mark_all_read(self, token: str, idempotency_key: str) -> dict[str, Any]:
        return await self.post(token, "/notifications/read-all", {}, idempotency_key)
