"""The emulation and commendation council (Hội đồng Thi đua – Khen thưởng) as data: its members over time.

A council is established, and later recomposed, by a decision (quyết định
thành lập / kiện toàn Hội đồng). Its composition is the base of every vote
share (NĐ 98/2023 Art. 30.7: a share of **all** members), so the vote handler
must use the composition *in force on the meeting day*, not today's: a vote
recorded in December is counted against December's council even if the
council was recomposed in January.

Why a table and not an event stream: the composition is reference data the
office keeps, read by the vote handler inside its transaction; no other
context reacts to it. Each ``PUT /councils/{id}`` records one composition
from its ``effective_on`` (idempotent: the same PUT again changes nothing);
recorded votes keep their own ``members_total`` and are never recounted.

Concurrency: ``PUT`` takes the council's advisory lock exclusively and the
vote handler takes it shared (:func:`lock_council`), so a vote never counts
against a composition being replaced in the same instant.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Path, Query, Request
from pydantic import Field, model_validator

from kernel.errors import NotFound
from kernel.service import Service
from kernel.text import check_name, check_person_name, check_strings

from .domain.base import DomainModel
from .workflow import Council, CouncilMember

COUNCIL_NOT_FOUND = "council_not_found"
"""No composition of the council is in force on the day asked (HTTP 404)."""

COUNCILS_SQL = """
CREATE TABLE IF NOT EXISTS council_compositions (
    council_id      text NOT NULL,
    effective_on    date NOT NULL,
    name            text NOT NULL,
    default_share   double precision NOT NULL,
    decision_number text,
    members         jsonb NOT NULL,
    recorded_by     text,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (council_id, effective_on)
);
"""

_LOCK = "SELECT {fn}(hashtextextended(current_schema() || ':awards:council:' || $1, 0))"


async def lock_council(conn: asyncpg.Connection, council_id: str, *, exclusive: bool) -> None:
    """Take the council's transaction-scoped advisory lock (exclusive to recompose, shared to vote)."""
    fn = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    await conn.execute(_LOCK.format(fn=fn), council_id)


# --------------------------------------------------------------------------- bodies and answers


class SetCouncil(DomainModel):
    """The council's composition from a date, as the decision establishing or recomposing it lists it."""

    name: str = Field(
        min_length=1,
        max_length=255,
        description="e.g. 'Hội đồng Thi đua – Khen thưởng Bộ Công Thương'.",
    )
    members: list[CouncilMember] = Field(min_length=1, max_length=200, description="Every member (thành viên).")
    effective_on: date = Field(description="First day this composition is in force (date of the decision).")
    decision_number: str | None = Field(
        default=None, max_length=64, description="The decision establishing or recomposing it, e.g. '1234/QĐ-BCT'."
    )
    default_share: float = Field(
        default=0.5,
        gt=0,
        le=1,
        description="Share of all members the council's own regulation requires where the law sets none.",
    )

    @model_validator(mode="after")
    def _members_once(self) -> SetCouncil:
        check_strings(self)
        check_name(self.name)
        for member in self.members:
            check_person_name(member.name)
        ids = [m.member_id for m in self.members]
        twice = sorted({i for i in ids if ids.count(i) > 1})
        if twice:
            raise ValueError(f"members listed more than once: {', '.join(twice)}")
        return self


class CompositionView(DomainModel):
    """One composition of a council and the dates it applies to."""

    council_id: str
    name: str
    effective_on: date
    decision_number: str | None
    default_share: float
    members_total: int = Field(description="The base of every vote share (tổng số thành viên).")
    members: list[CouncilMember]


class CouncilView(DomainModel):
    """A council: the composition in force on ``on`` and every composition recorded."""

    council_id: str
    on: date = Field(description="The day asked.")
    current: CompositionView | None = Field(description="In force on ``on``; null before its first decision.")
    history: list[CompositionView] = Field(description="Every composition, oldest first.")


def _view(row: asyncpg.Record) -> CompositionView:
    members = row["members"]
    if isinstance(members, str):
        members = json.loads(members)
    parsed = [CouncilMember.model_validate(m) for m in members]
    return CompositionView(
        council_id=row["council_id"],
        name=row["name"],
        effective_on=row["effective_on"],
        decision_number=row["decision_number"],
        default_share=row["default_share"],
        members_total=len(parsed),
        members=parsed,
    )


# --------------------------------------------------------------------------- reading and writing


async def council_on(conn: asyncpg.Connection, council_id: str, day: date) -> Council:
    """The council as composed on ``day`` (the meeting), or NotFound('council_not_found')."""
    row = await conn.fetchrow(
        "SELECT * FROM council_compositions WHERE council_id = $1 AND effective_on <= $2 "
        "ORDER BY effective_on DESC LIMIT 1",
        council_id,
        day,
    )
    if row is None:
        raise NotFound(
            COUNCIL_NOT_FOUND,
            f"No composition of council {council_id!r} is in force on {day} "
            "(Hội đồng chưa được thành lập): "
            "record it with PUT /councils/{council_id}",
            council_id=council_id,
            date=day.isoformat(),
        )
    view = _view(row)
    return Council(
        council_id=view.council_id, name=view.name, members=tuple(view.members), default_share=view.default_share
    )


async def set_council(
    conn: asyncpg.Connection, council_id: str, body: SetCouncil, recorded_by: str | None
) -> None:
    """Record (or replace) the composition in force from ``body.effective_on``."""
    await conn.execute(
        """
        INSERT INTO council_compositions (council_id, effective_on, name, default_share, decision_number, members,
                                          recorded_by)
        VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)
        ON CONFLICT (council_id, effective_on) DO UPDATE SET
            name = excluded.name, default_share = excluded.default_share,
            decision_number = excluded.decision_number, members = excluded.members,
            recorded_by = excluded.recorded_by, recorded_at = now()
        """,
        council_id,
        body.effective_on,
        body.name,
        body.default_share,
        body.decision_number,
        json.dumps([m.model_dump(mode="json") for m in body.members], ensure_ascii=False),
        recorded_by,
    )


async def council_view(conn: asyncpg.Connection, council_id: str, on: date) -> CouncilView:
    """Every composition of a council, and the one in force on ``on``; NotFound if none was recorded."""
    rows = await conn.fetch(
        "SELECT * FROM council_compositions WHERE council_id = $1 ORDER BY effective_on", council_id
    )
    if not rows:
        raise NotFound(COUNCIL_NOT_FOUND, f"Council {council_id!r} was never recorded", council_id=council_id)
    history = [_view(r) for r in rows]
    current = next((c for c in reversed(history) if c.effective_on <= on), None)
    return CouncilView(council_id=council_id, on=on, current=current, history=history)


# --------------------------------------------------------------------------- routes

CouncilId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[^\s/]+$", description="e.g. 'hd-tdkt-bct'.")
]


def router(service: Service, today: Callable[[], date] = date.today) -> APIRouter:
    """``PUT /councils/{id}`` and ``GET /councils/{id}``; ``today`` is the business date (default of ``on``)."""
    api = APIRouter(tags=["councils"])

    def pool() -> asyncpg.Pool:
        assert service.pool is not None, "the service is not started"
        return service.pool

    @api.put(
        "/councils/{council_id}",
        summary="Thành lập / kiện toàn Hội đồng — set the council's members from a date",
        description=(
            "Records the council's composition in force from `effective_on` (the decision establishing or "
            "recomposing it). A vote is counted against the composition in force on the meeting day: "
            "its members are the base of the share (of ALL members, NĐ 98/2023 Điều 30 khoản 7), and a "
            "ballot from anyone else is refused (`voter_not_on_council`). Putting the same date again "
            "replaces that composition; votes already recorded keep their counts."
        ),
        response_model=CouncilView,
    )
    async def put_council(council_id: CouncilId, body: SetCouncil, request: Request) -> CouncilView:
        actor = Service.metadata(request).actor_id
        async with pool().acquire() as conn, conn.transaction():
            await lock_council(conn, council_id, exclusive=True)
            await set_council(conn, council_id, body, actor)
            return await council_view(conn, council_id, body.effective_on)

    @api.get(
        "/councils/{council_id}",
        summary="Hội đồng Thi đua – Khen thưởng — the council's members on a day, and its history",
        response_model=CouncilView,
        responses={404: {"description": "`council_not_found`"}},
    )
    async def get_council(
        council_id: CouncilId,
        on: Annotated[date | None, Query(description="The day asked; default today.")] = None,
    ) -> CouncilView:
        async with pool().acquire() as conn:
            return await council_view(conn, council_id, on or today())

    return api


__all__ = [
    "COUNCILS_SQL",
    "COUNCIL_NOT_FOUND",
    "CompositionView",
    "CouncilView",
    "SetCouncil",
    "council_on",
    "council_view",
    "lock_council",
    "router",
    "set_council",
]
