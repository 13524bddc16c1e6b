"""Registrations (đăng ký thi đua): deadline, scope, duplicates, titles, withdrawal."""

from __future__ import annotations

from datetime import date

import pytest
from campaigns_testkit import MOVEMENT_ID, fold, launched_movement, refused
from tdkt_contracts.catalogue.campaigns import RegistrationSubmitted, RegistrationWithdrawn

from kernel.errors import Conflict, NotFound
from services.campaigns.domain import (
    AmendMovement,
    MovementState,
    RegistrationState,
    SubmitRegistration,
    WithdrawRegistration,
    decide_amend_movement,
    decide_submit_registration,
    decide_withdraw_registration,
    registration_id,
)

ON_TIME = date(2024, 2, 20)


def submit(**over):
    fields = {
        "movement_id": MOVEMENT_ID,
        "unit_id": "vu-tccb",
        "year": 2024,
        "collective_titles": ["TTLDXS", "CO_TD_BO"],
        "individuals": [
            {"person_id": "p-000123", "titles": ["LDTT", "CSTDCS"]},
            {"person_id": "p-000456", "titles": ["LDTT"]},
        ],
    }
    fields.update(over)
    return SubmitRegistration(**fields)


def withdraw(**over):
    fields = {"movement_id": MOVEMENT_ID, "unit_id": "vu-tccb", "year": 2024, "reason": "Đăng ký lại"}
    fields.update(over)
    return WithdrawRegistration(**fields)


def registered(movement, **over) -> RegistrationState:
    return fold(
        RegistrationState(),
        decide_submit_registration(RegistrationState(), submit(**over), movement=movement, today=ON_TIME),
    )


class TestSubmit:
    def test_accepted(self, movement):
        [event] = decide_submit_registration(RegistrationState(), submit(), movement=movement, today=ON_TIME)
        assert isinstance(event, RegistrationSubmitted)
        assert event.registration_id == registration_id(MOVEMENT_ID, "vu-tccb", 2024) == f"{MOVEMENT_ID}/vu-tccb/2024"
        assert event.collective_titles == ["TTLDXS", "CO_TD_BO"]
        assert {e.person_id: e.titles for e in event.individuals} == {
            "p-000123": ["LDTT", "CSTDCS"],
            "p-000456": ["LDTT"],
        }
        assert event.submitted_on == ON_TIME and event.deadline == date(2024, 3, 31)
        state = RegistrationState().apply(event)
        assert state.active and state.unit_id == "vu-tccb"

    def test_on_the_deadline_day_is_in_time(self, movement):
        assert decide_submit_registration(RegistrationState(), submit(), movement=movement, today=date(2024, 3, 31))

    def test_registering_for_next_year_in_december(self, movement):
        [event] = decide_submit_registration(
            RegistrationState(), submit(year=2025), movement=movement, today=date(2024, 12, 20)
        )
        assert event.deadline == date(2025, 3, 31)

    def test_only_collective_or_only_individual(self, movement):
        assert decide_submit_registration(RegistrationState(), submit(individuals=[]), movement=movement, today=ON_TIME)
        assert decide_submit_registration(
            RegistrationState(), submit(collective_titles=[]), movement=movement, today=ON_TIME
        )

    def test_certificates_of_merit_for_both(self, movement):
        [event] = decide_submit_registration(
            RegistrationState(),
            submit(collective_titles=["BK_BO"], individuals=[{"person_id": "p", "titles": ["BK_BO"]}]),
            movement=movement,
            today=ON_TIME,
        )
        assert event.collective_titles == ["BK_BO"]

    def test_repeated_codes_are_merged(self, movement):
        [event] = decide_submit_registration(
            RegistrationState(),
            submit(
                collective_titles=["TTLDXS", "TTLDXS"], individuals=[{"person_id": "p", "titles": ["LDTT", "LDTT"]}]
            ),
            movement=movement,
            today=ON_TIME,
        )
        assert event.collective_titles == ["TTLDXS"] and event.individuals[0].titles == ["LDTT"]

    def test_again_after_withdrawal(self, movement):
        state = registered(movement)
        state = fold(state, decide_withdraw_registration(state, withdraw(), movement=movement, today=ON_TIME))
        [event] = decide_submit_registration(
            state, submit(collective_titles=["TTLDTT"]), movement=movement, today=date(2024, 3, 1)
        )
        assert fold(state, [event]).collective_titles == ("TTLDTT",)


class TestRefusals:
    def test_late(self, movement):
        error = refused(
            "registration_deadline_passed",
            decide_submit_registration,
            RegistrationState(),
            submit(),
            movement=movement,
            today=date(2024, 4, 1),
        )
        assert error.details == {"deadline": "2024-03-31", "today": "2024-04-01"}
        assert "31/03/2024" in error.message

    def test_late_against_the_movement_s_single_deadline(self):
        movement = launched_movement(registration_deadline=date(2024, 2, 15))
        refused(
            "registration_deadline_passed",
            decide_submit_registration,
            RegistrationState(),
            submit(),
            movement=movement,
            today=date(2024, 2, 16),
        )

    def test_deadline_moved_by_an_amendment(self, movement):
        amended = fold(
            movement,
            decide_amend_movement(
                movement,
                AmendMovement(
                    movement_id=MOVEMENT_ID,
                    amended_on=date(2024, 3, 20),
                    reason="Gia hạn đăng ký",
                    annual_registration_deadline="04-30",
                ),
            ),
        )
        assert decide_submit_registration(RegistrationState(), submit(), movement=amended, today=date(2024, 4, 20))

    def test_unit_outside_the_scope(self, movement):
        error = refused(
            "unit_not_in_scope",
            decide_submit_registration,
            RegistrationState(),
            submit(unit_id="vien-ngoai"),
            movement=movement,
            today=ON_TIME,
        )
        assert error.details["unit_id"] == "vien-ngoai"

    def test_any_unit_for_an_all_units_movement(self):
        movement = launched_movement(scope={"all_units": True})
        assert decide_submit_registration(
            RegistrationState(), submit(unit_id="vien-ngoai"), movement=movement, today=ON_TIME
        )

    def test_closed_movement(self, closed_movement):
        refused(
            "movement_closed",
            decide_submit_registration,
            RegistrationState(),
            submit(),
            movement=closed_movement,
            today=ON_TIME,
        )

    def test_unknown_movement(self):
        error = refused(
            "movement_not_found",
            decide_submit_registration,
            RegistrationState(),
            submit(),
            movement=MovementState(),
            today=ON_TIME,
        )
        assert isinstance(error, NotFound)

    def test_year_outside_the_period(self, movement):
        refused(
            "year_outside_movement_period",
            decide_submit_registration,
            RegistrationState(),
            submit(year=2026),
            movement=movement,
            today=date(2026, 1, 5),
        )

    def test_duplicate(self, movement):
        error = refused(
            "registration_exists",
            decide_submit_registration,
            registered(movement),
            submit(),
            movement=movement,
            today=ON_TIME,
        )
        assert isinstance(error, Conflict)

    def test_empty(self, movement):
        refused(
            "empty_registration",
            decide_submit_registration,
            RegistrationState(),
            submit(collective_titles=[], individuals=[]),
            movement=movement,
            today=ON_TIME,
        )

    def test_unknown_title(self, movement):
        error = refused(
            "unknown_title",
            decide_submit_registration,
            RegistrationState(),
            submit(collective_titles=["TTLDXXS"]),
            movement=movement,
            today=ON_TIME,
        )
        assert "TTLDXS" in error.details["known"]

    def test_individual_title_for_the_unit(self, movement):
        refused(
            "title_not_for_collective",
            decide_submit_registration,
            RegistrationState(),
            submit(collective_titles=["LDTT"]),
            movement=movement,
            today=ON_TIME,
        )

    def test_collective_title_for_a_person(self, movement):
        refused(
            "title_not_for_individual",
            decide_submit_registration,
            RegistrationState(),
            submit(individuals=[{"person_id": "p", "titles": ["TTLDXS"]}]),
            movement=movement,
            today=ON_TIME,
        )

    def test_person_twice(self, movement):
        refused(
            "duplicate_person",
            decide_submit_registration,
            RegistrationState(),
            submit(individuals=[{"person_id": "p", "titles": ["LDTT"]}, {"person_id": "p", "titles": ["CSTDCS"]}]),
            movement=movement,
            today=ON_TIME,
        )

    @pytest.mark.parametrize("bad", [{"individuals": [{"person_id": "p", "titles": []}]}, {"unit_id": "a/b"}])
    def test_malformed_commands_do_not_parse(self, bad):
        from pydantic import ValidationError

        with pytest.raises(ValidationError):
            submit(**bad)


class TestWithdraw:
    def test_withdraw(self, movement):
        state = registered(movement)
        [event] = decide_withdraw_registration(state, withdraw(), movement=movement, today=date(2024, 3, 10))
        assert isinstance(event, RegistrationWithdrawn)
        assert event.registration_id == state.registration_id and event.withdrawn_on == date(2024, 3, 10)
        state = state.apply(event)
        assert not state.active

    def test_withdraw_after_the_deadline_is_allowed(self, movement):
        assert decide_withdraw_registration(registered(movement), withdraw(), movement=movement, today=date(2024, 9, 1))

    def test_unknown(self, movement):
        error = refused(
            "registration_not_found",
            decide_withdraw_registration,
            RegistrationState(),
            withdraw(),
            movement=movement,
            today=ON_TIME,
        )
        assert isinstance(error, NotFound)

    def test_twice(self, movement):
        state = registered(movement)
        state = fold(state, decide_withdraw_registration(state, withdraw(), movement=movement, today=ON_TIME))
        refused(
            "registration_not_found", decide_withdraw_registration, state, withdraw(), movement=movement, today=ON_TIME
        )
