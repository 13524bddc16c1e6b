"""The audit trail: who did what to a record, when — read from the event store itself.

Every event records the acting person and the role that allowed the command
(from the bearer token, :mod:`kernel.auth`), the flow it belongs to
(correlation id) and the request that caused it, marking which of those ids the client supplied and the
business date a demo stack's administrator set (``X-Tdkt-Today``). ``GET /audit/{stream_id}``
answers for one record: a person (units), a movement or a registration
(campaigns), a nomination or an award (awards). Payloads are not repeated
here: the record's own query shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from .errors import NotFound


class AuditEntry(BaseModel):
    """One recorded act on the record."""

    stream_version: int
    event_type: str
    occurred_at: datetime
    recorded_at: datetime
    actor_id: str | None = Field(description="Who acted (the token's subject).")
    actor_role: str | None = Field(description="The role that allowed the command.")
    correlation_id: str | None
    causation_id: str | None
    business_date: date | None = Field(
        default=None, description="The date the request set as today (X-Tdkt-Today, demo stacks only), if any."
    )
    client_supplied: list[str] = Field(
        default_factory=list,
        description="Which of correlation_id and causation_id the client sent: kept as given, not the service's.",
    )


class AuditTrail(BaseModel):
    """Every act on one record, oldest first."""

    stream_id: str
    entries: list[AuditEntry]


def router(pool: Callable[[], asyncpg.Pool]) -> APIRouter:
    """``GET /audit/{stream_id}`` over the service's event store (``pool`` gives the started pool)."""
    api = APIRouter()

    @api.get(
        "/audit/{stream_id:path}",  # a registration's id holds slashes: <movement>/<unit>/<year>
        tags=["operations"],
        summary="Nhật ký: who did what to this record, when",
        response_model=AuditTrail,
        responses={404: {"description": "record_not_found"}},
    )
    async def audit(stream_id: Annotated[str, Path(min_length=1, max_length=200)]) -> AuditTrail:
        rows = await pool().fetch(
            "SELECT stream_version, event_type, occurred_at, recorded_at, actor_id, actor_role, correlation_id, "
            "causation_id, request_claims->>'business_date' AS business_date, "
            "coalesce(ARRAY(SELECT jsonb_array_elements_text(request_claims->'client_supplied')), '{}') "
            "AS client_supplied FROM events WHERE stream_id = $1 ORDER BY stream_version",
            stream_id,
        )
        if not rows:
            raise NotFound("record_not_found", f"No event was recorded on {stream_id!r}", stream_id=stream_id)
        return AuditTrail(stream_id=stream_id, entries=[AuditEntry(**dict(r)) for r in rows])

    return api
