"""The campaigns service: movements, targets, pledges (giao ước thi đua) with their reviews, clusters."""

from __future__ import annotations

from typing import Any

from .base import Backend


class Campaigns(Backend):
    name = "campaigns"

    async def pledge(self, token: str, pledge_id: str) -> dict[str, Any]:
        return await self.get(token, f"/pledges/{pledge_id}")

    async def movement(self, token: str, movement_id: str) -> dict[str, Any]:
        """The movement as recorded (live; the reporting service's dashboard follows a moment later)."""
        return await self.get(token, f"/movements/{movement_id}")

    async def ranking(self, token: str, cluster_id: str, year: int) -> dict[str, Any]:
        return await self.get(token, f"/clusters/{cluster_id}/ranking", {"year": year})

    async def command(self, token: str, path: str, body: dict[str, Any], idempotency_key: str) -> dict[str, Any]:
        """A command (``POST path``): its CommandResult; the form's key makes a second send the same command."""
        return await self.post(token, path, body, idempotency_key)
