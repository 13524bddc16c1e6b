"""Who will qualify next year if this year's trend holds.

The trend is projected into the target year: each candidate keeps last
year's grade, last year's annual titles (LĐTT, CSTĐCS, TTLĐXS, …) and
registrations, and a collective keeps last year's member figures. Nothing
else is invented: initiatives, prior awards, service and discipline stay as
they are. A candidate is forecast when, under that projection, at most
``max_unmet`` criteria are still not met (0: would qualify if the trend holds).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from pydantic import Field

from .base import DomainModel
from .catalogue import Catalogue
from .engine import assess
from .facts import PersonFacts, Registration, TitleRecord, UnitFacts
from .results import Assessment
from .vocabulary import Recurrence, Status


class ForecastGap(DomainModel):
    """A criterion not met today for the target year."""

    criterion_id: str
    status: Status = Field(description="Status with the facts as they are.")
    covered_by_trend: bool = Field(description="True if repeating last year's results would meet it.")
    explanation_vi: str
    explanation_en: str


class ForecastCandidate(DomainModel):
    """A candidate one step short, and what they still need."""

    subject_id: str
    subject_name: str
    code: str
    year: int
    on_track: bool = Field(description="Would qualify if the trend holds.")
    unmet_after_trend: int = Field(description="Criteria still not met under the projection.")
    missing: tuple[ForecastGap, ...]
    assumptions_vi: tuple[str, ...]
    assumptions_en: tuple[str, ...]
    projected: Assessment


def forecast(
    catalogue: Catalogue,
    code: str,
    next_year: int,
    facts_list: Iterable[PersonFacts | UnitFacts],
    *,
    as_of: date | None = None,
    max_unmet: int = 0,
) -> list[ForecastCandidate]:
    """Candidates who are not yet eligible for ``code`` in ``next_year`` but would be if the trend holds.

    With ``max_unmet`` > 0, also those still short by that many criteria.
    Already eligible candidates are left out. Sorted: on track first, then
    fewest unmet, then name.
    """
    found: list[ForecastCandidate] = []
    for facts in facts_list:
        actual = assess(catalogue, code, next_year, facts, as_of=as_of)
        if actual.eligible:
            continue
        projected_facts, assumed_vi, assumed_en = project(catalogue, facts, next_year)
        projected = assess(catalogue, code, next_year, projected_facts, as_of=as_of)
        unmet = [r for r in projected.criteria if r.status is not Status.PASSED]
        if len(unmet) > max_unmet:
            continue
        after = {r.id: r.status for r in projected.results()}
        gaps = tuple(
            ForecastGap(
                criterion_id=r.id,
                status=r.status,
                covered_by_trend=after.get(r.id) is Status.PASSED,
                explanation_vi=r.explanation_vi,
                explanation_en=r.explanation_en,
            )
            for r in actual.criteria
            if r.status is not Status.PASSED
        )
        found.append(
            ForecastCandidate(
                subject_id=facts.subject_id,
                subject_name=facts.subject_name,
                code=code,
                year=next_year,
                on_track=projected.eligible,
                unmet_after_trend=len(unmet),
                missing=gaps,
                assumptions_vi=assumed_vi,
                assumptions_en=assumed_en,
                projected=projected,
            )
        )
    return sorted(found, key=lambda c: (not c.on_track, c.unmet_after_trend, c.subject_name))


def project(
    catalogue: Catalogue, facts: PersonFacts | UnitFacts, year: int
) -> tuple[PersonFacts | UnitFacts, tuple[str, ...], tuple[str, ...]]:
    """Copy ``facts`` with year-1 grade, annual titles, registrations (and member figures) repeated in ``year``."""
    last = year - 1
    update: dict[str, object] = {}
    vi: list[str] = []
    en: list[str] = []
    if year not in facts.grades and last in facts.grades:
        grade = facts.grades[last]
        update["grades"] = {**facts.grades, year: grade}
        vi.append(f"xếp loại {grade.value} năm {year} như năm {last}")
        en.append(f"grade {grade.value} in {year} as in {last}")
    if facts.titles is not None:
        annual = {
            t.code
            for t in facts.titles
            if t.year == last
            and t.code in catalogue.entries
            and catalogue.entries[t.code].recurrence is Recurrence.ANNUAL
        }
        annual -= {t.code for t in facts.titles if t.year == year}
        if annual:
            added = [TitleRecord(code=c, year=year, decision_number=None) for c in sorted(annual)]
            update["titles"] = [*facts.titles, *added]
            vi.append(f"đạt lại {', '.join(sorted(annual))} năm {year}")
            en.append(f"{', '.join(sorted(annual))} again in {year}")
    if facts.registrations is not None:
        again = {r.code for r in facts.registrations if r.year == last} - {
            r.code for r in facts.registrations if r.year == year
        }
        if again:
            update["registrations"] = [*facts.registrations, *(Registration(year=year, code=c) for c in sorted(again))]
            vi.append(f"đăng ký {', '.join(sorted(again))} năm {year}")
            en.append(f"registers {', '.join(sorted(again))} for {year}")
    if isinstance(facts, UnitFacts):
        summary = facts.member_summary(last)
        if summary is not None and facts.member_summary(year) is None:
            update["members"] = [*facts.members, summary.model_copy(update={"year": year})]
            vi.append(f"số liệu thành viên năm {year} như năm {last}")
            en.append(f"member figures in {year} as in {last}")
    projected = facts.model_copy(update=update)
    return projected, tuple(vi), tuple(en)
