"""Settings of the portal: the kernel's HTTP and log settings, plus the sign-on and the backends."""

from __future__ import annotations

from ipaddress import ip_address
from urllib.parse import urlsplit

from pydantic import Field, SecretStr

from kernel.settings import Settings


class PortalSettings(Settings):
    """Environment variables ``TDKT_PORTAL_*`` (and the kernel's ``TDKT_HTTP_*``, ``TDKT_LOG_*``)."""

    portal_oidc_issuer: str = Field(
        description="The OpenID Connect provider's issuer URL; its /.well-known/openid-configuration is read "
        "at the first sign-in (e.g. the ministry's sign-on, or the local stack's Keycloak realm)."
    )
    portal_oidc_client_id: str = Field(default="tdkt-portal", description="The portal's client id at the provider.")
    portal_oidc_client_secret: SecretStr = Field(description="The portal's client secret (a confidential client).")
    portal_public_url: str = Field(
        description="The address people open (scheme, host, port), without a trailing slash: the sign-in "
        "callback is <public_url>/auth/callback. Cookies are Secure unless it is a loopback http address."
    )
    portal_session_secret: SecretStr = Field(
        min_length=32, description="Key the session cookie is signed with (32 characters or more)."
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
