"""The notifications domain: which event tells whom what, each person once, in Vietnamese."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import date

from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    CandidateAssessed,
    CandidateRejected,
    CandidateReturned,
    NominationRoundScheduled,
    PublicNoticeOpened,
    Recipient as AwardRecipient,
)
from tdkt_contracts.catalogue.campaigns import MovementLaunched

from services.notifications.domain import (
    Facts,
    Kind,
    NominationFact,
    Recipient,
    UnitFact,
    deadline_notices,
    deadlines_for,
    notices_for,
    notification_id,
)

VU, PHONG, OTHER = "u-vtccb", "u-vtccb-th", "u-cxnk"
OFFICER_VU = Recipient("acc-vu", "vu@tdkt.local", "unit_officer", "Đỗ Văn Hùng", VU)
OFFICER_PHONG = Recipient("acc-phong", "phong@tdkt.local", "unit_officer", "Hoàng Thị Mai", PHONG)
OFFICER_OTHER = Recipient("acc-other", "other@tdkt.local", "unit_officer", "Lê Văn Nam", OTHER)
OFFICE = Recipient("acc-office", "office@tdkt.local", "emulation_office", "Trần Thị Thu Hà")
MEMBER = Recipient("acc-member", "member@tdkt.local", "council_member", "Lê Minh Tuấn")
RETIRED = Recipient("acc-retired", "old@tdkt.local", "council_member", "Ngô Quang Huy", active=False)
UNITS = {
    VU: UnitFact(VU, "Vụ Tổ chức cán bộ", "u-bct"),
    PHONG: UnitFact(PHONG, "Phòng Tổng hợp", VU),
    OTHER: UnitFact(OTHER, "Cục Xuất nhập khẩu", "u-bct"),
    "u-bct": UnitFact("u-bct", "Bộ Công Thương"),
}
NOMINATION = NominationFact("n-1", PHONG, "Chiến sĩ thi đua Bộ Công Thương", 2023,
                            {"c-1": "Nguyễn Thị Hương", "c-2": "Đỗ Văn Minh"})
FACTS = Facts((OFFICER_VU, OFFICER_PHONG, OFFICER_OTHER, OFFICE, MEMBER, RETIRED), UNITS, NOMINATION)


def _award(unit_id: str, *, nomination_id: str | None = "n-1", award_id: str = "a-1") -> AwardGranted:
    return AwardGranted(
        award_id=award_id, year=2023, award_code="BK_BT", award_name="Bằng khen của Bộ trưởng Bộ Công Thương",
        category="merit",
        recipient=AwardRecipient(candidate_id="c-1", recipient_kind="individual", subject_id="p-1",
                                 display_name="Nguyễn Thị Hương", unit_id=unit_id),
        nomination_id=nomination_id, authority="minister", conferred_by_ministry=True,
        decision_number="3456/QĐ-BCT", decision_date=date(2023, 12, 28),
    )


def test_a_grant_tells_the_nominating_units_officers_and_the_recipients_once_each() -> None:
    notices = notices_for(AwardGranted.event_type, "e-1", _award(OTHER), FACTS)
    kinds = {(n.account, n.kind) for n in notices}
    # The Phòng nominated; the Vụ above it is its officers' scope too; the recipient now works in the Cục.
    assert kinds == {("acc-phong", Kind.NOMINATION_GRANTED), ("acc-vu", Kind.NOMINATION_GRANTED),
                     ("acc-other", Kind.AWARD_GRANTED)}
    granted = next(n for n in notices if n.account == "acc-other")
    assert granted.subject == "Khen thưởng: Nguyễn Thị Hương được tặng Bằng khen của Bộ trưởng Bộ Công Thương"
    assert "Quyết định số 3456/QĐ-BCT ngày 28/12/2023" in granted.text and "Cục Xuất nhập khẩu" in granted.text
    assert granted.link == "/people/p-1"


def test_an_award_entered_from_the_files_tells_nobody() -> None:
    assert notices_for(AwardGranted.event_type, "e-1", _award(VU, nomination_id=None), FACTS) == []


def test_a_return_tells_the_nominating_units_officers_with_the_reasons() -> None:
    event = CandidateReturned(nomination_id="n-1", candidate_id="c-2", returned_on=date(2023, 12, 9),
                              reasons=["Báo cáo thành tích thiếu chữ ký.", "Thiếu sáng kiến."], by_office=True)
    notices = notices_for(CandidateReturned.event_type, "e-2", event, FACTS)
    assert {n.account for n in notices} == {"acc-phong", "acc-vu"}
    assert {n.kind for n in notices} == {Kind.NOMINATION_RETURNED}
    assert notices[0].subject == "Trả lại hồ sơ: Đỗ Văn Minh — Chiến sĩ thi đua Bộ Công Thương"
    assert "ngày 09/12/2023" in notices[0].text and "Thiếu sáng kiến." in notices[0].text
    assert notices[0].link == "/nominations/n-1"
    # A second return (a later round) is another notice; the same event computed again is the same one.
    again = notices_for(CandidateReturned.event_type, "e-2", event, FACTS)
    later = notices_for(CandidateReturned.event_type, "e-9", event, FACTS)
    assert [n.notification_id for n in again] == [n.notification_id for n in notices]
    assert not {n.notification_id for n in later} & {n.notification_id for n in notices}


def test_a_return_by_the_assessment_mails_no_criterion_the_officer_may_not_read() -> None:
    """The engine's reasons may cite discipline: the mail sends the officer to the portal, which cuts them per role."""
    event = CandidateReturned(nomination_id="n-1", candidate_id="c-2", returned_on=date(2023, 12, 9),
                              reasons=["Đang trong thời gian thi hành kỷ luật khiển trách."])
    notices = notices_for(CandidateReturned.event_type, "e-2", event, FACTS)
    assert notices and all("kỷ luật khiển trách" not in n.text and "cổng thông tin" in n.text for n in notices)


def test_a_rejection_names_the_reason_and_nobody_outside_the_unit_hears_of_it() -> None:
    event = CandidateRejected(nomination_id="n-1", candidate_id="c-1", reason="Không đạt tỷ lệ phiếu.",
                              decided_on=date(2023, 12, 25), authority="minister")
    notices = notices_for(CandidateRejected.event_type, "e-3", event, FACTS)
    assert {n.account for n in notices} == {"acc-phong", "acc-vu"}
    assert all(n.kind is Kind.NOMINATION_REJECTED and "Không đạt tỷ lệ phiếu." in n.text for n in notices)


def test_eligible_candidates_make_one_vote_waiting_notice_per_member_and_nomination() -> None:
    def assessed(candidate_id: str, eligible: bool) -> CandidateAssessed:
        return CandidateAssessed(nomination_id="n-1", candidate_id=candidate_id, subject_id="p", eligible=eligible,
                                 rule_set="CSTD_BO/individual/LAW2022", criteria=[], unconfirmed_rules=False,
                                 assessed_on=date(2023, 12, 8))

    first = notices_for(CandidateAssessed.event_type, "e-4", assessed("c-1", True), FACTS)
    second = notices_for(CandidateAssessed.event_type, "e-5", assessed("c-2", True), FACTS)
    assert [(n.account, n.kind) for n in first] == [("acc-member", Kind.VOTE_WAITING)]  # not the inactive one
    assert [n.notification_id for n in second] == [n.notification_id for n in first]
    assert notices_for(CandidateAssessed.event_type, "e-6", assessed("c-2", False), FACTS) == []


def test_an_event_of_a_nomination_never_seen_tells_nobody_and_an_unknown_type_is_ignored() -> None:
    event = CandidateRejected(nomination_id="n-x", candidate_id="c-1", reason="Không đạt.",
                              decided_on=date(2023, 12, 25), authority="minister")
    assert notices_for(CandidateRejected.event_type, "e", event, Facts(FACTS.recipients, UNITS)) == []
    assert notices_for("vn.tdkt.awards.dossier.something-new", "e", event, FACTS) == []


def test_a_movement_deadline_is_announced_three_days_ahead_to_its_units_officers() -> None:
    launched = MovementLaunched(
        movement_id="m-1", title="Thi đua thực hiện văn hóa công sở", launched_by="bo", kind="chuyen_de",
        scope={"all_units": False, "unit_ids": [VU]}, period_start=date(2024, 1, 1), criteria="Nội dung.",
        launched_on=date(2024, 1, 15), registration_deadline=date(2024, 3, 31),
    )
    [deadline] = deadlines_for(MovementLaunched.event_type, launched, FACTS)
    assert deadline.due_on == date(2024, 3, 31)
    assert deadline_notices(deadline, FACTS, date(2024, 3, 27)) is None  # four days ahead: not yet
    notices = deadline_notices(deadline, FACTS, date(2024, 3, 28))
    assert notices is not None and [n.account for n in notices] == ["acc-vu"]
    assert notices[0].subject == "Sắp đến hạn (31/03/2024): Hạn đăng ký thi đua phong trào “Thi đua thực hiện văn hóa công sở”"
    assert "còn 3 ngày" in notices[0].text
    assert deadline_notices(deadline, FACTS, date(2024, 4, 1)) == []  # passed: nothing to remind of


def test_a_notice_period_end_reminds_the_office_and_the_nominating_unit() -> None:
    opened = PublicNoticeOpened(nomination_id="n-1", candidate_ids=["c-1"], opened_on=date(2023, 11, 4),
                                closes_on=date(2023, 11, 18), channel="Cổng thông tin điện tử Bộ Công Thương")
    [deadline] = deadlines_for(PublicNoticeOpened.event_type, opened, FACTS)
    notices = deadline_notices(deadline, FACTS, date(2023, 11, 18))
    assert notices is not None
    assert {n.account for n in notices} == {"acc-office", "acc-phong", "acc-vu"}
    assert "còn 0 ngày" in notices[0].text


def test_texts_are_composed_and_ids_are_stable() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    award = _award(OTHER)
    award = award.model_copy(update={"recipient": award.recipient.model_copy(update={"display_name": decomposed})})
    for notice in notices_for(AwardGranted.event_type, "e", award, FACTS):
        assert unicodedata.is_normalized("NFC", notice.subject) and unicodedata.is_normalized("NFC", notice.text)
    assert notification_id("a", "award_granted", "k") == notification_id("a", "award_granted", "k")
    assert notification_id("a", "award_granted", "k") != notification_id("b", "award_granted", "k")
    assert isinstance(notification_id("a", "b", "c"), uuid.UUID)


def test_a_long_subject_is_cut_to_one_header_line() -> None:
    from services.notifications.domain.templates import SUBJECT_MAX, render

    subject, text = render(Kind.DEADLINE_SOON, what="Hạn đăng ký " + "thi đua yêu nước " * 40, due="31/03/2024",
                           days=3)
    assert len(subject) == SUBJECT_MAX and subject.endswith("…")
    assert text.endswith("hạn cuối là ngày 31/03/2024 (còn 3 ngày).")  # the text keeps everything


def test_a_rounds_deadline_reminds_every_unit_officer_and_its_council_meeting_the_members() -> None:
    scheduled = NominationRoundScheduled(
        round_id="round-2023-merit", year=2023, category="merit", title="Xét khen thưởng tổng kết năm 2023",
        submission_deadline=date(2023, 12, 15), late_rule="refuse", council_meeting_on=date(2024, 1, 10),
        scheduled_on=date(2023, 11, 1),
    )
    submission, meeting = deadlines_for(NominationRoundScheduled.event_type, scheduled, FACTS)
    assert deadline_notices(submission, FACTS, date(2023, 12, 11)) is None
    notices = deadline_notices(submission, FACTS, date(2023, 12, 12))
    assert notices is not None
    assert {n.account for n in notices} == {"acc-office", "acc-vu", "acc-phong", "acc-other"}
    assert notices[0].subject == "Sắp đến hạn (15/12/2023): Hạn nộp hồ sơ đợt “Xét khen thưởng tổng kết năm 2023”"
    reminded = deadline_notices(meeting, FACTS, date(2024, 1, 8))
    assert reminded is not None and {n.account for n in reminded} == {"acc-office", "acc-member"}
