"""The fixed set of criterion kinds the engine implements, and their parameters.

A catalogue rule is a list of criteria; each names a ``kind`` from
:class:`CriterionKind` and gives ``params`` validated by the model registered
for that kind in :data:`PARAMS`. Adding a kind means: a params model here, an
evaluator in ``evaluators/``, and tests. Changing what the law requires is a
YAML change only.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field, SerializeAsAny, model_validator
from tdkt_contracts.vocabulary import DisciplineForm, Grade, InitiativeKind, Level, RecipientKind

from .base import DomainModel
from .sources import LegalSource
from .vocabulary import (
    AbsenceKind,
    CommendationCategory,
    Confidence,
    ContributionKind,
    DisciplineScope,
    HoldKind,
    LeaderPosition,
    ReusePolicy,
    ServiceBasis,
)

BOTH = frozenset({RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE})
PERSON = frozenset({RecipientKind.INDIVIDUAL})
COLLECTIVE = frozenset({RecipientKind.COLLECTIVE})
HOUSEHOLD = frozenset({RecipientKind.HOUSEHOLD})
ANY_RECIPIENT = frozenset(RecipientKind)
"""Kinds that read only what every recipient's facts have: titles held, holds, attested findings."""

EVIDENCE = (CommendationCategory.MERIT, CommendationCategory.LONG_SERVICE, CommendationCategory.FOREIGN)
"""Categories of held awards that count as evidence; thematic and one-off do not (NĐ 152/2025 Art. 4.3)."""

Codes = tuple[str, ...]


class CriterionKind(StrEnum):
    """Every kind of criterion the engine can evaluate."""

    GRADE_AT_LEAST = "grade_at_least"
    HOLDS_TITLE = "holds_title"
    CONSECUTIVE_TITLES = "consecutive_titles"
    TITLES_IN_WINDOW = "titles_in_window"
    PRIOR_AWARD_THEN_YEARS = "prior_award_then_years"
    NOT_HELD_BEFORE = "not_held_before"
    MEETS_CRITERIA_OF = "meets_criteria_of"
    INITIATIVE_OR_RESEARCH = "initiative_or_research"
    NO_DISCIPLINE = "no_discipline"
    NO_PENDING_HOLD = "no_pending_hold"
    SERVICE_YEARS_BY_SEX = "service_years_by_sex"
    LEADER_TENURE = "leader_tenure"
    TEACHING_YEARS = "teaching_years"
    WORKING_TIME_IN_YEAR = "working_time_in_year"
    POSTHUMOUS = "posthumous"
    REGISTRATION_EXISTS = "registration_exists"
    ATTESTED = "attested"
    CONFERRAL_CYCLE = "conferral_cycle"
    BLOC_LEADER = "bloc_leader"
    MEMBERS_SHARE_WITH_TITLE = "members_share_with_title"
    AT_LEAST_N_MEMBERS_WITH_TITLE = "at_least_n_members_with_title"
    MEMBERS_ALL_COMPLETED = "members_all_completed"
    NO_MEMBER_DISCIPLINED_AT_OR_ABOVE = "no_member_disciplined_at_or_above"
    HOUSEHOLD_CONTRIBUTION = "household_contribution"
    ANY_OF = "any_of"
    ALL_OF = "all_of"


COMBINATORS = frozenset({CriterionKind.ANY_OF, CriterionKind.ALL_OF})


class CriterionParams(DomainModel):
    """Base of every params model."""

    subjects: ClassVar[frozenset[RecipientKind]] = BOTH
    """Recipient kinds whose facts carry what this kind reads."""

    def referenced_codes(self) -> Codes:
        """Catalogue codes the params name; the loader checks they exist."""
        return ()


class TitleParams(CriterionParams):
    """Base of the kinds that read titles and awards already held."""

    codes: Codes = Field(min_length=1)
    countable_categories: tuple[CommendationCategory, ...] = EVIDENCE
    after_last_award: bool = Field(
        default=False,
        description="Only evidence later than the last time the assessed award was given counts: "
        "one achievement, one award (Law 2022 Art. 5.2).",
    )

    def referenced_codes(self) -> Codes:
        return self.codes


class GradeAtLeast(CriterionParams):
    """Graded ``grade`` or better in ``min_count`` of the ``years`` years ending ``end_offset`` years before."""

    grade: Grade
    years: int = Field(default=1, ge=1, le=30)
    min_count: int | None = Field(default=None, ge=1, description="Default: every year of the window.")
    end_offset: int = Field(default=0, ge=0, le=5)

    @model_validator(mode="after")
    def _count_fits(self) -> GradeAtLeast:
        if self.min_count is not None and self.min_count > self.years:
            raise ValueError("min_count cannot exceed years")
        return self


class HoldsTitle(TitleParams):
    """Holds one of ``codes`` for the year ``year_offset`` years before the assessed one."""

    year_offset: int = Field(default=0, ge=0, le=5)


class ConsecutiveTitles(TitleParams):
    """``count`` consecutive holdings, ``step`` years apart, ending in the year minus one of ``end_offsets``.

    step 3 expresses "two consecutive Ministry Emulation Fighter titles", each
    covering three years.
    """

    count: int = Field(ge=1, le=30)
    step: int = Field(default=1, ge=1, le=10)
    end_offsets: tuple[int, ...] = Field(default=(0,), min_length=1)


class TitlesInWindow(TitleParams):
    """Holds one of ``codes`` in at least ``count`` of the ``within_years`` years ending ``end_offset`` before."""

    count: int = Field(ge=1, le=30)
    within_years: int = Field(ge=1, le=30)
    end_offset: int = Field(default=0, ge=0, le=5)


class PriorAwardThenYears(TitleParams):
    """Received one of ``codes`` at least ``years`` years before the assessed year.

    The years after it are checked by sibling criteria over the same window
    (grades, initiatives, titles), so each requirement cites its own article.
    """

    years: int = Field(ge=1, le=30)


class NotHeldBefore(TitleParams):
    """Never received one of ``codes`` in an earlier year (awards given once)."""

    subjects: ClassVar[frozenset[RecipientKind]] = ANY_RECIPIENT
    countable_categories: tuple[CommendationCategory, ...] = tuple(CommendationCategory)


class MeetsCriteriaOf(CriterionParams):
    """Holds ``code`` for the year, or meets every criterion of its rule in force that year."""

    code: str

    def referenced_codes(self) -> Codes:
        return (self.code,)


class InitiativeOrResearch(CriterionParams):
    """At least ``count`` initiatives of ``kinds`` at ``min_level`` or higher, not yet used as evidence."""

    subjects: ClassVar[frozenset[RecipientKind]] = PERSON
    kinds: tuple[InitiativeKind, ...] = Field(default=tuple(InitiativeKind), min_length=1)
    min_level: Level
    count: int = Field(default=1, ge=1, le=20)
    within_years: int = Field(default=1, ge=1, le=30)
    end_offset: int = Field(default=0, ge=0, le=5)
    reuse: ReusePolicy = ReusePolicy.NEVER


class NoDiscipline(CriterionParams):
    """No discipline of ``min_severity`` or heavier in force during the scope."""

    subjects: ClassVar[frozenset[RecipientKind]] = PERSON
    scope: DisciplineScope = DisciplineScope.YEARS
    years: int = Field(default=1, ge=1, le=40)
    min_severity: DisciplineForm = DisciplineForm.REPRIMAND


class NoPendingHold(CriterionParams):
    """No open hold of ``kinds`` on the date the file is considered."""

    subjects: ClassVar[frozenset[RecipientKind]] = ANY_RECIPIENT
    kinds: tuple[HoldKind, ...] = Field(default=tuple(HoldKind), min_length=1)


class AreaReduction(DomainModel):
    """Service required is cut by ``reduce_by`` years after ``min_area_years`` in extremely disadvantaged areas."""

    min_area_years: float = Field(gt=0)
    reduce_by: float = Field(gt=0)


class ServiceYearsBySex(CriterionParams):
    """Service since ``basis`` of at least ``men`` / ``women`` years, or ``hazardous`` years of hazardous work."""

    subjects: ClassVar[frozenset[RecipientKind]] = PERSON
    basis: ServiceBasis = ServiceBasis.SECTOR
    men: float = Field(gt=0, le=60)
    women: float = Field(gt=0, le=60)
    hazardous: float | None = Field(default=None, gt=0, le=60)
    exclude_discipline_from: DisciplineForm | None = Field(
        default=None, description="Discipline periods of this form or heavier are not counted."
    )
    women_leader_reduction: float | None = Field(default=None, gt=0, lt=1)
    area_reduction: AreaReduction | None = None
    outside_sector_keys: tuple[str, ...] = Field(
        default=(),
        description="Attested findings (for the year) by which a person outside the sector qualifies without "
        "sector service, e.g. TT 16/2018/TT-BCT Art. 14.2 for the Industry and Trade medal.",
    )


class TenureThreshold(DomainModel):
    """Years required in a post (or a higher one): from ``years`` to under ``below_years`` when a range is set.

    ``below_years`` equal to ``years`` is an empty range: the post is not in this class's list because that
    tenure at it is for a higher class (a Thứ trưởng of 3 years is for hạng Nhì, not hạng Ba).
    """

    position: LeaderPosition
    years: float = Field(gt=0, le=40)
    below_years: float | None = Field(
        default=None, gt=0, le=60, description="Upper bound, exclusive: longer tenure belongs to a higher class."
    )

    @model_validator(mode="after")
    def _range_ordered(self) -> TenureThreshold:
        if self.below_years is not None and self.below_years < self.years:
            raise ValueError("below_years must not be below years")
        return self


class LeaderTenure(CriterionParams):
    """Tenure in a leadership post within its range; higher posts count toward lower thresholds.

    The highest post whose lower bound is reached decides: tenure beyond its range is for a higher class.
    """

    subjects: ClassVar[frozenset[RecipientKind]] = PERSON
    thresholds: tuple[TenureThreshold, ...] = Field(min_length=1)
    women_reduction: float | None = Field(default=None, gt=0, lt=1, description="1/3 for women (NĐ 152/2025 Art. 4.7).")
    later_retirement_exception: bool = Field(
        default=False, description="No reduction for women in the later-retirement group (NĐ 152/2025 Art. 4.7)."
    )


class TeachingYears(CriterionParams):
    """At least ``min_years`` years of direct teaching."""

    subjects: ClassVar[frozenset[RecipientKind]] = PERSON
    min_years: float = Field(gt=0, le=60)


class WorkingTimeInYear(CriterionParams):
    """Working time from recruitment to 31 December of at least ``min_months``; leave of a kind not in
    ``counted_as_work`` is not working time (maternity leave is: NĐ 152/2025 Art. 4.5)."""

    subjects: ClassVar[frozenset[RecipientKind]] = PERSON
    min_months: int = Field(ge=1, le=12)
    counted_as_work: tuple[AbsenceKind, ...] = (AbsenceKind.MATERNITY,)


class RegistrationExists(CriterionParams):
    """Registered (đăng ký thi đua) for one of ``codes`` for the year."""

    codes: Codes = Field(min_length=1)

    def referenced_codes(self) -> Codes:
        return self.codes


class Attested(CriterionParams):
    """The file attests one of ``keys`` for the year (a finding the engine cannot compute)."""

    subjects: ClassVar[frozenset[RecipientKind]] = ANY_RECIPIENT
    keys: tuple[str, ...] = Field(min_length=1)


class ConferralCycle(CriterionParams):
    """The year is a conferral year: ``base_year`` + k × ``every``."""

    base_year: int = Field(ge=1945, le=2100)
    every: int = Field(ge=1, le=10)


class BlocLeader(CriterionParams):
    """Led its emulation bloc or cluster (dẫn đầu khối/cụm thi đua) in the year."""

    subjects: ClassVar[frozenset[RecipientKind]] = COLLECTIVE


class MembersShareWithTitle(CriterionParams):
    """Share of members holding ``code`` in the year is at least (or, strict, more than) ``min_share``."""

    subjects: ClassVar[frozenset[RecipientKind]] = COLLECTIVE
    code: str
    min_share: float = Field(gt=0, le=1)
    strict: bool = False

    def referenced_codes(self) -> Codes:
        return (self.code,)


class AtLeastNMembersWithTitle(CriterionParams):
    """At least ``n`` members hold ``code`` in the year."""

    subjects: ClassVar[frozenset[RecipientKind]] = COLLECTIVE
    code: str
    n: int = Field(ge=1, le=10_000)

    def referenced_codes(self) -> Codes:
        return (self.code,)


class MembersAllCompleted(CriterionParams):
    """Every member completed their duties in the year."""

    subjects: ClassVar[frozenset[RecipientKind]] = COLLECTIVE


class NoMemberDisciplinedAtOrAbove(CriterionParams):
    """No member disciplined at ``min_severity`` or heavier in the year."""

    subjects: ClassVar[frozenset[RecipientKind]] = COLLECTIVE
    min_severity: DisciplineForm


class HouseholdContributionParams(CriterionParams):
    """The household contributed in the year one of ``kinds`` (công sức, đất đai, tài sản), at least ``min_count``
    contributions and, when ``min_value_vnd`` is set, of that value in total (the nomination states them)."""

    subjects: ClassVar[frozenset[RecipientKind]] = HOUSEHOLD
    kinds: tuple[ContributionKind, ...] = Field(default=tuple(ContributionKind), min_length=1)
    min_count: int = Field(default=1, ge=1, le=100)
    min_value_vnd: int | None = Field(default=None, ge=0)


class Posthumous(CriterionParams):
    """A deceased person may receive it only where the rule provides for conferral after death (truy tặng).

    Never written in the catalogue: the engine adds it for a deceased person, with the version's
    ``posthumous`` source, or marked [U] when the version records none.
    """

    subjects: ClassVar[frozenset[RecipientKind]] = PERSON


class Combinator(CriterionParams):
    """any_of / all_of take no params; their children are the ``criteria`` field."""


PARAMS: dict[CriterionKind, type[CriterionParams]] = {
    CriterionKind.GRADE_AT_LEAST: GradeAtLeast,
    CriterionKind.HOLDS_TITLE: HoldsTitle,
    CriterionKind.CONSECUTIVE_TITLES: ConsecutiveTitles,
    CriterionKind.TITLES_IN_WINDOW: TitlesInWindow,
    CriterionKind.PRIOR_AWARD_THEN_YEARS: PriorAwardThenYears,
    CriterionKind.NOT_HELD_BEFORE: NotHeldBefore,
    CriterionKind.MEETS_CRITERIA_OF: MeetsCriteriaOf,
    CriterionKind.INITIATIVE_OR_RESEARCH: InitiativeOrResearch,
    CriterionKind.NO_DISCIPLINE: NoDiscipline,
    CriterionKind.NO_PENDING_HOLD: NoPendingHold,
    CriterionKind.SERVICE_YEARS_BY_SEX: ServiceYearsBySex,
    CriterionKind.LEADER_TENURE: LeaderTenure,
    CriterionKind.TEACHING_YEARS: TeachingYears,
    CriterionKind.WORKING_TIME_IN_YEAR: WorkingTimeInYear,
    CriterionKind.POSTHUMOUS: Posthumous,
    CriterionKind.REGISTRATION_EXISTS: RegistrationExists,
    CriterionKind.ATTESTED: Attested,
    CriterionKind.CONFERRAL_CYCLE: ConferralCycle,
    CriterionKind.BLOC_LEADER: BlocLeader,
    CriterionKind.MEMBERS_SHARE_WITH_TITLE: MembersShareWithTitle,
    CriterionKind.AT_LEAST_N_MEMBERS_WITH_TITLE: AtLeastNMembersWithTitle,
    CriterionKind.MEMBERS_ALL_COMPLETED: MembersAllCompleted,
    CriterionKind.NO_MEMBER_DISCIPLINED_AT_OR_ABOVE: NoMemberDisciplinedAtOrAbove,
    CriterionKind.HOUSEHOLD_CONTRIBUTION: HouseholdContributionParams,
    CriterionKind.ANY_OF: Combinator,
    CriterionKind.ALL_OF: Combinator,
}


class CriterionSpec(DomainModel):
    """One criterion of a rule, as the catalogue states it."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Unique among its siblings; results name it by path.")
    kind: CriterionKind
    params: SerializeAsAny[CriterionParams]
    criteria: tuple[CriterionSpec, ...] = Field(default=(), description="Children of any_of / all_of.")
    source: LegalSource
    confidence: Confidence
    vi: str = Field(min_length=1, description="The requirement in Vietnamese.")
    en: str = Field(min_length=1, description="The requirement in English.")
    note: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _typed_params(cls, data: Any) -> Any:
        if isinstance(data, dict) and not isinstance(data.get("params"), CriterionParams):
            kind = CriterionKind(str(data.get("kind")))
            data = {**data, "params": PARAMS[kind].model_validate(data.get("params") or {})}
        return data

    @model_validator(mode="after")
    def _children_only_on_combinators(self) -> CriterionSpec:
        if self.kind in COMBINATORS:
            if not self.criteria:
                raise ValueError(f"{self.id}: {self.kind} needs child criteria")
            ids = [c.id for c in self.criteria]
            if len(ids) != len(set(ids)):
                raise ValueError(f"{self.id}: child criterion ids must be unique")
        elif self.criteria:
            raise ValueError(f"{self.id}: only any_of / all_of have child criteria")
        return self

    @property
    def confirmed(self) -> bool:
        """False for a rule marked [U]."""
        return self.confidence is not Confidence.UNCONFIRMED

    def walk(self) -> list[CriterionSpec]:
        """This criterion and all its descendants."""
        found = [self]
        for child in self.criteria:
            found.extend(child.walk())
        return found
