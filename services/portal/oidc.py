"""The portal as an OpenID Connect client: authorization code flow with PKCE (S256), refresh, sign-out.

The provider's endpoints come from its discovery document, read once. The ID token is verified with
the provider's published keys (kernel.jwks) for this client, this issuer and the sign-in's nonce;
the access token is not read here: the services verify it on every call.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from kernel.auth import ALGORITHMS
from kernel.jwks import RemoteKeys

from .settings import PortalSettings


class SignInFailed(Exception):
    """The provider refused or gave something that does not verify; the message says what."""


@dataclass(frozen=True)
class Pending:
    """A sign-in under way: what the callback must see again, and where to go after."""

    state: str
    nonce: str
    verifier: str
    next_path: str


@dataclass
class Tokens:
    """What the provider issued for one session."""

    access_token: str
    refresh_token: str | None
    id_token: str
    expires_at: float
    claims: dict[str, Any]
    """The verified ID token's claims: sub, name, roles, unit_id."""


class OpenIdProvider:
    """The sign-on the portal sends people to."""

    def __init__(self, settings: PortalSettings, http: httpx.AsyncClient) -> None:
        self.settings = settings
        self.http = http
        self._config: dict[str, Any] | None = None
        self._keys: RemoteKeys | None = None

    async def config(self) -> dict[str, Any]:
        """The provider's discovery document (read once)."""
        if self._config is None:
            url = (self.settings.portal_oidc_discovery_url
                   or f"{self.settings.portal_oidc_issuer.rstrip('/')}/.well-known/openid-configuration")
            try:
                answer = await self.http.get(url)
                answer.raise_for_status()
            except httpx.HTTPError as error:
                raise SignInFailed(f"the sign-on at {url} cannot be reached: {error}") from error
            self._config = answer.json()
            self._keys = RemoteKeys(self._config["jwks_uri"])
        return self._config

    async def begin(self, next_path: str) -> tuple[Pending, str]:
        """A new sign-in and the provider's address to send the browser to."""
        config = await self.config()
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        pending = Pending(secrets.token_urlsafe(24), secrets.token_urlsafe(24), verifier, next_path)
        query = urlencode({
            "response_type": "code", "client_id": self.settings.portal_oidc_client_id,
            "redirect_uri": self.settings.redirect_uri, "scope": "openid profile",
            "state": pending.state, "nonce": pending.nonce,
            "code_challenge": challenge, "code_challenge_method": "S256", "ui_locales": "vi",
        })
        return pending, f"{config['authorization_endpoint']}?{query}"

    async def finish(self, pending: Pending, code: str) -> Tokens:
        """Exchange the callback's code (with the PKCE verifier) for tokens and verify the ID token."""
        answer = await self._token_request({
            "grant_type": "authorization_code", "code": code, "redirect_uri": self.settings.redirect_uri,
            "code_verifier": pending.verifier,
        })
        return await self._tokens(answer, nonce=pending.nonce)

    async def refresh(self, tokens: Tokens) -> Tokens:
        """New tokens from the refresh token; SignInFailed when the provider's session has ended."""
        if not tokens.refresh_token:
            raise SignInFailed("no refresh token")
        answer = await self._token_request({"grant_type": "refresh_token", "refresh_token": tokens.refresh_token})
        return await self._tokens(answer, nonce=None, previous=tokens)

    async def end_session_url(self, tokens: Tokens, after: str) -> str | None:
        """The provider's sign-out address for this session (None if it publishes none)."""
        endpoint = (await self.config()).get("end_session_endpoint")
        if not endpoint:
            return None
        query = urlencode({"id_token_hint": tokens.id_token, "post_logout_redirect_uri": after,
                           "client_id": self.settings.portal_oidc_client_id})
        return f"{endpoint}?{query}"

    async def _token_request(self, form: dict[str, str]) -> dict[str, Any]:
        config = await self.config()
        auth = (self.settings.portal_oidc_client_id, self.settings.portal_oidc_client_secret.get_secret_value())
        try:
            answer = await self.http.post(config["token_endpoint"], data=form, auth=auth)
        except httpx.HTTPError as error:
            raise SignInFailed(f"the sign-on's token endpoint cannot be reached: {error}") from error
        if answer.status_code != 200:
            raise SignInFailed(f"the sign-on refused the {form['grant_type']} grant: {answer.text[:300]}")
        return answer.json()

    async def _tokens(self, answer: dict[str, Any], *, nonce: str | None, previous: Tokens | None = None) -> Tokens:
        """Tokens from a token endpoint answer; a refresh that brings no new ID token keeps the previous one."""
        if answer.get("id_token") or previous is None:
            id_token = str(answer.get("id_token", ""))
            claims = self._verify_id_token(id_token, nonce)
        else:
            id_token, claims = previous.id_token, previous.claims
        return Tokens(
            access_token=answer["access_token"],
            refresh_token=answer.get("refresh_token") or (previous.refresh_token if previous else None),
            id_token=id_token,
            expires_at=time.time() + float(answer.get("expires_in", 60)),
            claims=claims,
        )

    def _verify_id_token(self, id_token: str, nonce: str | None) -> dict[str, Any]:
        assert self._keys is not None and self._config is not None
        try:
            key = self._keys.key_for(jwt.get_unverified_header(id_token).get("kid"))
            if key is None:
                raise SignInFailed("the ID token is signed with a key the sign-on does not publish")
            claims = jwt.decode(id_token, key, algorithms=list(ALGORITHMS), audience=self.settings.portal_oidc_client_id,
                                issuer=self._config["issuer"], leeway=30, options={"require": ["exp", "iat", "sub"]})
        except jwt.PyJWTError as error:
            raise SignInFailed(f"the ID token does not verify: {error}") from error
        if nonce is not None and claims.get("nonce") != nonce:
            raise SignInFailed("the ID token's nonce is not this sign-in's")
        return claims
