"""The scenario's HTTP client against a real local HTTP server: it waits for a service that restarts (connection
refused, then 503s) with the same Idempotency-Key on every try, gives up after its bound, and does not retry a
refusal."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from kernel.auth import Role
from tdkt.scenario.client import RetryPolicy, Service, ServiceError, idempotency_key
from tdkt.stack.processes import free_port

FAST = RetryPolicy(first_delay=0.05, max_delay=0.2, retry_for=30.0)


class Recorder:
    """A service stand-in on a real socket: answers ``statuses`` in turn (then 201), records every request."""

    def __init__(self, port: int, statuses: list[int]) -> None:
        self.port, self.statuses, self.seen = port, list(statuses), []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802  (the standard library's name)
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                recorder.seen.append((self.headers.get("idempotency-key"), json.loads(body)))
                status = recorder.statuses.pop(0) if recorder.statuses else 201
                answer = json.dumps({"code": "x", "message": "y", "details": {}} if status >= 400 else {"ok": True})
                self.send_response(status)
                self.send_header("content-type", "application/json")
                if status == 503:
                    self.send_header("retry-after", "0")
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer.encode())

            def log_message(self, *args: object) -> None:
                pass

        # Bound only at start: until then the port refuses connections, as a restarting service's does.
        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler, bind_and_activate=False)
        self.server.allow_reuse_address = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> None:
        self.server.server_bind()
        self.server.server_activate()
        self.thread.start()

    def stop(self) -> None:
        if self.thread.is_alive():
            self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
def recorders() -> Iterator[list[Recorder]]:
    made: list[Recorder] = []
    yield made
    for recorder in made:
        recorder.stop()


def _service(port: int, policy: RetryPolicy = FAST) -> Service:
    client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10)
    return Service("units", client, lambda role, actor: "token", Role.ADMINISTRATOR, policy)


async def test_a_service_that_comes_up_late_gets_the_request_once(port: int, recorders: list[Recorder]) -> None:
    recorder = Recorder(port, [])
    recorders.append(recorder)
    service = _service(port)
    connects = 0

    async def refused_then_up(request: httpx.Request) -> None:
        nonlocal connects
        connects += 1
        if connects == 3:  # "the restart is over": the server listens from the third try on
            recorder.start()

    service.client.event_hooks["request"].append(refused_then_up)
    body = {"unit_id": "u-1", "name": "Vụ Thi đua - Khen thưởng"}
    assert await service.post("/units", body) == {"ok": True}
    assert connects == 3
    key = idempotency_key("units", "POST", "/units", None, body, None, (Role.ADMINISTRATOR, None))
    assert recorder.seen == [(key, body)]
    await service.client.aclose()


async def test_503s_are_waited_out_with_the_same_idempotency_key(port: int, recorders: list[Recorder]) -> None:
    recorder = Recorder(port, [503, 503, 502])
    recorders.append(recorder)
    recorder.start()
    service = _service(port)
    assert await service.post("/people", {"person_id": "p-1"}) == {"ok": True}
    keys = {key for key, _ in recorder.seen}
    assert len(recorder.seen) == 4 and len(keys) == 1 and next(iter(keys)).startswith("tdkt-scenario-")
    # Another body is another command: another key.
    await service.post("/people", {"person_id": "p-2"})
    assert recorder.seen[-1][0] not in keys
    await service.client.aclose()


async def test_a_service_that_stays_away_fails_after_the_bound(port: int) -> None:
    service = _service(port, RetryPolicy(first_delay=0.05, max_delay=0.1, retry_for=0.5))
    with pytest.raises(ServiceError) as raised:
        await service.post("/units", {"unit_id": "u-1"})
    assert raised.value.code == "unreachable" and raised.value.status == 0
    assert "tries in" in str(raised.value)
    await service.client.aclose()


async def test_a_refusal_is_not_retried(port: int, recorders: list[Recorder]) -> None:
    recorder = Recorder(port, [422])
    recorders.append(recorder)
    recorder.start()
    service = _service(port)
    with pytest.raises(ServiceError) as raised:
        await service.post("/units", {"unit_id": ""})
    assert raised.value.status == 422 and len(recorder.seen) == 1
    await service.client.aclose()


def test_the_pause_grows_to_its_ceiling_and_honours_retry_after_within_it() -> None:
    policy = RetryPolicy(first_delay=0.25, max_delay=2.0)
    assert [policy.delay(n) for n in (1, 2, 3, 4, 5)] == [0.25, 0.5, 1.0, 2.0, 2.0]
    assert policy.delay(1, retry_after=1.5) == 1.5
    assert policy.delay(1, retry_after=120) == 2.0
