"""Command handlers of the campaigns service: each a declaration of what it loads and which decision it calls.

Every handler runs in the kernel's unit of work (:mod:`kernel.unit_of_work`): it
reads the streams it needs (with their versions), loads from the units replica's
tables the part its decision reads (:class:`~.domain.ReplicaNeeds`), calls the pure
``decide_*`` function and appends the result; the unit of work appends each event to
the stream of its subject (closing a movement or a year, a training report that moves
targets write several streams), projects them onto the query tables
(:func:`.projections.project`) in the same transaction, and retries a lost race on
fresh state — unless the client pinned a version with If-Match.

**Locks**, always taken in this order:

1. the *replica lock* (:func:`.projections.replica.lock_replica`), exclusive: taken by
   every command that reads the units replica (set a target, report a training,
   close a movement or a year, register) and by the units subscriber before it
   records facts. Such a command sees every fact committed before it, and never
   interleaves with the progress policy;
2. the *movement row* ``FOR SHARE`` (:meth:`CampaignsHandlers._movement`): commands
   that need an open movement (registrations, targets and pledges of a movement) read
   its row first; closing the movement updates that row, so a close and such a
   command are serialised and nothing slips in after the close.

Commands on one stream that read nothing else need no lock: the stream's version
protects them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import TrainingCompletionReported

from kernel.errors import Conflict, DomainError
from kernel.eventstore import Metadata, RecordedEvent
from kernel.scope import outside_scope
from kernel.service import Service
from kernel.unit_of_work import Stream, Transactions, UnitOfWork

from .domain import (
    TREE_ONLY,
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
from .projections.tables import aggregate_of, open_target_ids, open_targets, project
from .subscribers import publish_progress, touched_targets


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


def check_stream_kind(stream: Stream, kind: str) -> None:
    """Refuse to write a ``kind`` event to a stream that holds another aggregate.

    Every stream of the service shares one namespace and the ids are chosen by the
    callers, so a pledge "gu-2024" and a movement "gu-2024" would share a stream.
    """
    if stream.event_types and (found := aggregate_of(stream.event_types[0])) != kind:
        raise Conflict(
            "id_in_use",
            f"The id {stream.stream_id!r} already names a {found}, not a {kind}; choose another id.",
            stream_id=stream.stream_id,
            used_by=found,
        )


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
    tree = replica.tree
    if not tree.within(cmd.unit_id, officer, today):
        raise outside_scope(officer, "unit_id", [cmd.unit_id])
    people = [i.person_id for i in cmd.individuals]
    unknown = sorted(p for p in people if p not in replica.people)
    if unknown:
        raise DomainError("person_not_found", f"Unknown person(s): {', '.join(unknown)}", person_ids=unknown)
    outside = []
    for person in people:
        unit = replica.people[person].unit_on(today)
        if unit is None or not tree.within(unit, cmd.unit_id, today):
            outside.append(person)
    if outside:
        raise outside_scope(officer, "individuals", sorted(outside))


class CampaignsHandlers:
    """The campaigns service's command handlers, over its event store and replica."""

    def __init__(self, service: Service, *, attempts: int = 3) -> None:
        self.service = service
        self.transactions = Transactions(service.running_pool, service.store, project=project, attempts=attempts)

    # -- what the handlers load --------------------------------------------------

    async def _on_one_stream(
        self,
        stream_id: str,
        kind: str,
        decide: Callable[[list[EventPayload]], Sequence[EventPayload]],
        metadata: Metadata,
        *,
        expected_version: int | None = None,
    ) -> CommandResult:
        """A command on one stream (a ``kind``) that reads nothing else."""

        async def work(uow: UnitOfWork) -> CommandResult:
            stream = await _own_stream(uow, stream_id, kind, expected_version)
            return command_result(stream_id, stream.version, await uow.append(decide(stream.events)))

        return await self.transactions.run(work, metadata, retry=expected_version is None)

    @staticmethod
    async def _replica(uow: UnitOfWork, needs: ReplicaNeeds) -> ReplicaState:
        """The part of the units replica ``needs`` names, from its tables, under the replica
        lock (taken for the rest of the transaction if not yet held)."""
        await lock_replica(uow.conn)
        return await load_replica(uow.conn, needs)

    @staticmethod
    async def _movement(uow: UnitOfWork, movement_id: str) -> MovementState:
        """A movement read for a check that it is open: its row is share-locked first, so
        a concurrent close waits for this transaction (or this one sees it closed). Its
        stream is only read: another aggregate's events under the id mean "not found"."""
        await uow.conn.execute("SELECT 1 FROM movements WHERE movement_id = $1 FOR SHARE", movement_id)
        return MovementState.replay((await uow.stream(movement_id)).events)

    @staticmethod
    async def _targets(uow: UnitOfWork, ids: Sequence[str]) -> list[TargetState]:
        """Targets the command may finalise (their versions are remembered for the append)."""
        return [TargetState.replay(stream.events) for stream in (await uow.streams(ids)).values()]

    # -- movements ---------------------------------------------------------------

    async def launch_movement(self, cmd: LaunchMovement, metadata: Metadata) -> CommandResult:
        """Phát động phong trào thi đua."""
        return await self._on_one_stream(
            cmd.movement_id, "movement", lambda h: decide_launch_movement(MovementState.replay(h), cmd), metadata
        )

    async def amend_movement(
        self, cmd: AmendMovement, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Sửa đổi, bổ sung a movement."""
        return await self._on_one_stream(
            cmd.movement_id, "movement", lambda h: decide_amend_movement(MovementState.replay(h), cmd), metadata,
            expected_version=expected_version,
        )

    async def review_movement(
        self, cmd: ReviewMovement, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Sơ kết / tổng kết a movement."""
        return await self._on_one_stream(
            cmd.movement_id, "movement", lambda h: decide_review_movement(MovementState.replay(h), cmd), metadata,
            expected_version=expected_version,
        )

    async def close_movement(
        self, cmd: CloseMovement, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Close a movement; its open targets become met or missed (their own streams)."""

        async def work(uow: UnitOfWork) -> CommandResult:
            await lock_replica(uow.conn)
            stream = await _own_stream(uow, cmd.movement_id, "movement", expected_version)
            targets = await self._targets(uow, await open_target_ids(uow.conn, movement_id=cmd.movement_id))
            events = decide_close_movement(
                MovementState.replay(stream.events), cmd, targets=targets,
                replica=await self._replica(uow, replica_needs(targets)),
            )
            return command_result(cmd.movement_id, stream.version, await uow.append(events))

        return await self.transactions.run(work, metadata, retry=expected_version is None)

    # -- targets, training reports, years ------------------------------------------

    async def set_target(self, cmd: SetTarget, metadata: Metadata) -> CommandResult:
        """Giao chỉ tiêu; its first ``target.progressed`` follows at once when the replica
        already has something to count."""

        async def work(uow: UnitOfWork) -> CommandResult:
            await lock_replica(uow.conn)
            stream = await _own_stream(uow, cmd.target_id, "target")
            year = YearState.replay((await uow.stream(year_stream(cmd.year))).events, year=cmd.year)
            movement = await self._movement(uow, cmd.movement_id) if cmd.movement_id is not None else None
            events = list(decide_set_target(TargetState.replay(stream.events), cmd, movement=movement, year=year))
            target = TargetState.replay([*stream.events, *events])
            replica = await self._replica(uow, replica_needs([target]))
            events += decide_progress_events(target, compute_progress(target, replica))
            return command_result(cmd.target_id, stream.version, await uow.append(events))

        return await self.transactions.run(work, metadata)

    async def report_training(
        self, cmd: ReportTrainingCompletion, metadata: Metadata, today: date
    ) -> CommandResult:
        """Báo cáo kết quả học tập, bồi dưỡng; the report enters the replica and moves the
        targets on that training, in the same transaction."""
        report_id = training_report_id(cmd.unit_id, cmd.year, cmd.training_code)

        async def work(uow: UnitOfWork) -> CommandResult:
            require_existing_unit(await self._replica(uow, TREE_ONLY), cmd.unit_id, today)
            stream = await _own_stream(uow, report_id, "training")
            year = YearState.replay((await uow.stream(year_stream(cmd.year))).events, year=cmd.year)
            events = decide_report_training(TrainingReportState.replay(stream.events), cmd, year=year, today=today)
            recorded = await uow.append(events)
            if recorded:
                [report] = events
                assert isinstance(report, TrainingCompletionReported)
                fact = training_fact(report)
                await record_facts(uow.conn, [FactRow(recorded[0].event_id, report.event_type, report_id, fact,
                                                      metadata.correlation_id)])
                causes = touched_targets([(fact, metadata.caused_by(recorded[0].event_id))],
                                         await open_targets(uow.conn))
                recorded += await publish_progress(uow.conn, uow.store, causes)
            return command_result(report_id, stream.version, recorded)

        return await self.transactions.run(work, metadata)

    async def close_year(self, year: int, metadata: Metadata, today: date) -> CommandResult:
        """Close an emulation year: ``year.closed``, then each open target of the year met
        or missed, with the replica's numbers now."""
        stream_id = year_stream(year)

        async def work(uow: UnitOfWork) -> CommandResult:
            await lock_replica(uow.conn)
            stream = await _own_stream(uow, stream_id, "year")
            targets = await self._targets(uow, await open_target_ids(uow.conn, year=year))
            events = decide_close_year(
                YearState.replay(stream.events, year=year), CloseYear(year=year),
                targets=targets, replica=await self._replica(uow, replica_needs(targets)), today=today,
            )
            return command_result(stream_id, stream.version, await uow.append(events))

        return await self.transactions.run(work, metadata)

    # -- registrations -----------------------------------------------------------

    async def submit_registration(
        self, cmd: SubmitRegistration, metadata: Metadata, today: date, officer_unit: str | None = None
    ) -> CommandResult:
        """Đăng ký thi đua (checked against the movement and the deadline on ``today``); a unit officer
        (``officer_unit``) registers only their own units and the people of the registering unit."""
        stream_id = registration_id(cmd.movement_id, cmd.unit_id, cmd.year)

        async def work(uow: UnitOfWork) -> CommandResult:
            people = frozenset(i.person_id for i in cmd.individuals) if officer_unit is not None else frozenset()
            replica = await self._replica(uow, ReplicaNeeds(people=people))
            require_existing_unit(replica, cmd.unit_id, today)
            if officer_unit is not None:
                require_officer_scope(replica, officer_unit, cmd, today)
            movement = await self._movement(uow, cmd.movement_id)
            stream = await _own_stream(uow, stream_id, "registration")
            events = decide_submit_registration(
                RegistrationState.replay(stream.events), cmd, movement=movement, today=today
            )
            return command_result(stream_id, stream.version, await uow.append(events))

        return await self.transactions.run(work, metadata)

    async def withdraw_registration(
        self, cmd: WithdrawRegistration, metadata: Metadata, today: date, expected_version: int | None = None
    ) -> CommandResult:
        """Rút đăng ký thi đua."""
        stream_id = registration_id(cmd.movement_id, cmd.unit_id, cmd.year)

        async def work(uow: UnitOfWork) -> CommandResult:
            movement = await self._movement(uow, cmd.movement_id)
            stream = await _own_stream(uow, stream_id, "registration", expected_version)
            events = decide_withdraw_registration(
                RegistrationState.replay(stream.events), cmd, movement=movement, today=today
            )
            return command_result(stream_id, stream.version, await uow.append(events))

        return await self.transactions.run(work, metadata, retry=expected_version is None)

    # -- pledges -----------------------------------------------------------------

    async def sign_pledge(self, cmd: SignPledge, metadata: Metadata) -> CommandResult:
        """Ký kết giao ước thi đua."""

        async def work(uow: UnitOfWork) -> CommandResult:
            stream = await _own_stream(uow, cmd.pledge_id, "pledge")
            movement = await self._movement(uow, cmd.movement_id) if cmd.movement_id is not None else None
            cluster = ClusterState.replay((await uow.stream(cmd.cluster_id)).events) if cmd.cluster_id else None
            events = decide_sign_pledge(PledgeState.replay(stream.events), cmd, movement=movement, cluster=cluster)
            return command_result(cmd.pledge_id, stream.version, await uow.append(events))

        return await self.transactions.run(work, metadata)

    async def review_pledge(
        self, cmd: ReviewPledge, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Đánh giá thực hiện giao ước (every clause)."""

        async def work(uow: UnitOfWork) -> CommandResult:
            stream = await _own_stream(uow, cmd.pledge_id, "pledge", expected_version)
            pledge = PledgeState.replay(stream.events)
            movement = await self._movement(uow, pledge.movement_id) if pledge.movement_id is not None else None
            events = decide_review_pledge(pledge, cmd, movement=movement)
            return command_result(cmd.pledge_id, stream.version, await uow.append(events))

        return await self.transactions.run(work, metadata, retry=expected_version is None)

    # -- clusters ----------------------------------------------------------------

    async def form_cluster(self, cmd: FormCluster, metadata: Metadata) -> CommandResult:
        """Thành lập cụm, khối thi đua."""
        return await self._on_one_stream(
            cmd.cluster_id, "cluster", lambda h: decide_form_cluster(ClusterState.replay(h), cmd), metadata
        )

    async def change_cluster_membership(
        self, cmd: ChangeClusterMembership, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Điều chỉnh thành viên cụm, khối từ một năm."""
        return await self._on_one_stream(
            cmd.cluster_id, "cluster", lambda h: decide_change_cluster_membership(ClusterState.replay(h), cmd),
            metadata, expected_version=expected_version,
        )

    async def assign_cluster_lead(
        self, cmd: AssignClusterLead, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Phân công cụm trưởng, khối trưởng của một năm."""
        return await self._on_one_stream(
            cmd.cluster_id, "cluster", lambda h: decide_assign_cluster_lead(ClusterState.replay(h), cmd),
            metadata, expected_version=expected_version,
        )

    async def score_cluster(
        self, cmd: ScoreCluster, metadata: Metadata, expected_version: int | None = None
    ) -> CommandResult:
        """Chấm điểm, xếp hạng thi đua của cụm, khối cho một năm."""
        return await self._on_one_stream(
            cmd.cluster_id, "cluster", lambda h: decide_score_cluster(ClusterState.replay(h), cmd),
            metadata, expected_version=expected_version,
        )


async def _own_stream(uow: UnitOfWork, stream_id: str, kind: str, expected_version: int | None = None) -> Stream:
    """The stream the command writes: checked to hold a ``kind`` (and to be at the client's If-Match)."""
    stream = await uow.stream(stream_id, expected_version=expected_version)
    check_stream_kind(stream, kind)
    return stream
