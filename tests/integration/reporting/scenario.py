"""A small year (2024, with a little of 2023) as the units, campaigns and awards contexts would publish it,
and what the reporting read models must make of it."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from tdkt_contracts import Envelope, EventPayload, parse
from tdkt_contracts.catalogue import campaigns as c
from tdkt_contracts.catalogue import units as u
from tdkt_contracts.catalogue.awards import HigherDecisionRecorded

from tests.unit.reporting.builders import conferred, envelope, revoked

BASE_TIME = datetime(2025, 1, 20, 1, 0, tzinfo=UTC)


def _p(model: type[EventPayload], **data: Any) -> EventPayload:
    return parse(model.event_type, model.event_version, data)


def unit_events() -> list[EventPayload]:
    d = date
    est = u.UnitEstablished
    return [
        _p(est, unit_id="u-bct", code="BCT", name="Bộ Công Thương", kind="bo", parent_id=None,
           effective_on=d(2000, 1, 1)),
        _p(est, unit_id="u-vtccb", code="VTCCB", name="Vụ Tổ chức cán bộ", kind="vu", parent_id="u-bct",
           effective_on=d(2000, 1, 1)),
        _p(est, unit_id="u-vtdkt", code="VTDKT", name="Vụ Thi đua – Khen thưởng", kind="vu", parent_id="u-bct",
           effective_on=d(2005, 1, 1)),
        _p(u.UnitRenamed, unit_id="u-vtdkt", name="Vụ Thi đua – Khen thưởng và Truyền thông",
           previous_name="Vụ Thi đua – Khen thưởng", effective_on=d(2024, 3, 1), decision_number="412/QĐ-BCT"),
        _p(est, unit_id="u-phong", code="PKT", name="Phòng Khen thưởng", kind="phong", parent_id="u-vtdkt",
           effective_on=d(2010, 1, 1)),
        _p(est, unit_id="u-dhcn", code="DHCN", name="Trường Đại học Công nghiệp Hà Nội", kind="truong",
           parent_id="u-bct", effective_on=d(2000, 1, 1)),
        _p(est, unit_id="u-khoa", code="KDIEN", name="Khoa Điện", kind="phong", parent_id="u-dhcn",
           effective_on=d(2000, 1, 1)),
        _p(est, unit_id="u-bql", code="BQL", name="Ban Quản lý dự án", kind="khac", parent_id="u-vtccb",
           effective_on=d(2010, 1, 1)),
        _p(u.UnitMerged, unit_id="u-bql", into_unit_id="u-vtccb", effective_on=d(2024, 7, 1)),
        _p(est, unit_id="u-ttth", code="TTTH", name="Trung tâm Tin học", kind="trung_tam", parent_id="u-bct",
           effective_on=d(2015, 1, 1)),
        _p(u.UnitMoved, unit_id="u-ttth", parent_id="u-vtdkt", previous_parent_id="u-bct", effective_on=d(2024, 5, 1)),
    ]


def _enrol(person_id: str, name: str, unit_id: str, on: date, sex: str = "female") -> EventPayload:
    return _p(u.PersonEnrolled, person_id=person_id, full_name=name, sex=sex, date_of_birth=date(1980, 1, 1),
              sector_joined_on=on, unit_id=unit_id, position="Chuyên viên", staff_category="cong_chuc",
              union_member=True, effective_on=on)


def person_events() -> list[EventPayload]:
    d = date
    return [
        _enrol("p-001", "Nguyễn Thị Hương", "u-vtccb", d(2019, 1, 1)),
        _enrol("p-002", "Trần Văn Phúc", "u-dhcn", d(2015, 1, 1), "male"),
        _enrol("p-003", "Lê Thị Thu Hà", "u-vtdkt", d(2020, 1, 1)),
        _p(u.PersonTransferred, person_id="p-003", from_unit_id="u-vtdkt", to_unit_id="u-phong",
           position="Trưởng phòng", effective_on=d(2024, 6, 1)),
        _enrol("p-004", "Phạm Đức Anh", "u-bql", d(2018, 1, 1), "male"),
        _enrol("p-005", "Hoàng Minh Tuấn", "u-khoa", d(2016, 1, 1), "male"),
        _p(u.PersonLeft, person_id="p-005", unit_id="u-khoa", reason="nghi_huu", effective_on=d(2024, 10, 1)),
        _enrol("p-006", "Vũ Thị Ngọc Ánh", "u-vtccb", d(2010, 1, 1)),
        _p(u.PersonLeft, person_id="p-006", unit_id="u-vtccb", reason="thoi_viec", effective_on=d(2023, 5, 1)),
        _p(u.PersonEvaluationRecorded, person_id="p-007", year=2024, grade="HTT", unit_id="u-ttth"),
        _p(u.PersonEvaluationRecorded, person_id="p-001", year=2024, grade="HTXS", unit_id="u-vtccb"),
        _p(u.PersonEvaluationCorrected, person_id="p-001", year=2024, grade="HTT", previous_grade="HTXS",
           unit_id="u-vtccb", reason="Điều chỉnh theo kết luận kiểm tra"),
        _enrol("p-008", "Bùi Thị Thanh Thủy", "u-ttth", d(2025, 2, 1)),
    ]


HEADCOUNT_2024 = {"u-vtccb": 2, "u-dhcn": 1, "u-phong": 1, "u-khoa": 1, "u-ttth": 1}
TOTALS_2024 = {"u-bct": 6, "u-vtccb": 2, "u-vtdkt": 2, "u-phong": 1, "u-dhcn": 2, "u-khoa": 1, "u-ttth": 1}
HEADCOUNT_2023 = {"u-vtccb": 2, "u-bql": 1, "u-dhcn": 1, "u-vtdkt": 1, "u-khoa": 1}

BKBT = "Bằng khen của Bộ trưởng Bộ Công Thương"


def award_events() -> list[EventPayload]:
    y = 2024
    return [
        _hcld3(),
        _bkttg(),
        _proposal("pr-24-kncgd", "KNC_GD", 'Kỷ niệm chương "Vì sự nghiệp giáo dục"', "other_ministry",
                  "Bộ Giáo dục và Đào tạo", [("individual", "p-002", "Trần Văn Phúc", "u-dhcn")], "2024-09-01"),
        _p(HigherDecisionRecorded, proposal_id="pr-24-bkttg", decided_by="prime_minister",
           decision_number="1520/QĐ-TTg", decision_date=date(2024, 11, 10),
           outcomes=[{"candidate_id": "c-1", "outcome": "conferred", "award_id": "a-24-bkttg-1"},
                     {"candidate_id": "c-2", "outcome": "declined", "award_id": None}],
           recorded_on=date(2024, 11, 15)),
        conferred("a-24-bkttg-1", y, "BK_TTG", "Bằng khen của Thủ tướng Chính phủ", subject_id="p-003",
                  unit_id="u-phong", authority="prime_minister", by_ministry=False, proposal_id="pr-24-bkttg",
                  display_name="Lê Thị Thu Hà"),
        conferred("a-24-bkbt-t1", y, "BK_BT", BKBT, recipient_kind="collective", subject_id="u-phong",
                  unit_id="u-phong", display_name="Phòng Khen thưởng"),
        conferred("a-24-bkbt-t2", y, "BK_BT", BKBT, recipient_kind="collective", subject_id="u-khoa",
                  unit_id="u-khoa", display_name="Khoa Điện"),
        conferred("a-24-bkbt-1", y, "BK_BT", BKBT, subject_id="p-001", unit_id="u-vtccb",
                  display_name="Nguyễn Thị Hương"),
        conferred("a-24-bkbt-2", y, "BK_BT", BKBT, subject_id="p-004", unit_id="u-bql", display_name="Phạm Đức Anh"),
        conferred("a-24-cstd-1", y, "CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", title=True, subject_id="p-003",
                  unit_id="u-phong", display_name="Lê Thị Thu Hà"),
        conferred("a-24-cstd-2", y, "CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", title=True, subject_id="p-005",
                  unit_id="u-khoa", display_name="Hoàng Minh Tuấn"),
        revoked("a-24-cstd-2", date(2025, 1, 5)),
        conferred("a-24-knc-1", y, "KNC_CT", 'Kỷ niệm chương "Vì sự nghiệp phát triển ngành Công Thương Việt Nam"',
                  subject_id="p-002", unit_id="u-dhcn", display_name="Trần Văn Phúc"),
        conferred("a-24-ldtt-1", y, "LDTT", "Lao động tiên tiến", title=True, subject_id="p-001", unit_id="u-vtccb",
                  authority="unit_head", display_name="Nguyễn Thị Hương"),
        conferred("a-23-bkbt-1", 2023, "BK_BT", BKBT, subject_id="p-006", unit_id="u-vtccb",
                  display_name="Vũ Thị Ngọc Ánh"),
    ]


def _proposal(
    proposal_id: str, code: str, name: str, authority: str, to_body: str,
    recipients: list[tuple[str, str, str, str]], forwarded_on: str,
) -> EventPayload:
    from tdkt_contracts.catalogue.awards import ProposalForwarded

    return ProposalForwarded.model_validate({
        "proposal_id": proposal_id, "nomination_id": f"n-{proposal_id}", "year": 2024, "award_code": code,
        "award_name": name, "award_kind": "award", "category": "merit", "to_authority": authority,
        "to_body": to_body,
        "recipients": [
            {"candidate_id": f"c-{i}", "recipient_kind": kind, "subject_id": subject, "display_name": display,
             "unit_id": unit}
            for i, (kind, subject, display, unit) in enumerate(recipients, start=1)
        ],
        "submission_number": f"{600 + len(proposal_id)}/TTr-BCT", "forwarded_on": forwarded_on,
    })


def _hcld3() -> EventPayload:
    return _proposal(
        "pr-24-hcld3", "HCLD_3", "Huân chương Lao động hạng Ba", "president", "Ban Thi đua – Khen thưởng Trung ương",
        [("collective", "u-vtdkt", "Vụ Thi đua – Khen thưởng và Truyền thông", "u-vtdkt"),
         ("individual", "p-001", "Nguyễn Thị Hương", "u-vtccb")],
        "2024-06-15",
    )


def _bkttg() -> EventPayload:
    return _proposal(
        "pr-24-bkttg", "BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "prime_minister",
        "Ban Thi đua – Khen thưởng Trung ương",
        [("individual", "p-003", "Lê Thị Thu Hà", "u-phong"), ("individual", "p-002", "Trần Văn Phúc", "u-dhcn")],
        "2024-08-01",
    )


SUMMARY_2024 = (
    "Năm 2024, Bộ đã trình xét tặng Huân chương Lao động hạng Ba cho 1 tập thể, 1 cá nhân; Bằng khen của Thủ tướng "
    "Chính phủ cho 2 cá nhân; Kỷ niệm chương “Vì sự nghiệp giáo dục” cho 1 cá nhân. Đồng thời, tặng Bằng khen của "
    "Bộ trưởng Bộ Công Thương cho 2 tập thể, 2 cá nhân; Chiến sĩ thi đua Bộ Công Thương cho 2 cá nhân; Kỷ niệm "
    "chương “Vì sự nghiệp phát triển ngành Công Thương Việt Nam” cho 1 cá nhân."
)
"""The 2024 paragraph: the unit head's Lao động tiên tiến stays in the figures, not in the Ministry's paragraph."""

MOVEMENT = "pt-2024-vhcs"


def campaign_events() -> list[EventPayload]:
    d = date
    m = MOVEMENT

    def numbers(target_id: str, metric: str, threshold: int, n: int, of: int) -> dict[str, Any]:
        return {"target_id": target_id, "movement_id": m, "year": 2024, "metric": metric, "numerator": n,
                "denominator": of, "threshold_percent": threshold}

    return [
        _p(c.MovementLaunched, movement_id=m,
           title="Cán bộ, công chức, viên chức Bộ Công Thương thi đua thực hiện văn hóa công sở", launched_by="bo",
           kind="chuyen_de", scope={"all_units": True, "unit_ids": []}, period_start=d(2024, 1, 1),
           period_end=d(2025, 12, 31), criteria="Quán triệt và thực hiện văn hóa công sở.", launched_on=d(2024, 1, 15)),
        _p(c.MovementAmended, movement_id=m, amended_on=d(2024, 3, 1), reason="Bổ sung nội dung chuyển đổi số",
           criteria="Thực hiện văn hóa công sở; đẩy mạnh chuyển đổi số, chữ ký số."),
        _p(c.MovementReviewed, movement_id=m, kind="interim", reviewed_on=d(2024, 7, 15),
           summary="Các đơn vị đã chủ động sửa đổi, bổ sung quy chế làm việc."),
        _p(c.TargetSet, target_id="ct-dv", movement_id=m, year=2024, metric="units_graded_good_or_better",
           threshold_percent=100, scope={"all_units": True, "unit_ids": []},
           description="100% các đơn vị hoàn thành tốt nhiệm vụ trở lên", set_on=d(2024, 1, 15)),
        _p(c.TargetProgressed, **numbers("ct-dv", "units_graded_good_or_better", 100, 40, 48), share_percent=83.33,
           on_track=False),
        _p(c.TargetProgressed, **numbers("ct-dv", "units_graded_good_or_better", 100, 48, 48), share_percent=100,
           on_track=True),
        _p(c.TargetMet, **numbers("ct-dv", "units_graded_good_or_better", 100, 48, 48), share_percent=100,
           closed_by="year_closed", decided_on=d(2025, 1, 10)),
        _p(c.TargetSet, target_id="ct-cb", movement_id=m, year=2024, metric="staff_graded_good_or_better",
           threshold_percent=95, scope={"all_units": True, "unit_ids": []},
           description="95% cán bộ, công chức, viên chức và người lao động hoàn thành tốt nhiệm vụ trở lên",
           set_on=d(2024, 1, 15)),
        _p(c.TargetProgressed, **numbers("ct-cb", "staff_graded_good_or_better", 95, 1843, 1950), share_percent=94.51,
           on_track=False),
        _p(c.TargetMissed, **numbers("ct-cb", "staff_graded_good_or_better", 95, 1843, 1950), share_percent=94.51,
           closed_by="year_closed", decided_on=d(2025, 1, 10)),
        _p(c.TargetSet, target_id="ct-hoc", movement_id=m, year=2024, metric="staff_training_completed",
           threshold_percent=100, scope={"all_units": True, "unit_ids": []}, training_code="nghi-quyet-2024",
           description="100% cán bộ, công chức, đoàn viên công đoàn học tập, nghiên cứu nâng cao trình độ",
           set_on=d(2024, 1, 15)),
        _p(c.TargetProgressed, **numbers("ct-hoc", "staff_training_completed", 100, 42, 42), share_percent=100,
           on_track=True),
        _p(c.RegistrationSubmitted, registration_id=f"{m}/u-vtccb/2024", movement_id=m, unit_id="u-vtccb", year=2024,
           collective_titles=["TTLDXS", "CO_TD_BO"],
           individuals=[{"person_id": "p-001", "titles": ["LDTT", "CSTDCS"]},
                        {"person_id": "p-004", "titles": ["LDTT"]}],
           submitted_on=d(2024, 2, 20), deadline=d(2024, 3, 31)),
        _p(c.RegistrationSubmitted, registration_id=f"{m}/u-phong/2024", movement_id=m, unit_id="u-phong", year=2024,
           collective_titles=["TTLDTT"], individuals=[{"person_id": "p-003", "titles": ["CSTDCS"]}],
           submitted_on=d(2024, 3, 1), deadline=d(2024, 3, 31)),
        _p(c.RegistrationSubmitted, registration_id=f"{m}/u-dhcn/2024", movement_id=m, unit_id="u-dhcn", year=2024,
           collective_titles=["TTLDXS"], individuals=[], submitted_on=d(2024, 3, 2), deadline=d(2024, 3, 31)),
        _p(c.RegistrationWithdrawn, registration_id=f"{m}/u-dhcn/2024", movement_id=m, unit_id="u-dhcn", year=2024,
           withdrawn_on=d(2024, 3, 10), reason="Đăng ký lại sau"),
        _p(c.PledgeSigned, pledge_id="gu-2024", title="Giao ước thi đua năm 2024", year=2024, movement_id=m,
           parties=[{"name": "Lãnh đạo Bộ Công Thương"}, {"name": "Công đoàn Bộ Công Thương"}],
           clauses=c.PLEDGE_2024_CLAUSES,
           signatories=[{"full_name": "Nguyễn Hồng Diên", "position": "Bộ trưởng Bộ Công Thương",
                         "party": "Lãnh đạo Bộ Công Thương"},
                        {"full_name": "Nguyễn Minh Huệ", "position": "Chủ tịch Công đoàn Bộ Công Thương",
                         "party": "Công đoàn Bộ Công Thương"}],
           signed_on=d(2024, 1, 26)),
        _p(c.PledgeReviewed, pledge_id="gu-2024", review_no=1, kind="interim", reviewed_on=d(2024, 7, 1),
           assessments=[{"clause_number": n, "result": "partly_achieved" if n == 4 else "achieved"}
                        for n in range(1, 6)]),
        _p(c.PledgeReviewed, pledge_id="gu-2024", review_no=2, kind="final", reviewed_on=d(2024, 12, 20),
           assessments=[{"clause_number": n, "result": "achieved"} for n in range(1, 6)],
           summary="Hoàn thành tốt các nội dung giao ước thi đua năm 2024"),
        _p(c.YearClosed, year=2024, closed_on=d(2025, 1, 10)),
    ]


def envelopes(payloads: list[EventPayload], start: datetime = BASE_TIME) -> list[Envelope]:
    """Envelopes with stream versions counted per subject and times one second apart."""
    versions: dict[tuple[str, str], int] = defaultdict(int)
    out = []
    for i, p in enumerate(payloads):
        key = (p.context, p.subject())
        versions[key] += 1
        out.append(envelope(p, stream_version=versions[key], time=start + timedelta(seconds=i)))
    return out


def everything() -> list[Envelope]:
    """The whole scenario, in the order the contexts would publish it."""
    return envelopes(unit_events() + person_events() + award_events() + campaign_events())
