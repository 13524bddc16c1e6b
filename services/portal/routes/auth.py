"""Sign-in (authorization code + PKCE at the provider), its callback, and sign-out (ending the provider's
session too)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..oidc import SignInFailed
from ..sessions import SESSION_COOKIE, SIGN_IN_COOKIE, SIGN_IN_SECONDS
from .common import log, render, safe_next

router = APIRouter()


def _cookie(request: Request, response: Response, name: str, value: str, max_age: int | None = None) -> None:
    settings = request.app.state.settings
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
                        secure=settings.secure_cookies)


@router.get("/auth/login")
async def login(request: Request, next: str | None = Query(None, max_length=2000)) -> Response:  # noqa: A002
    """Send the browser to the provider's sign-in form; the callback brings it back to ``next``."""
    try:
        pending, url = await request.app.state.provider.begin(safe_next(next))
    except SignInFailed as error:
        return render(request, "signin_failed.html", {"reason": str(error)}, status_code=503)
    response = RedirectResponse(url, status_code=303)
    _cookie(request, response, SIGN_IN_COOKIE, request.app.state.sessions.pending_cookie(pending),
            max_age=SIGN_IN_SECONDS)
    return response


@router.get("/auth/callback")
async def callback(request: Request, code: str | None = Query(None, max_length=4000),
                   state: str | None = Query(None, max_length=200),
                   error: str | None = Query(None, max_length=200)) -> Response:
    """The provider's answer: the code is exchanged only for the sign-in this browser began (state)."""
    store = request.app.state.sessions
    pending = store.pending_from(request.cookies.get(SIGN_IN_COOKIE))
    if error or not code or pending is None or state != pending.state:
        if error:
            reason = f"the sign-on answered {error}"
        elif pending is None or state != pending.state:
            reason = "the sign-in expired or was not started in this browser"
        else:
            reason = "the sign-on sent no code"
        log.info("sign_in_refused", reason=reason)
        return render(request, "signin_failed.html", {"reason": reason}, status_code=400)
    try:
        tokens = await request.app.state.provider.finish(pending, code)
    except SignInFailed as failure:
        log.warning("sign_in_failed", reason=str(failure))
        return render(request, "signin_failed.html", {"reason": str(failure)}, status_code=400)
    session = store.open(tokens)
    log.info("signed_in", subject=tokens.claims.get("sub"), roles=session.roles)
    response = RedirectResponse(safe_next(pending.next_path), status_code=303)
    response.delete_cookie(SIGN_IN_COOKIE, path="/")
    _cookie(request, response, SESSION_COOKIE, store.cookie_for(session))
    return response


@router.post("/auth/logout")
async def logout(request: Request, csrf: str = Form("", max_length=200)) -> Response:
    """End the portal's session and the provider's (its end_session_endpoint, with the ID token as hint)."""
    store = request.app.state.sessions
    session = store.find(request.cookies.get(SESSION_COOKIE))
    if session is None:
        return RedirectResponse("/signed-out", status_code=303)
    if not session.csrf_ok(csrf):
        return render(request, "signin_failed.html", {"reason": "phiên biểu mẫu không hợp lệ (CSRF)"},
                      status_code=403)
    store.close(session)
    after = f"{request.app.state.settings.portal_public_url.rstrip('/')}/signed-out"
    url = await request.app.state.provider.end_session_url(session.tokens, after)
    response = RedirectResponse(url or after, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    log.info("signed_out", subject=session.tokens.claims.get("sub"))
    return response


@router.get("/signed-out", response_class=HTMLResponse)
async def signed_out(request: Request) -> HTMLResponse:
    return render(request, "signed_out.html", {})
