"""Calendar arithmetic the criteria share: year windows, service length, overlaps.

Service is counted by calendar: from a start date to the end of a day,
inclusive, in whole years plus the fraction of the last started year, so
1 Jan 2004 through 31 Dec 2023 is exactly 20 years. Long service is counted
in one unit, days: the date a requirement is reached is the start plus the
required calendar years plus every day not counted (discipline), and a
shortfall is the calendar distance to that date in years, months and days.
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


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar ``months``; the 31st becomes the month's last day where needed."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(f"cannot move {day} by {months} months")  # unreachable: day 28 exists in every month


def calendar_span(start: date, end: date) -> tuple[int, int, int]:
    """(years, months, days) from ``start`` to ``end`` (end exclusive); (0, 0, 0) when end <= start."""
    if end <= start:
        return 0, 0, 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    days = (end - add_months(start, months)).days
    return months // 12, months % 12, days


def span_vi(span: tuple[int, int, int]) -> str:
    """'19 năm 11 tháng 2 ngày'."""
    return f"{span[0]} năm {span[1]} tháng {span[2]} ngày"


def span_en(span: tuple[int, int, int]) -> str:
    """'19 years 11 months 2 days'."""
    return f"{span[0]} years {span[1]} months {span[2]} days"


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


def merged_periods(periods: Iterable[tuple[date, date | None]], start: date, last_day: date) -> list[tuple[date, date]]:
    """The union of ``periods`` clipped to [start, last_day], as disjoint inclusive intervals, oldest first.

    Open ends run to last_day; overlapping or touching periods are merged so that a day counts once.
    """
    clipped: list[tuple[date, date]] = []
    for p_start, p_end in periods:
        lo = max(p_start, start)
        hi = min(p_end or last_day, last_day)
        if lo <= hi:
            clipped.append((lo, hi))
    clipped.sort()
    merged: list[tuple[date, date]] = []
    for lo, hi in clipped:
        if merged and lo <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def covered_days(periods: Iterable[tuple[date, date | None]], start: date, last_day: date) -> int:
    """Days of [start, last_day] covered by the union of ``periods`` (open ends run to last_day)."""
    return sum((hi - lo).days + 1 for lo, hi in merged_periods(periods, start, last_day))
