"""What an operator sees of each HTTP request: one log line, Prometheus metrics, a trace to follow.

Every request gets one ``http_request`` line (method, route template, status,
duration, request id, the actor's subject — never the token) and is counted in
``tdkt_http_requests_total`` and ``tdkt_http_request_duration_seconds`` by route
template, so ids in paths do not explode the series. The W3C ``traceparent`` a
client sends (or a new one) is bound to every log line of the request, stored
with the events the request appends and sent on Kafka as the CloudEvents
distributed-tracing extension (``ce_traceparent``); the consumer binds it to
its lines for the event, so one request can be followed across services.
"""

from __future__ import annotations

import re
import secrets
import time
import uuid
from contextvars import ContextVar

import structlog
from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("kernel.http")

REQUESTS = Counter("tdkt_http_requests_total", "HTTP requests answered.", ["method", "route", "status"])
LATENCY = Histogram(
    "tdkt_http_request_duration_seconds", "Time to answer an HTTP request.", ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)

TRACEPARENT: ContextVar[str | None] = ContextVar("tdkt_traceparent", default=None)
"""The trace context of the request this task serves, for the events it appends."""

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_REQUEST_ID = re.compile(r"^[\w.:-]{1,128}$")


def child_traceparent(incoming: str | None) -> str:
    """A new span of the caller's trace (W3C Trace Context), or of a new trace when there is none."""
    match = _TRACEPARENT.match((incoming or "").strip().lower())
    trace_id = match.group(1) if match and set(match.group(1)) != {"0"} else secrets.token_hex(16)
    flags = match.group(3) if match else "01"
    return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"


def trace_id_of(traceparent: str | None) -> str | None:
    """The trace id in a ``traceparent``, if it is one."""
    match = _TRACEPARENT.match((traceparent or "").strip().lower())
    return match.group(1) if match else None


class RequestTelemetry:
    """ASGI middleware, outermost: the access log line, the metrics and the trace context."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers") or ()}
        given = headers.get("x-request-id", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        traceparent = child_traceparent(headers.get("traceparent"))
        status = 500
        started = time.perf_counter()

        async def answer(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode()),
                                      (b"traceparent", traceparent.encode())]
            await send(message)

        token = TRACEPARENT.set(traceparent)
        try:
            with structlog.contextvars.bound_contextvars(request_id=request_id, trace_id=trace_id_of(traceparent)):
                try:
                    await self.app(scope, receive, answer)
                finally:
                    seconds = time.perf_counter() - started
                    route = getattr(scope.get("route"), "path_format", None) or "unmatched"
                    principal = (scope.get("state") or {}).get("principal")
                    REQUESTS.labels(scope["method"], route, str(status)).inc()
                    LATENCY.labels(scope["method"], route).observe(seconds)
                    log.info("http_request", method=scope["method"], route=route, status=status,
                             duration_ms=round(seconds * 1000, 1), subject=getattr(principal, "subject", None))
        finally:
            TRACEPARENT.reset(token)
