"""Errors every layer understands; the HTTP layer maps each to a 4xx answer.

Domain code raises these with a stable machine-readable ``code`` and a human
message (English, with the Vietnamese term where one exists); nothing is
written when one is raised.
"""

from __future__ import annotations

from typing import Any

import asyncpg
from aiokafka.errors import KafkaError

INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.InterfaceError,
    # asyncpg raises this, not InterfaceError, when the server vanishes while
    # a listener callback and a query share the connection.
    asyncpg.InternalClientError,
    asyncpg.PostgresConnectionError,
    asyncpg.exceptions.OperatorInterventionError,
    KafkaError,
)
"""Failures of the database or the broker that pass: retry, never give up on the work."""

# asyncpg's client-side "invalid input for query argument" (a number beyond int32, a
# wrong type) subclasses InterfaceError but is the data's fault: it never passes.
QUERY_INPUT_ERROR: type[Exception] = asyncpg.exceptions._base.DataError


def is_infrastructure(error: BaseException) -> bool:
    """The error is the database's or the broker's, not the data's: retrying the same work may succeed."""
    return isinstance(error, INFRASTRUCTURE_ERRORS) and not isinstance(error, QUERY_INPUT_ERROR)


class DomainError(Exception):
    """A command was refused by a rule; HTTP 422 unless a subclass says otherwise."""

    status = 422
    retry_after: int | None = None
    """Seconds after which the same request may succeed (sent as ``Retry-After``); None: it will not."""

    def __init__(self, code: str, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class NotFound(DomainError):
    """The command or query names something the service has never heard of (HTTP 404)."""

    status = 404


class Conflict(DomainError):
    """The command clashes with the current state, e.g. enrolling a person twice (HTTP 409)."""

    status = 409


class Forbidden(DomainError):
    """The caller's role or scope does not allow this (HTTP 403)."""

    status = 403
