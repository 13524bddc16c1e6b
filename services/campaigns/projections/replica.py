"""The table behind the units replica: the domain's *Fact models, one row per fact.

Writers (the units subscriber, the training-report handler) and the commands that
compute progress from the replica all take :func:`lock_replica` first, for the
rest of their transaction. That one lock gives two guarantees:

* ``seq`` order is commit order: a writer draws its ``seq`` values only while it
  holds the lock, so every committed row has a smaller ``seq`` than any row still
  in flight, and a reader that applied every row up to ``n`` never misses one
  below ``n`` later (no gaps to fill);
* progress is computed by one transaction at a time, on the facts committed
  before it and its own, so two writers never publish numbers computed on
  different replicas for the same target.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import asyncpg

from ..domain import (
    PersonEnrolledFact,
    PersonEvaluationCorrectedFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    TrainingReportFact,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationCorrectedFact,
    UnitEvaluationRecordedFact,
    UnitMergedFact,
    UnitMovedFact,
    UnitsFact,
)

REPLICA_SQL = resources.files(__package__).joinpath("units_replica.sql").read_text()
"""Idempotent DDL of the replica table."""

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


async def insert_fact(
    conn: asyncpg.Connection,
    *,
    event_id: uuid.UUID,
    source_type: str,
    subject: str,
    fact: UnitsFact,
    correlation_id: str | None = None,
) -> bool:
    """Record one fact (the caller holds :func:`lock_replica`); False if the event was
    recorded before (its id is unique)."""
    seq = await conn.fetchval(
        "INSERT INTO units_replica_facts (event_id, source_type, subject, fact_type, fact, correlation_id) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING RETURNING seq",
        event_id,
        source_type,
        subject,
        type(fact).__name__,
        fact.model_dump(mode="json"),
        correlation_id,
    )
    return seq is not None


async def insert_facts(
    conn: asyncpg.Connection, facts: Sequence[tuple[uuid.UUID, str, str, UnitsFact, str | None]]
) -> None:
    """Record many facts in one round trip, in order: (event id, source type, subject,
    fact, correlation id) each. The caller holds :func:`lock_replica`."""
    await conn.executemany(
        "INSERT INTO units_replica_facts (event_id, source_type, subject, fact_type, fact, correlation_id) "
        "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_id) DO NOTHING",
        [(event_id, source_type, subject, type(fact).__name__, fact.model_dump(mode="json"), correlation_id)
         for event_id, source_type, subject, fact, correlation_id in facts],
    )


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


async def committed_facts_after(conn: asyncpg.Connection, seq: int) -> list[tuple[int, UnitsFact]]:
    """The facts after ``seq``, in order, leaving out the current transaction's own
    (they are not committed yet, and may never be)."""
    rows = await conn.fetch(
        "SELECT seq, fact_type, fact FROM units_replica_facts "
        # _if_assigned: a read-only transaction is not given an id just for asking.
        "WHERE seq > $1 AND tx IS DISTINCT FROM pg_current_xact_id_if_assigned() ORDER BY seq",
        seq,
    )
    return [(row["seq"], decode_fact(row["fact_type"], row["fact"])) for row in rows]


def decode_fact(fact_type: str, data: dict[str, Any]) -> UnitsFact:
    """A stored fact back as its model."""
    return FACT_TYPES[fact_type].model_validate(data)
