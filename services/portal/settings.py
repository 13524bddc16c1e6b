"""Settings of the portal: the kernel's HTTP and log settings, plus the sign-on and the backends."""

from __future__ import annotations

from ipaddress import ip_address
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, model_validator

from kernel.settings import Settings, read_secret

SECRET_FILES = ("portal_oidc_client_secret", "portal_session_secret")
"""The secrets that may come from a file (``TDKT_…_FILE``: a docker secret) instead of a variable."""


class PortalSettings(Settings):
    """Environment variables ``TDKT_PORTAL_*`` (and the kernel's ``TDKT_HTTP_*``, ``TDKT_LOG_*``)."""

    portal_oidc_issuer: str = Field(
        description="The OpenID Connect provider's issuer URL; its /.well-known/openid-configuration is read "
        "at the first sign-in (e.g. the ministry's sign-on, or the local stack's Keycloak realm)."
    )
    portal_oidc_discovery_url: str | None = Field(
        default=None, description="Where the portal reads the discovery document when it reaches the provider by "
        "another address than people's browsers do (compose: http://keycloak:8080/realms/tdkt/.well-known/"
        "openid-configuration); unset: <issuer>/.well-known/openid-configuration."
    )
    portal_oidc_client_id: str = Field(default="tdkt-portal", description="The portal's client id at the provider.")
    portal_oidc_client_secret: SecretStr = Field(description="The portal's client secret (a confidential client).")
    portal_oidc_client_secret_file: Path | None = Field(
        default=None, description="A file holding the client's secret (a docker secret); it replaces the variable."
    )
    portal_public_url: str = Field(
        description="The address people open (scheme, host, port), without a trailing slash: the sign-in "
        "callback is <public_url>/auth/callback. Cookies are Secure unless it is a loopback http address."
    )
    portal_session_secret: SecretStr = Field(
        min_length=32, description="Key the session cookie is signed with (32 characters or more)."
    )
    portal_session_secret_file: Path | None = Field(
        default=None, description="A file holding the session key (a docker secret); it replaces the variable."
    )
    portal_session_idle_minutes: int = Field(
        default=30, ge=1, le=24 * 60, description="A session unused this long ends (sign in again)."
    )
    portal_units_url: str = Field(default="http://127.0.0.1:8001", description="The units service's address.")
    portal_campaigns_url: str = Field(default="http://127.0.0.1:8002", description="The campaigns service's address.")
    portal_awards_url: str = Field(default="http://127.0.0.1:8003", description="The awards service's address.")
    portal_reporting_url: str = Field(default="http://127.0.0.1:8004", description="The reporting service's address.")
    portal_notifications_url: str = Field(
        default="http://127.0.0.1:8005",
        description="The notifications service's address (the bell, the notifications page); when it cannot be "
        "reached the pages still render and the bell says so.")
    portal_backend_timeout_s: float = Field(
        default=30.0, gt=0, le=300, description="Seconds a backend answer may take before the page says so."
    )

    @model_validator(mode="before")
    @classmethod
    def _secrets_from_files(cls, values: Any) -> Any:
        """The client secret and the session key from their files, read once at start (docker secrets, not
        variables, which ``docker inspect`` and ``/proc/<pid>/environ`` show)."""
        if isinstance(values, dict):
            for name in SECRET_FILES:
                path = values.get(f"{name}_file")
                if path:
                    values[name] = read_secret(Path(path), f"TDKT_{name.upper()}_FILE")
        return values

    @property
    def secure_cookies(self) -> bool:
        """Cookies need HTTPS everywhere but a loopback http address (the local stack)."""
        parts = urlsplit(self.portal_public_url)
        if parts.scheme == "https":
            return True
        host = parts.hostname or ""
        try:
            return not ip_address(host).is_loopback
        except ValueError:
            return host != "localhost"

    @property
    def redirect_uri(self) -> str:
        return f"{self.portal_public_url.rstrip('/')}/auth/callback"
