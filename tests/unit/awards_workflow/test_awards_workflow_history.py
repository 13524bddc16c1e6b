"""Title and award history per person and per unit, as a pure query over the award events."""

from __future__ import annotations

from datetime import date

from tdkt_contracts.catalogue.awards import AwardGranted, AwardRevoked, Recipient, TitleConferred

from services.awards.workflow import AwardState, title_and_award_history, title_records

HUONG = Recipient(candidate_id="c-1", recipient_kind="individual", subject_id="p-huong",
                  display_name="Nguyễn Thị Hương", unit_id="u-vtccb")
PHONG = Recipient(candidate_id="c-2", recipient_kind="collective", subject_id="u-vtccb-th",
                  display_name="Phòng Tổng hợp", unit_id="u-vtccb-th")
KHOA = Recipient(candidate_id="c-3", recipient_kind="individual", subject_id="p-khoa",
                 display_name="Phạm Đăng Khoa", unit_id="u-vkh")


def _award(award_id: str, recipient: Recipient, code: str, year: int, decided: date, *, title: bool = False,
           category: str = "merit", by_ministry: bool = True) -> AwardGranted | TitleConferred:
    model = TitleConferred if title else AwardGranted
    return model(
        award_id=award_id,
        year=year,
        award_code=code,
        award_name={"CSTDCS": "Chiến sĩ thi đua cơ sở", "BK_BT": "Bằng khen của Bộ trưởng Bộ Công Thương",
                    "HCLD_3": "Huân chương Lao động hạng Ba"}[code],
        category=category,
        recipient=recipient,
        nomination_id="n-x",
        proposal_id=None if by_ministry else "pr-x",
        authority="minister" if by_ministry else "president",
        conferred_by_ministry=by_ministry,
        decision_number=f"{award_id}/QĐ",
        decision_date=decided,
    )


EVENTS = [
    _award("a-3", HUONG, "BK_BT", 2023, date(2023, 12, 28)),
    _award("a-1", HUONG, "CSTDCS", 2021, date(2021, 12, 20), title=True),
    _award("a-5", PHONG, "BK_BT", 2022, date(2022, 12, 27), category="thematic"),
    _award("a-2", HUONG, "CSTDCS", 2022, date(2022, 12, 21), title=True),
    _award("a-6", KHOA, "BK_BT", 2023, date(2023, 12, 28)),
    AwardRevoked(award_id="a-3", reason="Kê khai không trung thực.", decision_number="15/QĐ-BCT",
                 revoked_on=date(2024, 3, 5)),
    _award("a-4", HUONG, "HCLD_3", 2024, date(2025, 2, 20), by_ministry=False),
]


def test_a_persons_history_is_sorted_by_year_with_revocations() -> None:
    history = title_and_award_history(EVENTS, subject_id="p-huong")
    assert [(e.year, e.award_code, e.award_kind) for e in history] == [
        (2021, "CSTDCS", "title"),
        (2022, "CSTDCS", "title"),
        (2023, "BK_BT", "award"),
        (2024, "HCLD_3", "award"),
    ]
    revoked = history[2]
    assert revoked.revoked and revoked.revoked_on == date(2024, 3, 5)
    assert revoked.revocation_reason == "Kê khai không trung thực." and revoked.revocation_decision_number == "15/QĐ-BCT"
    assert not any(e.revoked for e in history if e.award_id != "a-3")
    assert history[3].authority == "president" and not history[3].conferred_by_ministry


def test_a_units_history_covers_the_unit_and_its_people() -> None:
    subtree = {"u-vtccb", "u-vtccb-th"}
    assert [e.award_id for e in title_and_award_history(EVENTS, unit_ids=subtree)] == ["a-1", "a-2", "a-5", "a-3", "a-4"]
    assert [e.award_id for e in title_and_award_history(EVENTS, subject_id="u-vtccb-th")] == ["a-5"]
    assert [e.award_id for e in title_and_award_history(EVENTS, unit_ids={"u-vkh"})] == ["a-6"]


def test_the_engine_sees_what_still_stands_with_its_category() -> None:
    records = title_records(title_and_award_history(EVENTS))
    assert "a-3/QĐ" not in {r.decision_number for r in records}  # the revoked one
    assert {(r.code, r.category.value) for r in records if r.code == "BK_BT"} == {("BK_BT", "thematic"), ("BK_BT", "merit")}
    assert len(records) == 5


def test_an_award_stream_folds_to_its_state() -> None:
    state = AwardState.replay([EVENTS[0], EVENTS[5]], "a-3")
    assert state.exists and state.revoked and state.recipient == HUONG and state.award_kind == "award"
    assert AwardState.replay(EVENTS, "a-1").award_kind == "title"
    assert not AwardState.replay(EVENTS, "a-1").revoked
