"""A units service per test, in process, on the real stack (its relay publishes to Kafka)."""

from __future__ import annotations

import httpx
import pytest

from services.units.app import build


@pytest.fixture
async def client(settings, start_service) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """An HTTP client to a freshly started units service with its own schema and topics."""
    return await start_service(build, settings)
