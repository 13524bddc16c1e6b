"""The campaigns service: pledges (giao ước thi đua) with their clauses' review results."""

from __future__ import annotations

from typing import Any

from .base import Backend


class Campaigns(Backend):
    name = "campaigns"

    async def pledge(self, token: str, pledge_id: str) -> dict[str, Any]:
        return await self.get(token, f"/pledges/{pledge_id}")
