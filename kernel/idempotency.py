"""Retries that never double: the ``Idempotency-Key`` header on every command.

A client that did not get an answer (a timeout, a restart, a dropped
connection) sends the same command again with the same key. The first request
with a key reserves it for the caller (the token's subject); its events are
appended in a transaction that also marks the key *committed*, so "the command
happened" and "the key was used" cannot disagree after any crash. Its answer is
kept; the same key with the same request gets that answer again (header
``Idempotent-Replayed: true``) and appends nothing; with another request, 409
``idempotency_key_reused``. While the first is still running, 409
``idempotency_key_in_progress`` with Retry-After. A reservation whose request
died before committing is taken over after :data:`LEASE` (the holder's mark
then changes, so a request that was only slow fails at its commit instead of
counting twice); one that committed
but lost its answer in a crash gets 409 ``idempotency_key_applied`` (the
command happened once; re-running it would double it). Refusals that another
try may turn around (409 conflicts, 429, 5xx) are not kept: the retry runs again.
Keys are kept for :data:`KEEP`.

What "the same request" means: the method, path, query and body. A multipart
body (a file upload) is compared by what it carries, not by its bytes — each
field's name and value, each file's field name, file name and SHA-256 —
because a client sending the same form again picks a new boundary: the same
file replays, another file is a reused key. The guard parses the form for it
(:func:`fingerprint`); Starlette keeps the parsed form on the request, so the
route reads it again (FastAPI's ``File``/``Form`` parameters) without a second
pass over the body, whichever of the two parsed it first.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import asyncpg
from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import UploadFile
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import Conflict, DomainError

HEADER = "idempotency-key"
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 200
LEASE = timedelta(seconds=30)
KEEP = timedelta(days=1)
_STATE = "tdkt_idempotency"
_NOT_KEPT = {408, 409, 425, 429}
_READ_BYTES = 1024 * 1024

PoolGetter = Callable[[], asyncpg.Pool | None]


@dataclass
class Reservation:
    """A key this request holds: ``subject`` + ``key``, and ``holder``, this request's own mark (a request
    that took over a dead one's key has another, so the dead one's late commit cannot also count)."""

    subject: str
    key: str
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)


@dataclass
class _Slot:
    reservation: Reservation | None = None


CURRENT: ContextVar[Reservation | None] = ContextVar("tdkt_idempotency", default=None)
"""The key of the command this task runs, for :func:`mark_committed` in the appending transaction."""


class Replay(Exception):
    """The first answer to this key, to be sent again as it was."""

    def __init__(self, status: int, content_type: str | None, body: bytes) -> None:
        super().__init__("replay")
        self.status, self.content_type, self.body = status, content_type, body

    def response(self) -> Response:
        headers = {"Idempotent-Replayed": "true"}
        return Response(self.body, status_code=self.status, media_type=self.content_type, headers=headers)


class KeyInProgress(Conflict):
    """The first request with this key has not finished yet (or died: its key is free after the lease)."""

    retry_after = 2

    def __init__(self, key: str) -> None:
        super().__init__("idempotency_key_in_progress",
                         "a request with this Idempotency-Key is still running; try again in a moment", key=key)


async def reserve(request: Request, subject: str) -> None:
    """Reserve the request's key for ``subject``, or answer for it: replay, or refuse (see the module)."""
    key = request.headers.get(HEADER)
    if key is None or request.method not in COMMAND_METHODS:
        return
    slot = request.scope.get(_STATE)
    pool = getattr(request.app.state, "idempotency_pool", lambda: None)()
    if not isinstance(slot, _Slot) or pool is None:
        return
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise DomainError("invalid_idempotency_key",
                          f"Idempotency-Key must be 1 to {MAX_KEY_LENGTH} printable characters", key=key[:MAX_KEY_LENGTH])
    fingerprint = await request_fingerprint(request)
    async with pool.acquire() as conn:
        if random.random() < 0.01:  # noqa: S311  (housekeeping now and then, not a secret)
            await conn.execute("DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval", KEEP)
        reservation = Reservation(subject, key)
        taken = await conn.fetchval(
            "INSERT INTO idempotency_keys (subject, key, fingerprint, holder) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT DO NOTHING RETURNING true", subject, key, fingerprint, reservation.holder)
        if not taken:
            row = await conn.fetchrow(
                "SELECT fingerprint, committed, status, content_type, body, created_at < now() - $3::interval AS stale "
                "FROM idempotency_keys WHERE subject = $1 AND key = $2", subject, key, LEASE)
            if row is None:  # expired between the two statements
                raise KeyInProgress(key)
            if row["fingerprint"] != fingerprint:
                raise Conflict("idempotency_key_reused",
                               "this Idempotency-Key was used for another request; use a new key for a new request",
                               key=key)
            if row["status"] is not None:
                raise Replay(row["status"], row["content_type"], bytes(row["body"]))
            if row["committed"]:
                raise Conflict("idempotency_key_applied",
                               "the first request with this Idempotency-Key was applied, but its answer was lost in "
                               "a restart; it is not applied again", key=key)
            taken = row["stale"] and await conn.fetchval(
                "UPDATE idempotency_keys SET created_at = now(), holder = $4 WHERE subject = $1 AND key = $2 "
                "AND NOT committed AND status IS NULL AND created_at < now() - $3::interval RETURNING true",
                subject, key, LEASE, reservation.holder)
            if not taken:
                raise KeyInProgress(key)
    slot.reservation = reservation
    CURRENT.set(reservation)


async def request_fingerprint(request: Request) -> str:
    """SHA-256 of what makes a request the same one: method, path, query and body (a form: its content)."""
    content_type = request.headers.get("content-type", "")
    if content_type.partition(";")[0].strip().lower() == "multipart/form-data":
        body = await _form_digest(request)
    else:
        body = await request.body()
    return hashlib.sha256(
        b"\n".join([request.method.encode(), request.url.path.encode(), request.url.query.encode(), body])
    ).hexdigest()


async def _form_digest(request: Request) -> bytes:
    """The form's fields and files, sorted, each file by its SHA-256 (read in chunks, left at its start)."""
    parts: list[tuple[str, str, str]] = []
    for name, value in (await request.form()).multi_items():
        if isinstance(value, UploadFile):
            digest = hashlib.sha256()
            await value.seek(0)
            while chunk := await value.read(_READ_BYTES):
                digest.update(chunk)
            await value.seek(0)
            parts.append((name, f"file:{value.filename or ''}", digest.hexdigest()))
        else:
            parts.append((name, "field", value))
    return repr(sorted(parts)).encode()


async def mark_committed(conn: asyncpg.Connection) -> None:
    """Inside the transaction that appends a command's events: the key was used, atomically with them."""
    reservation = CURRENT.get()
    if reservation is not None and not await conn.fetchval(
            "UPDATE idempotency_keys SET committed = true WHERE subject = $1 AND key = $2 AND holder = $3 "
            "RETURNING true", reservation.subject, reservation.key, reservation.holder):
        # Taken over after the lease by a retry that believed this request dead: only one may count.
        raise KeyInProgress(reservation.key)


class IdempotencyKeys:
    """ASGI middleware: keeps the answer of a command that reserved its key (see :func:`reserve`)."""

    def __init__(self, app: ASGIApp, pool: PoolGetter) -> None:
        self.app = app
        self.pool = pool

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in COMMAND_METHODS or not _has_key(scope):
            await self.app(scope, receive, send)
            return
        slot = _Slot()
        scope[_STATE] = slot
        answer = _Answer()

        async def keep(message: Message) -> None:
            answer.see(message)
            await send(message)

        token = CURRENT.set(None)
        try:
            await self.app(scope, receive, keep)
        finally:
            CURRENT.reset(token)
            if slot.reservation is not None:
                await self._finish(slot.reservation, answer)

    async def _finish(self, reservation: Reservation, answer: _Answer) -> None:
        pool = self.pool()
        if pool is None:
            return
        async with pool.acquire() as conn:
            if answer.status is not None and answer.status < 500 and answer.status not in _NOT_KEPT:
                await conn.execute(
                    "UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5 "
                    "WHERE subject = $1 AND key = $2 AND holder = $6", reservation.subject, reservation.key,
                    answer.status, answer.content_type, b"".join(answer.body), reservation.holder)
            else:
                # Nothing kept: a retry runs again — unless the command did commit, which it must never redo.
                await conn.execute("DELETE FROM idempotency_keys WHERE subject = $1 AND key = $2 AND holder = $3 "
                                   "AND NOT committed", reservation.subject, reservation.key, reservation.holder)


@dataclass
class _Answer:
    status: int | None = None
    content_type: str | None = None
    body: list[bytes] = field(default_factory=list)

    def see(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            headers: list[tuple[bytes, bytes]] = message.get("headers", [])
            self.content_type = next((v.decode("latin-1") for k, v in headers if k.lower() == b"content-type"), None)
        elif message["type"] == "http.response.body":
            self.body.append(message.get("body", b""))


def _has_key(scope: Scope) -> bool:
    return any(name.lower() == HEADER.encode() for name, _ in scope.get("headers") or ())


def replay_response(_request: Request, error: Any) -> Response:
    """Exception handler for :class:`Replay`."""
    assert isinstance(error, Replay)
    return error.response()
