"""What the engine knows about a candidate: plain models filled from replicas.

The units service publishes grades, disciplines and initiatives; the awards
service itself knows titles and awards granted; campaigns know registrations
and bloc results. A projection turns those events into these models.

Unknown is never "none". Every collection that can be unknown is
``None`` until the replica has loaded it; an empty list means "known: none".
For per-year data (grades, member summaries) a missing year is unknown. A
criterion that needs an unknown fact answers ``unknown``, never ``passed``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field, model_validator
from tdkt_contracts.vocabulary import DisciplineForm, Grade, InitiativeKind, Level, RecipientKind, Sex

from .base import DomainModel
from .vocabulary import AbsenceKind, CommendationCategory, ContributionKind, HoldKind, LeaderPosition

Year = Annotated[int, Field(ge=1945, le=2100)]


class TitleRecord(DomainModel):
    """A title or award already held (danh hiệu / hình thức khen thưởng đã được tặng)."""

    code: str = Field(description="Catalogue code, e.g. 'CSTDCS'.")
    year: Year = Field(description="Achievement year (năm đạt thành tích) the decision names.")
    decision_number: str | None = Field(default=None, description="e.g. '1234/QĐ-BCT'.")
    decided_on: date | None = None
    category: CommendationCategory = Field(
        default=CommendationCategory.MERIT,
        description="Thematic and one-off awards are no evidence for merit awards (NĐ 152/2025 Art. 4.3).",
    )


class EvidenceUse(DomainModel):
    """The award an initiative was already used for."""

    code: str
    year: Year
    decision_number: str | None = None


class InitiativeRecord(DomainModel):
    """A recognised initiative (sáng kiến) or accepted research work (đề tài) of the person."""

    initiative_id: str
    kind: InitiativeKind
    level: Level
    year: Year = Field(description="Year it belongs to (năm áp dụng / nghiệm thu).")
    title: str | None = None
    decision_number: str | None = None
    used_for: EvidenceUse | None = Field(default=None, description="Set once it served as evidence for an award.")


class DisciplineRecord(DomainModel):
    """A discipline (kỷ luật) imposed on the person."""

    discipline_id: str | None = None
    form: DisciplineForm
    decided_on: date
    starts_on: date | None = Field(default=None, description="First day in force; the decision date when absent.")
    ends_on: date | None = Field(default=None, description="Last day of the period, inclusive; None: no end set.")
    ended_on: date | None = Field(
        default=None, description="Last day actually in force, when it ended early or on time."
    )
    annulled: bool = Field(default=False, description="An annulled decision (hủy bỏ) counts as never imposed.")

    @property
    def start(self) -> date:
        """First day in force."""
        return self.starts_on or self.decided_on

    @property
    def end(self) -> date | None:
        """Last day in force; None while it runs without a known end."""
        return self.ended_on or self.ends_on


class HoldRecord(DomainModel):
    """A pending review, investigation or complaint that stops awards while open."""

    kind: HoldKind
    opened_on: date
    closed_on: date | None = None
    reference: str | None = None

    def open_on(self, day: date | None) -> bool:
        """Open on ``day``; with no day, open if not closed."""
        if day is None:
            return self.closed_on is None
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


class AbsenceRecord(DomainModel):
    """A period away from work (the office's file facts): maternity leave, training, treatment, other leave."""

    kind: AbsenceKind
    start: date
    end: date = Field(description="Last day away, inclusive.")

    @model_validator(mode="after")
    def _ordered(self) -> AbsenceRecord:
        if self.end < self.start:
            raise ValueError("an absence ends on or after its start")
        return self


class Attestation(DomainModel):
    """A finding only a person or council can make, recorded in the nomination file.

    e.g. ``outstanding_in_movement``: outstanding in a movement launched by the
    Ministry, attested by the unit head's submission.
    """

    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    year: Year
    reference: str | None = None


class Registration(DomainModel):
    """Emulation registration (đăng ký thi đua) for a title in a year."""

    year: Year
    code: str


class LeaderPost(DomainModel):
    """A leadership post held (chức vụ lãnh đạo)."""

    position: LeaderPosition
    start: date
    end: date | None = Field(default=None, description="Last day in post; None: still in post.")


class _SubjectFacts(DomainModel):
    """Facts both persons and collectives have."""

    grades: dict[Year, Grade] = Field(
        default_factory=dict, description="Annual grade by year; a missing year is unknown."
    )
    titles: list[TitleRecord] | None = Field(default=None, description="Titles and awards held; None: not loaded.")
    holds: list[HoldRecord] | None = None
    attestations: list[Attestation] | None = None
    registrations: list[Registration] | None = None


class PersonFacts(_SubjectFacts):
    """Everything the engine may need about one person."""

    recipient_kind: Literal["individual"] = "individual"
    person_id: str = Field(min_length=1)
    full_name: str = Field(min_length=1)
    sex: Sex | None = None
    date_of_birth: date | None = None
    sector_joined_on: date | None = Field(default=None, description="Ngày vào ngành Công Thương (sector start).")
    education_joined_on: date | None = Field(
        default=None, description="Ngày vào ngành giáo dục, for the education medal."
    )
    recruited_on: date | None = Field(
        default=None,
        description="Ngày tuyển dụng into the current employer; None: the sector start (units' enrolment) stands for it.",
    )
    absences: list[AbsenceRecord] | None = Field(
        default=None, description="Periods away from work recorded in the file; None: none recorded."
    )
    deceased_on: date | None = Field(
        default=None, description="Date of death (the office's file facts); None: living, as far as the file says."
    )
    unit_id: str | None = None
    position: str | None = None
    is_leader: bool | None = None
    leader_posts: list[LeaderPost] | None = None
    later_retirement: bool | None = Field(
        default=None,
        description="A woman leader in the group retiring at a later age (nghỉ hưu ở tuổi cao hơn); None: unknown.",
    )
    hazardous_service_years: float | None = Field(
        default=None, ge=0, description="Years in hazardous work; None: unknown."
    )
    disadvantaged_area_years: float | None = Field(
        default=None, ge=0, description="Years in extremely disadvantaged areas."
    )
    teaching_years: float | None = Field(default=None, ge=0, description="Years of direct teaching (NGƯT/NGND).")
    initiatives: list[InitiativeRecord] | None = None
    disciplines: list[DisciplineRecord] | None = None

    @property
    def subject_id(self) -> str:
        """The id results name."""
        return self.person_id

    @property
    def subject_name(self) -> str:
        """The name results show."""
        return self.full_name

    @property
    def recipient(self) -> RecipientKind:
        """Individual."""
        return RecipientKind.INDIVIDUAL


class MemberSummary(DomainModel):
    """A collective's members in one year: counts the collective titles need."""

    year: Year
    member_count: int | None = Field(default=None, ge=0)
    titled: dict[str, int] = Field(
        default_factory=dict,
        description="Members holding a title that year by code, e.g. {'LDTT': 8, 'CSTDCS': 1}; a missing code: unknown.",
    )
    completed_duties: int | None = Field(default=None, ge=0, description="Members graded HT or better.")
    max_discipline: DisciplineForm | Literal["none"] | None = Field(
        default=None, description="Heaviest discipline of a member in the year; 'none' if none; None: unknown."
    )
    women_share: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _counts_fit(self) -> MemberSummary:
        if self.member_count is not None:
            counts = [*self.titled.values(), self.completed_duties or 0]
            if any(c < 0 or c > self.member_count for c in counts):
                raise ValueError("member counts must lie between 0 and member_count")
        return self


class UnitFacts(_SubjectFacts):
    """Everything the engine may need about one collective (tập thể)."""

    recipient_kind: Literal["collective"] = "collective"
    unit_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    members: list[MemberSummary] = Field(
        default_factory=list, description="One summary per year; a missing year is unknown."
    )
    bloc_leader_years: list[Year] | None = Field(
        default=None, description="Years it led its emulation bloc (dẫn đầu khối/cụm thi đua), voted by the bloc."
    )

    @model_validator(mode="after")
    def _one_summary_per_year(self) -> UnitFacts:
        years = [m.year for m in self.members]
        if len(years) != len(set(years)):
            raise ValueError("members: one summary per year")
        return self

    def member_summary(self, year: int) -> MemberSummary | None:
        """The summary of ``year``, or None when unknown."""
        return next((m for m in self.members if m.year == year), None)

    @property
    def subject_id(self) -> str:
        """The id results name."""
        return self.unit_id

    @property
    def subject_name(self) -> str:
        """The name results show."""
        return self.name

    @property
    def recipient(self) -> RecipientKind:
        """Collective."""
        return RecipientKind.COLLECTIVE


class HouseholdContribution(DomainModel):
    """One contribution of a household in a year (đóng góp về công sức, đất đai, tài sản), as its nomination
    states it."""

    kind: ContributionKind
    year: Year
    description: str = Field(
        min_length=1, max_length=500, description="What was given, e.g. 'Hiến 120 m² đất làm đường'."
    )
    value_vnd: int | None = Field(default=None, ge=0, description="Its value in đồng, when the file states one.")


class HouseholdFacts(_SubjectFacts):
    """A household (hộ gia đình, Law 2022 Art. 2): outside the units context, named and described by the
    nomination that proposes it. It has no grades, members, initiatives or disciplines."""

    recipient_kind: Literal["household"] = "household"
    household_id: str = Field(min_length=1, description="The household's own id, given by its nomination.")
    name: str = Field(min_length=1, description="e.g. 'Hộ ông Nguyễn Văn A'.")
    address: str | None = Field(default=None, description="Its commune or ward (xã, phường), when given.")
    unit_id: str | None = Field(default=None, description="The unit that proposes it.")
    contributions: list[HouseholdContribution] | None = Field(
        default=None, description="What it contributed; None: not stated; [] stated: none."
    )

    @property
    def subject_id(self) -> str:
        """The id results name."""
        return self.household_id

    @property
    def subject_name(self) -> str:
        """The name results show."""
        return self.name

    @property
    def recipient(self) -> RecipientKind:
        """Household."""
        return RecipientKind.HOUSEHOLD


AnyFacts = PersonFacts | UnitFacts | HouseholdFacts
"""The facts of any kind of recipient."""

Facts = Annotated[AnyFacts, Field(discriminator="recipient_kind")]
"""A candidate: a person, a collective or a household, told apart by ``recipient_kind``."""


class AssessmentRequest(DomainModel):
    """Is this candidate eligible for this code in this achievement year? (HTTP request body.)"""

    code: str = Field(min_length=1, description="Catalogue code, e.g. 'CSTD_BO'.")
    year: Year = Field(description="Achievement year; the rule in force on 31 December of it applies.")
    recipient: Facts
    as_of: date | None = Field(
        default=None, description="Date the file is considered; holds open on it block the award."
    )
    filed_on: date | None = Field(
        default=None, description="Date the file was filed; decides the rules where transitional provisions say so."
    )
