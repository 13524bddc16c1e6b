"""What every page route shares: the signed-in session (refreshing its tokens), and rendering."""

from __future__ import annotations

import time
from collections.abc import Awaitable
from typing import Any, TypeVar
from urllib.parse import urlencode

import structlog
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from ..backends.base import BackendError, Refused
from ..oidc import SignInFailed
from ..sessions import SESSION_COOKIE, Session

log = structlog.get_logger("portal")
T = TypeVar("T")
REFRESH_MARGIN_S = 30
"""An access token this close to expiry is renewed before it is sent."""


class SignInNeeded(Exception):
    """No live session: the browser goes to sign in, then back to ``next_path``."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def safe_next(path: str | None) -> str:
    """Only a path of this site (no other host, no scheme) is a place to come back to."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def sign_in_redirect(request: Request, next_path: str) -> RedirectResponse:
    response = RedirectResponse(f"/auth/login?{urlencode({'next': safe_next(next_path)})}", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def session(request: Request) -> Session:
    """FastAPI dependency: the live session, its access token renewed when about to expire."""
    store = request.app.state.sessions
    found = store.find(request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise SignInNeeded(here(request))
    if found.tokens.expires_at - time.time() < REFRESH_MARGIN_S:
        try:
            found.tokens = await request.app.state.provider.refresh(found.tokens)
        except SignInFailed as error:
            log.info("session_refresh_failed", reason=str(error))
            store.close(found)
            raise SignInNeeded(here(request)) from error
    request.state.session = found
    request.state.bell = await _unread(request, found)
    return found


async def _unread(request: Request, found: Session) -> int | None:
    """The bell's count of unread notifications; None when the notifications service does not answer (the
    page renders anyway and the bell says it is unavailable)."""
    try:
        return await request.app.state.notifications.unread(found.tokens.access_token)
    except BackendError as error:
        log.warning("bell_unavailable", status=error.status, code=error.code)
        return None


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page, with the session (name, roles, CSRF token) for the header's sign-out form."""
    return request.app.state.templates.TemplateResponse(
        request, template, {"session": getattr(request.state, "session", None),
                            **({"bell": request.state.bell} if hasattr(request.state, "bell") else {}),
                            **context}, status_code=status_code)


class Hidden:
    """A part of the page the person's role may not see (the service said 403)."""

    def __init__(self, error: Refused) -> None:
        self.message = error.message

    def __bool__(self) -> bool:
        return False


async def optional(call: Awaitable[T]) -> T | Hidden:
    """The service's answer, or Hidden when it refuses this role."""
    try:
        return await call
    except Refused as error:
        return Hidden(error)
