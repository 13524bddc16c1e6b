"""A command during a database outage: 503 with Retry-After in the common error shape, nothing written."""

from __future__ import annotations

import pytest

from services.units.app import build

from ..outage import database_proxy, through
from .support import establish, event_count, ministry, ok

pytestmark = pytest.mark.integration


async def test_a_command_during_a_database_outage_answers_503_and_writes_nothing(
    settings, start_service, caplog: pytest.LogCaptureFixture
) -> None:
    async with database_proxy(settings.database_url) as proxy:
        client = await start_service(build, settings.model_copy(update={"database_url": through(settings.database_url, proxy)}))
        await ministry(client)
        before = await event_count(client)
        await proxy.cut()
        command = establish("u-ttdl", "TTDL", "Trung tâm Dữ liệu", "trung_tam", parent_id="u-bct", on="2020-01-01")

        refused = await client.post("/units", json=command)
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"].isdigit()
        answer = refused.json()
        assert answer["code"] == "service_unavailable"
        assert answer["message"] and answer["details"]["retry_after_s"] == int(refused.headers["retry-after"])

        # The same request once the database is back: accepted, and written once.
        await proxy.start()
        await ok(client, "/units", command, 201)
        assert await event_count(client) == before + 1
