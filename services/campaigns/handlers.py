"""Command handlers of the campaigns service: load the stream(s), decide, append, project.

Each handler runs one transaction. Commands on one stream that need nothing else
go through :func:`kernel.commands.execute`. The others read the streams they need
and append themselves inside ``async with pool.acquire() as conn, conn.transaction()``
(:meth:`CampaignsHandlers._transact`, retried on a lost race), as docs/kernel.md
describes; a command whose events concern several streams (closing a movement or a
year, a training report that moves targets) appends each stream's events to that
stream — the stream id is always the event's subject — in the same transaction.
Every append is followed, in that transaction, by :func:`projections.project`.

Consistency across aggregates:

* commands that read the units replica (set a target, report a training, close a
  movement or a year, register) hold the replica's lock and read its tables in their
  own transaction (:meth:`CampaignsHandlers._replica`): they see every fact committed
  before them and never interleave with the progress policy;
* commands that need an open movement (registrations, targets and pledges of a
  movement) read its row ``FOR SHARE`` first: closing the movement updates that
  row, so a close and such a command are serialised and nothing slips in after
  the close.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import TypeVar
from uuid import UUID

import asyncpg
from pydantic import BaseModel, Field
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import TrainingCompletionReported

from kernel.commands import execute
from kernel.errors import Conflict, DomainError
from kernel.eventstore import ConcurrencyError, EventStore, Metadata, RecordedEvent
from kernel.scope import outside_scope
from kernel.service import Service

from .domain import (
    AmendMovement,
    AssignClusterLead,
    ChangeClusterMembership,
    CloseMovement,
    CloseYear,
    ClusterState,
    FormCluster,
    LaunchMovement,
    MovementState,
    PledgeState,
    RegistrationState,
    TREE_ONLY,
    ReplicaNeeds,
    ReplicaState,
    ReportTrainingCompletion,
    ReviewMovement,
    ReviewPledge,
    ScoreCluster,
    SetTarget,
    SignPledge,
    SubmitRegistration,
    TargetState,
    TrainingReportState,
    WithdrawRegistration,
    YearState,
    compute_progress,
    decide_amend_movement,
    decide_assign_cluster_lead,
    decide_change_cluster_membership,
    decide_close_movement,
    decide_close_year,
    decide_form_cluster,
    decide_launch_movement,
    decide_progress_events,
    decide_report_training,
    decide_review_movement,
    decide_review_pledge,
    decide_score_cluster,
    decide_set_target,
    decide_sign_pledge,
    decide_submit_registration,
    decide_withdraw_registration,
    registration_id,
    replica_needs,
    training_fact,
    training_report_id,
)
from .projections.replica import FactRow, load_replica, lock_replica, record_facts
from .projections.tables import aggregate_of, open_target_ids, open_targets, payloads, project
from .subscribers import publish_progress, touched_targets

T = TypeVar("T")


class RecordedEventRef(BaseModel):
    """One event a command appended."""

    event_id: UUID = Field(description="The event's id (CloudEvents ce_id).")
    type: str = Field(description="Its type, e.g. vn.tdkt.campaigns.movement.launched.")
    stream_id: str = Field(description="The stream (aggregate id, ce_subject) it was appended to.")
    stream_version: int = Field(description="Its position in that stream (1 = first).")


class CommandResult(BaseModel):
    """What a command did: the aggregate it concerned, that stream's version after it,
    and every event appended (possibly to several streams, e.g. closing a year)."""

    id: str = Field(description="Id of the aggregate the command concerned (movement, target, registration …).")
    stream_id: str = Field(description="Its stream id (equal to the id).")
    stream_version: int = Field(
        description="Version of that stream after the command (the ETag; send it back as If-Match)."
    )
    created: bool = Field(description="True when the command started the stream (HTTP 201).")
    event_ids: list[UUID] = Field(description="Ids of every event appended, in order; empty if nothing changed.")
    events: list[RecordedEventRef] = Field(description="Every event appended, in order.")


def command_result(stream_id: str, version_before: int, recorded: Sequence[RecordedEvent]) -> CommandResult:
    """The answer to a command on ``stream_id`` that found it at ``version_before``."""
    own = [e for e in recorded if e.stream_id == stream_id]
    return CommandResult(
        id=stream_id,
        stream_id=stream_id,
        stream_version=own[-1].stream_version if own else version_before,
        created=version_before == 0 and bool(own),
        event_ids=[e.event_id for e in recorded],
        events=[
            RecordedEventRef(event_id=e.event_id, type=e.event_type, stream_id=e.stream_id,
                             stream_version=e.stream_version)
            for e in recorded
        ],
    )


def check_stream_kind(stream_id: str, history: Sequence[RecordedEvent], kind: str) -> None:
    """Refuse to write a ``kind`` event to a stream that holds another aggregate.

    Every stream of the service shares one namespace and the ids are chosen by the
    callers, so a pledge "gu-2024" and a movement "gu-2024" would share a stream.
    """
    if history and (found := aggregate_of(history[0].event_type)) != kind:
        raise Conflict(
            "id_in_use",
            f"The id {stream_id!r} already names a {found}, not a {kind}; choose another id.",
            stream_id=stream_id,
            used_by=found,
        )


def _check_expected(stream_id: str, expected_version: int | None, history: Sequence[RecordedEvent]) -> None:
    if expected_version is not None and expected_version != len(history):
        raise ConcurrencyError(stream_id, expected_version, len(history))


def year_stream(year: int) -> str:
    """The stream of an emulation year: the year itself, the subject of ``year.closed``."""
    return str(year)


def require_existing_unit(replica: ReplicaState, unit_id: str, today: date) -> None:
    """A registration or a training report is for a unit that still exists today (422 ``unit_dissolved`` /
    ``unit_merged``); a unit the replica has not heard of yet is the movement's scope to judge."""
    record = replica.units.get(unit_id)
    if record is None or record.ended_on is None or record.ended_on > today:
        return
    merged = record.merged_into is not None
    raise DomainError(
        "unit_merged" if merged else "unit_dissolved",
        f"Unit {unit_id!r} no longer exists since {record.ended_on:%d/%m/%Y}"
        + (f": it was merged into {record.merged_into!r}" if merged else " (giải thể)"),
        unit_id=unit_id, ended_on=record.ended_on.isoformat(), merged_into=record.merged_into,
    )


def require_officer_scope(replica: ReplicaState, officer: str, cmd: SubmitRegistration, today: date) -> None:
    """A unit officer's registration, checked on the replica in the command's transaction: the registering
    unit is theirs or under it, and every person registered is known and works in it (or under it) today."""
    if officer not in replica.ancestors(replica.resolve(cmd.unit_id, today), today):
        raise outside_scope(officer, "unit_id", [cmd.unit_id])
    people = [i.person_id for i in cmd.individuals]
    unknown = sorted(p for p in people if p not in replica.people)
    if unknown:
        raise DomainError("person_not_found", f"Unknown person(s): {', '.join(unknown)}", person_ids=unknown)
    outside = []
    for person in people:
        unit = replica.people[person].unit_on(today)
        if unit is None or cmd.unit_id not in replica.ancestors(replica.resolve(unit, today), today):
            outside.append(person)
    if outside:
        raise outside_scope(officer, "individuals", sorted(outside))


class CampaignsHandlers:
    """The campaigns service's command handlers, over its event store and replica."""

    def __init__(self, service: Service) -> None:
        self.service = service

    @property
    def pool(self) -> asyncpg.Pool:
        assert self.service.pool is not None, "the service is not started"
        return self.service.pool

    @property
    def store(self) -> EventStore:
        return self.service.store

    # -- plumbing ----------------------------------------------------------------

    async def _execute(
        self,
        stream_id: str,
        kind: str,
        decide: Callable[[list[EventPayload]], Sequence[EventPayload]],
        metadata: Metadata,
        *,
        expected_version: int | None = None,
    ) -> CommandResult:
        """A command on one stream that reads nothing else: :func:`kernel.commands.execute`."""
        before = 0

        def run(history: list[RecordedEvent]) -> Sequence[EventPayload]:
            nonlocal before
            check_stream_kind(stream_id, history, kind)
            before = len(history)
            return decide(payloads(history))

        recorded = await execute(
            self.pool, self.store, stream_id, run, metadata, project=project, expected_version=expected_version
        )
        return command_result(stream_id, before, recorded)

    async def _transact(
        self, work: Callable[[asyncpg.Connection], Awaitable[T]], *, retry: bool = True, attempts: int = 3
    ) -> T:
        """Run ``work`` in one transaction; on a lost race, again on fresh data (unless
        the client pinned a version with If-Match: then the 409 is its answer)."""
        for attempt in range(1, attempts + 1):
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    return await work(conn)
            except ConcurrencyError:
                if not retry or attempt == attempts:
                    raise
        raise AssertionError("unreachable")

    @staticmethod
    async def _replica(conn: asyncpg.Connection, needs: ReplicaNeeds) -> ReplicaState:
        """Lock the replica for the rest of ``conn``'s transaction and read what ``needs``
        names of it from its tables, up to date."""
        await lock_replica(conn)
        return await load_replica(conn, needs)

    async def _read(self, conn: asyncpg.Connection, stream_id: str, kind: str) -> list[RecordedEvent]:
        """The history of a stream the command will write (checked to be a ``kind``)."""
        history = await self.store.read_stream(conn, stream_id)
        check_stream_kind(stream_id, history, kind)
        return history

    async def _fold(self, conn: asyncpg.Connection, stream_id: str) -> list[EventPayload]:
        """The events of a stream the command only reads (another aggregate's events, if
        the id names one, are ignored by the domain's ``replay``: "not found")."""
        return payloads(await self.store.read_stream(conn, stream_id))

    async def _movement(self, conn: asyncpg.Connection, movement_id: str) -> MovementState:
        """A movement read for a check that it is open: its row is share-locked first, so
        a concurrent close waits for this transaction (or this one sees it closed)."""
        await conn.execute("SELECT 1 FROM movements WHERE movement_id = $1 FOR SHARE", movement_id)
        return MovementState.replay(await self._fold(conn, movement_id))

    async def _append(
        self,
        conn: asyncpg.Connection,
        events: Sequence[EventPayload],
        versions: dict[str, int],
        metadata: Metadata,
    ) -> list[RecordedEvent]:
        """Append each event to the stream of its subject (at the version read), stream
        by stream in order of first appearance, and project; one transaction."""
        groups: dict[str, list[EventPayload]] = {}
        for event in events:
            groups.setdefault(event.subject(), []).append(event)
        recorded: list[RecordedEvent] = []
        for stream_id, group in groups.items():
            if stream_id not in versions:
                raise AssertionError(f"a decision produced events for stream {stream_id!r}, which it did not read")
            recorded += await self.store.append(conn, stream_id, versions[stream_id], group, metadata)
        if recorded:
            await project(conn, recorded)
        return recorded

    async def _targets(
        self, conn: asyncpg.Connection, ids: Sequence[str], versions: dict[str, int]
    ) -> list[TargetState]:
        states = []
        for target_id in ids:
            history = await self.store.read_stream(conn, target_id)
            versions[target_id] = len(history)
            states.append(TargetState.replay(payloads(history)))
        return states

    # -- movements ---------------------------------------------------------------

    async def launch_movement(self, cmd: LaunchMovement, metadata: Metadata) -> CommandResult:
        """Phát động phong trào thi đua."""
        return await self._execute(
            cmd.movement_id, "movement", lambda h: decide_launch_movement(MovementState.replay(h), cmd), metadata
        )

    async def amend_movement(
        self, cmd: AmendMovement, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Sửa đổi, bổ sung a movement."""
        return await self._execute(
            cmd.movement_id, "movement", lambda h: decide_amend_movement(MovementState.replay(h), cmd), metadata,
            expected_version=expected_version,
        )

    async def review_movement(
        self, cmd: ReviewMovement, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Sơ kết / tổng kết a movement."""
        return await self._execute(
            cmd.movement_id, "movement", lambda h: decide_review_movement(MovementState.replay(h), cmd), metadata,
            expected_version=expected_version,
        )

    async def close_movement(
        self, cmd: CloseMovement, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Close a movement; its open targets become met or missed (their own streams)."""

        async def work(conn: asyncpg.Connection) -> CommandResult:
            await lock_replica(conn)
            history = await self._read(conn, cmd.movement_id, "movement")
            _check_expected(cmd.movement_id, expected_version, history)
            versions = {cmd.movement_id: len(history)}
            targets = await self._targets(conn, await open_target_ids(conn, movement_id=cmd.movement_id), versions)
            events = decide_close_movement(
                MovementState.replay(payloads(history)), cmd, targets=targets,
                replica=await self._replica(conn, replica_needs(targets)),
            )
            return command_result(cmd.movement_id, len(history), await self._append(conn, events, versions, metadata))

        return await self._transact(work, retry=expected_version is None)

    # -- targets, training reports, years ------------------------------------------

    async def set_target(self, cmd: SetTarget, metadata: Metadata) -> CommandResult:
        """Giao chỉ tiêu; its first ``target.progressed`` follows at once when the replica
        already has something to count."""

        async def work(conn: asyncpg.Connection) -> CommandResult:
            await lock_replica(conn)
            history = await self._read(conn, cmd.target_id, "target")
            year = YearState.replay(await self._fold(conn, year_stream(cmd.year)), year=cmd.year)
            movement = await self._movement(conn, cmd.movement_id) if cmd.movement_id is not None else None
            past = payloads(history)
            events = list(decide_set_target(TargetState.replay(past), cmd, movement=movement, year=year))
            target = TargetState.replay([*past, *events])
            replica = await self._replica(conn, replica_needs([target]))
            events += decide_progress_events(target, compute_progress(target, replica))
            recorded = await self._append(conn, events, {cmd.target_id: len(history)}, metadata)
            return command_result(cmd.target_id, len(history), recorded)

        return await self._transact(work)

    async def report_training(
        self, cmd: ReportTrainingCompletion, metadata: Metadata, today: date
    ) -> CommandResult:
        """Báo cáo kết quả học tập, bồi dưỡng; the report enters the replica and moves the
        targets on that training, in the same transaction."""
        report_id = training_report_id(cmd.unit_id, cmd.year, cmd.training_code)

        async def work(conn: asyncpg.Connection) -> CommandResult:
            require_existing_unit(await self._replica(conn, TREE_ONLY), cmd.unit_id, today)
            history = await self._read(conn, report_id, "training")
            year = YearState.replay(await self._fold(conn, year_stream(cmd.year)), year=cmd.year)
            events = decide_report_training(
                TrainingReportState.replay(payloads(history)), cmd, year=year, today=today
            )
            recorded = await self._append(conn, events, {report_id: len(history)}, metadata)
            if recorded:
                [report] = events
                assert isinstance(report, TrainingCompletionReported)
                fact = training_fact(report)
                await record_facts(conn, [FactRow(recorded[0].event_id, report.event_type, report_id, fact,
                                                  metadata.correlation_id)])
                causes = touched_targets([(fact, metadata.caused_by(recorded[0].event_id))], await open_targets(conn))
                recorded += await publish_progress(self.store, conn, causes)
            return command_result(report_id, len(history), recorded)

        return await self._transact(work)

    async def close_year(self, year: int, metadata: Metadata, today: date) -> CommandResult:
        """Close an emulation year: ``year.closed``, then each open target of the year met
        or missed, with the replica's numbers now."""
        stream_id = year_stream(year)

        async def work(conn: asyncpg.Connection) -> CommandResult:
            await lock_replica(conn)
            history = await self._read(conn, stream_id, "year")
            versions = {stream_id: len(history)}
            targets = await self._targets(conn, await open_target_ids(conn, year=year), versions)
            events = decide_close_year(
                YearState.replay(payloads(history), year=year), CloseYear(year=year),
                targets=targets, replica=await self._replica(conn, replica_needs(targets)), today=today,
            )
            return command_result(stream_id, len(history), await self._append(conn, events, versions, metadata))

        return await self._transact(work)

    # -- registrations -----------------------------------------------------------

    async def submit_registration(
        self, cmd: SubmitRegistration, metadata: Metadata, today: date, officer_unit: str | None = None
    ) -> CommandResult:
        """Đăng ký thi đua (checked against the movement and the deadline on ``today``); a unit officer
        (``officer_unit``) registers only their own units and the people of the registering unit."""
        stream_id = registration_id(cmd.movement_id, cmd.unit_id, cmd.year)

        async def work(conn: asyncpg.Connection) -> CommandResult:
            people = frozenset(i.person_id for i in cmd.individuals) if officer_unit is not None else frozenset()
            replica = await self._replica(conn, ReplicaNeeds(people=people))
            require_existing_unit(replica, cmd.unit_id, today)
            if officer_unit is not None:
                require_officer_scope(replica, officer_unit, cmd, today)
            movement = await self._movement(conn, cmd.movement_id)
            history = await self._read(conn, stream_id, "registration")
            events = decide_submit_registration(
                RegistrationState.replay(payloads(history)), cmd, movement=movement, today=today
            )
            return command_result(stream_id, len(history),
                                  await self._append(conn, events, {stream_id: len(history)}, metadata))

        return await self._transact(work)

    async def withdraw_registration(
        self, cmd: WithdrawRegistration, metadata: Metadata, today: date, expected_version: int | None = None
    ) -> CommandResult:
        """Rút đăng ký thi đua."""
        stream_id = registration_id(cmd.movement_id, cmd.unit_id, cmd.year)

        async def work(conn: asyncpg.Connection) -> CommandResult:
            movement = await self._movement(conn, cmd.movement_id)
            history = await self._read(conn, stream_id, "registration")
            _check_expected(stream_id, expected_version, history)
            events = decide_withdraw_registration(
                RegistrationState.replay(payloads(history)), cmd, movement=movement, today=today
            )
            return command_result(stream_id, len(history),
                                  await self._append(conn, events, {stream_id: len(history)}, metadata))

        return await self._transact(work, retry=expected_version is None)

    # -- pledges -----------------------------------------------------------------

    async def sign_pledge(self, cmd: SignPledge, metadata: Metadata) -> CommandResult:
        """Ký kết giao ước thi đua."""

        async def work(conn: asyncpg.Connection) -> CommandResult:
            history = await self._read(conn, cmd.pledge_id, "pledge")
            movement = await self._movement(conn, cmd.movement_id) if cmd.movement_id is not None else None
            cluster = ClusterState.replay(await self._fold(conn, cmd.cluster_id)) if cmd.cluster_id else None
            events = decide_sign_pledge(
                PledgeState.replay(payloads(history)), cmd, movement=movement, cluster=cluster
            )
            return command_result(cmd.pledge_id, len(history),
                                  await self._append(conn, events, {cmd.pledge_id: len(history)}, metadata))

        return await self._transact(work)

    async def review_pledge(
        self, cmd: ReviewPledge, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Đánh giá thực hiện giao ước (every clause)."""

        async def work(conn: asyncpg.Connection) -> CommandResult:
            history = await self._read(conn, cmd.pledge_id, "pledge")
            _check_expected(cmd.pledge_id, expected_version, history)
            pledge = PledgeState.replay(payloads(history))
            movement = await self._movement(conn, pledge.movement_id) if pledge.movement_id is not None else None
            events = decide_review_pledge(pledge, cmd, movement=movement)
            return command_result(cmd.pledge_id, len(history),
                                  await self._append(conn, events, {cmd.pledge_id: len(history)}, metadata))

        return await self._transact(work, retry=expected_version is None)

    # -- clusters ----------------------------------------------------------------

    async def form_cluster(self, cmd: FormCluster, metadata: Metadata) -> CommandResult:
        """Thành lập cụm, khối thi đua."""
        return await self._execute(
            cmd.cluster_id, "cluster", lambda h: decide_form_cluster(ClusterState.replay(h), cmd), metadata
        )

    async def change_cluster_membership(
        self, cmd: ChangeClusterMembership, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Điều chỉnh thành viên cụm, khối từ một năm."""
        return await self._execute(
            cmd.cluster_id, "cluster", lambda h: decide_change_cluster_membership(ClusterState.replay(h), cmd),
            metadata, expected_version=expected_version,
        )

    async def assign_cluster_lead(
        self, cmd: AssignClusterLead, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Phân công cụm trưởng, khối trưởng của một năm."""
        return await self._execute(
            cmd.cluster_id, "cluster", lambda h: decide_assign_cluster_lead(ClusterState.replay(h), cmd),
            metadata, expected_version=expected_version,
        )

    async def score_cluster(
        self, cmd: ScoreCluster, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Chấm điểm, xếp hạng thi đua của cụm, khối cho một năm."""
        return await self._execute(
            cmd.cluster_id, "cluster", lambda h: decide_score_cluster(ClusterState.replay(h), cmd),
            metadata, expected_version=expected_version,
        )
