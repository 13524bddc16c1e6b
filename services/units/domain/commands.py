"""Commands of the units context: pydantic models that are also the HTTP bodies.

A command checks its own shape: ids, codes, text hygiene (NFC, trimmed, no
mojibake or stray marks, see :mod:`kernel.text`), enum values, year bounds. Rules
that need the current state or today's date (future dates, duplicates, the
tree) are checked by the decision functions in :mod:`.decisions`.

Shape errors carry a machine-readable type (``invalid_text``, ``invalid_name``,
``invalid_id``, ``invalid_code``, or pydantic's own); :func:`validation_error`
turns a pydantic ``ValidationError`` (or FastAPI's ``RequestValidationError.errors()``)
into one :class:`kernel.errors.DomainError` with a stable code.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, Field, ValidationError, field_validator

from kernel.errors import DomainError
from kernel.ids import SubjectId
from kernel.text import CheckedCommand, check_id, check_person_name, check_unit_code, name_checker, text_checker
from tdkt_contracts.catalogue.units import DisciplineEnding, LeaveReason
from tdkt_contracts.vocabulary import DisciplineForm, Grade, InitiativeKind, Level, Sex, StaffCategory, UnitKind

from .codes import Code

# --------------------------------------------------------------------------- field types

Id = Annotated[str, AfterValidator(check_id)]
UnitCode = Annotated[str, AfterValidator(check_unit_code)]
PersonName = Annotated[str, AfterValidator(check_person_name)]
UnitName = Annotated[str, AfterValidator(name_checker(2, 255))]
Position = Annotated[str, AfterValidator(text_checker(2, 150))]
DecisionNumber = Annotated[str, AfterValidator(text_checker(1, 64))]
LegalBasis = Annotated[str, AfterValidator(text_checker(1, 255))]
Title = Annotated[str, AfterValidator(text_checker(2, 500))]
Reason = Annotated[str, AfterValidator(text_checker(1, 2000, multiline=True))]
Year = Annotated[int, Field(ge=1945, le=2100, description="A calendar year (năm).")]

_DECISION = "Number of the decision (số quyết định), e.g. '1234/QĐ-BCT', if known."
_EFFECTIVE = "First day the change is in force (ngày có hiệu lực); not later than today."


class Command(CheckedCommand):
    """Base of every command: unknown fields refused, immutable, text NFC-normalised, trimmed and bounded."""

    @classmethod
    def parse(cls, data: Any) -> Self:
        """Validate ``data`` (a dict or JSON text) or raise a :class:`DomainError` saying why."""
        try:
            if isinstance(data, (str, bytes)):
                return cls.model_validate_json(data)
            return cls.model_validate(data)
        except ValidationError as error:
            raise validation_error(error) from None


_OUR_TYPES = {c.value for c in (Code.INVALID_TEXT, Code.INVALID_NAME, Code.INVALID_ID, Code.INVALID_CODE)}


def validation_error(error: ValidationError | list[dict[str, Any]]) -> DomainError:
    """One DomainError for a failed command validation.

    Its code is the first text/id error type if there is one (``invalid_text``…),
    else ``invalid_command``; ``details["errors"]`` lists every problem as
    ``{"field", "type", "message"}``.
    """
    items = error.errors() if isinstance(error, ValidationError) else error
    problems = [
        {
            "field": ".".join(str(p) for p in item.get("loc", ()) if p != "body"),
            "type": item.get("type", "value_error"),
            "message": item.get("msg", ""),
        }
        for item in items
    ]
    code = next((p["type"] for p in problems if p["type"] in _OUR_TYPES), Code.INVALID_COMMAND.value)
    message = "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems) or "invalid command"
    return DomainError(code, message, errors=problems)


# --------------------------------------------------------------------------- units


class EstablishUnit(Command):
    """Establish a unit (thành lập đơn vị)."""

    unit_id: SubjectId = Field(description="Id for the new unit.")
    code: UnitCode = Field(description="Short code (mã đơn vị), e.g. 'VTCCB'; stored upper case.")
    name: UnitName = Field(description="Full Vietnamese name, e.g. 'Vụ Tổ chức cán bộ'.")
    kind: UnitKind = Field(description="Kind of unit: vu, cuc, vien, truong, tong_cong_ty, cong_doan, van_phong, …")
    parent_id: SubjectId | None = Field(default=None, description="Parent unit id; null for a top-level unit.")
    effective_on: date = Field(description="Date of establishment; not later than today.")
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)


class RenameUnit(Command):
    """Give a unit a new name from a date (đổi tên)."""

    unit_id: SubjectId
    name: UnitName = Field(description="The new full name.")
    effective_on: date = Field(description=_EFFECTIVE)
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)


class MoveUnit(Command):
    """Place a unit under another parent (or at the top with parent_id null)."""

    unit_id: SubjectId
    parent_id: SubjectId | None = Field(description="The new parent unit id; null for top level.")
    effective_on: date = Field(description=_EFFECTIVE)
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)


class MergeUnit(Command):
    """Merge a unit into another (sáp nhập); its people count under the absorbing unit from effective_on."""

    unit_id: SubjectId = Field(description="The unit that ceases to exist.")
    into_unit_id: SubjectId = Field(description="The absorbing unit.")
    effective_on: date = Field(description=_EFFECTIVE)
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)


class DissolveUnit(Command):
    """Dissolve a unit (giải thể); it must have no sub-units and no people left."""

    unit_id: SubjectId
    effective_on: date = Field(description=_EFFECTIVE)
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)
    reason: Reason | None = Field(default=None, description="Why (lý do), if recorded.")


# --------------------------------------------------------------------------- people


class EnrolPerson(Command):
    """Enter a person in the staff records of a unit."""

    person_id: SubjectId
    full_name: PersonName = Field(description="Họ và tên, e.g. 'Nguyễn Thị Hương'.")
    sex: Sex
    date_of_birth: date
    sector_joined_on: date = Field(description="Ngày vào ngành.")
    unit_id: SubjectId = Field(description="The unit the person works in.")
    position: Position = Field(description="Chức vụ, e.g. 'Chuyên viên chính'.")
    staff_category: StaffCategory
    union_member: bool = Field(description="Đoàn viên công đoàn.")
    effective_on: date | None = Field(
        default=None, description="First day in this unit; defaults to sector_joined_on."
    )


class TransferPerson(Command):
    """Move a person to another unit of the ministry (điều động, luân chuyển)."""

    person_id: SubjectId
    to_unit_id: SubjectId
    effective_on: date = Field(description=_EFFECTIVE)
    position: Position | None = Field(default=None, description="Position in the new unit; default: unchanged.")
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)


class RecordPersonLeft(Command):
    """Record that a person left the staff: retired, resigned, transferred out, died…"""

    person_id: SubjectId
    reason: LeaveReason
    effective_on: date = Field(description="First day no longer on the staff; not later than today.")
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)
    note: Reason | None = None


class EvaluationSubject(StrEnum):
    """Who is graded: a person (cá nhân) or a unit (tập thể)."""

    PERSON = "person"
    UNIT = "unit"


class RecordEvaluation(Command):
    """Record the annual grade of a person or a unit for a year (once per subject and year)."""

    subject: EvaluationSubject
    subject_id: SubjectId = Field(description="person_id or unit_id, as subject says.")
    year: Year
    grade: Grade
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)
    legal_basis: LegalBasis | None = Field(default=None, description="e.g. 'NĐ 90/2020/NĐ-CP'.")


class CorrectEvaluation(Command):
    """Correct an already recorded grade; the reason is required and the old grade stays in history."""

    subject: EvaluationSubject
    subject_id: SubjectId
    year: Year
    grade: Grade = Field(description="The corrected grade.")
    reason: Reason = Field(description="Why the grade is corrected (lý do điều chỉnh).")
    decision_number: DecisionNumber | None = Field(default=None, description=_DECISION)


class ImposeDiscipline(Command):
    """Record a discipline decision (quyết định kỷ luật)."""

    person_id: SubjectId
    discipline_id: Id
    form: DisciplineForm
    reason: Reason = Field(description="The violation as the decision states it.")
    decision_number: DecisionNumber
    decided_on: date
    starts_on: date | None = Field(default=None, description="First day in force; defaults to decided_on.")
    ends_on: date | None = Field(default=None, description="Last day of the period, inclusive; null if none.")


class EndDiscipline(Command):
    """Record that a discipline stopped being in force (expired or annulled)."""

    person_id: SubjectId
    discipline_id: Id
    ended_on: date = Field(description="Last day the discipline was in force, inclusive.")
    ending: DisciplineEnding
    note: Reason | None = None


# --------------------------------------------------------------------------- initiatives


class RecognizeInitiative(Command):
    """Record the recognition of an initiative (sáng kiến) or research work (đề tài)."""

    initiative_id: Id
    kind: InitiativeKind
    level: Level
    year: Year
    title: Title
    decision_number: DecisionNumber
    decided_on: date
    author_ids: list[SubjectId] = Field(min_length=1, max_length=50, description="Authors' person ids, lead author first.")
    unit_id: SubjectId

    @field_validator("author_ids")
    @classmethod
    def _unique_authors(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))
