"""Chaos against the real pipeline: the demo's year played while its parts are killed, and nothing lost.

A stack of its own (Kafka, PostgreSQL and every service as processes, supervised as
``tdkt stack up`` supervises them) plays the demo's scenario at its smallest size
while this test, on the launcher's thread:

- kills -9 the units service during the imports (the supervisor starts it again),
- runs a second reporting instance beside the first and kills -9 it midway (its
  partitions move to the survivor),
- kills -9 the broker and starts it again 5 s later,
- kills -9 PostgreSQL (postmaster and sessions) and starts it again 3 s later.

The scenario's client rides out each restart (retries with back-off, an
Idempotency-Key per request). Afterwards: every event of every service's
``events`` table is on its topic (none lost; copies the relay re-sent after a
kill are counted and deduplicated by consumers); the reporting read models equal
a rebuild from the topics (a consumer that applied an event twice or missed one
would differ); and the year's figures are the article's.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaConsumer

from kernel.auth import Role
from kernel.topics import partitions_of
from tdkt.demo import signer
from tdkt.demo_data import ARTICLE_2023, MIN_STAFF
from tdkt.scenario import PlainReporter, ScenarioOptions, ScenarioResult, article_figures, play_scenario, summary_figures
from tdkt.stack.launcher import SERVICES, Stack, database_name, wait_for_health
from tdkt.stack.processes import free_port, spawn

from ..stacks import own_stack

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1500)]

OPTIONS = ScenarioOptions(seed=2024, staff=MIN_STAFF, history_from=2021, background=False, summary_timeout=400)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with own_stack("chaos") as running:
        yield running


def _kill_group(process: subprocess.Popen[bytes] | None) -> None:
    """kill -9 of a process and everything it forked (PostgreSQL's sessions, the JVM's threads)."""
    assert process is not None
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


class Chaos:
    """The test's own schedule of kills, run on the thread that started the stack (a child's
    parent-death signal follows that thread), supervising the services in between."""

    def __init__(self, stack: Stack, scenario: threading.Thread) -> None:
        self.stack = stack
        self.scenario = scenario
        self.log: list[str] = []
        self.started = time.monotonic()

    def say(self, what: str) -> None:
        line = f"[chaos +{time.monotonic() - self.started:5.1f} s] {what}"
        self.log.append(line)
        print(line, flush=True)

    def wait(self, seconds: float, until: Callable[[], bool] | None = None) -> None:
        """Supervise for ``seconds`` (or until ``until()``), while the scenario runs."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.scenario.is_alive():
            self.stack.supervise()
            if until is not None and until():
                return
            time.sleep(0.3)

    def healthy(self, service: str) -> bool:
        try:
            return httpx.get(f"{self.stack.service_urls[service]}/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False


def _second_reporting(stack: Stack) -> tuple[subprocess.Popen[bytes], str]:
    """Another reporting instance on the same database and consumer groups: the partitions are shared."""
    port = free_port()
    process = spawn([sys.executable, "-m", "services.reporting"],
                    log_file=stack.config.state_dir / "logs" / "reporting-2.log",
                    env=stack.service_env("reporting", port))
    url = f"http://127.0.0.1:{port}"
    wait_for_health(url, timeout=90)
    return process, url


async def _events_by_topic(stack: Stack) -> dict[str, Counter[str]]:
    """Every event id each service committed, by topic."""
    assert stack.postgres
    found: dict[str, Counter[str]] = {}
    for service in SERVICES:
        conn = await asyncpg.connect(stack.postgres.url(database_name(service)))
        try:
            schemas = [r["nspname"] for r in await conn.fetch(
                "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relname = 'events' AND c.relkind = 'r'")]
            for schema in schemas:
                for row in await conn.fetch(f'SELECT event_id::text AS id, topic FROM "{schema}".events'):
                    found.setdefault(row["topic"], Counter())[row["id"]] += 1
        finally:
            await conn.close()
    return found


async def _on_kafka(stack: Stack, topics: list[str]) -> dict[str, Counter[str]]:
    """Every ce_id on each topic, read from the beginning to the end."""
    assert stack.kafka
    consumer = AIOKafkaConsumer(bootstrap_servers=stack.kafka.bootstrap_servers, enable_auto_commit=False,
                                group_id=None)
    await consumer.start()
    seen: dict[str, Counter[str]] = {t: Counter() for t in topics}
    try:
        partitions = await partitions_of(consumer, topics)
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        while any([await consumer.position(p) < ends[p] for p in partitions]):
            for tp, records in (await consumer.getmany(timeout_ms=1000, max_records=5000)).items():
                for record in records:
                    ce_id = dict(record.headers).get("ce_id")
                    if ce_id is not None:
                        seen[tp.topic][ce_id.decode()] += 1
    finally:
        await consumer.stop()
    return seen


def _reporting(stack: Stack, method: str, path: str) -> dict:
    headers = {"authorization": f"Bearer {stack.token(Role.ADMINISTRATOR, subject='chaos-operator')}"}
    response = httpx.request(method, f"{stack.service_urls['reporting']}{path}", headers=headers, timeout=60)
    assert response.status_code < 300, response.text
    return response.json()


def test_kills_during_the_year_lose_nothing_and_double_nothing(stack: Stack) -> None:
    outcome: list[ScenarioResult | BaseException] = []

    def play() -> None:
        try:
            outcome.append(asyncio.run(play_scenario(stack.service_urls, signer(stack), OPTIONS,
                                                     reporter=PlainReporter(quiet=True))))
        except BaseException as error:  # noqa: BLE001  (reported by the test below)
            outcome.append(error)

    second, second_url = _second_reporting(stack)
    scenario = threading.Thread(target=play, name="chaos-scenario")
    scenario.start()
    chaos = Chaos(stack, scenario)
    try:
        chaos.wait(12)
        chaos.say("kill -9 the units service")
        _kill_group(stack.service_processes["units"])
        chaos.wait(60, until=lambda: stack.restarts["units"] and chaos.healthy("units"))
        assert stack.restarts["units"], "the supervisor did not restart the units service"
        chaos.say(f"units restarted ({len(stack.restarts['units'])} restart), healthy: {chaos.healthy('units')}")

        chaos.wait(10)
        chaos.say("kill -9 the second reporting instance")
        _kill_group(second)

        chaos.wait(8)
        chaos.say("kill -9 the broker; back in 5 s")
        assert stack.kafka
        _kill_group(stack.kafka.process)
        time.sleep(5)
        stack.kafka.start()
        chaos.say("broker back")

        chaos.wait(10)
        chaos.say("kill -9 PostgreSQL; back in 3 s")
        assert stack.postgres
        _kill_group(stack.postgres.process)
        time.sleep(3)
        stack.postgres.start({database_name(s): database_name(s) for s in stack.config.services})
        chaos.say("PostgreSQL back")

        chaos.wait(1200)  # to the scenario's end
    finally:
        if second.poll() is None:
            _kill_group(second)
        scenario.join(timeout=600)
    assert outcome, "the scenario did not end"
    result = outcome[0]
    if isinstance(result, BaseException):
        raise AssertionError(f"the scenario failed under chaos: {result!r}") from result
    print(f"[chaos] scenario in {result.seconds:.1f} s; restarts: "
          + ", ".join(f"{s} {len(r)}" for s, r in stack.restarts.items()))

    # The year's figures are the article's.
    assert summary_figures(_reporting(stack, "GET", "/summaries/2023")) == article_figures(ARTICLE_2023)

    # Every committed event is on its topic; the relay's re-sent copies are counted.
    committed = asyncio.run(_events_by_topic(stack))
    on_kafka = asyncio.run(_on_kafka(stack, sorted(committed)))
    for topic, ids in committed.items():
        missing = set(ids) - set(on_kafka[topic])
        copies = sum(n - 1 for n in on_kafka[topic].values() if n > 1)
        print(f"[chaos] {topic}: {len(ids)} committed, {len(missing)} missing, {copies} re-sent copies")
        assert not missing, f"{len(missing)} events of {topic} never reached Kafka"
        assert set(on_kafka[topic]) <= set(ids), f"{topic} holds events no service committed"

    # Each consumer applied each event once: the live read models equal a rebuild from the topics.
    live = {m["read_model"]: m["checksums"] for m in _reporting(stack, "GET", "/read-models?checksums=true")["read_models"]}
    for name, checksums in live.items():
        _reporting(stack, "POST", f"/read-models/{name}/rebuild")
        deadline = time.monotonic() + 300
        job = _reporting(stack, "GET", f"/read-models/{name}/rebuild")
        while job["status"] == "running" and time.monotonic() < deadline:
            time.sleep(1)
            job = _reporting(stack, "GET", f"/read-models/{name}/rebuild")
        assert job["status"] == "done", job
        assert job["checksums"] == checksums, f"{name}: the live read model differs from its rebuild"
    print("[chaos] " + " | ".join(chaos.log))
