"""Stages that go through the running services: HTTP commands, lag into a reporting query, memory."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import httpx

from .stages import Figure, _concurrently, fresh_schema, bench_event


def _person_id(i: int, run: str) -> str:
    return f"p-{run}-{i:06d}"


def _person(i: int, run: str, unit_id: str) -> dict[str, object]:
    return {"person_id": _person_id(i, run), "full_name": "Nguyễn Thị Hương", "sex": "female",
            "date_of_birth": "1985-04-12", "sector_joined_on": "2010-09-01", "unit_id": unit_id,
            "position": "Chuyên viên", "staff_category": "cong_chuc", "union_member": True}


async def http_write_path(units_url: str, database_url: str, commands: int, clients: int, run: str,
                          headers: dict[str, str]) -> Figure:
    """Grades recorded per second through the units service's HTTP API (one event per command),
    against raw single-row insert-and-commit with the same concurrency.

    Annual grading is the write that comes in millions; the people are imported first.
    """
    pool = await fresh_schema(database_url, "bench_http_raw")
    async with pool.acquire() as conn:
        await conn.execute("CREATE TABLE raw_rows (id text PRIMARY KEY, payload jsonb)")

    async def raw(i: int) -> None:
        async with pool.acquire() as conn:
            await conn.execute("INSERT INTO raw_rows VALUES ($1, $2)", f"r-{i}", bench_event(i).model_dump())

    raw_rate = await _concurrently(commands, clients, raw)
    await pool.close()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=units_url, timeout=120, limits=limits, headers=headers) as client:
        root = {"unit_id": f"u-{run}-root", "code": f"R{run[:5].upper()}", "name": "Vụ Thi đua – Khen thưởng",
                "kind": "vu", "effective_on": "2019-01-01"}
        (await client.post("/units", json=root)).raise_for_status()
        people = [_person(i, run, str(root["unit_id"])) for i in range(commands)]
        imported = await client.post("/imports/people", params={"dry_run": "false"}, json=people)
        imported.raise_for_status()

        async def command(i: int) -> None:
            body = {"subject": "person", "subject_id": f"p-{run}-{i:06d}", "year": 2023, "grade": "HTT"}
            (await client.post("/evaluations", json=body)).raise_for_status()

        rate = await _concurrently(commands, clients, command)
    return Figure("write path: HTTP command (units service)", "commands/s", rate, raw_rate,
                  f"{clients} concurrent clients, POST /evaluations; raw = single-row INSERT + COMMIT")


async def end_to_end_lag(units_url: str, reporting_url: str, rate: int, seconds: float, run: str,
                         headers: dict[str, str]) -> Figure:
    """From a command's commit to its effect answering in a reporting query, at a fixed offered load.

    The command enrols a person (POST /people on the units service); the query
    is the reporting service's ``GET /people/{id}/awards``, which answers 200
    once the person is known. Commands are timed from the moment their HTTP
    answer arrived (the event is committed then) to the first such answer; about
    twenty commands a second are watched, so that the watching does not become
    the load. Commands are sent on schedule whether or not earlier ones have
    answered (an open-loop load), and a watcher sleeps until its command is in.
    """
    total = int(rate * seconds)
    every = max(1, rate // 20)
    committed: dict[int, float] = {}
    answered = {i: asyncio.Event() for i in range(0, total, every)}
    latencies: list[float] = []
    samples: list[tuple[float, float]] = []
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with (
        httpx.AsyncClient(base_url=units_url, timeout=60, limits=limits, headers=headers) as units,
        httpx.AsyncClient(base_url=reporting_url, timeout=60, headers=headers) as reporting,
    ):
        root = {"unit_id": f"u-{run}-root", "code": f"L{run[:5].upper()}", "name": "Khối đo độ trễ",
                "kind": "khac", "effective_on": "2019-01-01"}
        (await units.post("/units", json=root)).raise_for_status()
        began = time.perf_counter()

        async def send(i: int) -> None:
            (await units.post("/people", json=_person(i, run, root["unit_id"]))).raise_for_status()
            committed[i] = time.perf_counter()
            if i in answered:
                answered[i].set()

        async def offer() -> None:
            sending = []
            for i in range(total):
                await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
                sending.append(asyncio.create_task(send(i)))
            await asyncio.gather(*sending)

        async def watch(i: int) -> None:
            await answered[i].wait()
            while True:
                answer = await reporting.get(f"/people/{_person_id(i, run)}/awards")
                if answer.status_code == 200:
                    now = time.perf_counter()
                    latencies.append((now - committed[i]) * 1000)
                    samples.append((now - began, latencies[-1]))
                    return
                await asyncio.sleep(0.01)

        await asyncio.gather(offer(), *(watch(i) for i in answered))
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    return Figure("end to end: command to reporting query", "ms p99", pct(0.99), None,
                  f"{rate} commands/s for {seconds:.0f} s; p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms",
                  samples=samples)


def peak_memory(pids: dict[str, int]) -> list[Figure]:
    """Each service process's peak resident memory (VmHWM), in MiB."""
    figures = []
    for name, pid in sorted(pids.items()):
        status = Path(f"/proc/{pid}/status").read_text()
        kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
        figures.append(Figure(f"peak memory: {name}", "MiB", kib / 1024, None, "VmHWM of the service process"))
    return figures
