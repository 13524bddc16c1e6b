"""Calendar arithmetic the criteria share: year windows, service length, overlaps.

Service is counted by calendar: from a start date to the end of a day,
inclusive, in whole years plus the fraction of the last started year, so
1 Jan 2004 through 31 Dec 2023 is exactly 20 years.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

DAYS_PER_YEAR = 365.2425


def year_start(year: int) -> date:
    """1 January of ``year``."""
    return date(year, 1, 1)


def year_end(year: int) -> date:
    """31 December of ``year``: the date whose rules apply to that year's achievements."""
    return date(year, 12, 31)


def window(end_year: int, years: int) -> list[int]:
    """The ``years`` consecutive years ending with ``end_year``, oldest first."""
    return list(range(end_year - years + 1, end_year + 1))


def span_text(years: list[int]) -> str:
    """'2021–2023' for a run of years, '2023' for one."""
    if not years:
        return "—"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def years_between(start: date, last_day: date) -> float:
    """Length of the period from ``start`` through ``last_day`` inclusive, in years."""
    end = last_day + timedelta(days=1)
    if end <= start:
        return 0.0
    whole = end.year - start.year
    if _add_years(start, whole) > end:
        whole -= 1
    anchor = _add_years(start, whole)
    return whole + (end - anchor).days / DAYS_PER_YEAR


def overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date) -> bool:
    """Whether [a_start, a_end] meets [b_start, b_end]; a_end None runs forever."""
    return a_start <= b_end and (a_end is None or a_end >= b_start)


def covered_days(periods: Iterable[tuple[date, date | None]], start: date, last_day: date) -> int:
    """Days of [start, last_day] covered by the union of ``periods`` (open ends run to last_day).

    Overlapping periods are merged first so that a day is never subtracted twice.
    """
    clipped: list[tuple[date, date]] = []
    for p_start, p_end in periods:
        lo = max(p_start, start)
        hi = min(p_end or last_day, last_day)
        if lo <= hi:
            clipped.append((lo, hi))
    clipped.sort()
    total = 0
    current: tuple[date, date] | None = None
    for lo, hi in clipped:
        if current and lo <= current[1] + timedelta(days=1):
            current = (current[0], max(current[1], hi))
            continue
        if current:
            total += (current[1] - current[0]).days + 1
        current = (lo, hi)
    if current:
        total += (current[1] - current[0]).days + 1
    return total
