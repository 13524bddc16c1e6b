"""A small async client of the services' HTTP APIs: one base URL per service, errors that say what failed.

Every refusal of the services has the body ``{"code", "message", "details"}``;
:class:`ServiceError` keeps it, so a step can accept an "already recorded"
answer (409 ``…_exists``) when the scenario is played again on the same
stack, and otherwise stop with the service's own words.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from kernel.auth import Role

T = TypeVar("T")

ALREADY_DONE = frozenset({
    # campaigns
    "movement_exists", "target_exists", "pledge_exists", "registration_exists", "cluster_exists",
    "year_already_closed", "movement_closed", "final_review_done",
    # units
    "initiative_exists", "discipline_exists", "discipline_already_ended", "person_exists", "unit_exists",
    "grade_exists",
    # awards
    "nomination_exists", "award_already_granted", "award_already_recorded", "award_exists", "already_voted",
    "notice_already_open", "candidate_already_decided",
    # any service: the first try of this very request was applied, and its answer lost when the service died
    "idempotency_key_applied",
})
"""Refusals meaning "this was already done": a replay on a stack that already holds it goes on."""


class ServiceError(RuntimeError):
    """A service refused a request (or answered something unexpected)."""

    def __init__(self, service: str, method: str, path: str, status: int, body: Any) -> None:
        self.service, self.method, self.path, self.status, self.body = service, method, path, status, body
        code = body.get("code") if isinstance(body, dict) else None
        message = body.get("message") if isinstance(body, dict) else str(body)[:500]
        self.code: str | None = code
        super().__init__(f"{service}: {method} {path} → HTTP {status} {code or ''}: {message}")

    @property
    def already_done(self) -> bool:
        """The refusal says the act is already recorded."""
        return self.status == 409 and self.code in ALREADY_DONE


@dataclass(frozen=True)
class RetryPolicy:
    """How long a request is tried again while its service is away (restarting: 6–10 s here; a supervisor's
    pause before it): after ``first_delay`` seconds, doubling up to ``max_delay``, for ``retry_for`` seconds
    in all. A 503's ``Retry-After`` is honoured within ``max_delay``."""

    first_delay: float = 0.25
    max_delay: float = 2.0
    retry_for: float = 60.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """The pause after the ``attempt``-th failed try (1-based)."""
        pause = min(self.max_delay, self.first_delay * 2 ** (attempt - 1))
        return min(self.max_delay, max(pause, retry_after or 0.0))


RETRIED_STATUSES = frozenset({502, 503, 504})


def _still_running(response: httpx.Response) -> bool:
    """409 idempotency_key_in_progress: the first try of this request is running, or died with the service
    (its key is free once the lease ends): wait as the answer's Retry-After says, and try again."""
    if response.status_code != 409:
        return False
    try:
        return response.json().get("code") == "idempotency_key_in_progress"
    except ValueError:
        return False
"""Answers of a proxy or a service whose database or broker is away: the same request is tried again."""
RETRIED_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadError, httpx.WriteError,
                  httpx.RemoteProtocolError)
"""A service restarting, or a connection it dropped."""


def idempotency_key(service: str, method: str, path: str, params: Mapping[str, Any] | None, body: Any,
                    content: bytes | None, caller: tuple[str, tuple[str, str] | None]) -> str:
    """The same key for the same request by the same caller, in this run and in a replay: a command sent
    again (after a dropped connection, or by a replay after a partial run) is recorded once."""
    digest = hashlib.sha256(json.dumps([service, method, path, dict(params or {}), body, str(caller[0]),
                                        caller[1]], sort_keys=True, ensure_ascii=False, default=str).encode())
    if content is not None:
        digest.update(content)
    return f"tdkt-scenario-{digest.hexdigest()[:40]}"


@dataclass
class Service:
    """One service's API, called as one of the scenario's actors (a bearer token per role)."""

    name: str
    client: httpx.AsyncClient
    tokens: Callable[[Role, tuple[str, str] | None], str]
    role: Role
    """Who calls unless a request says otherwise."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)

    async def request(self, method: str, path: str, *, json_body: Any = None, params: Mapping[str, Any] | None = None,
                      content: bytes | None = None, headers: Mapping[str, str] | None = None,
                      accept_done: bool = False, expect: Iterable[int] = (200, 201, 202, 204),
                      role: Role | None = None, actor: tuple[str, str] | None = None) -> Any:
        """Send a request as ``role`` (the service's default when None), by ``actor`` (subject, name; the
        role's usual actor when None); the decoded JSON answer, or None for an "already done" refusal when
        accepted. While the service is away (see :class:`RetryPolicy`) the same request, with the same
        ``Idempotency-Key``, is tried again."""
        headers = {**(headers or {}), "authorization": f"Bearer {self.tokens(role or self.role, actor)}"}
        if method != "GET":
            headers["idempotency-key"] = idempotency_key(self.name, method, path, params, json_body, content,
                                                         (role or self.role, actor))
        response = await self._send_retrying(method, path, json=json_body, params=params, content=content,
                                             headers=headers)
        body: Any
        try:
            body = response.json() if response.content else None
        except json.JSONDecodeError:
            body = response.text
        if response.status_code in expect:
            return body
        error = ServiceError(self.name, method, path, response.status_code, body)
        if accept_done and error.already_done:
            return None
        raise error

    async def _send_retrying(self, method: str, path: str, **request: Any) -> httpx.Response:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.retry.retry_for
        attempts = 0
        while True:
            attempts += 1
            retry_after: float | None = None
            try:
                response = await self.client.request(method, path, **request)
                if response.status_code not in RETRIED_STATUSES and not _still_running(response):
                    return response
                failure: Any = {"code": "unavailable", "message": f"HTTP {response.status_code}",
                                "details": {"body": response.text[:500]}}
                retry_after = _seconds(response.headers.get("retry-after"))
            except RETRIED_ERRORS as error:
                failure = {"code": "unreachable", "message": f"{type(error).__name__}: {error}"}
                response = None
            pause = self.retry.delay(attempts, retry_after)
            if loop.time() + pause > deadline:
                failure["message"] += f" ({attempts} tries in {self.retry.retry_for:.0f} s)"
                status = response.status_code if response is not None else 0
                raise ServiceError(self.name, method, path, status, failure)
            await asyncio.sleep(pause)

    async def get(self, path: str, **params: Any) -> Any:
        """GET with query parameters (None values left out)."""
        return await self.request("GET", path, params={k: v for k, v in params.items() if v is not None})

    async def post(self, path: str, body: Any = None, *, accept_done: bool = True, **kw: Any) -> Any:
        """POST a JSON body; "already done" refusals are accepted by default (a replay goes on)."""
        return await self.request("POST", path, json_body=body, accept_done=accept_done, **kw)

    async def put(self, path: str, body: Any, *, role: Role | None = None) -> Any:
        """PUT a JSON body."""
        return await self.request("PUT", path, json_body=body, role=role)


ACTORS: dict[Role, tuple[str, str]] = {
    Role.ADMINISTRATOR: ("qtht-bct", "Quản trị hệ thống Bộ Công Thương"),
    Role.EMULATION_OFFICE: ("vtdkt-chuyen-vien", "Chuyên viên Vụ Thi đua - Khen thưởng"),
    Role.COUNCIL_MEMBER: ("hdtdkt-thu-ky", "Thư ký Hội đồng Thi đua - Khen thưởng Bộ"),
    Role.APPROVER: ("bt-nguyen-hong-dien", "Bộ trưởng Nguyễn Hồng Diên"),
    Role.READER: ("demo-reader", "Người xem báo cáo"),
}
"""Who the scenario acts as, by role: the subject and name its events record."""

Signer = Callable[[Role, str, str], str]
"""Mints a token: (role, subject, name) → JWT; e.g. ``lambda r, s, n: stack.token(r, subject=s, name=n)``."""


class Services:
    """The clients of every service of a stack, from ``stack.service_urls``, with the scenario's actors."""

    units: Service
    campaigns: Service
    awards: Service
    reporting: Service

    DEFAULT_ROLES = {"units": Role.ADMINISTRATOR, "campaigns": Role.EMULATION_OFFICE,
                     "awards": Role.EMULATION_OFFICE, "reporting": Role.READER}

    def __init__(self, urls: Mapping[str, str], sign: Signer, *, timeout: float = 120.0,
                 connections: int = 16, retry: RetryPolicy | None = None) -> None:
        missing = {"units", "campaigns", "awards", "reporting"} - set(urls)
        if missing:
            raise ValueError(f"the scenario needs every service; missing: {', '.join(sorted(missing))}")
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        minted: dict[tuple[Role, tuple[str, str]], str] = {}

        def token(role: Role, actor: tuple[str, str] | None) -> str:
            key = (role, actor or ACTORS[role])
            if key not in minted:
                minted[key] = sign(role, *key[1])
            return minted[key]

        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits) for name, url in urls.items()
        }
        for name in ("units", "campaigns", "awards", "reporting"):
            setattr(self, name, Service(name, self._clients[name], token, self.DEFAULT_ROLES[name],
                                        retry or RetryPolicy()))

    async def aclose(self) -> None:
        """Close every connection."""
        await asyncio.gather(*(c.aclose() for c in self._clients.values()))

    async def __aenter__(self) -> Services:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _seconds(retry_after: str | None) -> float | None:
    """A ``Retry-After`` in seconds (its date form is not used by the services)."""
    try:
        return float(retry_after) if retry_after else None
    except ValueError:
        return None


async def in_parallel(items: Iterable[T], action: Callable[[T], Awaitable[Any]], *, limit: int = 8,
                      on_done: Callable[[T], None] | None = None) -> None:
    """Run ``action`` on every item, at most ``limit`` at a time; the first failure stops the rest."""
    semaphore = asyncio.Semaphore(limit)

    async def one(item: T) -> None:
        async with semaphore:
            await action(item)
        if on_done is not None:
            on_done(item)

    tasks = [asyncio.create_task(one(item)) for item in items]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
