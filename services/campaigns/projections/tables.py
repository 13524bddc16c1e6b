"""The campaigns service's query tables: DDL, the inline projection, loaders, rebuild.

One row per aggregate (movement, target, registration, pledge, cluster, year,
training report). :func:`project` is the ``project`` callback of every command
handler (and of the progress policy): for each stream the new events touched, it
re-reads the whole stream *in the same transaction*, folds it with the domain's
``replay`` and upserts the row. A row is therefore always a pure function of its
stream, whatever happened before; a lost projection is repaired by
:func:`rebuild`.

Rows hold typed columns (for filters, lists and SQL reporting) and ``state``, the
folded aggregate state as JSON (:func:`dump_state`); the query side turns it back
into the domain's state (:func:`load_state`) and calls the domain's view
functions, so no view logic is duplicated here. When a domain state changes shape,
run :func:`rebuild` (the snapshot is derived data).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from importlib import resources
from types import MappingProxyType
from typing import Any, TypeVar

import asyncpg
from pydantic import TypeAdapter
from tdkt_contracts import EventPayload, parse
from tdkt_contracts.catalogue.campaigns import TrainingCompletionReported

from kernel.eventstore import EventStore, RecordedEvent

from ..domain import (
    ClusterState,
    MovementState,
    PledgeState,
    RegistrationState,
    TargetState,
    YearState,
)
from ..domain.views import pledge_status

QUERY_TABLES_SQL = resources.files(__package__).joinpath("query_tables.sql").read_text()
"""Idempotent DDL of the query tables (a migration of the service)."""

QUERY_TABLES = ("movements", "targets", "registrations", "pledges", "clusters", "years", "training_reports")

AGGREGATES = ("movement", "target", "year", "training", "registration", "pledge", "cluster")
"""The aggregate part of our event types (``vn.tdkt.campaigns.<aggregate>.<fact>``)."""

State = TypeVar("State")

_STATE_TYPES: tuple[type, ...] = (MovementState, TargetState, RegistrationState, PledgeState, ClusterState)
_ADAPTERS: dict[type, TypeAdapter[Any]] = {cls: TypeAdapter(cls) for cls in _STATE_TYPES}


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def aggregate_of(event_type: str) -> str:
    """The aggregate an event type of this context belongs to, e.g. ``target``."""
    parts = event_type.split(".")
    if len(parts) != 5 or parts[:3] != ["vn", "tdkt", "campaigns"] or parts[3] not in AGGREGATES:
        raise ValueError(f"{event_type!r} is not an event of the campaigns context")
    return parts[3]


def payloads(history: Iterable[RecordedEvent]) -> list[EventPayload]:
    """The stored events as their (newest) contract models."""
    return [parse(e.event_type, e.schema_version, e.payload) for e in history]


def dump_state(state: Any) -> dict[str, Any]:
    """A domain state as JSON (read-only mappings become plain objects)."""
    plain = dataclasses.replace(
        state,
        **{
            f.name: dict(value)
            for f in dataclasses.fields(state)
            if isinstance(value := getattr(state, f.name), MappingProxyType)
        },
    )
    return _ADAPTERS[type(state)].dump_python(plain, mode="json")  # type: ignore[no-any-return]


def load_state(cls: type[State], data: dict[str, Any]) -> State:
    """The domain state a row's ``state`` column holds (mappings read-only again, as
    the domain builds them)."""
    state = _ADAPTERS[cls].validate_python(data)
    return dataclasses.replace(  # type: ignore[no-any-return]
        state,
        **{
            f.name: MappingProxyType(value)
            for f in dataclasses.fields(state)
            if isinstance(value := getattr(state, f.name), dict)
        },
    )


# ---------------------------------------------------------------------------
# Upserts, one per aggregate
# ---------------------------------------------------------------------------


async def _upsert_movement(conn: asyncpg.Connection, stream_id: str, events: list[EventPayload]) -> None:
    s = MovementState.replay(events)
    if not s.exists:
        return
    assert s.launched_by is not None and s.kind is not None
    await conn.execute(
        """
        INSERT INTO movements (movement_id, title, launched_by, kind, status, period_start, period_end,
                               launched_on, closed_on, stream_version, state, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, now())
        ON CONFLICT (movement_id) DO UPDATE SET
            title = excluded.title, launched_by = excluded.launched_by, kind = excluded.kind,
            status = excluded.status, period_start = excluded.period_start, period_end = excluded.period_end,
            launched_on = excluded.launched_on, closed_on = excluded.closed_on,
            stream_version = excluded.stream_version, state = excluded.state, updated_at = now()
        """,
        stream_id, s.title, s.launched_by.value, s.kind.value, "closed" if s.closed else "open",
        s.period_start, s.period_end, s.launched_on, s.closed_on, len(events), dump_state(s),
    )


async def _upsert_target(conn: asyncpg.Connection, stream_id: str, events: list[EventPayload]) -> None:
    s = TargetState.replay(events)
    if not s.exists:
        return
    assert s.metric is not None
    progress = s.last_progress
    await conn.execute(
        """
        INSERT INTO targets (target_id, movement_id, year, metric, threshold_percent, training_code, description,
                             numerator, denominator, share_percent, on_track, outcome, decided_on,
                             stream_version, state, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
        ON CONFLICT (target_id) DO UPDATE SET
            movement_id = excluded.movement_id, year = excluded.year, metric = excluded.metric,
            threshold_percent = excluded.threshold_percent, training_code = excluded.training_code,
            description = excluded.description, numerator = excluded.numerator,
            denominator = excluded.denominator, share_percent = excluded.share_percent,
            on_track = excluded.on_track, outcome = excluded.outcome, decided_on = excluded.decided_on,
            stream_version = excluded.stream_version, state = excluded.state, updated_at = now()
        """,
        stream_id, s.movement_id, s.year, s.metric.value, s.threshold_percent, s.training_code, s.description,
        s.numerator, s.denominator,
        progress.share_percent if progress else None,
        progress.met if progress and progress.known else None,
        s.outcome, s.decided_on, len(events), dump_state(s),
    )


async def _upsert_registration(conn: asyncpg.Connection, stream_id: str, events: list[EventPayload]) -> None:
    s = RegistrationState.replay(events)
    if not s.registration_id:
        return
    await conn.execute(
        """
        INSERT INTO registrations (registration_id, movement_id, unit_id, year, active, collective_titles, people,
                                   submitted_on, deadline, withdrawn_on, stream_version, state, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
        ON CONFLICT (registration_id) DO UPDATE SET
            active = excluded.active, collective_titles = excluded.collective_titles, people = excluded.people,
            submitted_on = excluded.submitted_on, deadline = excluded.deadline,
            withdrawn_on = excluded.withdrawn_on, stream_version = excluded.stream_version,
            state = excluded.state, updated_at = now()
        """,
        stream_id, s.movement_id, s.unit_id, s.year, s.active, list(s.collective_titles), len(s.individuals),
        s.submitted_on, s.deadline, s.withdrawn_on, len(events), dump_state(s),
    )


async def _upsert_pledge(conn: asyncpg.Connection, stream_id: str, events: list[EventPayload]) -> None:
    s = PledgeState.replay(events)
    if not s.exists:
        return
    await conn.execute(
        """
        INSERT INTO pledges (pledge_id, title, year, movement_id, cluster_id, party_names, party_unit_ids,
                             signed_on, status, reviews, stream_version, state, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, now())
        ON CONFLICT (pledge_id) DO UPDATE SET
            status = excluded.status, reviews = excluded.reviews, stream_version = excluded.stream_version,
            state = excluded.state, updated_at = now()
        """,
        stream_id, s.title, s.year, s.movement_id, s.cluster_id, [p.name for p in s.parties],
        [p.unit_id for p in s.parties if p.unit_id is not None], s.signed_on, pledge_status(s).status,
        len(s.reviews), len(events), dump_state(s),
    )


async def _upsert_cluster(conn: asyncpg.Connection, stream_id: str, events: list[EventPayload]) -> None:
    s = ClusterState.replay(events)
    if not s.exists:
        return
    assert s.kind is not None
    ever = sorted({unit for _, members in s.membership for unit in members})
    await conn.execute(
        """
        INSERT INTO clusters (cluster_id, name, kind, from_year, member_ids, stream_version, state, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, now())
        ON CONFLICT (cluster_id) DO UPDATE SET
            member_ids = excluded.member_ids, stream_version = excluded.stream_version,
            state = excluded.state, updated_at = now()
        """,
        stream_id, s.name, s.kind.value, s.from_year, ever, len(events), dump_state(s),
    )


async def _upsert_year(conn: asyncpg.Connection, stream_id: str, events: list[EventPayload]) -> None:
    s = YearState.replay(events, year=int(stream_id))
    await conn.execute(
        """
        INSERT INTO years (year, closed, closed_on, stream_version, updated_at) VALUES ($1, $2, $3, $4, now())
        ON CONFLICT (year) DO UPDATE SET closed = excluded.closed, closed_on = excluded.closed_on,
            stream_version = excluded.stream_version, updated_at = now()
        """,
        s.year, s.closed, s.closed_on, len(events),
    )


async def _upsert_training(conn: asyncpg.Connection, stream_id: str, events: list[EventPayload]) -> None:
    reports = [e for e in events if isinstance(e, TrainingCompletionReported)]
    if not reports:
        return
    last = reports[-1]  # a later report replaces the earlier one (as TrainingReportState folds them)
    await conn.execute(
        """
        INSERT INTO training_reports (report_id, unit_id, year, training_code, completed, headcount, reported_on,
                                      stream_version, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
        ON CONFLICT (report_id) DO UPDATE SET completed = excluded.completed, headcount = excluded.headcount,
            reported_on = excluded.reported_on, stream_version = excluded.stream_version, updated_at = now()
        """,
        stream_id, last.unit_id, last.year, last.training_code, last.completed, last.headcount,
        last.reported_on, len(events),
    )


_UPSERTS = {
    "movement": _upsert_movement,
    "target": _upsert_target,
    "registration": _upsert_registration,
    "pledge": _upsert_pledge,
    "cluster": _upsert_cluster,
    "year": _upsert_year,
    "training": _upsert_training,
}


async def project_stream(conn: asyncpg.Connection, stream_id: str) -> None:
    """Recompute the row of one stream from all its events (inside the caller's transaction)."""
    history = await EventStore.read_stream(conn, stream_id)
    if not history:
        return
    kind = aggregate_of(history[0].event_type)
    await _UPSERTS[kind](conn, stream_id, payloads(history))


async def project(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
    """The ``project`` of the kernel's unit of work (:mod:`kernel.unit_of_work`): bring the rows of the
    streams ``recorded`` touched up to date, in the transaction that appended them."""
    for stream_id in dict.fromkeys(e.stream_id for e in recorded):
        await project_stream(conn, stream_id)


async def rebuild(conn: asyncpg.Connection) -> int:
    """Empty the query tables and project every stream of the event store again, in
    one transaction (readers see the old rows until it commits). Returns the number
    of streams projected."""
    async with conn.transaction():
        await conn.execute(f"TRUNCATE {', '.join(QUERY_TABLES)}")
        streams = await conn.fetch(
            "SELECT stream_id, min(event_type) AS event_type FROM events GROUP BY stream_id ORDER BY stream_id"
        )
        count = 0
        for row in streams:
            try:
                aggregate_of(row["event_type"])
            except ValueError:
                continue  # not a stream of ours (the store only holds ours, but be safe)
            await project_stream(conn, row["stream_id"])
            count += 1
    return count


# ---------------------------------------------------------------------------
# Loaders (the query side and the cross-aggregate reads of the handlers)
# ---------------------------------------------------------------------------


async def load_states(conn: asyncpg.Connection, cls: type[State], sql: str, *args: Any) -> list[State]:
    """The states held in the ``state`` column of the rows ``sql`` selects."""
    return [load_state(cls, row["state"]) for row in await conn.fetch(sql, *args)]


async def open_target_ids(
    conn: asyncpg.Connection, *, year: int | None = None, movement_id: str | None = None
) -> list[str]:
    """Ids of the targets still open, of a year or of a movement (sorted)."""
    rows = await conn.fetch(
        "SELECT target_id FROM targets WHERE outcome IS NULL "
        "AND ($1::int IS NULL OR year = $1) AND ($2::text IS NULL OR movement_id = $2) ORDER BY target_id",
        year,
        movement_id,
    )
    return [row["target_id"] for row in rows]


async def open_targets(conn: asyncpg.Connection) -> list[TargetState]:
    """Every open target, from the query table (to pick which ones a fact touches)."""
    return await load_states(conn, TargetState, "SELECT state FROM targets WHERE outcome IS NULL ORDER BY target_id")
