"""Who is calling and what they may do: bearer JWTs, roles, and each service's access table.

Every HTTP endpoint but ``/health``, ``/metrics`` and the API's documentation (:data:`DOCUMENTATION_PATHS`)
needs a bearer token
(``Authorization: Bearer <JWT>``) signed by a key the service trusts: the
ministry's single sign-on in production (an OpenID Connect provider), a
local key pair for the local stack and the tests (:func:`generate_key_pair`,
:func:`mint_token`, ``tdkt token``). The token names the person (``sub``,
``name``), their roles (``roles``) and, for a unit officer, their unit
(``unit_id``).

Each service declares an :class:`AccessTable`: for every command route, the
roles that may call it and, for a unit officer, where the unit it acts on is
found (a path or body field naming a unit or a person). Queries are open to
every role. A command route missing from the table is refused to everyone
but the administrator: forgetting a rule fails closed. A unit officer acts
only within their unit and the units under it; the service resolves that
against its own copy of the tree (:class:`UnitScope`).

Refusals: 401 ``unauthenticated`` (no token) or ``invalid_token`` (bad
signature, an algorithm no trusted key verifies, expired, wrong issuer or
audience, valid longer than ``TDKT_AUTH_MAX_TOKEN_LIFETIME_S``, an empty
``sub``, ``roles`` that is not a list of names), 403 ``forbidden`` naming the
rule. The role that allowed a command is the one its events record.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.asymmetric.ed448 import Ed448PublicKey
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from fastapi import Request

from .errors import DomainError, Forbidden
from .ids import canonical_id
from .jwks import RemoteKeys
from .settings import DEFAULT_MAX_TOKEN_LIFETIME, Settings

ALGORITHMS = ("EdDSA", "RS256", "ES256")
"""Signatures accepted: what OpenID Connect providers issue, and EdDSA for local keys."""

PUBLIC_PATHS = frozenset({"/health", "/metrics"})
"""Open without a token: probes and scrapers."""

DOCUMENTATION_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})
"""Open without a token as well (FastAPI serves them outside the routes the guard depends on): the API's
description holds no personal data and no secret, only what any client of the API must know anyway;
every operation it describes still needs a token."""

MAX_CLAIM_LENGTH = 256
"""Longest ``sub``, ``name`` or ``unit_id`` accepted: they are copied onto every event."""


class Role(StrEnum):
    """What a person does in the emulation and commendation work."""

    UNIT_OFFICER = "unit_officer"
    """Cán bộ phụ trách thi đua của đơn vị: records and proposes for their unit and the units under it."""
    EMULATION_OFFICE = "emulation_office"
    """Thường trực Hội đồng TĐKT (Vụ TĐKT): runs movements, receives nominations, keeps reference data."""
    COUNCIL_MEMBER = "council_member"
    """Thành viên Hội đồng TĐKT: votes."""
    APPROVER = "approver"
    """Người có thẩm quyền quyết định (Bộ trưởng): grants within the Ministry's power, forwards upward."""
    READER = "reader"
    """Queries only."""
    ADMINISTRATOR = "administrator"
    """Everything, including the organisation tree and rebuilding read models."""


ALL_ROLES = frozenset(Role)


class Unauthenticated(DomainError):
    """No valid token (HTTP 401)."""

    status = 401


@dataclass(frozen=True)
class Principal:
    """The person behind a request, as their token says."""

    subject: str
    name: str | None
    roles: frozenset[Role]
    unit_id: str | None = None
    role: Role | None = None
    """The role that allowed this request (recorded in its events)."""


# =========================================================================== tokens


def _fits(key: Any, algorithm: str) -> bool:
    """The key can verify a signature of this algorithm (a JWKS may mix RSA, EC and OKP keys)."""
    if algorithm == "EdDSA":
        return isinstance(key, Ed25519PublicKey | Ed448PublicKey)
    if algorithm == "RS256":
        return isinstance(key, RSAPublicKey)
    if algorithm == "ES256":
        return isinstance(key, EllipticCurvePublicKey) and isinstance(key.curve, SECP256R1)
    return False


class TokenVerifier:
    """Verifies bearer tokens against trusted public keys, issuer, audience and the longest lifetime accepted."""

    def __init__(self, keys: list[Any], *, issuer: str, audience: str,
                 max_lifetime: int = DEFAULT_MAX_TOKEN_LIFETIME, remote: RemoteKeys | None = None) -> None:
        if not keys and remote is None:
            raise ValueError("no public key to verify tokens with")
        self.keys = keys
        self.issuer = issuer
        self.audience = audience
        self.max_lifetime = max_lifetime
        self.remote = remote
        """The sign-on's published keys (``TDKT_AUTH_JWKS_URL``), beside the file's."""

    @classmethod
    def from_file(cls, path: Path, *, issuer: str, audience: str,
                  max_lifetime: int = DEFAULT_MAX_TOKEN_LIFETIME) -> TokenVerifier:
        """Keys from a PEM file (one or more public keys) or a JWKS document (JSON, as sign-ons publish)."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise ValueError(f"cannot read the public key file {path}: {error.strerror}") from None
        if text.lstrip().startswith("{"):
            keys = [k.key for k in jwt.PyJWKSet.from_dict(json.loads(text)).keys]
        else:
            blocks = [b + "-----END PUBLIC KEY-----" for b in text.split("-----END PUBLIC KEY-----") if "BEGIN" in b]
            keys = [serialization.load_pem_public_key(b.strip().encode()) for b in blocks]
        return cls(keys, issuer=issuer, audience=audience, max_lifetime=max_lifetime)

    def verify(self, token: str) -> Principal:
        """The principal a valid token names; Unauthenticated('invalid_token') saying why otherwise."""
        claims = self._verified_claims(token)
        lifetime = claims["exp"] - claims["iat"]
        if lifetime > self.max_lifetime:
            raise _invalid(f"the token is valid for {int(lifetime)} s, longer than the {self.max_lifetime} s accepted")
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject.strip() or len(subject) > MAX_CLAIM_LENGTH:
            raise _invalid(f"'sub' must name the person in 1 to {MAX_CLAIM_LENGTH} characters")
        return Principal(
            subject=subject,
            name=_optional_text(claims, "name"),
            roles=_roles(claims.get("roles", [])),
            unit_id=canonical_id(_optional_text(claims, "unit_id") or "") or None,  # as the services record ids
        )

    def _verified_claims(self, token: str) -> dict[str, Any]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise _invalid(str(error) or type(error).__name__) from None
        algorithm = header.get("alg")
        if algorithm not in ALGORITHMS:
            raise _invalid(f"the algorithm {algorithm!r} is not accepted (only {', '.join(ALGORITHMS)})")
        keys = [key for key in self.keys if _fits(key, algorithm)]
        remote = self.remote.key_for(header.get("kid")) if self.remote else None
        if remote is not None and _fits(remote, algorithm):
            keys.append(remote)
        if not keys:
            raise _invalid(f"no trusted key verifies {algorithm} signatures")
        for key in keys:
            try:
                return jwt.decode(
                    token, key, algorithms=[algorithm], audience=self.audience, issuer=self.issuer,
                    options={"require": ["exp", "iat", "sub"]}, leeway=30,
                )
            except jwt.InvalidSignatureError:
                continue
            except jwt.PyJWTError as error:
                raise _invalid(str(error) or type(error).__name__) from None
        raise _invalid("signature does not match any trusted key")


def _invalid(reason: str) -> Unauthenticated:
    return Unauthenticated("invalid_token", f"The bearer token is not valid: {reason}")


def _optional_text(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > MAX_CLAIM_LENGTH:
        raise _invalid(f"{name!r} must be text of at most {MAX_CLAIM_LENGTH} characters")
    return value


def _roles(raw: Any) -> frozenset[Role]:
    """The roles claim: a list of names (or one space-separated string); names of other systems' roles are
    ignored, anything else (null, an object, numbers) makes the token invalid rather than guessed at."""
    if raw is None:
        raise _invalid("'roles' must be a list of role names, not null")
    if isinstance(raw, str):
        raw = raw.split()
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise _invalid(f"'roles' must be a list of role names, not {type(raw).__name__}")
    known = set(Role.__members__.values())
    return frozenset(Role(r) for r in raw if r in known)


def generate_key_pair(folder: Path) -> tuple[Path, Path]:
    """An Ed25519 key pair for local tokens: ``private.pem`` (owner-only) and ``public.pem``; kept if present."""
    folder.mkdir(parents=True, exist_ok=True)
    private, public = folder / "private.pem", folder / "public.pem"
    if private.exists() and public.exists():
        return private, public
    key = Ed25519PrivateKey.generate()
    private.write_bytes(b"")
    os.chmod(private, 0o600)
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public.write_bytes(
        key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return private, public


def mint_token(
    private_key: Path,
    *,
    subject: str,
    roles: Iterable[Role | str],
    unit_id: str | None = None,
    name: str | None = None,
    issuer: str,
    audience: str,
    ttl_seconds: int = 3600,
) -> str:
    """A signed token for local use and tests (production tokens come from the ministry's sign-on)."""
    key = serialization.load_pem_private_key(private_key.read_bytes(), password=None)
    now = int(time.time())
    claims: dict[str, Any] = {
        "iss": issuer, "aud": audience, "sub": subject, "iat": now, "exp": now + ttl_seconds,
        "jti": str(uuid.uuid4()), "roles": [Role(r).value for r in roles],
    }
    if unit_id:
        claims["unit_id"] = unit_id
    if name:
        claims["name"] = name
    return jwt.encode(claims, key, algorithm="EdDSA")  # type: ignore[arg-type]


# =========================================================================== access rules

ScopeSource = Literal["unit", "person", "subject"]
"""What the named field holds: a unit id, a person id, or either (an evaluation's subject)."""


@dataclass(frozen=True)
class Scope:
    """Where the unit a command acts on is found, for a unit officer: ``body.<field>`` or ``path.<field>``."""

    field: str
    source: ScopeSource = "unit"
    where: Literal["body", "path"] = "body"


@dataclass(frozen=True)
class Rule:
    """Who may call one route."""

    roles: frozenset[Role]
    scope: Scope | None = None
    """For a unit officer: the unit acted on must be theirs or under it."""
    note: str = ""

    def describe(self) -> str:
        return ", ".join(r.value for r in Role if r in self.roles)


def rule(*roles: Role, scope: Scope | None = None, note: str = "") -> Rule:
    """A rule; the administrator may always."""
    return Rule(frozenset({*roles, Role.ADMINISTRATOR}), scope, note)


READ = Rule(ALL_ROLES, note="queries")
ADMIN_ONLY = Rule(frozenset({Role.ADMINISTRATOR}), note="not in the access table: administrator only")
KERNEL_RULES: Mapping[str, Rule] = {
    # Personal data of who did what: for those who answer for the records, not for every reader.
    "GET /audit/{stream_id}": Rule(frozenset({Role.EMULATION_OFFICE, Role.APPROVER, Role.ADMINISTRATOR})),
}


@dataclass(frozen=True)
class AccessTable:
    """A service's rules: ``"POST /nominations"`` → :class:`Rule`. Queries (GET) are READ unless listed."""

    rules: Mapping[str, Rule] = field(default_factory=dict)

    def rule_for(self, method: str, path: str) -> Rule:
        key = f"{method} {path}"
        found = self.rules.get(key) or KERNEL_RULES.get(key)
        if found is not None:
            return found
        return READ if method in ("GET", "HEAD") else ADMIN_ONLY


class UnitScope(Protocol):
    """The service's view of the tree, for unit officers' scope."""

    async def within(self, unit_id: str, root_id: str) -> bool:
        """``unit_id`` is ``root_id`` or under it today."""

    async def unit_of_person(self, person_id: str) -> str | None:
        """The unit a person works in today (None if unknown)."""

    async def catch_up(self) -> None:
        """Before a unit officer's command: wait until the service's copy of the tree and staff is as of now.

        A replica of another service's facts waits for it (:mod:`kernel.freshness`; 503 ``replica_behind``
        when it cannot); the owner of the facts has nothing to wait for.
        """


# =========================================================================== the guard


@dataclass
class Access:
    """What the HTTP edge needs to authorize a request: the verifier, the table, the scope resolver."""

    verifier: TokenVerifier
    table: AccessTable
    scope: UnitScope | None = None

    @classmethod
    def from_settings(cls, settings: Settings, table: AccessTable, scope: UnitScope | None = None) -> Access:
        """The service's access from ``TDKT_AUTH_*``; a missing or unreadable key stops the service at start."""
        if settings.auth_public_key_file is None:
            raise ValueError(
                "TDKT_AUTH_PUBLIC_KEY_FILE is required: the public key (PEM) or key set (JWKS .json) that "
                "bearer tokens are verified with"
            )
        verifier = TokenVerifier.from_file(
            settings.auth_public_key_file, issuer=settings.auth_issuer, audience=settings.auth_audience,
            max_lifetime=settings.auth_max_token_lifetime_s,
        )
        if settings.auth_jwks_url:
            verifier.remote = RemoteKeys(settings.auth_jwks_url)
            verifier.remote.refresh()
        return cls(verifier, table, scope)


async def authorize(request: Request) -> None:
    """FastAPI dependency on every route: authenticate, then apply the service's rule for the route."""
    route = request.scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", request.url.path)
    if path in PUBLIC_PATHS:
        return
    access: Access = request.app.state.access
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated(
            "unauthenticated", "A bearer token is required: send 'Authorization: Bearer <JWT>' from the sign-on"
        )
    principal = access.verifier.verify(token.strip())
    rule_ = access.table.rule_for(request.method, path)
    allowed = [r for r in Role if r in rule_.roles and r in principal.roles]
    if not allowed:
        raise Forbidden(
            "forbidden",
            f"{request.method} {path} is for {rule_.describe()}; the token's roles are "
            f"{', '.join(sorted(principal.roles)) or 'none'}",
            rule=f"{request.method} {path}",
            allowed_roles=sorted(rule_.roles),
            roles=sorted(principal.roles),
        )
    # Act in the widest role the token holds, so an office member who is also a unit officer is not scoped.
    role = next((r for r in allowed if r is not Role.UNIT_OFFICER), allowed[0])
    if role is Role.UNIT_OFFICER and request.method not in ("GET", "HEAD") and access.scope is not None:
        # Every unit officer's command, scoped here or in its handler, is decided on facts as of now.
        await access.scope.catch_up()
    if role is Role.UNIT_OFFICER and rule_.scope is not None:
        await _check_scope(request, access, principal, rule_.scope)
    request.state.principal = Principal(principal.subject, principal.name, principal.roles, principal.unit_id, role)


async def _check_scope(request: Request, access: Access, principal: Principal, scope: Scope) -> None:
    def refuse(why: str, **details: Any) -> Forbidden:
        return Forbidden(
            "outside_unit_scope",
            f"A unit officer acts only within their unit and the units under it: {why}",
            officer_unit_id=principal.unit_id,
            **details,
        )

    if principal.unit_id is None or access.scope is None:
        raise refuse("the token names no unit" if principal.unit_id is None else "this service cannot check it")
    if scope.where == "path":
        value = request.path_params.get(scope.field)
    else:
        try:
            body = await request.json()
        except ValueError:
            body = None
        value = body.get(scope.field) if isinstance(body, dict) else None
    if not isinstance(value, str) or not value:
        raise refuse(f"the request names no {scope.field}", field=scope.field)
    value = canonical_id(value)  # the subject the command's model will name (kernel.ids.SubjectId)
    unit_id: str | None = value
    if scope.source in ("person", "subject"):
        person_unit = await access.scope.unit_of_person(value)
        if person_unit is not None or scope.source == "person":
            unit_id = person_unit
    if unit_id is None or not await access.scope.within(unit_id, principal.unit_id):
        raise refuse(f"{scope.field} {value!r} is outside unit {principal.unit_id!r}", field=scope.field, value=value)


def access_markdown(tables: Mapping[str, AccessTable]) -> str:
    """The README's table of who may do what, from the services' access tables."""
    roles = [r for r in Role if r is not Role.ADMINISTRATOR]
    lines = [
        "| service | command | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for service, table in tables.items():
        for route, rule_ in table.rules.items():
            cells = []
            for r in roles:
                if r not in rule_.roles:
                    cells.append("")
                elif r is Role.UNIT_OFFICER and rule_.scope is not None:
                    cells.append("own units")
                else:
                    cells.append("yes")
            lines.append(f"| {service} | `{route}` | " + " | ".join(cells) + " |")
    return "\n".join(lines)


__all__ = [
    "ALL_ROLES",
    "DOCUMENTATION_PATHS",
    "READ",
    "Access",
    "AccessTable",
    "Principal",
    "Role",
    "Rule",
    "Scope",
    "TokenVerifier",
    "Unauthenticated",
    "UnitScope",
    "access_markdown",
    "authorize",
    "generate_key_pair",
    "mint_token",
    "rule",
]
