"""The personal data an assessment reveals, and an assessment cut to what the caller may see (kernel.privacy).

An assessment's criteria read a person's grades, discipline, date of birth
and sex; the lines of those criteria (their facts, details and explanations)
are personal data of that category. A caller who may not see a category
gets the assessment without those criteria: the outcome stays (it is what
the query answers), the reasons in a withheld category do not, and the
explanation says that something was withheld.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tdkt_contracts.catalogue.awards import CriterionOutcome

from kernel.privacy import PersonalData

from .domain.criteria import CriterionKind
from .domain.explain import criterion_line
from .domain.forecast import ForecastCandidate
from .domain.results import Assessment, CriterionResult

CRITERION_DATA: Mapping[CriterionKind, PersonalData] = {
    CriterionKind.GRADE_AT_LEAST: PersonalData.GRADES,
    CriterionKind.MEMBERS_ALL_COMPLETED: PersonalData.GRADES,
    CriterionKind.NO_DISCIPLINE: PersonalData.DISCIPLINE,
    CriterionKind.NO_PENDING_HOLD: PersonalData.DISCIPLINE,
    CriterionKind.NO_MEMBER_DISCIPLINED_AT_OR_ABOVE: PersonalData.DISCIPLINE,
    CriterionKind.SERVICE_YEARS_BY_SEX: PersonalData.BIRTH_AND_SEX,
}
"""Criteria whose facts are personal data beyond identity and awards, by category."""

_NOTE_VI = "Một số tiêu chí không hiển thị với vai trò của người xem (dữ liệu cá nhân: {})."
_NOTE_EN = "Some criteria are withheld from the caller's role (personal data: {})."
_PART_VI = "một phần không hiển thị với vai trò của người xem (dữ liệu cá nhân)."
_PART_EN = "partly withheld from the caller's role (personal data)."


class _Cut:
    """One walk of an assessment's criteria: what was withheld, and the lines to drop or rewrite."""

    def __init__(self, seen: frozenset[PersonalData]) -> None:
        self.seen = seen
        self.withheld: set[PersonalData] = set()
        self.dropped: list[CriterionResult] = []
        self.rewritten: dict[str, str] = {}

    def result(self, result: CriterionResult) -> CriterionResult | None:
        category = CRITERION_DATA.get(result.kind)
        if category is not None and category not in self.seen:
            self.withheld.add(category)
            self.dropped.extend(result.walk())
            return None
        if not result.children:
            return result
        children = tuple(c for c in (self.result(c) for c in result.children) if c is not None)
        if children == result.children:
            return result
        if not children:
            self.dropped.append(result)
            return None
        # A combinator's own line tells which route was met: it names the withheld facts too.
        vi, en = criterion_line(result.status, (result.requirement_vi, result.requirement_en), (_PART_VI, _PART_EN),
                                result.citation, result.confirmed, ())
        self.rewritten.update({result.explanation_vi: vi, result.explanation_en: en})
        return result.model_copy(update={
            "children": children, "detail_vi": _PART_VI, "detail_en": _PART_EN, "explanation_vi": vi,
            "explanation_en": en, "facts_used": {},
        })

    def text(self, explanation: str, note: str) -> str:
        hidden = {r.explanation_vi for r in self.dropped} | {r.explanation_en for r in self.dropped}
        lines = []
        for line in explanation.splitlines():
            if any(h and h in line for h in hidden):
                continue
            lines.append(next((line.replace(old, new) for old, new in self.rewritten.items() if old in line), line))
        return "\n".join([*lines, note.format(", ".join(sorted(c.value for c in self.withheld)))])


def withhold(assessment: Assessment, seen: frozenset[PersonalData]) -> Assessment:
    """``assessment`` without the criteria of categories not in ``seen`` (itself when nothing is withheld)."""
    cut = _Cut(seen)
    criteria = tuple(c for c in (cut.result(c) for c in assessment.criteria) if c is not None)
    if not cut.withheld:
        return assessment
    gone = {r.id for r in cut.dropped}
    return assessment.model_copy(update={
        "criteria": criteria,
        "facts_used": {path: facts for path, facts in assessment.facts_used.items() if path not in gone},
        "explanation_vi": cut.text(assessment.explanation_vi, _NOTE_VI),
        "explanation_en": cut.text(assessment.explanation_en, _NOTE_EN),
    })


def withhold_forecast(candidate: ForecastCandidate, seen: frozenset[PersonalData]) -> ForecastCandidate:
    """A forecast candidate without the gaps and projected criteria of categories not in ``seen``."""
    projected = withhold(candidate.projected, seen)
    if projected is candidate.projected:
        return candidate
    kept = {r.id for r in projected.results()}
    return candidate.model_copy(update={
        "projected": projected,
        "missing": tuple(g for g in candidate.missing if g.criterion_id in kept),
    })


_REASON_WITHHELD = "Lý do thuộc dữ liệu cá nhân không hiển thị với vai trò của người xem."
_SENSITIVE = frozenset({PersonalData.GRADES, PersonalData.DISCIPLINE})


def withhold_outcomes(
    criteria: Sequence[CriterionOutcome],
    reasons: Sequence[str],
    seen: frozenset[PersonalData],
    *,
    office_note: bool = False,
) -> tuple[list[CriterionOutcome], list[str]]:
    """A recorded assessment's criteria and return reasons without what ``seen`` leaves out: a criterion of a
    withheld category, one of unknown kind (recorded before kinds were) unless the caller sees grades and
    discipline, and a reason that is not the explanation of a criterion kept.

    ``office_note``: the reasons are the office's note returning the candidate to its unit. The note is written
    for that unit — it says what to fix — so whoever sees the person's grades reads it (the assessors, and the
    officer of the person's own unit, who must fix the dossier); a caller who does not (a reader) does not."""
    if _SENSITIVE <= seen and PersonalData.BIRTH_AND_SEX in seen:
        return list(criteria), list(reasons)

    def shown(outcome: CriterionOutcome) -> bool:
        if outcome.kind is None:
            return _SENSITIVE <= seen
        try:
            category = CRITERION_DATA.get(CriterionKind(outcome.kind))
        except ValueError:  # limited_review and other non-engine checks
            return True
        return category is None or category in seen

    kept = [c for c in criteria if shown(c)]
    if office_note and PersonalData.GRADES in seen:
        return kept, list(reasons)
    explained = {c.explanation_vi for c in kept}
    cut = [r if r in explained else _REASON_WITHHELD for r in reasons]
    return kept, list(dict.fromkeys(cut))


__all__ = ["CRITERION_DATA", "withhold", "withhold_forecast", "withhold_outcomes"]
