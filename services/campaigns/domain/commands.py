"""Commands of the campaigns context: pydantic models, also the HTTP request bodies.

Every text field is NFC-normalised and trimmed, unknown fields are refused, and a
command is immutable (:class:`tdkt_contracts.ContractModel`); every text is bounded and clean, names
are names (:mod:`kernel.text`). Shapes are checked
here (types, ranges, date formats); business rules are checked by the ``decide_*``
functions, which raise :class:`kernel.errors.DomainError` with a stable code.

Dates that the rules compare with "now" (registration deadline, closing a year) are
never in a command: the handler passes ``today``. Dates of recorded acts (a launch,
a signature, a review) are in the command, as the act's own date.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field, field_validator, model_validator
from tdkt_contracts import ContractModel
from tdkt_contracts.catalogue.campaigns import (
    Clause,
    ClauseAssessment,
    ClusterKind,
    IndividualRegistration,
    Launcher,
    MovementKind,
    Party,
    Percent,
    ReviewKind,
    Score,
    Signatory,
    TargetMetric,
    UnitScope,
    check_month_day,
)

from kernel.ids import SubjectId
from kernel.text import CheckedCommand, LongText, Name, ShortText, Title, check_name, check_person_name

Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[^/\s]+$")]
"""An id chosen by the caller (so a retried command is recognised); no '/' or spaces,
since composite ids are built with '/'."""

NewId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=128,
        pattern=r"^[^/\s]*[^/\s0-9][^/\s]*$",
        description="Id of a new movement, target, pledge or cluster: no '/' or spaces, and not only digits.",
    ),
]
"""The id that names a new aggregate's stream. Not only digits: the stream of an
emulation year is named by the year itself (``year.closed`` has subject "2024"), and
every stream of the service shares one namespace, so a movement "2024" would take the
year's stream and the year could never be closed."""

Year = Annotated[int, Field(ge=1945, le=2200)]


class CoveredUnits(UnitScope):
    """A movement's or a target's units as a command names them: each id canonical (kernel.ids)."""

    unit_ids: list[SubjectId] = Field(  # type: ignore[assignment]
        default_factory=list, description="The units covered (đơn vị tham gia) when all_units is false."
    )


class RegisteredPerson(IndividualRegistration):
    """One person of a registration as the command names them: the id canonical (kernel.ids)."""

    person_id: SubjectId = Field(description="The person (cá nhân), as the units context names them.")  # type: ignore[assignment]


class PledgeParty(Party):
    """A party to a pledge as the command names it: a unit's id canonical (kernel.ids)."""

    unit_id: SubjectId | None = Field(  # type: ignore[assignment]
        default=None, description="The unit this party is, when it is one (đơn vị), for a unit's pledge list."
    )


class Command(CheckedCommand):
    """Base of every command: every text bounded and clean (:class:`kernel.text.CheckedCommand`)."""


# --- movements --------------------------------------------------------------


class LaunchMovement(Command):
    """Launch a movement (phát động phong trào thi đua)."""

    movement_id: NewId
    title: Title = Field(description="Tên phong trào thi đua.")
    launched_by: Launcher
    kind: MovementKind
    scope: CoveredUnits
    period_start: date
    period_end: date | None = None
    criteria: LongText = Field(description="Nội dung, tiêu chí thi đua.")
    launched_on: date
    decision_ref: ShortText | None = None
    responds_to: ShortText | None = None
    registration_deadline: date | None = Field(
        default=None, description="One registration deadline for the whole movement (thematic movements)."
    )
    annual_registration_deadline: str = Field(
        default="03-31", description="MM-DD: the yearly deadline when registration_deadline is not set."
    )

    @field_validator("annual_registration_deadline")
    @classmethod
    def _md(cls, value: str) -> str:
        return check_month_day(value)


class AmendMovement(Command):
    """Change some fields of a movement; omitted (null) fields are unchanged."""

    movement_id: Id
    amended_on: date
    reason: LongText
    title: Title | None = None
    scope: CoveredUnits | None = None
    period_start: date | None = None
    period_end: date | None = None
    criteria: LongText | None = None
    registration_deadline: date | None = None
    annual_registration_deadline: str | None = None

    @field_validator("annual_registration_deadline")
    @classmethod
    def _md(cls, value: str | None) -> str | None:
        return None if value is None else check_month_day(value)


class ReviewMovement(Command):
    """Record an interim (sơ kết) or final (tổng kết) review of a movement."""

    movement_id: Id
    kind: ReviewKind
    reviewed_on: date
    summary: LongText
    document_ref: ShortText | None = None


class CloseMovement(Command):
    """Close a movement; its open targets become final (met or missed)."""

    movement_id: Id
    closed_on: date
    reason: LongText | None = None


# --- targets, training reports, years -------------------------------------------


class SetTarget(Command):
    """Set a measurable target (giao chỉ tiêu) for a year, on a movement or on the year."""

    target_id: NewId
    movement_id: Id | None = None
    year: Year
    metric: str = Field(
        description="One of: " + ", ".join(m.value for m in TargetMetric),
        json_schema_extra={"enum": [m.value for m in TargetMetric]},
    )
    threshold_percent: Percent
    scope: CoveredUnits | None = Field(
        default=None, description="Units counted; default: the movement's scope, or all units for a year target."
    )
    training_code: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    description: LongText = Field(
        description="Nội dung chỉ tiêu, e.g. '100% các đơn vị hoàn thành tốt nhiệm vụ trở lên'."
    )
    set_on: date


MAX_STAFF = 1_000_000
"""More staff than any unit of a ministry has: beyond it a count is a typing error."""


class ReportTrainingCompletion(Command):
    """A unit reports how many of its staff completed a training in a year."""

    unit_id: SubjectId
    year: Year
    training_code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    completed: int = Field(ge=0, le=MAX_STAFF)
    headcount: int = Field(ge=0, le=MAX_STAFF)


class CloseYear(Command):
    """Close an emulation year: every open target of that year becomes final."""

    year: Year


# --- registrations --------------------------------------------------------------


class SubmitRegistration(Command):
    """A unit registers its title aims for a year of a movement (đăng ký thi đua)."""

    movement_id: Id
    unit_id: SubjectId
    year: Year
    collective_titles: list[str] = Field(default_factory=list, description="e.g. TTLDXS, CO_TD_BO.")
    individuals: list[RegisteredPerson] = Field(default_factory=list)


class WithdrawRegistration(Command):
    """A unit withdraws its registration (rút đăng ký)."""

    movement_id: Id
    unit_id: SubjectId
    year: Year
    reason: LongText | None = None


# --- pledges --------------------------------------------------------------------


class SignPledge(Command):
    """Record a signed emulation pledge (ký kết giao ước thi đua)."""

    pledge_id: NewId
    title: Title
    year: Year
    movement_id: Id | None = None
    cluster_id: Id | None = None
    parties: list[PledgeParty] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)
    signatories: list[Signatory] = Field(default_factory=list)
    signed_on: date
    occasion: ShortText | None = None

    @model_validator(mode="after")
    def _names(self) -> SignPledge:
        # The parties and signatories are the contract's models: their names are checked here.
        for party in self.parties:
            check_name(party.name)
        for signatory in self.signatories:
            check_person_name(signatory.full_name)
        return self


class ReviewPledge(Command):
    """Assess every clause of a pledge (đánh giá thực hiện giao ước)."""

    pledge_id: Id
    kind: ReviewKind
    reviewed_on: date
    assessments: list[ClauseAssessment] = Field(default_factory=list)
    summary: LongText | None = None


# --- clusters -------------------------------------------------------------------


class FormCluster(Command):
    """Form an emulation cluster or bloc (thành lập cụm, khối thi đua)."""

    cluster_id: NewId
    name: Name
    kind: ClusterKind
    members: list[SubjectId] = Field(default_factory=list)
    from_year: Year
    formed_on: date
    rotate_lead: bool = True


class ChangeClusterMembership(Command):
    """Add or remove members from a year on."""

    cluster_id: Id
    year: Year
    add: list[SubjectId] = Field(default_factory=list)
    remove: list[SubjectId] = Field(default_factory=list)
    changed_on: date
    reason: LongText | None = None


class AssignClusterLead(Command):
    """Assign the lead unit of a year (cụm trưởng, khối trưởng)."""

    cluster_id: Id
    year: Year
    unit_id: SubjectId
    assigned_on: date


class MemberScore(ContractModel):
    """One member's score for the year."""

    unit_id: SubjectId
    score: Score
    women_share_percent: Percent | None = Field(
        default=None, description="Tỷ lệ nữ of the collective; used to break ties (≥70% preferred)."
    )


class ScoreCluster(Command):
    """Record the year's scores of every member (chấm điểm thi đua)."""

    cluster_id: Id
    year: Year
    scored_on: date
    scores: list[MemberScore] = Field(default_factory=list)


__all__ = [
    "AmendMovement",
    "AssignClusterLead",
    "ChangeClusterMembership",
    "CloseMovement",
    "CloseYear",
    "Command",
    "FormCluster",
    "LaunchMovement",
    "MemberScore",
    "ReportTrainingCompletion",
    "ReviewMovement",
    "ReviewPledge",
    "ScoreCluster",
    "SetTarget",
    "SignPledge",
    "SubmitRegistration",
    "WithdrawRegistration",
]
