"""The OpenAPI document says what the service answers: every refusal in the one error shape.

FastAPI documents a 422 as its own ``{detail: [...]}`` while every refusal here
is ``{code, message, details}``, and it knows nothing of the kernel's edge: the
bearer token (401), the access tables (403), outages (503 with Retry-After),
idempotency keys (409) and the open probes. :func:`document_edge` rewrites the
generated document once, so a client generated from it handles every refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_BODY: dict[str, Any] = {
    "title": "ErrorBody",
    "type": "object",
    "description": "Every refusal: a stable machine-readable code, a message for people, and details.",
    "required": ["code", "message", "details"],
    "properties": {
        "code": {"type": "string", "description": "Stable code, e.g. `outside_unit_scope`, `invalid_request`."},
        "message": {"type": "string", "description": "What went wrong, for a person."},
        "details": {"type": "object", "additionalProperties": True,
                    "description": "Facts of the refusal; for `invalid_request`, `errors`: [{where, problem}]."},
    },
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
_COMMANDS = {"post", "put", "patch", "delete"}
_REFUSALS = {
    "401": "No bearer token, or one that is forged, expired or for another audience (`unauthenticated`, "
           "`invalid_token`).",
    "403": "The token's role or unit scope does not allow this (`forbidden`, `outside_unit_scope`).",
    "422": "The request is not valid (`invalid_request` with `details.errors`, or a rule's own code).",
    "503": "The service's database or broker is unavailable; nothing was changed (`service_unavailable`). "
           "Retry after the `Retry-After` seconds.",
}
_BODY_REFUSAL = "The body is not readable as the declared media type, e.g. broken JSON (`malformed_request`)."
_NOT_FOUND = "Nothing recorded under the id in the path (a `*_not_found` code naming what is missing)."
_COMMAND_REFUSALS = {
    "409": "A clash with the recorded facts, a stale `If-Match`, or an `Idempotency-Key` used for another "
           "request (`idempotency_key_reused`) or still running (`idempotency_key_in_progress`).",
}


def _error(description: str, retry_after: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}
    if retry_after:
        response["headers"] = {"Retry-After": {"description": "Seconds to wait before trying again.",
                                               "schema": {"type": "integer"}}}
    return response


def rewrite(document: dict[str, Any], open_paths: Iterable[str]) -> dict[str, Any]:
    """Document the kernel's edge on every operation of ``document`` (changed in place and returned)."""
    open_paths = set(open_paths)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorBody"] = ERROR_BODY
    document["servers"] = [{"url": "/", "description": "this service (behind the operator's proxy, its base URL)"}]
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in _COMMANDS | {"get", "head"}:
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            if path in open_paths:
                operation["security"] = []  # probes and scrapers: no token, their own answers
                if "422" in responses:
                    responses["422"] = _error(_REFUSALS["422"])
                continue
            for status in ("401", "403"):
                responses.setdefault(status, _error(_REFUSALS[status]))
            responses["422"] = _error(responses.get("422", {}).get("description") or _REFUSALS["422"])
            responses.setdefault("503", _error(_REFUSALS["503"], retry_after=True))
            if method in _COMMANDS:
                responses.setdefault("409", _error(_COMMAND_REFUSALS["409"]))
            if "requestBody" in operation:
                responses.setdefault("400", _error(_BODY_REFUSAL))
            if "{" in path:
                responses.setdefault("404", _error(_NOT_FOUND))
            for status, response in responses.items():
                if status[0] in "45":
                    response["content"] = {"application/json": {"schema": _ERROR_REF}}
    # FastAPI's own validation models describe a body this system never sends.
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return document


def document_edge(app: FastAPI, open_paths: Iterable[str], extra: Callable[[dict[str, Any]], None] | None = None) -> None:
    """Make ``app.openapi()`` return the rewritten document (built once, like FastAPI's own)."""
    open_paths = tuple(open_paths)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, description=app.description,
                                   routes=app.routes, tags=app.openapi_tags)
            rewrite(document, open_paths)
            if extra is not None:
                extra(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
