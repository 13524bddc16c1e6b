"""What an evaluator sees (:class:`EvalContext`) and what it answers (:class:`Verdict`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .catalogue import AwardEntry, Catalogue, RuleSet, RuleVersion
from .facts import AnyFacts, HouseholdFacts, PersonFacts, TitleRecord, UnitFacts
from .timespan import year_end
from .vocabulary import CommendationCategory, Status


@dataclass
class Ledger:
    """Initiative ids already claimed by earlier criteria of the same assessment.

    One initiative is evidence once; two criteria of one rule must not both
    count it. Alternatives of an any_of work on a copy; only the route taken
    is committed.
    """

    claimed: set[str] = field(default_factory=set)

    def copy(self) -> Ledger:
        """An independent copy."""
        return Ledger(set(self.claimed))

    def claim(self, ids: Iterable[str]) -> None:
        """Mark ``ids`` as taken."""
        self.claimed.update(ids)


@dataclass(frozen=True)
class EvalContext:
    """The case being assessed. ``entry`` is always the award assessed; ``version`` is the rule
    being evaluated (another code's rule inside meets_criteria_of)."""

    catalogue: Catalogue
    entry: AwardEntry
    version: RuleVersion
    rule_set: RuleSet
    year: int
    facts: AnyFacts
    as_of: date | None
    ledger: Ledger = field(default_factory=Ledger)
    depth: int = 0
    rule_day: date | None = None
    """The day whose rules apply when it is not 31 December of the year (the filing date)."""

    def fork(self) -> EvalContext:
        """Same case, private ledger (for one alternative of an any_of)."""
        return replace(self, ledger=self.ledger.copy())

    def within(self, version: RuleVersion) -> EvalContext:
        """Evaluate another code's rule for the same case (meets_criteria_of)."""
        return replace(self, version=version, depth=self.depth + 1)

    @property
    def person(self) -> PersonFacts:
        """The facts as a person; the loader guarantees person-only kinds see persons."""
        if not isinstance(self.facts, PersonFacts):
            raise TypeError("this criterion needs the facts of a person")
        return self.facts

    @property
    def unit(self) -> UnitFacts:
        """The facts as a collective; the loader guarantees collective-only kinds see collectives."""
        if not isinstance(self.facts, UnitFacts):
            raise TypeError("this criterion needs the facts of a collective")
        return self.facts

    @property
    def household(self) -> HouseholdFacts:
        """The facts as a household; the loader guarantees household-only kinds see households."""
        if not isinstance(self.facts, HouseholdFacts):
            raise TypeError("this criterion needs the facts of a household")
        return self.facts

    @property
    def reference_date(self) -> date:
        """31 December of the assessed year."""
        return year_end(self.year)

    @property
    def rules_day(self) -> date:
        """The day whose rule versions apply: the filing date where it decides, else 31 December."""
        return self.rule_day or self.reference_date

    def titles(self, codes: Iterable[str], categories: Iterable[CommendationCategory]) -> list[TitleRecord] | None:
        """Held titles of ``codes`` in ``categories``; None when titles are not loaded."""
        if self.facts.titles is None:
            return None
        wanted, allowed = set(codes), set(categories)
        return [t for t in self.facts.titles if t.code in wanted and t.category in allowed]

    def law_of_year(self, year: int) -> str | None:
        """The law in force at the end of ``year``, to flag evidence from an earlier law."""
        regime = self.catalogue.rule_set_at(year_end(year))
        return regime.law if regime else None


@dataclass(frozen=True)
class Verdict:
    """An evaluator's answer: status, what it saw (vi/en), facts used, initiatives it would consume,
    and any unconfirmed assumption it had to make."""

    status: Status
    detail_vi: str
    detail_en: str
    facts: dict[str, Any] = field(default_factory=dict)
    consumes: tuple[str, ...] = ()
    assumptions: tuple[tuple[str, str], ...] = ()


def passed(vi: str, en: str, **kw: Any) -> Verdict:
    """A passed verdict."""
    return Verdict(Status.PASSED, vi, en, **kw)


def failed(vi: str, en: str, **kw: Any) -> Verdict:
    """A failed verdict."""
    return Verdict(Status.FAILED, vi, en, **kw)


def unknown(vi: str, en: str, **kw: Any) -> Verdict:
    """A verdict for missing facts."""
    return Verdict(Status.UNKNOWN, vi, en, **kw)


def missing(what_vi: str, what_en: str) -> Verdict:
    """Unknown because a whole fact is not loaded."""
    return unknown(f"Chưa có dữ liệu {what_vi}.", f"No data on {what_en}.", facts={"missing": what_en})
