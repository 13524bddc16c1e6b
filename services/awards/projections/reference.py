"""The workflow's reference data: public holidays, quotas (hạn mức) and the council's compositions.

Tables in :mod:`.tables`. Why tables and not event streams: this is data the
office keeps, read by the command handlers inside their transactions; no
other context reacts to it.

**The council** (Hội đồng Thi đua – Khen thưởng) is established, and later
recomposed, by a decision (quyết định thành lập / kiện toàn Hội đồng). Its
composition is the base of every vote share (NĐ 98/2023 Art. 30.7: a share
of **all** members), so the vote handler uses the composition *in force on
the meeting day* (:func:`council_on`), not today's. Each recording keeps one
composition from its ``effective_on`` (the same one again changes nothing);
recorded votes keep their own ``members_total`` and are never recounted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import asyncpg

from kernel.errors import NotFound

from ..workflow import Council, CouncilMember, SetCouncil

MINISTRY_SCOPE = "*"
"""``award_quotas.scope`` of a quota over the whole Ministry."""

COUNCIL_NOT_FOUND = "council_not_found"
"""No composition of the council is in force on the day asked (HTTP 404)."""


# --------------------------------------------------------------------------- holidays


async def all_holidays(conn: asyncpg.Connection) -> frozenset[date]:
    """Every public holiday recorded (a few a year: read them all)."""
    return frozenset(r["day"] for r in await conn.fetch("SELECT day FROM public_holidays"))


async def holidays_of(conn: asyncpg.Connection, year: int) -> list[tuple[date, str]]:
    """The public holidays of a year, by day."""
    rows = await conn.fetch(
        "SELECT day, name FROM public_holidays WHERE day BETWEEN $1 AND $2 ORDER BY day",
        date(year, 1, 1),
        date(year, 12, 31),
    )
    return [(r["day"], r["name"]) for r in rows]


async def replace_holidays(conn: asyncpg.Connection, year: int, days: Sequence[tuple[date, str]]) -> None:
    """Replace the public holidays of a year."""
    await conn.execute("DELETE FROM public_holidays WHERE day BETWEEN $1 AND $2", date(year, 1, 1), date(year, 12, 31))
    await conn.executemany("INSERT INTO public_holidays (day, name) VALUES ($1, $2)", list(days))


# --------------------------------------------------------------------------- quotas


@dataclass(frozen=True)
class QuotaRow:
    """A quota as recorded: ``unit_id`` None for the whole Ministry."""

    award_code: str
    year: int
    unit_id: str | None
    max_count: int
    label: str


def _quota(row: asyncpg.Record) -> QuotaRow:
    return QuotaRow(
        award_code=row["award_code"],
        year=row["year"],
        unit_id=row["unit_id"] if row["scope"] != MINISTRY_SCOPE else None,
        max_count=row["max_count"],
        label=row["label"],
    )


async def quotas(conn: asyncpg.Connection, award_code: str | None = None, year: int | None = None) -> list[QuotaRow]:
    """The quotas recorded (of one code, one year, or all), by code, year and scope."""
    rows = await conn.fetch(
        "SELECT * FROM award_quotas WHERE ($1::text IS NULL OR award_code = $1) "
        "AND ($2::int IS NULL OR year = $2) ORDER BY award_code, year, scope",
        award_code,
        year,
    )
    return [_quota(r) for r in rows]


async def set_quota(
    conn: asyncpg.Connection, award_code: str, year: int, unit_id: str | None, max_count: int, label: str
) -> None:
    """Record (or replace) a quota of a code and year, in a unit's subtree or the Ministry."""
    await conn.execute(
        "INSERT INTO award_quotas (award_code, year, scope, unit_id, max_count, label) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (award_code, year, scope) DO UPDATE SET "
        "max_count = excluded.max_count, label = excluded.label",
        award_code, year, unit_id or MINISTRY_SCOPE, unit_id, max_count, label,
    )


# --------------------------------------------------------------------------- councils


@dataclass(frozen=True)
class Composition:
    """One composition of a council as recorded, and the first day it is in force."""

    council_id: str
    name: str
    effective_on: date
    decision_number: str | None
    default_share: float
    members: tuple[CouncilMember, ...]


def _composition(row: asyncpg.Record) -> Composition:
    members = row["members"]
    if isinstance(members, str):
        members = json.loads(members)
    return Composition(
        council_id=row["council_id"],
        name=row["name"],
        effective_on=row["effective_on"],
        decision_number=row["decision_number"],
        default_share=row["default_share"],
        members=tuple(CouncilMember.model_validate(m) for m in members),
    )


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
    found = _composition(row)
    return Council(
        council_id=found.council_id, name=found.name, members=found.members, default_share=found.default_share
    )


async def compositions(conn: asyncpg.Connection, council_id: str) -> list[Composition]:
    """Every composition of a council, oldest first; NotFound('council_not_found') if none was recorded."""
    rows = await conn.fetch(
        "SELECT * FROM council_compositions WHERE council_id = $1 ORDER BY effective_on", council_id
    )
    if not rows:
        raise NotFound(COUNCIL_NOT_FOUND, f"Council {council_id!r} was never recorded", council_id=council_id)
    return [_composition(r) for r in rows]


async def set_council(conn: asyncpg.Connection, council_id: str, body: SetCouncil, recorded_by: str | None) -> None:
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
