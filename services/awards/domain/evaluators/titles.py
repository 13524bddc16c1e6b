"""Titles and awards already held: single, chains, counts in a window, prior awards."""

from __future__ import annotations

from typing import Any

from ..context import EvalContext, Verdict, failed, missing, passed
from ..criteria import (
    EVIDENCE,
    ConsecutiveTitles,
    CriterionKind,
    HoldsTitle,
    NotHeldBefore,
    PriorAwardThenYears,
    TitlesInWindow,
    TitleParams,
)
from ..facts import TitleRecord
from ..timespan import span_text, window
from .registry import evaluator

_NO_TITLES = ("danh hiệu, khen thưởng đã nhận", "titles and awards held")


def _names(codes: tuple[str, ...]) -> str:
    return " / ".join(codes)


def _years(titles: list[TitleRecord]) -> set[int]:
    return {t.year for t in titles}


def _earlier_law(ctx: EvalContext, years: list[int]) -> tuple[tuple[str, str], ...]:
    """rules.md §8: titles earned under an earlier law still count toward chains — an assumption [U]."""
    old = [y for y in years if ctx.law_of_year(y) != ctx.rule_set.law]
    if not old:
        return ()
    listed = ", ".join(map(str, old))
    return (
        (
            f"Tính cả danh hiệu năm {listed} đạt theo luật trước đây (giả định chưa xác nhận, rules.md §8).",
            f"Counts titles of {listed} earned under the earlier law (unconfirmed assumption, rules.md §8).",
        ),
    )


def _evidence(p: TitleParams, ctx: EvalContext) -> tuple[list[TitleRecord] | None, int | None]:
    """Held titles that may serve as evidence, and the year of the last earlier grant of the assessed award.

    With ``after_last_award``, a title of that year or before already earned that grant (Law 2022 Art. 5.2:
    one achievement, one award), so only later ones count.
    """
    titles = ctx.titles(p.codes, p.countable_categories)
    if titles is None or not p.after_last_award:
        return titles, None
    own = [t.year for t in ctx.titles((ctx.entry.code,), EVIDENCE) or [] if t.year < ctx.year]
    last = max(own, default=None)
    return ([t for t in titles if last is None or t.year > last], last)


def _spent(last: int | None, code: str) -> tuple[str, str]:
    """The sentence saying why evidence before ``last`` no longer counts."""
    if last is None:
        return "", ""
    return (
        f" Chỉ tính thành tích sau lần được tặng {code} năm {last} (mỗi thành tích chỉ khen thưởng một lần).",
        f" Only achievements after {code} of {last} count (one achievement, one award).",
    )


@evaluator(CriterionKind.HOLDS_TITLE)
def holds_title(p: HoldsTitle, ctx: EvalContext) -> Verdict:
    """Holds one of the codes for the target year."""
    titles = ctx.titles(p.codes, p.countable_categories)
    if titles is None:
        return missing(*_NO_TITLES)
    year = ctx.year - p.year_offset
    match = next((t for t in titles if t.year == year), None)
    facts = {"year": year, "held": match.model_dump(mode="json") if match else None}
    if match:
        ref = f" ({match.decision_number})" if match.decision_number else ""
        return passed(f"Có {match.code} năm {year}{ref}.", f"Holds {match.code} for {year}{ref}.", facts=facts)
    return failed(f"Không có {_names(p.codes)} năm {year}.", f"No {_names(p.codes)} for {year}.", facts=facts)


@evaluator(CriterionKind.CONSECUTIVE_TITLES)
def consecutive_titles(p: ConsecutiveTitles, ctx: EvalContext) -> Verdict:
    """``count`` holdings ``step`` years apart ending at one of the allowed years; no gap allowed."""
    titles, last = _evidence(p, ctx)
    if titles is None:
        return missing(*_NO_TITLES)
    spent_vi, spent_en = _spent(last, ctx.entry.code)
    held = _years(titles)
    tried = []
    for offset in p.end_offsets:
        end = ctx.year - offset
        needed = sorted(end - p.step * i for i in range(p.count))
        tried.append(needed)
        if all(y in held for y in needed):
            facts: dict[str, Any] = {"years_needed": needed, "years_held": sorted(held)}
            listed = ", ".join(map(str, needed))
            return passed(
                f"Có {_names(p.codes)} liên tục các năm {listed}.",
                f"Holds {_names(p.codes)} for consecutive years {listed}.",
                facts=facts,
                assumptions=_earlier_law(ctx, needed),
            )
    gaps = sorted({y for needed in tried for y in needed if y not in held})
    wanted = " hoặc ".join(", ".join(map(str, n)) for n in tried)
    wanted_en = " or ".join(", ".join(map(str, n)) for n in tried)
    facts = {"years_needed": tried, "years_held": sorted(held), "after_award_of": last}  # every end year tried
    return failed(
        f"Cần {_names(p.codes)} các năm {wanted}; thiếu năm {', '.join(map(str, gaps))} (chuỗi bị gián đoạn)."
        + spent_vi,
        f"Needs {_names(p.codes)} for {wanted_en}; missing {', '.join(map(str, gaps))} (broken chain)." + spent_en,
        facts=facts,
    )


@evaluator(CriterionKind.TITLES_IN_WINDOW)
def titles_in_window(p: TitlesInWindow, ctx: EvalContext) -> Verdict:
    """Distinct years in the window holding one of the codes."""
    titles, last = _evidence(p, ctx)
    if titles is None:
        return missing(*_NO_TITLES)
    years = window(ctx.year - p.end_offset, p.within_years)
    found = sorted(_years(titles) & set(years))
    facts = {"window": [years[0], years[-1]], "years_held": found, "after_award_of": last}
    listed = ", ".join(map(str, found))
    span = span_text(years)
    vi = f"Cần {p.count} lần {_names(p.codes)} trong {span}; có {len(found)} ({listed or 'không có'})."
    en = f"Needs {p.count} × {_names(p.codes)} in {span}; found {len(found)} ({listed or 'none'})."
    if len(found) >= p.count:
        return passed(vi, en, facts=facts, assumptions=_earlier_law(ctx, found[-p.count :]))
    spent_vi, spent_en = _spent(last, ctx.entry.code)
    return failed(vi + spent_vi, en + spent_en, facts=facts)


@evaluator(CriterionKind.PRIOR_AWARD_THEN_YEARS)
def prior_award_then_years(p: PriorAwardThenYears, ctx: EvalContext) -> Verdict:
    """A prior award received at least ``years`` years before, so the window after it is free."""
    titles, last = _evidence(p, ctx)
    if titles is None:
        return missing(*_NO_TITLES)
    latest_allowed = ctx.year - p.years
    fitting = sorted((t for t in titles if t.year <= latest_allowed), key=lambda t: t.year)
    facts = {
        "latest_allowed_year": latest_allowed,
        "held": [f"{t.code} {t.year}" for t in titles],
        "after_award_of": last,
    }
    if fitting:
        prior = fitting[-1]
        ref = f" ({prior.decision_number})" if prior.decision_number else ""
        return passed(
            f"Đã được tặng {prior.code} năm {prior.year}{ref}, từ {p.years} năm trước trở lên.",
            f"Received {prior.code} in {prior.year}{ref}, at least {p.years} years before.",
            facts=facts,
        )
    recent = [f"{t.code} {t.year}" for t in titles]
    vi_more = f" Có {', '.join(recent)} nhưng chưa đủ {p.years} năm." if recent else ""
    en_more = f" Holds {', '.join(recent)}, but fewer than {p.years} years ago." if recent else ""
    spent_vi, spent_en = _spent(last, ctx.entry.code)
    return failed(
        f"Cần đã được tặng {_names(p.codes)} năm {latest_allowed} hoặc trước đó.{vi_more}{spent_vi}",
        f"Needs {_names(p.codes)} received in {latest_allowed} or earlier.{en_more}{spent_en}",
        facts=facts,
    )


@evaluator(CriterionKind.NOT_HELD_BEFORE)
def not_held_before(p: NotHeldBefore, ctx: EvalContext) -> Verdict:
    """Never received in an earlier year (one-time awards); the same year is a re-assessment."""
    titles = ctx.titles(p.codes, p.countable_categories)
    if titles is None:
        return missing(*_NO_TITLES)
    earlier = sorted((t for t in titles if t.year < ctx.year), key=lambda t: t.year)
    facts = {"earlier": [f"{t.code} {t.year}" for t in earlier]}
    if earlier:
        first = earlier[0]
        return failed(
            f"Đã được tặng {first.code} năm {first.year}; chỉ tặng một lần.",
            f"Already received {first.code} in {first.year}; it is given once.",
            facts=facts,
        )
    return passed(
        f"Chưa được tặng {_names(p.codes)} trước đây.", f"Has not received {_names(p.codes)} before.", facts=facts
    )
