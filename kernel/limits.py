"""Bounds on expensive requests, so one reader's token cannot slow everyone.

A :class:`Gate` admits at most ``total`` requests of one expensive kind at once (a unit-wide assessment,
an export, a DOCX document, an import) and at most ``per_person`` of them for one token subject; one
more is refused at once with 429 ``too_many_requests`` and a ``Retry-After`` header (no queue: a waiting
request would still hold a connection and memory). The work a gate admits runs its pure CPU part off the
event loop (:func:`off_loop`), so ``/health``, the relay and the consumers keep answering meanwhile.
:func:`distinct_capped` deduplicates a client's list of ids and refuses one longer than a bound.

One process serves a service, and asyncio runs one thing at a time between awaits: the counters need
no lock.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator, Callable, Iterable
from typing import Any, TypeVar

from fastapi import Request, Response
from prometheus_client import Counter as MetricCounter
from pydantic import BaseModel

from .errors import DomainError

T = TypeVar("T")

REFUSED = MetricCounter("tdkt_http_too_busy_total", "Requests refused with 429 by a gate.", ["gate", "scope"])


BUSY: dict[int | str, dict[str, Any]] = {
    429: {"description": "`too_many_requests`: too many of these at once (for everyone, or for this person); "
          "`Retry-After` says in how many seconds to try again."}
}
"""The OpenAPI ``responses`` entry of a gated route."""


class TooBusy(DomainError):
    """An expensive operation's gate is full (HTTP 429 ``too_many_requests``, with ``Retry-After``)."""

    status = 429

    def __init__(self, gate: str, scope: str, limit: int, retry_after_s: int) -> None:
        who = "for everyone" if scope == "everyone" else "for one person"
        super().__init__(
            "too_many_requests",
            f"Too many {gate} requests at once ({limit} {who}); try again in {retry_after_s} s",
            gate=gate, scope=scope, limit=limit, retry_after_s=retry_after_s,
        )
        self.retry_after_s = retry_after_s


class Gate:
    """At most ``total`` requests of one kind at once, at most ``per_person`` of them for one subject."""

    def __init__(self, name: str, *, total: int = 2, per_person: int = 1, retry_after_s: int = 2) -> None:
        if total < 1 or not 1 <= per_person <= total:
            raise ValueError("a gate needs 1 <= per_person <= total")
        self.name = name
        self.total = total
        self.per_person = per_person
        self.retry_after_s = retry_after_s
        self.running = 0
        self._by_person: Counter[str] = Counter()

    @contextlib.asynccontextmanager
    async def hold(self, who: str) -> AsyncIterator[None]:
        """A place in the gate for ``who`` while the block runs; :class:`TooBusy` when there is none."""
        if self._by_person[who] >= self.per_person:
            REFUSED.labels(self.name, "person").inc()
            raise TooBusy(self.name, "person", self.per_person, self.retry_after_s)
        if self.running >= self.total:
            REFUSED.labels(self.name, "everyone").inc()
            raise TooBusy(self.name, "everyone", self.total, self.retry_after_s)
        self.running += 1
        self._by_person[who] += 1
        try:
            yield
        finally:
            self.running -= 1
            self._by_person[who] -= 1
            if not self._by_person[who]:
                del self._by_person[who]

    def dependency(self, when: Callable[[Request], bool] | None = None) -> Callable[[Request], AsyncIterator[None]]:
        """A FastAPI dependency holding a place for the request's subject until the answer is sent;
        ``when`` limits it to the requests that are expensive (e.g. ``format=xlsx``)."""

        async def gate(request: Request) -> AsyncIterator[None]:
            if when is not None and not when(request):
                yield
                return
            principal = getattr(request.state, "principal", None)
            who = getattr(principal, "subject", None) or (request.client.host if request.client else "?")
            async with self.hold(who):
                yield

        return gate


async def off_loop(work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run pure CPU work (rendering a document, serialising a large answer) in a worker thread."""
    return await asyncio.to_thread(work, *args, **kwargs)


async def json_off_loop(build: Callable[[], BaseModel]) -> Response:
    """A large JSON answer built and serialised in a worker thread (FastAPI would do both on the loop)."""

    def render() -> bytes:
        return build().model_dump_json(by_alias=True).encode()

    return Response(await off_loop(render), media_type="application/json")


def distinct_capped(values: Iterable[str], *, limit: int, field: str) -> list[str]:
    """``values`` without repeats, in their first order; 422 ``too_many_values`` when more than ``limit``
    distinct remain (repeats are dropped first, so 3,500 copies of one id are one id)."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) > limit:
        raise DomainError("too_many_values", f"{field} lists {len(distinct)} distinct values, more than {limit}",
                          field=field, count=len(distinct), limit=limit)
    return distinct


__all__ = ["BUSY", "Gate", "TooBusy", "distinct_capped", "json_off_loop", "off_loop"]
