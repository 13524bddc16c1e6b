"""Working days (ngày làm việc) for the public-notice period.

A working day is Monday to Friday and not a public holiday. Holidays are data
the handler passes in (Tết and the other days off of Bộ luật Lao động 2019,
Art. 112, and the Government's yearly swaps); none are built in because the
Tết dates and the swaps change every year. Make-up Saturdays (ngày làm bù)
are not counted: leaving them out can only make a notice look shorter, never
longer, so the check errs on the side of the law.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)


def is_working_day(day: date, holidays: Collection[date] = ()) -> bool:
    """True on Monday–Friday when ``day`` is not in ``holidays``."""
    return day.weekday() < 5 and day not in holidays


def working_days(first: date, last: date, holidays: Collection[date] = ()) -> int:
    """Number of working days from ``first`` through ``last``, both included (0 if last < first)."""
    count, day = 0, first
    while day <= last:
        count += is_working_day(day, holidays)
        day += _ONE_DAY
    return count


def nth_working_day(first: date, n: int, holidays: Collection[date] = ()) -> date:
    """The day on which ``n`` working days counted from ``first`` (included) are complete.

    ``nth_working_day(Mon 4 Nov 2024, 10)`` is Fri 15 Nov 2024.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    day, count = first, 0
    while True:
        if is_working_day(day, holidays):
            count += 1
            if count == n:
                return day
        day += _ONE_DAY
