"""The awards service's replica of the campaigns context: registrations and bloc results.

:class:`CampaignsReplica` reads ``tdkt.campaigns.events`` and keeps, in a
schema of its own (rebuildable from Kafka like the units replica):

- ``registrations`` and ``registered_people``: the titles each unit registered
  for a year (đăng ký thi đua) — its collective aims and, per person, the
  individual ones. A withdrawn registration is kept, marked, and no longer
  counts; a registration submitted again (same id) replaces what it listed.
  Some titles require a registration (CSTĐ Bộ from 2024);
- ``cluster_rankings``: the latest ranking of each emulation cluster or bloc
  (cụm, khối thi đua) per year; rank 1 is the unit the bloc put at its head
  (suy tôn dẫn đầu), which the Ministry's Emulation Flag requires.

Every other campaigns event type is skipped without being parsed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import asyncpg
from tdkt_contracts import Envelope
from tdkt_contracts.catalogue import campaigns as c

CAMPAIGNS_TOPICS = ("tdkt.campaigns.events",)

CAMPAIGNS_REPLICA_SQL = """
CREATE TABLE IF NOT EXISTS registrations (
    registration_id   text PRIMARY KEY,
    movement_id       text NOT NULL,
    unit_id           text NOT NULL,
    year              integer NOT NULL,
    collective_titles text[] NOT NULL,
    submitted_on      date NOT NULL,
    withdrawn         boolean NOT NULL,
    seq               integer NOT NULL
);
CREATE INDEX IF NOT EXISTS registrations_unit ON registrations (unit_id, year);
CREATE TABLE IF NOT EXISTS registered_people (
    registration_id text NOT NULL,
    person_id       text NOT NULL,
    code            text NOT NULL,
    PRIMARY KEY (registration_id, person_id, code)
);
CREATE INDEX IF NOT EXISTS registered_people_person ON registered_people (person_id);
CREATE TABLE IF NOT EXISTS cluster_rankings (
    cluster_id text NOT NULL,
    year       integer NOT NULL,
    unit_id    text NOT NULL,
    rank       integer NOT NULL,
    score      numeric NOT NULL,
    scored_on  date NOT NULL,
    PRIMARY KEY (cluster_id, year, unit_id)
);
CREATE INDEX IF NOT EXISTS cluster_rankings_unit ON cluster_rankings (unit_id, year);
"""

Apply = Callable[[asyncpg.Connection, Any, int], Awaitable[None]]


async def _submitted(conn: asyncpg.Connection, e: c.RegistrationSubmitted, seq: int) -> None:
    applied = await conn.fetchval(
        "INSERT INTO registrations (registration_id, movement_id, unit_id, year, collective_titles, submitted_on, "
        "withdrawn, seq) VALUES ($1, $2, $3, $4, $5, $6, false, $7) "
        "ON CONFLICT (registration_id) DO UPDATE SET movement_id = excluded.movement_id, unit_id = excluded.unit_id, "
        "year = excluded.year, collective_titles = excluded.collective_titles, submitted_on = excluded.submitted_on, "
        "withdrawn = false, seq = excluded.seq WHERE registrations.seq <= excluded.seq RETURNING true",
        e.registration_id, e.movement_id, e.unit_id, e.year, sorted(set(e.collective_titles)), e.submitted_on, seq,
    )
    if not applied:
        return  # a late older submission: the newer one's list stands
    await conn.execute("DELETE FROM registered_people WHERE registration_id = $1", e.registration_id)
    rows = {(e.registration_id, person.person_id, code) for person in e.individuals for code in person.titles}
    await conn.executemany(
        "INSERT INTO registered_people (registration_id, person_id, code) VALUES ($1, $2, $3)", sorted(rows)
    )


async def _withdrawn(conn: asyncpg.Connection, e: c.RegistrationWithdrawn, seq: int) -> None:
    await conn.execute(
        "UPDATE registrations SET withdrawn = true, seq = $2 WHERE registration_id = $1 AND seq <= $2",
        e.registration_id, seq,
    )


async def _scored(conn: asyncpg.Connection, e: c.ClusterScored, seq: int) -> None:
    # A re-scoring of the same year replaces the ranking as a whole.
    await conn.execute("DELETE FROM cluster_rankings WHERE cluster_id = $1 AND year = $2", e.cluster_id, e.year)
    await conn.executemany(
        "INSERT INTO cluster_rankings (cluster_id, year, unit_id, rank, score, scored_on) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        [(e.cluster_id, e.year, r.unit_id, r.rank, r.score, e.scored_on) for r in e.ranking],
    )


APPLY: Mapping[str, Apply] = {
    c.RegistrationSubmitted.event_type: _submitted,
    c.RegistrationWithdrawn.event_type: _withdrawn,
    c.ClusterScored.event_type: _scored,
}
"""Every campaigns event type the replica applies."""


class CampaignsReplica:
    """Keeps registrations and bloc rankings for the engine."""

    name = "awards-campaigns-replica"
    topics = CAMPAIGNS_TOPICS

    def __init__(self, schema: str | None) -> None:
        self.schema = schema

    async def setup(self, conn: asyncpg.Connection) -> None:
        """Create the replica's tables in the handler's schema."""
        await conn.execute(CAMPAIGNS_REPLICA_SQL)

    async def handle(self, conn: asyncpg.Connection, event: Envelope) -> None:
        """Apply one campaigns event; other types are ignored without parsing them."""
        apply = APPLY.get(event.type)
        if apply is None:
            return
        await apply(conn, event.payload(), event.stream_version or 0)
