"""Targets (chỉ tiêu thi đua), their progress, the emulation year, and training reports.

A target measures one share for one year (see
:class:`tdkt_contracts.catalogue.campaigns.TargetMetric`) against a threshold in
percent. Its progress is a pure function of the replica
(:func:`compute_progress`); the service publishes ``target.progressed`` when
the numbers change (:func:`decide_progress_events`) and, when the year or the
movement closes, ``target.met`` or ``target.missed`` (:func:`decide_close_year`,
:func:`decide_finalise_target`).

How each metric counts, for year Y, on 31 December of Y (see :mod:`.replica`):

``units_graded_good_or_better``
    Units counted: the listed units of the scope; for ``all_units``, the units
    directly under a top-level unit (the đơn vị thuộc Bộ: the ministry is the top
    of the units tree; its sub-units' sub-units are not counted). A unit counts
    if it is active on 31 December or was graded for Y. Numerator: those graded
    HTT or HTXS for Y.
``staff_graded_good_or_better``
    People counted: everyone counted in Y (see :mod:`.replica`) whose unit for Y
    is a unit of the scope or under one; every person for ``all_units``.
    Numerator: those graded HTT or HTXS for Y. An ungraded person counts in the
    denominator only.
``staff_training_completed``
    The units' latest reports for (Y, training code), from units of the scope or
    under one: numerator = sum of ``completed``, denominator = sum of
    ``headcount``. Units that have not reported are not counted (each unit
    reports its own staff, not its sub-units').

A target is reached when ``numerator × 100 ≥ threshold × denominator`` and the
denominator is not zero. With a zero denominator the progress is *unknown*:
no ``target.progressed`` is published, and at closing the target is missed
(``share_percent`` null), since nothing shows it was reached.

Streams: one per target (``target_id``), one per year (``year``), one per training
report (``<unit_id>/<year>/<training_code>``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Protocol

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import (
    CloseTrigger,
    TargetMet,
    TargetMetric,
    TargetMissed,
    TargetProgressed,
    TargetSet,
    TrainingCompletionReported,
    UnitScope,
    YearClosed,
)
from tdkt_contracts.vocabulary import Grade

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError

from .commands import CloseYear, ReportTrainingCompletion, SetTarget
from .movement import MovementState, require_open_movement
from .replica import (
    TREE_ONLY,
    ReplicaNeeds,
    ReplicaState,
    TrainingReportFact,
    UnitsFact,
    in_scope_subtree,
    year_end,
    years_affected,
)

ALL_UNITS = UnitScope(all_units=True)

# ---------------------------------------------------------------------------
# Progress: a pure computation over the replica
# ---------------------------------------------------------------------------


class TargetDefinition(Protocol):
    """What :func:`compute_progress` needs of a target (a :class:`TargetState` has it).

    Read-only properties, so that frozen states (and any read-only object) match."""

    @property
    def metric(self) -> TargetMetric | None: ...
    @property
    def year(self) -> int: ...
    @property
    def scope(self) -> UnitScope | None: ...
    @property
    def threshold_percent(self) -> Decimal: ...
    @property
    def training_code(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Progress:
    """A target's numbers now. ``share`` and ``share_percent`` are None when the
    denominator is 0 (progress unknown); ``met`` is then False."""

    numerator: int
    denominator: int
    threshold: Decimal
    """The threshold, in percent."""

    @property
    def known(self) -> bool:
        return self.denominator > 0

    @property
    def share(self) -> Decimal | None:
        """numerator / denominator as a fraction 0–1 (28 significant digits)."""
        return Decimal(self.numerator) / Decimal(self.denominator) if self.known else None

    @property
    def share_percent(self) -> Decimal | None:
        """The share in percent, rounded *down* to 2 decimals (so it never shows a
        threshold as reached when it is not)."""
        if not self.known:
            return None
        return Decimal(self.numerator * 10_000 // self.denominator).scaleb(-2)

    @property
    def met(self) -> bool:
        return self.known and Decimal(self.numerator) * 100 >= self.threshold * self.denominator


def _good(grade: Grade | None) -> bool:
    return grade is not None and grade.rank >= Grade.GOOD.rank


def _units_progress(replica: ReplicaState, year: int, scope: UnitScope) -> tuple[int, int]:
    day = year_end(year)
    if scope.all_units:
        tree = replica.tree
        candidates = [
            unit_id
            for unit_id, record in replica.units.items()
            if (parent := record.parent_on(day)) is not None and tree.is_top_level(parent, day)
        ]
    else:
        candidates = list(scope.unit_ids)
    numerator = denominator = 0
    for unit_id in candidates:
        record = replica.unit(unit_id)
        grade = record.grades.get(year)
        if record.active_on(day) or grade is not None:
            denominator += 1
            numerator += _good(grade)
    return numerator, denominator


def _staff_progress(replica: ReplicaState, year: int, scope: UnitScope) -> tuple[int, int]:
    day = year_end(year)
    numerator = denominator = 0
    for person in replica.people.values():
        graded = person.grades.get(year)
        unit_id = (graded[1] if graded else None) or person.unit_on(day)
        if unit_id is None and graded is not None:
            unit_id = person.last_unit_in(year)
        if unit_id is None:
            continue  # not on the staff at year end, and not graded for the year
        if not in_scope_subtree(replica, unit_id, scope, day):
            continue
        denominator += 1
        numerator += _good(graded[0] if graded else None)
    return numerator, denominator


def _training_progress(replica: ReplicaState, year: int, scope: UnitScope, code: str | None) -> tuple[int, int]:
    day = year_end(year)
    numerator = denominator = 0
    for (unit_id, report_year, report_code), (completed, headcount) in replica.training.items():
        if report_year == year and report_code == code and in_scope_subtree(replica, unit_id, scope, day):
            numerator += completed
            denominator += headcount
    return numerator, denominator


def compute_progress(target: TargetDefinition, replica: ReplicaState) -> Progress:
    """The target's numbers from the replica. Pure; never divides by zero."""
    scope = target.scope or ALL_UNITS
    if target.metric is TargetMetric.UNITS_GRADED_GOOD_OR_BETTER:
        numerator, denominator = _units_progress(replica, target.year, scope)
    elif target.metric is TargetMetric.STAFF_GRADED_GOOD_OR_BETTER:
        numerator, denominator = _staff_progress(replica, target.year, scope)
    elif target.metric is TargetMetric.STAFF_TRAINING_COMPLETED:
        numerator, denominator = _training_progress(replica, target.year, scope, target.training_code)
    else:  # a state that was never set
        numerator = denominator = 0
    return Progress(numerator, denominator, Decimal(target.threshold_percent))


def replica_needs(targets: Iterable[TargetDefinition]) -> ReplicaNeeds:
    """What :func:`compute_progress` reads of the replica for these targets: the units
    always; every person with their grades of the target's year for a staff target;
    the reports of the target's year and training for a training target."""
    needs = TREE_ONLY
    for target in targets:
        if target.metric is TargetMetric.STAFF_GRADED_GOOD_OR_BETTER:
            needs |= ReplicaNeeds(people=None, grade_years=frozenset({target.year}))
        elif target.metric is TargetMetric.STAFF_TRAINING_COMPLETED and target.training_code is not None:
            needs |= ReplicaNeeds(training=frozenset({(target.year, target.training_code)}))
    return needs


# ---------------------------------------------------------------------------
# The target aggregate
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TargetState:
    """A target folded from its events. ``exists`` is false before ``target.set``."""

    target_id: str = ""
    exists: bool = False
    movement_id: str | None = None
    year: int = 0
    metric: TargetMetric | None = None
    threshold_percent: Decimal = Decimal(0)
    scope: UnitScope | None = None
    training_code: str | None = None
    description: str = ""
    set_on: date | None = None
    numerator: int | None = None
    """Last published numerator (None before the first ``target.progressed``)."""
    denominator: int | None = None
    outcome: str | None = None
    """None while open; ``met`` or ``missed`` once final."""
    decided_on: date | None = None

    @classmethod
    def replay(cls, events: Iterable[EventPayload]) -> TargetState:
        return fold(cls(), events)

    def apply(self, event: EventPayload) -> TargetState:
        if isinstance(event, TargetSet):
            return replace(
                self,
                target_id=event.target_id,
                exists=True,
                movement_id=event.movement_id,
                year=event.year,
                metric=event.metric,
                threshold_percent=event.threshold_percent,
                scope=event.scope,
                training_code=event.training_code,
                description=event.description,
                set_on=event.set_on,
            )
        if isinstance(event, TargetProgressed):
            return replace(self, numerator=event.numerator, denominator=event.denominator)
        if isinstance(event, (TargetMet, TargetMissed)):
            return replace(
                self,
                numerator=event.numerator,
                denominator=event.denominator,
                outcome="met" if isinstance(event, TargetMet) else "missed",
                decided_on=event.decided_on,
            )
        return self

    @property
    def open(self) -> bool:
        return self.exists and self.outcome is None

    @property
    def last_progress(self) -> Progress | None:
        """The last published numbers, or None if none were."""
        if self.numerator is None or self.denominator is None:
            return None
        return Progress(self.numerator, self.denominator, self.threshold_percent)


@dataclass(frozen=True, slots=True)
class YearState:
    """An emulation year: open until ``year.closed``."""

    year: int = 0
    closed: bool = False
    closed_on: date | None = None

    @classmethod
    def replay(cls, events: Iterable[EventPayload], year: int = 0) -> YearState:
        return fold(cls(year=year), events)

    def apply(self, event: EventPayload) -> YearState:
        if isinstance(event, YearClosed):
            return replace(self, year=event.year, closed=True, closed_on=event.closed_on)
        return self


@dataclass(frozen=True, slots=True)
class TrainingReportState:
    """The latest training report of one unit, year and training."""

    report_id: str = ""
    completed: int | None = None
    headcount: int | None = None

    @classmethod
    def replay(cls, events: Iterable[EventPayload]) -> TrainingReportState:
        return fold(cls(), events)

    def apply(self, event: EventPayload) -> TrainingReportState:
        if isinstance(event, TrainingCompletionReported):
            return replace(self, report_id=event.report_id, completed=event.completed, headcount=event.headcount)
        return self


def training_report_id(unit_id: str, year: int, training_code: str) -> str:
    """The stream id of a unit's report on a training for a year."""
    return f"{unit_id}/{year}/{training_code}"


def training_fact(event: TrainingCompletionReported) -> TrainingReportFact:
    """The replica fact for one of our own ``training.reported`` events."""
    return TrainingReportFact(
        unit_id=event.unit_id,
        year=event.year,
        training_code=event.training_code,
        completed=event.completed,
        headcount=event.headcount,
    )


# ---------------------------------------------------------------------------
# Decisions
# ---------------------------------------------------------------------------


def _require_open_year(year: YearState, number: int) -> None:
    if year.closed:
        raise DomainError(
            "year_closed",
            f"The emulation year {number} was closed on {year.closed_on}; its targets are final.",
            year=number,
        )


def decide_set_target(
    state: TargetState,
    cmd: SetTarget,
    *,
    movement: MovementState | None,
    year: YearState,
) -> list[EventPayload]:
    """Set a target.

    Load: the target's stream; the year's stream (``cmd.year``); the movement's
    stream when ``cmd.movement_id`` is set (pass ``movement=None`` otherwise).
    """
    if state.exists:
        raise Conflict("target_exists", f"Target {cmd.target_id!r} is already set.", target_id=cmd.target_id)
    try:
        metric = TargetMetric(cmd.metric)
    except ValueError:
        known = [m.value for m in TargetMetric]
        raise DomainError(
            "unknown_metric",
            f"Unknown metric {cmd.metric!r}; the system can compute: {', '.join(known)}.",
            metric=cmd.metric,
            known=known,
        ) from None
    if metric is TargetMetric.STAFF_TRAINING_COMPLETED and not cmd.training_code:
        raise DomainError(
            "training_code_required",
            "A staff_training_completed target names the training it counts (training_code).",
        )
    if metric is not TargetMetric.STAFF_TRAINING_COMPLETED and cmd.training_code:
        raise DomainError(
            "training_code_not_applicable",
            f"training_code applies only to staff_training_completed, not to {metric.value}.",
        )
    _require_open_year(year, cmd.year)
    scope = cmd.scope
    if cmd.movement_id is not None:
        if movement is None:
            movement = MovementState()
        require_open_movement(movement, cmd.movement_id)
        if not movement.covers_year(cmd.year):
            raise DomainError(
                "year_outside_movement_period",
                f"Movement {movement.title!r} runs {movement.period_start} – {movement.period_end or '…'}; "
                f"it has no year {cmd.year}.",
                year=cmd.year,
            )
        assert movement.scope is not None
        if scope is None:
            scope = movement.scope
        elif not scope.within(movement.scope):
            outside = sorted(set(scope.unit_ids) - set(movement.scope.unit_ids)) if not scope.all_units else ["*"]
            raise DomainError(
                "unit_not_in_scope",
                f"The target counts units outside the movement's scope: {', '.join(outside)}.",
                unit_ids=outside,
            )
    return [
        TargetSet(
            target_id=cmd.target_id,
            movement_id=cmd.movement_id,
            year=cmd.year,
            metric=metric,
            threshold_percent=cmd.threshold_percent,
            scope=scope or ALL_UNITS,
            training_code=cmd.training_code,
            description=cmd.description,
            set_on=cmd.set_on,
        )
    ]


def decide_progress_events(target: TargetState, progress: Progress) -> list[EventPayload]:
    """``target.progressed`` if the numbers differ from the last published ones;
    nothing for a final target or an unknown progress (denominator 0).

    Load: the target's stream; compute ``progress`` with :func:`compute_progress`.
    """
    if not target.open or not progress.known:
        return []
    if (progress.numerator, progress.denominator) == (target.numerator, target.denominator):
        return []
    assert target.metric is not None and progress.share_percent is not None
    return [
        TargetProgressed(
            target_id=target.target_id,
            movement_id=target.movement_id,
            year=target.year,
            metric=target.metric,
            numerator=progress.numerator,
            denominator=progress.denominator,
            threshold_percent=target.threshold_percent,
            share_percent=progress.share_percent,
            on_track=progress.met,
        )
    ]


def decide_finalise_target(
    target: TargetState, replica: ReplicaState, *, trigger: CloseTrigger, decided_on: date
) -> list[EventPayload]:
    """``target.met`` or ``target.missed`` with the numbers from the replica now;
    nothing if the target is already final or does not exist (so it is safe to
    call again). Load: the target's stream; the replica."""
    if not target.open:
        return []
    assert target.metric is not None
    progress = compute_progress(target, replica)
    outcome = TargetMet if progress.met else TargetMissed
    return [
        outcome(
            target_id=target.target_id,
            movement_id=target.movement_id,
            year=target.year,
            metric=target.metric,
            numerator=progress.numerator,
            denominator=progress.denominator,
            threshold_percent=target.threshold_percent,
            share_percent=progress.share_percent,
            closed_by=trigger,
            decided_on=decided_on,
        )
    ]


def decide_close_year(
    state: YearState,
    cmd: CloseYear,
    *,
    targets: Sequence[TargetState],
    replica: ReplicaState,
    today: date,
) -> list[EventPayload]:
    """Close the emulation year ``cmd.year``: ``year.closed``, then ``target.met`` /
    ``target.missed`` for each open target of that year (movement targets too).

    A year can be closed once it is over (from 1 January of the next year), once.
    Load: the year's stream; the streams of the year's targets (others are
    ignored); the replica. The events of one target share its stream; if the
    event store cannot append to several streams in one transaction, append
    ``year.closed`` first, then call :func:`decide_finalise_target` per target
    (it returns nothing for a target already final).
    """
    if state.closed:
        raise Conflict("year_already_closed", f"The year {cmd.year} was closed on {state.closed_on}.", year=cmd.year)
    if today <= year_end(cmd.year):
        raise DomainError(
            "year_not_over",
            f"The year {cmd.year} can be closed from {cmd.year + 1}-01-01; today is {today}.",
            year=cmd.year,
        )
    events: list[EventPayload] = [YearClosed(year=cmd.year, closed_on=today)]
    for target in targets:
        if target.year == cmd.year:
            events += decide_finalise_target(target, replica, trigger=CloseTrigger.YEAR_CLOSED, decided_on=today)
    return events


def decide_report_training(
    state: TrainingReportState,
    cmd: ReportTrainingCompletion,
    *,
    year: YearState,
    today: date,
) -> list[EventPayload]:
    """Record a unit's training report; a later report replaces the earlier one,
    and the same numbers again change nothing.

    Load: the report's stream (:func:`training_report_id`); the year's stream.
    """
    if cmd.completed > cmd.headcount:
        raise DomainError(
            "completed_exceeds_headcount",
            f"{cmd.completed} people completed the training but the unit reports only {cmd.headcount}.",
            completed=cmd.completed,
            headcount=cmd.headcount,
        )
    _require_open_year(year, cmd.year)
    if (state.completed, state.headcount) == (cmd.completed, cmd.headcount):
        return []
    return [
        TrainingCompletionReported(
            report_id=training_report_id(cmd.unit_id, cmd.year, cmd.training_code),
            unit_id=cmd.unit_id,
            year=cmd.year,
            training_code=cmd.training_code,
            completed=cmd.completed,
            headcount=cmd.headcount,
            reported_on=today,
        )
    ]


# ---------------------------------------------------------------------------
# Which targets to recompute when a fact arrives
# ---------------------------------------------------------------------------

_METRICS_OF_FACT: dict[str, frozenset[TargetMetric]] = {
    "UnitEvaluationRecordedFact": frozenset({TargetMetric.UNITS_GRADED_GOOD_OR_BETTER}),
    "UnitEvaluationCorrectedFact": frozenset({TargetMetric.UNITS_GRADED_GOOD_OR_BETTER}),
    "PersonEnrolledFact": frozenset({TargetMetric.STAFF_GRADED_GOOD_OR_BETTER}),
    "PersonTransferredFact": frozenset({TargetMetric.STAFF_GRADED_GOOD_OR_BETTER}),
    "PersonLeftFact": frozenset({TargetMetric.STAFF_GRADED_GOOD_OR_BETTER}),
    "PersonEvaluationRecordedFact": frozenset({TargetMetric.STAFF_GRADED_GOOD_OR_BETTER}),
    "PersonEvaluationCorrectedFact": frozenset({TargetMetric.STAFF_GRADED_GOOD_OR_BETTER}),
    "TrainingReportFact": frozenset({TargetMetric.STAFF_TRAINING_COMPLETED}),
}
_TREE_FACT_METRICS = frozenset(TargetMetric)  # establishment, move, merge, dissolution: every metric


def targets_touched_by(fact: UnitsFact, targets: Iterable[TargetState]) -> list[TargetState]:
    """The open targets whose numbers ``fact`` can change: recompute these with
    :func:`compute_progress` after applying it, then :func:`decide_progress_events`."""
    metrics = _METRICS_OF_FACT.get(type(fact).__name__, _TREE_FACT_METRICS)
    first, last = years_affected(fact)
    touched = []
    for target in targets:
        if not target.open or target.metric not in metrics:
            continue
        if target.year < first or (last is not None and target.year > last):
            continue
        if isinstance(fact, TrainingReportFact) and target.training_code != fact.training_code:
            continue
        touched.append(target)
    return touched
