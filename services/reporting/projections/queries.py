"""Every query of the reporting service: SQL against the read models' live schemas, and their currency.

The routes (:mod:`services.reporting.api`) parse, authorise, call a function
here and shape its answer; no SQL is written anywhere else outside the
projections that write the tables. Filters arrive as values and are turned
into numbered parameters here (:class:`Where`); sorting arrives as the
client's ``a,-b`` and is checked against each query's list of fields
(:func:`parse_sort`).

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
import json
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import structlog

from kernel.errors import DomainError

from ..summary import AwardOrder
from ..tree import Tree
from .award_stats import FormFact, StatKey, StatRow
from .base import Projection, qualified, table_checksums

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


# --------------------------------------------------------------------------- filters, sorting, pages


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

    def equal(self, **columns: Any) -> Where:
        """``column = value`` for each value given; None or an empty text filters nothing."""
        for column, value in columns.items():
            if value is not None and value != "":
                self.add(f"{column} = {{}}", value)
        return self

    def sql(self) -> str:
        return f"WHERE {' AND '.join(self.clauses)}" if self.clauses else ""


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


SortExpr = str | tuple[str, ...]


def parse_sort(sort: str | None, allowed: Mapping[str, SortExpr], default: Sequence[str]) -> tuple[str, list[str]]:
    """(ORDER BY clause, fields as given) from ``a,-b``; an unknown field is refused with 422.

    A field may stand for several expressions (an award's configured rank, then
    its code); the direction applies to each. The default fields not named are
    appended as tie-breakers, so pages are stable.
    """
    fields = [f.strip() for f in sort.split(",") if f.strip()] if sort else list(default)
    parts: list[str] = []
    used: set[str] = set()

    def order(name: str, direction: str) -> list[str]:
        exprs = allowed[name]
        return [f"{e} {direction} NULLS LAST" for e in ((exprs,) if isinstance(exprs, str) else exprs)]

    for field in fields:
        name = field.lstrip("-+")
        if name not in allowed:
            raise DomainError(
                "unknown_sort_field", f"cannot sort by {name!r}", field=name, allowed=sorted(allowed)
            )
        parts += order(name, "DESC" if field.startswith("-") else "ASC")
        used.add(name)
    for name in default:
        if name not in used:
            parts += order(name, "ASC")
    return ", ".join(parts), fields


def award_rank_sql(order: AwardOrder) -> str:
    """SQL for the configured rank of ``award_code`` (codes come from our YAML; quoted anyway)."""
    codes = ", ".join("'" + e.code.replace("'", "''") + "'" for e in order.entries)
    return f"coalesce(array_position(ARRAY[{codes}]::text[], award_code), 10000)"


@dataclass(frozen=True)
class Found:
    """A page of rows, the number of rows matching, and the sort fields as the client gave them."""

    items: list[dict[str, Any]]
    total: int
    sort: list[str]


async def _page(
    reader: Reader, table: str, where: Where, sort: tuple[str, list[str]], limit: int | None, offset: int
) -> Found:
    """A page of a single table and the number of rows matching: two single-table statements."""
    order_by, fields = sort
    total = await reader.fetchval(f"SELECT count(*) FROM {table} {where.sql()}", *where.args)
    page = Where(list(where.clauses), list(where.args))
    tail = paging_sql(page, limit, offset)
    rows = await reader.fetch(f"SELECT * FROM {table} {where.sql()} ORDER BY {order_by} {tail}", *page.args)
    return Found([dict(r) for r in rows], int(total or 0), fields)


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


@dataclass(frozen=True)
class StatsFilter:
    """The filters of the award statistics (and of the award history); None (or empty) filters nothing."""

    year: int | None = None
    flow: str | None = None
    award_code: str | None = None
    recipient_kind: str | None = None
    authority: str | None = None
    units: Sequence[str] | None = None
    """Recipients whose unit is among these: the units a ``unit_id`` filter stands for (with its sub-units, as
    the route resolved them)."""

    def where(self) -> Where:
        """The filters as a WHERE clause."""
        where = Where.empty().equal(year=self.year, flow=self.flow, award_code=self.award_code,
                                    recipient_kind=self.recipient_kind, authority=self.authority)
        if self.units is not None:
            where.add("unit_id = ANY({}::text[])", list(self.units))
        return where

STATS_SORT_DEFAULT = ("year", "flow", "award_code", "recipient_kind", "unit_id", "authority", "award_kind", "to_body")
"""Tie-breakers of a statistics page, among the dimensions kept."""


async def stat_rows(reader: Reader, model: Projection, year: int | None = None) -> list[StatRow]:
    """Every statistics row (of one year, if given)."""
    where = StatsFilter(year=year).where()
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


async def award_form_facts(reader: Reader, model: Projection, year: int) -> list[FormFact]:
    """The facts of ``year`` as the statistical forms 0602/0603 count them (one table: ``counted``)."""
    dims = "year, flow, award_code, recipient_kind, unit_id, authority, category, person_category, submitted_by"
    rows = await reader.fetch(
        f"SELECT {dims}, count(*)::int AS count FROM {qualified(model.live_schema, 'counted')} "
        f"WHERE year = $1 GROUP BY {dims} ORDER BY {dims}", year,
    )
    return [FormFact(**dict(r)) for r in rows]


async def award_names(reader: Reader, model: Projection) -> dict[str, str]:
    """Award code → the name its events carry."""
    rows = await reader.fetch(f"SELECT award_code, award_name FROM {qualified(model.live_schema, 'award_names')}")
    return {r["award_code"]: r["award_name"] for r in rows}


async def grouped_stats(
    reader: Reader,
    model: Projection,
    filters: StatsFilter,
    *,
    dims: Sequence[str],
    sort: str | None,
    order: AwardOrder,
    limit: int | None,
    offset: int,
) -> Found:
    """Statistics summed over the dimensions not in ``dims``: a page of rows and the number of rows.

    ``sort`` takes the dimensions kept, ``count`` and ``revoked``; ``award_code``
    sorts by the configured rank (``order``), then by code.
    """
    allowed: dict[str, SortExpr] = {
        d: ((award_rank_sql(order), "award_code") if d == "award_code" else d) for d in dims
    }
    allowed |= {"count": "count", "revoked": "revoked"}
    order_by, fields = parse_sort(sort, allowed, [d for d in STATS_SORT_DEFAULT if d in dims])
    where = filters.where()
    table = qualified(model.live_schema, "award_stats")
    select = ", ".join(dims)
    group = f"GROUP BY {select}" if dims else ""
    total = await reader.fetchval(
        f"SELECT count(*) FROM (SELECT 1 FROM {table} {where.sql()} {group}) g", *where.args
    )
    if not dims:
        total = 1
    page = Where(list(where.clauses), list(where.args))
    tail = paging_sql(page, limit, offset)
    rows = await reader.fetch(
        f"SELECT {select + ', ' if dims else ''}coalesce(sum(count), 0)::int AS count, "
        f"coalesce(sum(revoked), 0)::int AS revoked FROM {table} {where.sql()} {group} "
        f"{'ORDER BY ' + order_by if dims else ''} {tail}",
        *page.args,
    )
    return Found([dict(r) for r in rows], int(total or 0), fields)


async def known_values(reader: Reader, model: Projection, column: str) -> set[str]:
    """Distinct values of a statistics dimension (to tell an unknown filter value from an empty result)."""
    rows = await reader.fetch(f"SELECT DISTINCT {column} AS v FROM {qualified(model.live_schema, 'award_stats')}")
    return {r["v"] for r in rows}


# --------------------------------------------------------------------------- award history


@dataclass(frozen=True)
class HistoryFilter(StatsFilter):
    """The filters of the award history: the statistics' filters, the proposal's outcome, revocation, the
    recipients."""

    outcome: str | None = None
    revoked: bool | None = None
    subject: str | None = None
    """One recipient (a person's history)."""
    subjects: Sequence[str] | None = None
    """Recipients among these (a unit's own collective awards, with its sub-units)."""
    members_of: Sequence[str] | None = None
    """Recipients among these units or working in them (a unit's awards with its people's)."""

    def where(self) -> Where:
        """The filters as a WHERE clause."""
        where = super().where().equal(outcome=self.outcome, revoked=self.revoked)
        if self.subject is not None:
            where.add("subject_id = {}", self.subject)
        if self.subjects is not None:
            where.add("subject_id = ANY({}::text[])", list(self.subjects))
        if self.members_of is not None:
            where.add("(subject_id = ANY({0}::text[]) OR unit_id = ANY({0}::text[]))", list(self.members_of))
        return where

HISTORY_SORT: dict[str, SortExpr] = {
    "year": "year", "award_code": "award_code", "decision_date": "decision_date",
    # In Vietnamese order (kernel/collation.py); rows recorded before the key existed follow, by name.
    "display_name": ("display_name_key", "display_name"),
    "flow": "flow", "forwarded_on": "forwarded_on", "entry_id": "entry_id",
}


async def history_page(
    reader: Reader, model: Projection, filters: HistoryFilter, *, sort: str | None, limit: int | None, offset: int
) -> Found:
    """A page of the award history (one row per award conferred and per recipient proposed upward)."""
    order = parse_sort(sort, HISTORY_SORT, ["year", "award_code", "display_name", "entry_id"])
    return await _page(reader, qualified(model.live_schema, "award_history"), filters.where(), order, limit, offset)


async def in_history(reader: Reader, model: Projection, subject_or_unit: str) -> bool:
    """Whether the id appears in the award history, as a recipient or as a recipient's unit."""
    return bool(await reader.fetchval(
        f"SELECT EXISTS (SELECT 1 FROM {qualified(model.live_schema, 'award_history')} "
        "WHERE subject_id = $1 OR unit_id = $1)", subject_or_unit,
    ))


async def history_codes(reader: Reader, model: Projection) -> set[str]:
    """The award codes the award history holds."""
    rows = await reader.fetch(f"SELECT DISTINCT award_code FROM {qualified(model.live_schema, 'award_history')}")
    return {r["award_code"] for r in rows}


# --------------------------------------------------------------------------- the office's reference data


async def office_reference(reader: Reader, schema: str, year: int, form: str) -> dict[str, Any] | None:
    """What the office recorded for form 0604 or 0605 of ``year`` (body, recorded_at), or None."""
    row = await reader.fetchrow(
        f"SELECT body::text AS body, recorded_at FROM {qualified(schema, 'office_reference')} "
        f"WHERE year = $1 AND form = $2", year, form,
    )
    return None if row is None else {"body": json.loads(row["body"]), "recorded_at": row["recorded_at"]}


async def save_office_reference(pool: asyncpg.Pool, schema: str, year: int, form: str, body: Any) -> None:
    """Record (or replace) the office's data for form 0604 or 0605 of ``year``."""
    await pool.execute(
        f"INSERT INTO {qualified(schema, 'office_reference')} (year, form, body) VALUES ($1, $2, $3::text::jsonb) "
        f"ON CONFLICT (year, form) DO UPDATE SET body = excluded.body, recorded_at = now()",
        year, form, json.dumps(body, ensure_ascii=False, sort_keys=True),
    )


# --------------------------------------------------------------------------- movements


async def movements_page(
    reader: Reader,
    model: Projection,
    *,
    year: int | None,
    status: str | None,
    launched_by: str | None,
    sort: str | None,
    limit: int | None,
    offset: int,
) -> Found:
    """A page of movements (those running during ``year``, if given)."""
    where = Where.empty()
    if year is not None:
        where.add("period_start <= {}", date(year, 12, 31))
        where.add("(period_end IS NULL OR period_end >= {})", date(year, 1, 1))
    where.equal(status=status, launched_by=launched_by)
    order = parse_sort(
        # Titles in Vietnamese order (kernel/collation.py); rows recorded before the key existed follow, by title.
        sort, {"launched_on": "launched_on", "period_start": "period_start", "title": ("title_key", "title"),
               "movement_id": "movement_id", "status": "status"},
        ["launched_on", "movement_id"],
    )
    found = await _page(reader, qualified(model.live_schema, "movements"), where, order, limit, offset)
    for row in found.items:
        row.pop("title_key", None)  # the sort key is not part of the answer
    return found


async def movements_for_form(reader: Reader, model: Projection, year: int) -> list[dict[str, Any]]:
    """What form 0601 counts of each movement running during ``year``: launcher, kind, scope, period."""
    rows = await reader.fetch(
        f"SELECT launched_by, kind, coalesce((scope->>'all_units')::boolean, false) AS all_units, period_start, "
        f"period_end FROM {qualified(model.live_schema, 'movements')} "
        f"WHERE period_start <= $1 AND (period_end IS NULL OR period_end >= $2)",
        date(year, 12, 31), date(year, 1, 1),
    )
    return [dict(r) for r in rows]


async def movement_counts(
    reader: Reader, model: Projection, ids: list[str], year: int | None
) -> dict[str, dict[str, Any]]:
    """Per movement: its registrations, targets and reviews counted (of ``year``, if given).

    A movement with none of some kind has no key for those counts.
    """
    counts: dict[str, dict[str, Any]] = {i: {} for i in ids}
    if not ids:
        return counts
    schema = model.live_schema
    year_clause = "AND year = $2" if year is not None else ""
    args: list[Any] = [ids] + ([year] if year is not None else [])
    for r in await reader.fetch(
        f"SELECT movement_id, count(DISTINCT unit_id) FILTER (WHERE status = 'submitted') AS units_registered, "
        f"coalesce(sum(individual_count) FILTER (WHERE status = 'submitted'), 0)::int AS individuals_registered, "
        f"count(*) FILTER (WHERE status = 'withdrawn') AS registrations_withdrawn "
        f"FROM {qualified(schema, 'registrations')} WHERE movement_id = ANY($1::text[]) {year_clause} "
        f"GROUP BY movement_id", *args,
    ):
        counts[r["movement_id"]].update({k: r[k] for k in r.keys() if k != "movement_id"})
    for r in await reader.fetch(
        f"SELECT movement_id, count(*) AS targets, count(*) FILTER (WHERE status = 'met') AS targets_met, "
        f"count(*) FILTER (WHERE status = 'missed') AS targets_missed, "
        f"count(*) FILTER (WHERE status = 'open' AND on_track) AS targets_on_track "
        f"FROM {qualified(schema, 'targets')} WHERE movement_id = ANY($1::text[]) {year_clause} "
        f"GROUP BY movement_id", *args,
    ):
        counts[r["movement_id"]].update({k: r[k] for k in r.keys() if k != "movement_id"})
    review_year = "AND extract(year FROM reviewed_on) = $2" if year is not None else ""
    for r in await reader.fetch(
        f"SELECT movement_id, count(*) AS reviews, max(reviewed_on) AS last_reviewed_on "
        f"FROM {qualified(schema, 'movement_reviews')} WHERE movement_id = ANY($1::text[]) {review_year} "
        f"GROUP BY movement_id", *args,
    ):
        counts[r["movement_id"]].update({"reviews": r["reviews"], "last_reviewed_on": r["last_reviewed_on"]})
    return counts


async def movement(reader: Reader, model: Projection, movement_id: str) -> dict[str, Any] | None:
    """One movement's row, or None."""
    row = await reader.fetchrow(
        f"SELECT * FROM {qualified(model.live_schema, 'movements')} WHERE movement_id = $1", movement_id
    )
    return dict(row) if row is not None else None


@dataclass(frozen=True)
class MovementRecords:
    """What a movement's dashboard shows besides the movement itself."""

    targets: list[dict[str, Any]]
    registrations: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    pledges: list[dict[str, Any]]


async def movement_records(
    reader: Reader, model: Projection, movement_id: str, year: int | None
) -> MovementRecords:
    """A movement's targets and registrations (of ``year``, if given), its reviews and its pledges."""
    schema = model.live_schema
    year_clause, args = ("AND year = $2", [movement_id, year]) if year is not None else ("", [movement_id])
    targets = await reader.fetch(
        f"SELECT * FROM {qualified(schema, 'targets')} WHERE movement_id = $1 {year_clause} ORDER BY year, target_id",
        *args,
    )
    registrations = await reader.fetch(
        f"SELECT * FROM {qualified(schema, 'registrations')} WHERE movement_id = $1 {year_clause} "
        "ORDER BY year, unit_id", *args,
    )
    reviews = await reader.fetch(
        f"SELECT kind, reviewed_on, summary, document_ref FROM {qualified(schema, 'movement_reviews')} "
        "WHERE movement_id = $1 ORDER BY reviewed_on, kind, summary", movement_id,
    )
    pledges = await reader.fetch(
        f"SELECT pledge_id, title, year, signed_on FROM {qualified(schema, 'pledges')} WHERE movement_id = $1 "
        "ORDER BY year, pledge_id", movement_id,
    )
    return MovementRecords(
        [dict(r) for r in targets], [dict(r) for r in registrations], [dict(r) for r in reviews],
        [dict(r) for r in pledges],
    )


async def targets_page(
    reader: Reader,
    model: Projection,
    *,
    year: int | None,
    movement_id: str | None,
    status: str | None,
    metric: str | None,
    sort: str | None,
    limit: int | None,
    offset: int,
) -> Found:
    """A page of targets (chỉ tiêu) with their latest numbers."""
    where = Where.empty().equal(year=year, movement_id=movement_id, status=status, metric=metric)
    order = parse_sort(
        sort, {"year": "year", "target_id": "target_id", "share_percent": "share_percent", "status": "status",
               "movement_id": "movement_id"},
        ["year", "target_id"],
    )
    return await _page(reader, qualified(model.live_schema, "targets"), where, order, limit, offset)


async def registrations_page(
    reader: Reader,
    model: Projection,
    *,
    year: int | None,
    movement_id: str | None,
    units: Sequence[str] | None,
    status: str | None,
    sort: str | None,
    limit: int | None,
    offset: int,
) -> Found:
    """A page of registrations (đăng ký thi đua), of the ``units`` if given."""
    where = Where.empty().equal(year=year, movement_id=movement_id, status=status)
    if units is not None:
        where.add("unit_id = ANY({}::text[])", list(units))
    order = parse_sort(
        sort, {"year": "year", "movement_id": "movement_id", "unit_id": "unit_id", "submitted_on": "submitted_on",
               "individual_count": "individual_count", "registration_id": "registration_id"},
        ["year", "movement_id", "unit_id", "registration_id"],
    )
    return await _page(reader, qualified(model.live_schema, "registrations"), where, order, limit, offset)


async def pledges_page(
    reader: Reader,
    model: Projection,
    *,
    year: int | None,
    movement_id: str | None,
    sort: str | None,
    limit: int | None,
    offset: int,
) -> Found:
    """A page of pledges (giao ước thi đua)."""
    where = Where.empty().equal(year=year, movement_id=movement_id)
    order = parse_sort(
        sort, {"year": "year", "signed_on": "signed_on", "title": "title", "pledge_id": "pledge_id"},
        ["year", "signed_on", "pledge_id"],
    )
    return await _page(reader, qualified(model.live_schema, "pledges"), where, order, limit, offset)


async def pledge(reader: Reader, model: Projection, pledge_id: str) -> dict[str, Any] | None:
    """One pledge's row, or None."""
    row = await reader.fetchrow(f"SELECT * FROM {qualified(model.live_schema, 'pledges')} WHERE pledge_id = $1",
                                pledge_id)
    return dict(row) if row is not None else None


async def pledge_reviews(reader: Reader, model: Projection, ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each pledge's reviews, in order (an empty list for a pledge not reviewed)."""
    found: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    if ids:
        for r in await reader.fetch(
            f"SELECT * FROM {qualified(model.live_schema, 'pledge_reviews')} WHERE pledge_id = ANY($1::text[]) "
            "ORDER BY pledge_id, review_no", ids,
        ):
            found[r["pledge_id"]].append(dict(r))
    return found


# --------------------------------------------------------------------------- the read models themselves


async def table_sizes(
    reader: Reader, model: Projection, *, checksums: bool
) -> tuple[dict[str, int], dict[str, str] | None]:
    """Rows per table of a read model, and with ``checksums`` an md5 of each table (else None)."""
    async with reader.pool.acquire() as conn:
        if not checksums:
            rows = {
                t: await conn.fetchval(f"SELECT count(*) FROM {qualified(model.live_schema, t)}") for t in model.TABLES
            }
            return rows, None
        sums = await table_checksums(conn, model.live_schema, model.TABLES)
    return {t: n for t, (_s, n) in sums.items()}, {t: s for t, (s, _n) in sums.items()}
