"""The units service: the tree, people, grades, headcounts, a record's audit trail, bulk imports."""

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

    async def import_file(self, token: str, kind: str, content: bytes, media_type: str, filename: str, *,
                          dry_run: bool, idempotency_key: str | None = None) -> dict[str, Any]:
        """``POST /imports/{kind}``: the report of a dry run, or of an apply that wrote every row (a file with
        a bad row raises BackendError 422 ``import_rejected``, the report in its details)."""
        return await self.send_raw(token, f"/imports/{kind}", content, media_type,
                                   {"dry_run": "true" if dry_run else "false", "filename": filename},
                                   idempotency_key=idempotency_key)
