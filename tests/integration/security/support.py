"""The security tests' shared set-up: the units service with the two services that replicate its facts."""

from __future__ import annotations

from typing import Any

import httpx

from services.awards.app import build as build_awards
from services.campaigns.app import build as build_campaigns
from services.units.app import build as build_units

from ..kernel.support import wait_until


async def units_awards_campaigns(start_service: Any, settings: Any) -> tuple[httpx.AsyncClient, ...]:
    """Units, awards and campaigns on one topic prefix, each in a schema of its own (campaigns undated)."""
    units = await start_service(build_units, settings)
    awards = await start_service(build_awards, settings.model_copy(
        update={"database_schema": settings.database_schema + "_aw"}))
    campaigns = await start_service(build_campaigns, settings.model_copy(
        update={"database_schema": settings.database_schema + "_cp", "allow_today_header": False}))
    return units, awards, campaigns


async def replicated(awards: httpx.AsyncClient, campaigns: httpx.AsyncClient, events: int) -> None:
    """Wait until both replicas of the units facts have taken ``events`` events."""

    async def took(client: httpx.AsyncClient, consumer: str) -> bool:
        status = (await client.get("/health")).json()["consumers"].get(consumer, {})
        return status.get("applied", 0) + status.get("duplicates", 0) >= events

    await wait_until(lambda: took(awards, "awards-units-replica"), timeout=30)
    await wait_until(lambda: took(campaigns, "campaigns-units-replica"), timeout=30)
