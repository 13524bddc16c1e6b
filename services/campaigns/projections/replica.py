"""The tables behind the units replica: the log of the domain's *Fact models (one row
per fact) and the state they fold to (units, their parents and grades, people, their
units and grades, training reports), written in the same transaction as each fact.

Commands read the state in their own transaction (:func:`load_replica`, for the part
a decision needs); the process keeps nothing of it in memory, so the service's memory
does not grow with the number of facts.

Writers (the units subscriber, the training-report handler) and the commands that
compute progress from the replica all take :func:`lock_replica` first, for the
rest of their transaction. That one lock gives two guarantees:

* ``seq`` order is commit order, and the state tables are the fold of the log in
  ``seq`` order: a writer draws its ``seq`` values and changes the state only while it
  holds the lock;
* progress is computed by one transaction at a time, on the facts committed
  before it and its own, so two writers never publish numbers computed on
  different replicas for the same target.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from types import MappingProxyType
from typing import Any, NamedTuple

import asyncpg
import structlog
from tdkt_contracts.vocabulary import Grade

from ..domain import (
    PersonEnrolledFact,
    PersonEvaluationCorrectedFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    ReplicaNeeds,
    ReplicaState,
    TrainingReportFact,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationCorrectedFact,
    UnitEvaluationRecordedFact,
    UnitMergedFact,
    UnitMovedFact,
    UnitsFact,
)
from ..domain.replica import PersonRecord, UnitRecord

log = structlog.get_logger("campaigns.replica")

REPLICA_SQL = resources.files(__package__).joinpath("units_replica.sql").read_text()
"""Idempotent DDL of the replica's tables."""

FACT_TYPES: dict[str, type[UnitsFact]] = {
    cls.__name__: cls
    for cls in (
        UnitEstablishedFact,
        UnitMovedFact,
        UnitMergedFact,
        UnitDissolvedFact,
        UnitEvaluationRecordedFact,
        UnitEvaluationCorrectedFact,
        PersonEnrolledFact,
        PersonTransferredFact,
        PersonLeftFact,
        PersonEvaluationRecordedFact,
        PersonEvaluationCorrectedFact,
        TrainingReportFact,
    )
}
"""The fact classes by the name stored in ``fact_type``."""

FOLD_CHUNK = 5_000
"""Facts read at a time when the state is folded from the log (a first start)."""


async def lock_replica(conn: asyncpg.Connection) -> str:
    """Take the replica's lock until the end of the current transaction (re-entrant);
    return the transaction's id (as text), which tells one transaction from the next."""
    if not conn.is_in_transaction():
        raise RuntimeError("the replica lock is held for a transaction: take it inside one")
    # One key per schema: every test, and every deployment sharing a database, has its own.
    return str(
        await conn.fetchval(
            "SELECT pg_current_xact_id()::text FROM "
            "(SELECT pg_advisory_xact_lock(hashtext(current_schema() || '/campaigns.units_replica'))) AS locked"
        )
    )


# ---------------------------------------------------------------------------
# Writing: the log and the state, together
# ---------------------------------------------------------------------------


class FactRow(NamedTuple):
    """One fact to record, with the event it comes from."""

    event_id: uuid.UUID
    source_type: str
    subject: str
    fact: UnitsFact
    correlation_id: str | None = None


async def record_facts(conn: asyncpg.Connection, rows: Sequence[FactRow]) -> list[FactRow]:
    """Record the facts whose event was not recorded before, in order, and fold them into
    the state; return those. The caller holds :func:`lock_replica`. An event recorded
    before (its id is unique) changes nothing: applying it again could undo a later fact."""
    known = set(await conn.fetchval(
        "SELECT coalesce(array_agg(event_id), '{}') FROM units_replica_facts WHERE event_id = ANY($1::uuid[])",
        [row.event_id for row in rows],
    ))
    fresh: list[FactRow] = []
    for row in rows:
        if row.event_id not in known:
            known.add(row.event_id)
            fresh.append(row)
    if not fresh:
        return []
    await conn.executemany(
        "INSERT INTO units_replica_facts (event_id, source_type, subject, fact_type, fact, correlation_id) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        [(r.event_id, r.source_type, r.subject, type(r.fact).__name__, r.fact.model_dump(mode="json"),
          r.correlation_id) for r in fresh],
    )
    await _fold_into_state(conn, [r.fact for r in fresh])
    return fresh


# Each statement changes columns no other statement changes (the rows they create
# first aside), so running them kind by kind, each kind in the facts' order, gives the
# state folding the facts one by one gives (domain.replay_facts).
_UNIT_ROW = "INSERT INTO units_replica_units (unit_id) VALUES ($1) ON CONFLICT DO NOTHING"
_PERSON_ROW = "INSERT INTO units_replica_people (person_id) VALUES ($1) ON CONFLICT DO NOTHING"
_ESTABLISHED = "UPDATE units_replica_units SET established_on = $2 WHERE unit_id = $1"
_ENDED = "UPDATE units_replica_units SET ended_on = $2, merged_into = $3 WHERE unit_id = $1"
_PARENT = (
    "INSERT INTO units_replica_unit_parents (unit_id, from_day, parent_id) VALUES ($1, $2, $3) "
    "ON CONFLICT (unit_id, from_day) DO UPDATE SET parent_id = EXCLUDED.parent_id"
)
_UNIT_GRADE = (
    "INSERT INTO units_replica_unit_grades (unit_id, year, grade) VALUES ($1, $2, $3) "
    "ON CONFLICT (unit_id, year) DO UPDATE SET grade = EXCLUDED.grade"
)
_PERSON_UNIT = (
    "INSERT INTO units_replica_person_units (person_id, from_day, unit_id) VALUES ($1, $2, $3) "
    "ON CONFLICT (person_id, from_day) DO UPDATE SET unit_id = EXCLUDED.unit_id"
)
# A grade that does not name the unit keeps the unit of the earlier grade.
_PERSON_GRADE = (
    "INSERT INTO units_replica_person_grades AS g (person_id, year, grade, unit_id) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (person_id, year) DO UPDATE SET grade = EXCLUDED.grade, unit_id = coalesce(EXCLUDED.unit_id, g.unit_id)"
)
_TRAINING = (
    "INSERT INTO units_replica_training (unit_id, year, training_code, completed, headcount) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (unit_id, year, training_code) "
    "DO UPDATE SET completed = EXCLUDED.completed, headcount = EXCLUDED.headcount"
)
_ORDER = (_UNIT_ROW, _PERSON_ROW, _ESTABLISHED, _ENDED, _PARENT, _UNIT_GRADE, _PERSON_UNIT, _PERSON_GRADE, _TRAINING)


def _changes(fact: UnitsFact) -> list[tuple[str, tuple[Any, ...]]]:
    """The statements (and their arguments) that fold one fact into the state."""
    match fact:
        case UnitEstablishedFact():
            return [(_UNIT_ROW, (fact.unit_id,)), (_ESTABLISHED, (fact.unit_id, fact.effective_on)),
                    (_PARENT, (fact.unit_id, fact.effective_on, fact.parent_id))]
        case UnitMovedFact():
            return [(_UNIT_ROW, (fact.unit_id,)), (_PARENT, (fact.unit_id, fact.effective_on, fact.parent_id))]
        case UnitMergedFact():
            return [(_UNIT_ROW, (fact.unit_id,)), (_ENDED, (fact.unit_id, fact.effective_on, fact.into_unit_id))]
        case UnitDissolvedFact():
            return [(_UNIT_ROW, (fact.unit_id,)), (_ENDED, (fact.unit_id, fact.effective_on, None))]
        case UnitEvaluationRecordedFact():  # and corrected
            return [(_UNIT_ROW, (fact.unit_id,)), (_UNIT_GRADE, (fact.unit_id, fact.year, fact.grade.value))]
        case PersonEnrolledFact():
            return [(_PERSON_ROW, (fact.person_id,)), (_PERSON_UNIT, (fact.person_id, fact.effective_on, fact.unit_id))]
        case PersonTransferredFact():
            return [(_PERSON_ROW, (fact.person_id,)),
                    (_PERSON_UNIT, (fact.person_id, fact.effective_on, fact.to_unit_id))]
        case PersonLeftFact():
            return [(_PERSON_ROW, (fact.person_id,)), (_PERSON_UNIT, (fact.person_id, fact.effective_on, None))]
        case PersonEvaluationRecordedFact():  # and corrected
            return [(_PERSON_ROW, (fact.person_id,)),
                    (_PERSON_GRADE, (fact.person_id, fact.year, fact.grade.value, fact.unit_id))]
        case TrainingReportFact():
            return [(_TRAINING, (fact.unit_id, fact.year, fact.training_code, fact.completed, fact.headcount))]
    raise TypeError(f"not a units fact: {type(fact).__name__}")


async def _fold_into_state(conn: asyncpg.Connection, facts: Iterable[UnitsFact]) -> None:
    """Apply facts, in order, to the state tables: one round trip per kind of change."""
    batches: dict[str, list[tuple[Any, ...]]] = {statement: [] for statement in _ORDER}
    for fact in facts:
        for statement, args in _changes(fact):
            batches[statement].append(args)
    for statement in _ORDER:
        if batches[statement]:
            await conn.executemany(statement, batches[statement])


async def fold_log_once(conn: asyncpg.Connection) -> None:
    """Fold the whole log into the state tables if they were created after it (the first
    start of this version on an older database); otherwise nothing. Reads the log a
    chunk at a time, so memory stays bounded whatever its length."""
    async with conn.transaction():
        await lock_replica(conn)
        if await conn.fetchval("SELECT EXISTS (SELECT 1 FROM units_replica_state)"):
            return
        seq = folded = 0
        while rows := await conn.fetch(
            "SELECT seq, fact_type, fact FROM units_replica_facts WHERE seq > $1 ORDER BY seq LIMIT $2",
            seq, FOLD_CHUNK,
        ):
            await _fold_into_state(conn, [decode_fact(r["fact_type"], r["fact"]) for r in rows])
            seq, folded = rows[-1]["seq"], folded + len(rows)
        await conn.execute("INSERT INTO units_replica_state DEFAULT VALUES")
        if folded:
            log.info("units_replica_state_folded", facts=folded)


# ---------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnFact:
    """A fact the current transaction recorded, with the event it came from."""

    fact: UnitsFact
    event_id: uuid.UUID
    correlation_id: str | None


async def own_facts(conn: asyncpg.Connection) -> list[OwnFact]:
    """The facts the current transaction recorded and still holds, in order. Read from
    the table, not remembered, so that work redone after a rolled-back savepoint
    counts once."""
    rows = await conn.fetch(
        "SELECT event_id, correlation_id, fact_type, fact FROM units_replica_facts "
        "WHERE tx = pg_current_xact_id_if_assigned() ORDER BY seq"
    )
    return [OwnFact(decode_fact(r["fact_type"], r["fact"]), r["event_id"], r["correlation_id"]) for r in rows]


def decode_fact(fact_type: str, data: dict[str, Any]) -> UnitsFact:
    """A stored fact back as its model."""
    return FACT_TYPES[fact_type].model_validate(data)


def _timelines(rows: Iterable[asyncpg.Record], key: str, value: str) -> dict[str, list[tuple[date, str | None]]]:
    """Rows ordered by (key, from_day) as each key's timeline."""
    out: dict[str, list[tuple[date, str | None]]] = {}
    for row in rows:
        out.setdefault(row[key], []).append((row["from_day"], row[value]))
    return out


async def load_replica(conn: asyncpg.Connection, needs: ReplicaNeeds) -> ReplicaState:
    """The replica as committed (and as this transaction changed it), with what ``needs``
    asks for: every unit; the people and training reports named. Take
    :func:`lock_replica` first for a state no other writer is changing meanwhile."""
    parents = _timelines(
        await conn.fetch("SELECT unit_id, from_day, parent_id FROM units_replica_unit_parents "
                         "ORDER BY unit_id, from_day"), "unit_id", "parent_id")
    unit_grades: dict[str, dict[int, Grade]] = {}
    for row in await conn.fetch("SELECT unit_id, year, grade FROM units_replica_unit_grades"):
        unit_grades.setdefault(row["unit_id"], {})[row["year"]] = Grade(row["grade"])
    units = {
        row["unit_id"]: UnitRecord(
            unit_id=row["unit_id"], established_on=row["established_on"], ended_on=row["ended_on"],
            merged_into=row["merged_into"], parents=tuple(parents.get(row["unit_id"], ())),
            grades=MappingProxyType(unit_grades.get(row["unit_id"], {})),
        )
        for row in await conn.fetch("SELECT unit_id, established_on, ended_on, merged_into FROM units_replica_units")
    }
    return ReplicaState(
        units=MappingProxyType(units),
        people=MappingProxyType(await _load_people(conn, needs)),
        training=MappingProxyType(await _load_training(conn, needs)),
    )


async def _load_people(conn: asyncpg.Connection, needs: ReplicaNeeds) -> dict[str, PersonRecord]:
    if needs.reads_no_people:
        return {}
    # $1 null: every person; $2 null: every year.
    wanted = None if needs.people is None else sorted(needs.people)
    years = None if needs.grade_years is None else sorted(needs.grade_years)
    ids = [r["person_id"] for r in await conn.fetch(
        "SELECT person_id FROM units_replica_people WHERE $1::text[] IS NULL OR person_id = ANY($1)", wanted)]
    placed = _timelines(await conn.fetch(
        "SELECT person_id, from_day, unit_id FROM units_replica_person_units "
        "WHERE $1::text[] IS NULL OR person_id = ANY($1) ORDER BY person_id, from_day", wanted), "person_id", "unit_id")
    grades: dict[str, dict[int, tuple[Grade, str | None]]] = {}
    for row in await conn.fetch(
        "SELECT person_id, year, grade, unit_id FROM units_replica_person_grades "
        "WHERE ($1::text[] IS NULL OR person_id = ANY($1)) AND ($2::int[] IS NULL OR year = ANY($2))", wanted, years,
    ):
        grades.setdefault(row["person_id"], {})[row["year"]] = (Grade(row["grade"]), row["unit_id"])
    return {
        person_id: PersonRecord(person_id=person_id, units=tuple(placed.get(person_id, ())),
                                grades=MappingProxyType(grades.get(person_id, {})))
        for person_id in ids
    }


async def _load_training(conn: asyncpg.Connection, needs: ReplicaNeeds) -> dict[tuple[str, int, str], tuple[int, int]]:
    if not needs.training:
        return {}
    years, codes = zip(*sorted(needs.training), strict=True)
    rows = await conn.fetch(
        "SELECT t.unit_id, t.year, t.training_code, t.completed, t.headcount FROM units_replica_training t "
        "JOIN unnest($1::int[], $2::text[]) AS wanted (year, training_code) USING (year, training_code)",
        list(years), list(codes),
    )
    return {(r["unit_id"], r["year"], r["training_code"]): (r["completed"], r["headcount"]) for r in rows}
