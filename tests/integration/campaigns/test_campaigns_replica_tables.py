"""The units replica lives in its tables: they hold the fold of the facts (the domain's
reference semantics), a fact recorded twice counts once, a log older than the state
tables is folded in at start, and the process's memory does not grow with the facts."""

from __future__ import annotations

import gc
import tracemalloc
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

import asyncpg
import pytest
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.vocabulary import Grade

from kernel.db import apply_sql
from services.campaigns.app import build
from services.campaigns.domain import (
    PersonEnrolledFact,
    PersonEvaluationCorrectedFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    ReplicaNeeds,
    TrainingReportFact,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationCorrectedFact,
    UnitEvaluationRecordedFact,
    UnitMergedFact,
    UnitMovedFact,
    UnitsFact,
    compute_progress,
    replay_facts,
)
from services.campaigns.domain.targets import TargetState
from services.campaigns.projections.replica import (
    REPLICA_SQL,
    FactRow,
    fold_log_once,
    load_replica,
    lock_replica,
    record_facts,
)
from services.campaigns.projections.tables import payloads
from services.campaigns.subscribers import UnitsReplica, to_fact

from .support import campaigns_settings, ok, person, person_grade, unit

pytestmark = pytest.mark.integration

EVERYTHING = ReplicaNeeds(people=None, grade_years=None,
                          training=frozenset({(2024, "nghi-quyet-dang"), (2025, "nghi-quyet-dang")}))

# Out of order across streams, two facts of one day on one timeline, corrections with
# and without the unit, a merge, a dissolution, a report replaced by a later one.
FACTS: list[UnitsFact] = [
    PersonEnrolledFact(person_id="p1", unit_id="vu-a", effective_on=date(2020, 1, 1)),  # before its unit
    UnitEstablishedFact(unit_id="bo", effective_on=date(2010, 1, 1)),
    UnitEstablishedFact(unit_id="vu-a", effective_on=date(2010, 1, 1), parent_id="bo"),
    UnitEstablishedFact(unit_id="vu-b", effective_on=date(2010, 1, 1), parent_id="bo"),
    UnitEstablishedFact(unit_id="phong-1", effective_on=date(2012, 1, 1), parent_id="vu-a"),
    UnitMovedFact(unit_id="phong-1", parent_id="vu-b", effective_on=date(2023, 7, 1)),
    UnitMovedFact(unit_id="phong-1", parent_id="vu-a", effective_on=date(2023, 7, 1)),  # same day: this one wins
    UnitEvaluationRecordedFact(unit_id="vu-a", year=2024, grade=Grade.GOOD),
    UnitEvaluationCorrectedFact(unit_id="vu-a", year=2024, grade=Grade.EXCELLENT),
    UnitEvaluationRecordedFact(unit_id="vu-ghost", year=2024, grade=Grade.COMPLETED),  # never established
    UnitMergedFact(unit_id="vu-b", into_unit_id="vu-a", effective_on=date(2025, 1, 1)),
    UnitDissolvedFact(unit_id="phong-1", effective_on=date(2025, 3, 1)),
    PersonEnrolledFact(person_id="p2", unit_id="vu-b", effective_on=date(2019, 5, 1)),
    PersonTransferredFact(person_id="p2", to_unit_id="phong-1", effective_on=date(2024, 7, 1)),
    PersonLeftFact(person_id="p2", effective_on=date(2024, 7, 1)),  # same day: left wins
    PersonEvaluationRecordedFact(person_id="p1", year=2024, grade=Grade.GOOD, unit_id="vu-a"),
    PersonEvaluationCorrectedFact(person_id="p1", year=2024, grade=Grade.EXCELLENT),  # keeps vu-a
    PersonEvaluationRecordedFact(person_id="p3", year=2023, grade=Grade.COMPLETED),  # graded, never enrolled
    TrainingReportFact(unit_id="vu-a", year=2024, training_code="nghi-quyet-dang", completed=3, headcount=9),
    TrainingReportFact(unit_id="vu-a", year=2024, training_code="nghi-quyet-dang", completed=8, headcount=9),
    TrainingReportFact(unit_id="vu-b", year=2025, training_code="nghi-quyet-dang", completed=1, headcount=2),
]


def _rows(facts: Sequence[UnitsFact]) -> list[FactRow]:
    return [FactRow(uuid.uuid4(), "test", "subject", fact) for fact in facts]


async def _record(pool: asyncpg.Pool, rows: Sequence[FactRow]) -> list[FactRow]:
    async with pool.acquire() as conn, conn.transaction():
        await lock_replica(conn)
        return await record_facts(conn, rows)


async def test_the_tables_hold_the_fold_of_the_facts_and_a_fact_counts_once(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await apply_sql(conn, [REPLICA_SQL])
    rows = _rows(FACTS)
    first, second = rows[:9], rows[9:]
    assert len(await _record(pool, first)) == 9
    # The second batch carries two facts of the first again (a redelivery): they change nothing,
    # though applying the earlier move again would undo the later one of the same day.
    redelivered = await _record(pool, [rows[5], *second, rows[7]])
    assert [r.event_id for r in redelivered] == [r.event_id for r in second]

    async with pool.acquire() as conn:
        state = await load_replica(conn, EVERYTHING)
        assert await conn.fetchval("SELECT count(*) FROM units_replica_facts") == len(FACTS)
    expected = replay_facts(FACTS)
    assert state == expected
    # The reading the decisions make, spelled out on a few of them.
    assert state.units["phong-1"].parent_on(date(2024, 1, 1)) == "vu-a"
    assert state.tree.resolve("vu-b", date(2025, 6, 1)) == "vu-a"
    assert state.people["p1"].grades[2024] == (Grade.EXCELLENT, "vu-a")
    assert state.people["p2"].unit_on(date(2024, 12, 31)) is None
    assert state.training[("vu-a", 2024, "nghi-quyet-dang")] == (8, 9)


async def test_a_command_loads_only_what_it_needs(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await apply_sql(conn, [REPLICA_SQL])
    await _record(pool, _rows(FACTS))
    async with pool.acquire() as conn:
        tree = await load_replica(conn, ReplicaNeeds())
        two = await load_replica(conn, ReplicaNeeds(people=frozenset({"p1", "p3"}), grade_years=frozenset({2024})))
        training = await load_replica(conn, ReplicaNeeds(training=frozenset({(2025, "nghi-quyet-dang")})))
    assert set(tree.units) == {"bo", "vu-a", "vu-b", "phong-1", "vu-ghost"} and not tree.people and not tree.training
    assert set(two.people) == {"p1", "p3"}
    assert dict(two.people["p1"].grades) == {2024: (Grade.EXCELLENT, "vu-a")}
    assert dict(two.people["p3"].grades) == {}  # graded for 2023 only
    assert dict(training.training) == {("vu-b", 2025, "nghi-quyet-dang"): (1, 2)}


async def test_a_log_older_than_the_state_tables_is_folded_in_at_start(pool: asyncpg.Pool) -> None:
    async with pool.acquire() as conn:
        await apply_sql(conn, [REPLICA_SQL])
        await fold_log_once(conn)
    await _record(pool, _rows(FACTS))
    async with pool.acquire() as conn:
        # A database of the previous version: the log, and no state tables yet.
        await conn.execute(
            "DROP TABLE units_replica_units, units_replica_unit_parents, units_replica_unit_grades, "
            "units_replica_people, units_replica_person_units, units_replica_person_grades, "
            "units_replica_training, units_replica_state")
        await apply_sql(conn, [REPLICA_SQL])
        assert await load_replica(conn, EVERYTHING) != replay_facts(FACTS)
        await fold_log_once(conn)
        assert await load_replica(conn, EVERYTHING) == replay_facts(FACTS)
        await fold_log_once(conn)  # once: a second start changes nothing
        assert await load_replica(conn, EVERYTHING) == replay_facts(FACTS)


def _envelopes(events: Sequence[EventPayload]) -> list[Envelope]:
    return [
        Envelope(id=uuid.uuid4(), source="/tdkt/units", type=e.event_type, schema_version=e.event_version,
                 subject=e.subject(), time=datetime.now(UTC), stream_version=1, correlation_id="nhap-ho-so",
                 data=e.model_dump(mode="json"))
        for e in events
    ]


def _people(start: int, count: int) -> list[EventPayload]:
    """``count`` people, each enrolled and graded for 2024 (every third one HT, the rest HTT)."""
    events: list[EventPayload] = []
    for n in range(start, start + count):
        unit_id = ("u-vtdkt", "u-vtccb", "u-vp")[n % 3]
        events += [person(f"p-{n:05d}", unit_id, f"Nguyễn Thị Hoà {n}"),
                   person_grade(f"p-{n:05d}", unit_id, 2024, "HT" if n % 3 == 0 else "HTT")]
    return events


async def _feed(replica: UnitsReplica, pool: asyncpg.Pool, envelopes: Sequence[Envelope], batch: int = 500) -> None:
    """What the consumer runtime does with each batch: record it, then the progress policy."""
    for i in range(0, len(envelopes), batch):
        async with pool.acquire() as conn, conn.transaction():
            await replica.handle_batch(conn, envelopes[i:i + batch])
            await replica.end_batch(conn)


async def test_memory_does_not_grow_with_the_number_of_facts(  # type: ignore[no-untyped-def]
    settings, start_service
) -> None:
    """Each 6,000 more facts through the consumer's handler and the progress policy leave
    nothing more behind in the process; holding them in memory would take far more."""
    client = await start_service(build, campaigns_settings(settings))
    service = client.service
    [replica] = service.handlers
    ok(await client.post("/targets", json={
        "target_id": "ct-2024-cbccvc", "year": 2024, "metric": "staff_graded_good_or_better",
        "threshold_percent": 70, "description": "70% CBCCVC hoàn thành tốt nhiệm vụ trở lên",
        "set_on": "2024-01-26"}), 201)
    tree = [unit("u-bct", "Bộ Công Thương", parent_id=None, kind="bo"),
            unit("u-vtdkt", "Vụ Thi đua – Khen thưởng", parent_id="u-bct"),
            unit("u-vtccb", "Vụ Tổ chức cán bộ", parent_id="u-bct"),
            unit("u-vp", "Văn phòng Bộ", parent_id="u-bct")]
    rounds = [_envelopes([*tree, *_people(0, 1_500)]), _envelopes(_people(1_500, 3_000)),
              _envelopes(_people(4_500, 3_000))]  # 3,000 people: 6,000 facts a round after the first
    facts = [fact for envelopes in rounds for e in envelopes if (fact := to_fact(e)) is not None]

    await _feed(replica, service.pool, rounds[0])  # warms every cache and prepared statement
    gc.collect()
    tracemalloc.start()
    try:
        retained = []
        for envelopes in rounds[1:]:
            await _feed(replica, service.pool, envelopes)
            gc.collect()
            retained.append(tracemalloc.get_traced_memory()[0])
        # What the last round's facts cost held in memory (the replica before it moved to its tables).
        before_last = replay_facts(facts[:-6_000])
        start = tracemalloc.get_traced_memory()[0]
        everything = replay_facts(facts[-6_000:], before_last)
        del before_last
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - start
    finally:
        tracemalloc.stop()
    growth = retained[1] - retained[0]
    assert held > 1_000_000, held
    assert growth < held / 10, f"{growth} bytes more retained after 6,000 more facts (in memory: {held})"

    # The numbers are those of the fold of every fact.
    body = ok(await client.get("/targets/ct-2024-cbccvc"))
    async with service.pool.acquire() as conn:
        target = TargetState.replay(payloads(await service.store.read_stream(conn, "ct-2024-cbccvc")))
    expected = compute_progress(target, everything)
    assert (body["numerator"], body["denominator"]) == (expected.numerator, expected.denominator) == (5_000, 7_500)
