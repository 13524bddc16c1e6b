"""Calls to a backend service's HTTP API with the person's bearer token, its refusals as exceptions."""

from __future__ import annotations

from typing import Any

import httpx


class BackendError(Exception):
    """A backend answered with an error (its ``{code, message, details}``), or could not be reached."""

    def __init__(self, service: str, status: int, code: str, message: str,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{service}: {status} {code}: {message}")
        self.service = service
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


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
        return await self._send("GET", token, path, params=query,
                                **({"timeout": timeout} if timeout is not None else {}))

    async def post(self, token: str, path: str, body: dict[str, Any], idempotency_key: str) -> Any:
        """The JSON answer of a command ``POST path``; the form's Idempotency-Key makes a second send harmless."""
        return (await self._send("POST", token, path, json=body, idempotency_key=idempotency_key)).json()

    async def put(self, token: str, path: str, body: dict[str, Any], idempotency_key: str) -> Any:
        """As :meth:`post`, for ``PUT path``."""
        return (await self._send("PUT", token, path, json=body, idempotency_key=idempotency_key)).json()

    async def upload(self, token: str, path: str, fields: dict[str, str],
                     file: tuple[str, bytes, str], idempotency_key: str) -> Any:
        """A multipart ``POST path``: the form's fields and one file (name, content, media type)."""
        return (await self._send("POST", token, path, data=fields, files={"file": file},
                                 idempotency_key=idempotency_key)).json()

    async def send_raw(self, token: str, path: str, content: bytes, content_type: str,
                       params: dict[str, Any] | None = None, idempotency_key: str | None = None) -> Any:
        """The JSON answer of a ``POST path`` whose body is a file as it is (``content_type``: its format)."""
        query = {k: v for k, v in (params or {}).items() if v is not None and v != ""}
        return (await self._send("POST", token, path, params=query, content=content,
                                 headers={"content-type": content_type}, idempotency_key=idempotency_key)).json()

    async def _send(self, method: str, token: str, path: str, idempotency_key: str | None = None,
                    headers: dict[str, str] | None = None, **request: Any) -> httpx.Response:
        headers = {**(headers or {}), "authorization": f"Bearer {token}"}
        if idempotency_key:
            headers["idempotency-key"] = idempotency_key
        try:
            response = await self.http.request(method, f"{self.base_url}{path}", headers=headers, **request)
        except httpx.HTTPError as error:
            raise BackendError(self.name, 503, "unreachable", f"the {self.name} service cannot be reached: {error}") \
                from error
        if response.status_code >= 400:
            self._raise(response)
        return response

    def _raise(self, response: httpx.Response) -> None:
        """The service's ``{code, message, details}`` as a BackendError (Refused for 403, Unauthorized for 401)."""
        try:
            body = response.json()
        except ValueError:
            body = {}
        body = body if isinstance(body, dict) else {}
        code = str(body.get("code", "error"))
        message = str(body.get("message", response.text[:300]))
        details = body.get("details") if isinstance(body.get("details"), dict) else None
        kind = {403: Refused, 401: Unauthorized}.get(response.status_code, BackendError)
        raise kind(self.name, response.status_code, code, message, details)

    async def stream(self, token: str, path: str) -> httpx.Response:
        """An open streamed answer (a file), refusals raised as for :meth:`get`; the caller closes it."""
        request = self.http.build_request("GET", f"{self.base_url}{path}", headers={"authorization": f"Bearer {token}"})
        try:
            response = await self.http.send(request, stream=True)
        except httpx.HTTPError as error:
            raise BackendError(self.name, 503, "unreachable", f"the {self.name} service cannot be reached: {error}") \
                from error
        if response.status_code >= 400:
            await response.aread()
            await response.aclose()
            self._raise(response)
        return response
