"""Calls to a backend service's HTTP API with the person's bearer token, its refusals as exceptions."""

from __future__ import annotations

from typing import Any

import httpx


class BackendError(Exception):
    """A backend answered with an error (its ``{code, message, details}``), or could not be reached."""

    def __init__(self, service: str, status: int, code: str, message: str, details: Any = None) -> None:
        super().__init__(f"{service}: {status} {code}: {message}")
        self.service = service
        self.status = status
        self.code = code
        self.message = message
        self.details = details


class Refused(BackendError):
    """403: the person's role may not see this (the portal has no rule of its own: it follows the service)."""


class Unauthorized(BackendError):
    """401: the token is no longer accepted; the person signs in again."""


class Backend:
    """One service's API."""

    name = "service"

    def __init__(self, base_url: str, http: httpx.AsyncClient) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http

    async def get(self, token: str, path: str, params: dict[str, Any] | None = None) -> Any:
        """The JSON answer of ``GET path``; BackendError (Refused for 403) when refused."""
        response = await self.response(token, path, params)
        return response.json()

    async def response(self, token: str, path: str, params: dict[str, Any] | None = None,
                       timeout: float | None = None) -> httpx.Response:
        """The raw answer (exports), refusals raised as for :meth:`get`; ``timeout`` bounds a side call tighter."""
        query = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
        extra: dict[str, Any] = {"timeout": timeout} if timeout is not None else {}
        return await self._send("GET", path, token, params=query, **extra)

    async def post(self, token: str, path: str, *, json: Any = None, content: bytes | None = None,
                   params: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> Any:
        """The JSON answer of ``POST path`` (a JSON body, or raw ``content`` with its own content type);
        refusals raised as for :meth:`get` (a 422's ``details`` kept on the error)."""
        query = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
        response = await self._send("POST", path, token, params=query, json=json, content=content,
                                    headers=headers or {})
        return response.json() if response.content else {}

    async def _send(self, method: str, path: str, token: str, *, headers: dict[str, str] | None = None,
                    **options: Any) -> httpx.Response:
        try:
            response = await self.http.request(method, f"{self.base_url}{path}",
                                               headers={**(headers or {}), "authorization": f"Bearer {token}"},
                                               **options)
        except httpx.HTTPError as error:
            raise BackendError(self.name, 503, "unreachable", f"the {self.name} service cannot be reached: {error}") \
                from error
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            code = str(body.get("code", "error")) if isinstance(body, dict) else "error"
            message = str(body.get("message", response.text[:300])) if isinstance(body, dict) else response.text[:300]
            details = body.get("details") if isinstance(body, dict) else None
            kind = {403: Refused, 401: Unauthorized}.get(response.status_code, BackendError)
            raise kind(self.name, response.status_code, code, message, details)
        return response
