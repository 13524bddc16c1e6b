"""Staff careers: dates of birth, of joining the sector and education, by what the person is planned for.

Everyone on the staff in 2024 is younger than 60 (born 1965 or later), so no
one planned for an award retires before it; people joined the sector aged 21
to 30. A role planned for 2023 narrows these ranges so that the award's
service criterion holds with a margin of at least a year: a long-service
medal is never won or lost by a day.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

OLDEST_BIRTH_YEAR = 1965
YOUNGEST_BIRTH_YEAR = 2000


@dataclass(frozen=True)
class Career:
    """The dates and service facts of one person."""

    date_of_birth: date
    sector_joined_on: date
    education_joined_on: date | None = None
    teaching_years: float | None = None
    hazardous_service_years: float | None = None


def _day_in(rng: random.Random, year: int, first_month: int = 1, last_month: int = 12) -> date:
    start = date(year, first_month, 1)
    end = date(year + 1, 1, 1) if last_month == 12 else date(year, last_month + 1, 1)
    return start + timedelta(days=rng.randrange((end - start).days))


def _joining_day(rng: random.Random, year: int, family: str) -> date:
    # Schools take staff at the start of the school year; elsewhere any month.
    if family == "school":
        return date(year, rng.choice((8, 9)), rng.choice((1, 5, 15)))
    return _day_in(rng, year)


def career(rng: random.Random, family: str, female: bool, role: str | None, *,
           joined_by: int | None = None) -> Career:
    """A plausible career for a person of ``family`` planned for ``role`` (None: no 2023 award).

    ``joined_by``: latest year of joining the sector (a chain of awards needs the grades of earlier years).
    """
    limit = 2023 if joined_by is None else joined_by
    if role == "KNC_CT":
        # ≥ 20 years (men) / 15 (women) of sector service by 31/12/2023, plus a margin.
        limit = min(limit, 2002 if not female else 2007)
    elif role == "KNC_CT/hazardous":
        # Too short a service for the ordinary route, at least 10 years in hazardous jobs.
        first, last = (2005, 2010) if not female else (2010, 2011)
        joined_year = rng.randint(first, last)
        born = max(OLDEST_BIRTH_YEAR, joined_year - rng.randint(21, 27))
        joined = _joining_day(rng, max(joined_year, born + 21), family)
        hazardous = min(2023 - joined.year, rng.randint(10, 14))
        return Career(_birth(rng, born), joined, hazardous_service_years=float(hazardous))
    elif role in ("KNC_GD", "NGUT", "NGND"):
        limit = min(limit, {"KNC_GD": 2002 if not female else 2007, "NGUT": 2005, "NGND": 1997}[role])

    born = _birth_year(rng, limit)
    earliest_join = born + 21
    latest_join = min(limit, born + 30, 2023)
    if latest_join < earliest_join:
        # The person must have joined by ``limit``: make them older rather than join younger than 21.
        born = max(OLDEST_BIRTH_YEAR, limit - 24)
        earliest_join, latest_join = born + 21, limit
    joined = _joining_day(rng, rng.randint(earliest_join, latest_join), family)
    if joined.year > limit:  # a school start in a later year cannot happen, but keep the bound explicit
        joined = date(limit, 9, 1)
    education: date | None = None
    teaching: float | None = None
    if family == "school":
        # For the Ministry's universities and colleges the sector and education start together.
        education = joined
        if role in ("NGUT", "NGND"):
            teaching = float(2023 - joined.year - rng.randint(0, 2))
    return Career(_birth(rng, born), joined, education, teaching)


def _birth_year(rng: random.Random, joined_by: int) -> int:
    # Ages cluster in the 35–50 band, as in a ministry; the youngest must have joined by ``joined_by``.
    youngest = min(YOUNGEST_BIRTH_YEAR, joined_by - 21)
    years = list(range(OLDEST_BIRTH_YEAR, youngest + 1))
    weights = [1.0 + (0.8 if 1973 <= y <= 1990 else 0.0) for y in years]
    return rng.choices(years, weights=weights, k=1)[0]


def _birth(rng: random.Random, year: int) -> date:
    return _day_in(rng, year)
