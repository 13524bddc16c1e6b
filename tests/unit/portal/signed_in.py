"""A portal app over in-memory services, with one signed-in session: the client, the services and the CSRF token."""

from __future__ import annotations

import time
from typing import TypeVar

import httpx

from services.portal.app import build
from services.portal.oidc import Tokens
from services.portal.sessions import SESSION_COOKIE
from services.portal.settings import PortalSettings

S = TypeVar("S")


def signed_in_client(services: S, awards: bool = False) -> tuple[httpx.AsyncClient, S, str]:
    """The portal with ``services`` as its units, campaigns, reporting and notifications backends (and the
    awards one when ``awards``)."""
    app = build(PortalSettings(portal_oidc_issuer="http://127.0.0.1:1/realms/tdkt", portal_oidc_client_secret="s",
                               portal_public_url="http://127.0.0.1:8080", portal_session_secret="k" * 32))
    app.state.units = app.state.campaigns = app.state.reporting = app.state.notifications = services
    if awards:
        app.state.awards = services
    signed_in = app.state.sessions.open(Tokens("a", "r", "i", time.time() + 300, {"sub": "u1", "name": "Trần Thị Hà"}))
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8080")
    client.cookies.set(SESSION_COOKIE, app.state.sessions.cookie_for(signed_in))
    return client, services, signed_in.csrf
