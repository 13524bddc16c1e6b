"""The HTTP edge every service shares: error answers, health, metrics, size limits."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from importlib import resources
from typing import Annotated, Any

import asyncpg
import structlog
from fastapi import Depends, FastAPI, Header, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from .auth import PUBLIC_PATHS, Access, Role, authorize
from .clock import TODAY_HEADER, business_today
from .errors import INFRASTRUCTURE_ERRORS, QUERY_INPUT_ERROR, DomainError, Forbidden
from .idempotency import IdempotencyKeys, PoolGetter, Replay, replay_response, reserve
from .limits import TooBusy
from .openapi import document_edge
from .telemetry import RequestTelemetry

log = structlog.get_logger("kernel.http")

RETRY_AFTER_SECONDS = 5
"""What a refusal during an outage tells the client to wait: about a PostgreSQL or broker restart."""

MAX_BODY_BYTES = 10 * 1024 * 1024


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """Every error answer has this shape: a stable code, a human message, details."""
    if status == 401:
        headers = {**(headers or {}), "WWW-Authenticate": 'Bearer realm="tdkt"'}
    return JSONResponse(
        status_code=status, content={"code": code, "message": message, "details": details or {}}, headers=headers
    )


_HTTP_CODES = {400: "malformed_request", 404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}

_BEARER = HTTPBearer(auto_error=False, description="A JWT from the ministry's sign-on (or `tdkt token mint`).")


async def _guard(
    request: Request,
    _token: HTTPAuthorizationCredentials | None = Depends(_BEARER),
    _key: str | None = Header(None, alias="Idempotency-Key", description=(
        "Commands only: the same key with the same request returns the first answer and changes nothing "
        "again (kernel/idempotency.py); ignored on queries.")),
) -> None:
    # The bearer scheme and the key are declared for the OpenAPI document; the kernel reads the headers itself.
    await authorize(request)
    principal = getattr(request.state, "principal", None)
    if principal is not None:
        await reserve(request, principal.subject)


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


DOCS_ASSETS = "/docs-assets"
"""Where Swagger UI's and ReDoc's files are served from: the service itself, never a CDN (a ministry's
closed network reaches no CDN, and a blank /docs page helps nobody)."""


def _offline_documentation(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` with every asset served by the service, open like the
    OpenAPI document they render."""
    assets = resources.files("fastapi_offline").joinpath("static")
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")

    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} — API",
            swagger_js_url=f"{root}{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png",
            oauth2_redirect_url=f"{root}{app.swagger_ui_oauth2_redirect_url}")

    async def oauth2_redirect(_request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}", title=f"{app.title} — API",
            redoc_js_url=f"{root}{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS}/favicon.png", with_google_fonts=False)

    app.add_route("/docs", swagger, include_in_schema=False)
    app.add_route("/redoc", redoc, include_in_schema=False)
    app.add_route(str(app.swagger_ui_oauth2_redirect_url), oauth2_redirect, include_in_schema=False)


def create_app(
    *,
    title: str,
    description: str,
    health: Callable[[], tuple[bool, dict[str, Any]]],
    access: Access,
    lifespan: Any = None,
    pool: PoolGetter = lambda: None,
) -> FastAPI:
    """A FastAPI app with the shared error mapping, authentication and access rules on every route
    (:mod:`kernel.auth`), ``/health`` and ``/metrics``.

    ``pool`` gives the service's pool once it started: commands then honour ``Idempotency-Key``
    (:mod:`kernel.idempotency`)."""
    app = FastAPI(
        title=title, description=description, version="1.0.0", lifespan=lifespan, dependencies=[Depends(_guard)],
        docs_url=None, redoc_url=None,
    )
    _offline_documentation(app)
    app.state.access = access
    app.state.idempotency_pool = pool
    app.add_middleware(IdempotencyKeys, pool=pool)
    app.add_middleware(BodySizeLimit)
    app.add_middleware(RefuseNul)
    app.add_middleware(RequestTelemetry)  # outermost: every request, refused or not, is logged and counted

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, error: StarletteHTTPException) -> JSONResponse:
        # FastAPI's own refusals (an unknown route, a body that is not JSON) in the same shape as ours.
        code = _HTTP_CODES.get(error.status_code, "http_error")
        return error_response(error.status_code, code, str(error.detail))

    app.add_exception_handler(Replay, replay_response)

    @app.exception_handler(DomainError)
    async def domain_error(_request: Request, error: DomainError) -> JSONResponse:
        retry = {"Retry-After": str(error.retry_after)} if error.retry_after is not None else None
        return error_response(error.status, error.code, error.message, error.details, headers=retry)

    app.add_exception_handler(TooBusy, _too_busy)

    @app.exception_handler(asyncpg.DataError)
    @app.exception_handler(QUERY_INPUT_ERROR)
    async def data_error(_request: Request, error: Exception) -> JSONResponse:
        # A value the database cannot hold (a NUL in text, a number beyond its column, a date out of range)
        # that the models let through: the request's fault, and its transaction was rolled back.
        return error_response(422, "invalid_value", f"a value of the request cannot be used: {error}")

    async def unavailable(request: Request, error: Exception) -> JSONResponse:
        # The database or the broker is away (a restart, an outage): nothing was committed, and the
        # same request may succeed once it is back. One warning line, not an ASGI traceback.
        log.warning("infrastructure_unavailable", method=request.method, path=request.url.path,
                    error=f"{type(error).__name__}: {error}")
        return error_response(503, "service_unavailable",
                              "the service's database or message broker is unavailable; nothing was changed, "
                              "try again shortly", {"retry_after_s": RETRY_AFTER_SECONDS},
                              headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    for infrastructure_error in INFRASTRUCTURE_ERRORS:
        app.add_exception_handler(infrastructure_error, unavailable)

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

    @app.get("/health", tags=["operations"], summary="Health of the service, its relay and its consumers",
             responses={200: {"description": "Every part runs."},
                        503: {"description": "Degraded: the relay or a consumer has stopped."}})
    async def health_endpoint() -> JSONResponse:
        ok, detail = health()
        return JSONResponse(status_code=200 if ok else 503, content={"status": "ok" if ok else "degraded", **detail})

    @app.get("/metrics", tags=["operations"], summary="Prometheus metrics", response_class=Response,
             responses={200: {"description": "The Prometheus text exposition format.",
                              "content": {CONTENT_TYPE_LATEST.split(";")[0]: {"schema": {"type": "string"}}}}})
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    document_edge(app, PUBLIC_PATHS)

    return app


def today_dependency(
    allow_header: bool, clock: Callable[[], date] = business_today
) -> Callable[..., Awaitable[date]]:
    """A FastAPI dependency giving the request's business date: ``clock()``, or ``X-Tdkt-Today``.

    The header is refused (403 ``today_header_not_allowed``) unless the stack
    allows it and the caller is an administrator, so a unit officer can never
    date a registration before its deadline; a refused header is never
    silently replaced by today.
    """

    async def today(
        request: Request,
        value: Annotated[
            date | None,
            Header(
                alias=TODAY_HEADER,
                description="Demo and test stacks only (TDKT_ALLOW_TODAY_HEADER=true), from an administrator: "
                "the date to take as today, YYYY-MM-DD; the audit trail records it. Refused (403) otherwise.",
            ),
        ] = None,
    ) -> date:
        if value is None:
            return clock()
        if not allow_header:
            raise Forbidden(
                "today_header_not_allowed",
                f"This service takes today's date from its clock; {TODAY_HEADER} is honoured only where "
                "TDKT_ALLOW_TODAY_HEADER is set (tests, demos).",
            )
        principal = getattr(request.state, "principal", None)
        if Role.ADMINISTRATOR not in getattr(principal, "roles", ()):
            raise Forbidden(
                "today_header_not_allowed",
                f"Only an administrator may set the business date ({TODAY_HEADER}), and only on a demo stack: "
                "a unit officer cannot date a registration before its deadline.",
                roles=sorted(getattr(principal, "roles", ())),
            )
        request.state.business_date = value  # recorded with the events (Service.metadata)
        return value

    return today
