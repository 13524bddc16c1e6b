"""Sessions: a random id in a signed, HttpOnly, SameSite=Lax cookie (Secure off loopback); the tokens stay
on the server, in memory.

The portal has no database: a session lives in the process, so a restart of the portal asks everyone
to sign in again (the provider's own session then makes it one click). Sessions end after
``portal_session_idle_minutes`` unused. Each session has a CSRF token that every form posts back.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field

from itsdangerous import BadSignature, URLSafeTimedSerializer

from .oidc import Pending, Tokens

SESSION_COOKIE = "tdkt_portal"
SIGN_IN_COOKIE = "tdkt_portal_signin"
SIGN_IN_SECONDS = 600
"""A sign-in must come back from the provider within ten minutes."""


@dataclass
class Session:
    """One signed-in person."""

    session_id: str
    tokens: Tokens
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    last_used: float = field(default_factory=time.time)

    @property
    def name(self) -> str:
        claims = self.tokens.claims
        return str(claims.get("name") or claims.get("preferred_username") or claims["sub"])

    @property
    def roles(self) -> list[str]:
        return [r for r in self.tokens.claims.get("roles", []) if isinstance(r, str)]

    @property
    def unit_id(self) -> str | None:
        value = self.tokens.claims.get("unit_id")
        return str(value) if value else None

    def csrf_ok(self, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf, sent or "")


class SessionStore:
    """Sessions by id, and the sign-ins under way by their state."""

    def __init__(self, secret: str, idle_seconds: float) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="tdkt-portal")
        self.idle_seconds = idle_seconds
        self._sessions: dict[str, Session] = {}

    def cookie_for(self, session: Session) -> str:
        return self._signer.dumps(session.session_id)

    def open(self, tokens: Tokens) -> Session:
        self._forget_idle()
        session = Session(secrets.token_urlsafe(32), tokens)
        self._sessions[session.session_id] = session
        return session

    def find(self, cookie: str | None) -> Session | None:
        """The live session a cookie names (None: no cookie, forged, or ended)."""
        if not cookie:
            return None
        try:
            session_id = self._signer.loads(cookie)
        except BadSignature:
            return None
        session = self._sessions.get(session_id)
        if session is None or time.time() - session.last_used > self.idle_seconds:
            self._sessions.pop(session_id, None)
            return None
        session.last_used = time.time()
        return session

    def close(self, session: Session) -> None:
        self._sessions.pop(session.session_id, None)

    def _forget_idle(self) -> None:
        now = time.time()
        for session_id in [s.session_id for s in self._sessions.values() if now - s.last_used > self.idle_seconds]:
            self._sessions.pop(session_id, None)

    def pending_cookie(self, pending: Pending) -> str:
        """The sign-in under way, signed into a short-lived cookie (the browser brings it to the callback)."""
        return self._signer.dumps([pending.state, pending.nonce, pending.verifier, pending.next_path])

    def pending_from(self, cookie: str | None) -> Pending | None:
        if not cookie:
            return None
        try:
            state, nonce, verifier, next_path = self._signer.loads(cookie, max_age=SIGN_IN_SECONDS)
        except (BadSignature, ValueError):
            return None
        return Pending(state, nonce, verifier, next_path)
