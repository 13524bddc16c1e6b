"""A tiny benchmark run keeps the harness working; speed is judged by `python -m bench`, never here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import report
from bench.__main__ import measure

pytestmark = pytest.mark.integration


async def test_the_benchmark_harness_measures_every_stage_and_writes_its_report(real_stack, tmp_path: Path) -> None:
    figures = await measure(
        real_stack.bootstrap_servers, real_stack.database_url,
        commands=40, events=300, rebuild_events=400, lag_rate=40, lag_seconds=1, progress=lambda _line: None,
    )
    stages = {f.stage for f in figures}
    assert {"peer: one event per command, 1 client", "peer: one event per command, 8 clients",
            "peer: read every event in order"} <= stages  # the peer's own figures are the raw ones
    assert {"write path: one event per command", "relay: outbox to Kafka", "projection: award statistics",
            "rebuild: award statistics from Kafka", "relay lag: commit to Kafka"} <= stages
    assert all(f.value > 0 for f in figures)
    assert all(f.raw > 0 for f in figures if f.stage != "relay lag: commit to Kafka")
    report.write(figures, tmp_path, {"when": "test", "machine": "test"})
    data = json.loads((tmp_path / "results.json").read_text())
    assert len(data["figures"]) == len(figures) and all("ratio" in f for f in data["figures"])
    assert "| relay: outbox to Kafka |" in (tmp_path / "results.md").read_text()
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_service_stages_measure_http_commands_end_to_end_lag_and_memory(tmp_path: Path) -> None:
    import asyncio

    from bench.__main__ import measure_services
    from tdkt.stack.launcher import Stack, StackConfig

    stack = Stack(StackConfig(state_dir=tmp_path / "stack", services=("units", "reporting")))
    try:
        stack.start(progress=lambda _line: None)
        figures = asyncio.run(measure_services(stack, commands=30, lag_rate=10, lag_seconds=1,
                                               progress=lambda _line: None))
    finally:
        stack.stop()
    by_stage = {f.stage: f for f in figures}
    http = by_stage["write path: HTTP command (units service)"]
    assert http.value > 0 and http.raw and http.raw > 0
    lag = by_stage["end to end: command to reporting query"]
    assert lag.value > 0 and len(lag.samples) == 10  # every command watched at this rate
    assert by_stage["peak memory: units"].value > 10 and by_stage["peak memory: reporting"].value > 10
