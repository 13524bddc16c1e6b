"""Reading the read models: SQL against the live schemas, and how current each answer is.

Every statement names its tables schema-qualified by the read model's live
schema, so it reads whichever copy is live when it runs: before a rebuild's
swap the old tables, after it the new ones (the swap renames the schemas in
one transaction). Two rules keep a query from ever failing because of a swap:

- a statement reads at most one table of a given read model, so it can never
  hold a lock on one table of the schema while waiting for another that the
  swap's ``DROP SCHEMA … CASCADE`` holds (no lock cycle, so no deadlock);
- each statement runs on its own (autocommit), so no lock outlives it, and a
  statement that still meets a swap in an unlucky instant (a cached plan, a
  relation gone between lookup and lock) is retried.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import structlog

from .projections import Projection, StatKey, StatRow, qualified
from .tree import Tree

log = structlog.get_logger("reporting.queries")

RETRYABLE: tuple[type[BaseException], ...] = (
    asyncpg.DeadlockDetectedError,
    asyncpg.UndefinedTableError,
    asyncpg.InvalidSchemaNameError,
    asyncpg.InvalidCachedStatementError,
    asyncpg.FeatureNotSupportedError,  # "cached plan must not change result type"
    asyncpg.LockNotAvailableError,
    asyncpg.SerializationError,
)


class Reader:
    """Runs read-only statements on the service's pool, retrying the ones a swap can disturb."""

    def __init__(self, pool: Callable[[], asyncpg.Pool | None], attempts: int = 6) -> None:
        self._pool = pool
        self.attempts = attempts

    @property
    def pool(self) -> asyncpg.Pool:
        pool = self._pool()
        if pool is None:
            raise RuntimeError("the reporting service has not started")
        return pool

    async def fetch(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        """Rows of one statement."""
        return await self._run("fetch", sql, args)

    async def fetchrow(self, sql: str, *args: Any) -> asyncpg.Record | None:
        """The first row of one statement."""
        return await self._run("fetchrow", sql, args)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        """The first value of one statement."""
        return await self._run("fetchval", sql, args)

    async def _run(self, method: str, sql: str, args: tuple[Any, ...]) -> Any:
        delay = 0.05
        for attempt in range(1, self.attempts + 1):
            try:
                async with self.pool.acquire() as conn:
                    return await getattr(conn, method)(sql, *args)
            except RETRYABLE as error:
                if attempt == self.attempts:
                    raise
                # A schema swap raced this statement: read again, from the new live tables.
                log.info("query_retried_after_swap", attempt=attempt, error=f"{type(error).__name__}: {error}")
                await asyncio.sleep(delay)
                delay = min(delay * 2, 1.0)
        raise AssertionError("unreachable")


# --------------------------------------------------------------------------- currency


async def currency(
    reader: Reader, model: Projection, lag: Mapping[str, Mapping[str, int]] | None = None
) -> dict[str, Any]:
    """How current a read model is: the last event applied, the offsets, the lag.

    ``last_event_at`` is the occurred time (``ce_time``) of the latest event the
    model applied; ``last_applied_at`` the wall-clock time of the last batch;
    ``applied_offsets`` the last offset applied per ``topic/partition``;
    ``lag_seconds`` = now − ``last_event_at``; ``lag_messages`` the messages not
    yet applied, from the kernel's lag measurement (None before the first one).
    """
    schema = model.live_schema
    row = await reader.fetchrow(
        f"SELECT events_applied, last_event_at, last_event_id, last_event_type FROM {qualified(schema, 'rm_currency')}"
    )
    offsets = await reader.fetch(
        f"SELECT topic, partition, next_offset, updated_at FROM {qualified(schema, 'consumer_offsets')} "
        "WHERE consumer = $1 ORDER BY topic, partition",
        model.name,
    )
    rebuilding = await reader.fetchval(
        "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", f"{schema}__rebuild"
    )
    last_event_at: datetime | None = row["last_event_at"] if row else None
    applied = {f"{r['topic']}/{r['partition']}": r["next_offset"] - 1 for r in offsets if r["next_offset"] > 0}
    last_applied_at = max((r["updated_at"] for r in offsets), default=None)
    lags = (lag or {}).get(model.name)
    return {
        "read_model": model.model,
        "last_event_at": last_event_at.isoformat() if last_event_at else None,
        "last_event_id": str(row["last_event_id"]) if row and row["last_event_id"] else None,
        "last_event_type": row["last_event_type"] if row else None,
        "events_applied": row["events_applied"] if row else 0,
        "applied_offsets": applied,
        "last_applied_at": last_applied_at.isoformat() if last_applied_at else None,
        "lag_seconds": round(time.time() - last_event_at.timestamp(), 3) if last_event_at else None,
        "lag_messages": sum(lags.values()) if lags is not None else None,
        "rebuilding": bool(rebuilding),
        "answered_at": datetime.now(UTC).isoformat(),
    }


# --------------------------------------------------------------------------- helpers


@dataclass
class Where:
    """A WHERE clause built from optional filters, with numbered parameters."""

    clauses: list[str]
    args: list[Any]

    @classmethod
    def empty(cls) -> Where:
        return cls([], [])

    def add(self, template: str, value: Any) -> Where:
        """Add ``template`` with ``{}`` standing for the next parameter."""
        self.args.append(value)
        self.clauses.append(template.format(f"${len(self.args)}"))
        return self

    def sql(self) -> str:
        return f"WHERE {' AND '.join(self.clauses)}" if self.clauses else ""

    def next_param(self) -> str:
        return f"${len(self.args) + 1}"


def paging_sql(where: Where, limit: int | None, offset: int) -> str:
    """LIMIT/OFFSET parameters appended to ``where``'s (no LIMIT when exporting everything)."""
    parts = []
    if limit is not None:
        where.args.append(limit)
        parts.append(f"LIMIT ${len(where.args)}")
    if offset:
        where.args.append(offset)
        parts.append(f"OFFSET ${len(where.args)}")
    return " ".join(parts)


# --------------------------------------------------------------------------- unit tree


async def load_tree(reader: Reader, model: Projection) -> Tree:
    """The whole unit tree (a few hundred rows), one statement per table."""
    s = model.live_schema
    units = await reader.fetch(f"SELECT unit_id, code, kind, established_on FROM {qualified(s, 'units')}")
    names = await reader.fetch(f"SELECT unit_id, effective_on, name FROM {qualified(s, 'unit_names')}")
    parents = await reader.fetch(f"SELECT unit_id, effective_on, parent_id FROM {qualified(s, 'unit_parents')}")
    ends = await reader.fetch(f"SELECT unit_id, ended_on, how, into_unit_id FROM {qualified(s, 'unit_ends')}")
    return Tree.from_rows(units, names, parents, ends)


async def placed_in_year(reader: Reader, model: Projection, year: int) -> list[tuple[str, str, date]]:
    """(person, unit, day) of everyone on the staff at some time in ``year``.

    The person's last placement on or before 31 December: if it is a
    departure during the year, they count in their last unit as of the day
    before it; if it is a departure before the year, they do not count.
    """
    first, last = date(year, 1, 1), date(year, 12, 31)
    rows = await reader.fetch(
        f"""
        SELECT person_id, unit_id, CASE WHEN kind = 'left' THEN effective_on - 1 ELSE $2::date END AS day
        FROM (
            SELECT DISTINCT ON (person_id) person_id, kind, unit_id, effective_on
            FROM {qualified(model.live_schema, 'placements')}
            WHERE effective_on <= $2
            ORDER BY person_id, effective_on DESC, seq DESC, event_id DESC
        ) latest
        WHERE kind <> 'left' OR effective_on > $1
        """,
        first,
        last,
    )
    return [(r["person_id"], r["unit_id"], r["day"]) for r in rows]


async def graded_in_year(reader: Reader, model: Projection, year: int) -> list[tuple[str, str]]:
    """(person, unit) of everyone graded for ``year``."""
    rows = await reader.fetch(
        f"SELECT person_id, unit_id FROM {qualified(model.live_schema, 'person_grades')} WHERE year = $1", year
    )
    return [(r["person_id"], r["unit_id"]) for r in rows]


async def person_known(reader: Reader, tree_model: Projection, history_model: Projection, person_id: str) -> bool:
    """Whether the person appears in the staff records or in the award history."""
    if await reader.fetchval(
        f"SELECT EXISTS (SELECT 1 FROM {qualified(tree_model.live_schema, 'placements')} WHERE person_id = $1)",
        person_id,
    ):
        return True
    return bool(
        await reader.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM {qualified(history_model.live_schema, 'award_history')} "
            "WHERE subject_id = $1)",
            person_id,
        )
    )


# --------------------------------------------------------------------------- award statistics


async def stat_rows(reader: Reader, model: Projection, year: int | None = None) -> list[StatRow]:
    """Every statistics row (of one year, if given)."""
    where = Where.empty()
    if year is not None:
        where.add("year = {}", year)
    rows = await reader.fetch(
        f"SELECT year, flow, award_code, award_kind, recipient_kind, unit_id, authority, to_body, count, revoked "
        f"FROM {qualified(model.live_schema, 'award_stats')} {where.sql()}",
        *where.args,
    )
    return [
        StatRow(
            StatKey(r["year"], r["flow"], r["award_code"], r["award_kind"], r["recipient_kind"], r["unit_id"],
                    r["authority"], r["to_body"]),
            r["count"],
            r["revoked"],
        )
        for r in rows
    ]


async def award_names(reader: Reader, model: Projection) -> dict[str, str]:
    """Award code → the name its events carry."""
    rows = await reader.fetch(f"SELECT award_code, award_name FROM {qualified(model.live_schema, 'award_names')}")
    return {r["award_code"]: r["award_name"] for r in rows}


async def grouped_stats(
    reader: Reader,
    model: Projection,
    *,
    where: Where,
    dims: Sequence[str],
    order_by: str,
    limit: int | None,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Statistics summed over the dimensions not in ``dims``: (page of rows, number of rows)."""
    table = qualified(model.live_schema, "award_stats")
    select = ", ".join(dims)
    group = f"GROUP BY {select}" if dims else ""
    total = await reader.fetchval(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} {where.sql()} {group}) g", *where.args
    )
    if not dims:
        total = 1
    args = list(where.args)
    page = Where(list(where.clauses), args)
    tail = paging_sql(page, limit, offset)
    rows = await reader.fetch(
        f"SELECT {select + ', ' if dims else ''}coalesce(sum(count), 0)::int AS count, "
        f"coalesce(sum(revoked), 0)::int AS revoked FROM {table} {where.sql()} {group} "
        f"{'ORDER BY ' + order_by if dims else ''} {tail}",
        *page.args,
    )
    return [dict(r) for r in rows], int(total or 0)


async def known_values(reader: Reader, model: Projection, column: str) -> set[str]:
    """Distinct values of a statistics dimension (to tell an unknown filter value from an empty result)."""
    rows = await reader.fetch(f"SELECT DISTINCT {column} AS v FROM {qualified(model.live_schema, 'award_stats')}")
    return {r["v"] for r in rows}


# --------------------------------------------------------------------------- generic list


async def page_of(
    reader: Reader,
    table: str,
    *,
    columns: str,
    where: Where,
    order_by: str,
    limit: int | None,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """A page of a single table and the number of rows matching: two single-table statements."""
    total = await reader.fetchval(f"SELECT count(*) FROM {table} {where.sql()}", *where.args)
    page = Where(list(where.clauses), list(where.args))
    tail = paging_sql(page, limit, offset)
    rows = await reader.fetch(f"SELECT {columns} FROM {table} {where.sql()} ORDER BY {order_by} {tail}", *page.args)
    return [dict(r) for r in rows], int(total or 0)
