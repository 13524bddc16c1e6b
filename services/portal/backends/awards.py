"""The awards service: the catalogue, eligibility checks and forecasts; nominations, their dossiers and acts."""

from __future__ import annotations

from typing import Any

import httpx

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

    async def nominations(self, token: str, filters: dict[str, Any]) -> dict[str, Any]:
        """The inbox: nominations by stage with the counts per stage."""
        return await self.get(token, "/nominations", filters)

    async def nomination(self, token: str, nomination_id: str) -> dict[str, Any]:
        return await self.get(token, f"/nominations/{nomination_id}")

    async def dossier(self, token: str, nomination_id: str) -> dict[str, Any]:
        return await self.get(token, f"/nominations/{nomination_id}/dossier")

    async def council(self, token: str, council_id: str, on: str) -> dict[str, Any]:
        return await self.get(token, f"/councils/{council_id}", {"on": on})

    async def audit(self, token: str, stream_id: str) -> dict[str, Any]:
        return await self.get(token, f"/audit/{stream_id}")

    async def file(self, token: str, path: str) -> httpx.Response:
        """A dossier file or a generated document, streamed (the caller closes it)."""
        return await self.stream(token, path)
