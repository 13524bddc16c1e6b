"""One request, followed: its access line and metrics, and its trace id on the event it caused,
through Kafka into the consumer that applied it."""

from __future__ import annotations

import asyncio
import time

import pytest
from prometheus_client import REGISTRY

from kernel.service import Service
from kernel.telemetry import trace_id_of
from services.units.app import build

from .support import establish, ministry

pytestmark = pytest.mark.integration

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


class _UnitsSeen:
    """A subscriber of the units topic that keeps what it applied (its trace ids)."""

    name = "telemetry-probe"
    topics = ("tdkt.units.events",)
    schema = None

    def __init__(self) -> None:
        self.traces: dict[str, str | None] = {}

    async def setup(self, conn) -> None:  # type: ignore[no-untyped-def]
        return None

    async def handle(self, conn, event) -> None:  # type: ignore[no-untyped-def]
        self.traces[event.subject] = trace_id_of(event.traceparent)


def _requests(route: str, status: str) -> float:
    return REGISTRY.get_sample_value("tdkt_http_requests_total",
                                     {"method": "POST", "route": route, "status": status}) or 0.0


async def test_a_request_is_logged_counted_and_traced_to_the_consumer(settings, start_service, capsys) -> None:
    client = await start_service(build, settings)
    await ministry(client)
    before = _requests("/units", "201")
    command = establish("u-ttdl", "TTDL", "Trung tâm Dữ liệu", "trung_tam", parent_id="u-bct", on="2020-01-01")
    response = await client.post("/units", json=command,
                                 headers={"traceparent": f"00-{TRACE}-00f067aa0ba902b7-01", "x-request-id": "req-42"})
    assert response.status_code == 201, response.text
    assert response.headers["x-request-id"] == "req-42"
    assert trace_id_of(response.headers["traceparent"]) == TRACE
    assert _requests("/units", "201") == before + 1

    lines = [line for line in capsys.readouterr().out.splitlines() if "http_request" in line and "req-42" in line]
    assert len(lines) == 1, lines
    assert "route=/units" in lines[0] and "status=201" in lines[0] and "subject=test-admin" in lines[0]
    assert "Bearer" not in lines[0]

    probe = _UnitsSeen()
    consumer = Service(context="probe", settings=settings.model_copy(update={"database_schema": settings.database_schema + "_p"}),
                       handlers=[probe], publishes=False)
    await consumer.start()
    try:
        deadline = time.monotonic() + 30
        while "u-ttdl" not in probe.traces and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
    finally:
        await consumer.stop()
    assert probe.traces.get("u-ttdl") == TRACE
    applied = [line for line in capsys.readouterr().out.splitlines() if "events_applied" in line and TRACE in line]
    assert applied, "the consumer's log line for the event names its trace"
