"""The movement aggregate (phong trào thi đua): launch, amend, review, close.

Stream: one per movement, id ``movement_id``. Rules:

* a movement is launched once (``movement_exists``);
* its period must not end before it starts (``invalid_period``);
* any number of interim reviews (sơ kết), then at most one final review
  (tổng kết); nothing but closing follows a final review
  (``final_review_done``); no review is dated before the launch
  (``review_before_launch``);
* a closed movement accepts no command at all (``movement_closed``): not here,
  and not in the registrations, targets and pledges attached to it;
* closing makes the movement's open targets final: :func:`decide_close_movement`
  returns ``movement.closed`` followed by one ``target.met`` / ``target.missed``
  per open target.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import (
    CloseTrigger,
    Launcher,
    MovementAmended,
    MovementClosed,
    MovementKind,
    MovementLaunched,
    MovementReviewed,
    ReviewKind,
    UnitScope,
)

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError, NotFound

from .commands import AmendMovement, CloseMovement, LaunchMovement, ReviewMovement
from .replica import ReplicaState

if TYPE_CHECKING:  # targets imports this module
    from .targets import TargetState


@dataclass(frozen=True, slots=True)
class MovementState:
    """A movement folded from its events. ``exists`` is false before the launch."""

    movement_id: str = ""
    exists: bool = False
    title: str = ""
    launched_by: Launcher | None = None
    kind: MovementKind | None = None
    scope: UnitScope | None = None
    period_start: date | None = None
    period_end: date | None = None
    criteria: str = ""
    launched_on: date | None = None
    decision_ref: str | None = None
    responds_to: str | None = None
    registration_deadline: date | None = None
    annual_registration_deadline: str = "03-31"
    reviews: tuple[tuple[ReviewKind, date, str], ...] = ()
    closed: bool = False
    closed_on: date | None = None

    # -- folding ---------------------------------------------------------------

    @classmethod
    def replay(cls, events: Iterable[EventPayload]) -> MovementState:
        return fold(cls(), events)

    def apply(self, event: EventPayload) -> MovementState:
        """The state after ``event``; events of other types leave it unchanged."""
        if isinstance(event, MovementLaunched):
            return replace(
                self,
                movement_id=event.movement_id,
                exists=True,
                title=event.title,
                launched_by=event.launched_by,
                kind=event.kind,
                scope=event.scope,
                period_start=event.period_start,
                period_end=event.period_end,
                criteria=event.criteria,
                launched_on=event.launched_on,
                decision_ref=event.decision_ref,
                responds_to=event.responds_to,
                registration_deadline=event.registration_deadline,
                annual_registration_deadline=event.annual_registration_deadline,
            )
        if isinstance(event, MovementAmended):
            changes = {
                name: getattr(event, name)
                for name in (
                    "title",
                    "scope",
                    "period_start",
                    "period_end",
                    "criteria",
                    "registration_deadline",
                    "annual_registration_deadline",
                )
                if getattr(event, name) is not None
            }
            return replace(self, **changes)
        if isinstance(event, MovementReviewed):
            return replace(self, reviews=(*self.reviews, (event.kind, event.reviewed_on, event.summary)))
        if isinstance(event, MovementClosed):
            return replace(self, closed=True, closed_on=event.closed_on)
        return self

    # -- reading ---------------------------------------------------------------

    @property
    def final_reviewed(self) -> bool:
        return any(kind is ReviewKind.FINAL for kind, _, _ in self.reviews)

    def covers_year(self, year: int) -> bool:
        """Whether the movement's period overlaps ``year``."""
        if self.period_start is None:
            return False
        return self.period_start.year <= year and (self.period_end is None or year <= self.period_end.year)

    def deadline_for(self, year: int) -> date:
        """The registration deadline for ``year``: the movement's single deadline if it
        has one, else the yearly day (29 February becomes 28 in common years)."""
        if self.registration_deadline is not None:
            return self.registration_deadline
        month, day = int(self.annual_registration_deadline[:2]), int(self.annual_registration_deadline[3:])
        return date(year, month, min(day, calendar.monthrange(year, month)[1]))


# -- guards shared with the other aggregates -----------------------------------


def require_open_movement(movement: MovementState, movement_id: str | None = None) -> None:
    """Raise ``movement_not_found`` or ``movement_closed`` unless the movement is open."""
    if not movement.exists:
        raise NotFound(
            "movement_not_found",
            f"Movement (phong trào thi đua) {movement_id or movement.movement_id!r} does not exist.",
            movement_id=movement_id or movement.movement_id,
        )
    if movement.closed:
        raise DomainError(
            "movement_closed",
            f"Movement {movement.title!r} was closed on {movement.closed_on}; it accepts nothing more.",
            movement_id=movement.movement_id,
            closed_on=str(movement.closed_on),
        )


def _check_period(start: date, end: date | None) -> None:
    if end is not None and end < start:
        raise DomainError(
            "invalid_period",
            f"The period ends ({end}) before it starts ({start}).",
            period_start=str(start),
            period_end=str(end),
        )


# -- decisions --------------------------------------------------------------------


def decide_launch_movement(state: MovementState, cmd: LaunchMovement) -> list[EventPayload]:
    """Launch. Load: the movement's stream (to refuse a second launch)."""
    if state.exists:
        raise Conflict(
            "movement_exists", f"Movement {cmd.movement_id!r} was already launched.", movement_id=cmd.movement_id
        )
    _check_period(cmd.period_start, cmd.period_end)
    return [MovementLaunched(**cmd.model_dump())]


def decide_amend_movement(state: MovementState, cmd: AmendMovement) -> list[EventPayload]:
    """Amend. Load: the movement's stream."""
    require_open_movement(state, cmd.movement_id)
    changes = cmd.model_dump(exclude={"movement_id", "amended_on", "reason"}, exclude_none=True)
    changes = {name: value for name, value in changes.items() if _differs(state, name, getattr(cmd, name))}
    if not changes:
        raise DomainError("nothing_to_amend", "The amendment changes nothing.", movement_id=cmd.movement_id)
    start = cmd.period_start or state.period_start
    end = cmd.period_end if cmd.period_end is not None else state.period_end
    assert start is not None
    _check_period(start, end)
    return [
        MovementAmended(
            movement_id=cmd.movement_id,
            amended_on=cmd.amended_on,
            reason=cmd.reason,
            **{name: getattr(cmd, name) for name in changes},
        )
    ]


def _differs(state: MovementState, name: str, value: object) -> bool:
    return getattr(state, name) != value


def decide_review_movement(state: MovementState, cmd: ReviewMovement) -> list[EventPayload]:
    """Interim or final review. Load: the movement's stream."""
    require_open_movement(state, cmd.movement_id)
    if state.final_reviewed:
        raise DomainError(
            "final_review_done",
            f"Movement {state.title!r} already had its final review (tổng kết); only closing remains.",
            movement_id=cmd.movement_id,
        )
    assert state.launched_on is not None
    if cmd.reviewed_on < state.launched_on:
        raise DomainError(
            "review_before_launch",
            f"A review dated {cmd.reviewed_on} is before the launch on {state.launched_on}.",
            movement_id=cmd.movement_id,
        )
    return [MovementReviewed(**cmd.model_dump())]


def decide_close_movement(
    state: MovementState,
    cmd: CloseMovement,
    *,
    targets: Sequence[TargetState],
    replica: ReplicaState,
) -> list[EventPayload]:
    """Close, and make the movement's open targets final.

    Load: the movement's stream; the streams of the targets attached to it (ids from
    a projection; others are ignored); the replica. Returns ``movement.closed`` first,
    then one ``target.met`` / ``target.missed`` per open target (subject: the target).
    """
    from .targets import decide_finalise_target  # imported here: targets imports this module

    require_open_movement(state, cmd.movement_id)
    assert state.launched_on is not None
    if cmd.closed_on < state.launched_on:
        raise DomainError(
            "close_before_launch",
            f"Closing on {cmd.closed_on} is before the launch on {state.launched_on}.",
            movement_id=cmd.movement_id,
        )
    events: list[EventPayload] = [MovementClosed(**cmd.model_dump())]
    for target in targets:
        if target.movement_id == state.movement_id:
            events += decide_finalise_target(
                target, replica, trigger=CloseTrigger.MOVEMENT_CLOSED, decided_on=cmd.closed_on
            )
    return events
