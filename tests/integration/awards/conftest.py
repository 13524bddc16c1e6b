"""An awards service per test, in process, on the real stack, and a publisher of other contexts' events."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from services.awards.app import build

from .support import Publisher


@pytest.fixture
async def client(settings, start_service) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """An HTTP client to a freshly started awards service with its own schema and topics."""
    return await start_service(build, settings)


@pytest.fixture
async def publish(real_stack, topic_prefix: str) -> AsyncIterator[Publisher]:  # type: ignore[no-untyped-def]
    """Produces the units and campaigns contexts' events onto this test's topics, as their relays would."""
    publisher = Publisher(real_stack.bootstrap_servers, topic_prefix)
    await publisher.start()
    try:
        yield publisher
    finally:
        await publisher.stop()
