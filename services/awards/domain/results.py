"""What an assessment answers: per-criterion status with citations, and the verdict."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any, Literal

from pydantic import Field
from tdkt_contracts.vocabulary import Authority, RecipientKind

from .base import DomainModel
from .criteria import CriterionKind
from .sources import Citation
from .vocabulary import AwardKind, CommendationCategory, Confidence, DecisionRoute, Outcome, Status


class CriterionResult(DomainModel):
    """One criterion checked against the facts."""

    id: str = Field(description="Path of the criterion in its rule, e.g. 'route.htxs'.")
    kind: CriterionKind
    status: Status
    decisive: bool = Field(
        default=True, description="False for an alternative of an any_of that was not the route taken."
    )
    requirement_vi: str
    requirement_en: str
    detail_vi: str = Field(description="What the facts showed.")
    detail_en: str
    explanation_vi: str = Field(description="Status, requirement, facts and the article applied, in one line.")
    explanation_en: str
    citation: Citation
    confidence: Confidence
    confirmed: bool = Field(description="False if the rule is [U] or an unconfirmed assumption was needed.")
    assumptions_vi: tuple[str, ...] = ()
    assumptions_en: tuple[str, ...] = ()
    facts_used: dict[str, Any] = Field(default_factory=dict)
    consumes: tuple[str, ...] = Field(default=(), description="Initiative ids this criterion takes as evidence.")
    children: tuple[CriterionResult, ...] = ()

    def walk(self) -> Iterator[CriterionResult]:
        """This result and all its descendants."""
        yield self
        for child in self.children:
            yield from child.walk()


class RuleApplied(DomainModel):
    """The rule version and legal regime the assessment used."""

    rule_id: str
    valid_from: date
    valid_to: date | None
    confidence: Confidence
    rule_set_id: str
    rule_set_vi: str
    rule_set_en: str
    citation: Citation
    description_vi: str
    description_en: str
    selected_on: date = Field(description="The day whose rule was applied: 31 December of the year, or the filing date.")
    selected_by: Literal["year_end", "filing_date"] = "year_end"


class ProcedureRequirement(DomainModel):
    """A number the workflow applies (vote share, notice days, cash multiple) with its source."""

    value: float
    citation: Citation
    confirmed: bool


class Procedure(DomainModel):
    """Who decides and how the file moves."""

    authority: Authority
    authority_vi: str
    route: DecisionRoute
    ministry_decides: bool = Field(description="True when the Minister (or a unit head under the Ministry) decides.")
    submit_to_vi: str | None = None
    submit_to_en: str | None = None
    council_vote_share: ProcedureRequirement | None = Field(
        default=None, description="Share of ALL council members that must vote yes."
    )
    public_notice_working_days: ProcedureRequirement | None = Field(
        default=None, description="Working days the names are published before the council meets."
    )
    cash_multiple: ProcedureRequirement | None = Field(default=None, description="Multiple of the base salary.")


class Note(DomainModel):
    """A council check or a quota: shown with the assessment, never decisive."""

    text_vi: str
    text_en: str
    citation: Citation
    confirmed: bool


class UnconfirmedItem(DomainModel):
    """Something [U] the assessment relied on."""

    scope: Literal["rule", "criterion", "procedure"]
    ref: str
    text_vi: str
    text_en: str


class Assessment(DomainModel):
    """Is the candidate eligible, under which rule, and why."""

    code: str
    name_vi: str
    name_en: str
    award_kind: AwardKind
    category: CommendationCategory
    year: int
    recipient_kind: RecipientKind
    subject_id: str
    subject_name: str
    as_of: date | None
    outcome: Outcome
    eligible: bool = Field(description="True only when every criterion passed.")
    rule: RuleApplied
    criteria: tuple[CriterionResult, ...]
    initiatives_to_consume: tuple[str, ...] = Field(
        description="Initiative ids the award would use as evidence; empty unless eligible."
    )
    unconfirmed: bool = Field(description="An unconfirmed [U] rule was applied somewhere; see unconfirmed_items.")
    unconfirmed_items: tuple[UnconfirmedItem, ...]
    flags: tuple[str, ...] = Field(description="'unconfirmed' when unconfirmed is true.")
    procedure: Procedure
    council_checks: tuple[Note, ...]
    quota_notes: tuple[Note, ...]
    regime_change: Note | None = Field(
        default=None, description="The file was filed under another regime than the achievement year's end."
    )
    tie_priority: Note | None = Field(
        default=None,
        description="The candidate comes first among equal achievements (a woman; a collective of at least 70 % "
        "women, NĐ 152/2025 Art. 4.6): a ranking for the council, never eligibility.",
    )
    facts_used: dict[str, dict[str, Any]] = Field(description="Facts each decisive leaf criterion read, by path.")
    explanation_vi: str
    explanation_en: str

    def results(self) -> Iterator[CriterionResult]:
        """Every criterion result, children included."""
        for top in self.criteria:
            yield from top.walk()

    def result(self, path: str) -> CriterionResult:
        """The result at ``path``, e.g. 'route.htxs'; KeyError if absent."""
        for found in self.results():
            if found.id == path:
                return found
        raise KeyError(path)

    def failing(self) -> list[str]:
        """Paths of decisive leaf criteria that failed."""
        return [r.id for r in self.results() if r.decisive and not r.children and r.status is Status.FAILED]

    def unknown(self) -> list[str]:
        """Paths of decisive leaf criteria whose facts were missing."""
        return [r.id for r in self.results() if r.decisive and not r.children and r.status is Status.UNKNOWN]
