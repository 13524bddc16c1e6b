"""``python -m bench``: bring up the real stack and measure every stage against its raw limit.

    python -m bench                 # the full run (≥1 million events rebuilt; several minutes)
    python -m bench --smoke         # a small run that keeps the harness working (the test suite runs it)
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from tdkt.stack.launcher import Stack, StackConfig

from . import report
from .peer import peer_comparison
from .service_stages import end_to_end_lag, http_write_path, peak_memory
from .stages import Figure, projection, relay, relay_lag, write_path


async def measure(bootstrap: str, url: str, *, commands: int, events: int, rebuild_events: int,
                  lag_rate: int, lag_seconds: float, progress=print) -> list[Figure]:  # type: ignore[no-untyped-def]
    figures: list[Figure] = []
    progress(f"write path: {commands:,} commands")
    figures += await write_path(url, commands, clients=8)
    progress(f"the peer beside us: {commands:,} commands each way")
    figures += await peer_comparison(url, commands, clients=8)
    progress(f"relay: {events:,} events")
    figures += await relay(url, bootstrap, events)
    progress(f"relay lag: {lag_rate}/s for {lag_seconds:.0f} s")
    figures.append(await relay_lag(url, bootstrap, lag_rate, lag_seconds))
    progress(f"projection and rebuild: {rebuild_events:,} events")
    stage_figures, _prefix, _topic = await projection(url, bootstrap, rebuild_events)
    figures += stage_figures
    return figures


async def measure_services(stack: Stack, *, commands: int, lag_rate: int, lag_seconds: float,
                           progress=print) -> list[Figure]:  # type: ignore[no-untyped-def]
    """The stages that go through the running units and reporting services."""
    assert stack.postgres
    run = datetime.now(UTC).strftime("%H%M%S")
    headers = {"authorization": f"Bearer {stack.token(subject='bench')}"}
    progress(f"HTTP write path: {commands:,} commands")
    figures = [await http_write_path(stack.service_urls["units"], stack.postgres.url(), commands, 16, run, headers)]
    progress(f"end to end: {lag_rate} commands/s for {lag_seconds:.0f} s")
    figures.append(await end_to_end_lag(stack.service_urls["units"], stack.service_urls["reporting"],
                                        lag_rate, lag_seconds, f"lag{run}", headers))
    figures += peak_memory({name: p.pid for name, p in stack.service_processes.items()})
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="a small, quick run")
    parser.add_argument("--out", type=Path, default=Path("bench/out"))
    args = parser.parse_args()
    sizes = (
        dict(commands=300, events=2_000, rebuild_events=3_000, lag_rate=50, lag_seconds=3)
        if args.smoke
        else dict(commands=5_000, events=200_000, rebuild_events=1_000_000, lag_rate=200, lag_seconds=60)
    )
    stack = Stack(StackConfig(state_dir=Path(tempfile.mkdtemp(prefix="tdkt-bench-")), services=("units", "reporting")))
    try:
        stack.start()
        assert stack.kafka and stack.postgres
        figures = asyncio.run(measure(stack.kafka.bootstrap_servers, stack.postgres.url(), **sizes))
        figures += asyncio.run(measure_services(
            stack, commands=sizes["commands"], lag_rate=sizes["lag_rate"] if not args.smoke else 20,
            lag_seconds=sizes["lag_seconds"],
        ))
    finally:
        stack.stop()
    meta = {"when": datetime.now(UTC).isoformat(timespec="seconds"), "machine": platform.platform(), **sizes}
    report.write(figures, args.out, meta)
    print(report.markdown(figures, meta))
    print(f"written: {args.out / 'results.json'}, {args.out / 'results.md'}, {args.out / 'chart.png'}")


if __name__ == "__main__":
    main()
