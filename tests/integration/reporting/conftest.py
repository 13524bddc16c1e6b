"""A reporting service per test, in process, on the real stack, fed the scenario through Kafka."""

from __future__ import annotations

import httpx
import pytest

from services.reporting.app import build

from .scenario import everything
from .support import expected_counts, produce, wait_applied


@pytest.fixture
async def reporting(settings, start_service) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """An HTTP client to a freshly started reporting service (no events yet)."""
    return await start_service(build, settings)


@pytest.fixture
async def loaded(reporting, settings, real_stack) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """The reporting service once its read models applied the whole scenario, produced onto Kafka."""
    events = everything()
    await produce(real_stack.bootstrap_servers, settings.topic_prefix, events)
    await wait_applied(reporting.service.pool, settings.database_schema,
                       expected_counts(events, settings.database_schema))
    return reporting
