"""What the campaigns service consumes from other contexts: the units context's facts.

:class:`UnitsReplica` reads ``tdkt.units.events`` (not the internal topic),
maps the events target progress depends on to the domain's *Fact models
(:data:`MAPPERS`; every other type is ignored without being parsed), and records
each fact in the replica's tables (its log and the state it folds to) in the
consumer runtime's transaction. At the end of each batch it recomputes the
progress of the open targets the batch's facts touch and appends
``target.progressed`` where the numbers changed — the progress policy — in the
same transaction.

The replica lives in its tables only (:mod:`.projections.replica`): the policy and
the commands load the part they need in their own transaction, under the replica's
lock, so they see every fact committed before them (by this instance or another)
and their own, and a batch or a savepoint that is rolled back and redone leaves no
trace anywhere. The process holds nothing of it between transactions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import asyncpg
import structlog
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue import units as u
from tdkt_contracts.catalogue.campaigns import TargetProgressed

from kernel.db import apply_sql
from kernel.eventstore import EventStore, Metadata, RecordedEvent
from kernel.unit_of_work import UnitOfWork

from .domain import (
    PersonEnrolledFact,
    PersonEvaluationCorrectedFact,
    PersonEvaluationRecordedFact,
    PersonLeftFact,
    PersonTransferredFact,
    TargetState,
    UnitDissolvedFact,
    UnitEstablishedFact,
    UnitEvaluationCorrectedFact,
    UnitEvaluationRecordedFact,
    UnitMergedFact,
    UnitMovedFact,
    UnitsFact,
    compute_progress,
    decide_progress_events,
    replica_needs,
    targets_touched_by,
)
from .projections.replica import REPLICA_SQL, FactRow, fold_log_once, load_replica, lock_replica, own_facts, record_facts
from .projections.tables import open_targets, project

if TYPE_CHECKING:
    from kernel.service import Service

log = structlog.get_logger("campaigns.replica")

MAPPERS: Mapping[str, Callable[[Any], UnitsFact]] = {
    u.UnitEstablished.event_type: lambda e: UnitEstablishedFact(
        unit_id=e.unit_id, effective_on=e.effective_on, parent_id=e.parent_id
    ),
    u.UnitMoved.event_type: lambda e: UnitMovedFact(
        unit_id=e.unit_id, parent_id=e.parent_id, effective_on=e.effective_on
    ),
    u.UnitMerged.event_type: lambda e: UnitMergedFact(
        unit_id=e.unit_id, into_unit_id=e.into_unit_id, effective_on=e.effective_on
    ),
    u.UnitDissolved.event_type: lambda e: UnitDissolvedFact(unit_id=e.unit_id, effective_on=e.effective_on),
    u.UnitEvaluationRecorded.event_type: lambda e: UnitEvaluationRecordedFact(
        unit_id=e.unit_id, year=e.year, grade=e.grade
    ),
    u.UnitEvaluationCorrected.event_type: lambda e: UnitEvaluationCorrectedFact(
        unit_id=e.unit_id, year=e.year, grade=e.grade
    ),
    u.PersonEnrolled.event_type: lambda e: PersonEnrolledFact(
        person_id=e.person_id, unit_id=e.unit_id, effective_on=e.effective_on
    ),
    u.PersonTransferred.event_type: lambda e: PersonTransferredFact(
        person_id=e.person_id, to_unit_id=e.to_unit_id, effective_on=e.effective_on
    ),
    u.PersonLeft.event_type: lambda e: PersonLeftFact(person_id=e.person_id, effective_on=e.effective_on),
    u.PersonEvaluationRecorded.event_type: lambda e: PersonEvaluationRecordedFact(
        person_id=e.person_id, year=e.year, grade=e.grade, unit_id=e.unit_id
    ),
    u.PersonEvaluationCorrected.event_type: lambda e: PersonEvaluationCorrectedFact(
        person_id=e.person_id, year=e.year, grade=e.grade, unit_id=e.unit_id
    ),
}
"""Units event type -> its fact. Not mapped (ignored): renames (names are not counted),
discipline (internal, personal data the campaigns context does not use) and
initiatives."""


def to_fact(event: Envelope) -> UnitsFact | None:
    """The replica fact an event of the units context carries, or None if it carries none."""
    mapper = MAPPERS.get(event.type)
    return mapper(event.payload()) if mapper is not None else None


async def publish_progress(
    conn: asyncpg.Connection, store: EventStore, causes: Mapping[str, Metadata]
) -> list[RecordedEvent]:
    """The progress policy: for each target id in ``causes``, recompute its numbers on
    the replica's tables as this transaction sees them and append ``target.progressed``
    (with that target's metadata: its cause) if they changed, projected. Runs in the
    caller's transaction, which holds the replica's lock."""
    streams = await UnitOfWork(conn, store, Metadata()).streams(sorted(causes))
    targets = {target_id: TargetState.replay(stream.events) for target_id, stream in streams.items()}
    replica = await load_replica(conn, replica_needs(targets.values()))
    recorded: list[RecordedEvent] = []
    for target_id, target in targets.items():
        events: list[EventPayload] = decide_progress_events(target, compute_progress(target, replica))
        if not events:
            continue
        uow = UnitOfWork(conn, store, causes[target_id], project=project,
                         versions={target_id: streams[target_id].version})
        recorded += await uow.append(events)
        [progressed] = events
        assert isinstance(progressed, TargetProgressed)
        log.info("target_progressed", target_id=target_id, numerator=progressed.numerator,
                 denominator=progressed.denominator, on_track=progressed.on_track)
    return recorded


def touched_targets(
    facts: list[tuple[UnitsFact, Metadata]], targets: list[TargetState]
) -> dict[str, Metadata]:
    """Target id -> the metadata of the last fact that touches it (its cause)."""
    causes: dict[str, Metadata] = {}
    for fact, metadata in facts:
        for target in targets_touched_by(fact, targets):
            causes[target.target_id] = metadata
    return causes


class UnitsReplica:
    """The units replica and the progress policy (an :class:`kernel.consumer.EventHandler`)."""

    name: str = "campaigns-units-replica"
    topics: Sequence[str] = ("tdkt.units.events",)
    # Only the public topic: the internal one carries discipline and people's profiles, which no
    # campaigns rule reads (and the broker grants campaigns no read of it).
    schema: str | None = None
    # Not rebuildable with kernel.replay.rebuild: the policy appends events, which a
    # replay must not do twice.

    def __init__(self, service: Service) -> None:
        self.service = service

    async def setup(self, conn: asyncpg.Connection) -> None:
        """Create the replica's tables; fold the log into the state if it predates them."""
        await apply_sql(conn, [REPLICA_SQL])  # under the schema's DDL lock: instances may start together
        await fold_log_once(conn)

    async def handle(self, conn: asyncpg.Connection, event: Envelope) -> None:
        """Record the fact ``event`` carries, if any (the runtime's transaction). Keeps no
        memory of it: a redo after a rolled-back savepoint just records it again."""
        fact = to_fact(event)
        if fact is None:
            return
        await lock_replica(conn)  # before drawing a seq: see projections.replica
        await record_facts(conn, [FactRow(event.id, event.type, event.subject, fact, event.correlation_id)])

    async def handle_batch(self, conn: asyncpg.Connection, events: Sequence[Envelope]) -> None:
        """Record the facts of a batch in a few statements (a bulk import in the units context
        sends thousands). If it fails, the runtime redoes the events with :meth:`handle`."""
        rows = [FactRow(e.id, e.type, e.subject, fact, e.correlation_id)
                for e in events if (fact := to_fact(e)) is not None]
        if not rows:
            return
        await lock_replica(conn)  # before drawing a seq: see projections.replica
        await record_facts(conn, rows)

    async def end_batch(self, conn: asyncpg.Connection) -> None:
        """Recompute the open targets the batch's facts touch; append ``target.progressed``
        where the numbers changed (caused by the last fact touching each target)."""
        recorded = await own_facts(conn)
        if not recorded:
            return
        # The lock is held since the first handle() of this transaction.
        facts = [(r.fact, Metadata(correlation_id=r.correlation_id).caused_by(r.event_id)) for r in recorded]
        causes = touched_targets(facts, await open_targets(conn))
        if causes:
            await publish_progress(conn, self.service.store, causes)
