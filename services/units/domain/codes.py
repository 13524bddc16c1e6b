"""Stable, machine-readable error codes of the units domain.

Each refusal raises a :class:`kernel.errors.DomainError` (or ``NotFound`` /
``Conflict``) whose ``code`` is one of these. The codes are part of the HTTP
API: never rename one; add a new one instead.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    # input shape (raised from command validation, see commands.validation_error)
    INVALID_COMMAND = "invalid_command"
    INVALID_TEXT = "invalid_text"
    INVALID_NAME = "invalid_name"
    INVALID_ID = "invalid_id"
    INVALID_CODE = "invalid_code"

    # ids: units, people and initiatives share one stream space (the stream id is the event subject)
    ID_TAKEN = "id_taken"

    # dates
    DATE_IN_FUTURE = "date_in_future"
    EFFECTIVE_DATE_OUT_OF_ORDER = "effective_date_out_of_order"
    INVALID_PERIOD = "invalid_period"

    # units
    UNIT_NOT_FOUND = "unit_not_found"
    UNIT_EXISTS = "unit_exists"
    UNIT_CODE_TAKEN = "unit_code_taken"
    UNIT_DISSOLVED = "unit_dissolved"
    UNIT_MERGED = "unit_merged"
    UNIT_NOT_ESTABLISHED = "unit_not_established"
    UNIT_HAS_CHILDREN = "unit_has_children"
    UNIT_HAS_MEMBERS = "unit_has_members"
    MOVE_CREATES_CYCLE = "move_creates_cycle"
    SAME_PARENT = "same_parent"
    SAME_NAME = "same_name"
    MERGE_INTO_SELF = "merge_into_self"

    # people
    PERSON_NOT_FOUND = "person_not_found"
    PERSON_EXISTS = "person_exists"
    PERSON_LEFT = "person_left"
    SAME_UNIT = "same_unit"
    BIRTH_DATE_IMPLAUSIBLE = "birth_date_implausible"

    # evaluations
    GRADE_EXISTS = "grade_exists"
    GRADE_NOT_FOUND = "grade_not_found"
    GRADE_FUTURE_YEAR = "grade_future_year"
    GRADE_BEFORE_JOINING = "grade_before_joining"
    GRADE_BEFORE_ESTABLISHED = "grade_before_established"
    SAME_GRADE = "same_grade"

    # discipline
    DISCIPLINE_EXISTS = "discipline_exists"
    DISCIPLINE_NOT_FOUND = "discipline_not_found"
    DISCIPLINE_ALREADY_ENDED = "discipline_already_ended"

    # initiatives
    INITIATIVE_EXISTS = "initiative_exists"
    INITIATIVE_FUTURE_YEAR = "initiative_future_year"
