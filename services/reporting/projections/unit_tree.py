"""Read model ``unit_tree``: the organisation tree through time and the staff placements behind headcounts.

Only facts are stored, each with its effective date; the tree as of a day,
a unit's subtree, merges and the headcount of a year are computed at query
time (:mod:`services.reporting.tree`), because they combine facts of many
aggregates that Kafka delivers in no particular order.

Tables (schema ``<service schema>_rm_unit_tree``):

- ``units``: one row per unit: code, kind, establishment date;
- ``unit_names``: (unit, effective_on) → name, from establishment and renames;
- ``unit_parents``: (unit, effective_on) → parent, from establishment and moves;
- ``unit_ends``: the day a unit stopped existing: merged (with ``into_unit_id``) or dissolved;
- ``placements``: each person's enrolments, transfers and departures (one row per
  event, keyed by event id, ordered by effective date then stream version);
- ``person_grades``: the unit a person was graded in for a year (the latest of the
  recorded grade and its corrections), which counts people graded for a year they
  were not on the staff.
"""

from __future__ import annotations

from typing import ClassVar

import asyncpg
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue.units import (
    PersonEnrolled,
    PersonEvaluationCorrected,
    PersonEvaluationRecorded,
    PersonLeft,
    PersonTransferred,
    UnitDissolved,
    UnitEstablished,
    UnitMerged,
    UnitMoved,
    UnitRenamed,
)

from .base import Projection


class UnitTree(Projection):
    """The unit tree and headcount read model (see the module docstring)."""

    model: ClassVar[str] = "unit_tree"
    topics: ClassVar[tuple[str, ...]] = ("tdkt.units.events",)
    TABLES: ClassVar[tuple[str, ...]] = (
        "units", "unit_names", "unit_parents", "unit_ends", "placements", "person_grades", "rm_currency",
    )
    HANDLES: ClassVar[frozenset[str]] = frozenset(
        m.event_type
        for m in (
            UnitEstablished, UnitRenamed, UnitMoved, UnitMerged, UnitDissolved, PersonEnrolled, PersonTransferred,
            PersonLeft, PersonEvaluationRecorded, PersonEvaluationCorrected,
        )
    )
    DDL: ClassVar[tuple[str, ...]] = (
        """
        CREATE TABLE IF NOT EXISTS units (
            unit_id        text PRIMARY KEY,
            code           text NOT NULL,
            kind           text NOT NULL,
            established_on date NOT NULL
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS unit_names (
            unit_id      text NOT NULL,
            effective_on date NOT NULL,
            name         text NOT NULL,
            PRIMARY KEY (unit_id, effective_on)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS unit_parents (
            unit_id      text NOT NULL,
            effective_on date NOT NULL,
            parent_id    text,
            PRIMARY KEY (unit_id, effective_on)
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS unit_ends (
            unit_id      text PRIMARY KEY,
            ended_on     date NOT NULL,
            how          text NOT NULL CHECK (how IN ('merged', 'dissolved')),
            into_unit_id text
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS placements (
            event_id     uuid PRIMARY KEY,
            person_id    text    NOT NULL,
            effective_on date    NOT NULL,
            seq          integer NOT NULL,
            kind         text    NOT NULL CHECK (kind IN ('enrolled', 'transferred', 'left')),
            unit_id      text    NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS placements_person ON placements (person_id, effective_on, seq)",
        """
        CREATE TABLE IF NOT EXISTS person_grades (
            person_id text    NOT NULL,
            year      integer NOT NULL,
            unit_id   text    NOT NULL,
            grade     text    NOT NULL,
            PRIMARY KEY (person_id, year)
        )
        """,
    )

    async def apply(self, conn: asyncpg.Connection, event: Envelope, payload: EventPayload) -> None:
        """Record one unit or person fact."""
        seq = event.stream_version or 0
        if isinstance(payload, UnitEstablished):
            await conn.execute(
                "INSERT INTO units VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE SET code = excluded.code, "
                "kind = excluded.kind, established_on = excluded.established_on",
                payload.unit_id, payload.code, str(payload.kind), payload.effective_on,
            )
            await conn.execute(
                "INSERT INTO unit_names VALUES ($1, $2, $3) ON CONFLICT (unit_id, effective_on) DO UPDATE "
                "SET name = excluded.name",
                payload.unit_id, payload.effective_on, payload.name,
            )
            await conn.execute(
                "INSERT INTO unit_parents VALUES ($1, $2, $3) ON CONFLICT (unit_id, effective_on) DO UPDATE "
                "SET parent_id = excluded.parent_id",
                payload.unit_id, payload.effective_on, payload.parent_id,
            )
        elif isinstance(payload, UnitRenamed):
            # Events of one unit are ordered on its partition: a later rename on the same day wins.
            await conn.execute(
                "INSERT INTO unit_names VALUES ($1, $2, $3) ON CONFLICT (unit_id, effective_on) DO UPDATE "
                "SET name = excluded.name",
                payload.unit_id, payload.effective_on, payload.name,
            )
        elif isinstance(payload, UnitMoved):
            await conn.execute(
                "INSERT INTO unit_parents VALUES ($1, $2, $3) ON CONFLICT (unit_id, effective_on) DO UPDATE "
                "SET parent_id = excluded.parent_id",
                payload.unit_id, payload.effective_on, payload.parent_id,
            )
        elif isinstance(payload, (UnitMerged, UnitDissolved)):
            merged = isinstance(payload, UnitMerged)
            await conn.execute(
                "INSERT INTO unit_ends VALUES ($1, $2, $3, $4) ON CONFLICT (unit_id) DO UPDATE "
                "SET ended_on = excluded.ended_on, how = excluded.how, into_unit_id = excluded.into_unit_id",
                payload.unit_id, payload.effective_on, "merged" if merged else "dissolved",
                payload.into_unit_id if isinstance(payload, UnitMerged) else None,
            )
        elif isinstance(payload, (PersonEnrolled, PersonTransferred, PersonLeft)):
            if isinstance(payload, PersonEnrolled):
                kind, unit_id = "enrolled", payload.unit_id
            elif isinstance(payload, PersonTransferred):
                kind, unit_id = "transferred", payload.to_unit_id
            else:
                kind, unit_id = "left", payload.unit_id  # the last unit: where the person counts for the year left
            await conn.execute(
                "INSERT INTO placements VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                event.id, payload.person_id, payload.effective_on, seq, kind, unit_id,
            )
        elif isinstance(payload, (PersonEvaluationRecorded, PersonEvaluationCorrected)):
            await conn.execute(
                "INSERT INTO person_grades VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, year) DO UPDATE "
                "SET unit_id = excluded.unit_id, grade = excluded.grade",
                payload.person_id, payload.year, payload.unit_id, str(payload.grade),
            )
