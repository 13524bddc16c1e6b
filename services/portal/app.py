"""Wiring of the portal: a server-rendered web application over the four services' HTTP APIs.

It reads no service's tables and no Kafka topic: every page is built from the services' answers to the
signed-in person's own token, so what a role may not see the service refuses (403) and the page leaves out.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import formats
from .backends.awards import Awards
from .backends.base import BackendError, Unauthorized
from .backends.campaigns import Campaigns
from .backends.notifications import Notifications
from .backends.reporting import Reporting
from .backends.units import Units
from .imports import Drafts
from .oidc import OpenIdProvider
from .routes import (
    auth,
    imports,
    layouts,
    movements,
    nominations,
    notifications,
    pages,
    reference,
    registrations,
)
from .routes.common import Hidden, SignInNeeded, here, sign_in_redirect
from .sessions import SessionStore
from .settings import PortalSettings

HERE = Path(__file__).parent


def templates() -> Jinja2Templates:
    """The page templates with the Vietnamese formatting filters."""
    env = Jinja2Templates(directory=HERE / "templates")
    env.env.filters.update(number=formats.number, day=formats.day, moment=formats.moment,
                           percent=formats.percent)
    env.env.tests["hidden"] = lambda value: isinstance(value, Hidden)
    env.env.globals.update(ROLE_VI=formats.ROLE_VI, AUTHORITY_VI=formats.AUTHORITY_VI, FLOW_VI=formats.FLOW_VI,
                           STATUS_VI=formats.STATUS_VI, RECIPIENT_VI=formats.RECIPIENT_VI, label=formats.label,
                           options=formats.options, decision_path=formats.decision_path)
    return env


def build(settings: PortalSettings) -> FastAPI:
    """The portal's app; its HTTP client (to the provider and the services) lives with the app."""
    http = httpx.AsyncClient(timeout=settings.portal_backend_timeout_s)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await http.aclose()

    app = FastAPI(title="tdkt portal — cổng thông tin thi đua, khen thưởng", lifespan=lifespan,
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings
    app.state.templates = templates()
    app.state.sessions = SessionStore(settings.portal_session_secret.get_secret_value(),
                                      settings.portal_session_idle_minutes * 60)
    app.state.provider = OpenIdProvider(settings, http)
    app.state.units = Units(settings.portal_units_url, http)
    app.state.campaigns = Campaigns(settings.portal_campaigns_url, http)
    app.state.awards = Awards(settings.portal_awards_url, http)
    app.state.reporting = Reporting(settings.portal_reporting_url, http)
    app.state.notifications = Notifications(settings.portal_notifications_url, http)
    app.state.drafts = Drafts()  # imports checked, waiting to be applied
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response: Response = await call_next(request)
        # Everything is served from here: no script, style, font or image from anywhere else.
        response.headers["content-security-policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self' " + _origin(settings.portal_oidc_issuer)
        )
        response.headers["x-content-type-options"] = "nosniff"
        response.headers["referrer-policy"] = "same-origin"
        return response

    @app.exception_handler(SignInNeeded)
    async def sign_in_needed(request: Request, error: SignInNeeded) -> Response:
        return sign_in_redirect(request, error.next_path)

    @app.exception_handler(Unauthorized)
    async def token_refused(request: Request, _error: Unauthorized) -> Response:
        # The service no longer accepts the session's token: a fresh sign-in, back to the same page.
        return sign_in_redirect(request, here(request))

    @app.exception_handler(BackendError)
    async def backend_failed(request: Request, error: BackendError) -> HTMLResponse:
        return _error_page(request, error)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> HTMLResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg', '')}"
                             for e in error.errors()[:5])
        return _error_page(request, BackendError("portal", 422, "invalid_request", problems))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> HTMLResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return _error_page(request, BackendError("portal", error.status_code, code, str(error.detail)))

    @app.get("/health", include_in_schema=False)
    async def health() -> JSONResponse:
        return JSONResponse({"status": "ok", "service": "portal"})

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> RedirectResponse:
        return RedirectResponse("/static/favicon.svg")

    app.include_router(auth.router)
    app.include_router(pages.router)
    app.include_router(nominations.router)
    app.include_router(movements.router)
    app.include_router(registrations.router)
    app.include_router(notifications.router)
    app.include_router(imports.router)
    app.include_router(reference.router)
    app.include_router(layouts.router)
    return app


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


def _error_page(request: Request, error: BackendError) -> HTMLResponse:
    """A refusal or failure as a page: what went wrong, its code, and the way back."""
    status = error.status if 400 <= error.status < 600 else 502
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"error": error, "session": getattr(request.state, "session", None)},
        status_code=status)
