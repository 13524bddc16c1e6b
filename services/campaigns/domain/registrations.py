"""Registrations (đăng ký thi đua): at the start of a year a unit registers the
collective titles it aims for and the individual titles its people aim for.

Stream: one per (movement, unit, year), id ``<movement_id>/<unit_id>/<year>``
(:func:`registration_id`), so a duplicate is found inside one stream.

Rules, in the order they are checked:

1. the movement exists and is open (``movement_not_found``, ``movement_closed``);
2. the unit is in the movement's scope (``unit_not_in_scope``; a listed scope is
   matched on the unit id itself);
3. the year is in the movement's period (``year_outside_movement_period``);
4. ``today`` is on or before the deadline (``registration_deadline_passed``):
   the movement's single deadline, else the yearly day (default 31 March, common
   practice; no legal text read, rules.md §5 [U]);
5. no active registration exists (``registration_exists``; withdraw first to change
   it, before the deadline);
6. the content: at least one title (``empty_registration``), known title codes
   (``unknown_title``), collective titles for collectives and individual titles
   for people (``title_not_for_collective``, ``title_not_for_individual``), one
   entry per person (``duplicate_person``). Repeated codes in one list are
   merged.

Withdrawal: allowed while the movement is open, even after the deadline (the unit
gives up its aims); an unknown or already withdrawn registration is
``registration_not_found``. People are not checked against the unit's staff
(the replica may lag behind a recent enrolment).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import (
    IndividualRegistration,
    RegistrationSubmitted,
    RegistrationWithdrawn,
)
from tdkt_contracts.vocabulary import RecipientKind

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError, NotFound

from .commands import SubmitRegistration, WithdrawRegistration
from .movement import MovementState, require_open_movement

_I, _C = RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE


@dataclass(frozen=True, slots=True)
class RegistrableTitle:
    """A title or award a unit or a person may register for."""

    code: str
    label_vi: str
    recipients: frozenset[RecipientKind]


REGISTRABLE_TITLES: dict[str, RegistrableTitle] = {
    t.code: t
    for t in (
        RegistrableTitle("LDTT", "Lao động tiên tiến", frozenset({_I})),
        RegistrableTitle("CSTDCS", "Chiến sĩ thi đua cơ sở", frozenset({_I})),
        RegistrableTitle("CSTD_BO", "Chiến sĩ thi đua cấp Bộ", frozenset({_I})),
        RegistrableTitle("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", frozenset({_I})),
        RegistrableTitle("TTLDTT", "Tập thể lao động tiên tiến", frozenset({_C})),
        RegistrableTitle("TTLDXS", "Tập thể lao động xuất sắc", frozenset({_C})),
        RegistrableTitle("CO_TD_BO", "Cờ thi đua của Bộ", frozenset({_C})),
        RegistrableTitle("CO_TD_CP", "Cờ thi đua của Chính phủ", frozenset({_C})),
        RegistrableTitle("BK_BO", "Bằng khen của Bộ trưởng", frozenset({_I, _C})),
        RegistrableTitle("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", frozenset({_I, _C})),
    )
}
"""Codes accepted in registrations: the emulation titles (danh hiệu thi đua, Law
06/2022) and the two certificates of merit units commonly register for. Data, not
code: extend it here (and keep it in step with the awards context's catalogue)."""


def registration_id(movement_id: str, unit_id: str, year: int) -> str:
    """The stream id of a unit's registration for a year of a movement."""
    return f"{movement_id}/{unit_id}/{year}"


@dataclass(frozen=True, slots=True)
class RegistrationState:
    """A registration folded from its events; ``active`` while submitted and not withdrawn."""

    registration_id: str = ""
    movement_id: str = ""
    unit_id: str = ""
    year: int = 0
    active: bool = False
    collective_titles: tuple[str, ...] = ()
    individuals: tuple[IndividualRegistration, ...] = ()
    submitted_on: date | None = None
    deadline: date | None = None
    withdrawn_on: date | None = None

    @classmethod
    def replay(cls, events: Iterable[EventPayload]) -> RegistrationState:
        return fold(cls(), events)

    def apply(self, event: EventPayload) -> RegistrationState:
        if isinstance(event, RegistrationSubmitted):
            return replace(
                self,
                registration_id=event.registration_id,
                movement_id=event.movement_id,
                unit_id=event.unit_id,
                year=event.year,
                active=True,
                collective_titles=tuple(event.collective_titles),
                individuals=tuple(event.individuals),
                submitted_on=event.submitted_on,
                deadline=event.deadline,
                withdrawn_on=None,
            )
        if isinstance(event, RegistrationWithdrawn):
            return replace(self, active=False, withdrawn_on=event.withdrawn_on)
        return self


def _dedupe(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def _check_title(code: str, recipient: RecipientKind, who: str) -> None:
    title = REGISTRABLE_TITLES.get(code)
    if title is None:
        raise DomainError(
            "unknown_title",
            f"Unknown title code {code!r} ({who}); known codes: {', '.join(REGISTRABLE_TITLES)}.",
            title_code=code,
            known=list(REGISTRABLE_TITLES),
        )
    if recipient not in title.recipients:
        raise DomainError(
            "title_not_for_collective" if recipient is _C else "title_not_for_individual",
            f"{title.label_vi} ({code}) cannot be registered for a "
            f"{'collective (tập thể)' if recipient is _C else 'person (cá nhân)'} ({who}).",
            title_code=code,
        )


def decide_submit_registration(
    state: RegistrationState,
    cmd: SubmitRegistration,
    *,
    movement: MovementState,
    today: date,
) -> list[EventPayload]:
    """Register. Load: the registration's stream (:func:`registration_id`) and the
    movement's stream; pass the service's current date as ``today``."""
    require_open_movement(movement, cmd.movement_id)
    assert movement.scope is not None
    if not movement.scope.includes(cmd.unit_id):
        raise DomainError(
            "unit_not_in_scope",
            f"Unit {cmd.unit_id!r} is not among the units of movement {movement.title!r}.",
            unit_id=cmd.unit_id,
            movement_id=cmd.movement_id,
        )
    if not movement.covers_year(cmd.year):
        raise DomainError(
            "year_outside_movement_period",
            f"Movement {movement.title!r} runs {movement.period_start} – {movement.period_end or '…'}; "
            f"it has no year {cmd.year}.",
            year=cmd.year,
        )
    deadline = movement.deadline_for(cmd.year)
    if today > deadline:
        raise DomainError(
            "registration_deadline_passed",
            f"Registrations for {cmd.year} closed on {deadline.strftime('%d/%m/%Y')} (hạn đăng ký thi đua); "
            f"today is {today.strftime('%d/%m/%Y')}.",
            deadline=str(deadline),
            today=str(today),
        )
    if state.active:
        raise Conflict(
            "registration_exists",
            f"Unit {cmd.unit_id!r} already registered for {cmd.year} on {state.submitted_on}; withdraw it first.",
            registration_id=state.registration_id,
        )
    if not cmd.collective_titles and not cmd.individuals:
        raise DomainError("empty_registration", "The registration names no title, for the unit or for anyone.")
    collective = _dedupe(cmd.collective_titles)
    for code in collective:
        _check_title(code, _C, f"unit {cmd.unit_id}")
    seen: set[str] = set()
    individuals = []
    for entry in cmd.individuals:
        if entry.person_id in seen:
            raise DomainError(
                "duplicate_person",
                f"Person {entry.person_id!r} appears twice; give one entry per person.",
                person_id=entry.person_id,
            )
        seen.add(entry.person_id)
        titles = _dedupe(entry.titles)
        for code in titles:
            _check_title(code, _I, f"person {entry.person_id}")
        individuals.append(IndividualRegistration(person_id=entry.person_id, titles=titles))
    return [
        RegistrationSubmitted(
            registration_id=registration_id(cmd.movement_id, cmd.unit_id, cmd.year),
            movement_id=cmd.movement_id,
            unit_id=cmd.unit_id,
            year=cmd.year,
            collective_titles=collective,
            individuals=individuals,
            submitted_on=today,
            deadline=deadline,
        )
    ]


def decide_withdraw_registration(
    state: RegistrationState,
    cmd: WithdrawRegistration,
    *,
    movement: MovementState,
    today: date,
) -> list[EventPayload]:
    """Withdraw. Load: the registration's stream and the movement's stream."""
    require_open_movement(movement, cmd.movement_id)
    if not state.active:
        raise NotFound(
            "registration_not_found",
            f"Unit {cmd.unit_id!r} has no registration for {cmd.year} in this movement.",
            registration_id=registration_id(cmd.movement_id, cmd.unit_id, cmd.year),
        )
    return [
        RegistrationWithdrawn(
            registration_id=state.registration_id,
            movement_id=cmd.movement_id,
            unit_id=cmd.unit_id,
            year=cmd.year,
            withdrawn_on=today,
            reason=cmd.reason,
        )
    ]
