"""The reporting service: the year's summary, lists, statistics, the annual report, exports."""

from __future__ import annotations

from typing import Any

import httpx

from .base import Backend


class Reporting(Backend):
    name = "reporting"

    async def summary(self, token: str, year: int) -> dict[str, Any]:
        return await self.get(token, f"/summaries/{year}")

    async def targets(self, token: str, year: int) -> dict[str, Any]:
        return await self.get(token, "/targets", {"year": year})

    async def pledges(self, token: str, year: int) -> dict[str, Any]:
        return await self.get(token, "/pledges", {"year": year})

    async def movements(self, token: str, year: int | None = None) -> dict[str, Any]:
        return await self.get(token, "/movements", {"year": year})

    async def movement(self, token: str, movement_id: str) -> dict[str, Any]:
        return await self.get(token, f"/movements/{movement_id}")

    async def registrations(self, token: str, unit_id: str, year: int | None = None) -> dict[str, Any]:
        return await self.get(token, "/registrations", {"unit_id": unit_id, "year": year})

    async def awards(self, token: str, filters: dict[str, Any]) -> dict[str, Any]:
        return await self.get(token, "/awards", filters)

    async def export(self, token: str, filters: dict[str, Any], fmt: str) -> httpx.Response:
        return await self.response(token, "/awards", {**filters, "format": fmt})

    async def person_awards(self, token: str, person_id: str) -> dict[str, Any]:
        return await self.get(token, f"/people/{person_id}/awards", {"limit": 200})

    async def unit_awards(self, token: str, unit_id: str) -> dict[str, Any]:
        return await self.get(token, f"/units/{unit_id}/awards", {"limit": 200})

    async def statistics(self, token: str, year: int) -> dict[str, Any]:
        return await self.get(token, "/statistics/awards", {"year": year})

    async def annual_report(self, token: str, year: int) -> dict[str, Any]:
        return await self.get(token, f"/reports/annual/{year}")
