"""Rounds and the law's dates upward, pure: late dossiers refused or flagged, the law's dates only flag."""

from __future__ import annotations

from datetime import date

import pytest
from tdkt_contracts.catalogue.awards import NominationFlaggedLate

from kernel.errors import DomainError
from services.awards.workflow.deadlines import (
    Round,
    decide_schedule_round,
    decide_submission_deadline,
    load_law_deadlines,
    upward_deadlines,
)

TODAY = date(2024, 11, 1)


def _round(rule: str = "refuse") -> Round:
    [event] = decide_schedule_round(None, 2024, "merit", "Tổng kết 2024", date(2024, 12, 10), rule, None,  # type: ignore[arg-type]
                                    today=TODAY)
    found = Round.replay([event])
    assert found is not None
    return found


def test_a_late_dossier_is_refused_in_dd_mm_yyyy_or_flagged() -> None:
    assert decide_submission_deadline(_round(), "n-1", date(2024, 12, 10)) == []
    assert decide_submission_deadline(None, "n-1", date(2025, 3, 1)) == []
    with pytest.raises(DomainError) as refused:
        decide_submission_deadline(_round(), "n-1", date(2024, 12, 13))
    assert refused.value.code == "submission_deadline_passed" and "10/12/2024" in refused.value.message
    [flag] = decide_submission_deadline(_round("flag"), "n-1", date(2024, 12, 13))
    assert isinstance(flag, NominationFlaggedLate) and flag.days_late == 3 and flag.round_id == "round-2024-merit"


def test_the_same_dates_record_nothing_and_impossible_ones_are_refused() -> None:
    current = _round()
    assert decide_schedule_round(current, 2024, "merit", "Tổng kết 2024", date(2024, 12, 10), "refuse", None,
                                 today=TODAY) == []
    assert len(decide_schedule_round(current, 2024, "merit", "Tổng kết 2024", date(2024, 12, 20), "refuse", None,
                                     today=TODAY)) == 1
    with pytest.raises(DomainError, match="31/12/2023"):
        decide_schedule_round(None, 2024, "merit", "T", date(2023, 12, 31), "refuse", None, today=TODAY)
    with pytest.raises(DomainError) as meeting:
        decide_schedule_round(None, 2024, "merit", "T", date(2024, 12, 10), "flag", date(2024, 12, 9), today=TODAY)
    assert meeting.value.code == "meeting_before_deadline"


def test_the_law_dates_upward_carry_their_article_and_confidence_and_only_flag() -> None:
    rules = load_law_deadlines()
    # CSTĐ toàn quốc for 2023: by 31/12/2024 under NĐ 98/2023 Art. 32 (confirmed).
    [cstd] = upward_deadlines(rules, "CSTD_TQ", 2023, [], today=date(2024, 6, 1))
    assert (cstd.due_on, cstd.confidence, cstd.status) == (date(2024, 12, 31), "C", "pending")
    assert "Điều 32" in cstd.citation
    assert upward_deadlines(rules, "CSTD_TQ", 2023, [date(2025, 1, 5)], today=date(2025, 2, 1))[0].status == "late"
    assert upward_deadlines(rules, "CSTD_TQ", 2023, [date(2024, 12, 1)], today=date(2025, 2, 1))[0].status == "met"
    assert upward_deadlines(rules, "CSTD_TQ", 2023, [], today=date(2025, 1, 1))[0].status == "overdue"
    # The Government's flag for 2024: by 30/06/2025 still under NĐ 98; for 2025, NĐ 152's date is unconfirmed.
    [flag_2024] = upward_deadlines(rules, "CO_TD_CP", 2024, [], today=TODAY)
    assert (flag_2024.due_on, flag_2024.confidence) == (date(2025, 6, 30), "C")
    [flag_2025] = upward_deadlines(rules, "CO_TD_CP", 2025, [], today=TODAY)
    assert flag_2025.confidence == "U" and "chưa xác nhận" in flag_2025.citation
    assert upward_deadlines(rules, "BK_BT", 2024, [], today=TODAY) == []
