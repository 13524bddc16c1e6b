"""The sign-on's published keys (its JWKS URL), fetched at start and again when a token names an unknown key.

An OpenID Connect provider rotates its signing keys and publishes them at its ``jwks_uri``; a service
that trusts the provider keeps a copy, fetched when the service starts and refreshed when a token
arrives signed with a key id it does not hold. Refreshes are spaced (``min_interval``) so tokens with
made-up key ids cannot make the service hammer the provider, and a provider that cannot be reached
only means its tokens are refused until it can: the service still starts, with its file keys.
The fetch is a plain blocking call (a few kilobytes, ``timeout`` seconds at most), made that rarely,
so token verification stays synchronous.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import jwt
import structlog

log = structlog.get_logger("kernel.jwks")


class RemoteKeys:
    """The signing keys published at ``url``, by key id."""

    def __init__(self, url: str, *, min_interval: float = 10.0, timeout: float = 5.0) -> None:
        self.url = url
        self.min_interval = min_interval
        self.timeout = timeout
        self._keys: dict[str, Any] = {}
        self._fetched_at = float("-inf")
        self._lock = threading.Lock()

    def refresh(self) -> bool:
        """Fetch the key set now; False (and a warning) when the provider cannot be read."""
        self._fetched_at = time.monotonic()
        try:
            response = httpx.get(self.url, timeout=self.timeout)
            response.raise_for_status()
            document = response.json()
            signing = [k for k in document.get("keys", []) if k.get("use", "sig") == "sig" and k.get("kid")]
            self._keys = {k["kid"]: jwt.PyJWK.from_dict(k).key for k in signing}
        except (httpx.HTTPError, ValueError, jwt.PyJWTError) as error:
            log.warning("jwks_unavailable", url=self.url, error=str(error))
            return False
        log.info("jwks_loaded", url=self.url, key_ids=sorted(self._keys))
        return True

    def key_for(self, kid: str | None) -> Any | None:
        """The key with this id, fetching the set again when it is unknown (at most every ``min_interval``)."""
        if not kid:
            return None
        if kid not in self._keys:
            with self._lock:
                if kid not in self._keys and time.monotonic() - self._fetched_at >= self.min_interval:
                    self.refresh()
        return self._keys.get(kid)
