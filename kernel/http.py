"""The HTTP edge every service shares: error answers, health, metrics, size limits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import asyncpg
from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from .auth import Access, authorize
from .errors import QUERY_INPUT_ERROR, DomainError
from .limits import TooBusy

MAX_BODY_BYTES = 10 * 1024 * 1024


def error_response(status: int, code: str, message: str, details: Any = None) -> JSONResponse:
    """Every error answer has this shape: a stable code, a human message, details."""
    headers = {"WWW-Authenticate": 'Bearer realm="tdkt"'} if status == 401 else None
    return JSONResponse(
        status_code=status, content={"code": code, "message": message, "details": details or {}}, headers=headers
    )


_HTTP_CODES = {400: "malformed_request", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}

_BEARER = HTTPBearer(auto_error=False, description="A JWT from the ministry's sign-on (or `tdkt token mint`).")


async def _guard(request: Request, _token: HTTPAuthorizationCredentials | None = Depends(_BEARER)) -> None:
    # The bearer scheme is declared for the OpenAPI document; kernel.auth reads the header itself.
    await authorize(request)


async def _too_busy(_request: Request, error: Exception) -> JSONResponse:
    """A full gate (:mod:`kernel.limits`): 429 in the common shape, with ``Retry-After``."""
    assert isinstance(error, TooBusy)
    response = error_response(error.status, error.code, error.message, error.details)
    response.headers["Retry-After"] = str(error.retry_after_s)
    return response


class BodySizeLimit:
    """Refuse request bodies over a limit with 413 before reading them whole."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = error_response(413, "body_too_large", f"request body over {self.limit} bytes")
            await response(scope, receive, send)
            return
        received = 0

        async def limited() -> dict[str, Any]:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            response = error_response(413, "body_too_large", f"request body over {self.limit} bytes")
            await response(scope, receive, send)


class _TooLarge(Exception):
    pass


class RefuseNul:
    """Refuse a NUL character in the path or query with 422 before any code sees it: PostgreSQL text
    cannot hold one, so it could only fail later, deeper."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query = scope.get("query_string") or b""
            if "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query:
                response = error_response(422, "invalid_text", "the path or query contains a NUL character")
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def create_app(
    *,
    title: str,
    description: str,
    health: Callable[[], tuple[bool, dict[str, Any]]],
    access: Access,
    lifespan: Any = None,
) -> FastAPI:
    """A FastAPI app with the shared error mapping, authentication and access rules on every route
    (:mod:`kernel.auth`), ``/health`` and ``/metrics``."""
    app = FastAPI(
        title=title, description=description, version="1.0.0", lifespan=lifespan, dependencies=[Depends(_guard)]
    )
    app.state.access = access
    app.add_middleware(BodySizeLimit)
    app.add_middleware(RefuseNul)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        # FastAPI's own refusals (an unknown route, a body that is not JSON) in the same shape as ours.
        code = _HTTP_CODES.get(error.status_code, "http_error")
        return error_response(error.status_code, code, str(error.detail))

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, error: DomainError) -> JSONResponse:
        return error_response(error.status, error.code, error.message, error.details)

    app.add_exception_handler(TooBusy, _too_busy)

    @app.exception_handler(asyncpg.DataError)
    @app.exception_handler(QUERY_INPUT_ERROR)
    async def data_error(_request: Request, error: Exception) -> JSONResponse:
        # A value the database cannot hold (a NUL in text, a number beyond its column, a date out of range)
        # that the models let through: the request's fault, and its transaction was rolled back.
        return error_response(422, "invalid_value", f"a value of the request cannot be used: {error}")

    @app.exception_handler(asyncpg.IntegrityConstraintViolationError)
    async def constraint_violated(_request: Request, error: asyncpg.IntegrityConstraintViolationError) -> JSONResponse:
        # A rule the tables enforce that no model checked first (or a race on one): nothing was written.
        return error_response(409, "constraint_violated", f"the request clashes with a recorded fact: {error}")

    @app.exception_handler(RequestValidationError)
    async def invalid_request(_request: Request, error: RequestValidationError) -> JSONResponse:
        problems = [
            {"where": ".".join(str(p) for p in item.get("loc", ())), "problem": item.get("msg", "")}
            for item in error.errors()
        ]
        summary = "; ".join(f"{p['where']}: {p['problem']}" for p in problems[:5])
        return error_response(422, "invalid_request", f"the request is not valid: {summary}", {"errors": problems})

    @app.get("/health", tags=["operations"], summary="Health of the service, its relay and its consumers")
    async def health_endpoint() -> JSONResponse:
        ok, detail = health()
        return JSONResponse(status_code=200 if ok else 503, content={"status": "ok" if ok else "degraded", **detail})

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", include_in_schema=True)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return app
