"""The units service: the tree, people, grades, headcounts, a record's audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any

from .base import Backend


class Units(Backend):
    name = "units"

    async def tree(self, token: str, as_of: date) -> dict[str, Any]:
        return await self.get(token, "/units/tree", {"as_of": as_of.isoformat()})

    async def unit(self, token: str, unit_id: str) -> dict[str, Any]:
        return await self.get(token, f"/units/{unit_id}")

    async def headcounts(self, token: str, year: int, unit_id: str | None = None) -> dict[str, Any]:
        return await self.get(token, "/headcounts", {"year": year, "unit_id": unit_id})

    async def grades(self, token: str, year: int, unit_id: str) -> dict[str, Any]:
        return await self.get(token, "/grades", {"year": year, "unit_id": unit_id})

    async def person(self, token: str, person_id: str) -> dict[str, Any]:
        return await self.get(token, f"/people/{person_id}")

    async def search_people(self, token: str, query: str, limit: int = 50) -> dict[str, Any]:
        return await self.get(token, "/people", {"q": query, "limit": limit})

    async def audit(self, token: str, stream_id: str) -> dict[str, Any]:
        return await self.get(token, f"/audit/{stream_id}")
