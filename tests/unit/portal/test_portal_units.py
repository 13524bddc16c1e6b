"""The portal's pure parts: Vietnamese formats, the chart, sessions and cookies, the return path, the
services' verifier choosing keys by algorithm and key id (the sign-on's JWKS beside the local key), and a page
rendering while the notifications service is down."""

from __future__ import annotations

import socket
import time
from datetime import date

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.rsa import generate_private_key

from fastapi import FastAPI, Request

from kernel.auth import TokenVerifier, Unauthenticated
from services.portal.app import build
from services.portal.chart import Bar, bars_svg
from services.portal.formats import day, moment, number, parse_day, percent
from services.portal.oidc import Pending, SignInFailed, Tokens
from services.portal.routes.common import SignInNeeded, safe_next, session
from services.portal.sessions import SESSION_COOKIE, SessionStore
from services.portal.settings import PortalSettings


def test_numbers_and_dates_are_written_the_vietnamese_way() -> None:
    assert number(1234567) == "1.234.567"
    assert number(97.6, 1) == "97,6" and percent(97.6) == "97,6%"
    assert number(None) == "—"
    assert day("2024-01-19") == "19/01/2024"
    assert moment("2026-12-01T09:50:13+00:00") == "01/12/2026 16:50"  # Hà Nội, UTC+7
    assert parse_day("31/12/2023") == date(2023, 12, 31) == parse_day("2023-12-31")
    with pytest.raises(ValueError, match="dd/mm/yyyy"):
        parse_day("12/31/2023")


def test_the_chart_writes_every_number_and_describes_itself() -> None:
    svg = bars_svg("Khen thưởng năm 2023", [("Bộ trưởng tặng", [Bar("Bằng khen của Bộ trưởng", 214, 68, "/awards?x=1&y=2")])])
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert ">214<" in svg and ">68<" in svg
    assert "Bằng khen của Bộ trưởng: 214 cá nhân, 68 tập thể" in svg
    assert 'href="/awards?x=1&amp;y=2"' in svg


@pytest.mark.parametrize("path, expected", [
    ("/people?q=a", "/people?q=a"), ("https://evil.example/", "/"), ("//evil.example/x", "/"),
    ("/\\evil", "/"), (None, "/"), ("", "/"),
])
def test_only_a_path_of_this_site_is_a_place_to_come_back_to(path: str | None, expected: str) -> None:
    assert safe_next(path) == expected


def _tokens() -> Tokens:
    return Tokens("access", "refresh", "id", time.time() + 300, {"sub": "u1", "name": "Nguyễn Văn An",
                                                                  "roles": ["reader", "offline_access"]})


def test_a_session_cookie_is_signed_and_ends_when_idle() -> None:
    store = SessionStore("k" * 32, idle_seconds=60)
    session = store.open(_tokens())
    cookie = store.cookie_for(session)
    assert store.find(cookie) is session and session.name == "Nguyễn Văn An"
    assert store.find(cookie + "x") is None  # tampered
    assert SessionStore("other" * 8, 60).find(cookie) is None  # signed with another key
    session.last_used -= 61
    assert store.find(cookie) is None


def test_the_csrf_token_must_match() -> None:
    session = SessionStore("k" * 32, 60).open(_tokens())
    assert session.csrf_ok(session.csrf)
    assert not session.csrf_ok("forged") and not session.csrf_ok(None)


def test_a_sign_in_under_way_survives_only_in_its_signed_cookie() -> None:
    store = SessionStore("k" * 32, 60)
    pending = Pending("state", "nonce", "verifier", "/units")
    assert store.pending_from(store.pending_cookie(pending)) == pending
    assert store.pending_from("garbage") is None


def _settings(url: str) -> PortalSettings:
    return PortalSettings(portal_oidc_issuer="http://127.0.0.1:1/realms/tdkt", portal_oidc_client_secret="s",
                          portal_public_url=url, portal_session_secret="k" * 32)


def test_cookies_are_secure_everywhere_but_on_loopback_http() -> None:
    assert not _settings("http://127.0.0.1:8080").secure_cookies
    assert not _settings("http://localhost:8080").secure_cookies
    assert _settings("http://portal.bct.gov.vn").secure_cookies
    assert _settings("https://portal.bct.gov.vn").secure_cookies
    assert _settings("https://portal.bct.gov.vn").redirect_uri == "https://portal.bct.gov.vn/auth/callback"


class _PublishedKeys:
    """The sign-on's key set, in memory (kernel.jwks.RemoteKeys fetches it over HTTP)."""

    def __init__(self, keys: dict[str, object]) -> None:
        self.keys = keys

    def key_for(self, kid: str | None) -> object | None:
        return self.keys.get(kid or "")


def test_the_verifier_takes_the_local_key_and_the_sign_ons_key_by_id() -> None:
    local = Ed25519PrivateKey.generate()
    provider = generate_private_key(public_exponent=65537, key_size=2048)
    verifier = TokenVerifier([local.public_key()], issuer="iss", audience="tdkt",
                             remote=_PublishedKeys({"k1": provider.public_key()}))  # type: ignore[arg-type]
    now = int(time.time())
    claims = {"iss": "iss", "aud": "tdkt", "sub": "s", "iat": now, "exp": now + 60, "roles": ["reader"]}
    assert verifier.verify(jwt.encode(claims, local, algorithm="EdDSA")).subject == "s"
    signed = jwt.encode(claims, provider, algorithm="RS256", headers={"kid": "k1"})
    assert verifier.verify(signed).roles == {"reader"}
    with pytest.raises(Unauthenticated, match="trusted key"):
        verifier.verify(jwt.encode(claims, provider, algorithm="RS256", headers={"kid": "unknown"}))
    with pytest.raises(Unauthenticated):
        verifier.verify("not-a-token")


class _Provider:
    """The provider's token endpoint, in memory: renews once, or refuses (its session ended)."""

    def __init__(self, refuse: bool) -> None:
        self.refuse = refuse

    async def refresh(self, tokens: Tokens) -> Tokens:
        if self.refuse:
            raise SignInFailed("the sign-on refused the refresh_token grant")
        return Tokens("renewed", tokens.refresh_token, tokens.id_token, time.time() + 300, tokens.claims)


def _request(app: FastAPI, cookie: str, path: str = "/units", query: bytes = b"as_of=31/12/2023") -> Request:
    return Request({"type": "http", "app": app, "method": "GET", "path": path, "query_string": query,
                    "headers": [(b"cookie", f"{SESSION_COOKIE}={cookie}".encode())]})


@pytest.mark.parametrize("refuse", [False, True])
async def test_an_expiring_token_is_renewed_or_the_person_signs_in_again(refuse: bool) -> None:
    app = build(_settings("http://127.0.0.1:8080"))
    app.state.provider = _Provider(refuse)
    store = app.state.sessions
    expiring = store.open(Tokens("old", "refresh", "id", time.time() + 5, {"sub": "u1"}))
    request = _request(app, store.cookie_for(expiring))
    if refuse:
        with pytest.raises(SignInNeeded) as raised:
            await session(request)
        assert raised.value.next_path == "/units?as_of=31/12/2023"
        assert store.find(store.cookie_for(expiring)) is None  # ended
    else:
        assert (await session(request)).tokens.access_token == "renewed"


async def test_a_bad_query_is_a_clear_error_page_and_an_unknown_page_a_404() -> None:
    app = build(_settings("http://127.0.0.1:8080"))
    signed_in = app.state.sessions.open(_tokens())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8080") as client:
        client.cookies.set(SESSION_COOKIE, app.state.sessions.cookie_for(signed_in))
        answer = await client.get("/?year=abc")
        assert answer.status_code == 422 and "Yêu cầu không hợp lệ" in answer.text and "year" in answer.text
        assert (await client.get("/no-such-page")).status_code == 404
        # No session: a page sends the browser to sign in, and then back here.
        client.cookies.clear()
        answer = await client.get("/people?q=an")
        assert answer.status_code == 303 and answer.headers["location"] == "/auth/login?next=%2Fpeople%3Fq%3Dan"


async def test_with_the_notifications_service_down_the_page_renders_and_the_bell_says_unavailable() -> None:
    with socket.socket() as probe:  # a port nobody listens on: the service is down
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    settings = _settings("http://127.0.0.1:8080").model_copy(
        update={"portal_notifications_url": f"http://127.0.0.1:{closed}"})
    app = build(settings)
    signed_in = app.state.sessions.open(_tokens())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8080") as client:
        client.cookies.set(SESSION_COOKIE, app.state.sessions.cookie_for(signed_in))
        answer = await client.get("/notifications")
    assert answer.status_code == 503
    assert "Dịch vụ thông báo tạm thời không trả lời" in answer.text
    assert "Thông báo: tạm thời không xem được" in answer.text


async def test_an_id_typed_otherwise_redirects_to_the_subjects_one_address() -> None:
    from .signed_in import signed_in_client

    class NoUnread:
        async def unread(self, token: str) -> int:
            return 0

    client, _, _ = signed_in_client(NoUnread())
    async with client:
        unit = await client.get("/units/NK00AC2D?tab=1")
        person = await client.get("/people/%EF%BC%B0-000123")  # a full-width "Ｐ", as some keyboards type it
    assert (unit.status_code, unit.headers["location"]) == (301, "/units/nk00ac2d?tab=1")
    assert (person.status_code, person.headers["location"]) == (301, "/people/p-000123")
