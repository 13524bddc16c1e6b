"""Lao động tiên tiến admissibility (issue #19.10): recruitment months and maternity leave.

Before 2024: no LĐTT for someone recruited less than 10 months before the year end (TT 12/2019/TT-BNV,
as the legal review reads it); from 2024: 6 months (TT 01/2024/TT-BNV, same reading). Maternity leave
counts as working time (NĐ 98/2023 Art. 4, NĐ 152/2025 Art. 4.5). The months are [U] (the circulars were
not read): short of them, the outcome is undetermined, never ineligible. Every row failed before the
change: the engine had no recruitment rule (a recruit of one month was eligible).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from awards_testkit import check, grades, person
from tdkt_contracts.vocabulary import Grade, Sex

from services.awards.domain import Outcome, PersonFacts
from services.awards.domain.engine import UNCONFIRMED_NOT_MET
from services.awards.domain.facts import AbsenceRecord
from services.awards.domain.vocabulary import AbsenceKind

YES, UNSURE = Outcome.ELIGIBLE, Outcome.UNDETERMINED


def _recruit(year: int, joined: date, absences: list[AbsenceRecord] | None = None, **kw: object) -> PersonFacts:
    return person(sector_joined_on=joined, grades=grades([year], Grade.GOOD), absences=absences, **kw)


def _leave(kind: AbsenceKind, start: date, end: date) -> list[AbsenceRecord]:
    return [AbsenceRecord(kind=kind, start=start, end=end)]


@dataclass(frozen=True)
class Case:
    article: str
    code: str
    year: int
    facts: PersonFacts
    outcome: Outcome
    unknown: tuple[str, ...] = ()


CASES = [
    Case("TT12-2019-ten-months-exactly", "LDTT", 2023, _recruit(2023, date(2023, 3, 1)), YES),
    Case("TT12-2019-one-day-short", "LDTT", 2023, _recruit(2023, date(2023, 3, 2)), UNSURE, ("working_time",)),
    Case("TT01-2024-six-months-exactly", "LDTT", 2024, _recruit(2024, date(2024, 7, 1)), YES),
    Case("TT01-2024-eight-months-was-refused-before-2024-only", "LDTT", 2024, _recruit(2024, date(2024, 5, 1)), YES),
    Case("TT01-2024-five-months", "LDTT", 2026, _recruit(2026, date(2026, 8, 1)), UNSURE, ("working_time",)),
    Case("ND152-Art4.5-maternity-counts", "LDTT", 2026,
         _recruit(2026, date(2026, 5, 1), _leave(AbsenceKind.MATERNITY, date(2026, 6, 1), date(2026, 9, 30)),
                  sex=Sex.FEMALE), YES),
    Case("ND152-Art4.5-other-leave-does-not", "LDTT", 2026,
         _recruit(2026, date(2026, 5, 1), _leave(AbsenceKind.OTHER, date(2026, 6, 1), date(2026, 9, 30))),
         UNSURE, ("working_time",)),
    Case("recruited-on-decides-over-the-sector-start", "LDTT", 2024,
         _recruit(2024, date(2001, 1, 1), recruited_on=date(2024, 10, 1)), UNSURE, ("working_time",)),
    Case("Law2022-Art23-cstdcs-meets-ldtt", "CSTDCS", 2024,
         person(sector_joined_on=date(2024, 9, 1), grades=grades([2024], Grade.EXCELLENT)), UNSURE,
         ("ldtt.working_time",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.article for c in CASES])
def test_ldtt_needs_the_months_since_recruitment(case: Case) -> None:
    result = check(case.code, case.year, case.facts)
    assert result.outcome is case.outcome, result.explanation_en
    assert result.failing() == []  # [U]: never refuses alone
    assert set(result.unknown()) == set(case.unknown), result.explanation_en
    if case.unknown:
        assert UNCONFIRMED_NOT_MET in result.flags


def test_the_shortfall_is_printed_exactly_and_says_what_was_deducted() -> None:
    facts = _recruit(2026, date(2026, 5, 1), _leave(AbsenceKind.OTHER, date(2026, 6, 1), date(2026, 9, 30)))
    line = check("LDTT", 2026, facts).result("working_time")
    assert "còn thiếu 0 năm 2 tháng 0 ngày (đủ vào ngày 28/02/2027)" in line.explanation_vi
    assert line.facts_used["leave_not_counted_days"] == 122 and line.facts_used["recruited_on"] == "2026-05-01"


def test_no_leave_recorded_is_said_not_assumed_silently() -> None:
    line = check("LDTT", 2024, _recruit(2024, date(2024, 7, 1))).result("working_time")
    assert "Hồ sơ chưa ghi thời gian nghỉ việc: chưa trừ." in line.explanation_vi
    assert line.facts_used["leave_recorded"] is False


def test_without_any_start_date_the_months_are_unknown() -> None:
    facts = person(sector_joined_on=None, grades=grades([2024], Grade.GOOD))
    result = check("LDTT", 2024, facts)
    assert result.outcome is UNSURE and result.unknown() == ["working_time"]


def test_an_absence_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValueError, match="ends on or after its start"):
        AbsenceRecord(kind=AbsenceKind.MATERNITY, start=date(2024, 5, 2), end=date(2024, 5, 1))
