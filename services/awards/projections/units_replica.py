"""The awards service's replica of the units context: the facts eligibility depends on.

:class:`UnitsReplica` reads ``tdkt.units.events`` and ``tdkt.units.internal``
(discipline is published on the internal topic only) and keeps, in a schema of
its own so that it can be rebuilt from Kafka while the service answers
(:func:`kernel.replay.rebuild`):

- ``units``, ``unit_names``, ``unit_parents``: the organisation tree over time
  (establishment, renames, moves, merges, dissolution), each change dated by
  its ``effective_on``;
- ``unit_grades`` and ``person_grades``: the grade in force per subject and
  year (xếp loại chất lượng), corrections applied, with the grade first recorded;
- ``people`` and ``postings``: who a person is (sex, date of birth, date they
  joined the sector) and every unit they were recorded in, dated — enrolment,
  transfers and leaving are all postings, so "where was this person on a day"
  is one ordered read;
- ``disciplines`` and ``discipline_endings``: form and period of each
  discipline, and how it ended (an annulment, *hủy bỏ*, means never in force).
  The reason (personal data) is not kept: no criterion reads it;
- ``initiatives`` and ``initiative_authors``: recognised initiatives and
  research works with their level and year.

Why the tables look like this: each event is written as an upsert on a
natural key, so applying one twice changes nothing (the kernel already skips
redeliveries; this also covers a producer that re-sent a fact under a new
event id). Facts that could meet out of order across topics (a discipline's
end and its imposition, a grade and its correction) are kept side by side or
guarded by the stream version, never folded in arrival order. Event types the
awards context does not need are skipped without being parsed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import asyncpg
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue import units as u

UNITS_TOPICS = ("tdkt.units.events", "tdkt.units.internal")

UNITS_REPLICA_SQL = """
CREATE TABLE IF NOT EXISTS units (
    unit_id        text PRIMARY KEY,
    code           text NOT NULL,
    kind           text NOT NULL,
    established_on date NOT NULL,
    merged_into    text,
    merged_on      date,
    dissolved_on   date
);
CREATE TABLE IF NOT EXISTS unit_names (
    unit_id      text NOT NULL,
    effective_on date NOT NULL,
    seq          integer NOT NULL,
    name         text NOT NULL,
    PRIMARY KEY (unit_id, effective_on)
);
CREATE TABLE IF NOT EXISTS unit_parents (
    unit_id      text NOT NULL,
    effective_on date NOT NULL,
    seq          integer NOT NULL,
    parent_id    text,
    PRIMARY KEY (unit_id, effective_on)
);
CREATE TABLE IF NOT EXISTS unit_grades (
    unit_id         text NOT NULL,
    year            integer NOT NULL,
    grade           text NOT NULL,
    recorded_grade  text NOT NULL,
    corrected       boolean NOT NULL,
    decision_number text,
    seq             integer NOT NULL,
    PRIMARY KEY (unit_id, year)
);
CREATE TABLE IF NOT EXISTS people (
    person_id        text PRIMARY KEY,
    full_name        text NOT NULL,
    sector_joined_on date NOT NULL,
    staff_category   text NOT NULL,
    seq              integer NOT NULL
);
-- From the internal topic (person.profile-recorded): what the rules read of a person's profile.
-- Union membership is not kept: no rule reads it.
CREATE TABLE IF NOT EXISTS person_profiles (
    person_id        text PRIMARY KEY,
    sex              text NOT NULL,
    date_of_birth    date NOT NULL,
    seq              integer NOT NULL
);
-- kind: enrolled | transferred | left (unit_id null: no longer on the staff).
CREATE TABLE IF NOT EXISTS postings (
    person_id    text NOT NULL,
    effective_on date NOT NULL,
    kind         text NOT NULL,
    seq          integer NOT NULL,
    unit_id      text,
    position     text,
    PRIMARY KEY (person_id, effective_on, kind)
);
CREATE INDEX IF NOT EXISTS postings_unit ON postings (unit_id);
CREATE TABLE IF NOT EXISTS person_grades (
    person_id       text NOT NULL,
    year            integer NOT NULL,
    grade           text NOT NULL,
    recorded_grade  text NOT NULL,
    corrected       boolean NOT NULL,
    unit_id         text,
    decision_number text,
    seq             integer NOT NULL,
    PRIMARY KEY (person_id, year)
);
CREATE INDEX IF NOT EXISTS person_grades_unit ON person_grades (unit_id, year);
CREATE TABLE IF NOT EXISTS disciplines (
    person_id       text NOT NULL,
    discipline_id   text NOT NULL,
    form            text NOT NULL,
    decision_number text NOT NULL,
    decided_on      date NOT NULL,
    starts_on       date NOT NULL,
    ends_on         date,
    PRIMARY KEY (person_id, discipline_id)
);
CREATE TABLE IF NOT EXISTS discipline_endings (
    person_id     text NOT NULL,
    discipline_id text NOT NULL,
    ended_on      date NOT NULL,
    ending        text NOT NULL,
    PRIMARY KEY (person_id, discipline_id)
);
CREATE TABLE IF NOT EXISTS initiatives (
    initiative_id   text PRIMARY KEY,
    kind            text NOT NULL,
    level           text NOT NULL,
    year            integer NOT NULL,
    title           text NOT NULL,
    decision_number text NOT NULL,
    decided_on      date NOT NULL,
    unit_id         text NOT NULL,
    seq             integer NOT NULL
);
CREATE TABLE IF NOT EXISTS initiative_authors (
    initiative_id text NOT NULL,
    person_id     text NOT NULL,
    ordinal       integer NOT NULL,
    PRIMARY KEY (initiative_id, person_id)
);
CREATE INDEX IF NOT EXISTS initiative_authors_person ON initiative_authors (person_id);
"""

Apply = Callable[[asyncpg.Connection, Any, int], Awaitable[None]]


async def _unit_established(conn: asyncpg.Connection, e: u.UnitEstablished, seq: int) -> None:
    await conn.execute(
        "INSERT INTO units (unit_id, code, kind, established_on) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (unit_id) DO UPDATE SET code = excluded.code, kind = excluded.kind, "
        "established_on = excluded.established_on",
        e.unit_id, e.code, e.kind.value, e.effective_on,
    )
    await _name(conn, e.unit_id, e.effective_on, seq, e.name)
    await _parent(conn, e.unit_id, e.effective_on, seq, e.parent_id)


async def _name(conn: asyncpg.Connection, unit_id: str, on: Any, seq: int, name: str) -> None:
    await conn.execute(
        "INSERT INTO unit_names (unit_id, effective_on, seq, name) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (unit_id, effective_on) DO UPDATE SET name = excluded.name, seq = excluded.seq "
        "WHERE unit_names.seq <= excluded.seq",
        unit_id, on, seq, name,
    )


async def _parent(conn: asyncpg.Connection, unit_id: str, on: Any, seq: int, parent_id: str | None) -> None:
    await conn.execute(
        "INSERT INTO unit_parents (unit_id, effective_on, seq, parent_id) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (unit_id, effective_on) DO UPDATE SET parent_id = excluded.parent_id, seq = excluded.seq "
        "WHERE unit_parents.seq <= excluded.seq",
        unit_id, on, seq, parent_id,
    )


async def _unit_renamed(conn: asyncpg.Connection, e: u.UnitRenamed, seq: int) -> None:
    await _name(conn, e.unit_id, e.effective_on, seq, e.name)


async def _unit_moved(conn: asyncpg.Connection, e: u.UnitMoved, seq: int) -> None:
    await _parent(conn, e.unit_id, e.effective_on, seq, e.parent_id)


async def _unit_merged(conn: asyncpg.Connection, e: u.UnitMerged, seq: int) -> None:
    # The unit stream is ordered on one partition, so its establishment is already here.
    await conn.execute(
        "UPDATE units SET merged_into = $2, merged_on = $3 WHERE unit_id = $1", e.unit_id, e.into_unit_id,
        e.effective_on,
    )


async def _unit_dissolved(conn: asyncpg.Connection, e: u.UnitDissolved, seq: int) -> None:
    await conn.execute("UPDATE units SET dissolved_on = $2 WHERE unit_id = $1", e.unit_id, e.effective_on)


async def _unit_graded(conn: asyncpg.Connection, e: u.UnitEvaluationRecorded, seq: int) -> None:
    await conn.execute(
        "INSERT INTO unit_grades (unit_id, year, grade, recorded_grade, corrected, decision_number, seq) "
        "VALUES ($1, $2, $3, $3, false, $4, $5) "
        "ON CONFLICT (unit_id, year) DO UPDATE SET grade = excluded.grade, recorded_grade = excluded.recorded_grade, "
        "corrected = false, decision_number = excluded.decision_number, seq = excluded.seq "
        "WHERE unit_grades.seq <= excluded.seq",
        e.unit_id, e.year, e.grade.value, e.decision_number, seq,
    )


async def _unit_regraded(conn: asyncpg.Connection, e: u.UnitEvaluationCorrected, seq: int) -> None:
    await conn.execute(
        "INSERT INTO unit_grades (unit_id, year, grade, recorded_grade, corrected, decision_number, seq) "
        "VALUES ($1, $2, $3, $4, true, $5, $6) "
        "ON CONFLICT (unit_id, year) DO UPDATE SET grade = excluded.grade, corrected = true, "
        "decision_number = coalesce(excluded.decision_number, unit_grades.decision_number), seq = excluded.seq "
        "WHERE unit_grades.seq <= excluded.seq",
        e.unit_id, e.year, e.grade.value, e.previous_grade.value, e.decision_number, seq,
    )


async def _posting(
    conn: asyncpg.Connection, person_id: str, on: Any, kind: str, seq: int, unit_id: str | None, position: str | None
) -> None:
    await conn.execute(
        "INSERT INTO postings (person_id, effective_on, kind, seq, unit_id, position) VALUES ($1, $2, $3, $4, $5, $6) "
        "ON CONFLICT (person_id, effective_on, kind) DO UPDATE SET seq = excluded.seq, unit_id = excluded.unit_id, "
        "position = excluded.position WHERE postings.seq <= excluded.seq",
        person_id, on, kind, seq, unit_id, position,
    )


async def _person_enrolled(conn: asyncpg.Connection, e: u.PersonEnrolled, seq: int) -> None:
    await conn.execute(
        "INSERT INTO people (person_id, full_name, sector_joined_on, staff_category, seq) "
        "VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (person_id) DO UPDATE SET full_name = excluded.full_name, "
        "sector_joined_on = excluded.sector_joined_on, "
        "staff_category = excluded.staff_category, seq = excluded.seq WHERE people.seq <= excluded.seq",
        e.person_id, e.full_name, e.sector_joined_on, e.staff_category.value, seq,
    )
    await _posting(conn, e.person_id, e.effective_on, "enrolled", seq, e.unit_id, e.position)


async def _person_profile(conn: asyncpg.Connection, e: u.PersonProfileRecorded, seq: int) -> None:
    await conn.execute(
        "INSERT INTO person_profiles (person_id, sex, date_of_birth, seq) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (person_id) DO UPDATE SET sex = excluded.sex, date_of_birth = excluded.date_of_birth, "
        "seq = excluded.seq WHERE person_profiles.seq <= excluded.seq",
        e.person_id, e.sex.value, e.date_of_birth, seq,
    )


async def _person_transferred(conn: asyncpg.Connection, e: u.PersonTransferred, seq: int) -> None:
    await _posting(conn, e.person_id, e.effective_on, "transferred", seq, e.to_unit_id, e.position)


async def _person_left(conn: asyncpg.Connection, e: u.PersonLeft, seq: int) -> None:
    await _posting(conn, e.person_id, e.effective_on, "left", seq, None, None)


async def _person_graded(conn: asyncpg.Connection, e: u.PersonEvaluationRecorded, seq: int) -> None:
    await conn.execute(
        "INSERT INTO person_grades (person_id, year, grade, recorded_grade, corrected, unit_id, decision_number, seq) "
        "VALUES ($1, $2, $3, $3, false, $4, $5, $6) "
        "ON CONFLICT (person_id, year) DO UPDATE SET grade = excluded.grade, recorded_grade = excluded.recorded_grade, "
        "corrected = false, unit_id = excluded.unit_id, decision_number = excluded.decision_number, "
        "seq = excluded.seq WHERE person_grades.seq <= excluded.seq",
        e.person_id, e.year, e.grade.value, e.unit_id, e.decision_number, seq,
    )


async def _person_regraded(conn: asyncpg.Connection, e: u.PersonEvaluationCorrected, seq: int) -> None:
    await conn.execute(
        "INSERT INTO person_grades (person_id, year, grade, recorded_grade, corrected, unit_id, decision_number, seq) "
        "VALUES ($1, $2, $3, $4, true, $5, $6, $7) "
        "ON CONFLICT (person_id, year) DO UPDATE SET grade = excluded.grade, corrected = true, "
        "unit_id = excluded.unit_id, "
        "decision_number = coalesce(excluded.decision_number, person_grades.decision_number), seq = excluded.seq "
        "WHERE person_grades.seq <= excluded.seq",
        e.person_id, e.year, e.grade.value, e.previous_grade.value, e.unit_id, e.decision_number, seq,
    )


async def _discipline_imposed(conn: asyncpg.Connection, e: u.DisciplineImposed, seq: int) -> None:
    await conn.execute(
        "INSERT INTO disciplines (person_id, discipline_id, form, decision_number, decided_on, starts_on, ends_on) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7) "
        "ON CONFLICT (person_id, discipline_id) DO UPDATE SET form = excluded.form, "
        "decision_number = excluded.decision_number, decided_on = excluded.decided_on, "
        "starts_on = excluded.starts_on, ends_on = excluded.ends_on",
        e.person_id, e.discipline_id, e.form.value, e.decision_number, e.decided_on, e.starts_on, e.ends_on,
    )


async def _discipline_ended(conn: asyncpg.Connection, e: u.DisciplineEnded, seq: int) -> None:
    # Kept beside the imposition rather than folded into it: the loader joins the two,
    # so the answer does not depend on which of them was applied first.
    await conn.execute(
        "INSERT INTO discipline_endings (person_id, discipline_id, ended_on, ending) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (person_id, discipline_id) DO UPDATE SET ended_on = excluded.ended_on, ending = excluded.ending",
        e.person_id, e.discipline_id, e.ended_on, e.ending.value,
    )


async def _initiative_recognized(conn: asyncpg.Connection, e: u.InitiativeRecognized, seq: int) -> None:
    applied = await conn.fetchval(
        "INSERT INTO initiatives (initiative_id, kind, level, year, title, decision_number, decided_on, unit_id, seq) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
        "ON CONFLICT (initiative_id) DO UPDATE SET kind = excluded.kind, level = excluded.level, "
        "year = excluded.year, title = excluded.title, decision_number = excluded.decision_number, "
        "decided_on = excluded.decided_on, unit_id = excluded.unit_id, seq = excluded.seq "
        "WHERE initiatives.seq <= excluded.seq RETURNING true",
        e.initiative_id, e.kind.value, e.level.value, e.year, e.title, e.decision_number, e.decided_on, e.unit_id, seq,
    )
    if not applied:
        return  # an older recognition arriving late: the newer one's authors stand
    await conn.execute("DELETE FROM initiative_authors WHERE initiative_id = $1", e.initiative_id)
    authors = list(dict.fromkeys(e.author_ids))  # a person listed twice is one author
    await conn.executemany(
        "INSERT INTO initiative_authors (initiative_id, person_id, ordinal) VALUES ($1, $2, $3)",
        [(e.initiative_id, person_id, i) for i, person_id in enumerate(authors)],
    )


APPLY: Mapping[str, Apply] = {
    u.UnitEstablished.event_type: _unit_established,
    u.UnitRenamed.event_type: _unit_renamed,
    u.UnitMoved.event_type: _unit_moved,
    u.UnitMerged.event_type: _unit_merged,
    u.UnitDissolved.event_type: _unit_dissolved,
    u.UnitEvaluationRecorded.event_type: _unit_graded,
    u.UnitEvaluationCorrected.event_type: _unit_regraded,
    u.PersonEnrolled.event_type: _person_enrolled,
    u.PersonProfileRecorded.event_type: _person_profile,
    u.PersonTransferred.event_type: _person_transferred,
    u.PersonLeft.event_type: _person_left,
    u.PersonEvaluationRecorded.event_type: _person_graded,
    u.PersonEvaluationCorrected.event_type: _person_regraded,
    u.DisciplineImposed.event_type: _discipline_imposed,
    u.DisciplineEnded.event_type: _discipline_ended,
    u.InitiativeRecognized.event_type: _initiative_recognized,
}
"""Every units event type the replica applies; the others are skipped unparsed."""


class UnitsReplica:
    """Keeps the units context's facts (tree, people, grades, discipline, initiatives) for the engine."""

    name = "awards-units-replica"
    topics = UNITS_TOPICS

    def __init__(self, schema: str | None) -> None:
        # A schema of its own: kernel.replay.rebuild can then refill a copy and swap it in.
        self.schema = schema

    async def setup(self, conn: asyncpg.Connection) -> None:
        """Create the replica's tables in the handler's schema (the runtime set the search path)."""
        await conn.execute(UNITS_REPLICA_SQL)

    async def handle(self, conn: asyncpg.Connection, event: Envelope) -> None:
        """Apply one units event; other types are ignored without parsing them."""
        apply = APPLY.get(event.type)
        if apply is None:
            return
        seq = event.stream_version or 0
        payload: EventPayload = event.payload()
        await apply(conn, payload, seq)
        # History: a version-1 enrolment also carried the profile that now comes on the internal topic.
        for moved in u.moved_to_internal(event.type, event.schema_version, event.data):
            await APPLY[moved.event_type](conn, moved, seq)
