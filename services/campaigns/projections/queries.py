"""The query side: read the query tables, rebuild the domain's states from their
``state`` column and answer with the domain's views (:mod:`..domain.views`).

Everything here reads committed rows only, so answers follow commands at once
(the rows are written in the command's transaction) and follow units facts as
soon as the consumer applied them (eventually).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg
from pydantic import Field
from tdkt_contracts.catalogue.campaigns import Launcher, MovementKind, TargetMetric, UnitScope

from kernel.errors import NotFound

from ..domain import ClusterState, MovementState, PledgeState, RegistrationState, TargetState
from ..domain.views import (
    ClusterRanking,
    MovementDashboard,
    PledgeStatus,
    TargetView,
    UnitOverview,
    View,
    cluster_ranking,
    movement_dashboard,
    pledge_status,
    target_view,
    unit_overview,
)
from .tables import load_state, load_states


class MovementSummary(View):
    """One line of the list of movements."""

    movement_id: str
    title: str = Field(description="Tên phong trào thi đua.")
    launched_by: Launcher = Field(description="Cấp phát động.")
    kind: MovementKind = Field(description="Thường xuyên or chuyên đề.")
    status: str = Field(description="open or closed.")
    period_start: date
    period_end: date | None
    launched_on: date
    closed_on: date | None
    stream_version: int = Field(description="The movement stream's version (its ETag).")


class MovementDetail(MovementSummary):
    """A movement with its scope, criteria and deadlines."""

    scope: UnitScope = Field(description="Phạm vi, đối tượng thi đua.")
    criteria: str = Field(description="Nội dung, tiêu chí thi đua.")
    decision_ref: str | None
    responds_to: str | None
    registration_deadline: date | None
    annual_registration_deadline: str


class TargetDetail(TargetView):
    """A target with its last published numbers (chỉ tiêu và tiến độ thực hiện)."""

    movement_id: str | None = Field(description="Its movement, or null for a year target.")
    scope: UnitScope | None = Field(description="Units counted.")
    training_code: str | None
    set_on: date | None
    metric_label: str | None = Field(description="The metric in Vietnamese.")
    stream_version: int = Field(description="The target stream's version.")


def _summary(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "movement_id": row["movement_id"], "title": row["title"], "launched_by": row["launched_by"],
        "kind": row["kind"], "status": row["status"], "period_start": row["period_start"],
        "period_end": row["period_end"], "launched_on": row["launched_on"], "closed_on": row["closed_on"],
        "stream_version": row["stream_version"],
    }


async def list_movements(
    conn: asyncpg.Connection, *, status: str | None = None, launched_by: str | None = None, year: int | None = None
) -> list[MovementSummary]:
    """Movements, newest launch first; ``year`` keeps those whose period covers it."""
    rows = await conn.fetch(
        """
        SELECT * FROM movements
        WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR launched_by = $2)
          AND ($3::int IS NULL OR (extract(year FROM period_start) <= $3
                                   AND (period_end IS NULL OR extract(year FROM period_end) >= $3)))
        ORDER BY launched_on DESC, movement_id
        """,
        status, launched_by, year,
    )
    return [MovementSummary(**_summary(row)) for row in rows]


async def movement_state(conn: asyncpg.Connection, movement_id: str) -> tuple[MovementState, int]:
    """A movement's state and stream version, or ``movement_not_found``."""
    row = await conn.fetchrow("SELECT state, stream_version FROM movements WHERE movement_id = $1", movement_id)
    if row is None:
        raise NotFound("movement_not_found", f"Movement (phong trào thi đua) {movement_id!r} does not exist.",
                       movement_id=movement_id)
    return load_state(MovementState, row["state"]), row["stream_version"]


async def movement_detail(conn: asyncpg.Connection, movement_id: str) -> MovementDetail:
    """One movement."""
    row = await conn.fetchrow("SELECT * FROM movements WHERE movement_id = $1", movement_id)
    if row is None:
        raise NotFound("movement_not_found", f"Movement (phong trào thi đua) {movement_id!r} does not exist.",
                       movement_id=movement_id)
    s = load_state(MovementState, row["state"])
    return MovementDetail(
        **_summary(row), scope=s.scope, criteria=s.criteria, decision_ref=s.decision_ref, responds_to=s.responds_to,
        registration_deadline=s.registration_deadline, annual_registration_deadline=s.annual_registration_deadline,
    )


async def dashboard(conn: asyncpg.Connection, movement_id: str, year: int | None = None) -> MovementDashboard:
    """A movement's dashboard: targets and progress, registrations, pledges."""
    movement, _ = await movement_state(conn, movement_id)
    targets = await load_states(conn, TargetState, "SELECT state FROM targets WHERE movement_id = $1", movement_id)
    registrations = await load_states(
        conn, RegistrationState, "SELECT state FROM registrations WHERE movement_id = $1 AND active", movement_id
    )
    pledges = await load_states(conn, PledgeState, "SELECT state FROM pledges WHERE movement_id = $1", movement_id)
    return movement_dashboard(movement, targets=targets, registrations=registrations, pledges=pledges, year=year)


def _target_detail(state: TargetState, version: int) -> TargetDetail:
    return TargetDetail(
        **target_view(state).model_dump(),
        movement_id=state.movement_id,
        scope=state.scope,
        training_code=state.training_code,
        set_on=state.set_on,
        metric_label=state.metric.label_vi if isinstance(state.metric, TargetMetric) else None,
        stream_version=version,
    )


async def target(conn: asyncpg.Connection, target_id: str) -> TargetDetail:
    """One target and its last published numbers."""
    row = await conn.fetchrow("SELECT state, stream_version FROM targets WHERE target_id = $1", target_id)
    if row is None:
        raise NotFound("target_not_found", f"Target (chỉ tiêu) {target_id!r} does not exist.", target_id=target_id)
    return _target_detail(load_state(TargetState, row["state"]), row["stream_version"])


async def list_targets(
    conn: asyncpg.Connection, *, year: int | None = None, movement_id: str | None = None
) -> list[TargetDetail]:
    """Targets of a year and/or a movement."""
    rows = await conn.fetch(
        "SELECT state, stream_version FROM targets WHERE ($1::int IS NULL OR year = $1) "
        "AND ($2::text IS NULL OR movement_id = $2) ORDER BY year, target_id",
        year, movement_id,
    )
    return [_target_detail(load_state(TargetState, row["state"]), row["stream_version"]) for row in rows]


async def overview_of_unit(conn: asyncpg.Connection, unit_id: str) -> UnitOverview:
    """A unit's active registrations and the pledges it is party to (by name of unit,
    or as a member of the pledge's cluster that year)."""
    registrations = await load_states(
        conn, RegistrationState, "SELECT state FROM registrations WHERE unit_id = $1 AND active", unit_id
    )
    clusters = await load_states(conn, ClusterState, "SELECT state FROM clusters WHERE $1 = ANY(member_ids)", unit_id)
    pledges = await load_states(
        conn, PledgeState,
        "SELECT state FROM pledges WHERE $1 = ANY(party_unit_ids) OR cluster_id = ANY($2::text[])",
        unit_id, [c.cluster_id for c in clusters],
    )
    return unit_overview(unit_id, registrations=registrations, pledges=pledges, clusters=clusters)


async def ranking(conn: asyncpg.Connection, cluster_id: str, year: int) -> ClusterRanking:
    """A cluster's members, lead and ranking for a year."""
    row = await conn.fetchrow("SELECT state FROM clusters WHERE cluster_id = $1", cluster_id)
    if row is None:
        raise NotFound("cluster_not_found", f"Cluster (cụm, khối thi đua) {cluster_id!r} does not exist.",
                       cluster_id=cluster_id)
    return cluster_ranking(load_state(ClusterState, row["state"]), year)


async def pledge(conn: asyncpg.Connection, pledge_id: str) -> PledgeStatus:
    """A pledge, its clauses and the latest assessment of each."""
    row = await conn.fetchrow("SELECT state FROM pledges WHERE pledge_id = $1", pledge_id)
    if row is None:
        raise NotFound("pledge_not_found", f"Pledge (giao ước thi đua) {pledge_id!r} does not exist.",
                       pledge_id=pledge_id)
    return pledge_status(load_state(PledgeState, row["state"]))


__all__ = [
    "MovementDetail",
    "MovementSummary",
    "TargetDetail",
    "dashboard",
    "list_movements",
    "list_targets",
    "movement_detail",
    "overview_of_unit",
    "pledge",
    "ranking",
    "target",
]
