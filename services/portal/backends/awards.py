"""The awards service: the catalogue, eligibility checks and forecasts."""

from __future__ import annotations

from typing import Any

from .base import Backend


class Awards(Backend):
    name = "awards"

    async def catalogue(self, token: str) -> dict[str, Any]:
        return await self.get(token, "/catalogue")

    async def assessment(self, token: str, code: str, year: int, person_id: str) -> dict[str, Any]:
        return await self.get(token, "/assessments", {"code": code, "year": year, "person_id": person_id})

    async def forecast(self, token: str, code: str, year: int, unit_id: str) -> dict[str, Any]:
        return await self.get(token, "/forecasts", {"code": code, "year": year, "unit_id": unit_id,
                                                    "include_subunits": "false", "max_unmet": 2})
