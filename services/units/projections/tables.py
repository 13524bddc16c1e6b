"""The units service's own query tables, kept in the same transaction as the events.

One row per aggregate, holding its folded state as JSON (the exact state the
decision functions need) plus a few columns for lookups:

- ``unit_states``: every unit (the :class:`OrgTree` is built from all rows);
- ``person_states``: every person, with the ids of every unit they were ever
  recorded in (``unit_ids``, GIN-indexed) so that "the people of these units"
  is one indexed query, and the dates that bound the years they count in;
- ``person_grades``: one row per person and year (the grade in force), so
  "who has a grade for this year" needs no folding;
- ``initiatives``: recognised initiatives, with their authors (GIN-indexed)
  for a person's record.

:func:`project` is the only writer: it folds recorded events onto the stored
states, so the tables can always be rebuilt from the event store
(:func:`rebuild`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import asyncpg
from tdkt_contracts import EventPayload, parse
from tdkt_contracts.catalogue.units import InitiativeRecognized, moved_to_internal

from kernel.aggregate import fold
from kernel.eventstore import RecordedEvent

from ..domain import InitiativeState, OrgTree, PersonState, UnitState
from ..domain.tree import UNIT_EVENTS

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS unit_states (
    unit_id        text PRIMARY KEY,
    code           text NOT NULL,
    name           text NOT NULL,
    status         text NOT NULL,
    parent_id      text,
    merged_into    text,
    established_on date,
    closed_on      date,
    version        integer NOT NULL,
    state          jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS unit_states_code ON unit_states (upper(code));
CREATE INDEX IF NOT EXISTS unit_states_parent ON unit_states (parent_id);

CREATE TABLE IF NOT EXISTS person_states (
    person_id   text PRIMARY KEY,
    full_name   text NOT NULL,
    unit_id     text,
    unit_ids    text[] NOT NULL,
    first_start date,
    left_on     date,
    version     integer NOT NULL,
    state       jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS person_states_unit_ids ON person_states USING gin (unit_ids);
CREATE INDEX IF NOT EXISTS person_states_unit ON person_states (unit_id);

CREATE TABLE IF NOT EXISTS person_grades (
    person_id      text NOT NULL,
    year           integer NOT NULL,
    grade          text NOT NULL,
    recorded_grade text NOT NULL,
    unit_id        text,
    corrected      boolean NOT NULL,
    PRIMARY KEY (person_id, year)
);
CREATE INDEX IF NOT EXISTS person_grades_year ON person_grades (year, unit_id);

CREATE TABLE IF NOT EXISTS initiatives (
    initiative_id text PRIMARY KEY,
    year          integer,
    unit_id       text,
    author_ids    text[] NOT NULL,
    version       integer NOT NULL,
    state         jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS initiatives_authors ON initiatives USING gin (author_ids);
"""

PERSON_PREFIX = "vn.tdkt.units.person."
UNIT_PREFIX = "vn.tdkt.units.unit."
INITIATIVE_PREFIX = "vn.tdkt.units.initiative."


def read_event(event_type: str, schema_version: int, payload: dict[str, Any]) -> list[EventPayload]:
    """A stored event as the current models: upcast, plus what an older version carried that now travels as
    its own internal event (a version-1 enrolment is also the person's profile)."""
    return [parse(event_type, schema_version, payload), *moved_to_internal(event_type, schema_version, payload)]


def aggregate_of(event_type: str) -> str | None:
    """``unit``, ``person`` or ``initiative``: which aggregate an event type belongs to."""
    for prefix, kind in ((UNIT_PREFIX, "unit"), (PERSON_PREFIX, "person"), (INITIATIVE_PREFIX, "initiative")):
        if event_type.startswith(prefix):
            return kind
    return None


# --------------------------------------------------------------------------- writing


async def project(conn: asyncpg.Connection, recorded: Sequence[RecordedEvent]) -> None:
    """Fold freshly appended events onto the stored states, in the caller's transaction.

    Batched: one read and one write per table whatever the number of events,
    so a 5,000-row import costs the same few statements as one command.
    """
    payloads = [(e.stream_id, p) for e in recorded for p in read_event(e.event_type, e.schema_version, e.payload)]
    await apply_payloads(conn, payloads)


async def apply_payloads(conn: asyncpg.Connection, payloads: Sequence[tuple[str, EventPayload]]) -> None:
    """Fold ``(stream_id, event)`` pairs (in stream order per stream) onto the stored states."""
    units: dict[str, list[EventPayload]] = defaultdict(list)
    people: dict[str, list[EventPayload]] = defaultdict(list)
    initiatives: dict[str, list[EventPayload]] = defaultdict(list)
    for stream_id, event in payloads:
        if isinstance(event, UNIT_EVENTS):
            units[stream_id].append(event)
        elif isinstance(event, InitiativeRecognized):
            initiatives[stream_id].append(event)
        elif event.event_type.startswith(PERSON_PREFIX):
            people[stream_id].append(event)
    if units:
        current = await load_units(conn, list(units))
        await save_units(conn, [fold(current.get(i) or UnitState.initial(i), evs) for i, evs in units.items()])
    if people:
        known = await load_people(conn, list(people))
        await save_people(conn, [fold(known.get(i) or PersonState.initial(i), evs) for i, evs in people.items()])
    if initiatives:
        found = await load_initiatives(conn, list(initiatives))
        await save_initiatives(
            conn, [fold(found.get(i) or InitiativeState.initial(i), evs) for i, evs in initiatives.items()]
        )




async def save_units(conn: asyncpg.Connection, states: Sequence[UnitState]) -> None:
    """Upsert unit rows (one statement)."""
    states = [s for s in states if s.exists]
    if not states:
        return
    await conn.execute(
        """
        INSERT INTO unit_states (unit_id, code, name, status, parent_id, merged_into, established_on, closed_on,
                                 version, state)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::date[],
                             $8::date[], $9::int[], $10::jsonb[])
        ON CONFLICT (unit_id) DO UPDATE SET
            code = excluded.code, name = excluded.name, status = excluded.status, parent_id = excluded.parent_id,
            merged_into = excluded.merged_into, established_on = excluded.established_on,
            closed_on = excluded.closed_on, version = excluded.version, state = excluded.state
        """,
        [s.unit_id for s in states],
        [s.code for s in states],
        [s.name for s in states],
        [s.status.value for s in states],
        [s.parent_id for s in states],
        [s.merged_into for s in states],
        [s.established_on for s in states],
        [s.closed_on for s in states],
        [s.version for s in states],
        [s.model_dump(mode="json") for s in states],
    )


async def save_people(conn: asyncpg.Connection, states: Sequence[PersonState]) -> None:
    """Upsert person rows and replace their grade rows (a few statements for any number of people)."""
    states = [s for s in states if s.exists]
    if not states:
        return
    await conn.execute(
        """
        INSERT INTO person_states (person_id, full_name, unit_id, unit_ids, first_start, left_on, version, state)
        SELECT p.id, p.name, p.unit, ARRAY(SELECT jsonb_array_elements_text(p.units::jsonb)), p.first_start, p.left_on,
               p.version, p.state
        FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::date[], $7::int[],
                    $8::jsonb[]) AS p(id, name, unit, units, first_start, left_on, version, state)
        ON CONFLICT (person_id) DO UPDATE SET
            full_name = excluded.full_name, unit_id = excluded.unit_id, unit_ids = excluded.unit_ids,
            first_start = excluded.first_start, left_on = excluded.left_on, version = excluded.version,
            state = excluded.state
        """,
        [s.person_id for s in states],
        [s.full_name for s in states],
        [s.unit_id for s in states],
        # text[][] cannot be ragged, so each person's unit ids travel as JSON array text.
        [json.dumps(sorted({st.unit_id for st in s.stints})) for s in states],
        [s.stints[0].start if s.stints else None for s in states],
        [s.left_on for s in states],
        [s.version for s in states],
        [s.model_dump(mode="json") for s in states],
    )
    await conn.execute("DELETE FROM person_grades WHERE person_id = ANY($1::text[])", [s.person_id for s in states])
    grades = [(s.person_id, r) for s in states for r in s.evaluations]
    if grades:
        await conn.execute(
            """
            INSERT INTO person_grades (person_id, year, grade, recorded_grade, unit_id, corrected)
            SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::bool[])
            """,
            [p for p, _ in grades],
            [r.year for _, r in grades],
            [r.grade.value for _, r in grades],
            [r.recorded_grade.value for _, r in grades],
            [r.unit_id for _, r in grades],
            [r.corrected for _, r in grades],
        )


async def save_initiatives(conn: asyncpg.Connection, states: Sequence[InitiativeState]) -> None:
    """Upsert initiative rows."""
    states = [s for s in states if s.exists]
    if not states:
        return
    await conn.execute(
        """
        INSERT INTO initiatives (initiative_id, year, unit_id, author_ids, version, state)
        SELECT i.id, i.year, i.unit, ARRAY(SELECT jsonb_array_elements_text(i.authors::jsonb)), i.version, i.state
        FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[], $6::jsonb[])
             AS i(id, year, unit, authors, version, state)
        ON CONFLICT (initiative_id) DO UPDATE SET
            year = excluded.year, unit_id = excluded.unit_id, author_ids = excluded.author_ids,
            version = excluded.version, state = excluded.state
        """,
        [s.initiative_id for s in states],
        [s.year for s in states],
        [s.unit_id for s in states],
        [json.dumps(list(s.author_ids)) for s in states],
        [s.version for s in states],
        [s.model_dump(mode="json") for s in states],
    )


async def rebuild(conn: asyncpg.Connection, batch: int = 5000) -> int:
    """Empty the query tables and fold the whole event store again (in the caller's transaction).

    Returns the number of events folded. For repairs and schema changes of
    these tables; the events are the truth.
    """
    await conn.execute("TRUNCATE unit_states, person_states, person_grades, initiatives")
    folded = 0
    last: tuple[str, int] = ("", 0)
    while True:
        rows = await conn.fetch(
            """
            SELECT stream_id, stream_version, event_type, schema_version, payload FROM events
            WHERE (stream_id, stream_version) > ($1, $2) ORDER BY stream_id, stream_version LIMIT $3
            """,
            last[0],
            last[1],
            batch,
        )
        if not rows:
            return folded
        await apply_payloads(
            conn, [(r["stream_id"], p) for r in rows for p in read_event(r["event_type"], r["schema_version"], r["payload"])]
        )
        folded += len(rows)
        last = (rows[-1]["stream_id"], rows[-1]["stream_version"])


# --------------------------------------------------------------------------- reading


async def load_tree(conn: asyncpg.Connection) -> OrgTree:
    """Every unit, as the :class:`OrgTree` the decision functions and queries use."""
    rows = await conn.fetch("SELECT state FROM unit_states")
    return OrgTree(UnitState.model_validate(r["state"]) for r in rows)


async def load_units(conn: asyncpg.Connection, unit_ids: Sequence[str]) -> dict[str, UnitState]:
    rows = await conn.fetch("SELECT state FROM unit_states WHERE unit_id = ANY($1::text[])", list(unit_ids))
    states = [UnitState.model_validate(r["state"]) for r in rows]
    return {s.unit_id: s for s in states}


async def load_people(conn: asyncpg.Connection, person_ids: Sequence[str]) -> dict[str, PersonState]:
    rows = await conn.fetch("SELECT state FROM person_states WHERE person_id = ANY($1::text[])", list(person_ids))
    states = [PersonState.model_validate(r["state"]) for r in rows]
    return {s.person_id: s for s in states}


async def load_initiatives(conn: asyncpg.Connection, initiative_ids: Sequence[str]) -> dict[str, InitiativeState]:
    rows = await conn.fetch(
        "SELECT state FROM initiatives WHERE initiative_id = ANY($1::text[])", list(initiative_ids)
    )
    states = [InitiativeState.model_validate(r["state"]) for r in rows]
    return {s.initiative_id: s for s in states}


async def people_ever_in(conn: asyncpg.Connection, unit_ids: Iterable[str]) -> list[PersonState]:
    """Everyone ever recorded in one of ``unit_ids`` (a superset of their members on any date)."""
    rows = await conn.fetch("SELECT state FROM person_states WHERE unit_ids && $1::text[]", sorted(set(unit_ids)))
    return [PersonState.model_validate(r["state"]) for r in rows]


async def people_for_year(
    conn: asyncpg.Connection, year: int, unit_ids: Iterable[str] | None = None, *, with_grades: bool = False
) -> list[PersonState]:
    """The people who may count for ``year`` (on the staff at some time that year or
    before it ends), optionally only those ever in ``unit_ids``; with ``with_grades``
    also anyone holding a grade for that year. A superset: the domain decides who counts."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    units = sorted(set(unit_ids)) if unit_ids is not None else None
    rows = await conn.fetch(
        """
        SELECT state FROM person_states p
        WHERE (($1::text[] IS NULL OR p.unit_ids && $1::text[])
               AND p.first_start <= $3 AND (p.left_on IS NULL OR p.left_on > $2))
           OR ($4 AND EXISTS (SELECT 1 FROM person_grades g WHERE g.person_id = p.person_id AND g.year = $5))
        """,
        units,
        first,
        last,
        with_grades,
        year,
    )
    return [PersonState.model_validate(r["state"]) for r in rows]


async def initiatives_of(conn: asyncpg.Connection, person_id: str) -> list[InitiativeState]:
    rows = await conn.fetch("SELECT state FROM initiatives WHERE author_ids @> ARRAY[$1::text]", person_id)
    return [InitiativeState.model_validate(r["state"]) for r in rows]


