"""Events for the reporting tests, built in memory (the unit tests fold them; the integration
tests put them on Kafka)."""

from __future__ import annotations

import uuid
import zlib
from datetime import UTC, date, datetime
from typing import Any

from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue.awards import AwardGranted, AwardRevoked, ProposalForwarded, TitleConferred

GIVEN_NAMES = ["Nguyễn Thị Hương", "Trần Văn Phúc", "Lê Thị Thu Hà", "Phạm Đức Anh", "Hoàng Minh Tuấn",
               "Vũ Thị Ngọc Ánh", "Đặng Quốc Bảo", "Bùi Thị Thanh Thủy"]


def _h(text: str) -> int:
    # Stable across processes (str hash is salted per process).
    return zlib.crc32(text.encode())


def recipient(kind: str, subject_id: str, unit_id: str | None, candidate_id: str, name: str | None = None) -> dict:
    """A Recipient as the events carry it."""
    return {
        "candidate_id": candidate_id,
        "recipient_kind": kind,
        "subject_id": subject_id,
        "display_name": name or (f"Tập thể {subject_id}" if kind == "collective" else GIVEN_NAMES[_h(subject_id) % 8]),
        "unit_id": unit_id,
    }


def forwarded(
    proposal_id: str,
    year: int,
    code: str,
    name: str,
    *,
    to_authority: str,
    to_body: str,
    individuals: int = 0,
    collectives: int = 0,
    unit_id: str = "u-vp",
    kind: str = "award",
    forwarded_on: date | None = None,
) -> ProposalForwarded:
    """The Ministry forwarded ``individuals`` people and ``collectives`` collectives for ``code``."""
    people = [
        recipient("individual", f"p-{proposal_id}-{i}", unit_id, f"c-{i}") for i in range(individuals)
    ]
    units = [
        recipient("collective", f"{unit_id}-tt{i}" if i else unit_id, unit_id if not i else f"{unit_id}-tt{i}",
                  f"c-t{i}")
        for i in range(collectives)
    ]
    return ProposalForwarded.model_validate(
        {
            "proposal_id": proposal_id,
            "nomination_id": f"n-{proposal_id}",
            "year": year,
            "award_code": code,
            "award_name": name,
            "award_kind": kind,
            "category": "merit",
            "to_authority": to_authority,
            "to_body": to_body,
            "recipients": units + people,
            "submission_number": f"{_h(proposal_id) % 900 + 100}/TTr-BCT",
            "forwarded_on": forwarded_on or date(year, 10, 15),
        }
    )


def conferred(
    award_id: str,
    year: int,
    code: str,
    name: str,
    *,
    recipient_kind: str = "individual",
    subject_id: str | None = None,
    unit_id: str | None = "u-vp",
    authority: str = "minister",
    by_ministry: bool = True,
    title: bool = False,
    proposal_id: str | None = None,
    display_name: str | None = None,
    decision_date: date | None = None,
) -> AwardGranted | TitleConferred:
    """One award (or title, with ``title=True``) conferred."""
    model = TitleConferred if title else AwardGranted
    subject = subject_id or (unit_id if recipient_kind == "collective" else f"p-{award_id}")
    return model.model_validate(
        {
            "award_id": award_id,
            "year": year,
            "award_code": code,
            "award_name": name,
            "category": "merit",
            "recipient": recipient(recipient_kind, subject, unit_id, f"c-{award_id}", display_name),
            "nomination_id": f"n-{code}-{year}",
            "proposal_id": proposal_id,
            "authority": authority,
            "conferred_by_ministry": by_ministry,
            "decision_number": f"{_h(award_id) % 9000 + 1000}/QĐ-BCT",
            "decision_date": decision_date or date(year, 12, 28),
            "signer": "Bộ trưởng Nguyễn Hồng Diên" if by_ministry else None,
            "cash_multiple": 1.0,
            "initiative_ids": [],
        }
    )


def revoked(award_id: str, revoked_on: date = date(2024, 3, 5)) -> AwardRevoked:
    """A revocation of ``award_id``."""
    return AwardRevoked.model_validate(
        {
            "award_id": award_id,
            "reason": "Hồ sơ đề nghị khen thưởng kê khai không trung thực thành tích.",
            "decision_number": "215/QĐ-BCT",
            "revoked_on": revoked_on,
        }
    )


def many(count: int, year: int, code: str, name: str, prefix: str, **kwargs: Any) -> list[EventPayload]:
    """``count`` awards of one kind."""
    return [conferred(f"{prefix}-{i:04d}", year, code, name, **kwargs) for i in range(count)]


ARTICLE_2023_PARAGRAPH = (
    "Năm 2023, Bộ đã trình xét tặng danh hiệu Nhà giáo nhân dân cho 2 cá nhân, Nhà giáo ưu tú cho 3 cá nhân; "
    "Huân chương Lao động hạng Ba cho 1 tập thể, 3 cá nhân; Bằng khen của Thủ tướng Chính phủ cho 9 cá nhân; "
    "Kỷ niệm chương “Vì sự nghiệp giáo dục” cho 78 cá nhân. Đồng thời, tặng Bằng khen của Bộ trưởng Bộ Công Thương "
    "cho 68 tập thể, 214 cá nhân; Chiến sĩ thi đua Bộ Công Thương cho 87 cá nhân; Kỷ niệm chương “Vì sự nghiệp "
    "phát triển ngành Công Thương Việt Nam” cho 83 cá nhân."
)
"""The source article's 2023 figures (moit-emulation-2024.txt, lines 43–45) as the summary writes them."""


def article_2023_events() -> list[EventPayload]:
    """Exactly the article's 2023 counts, as the awards context would publish them.

    The events are shuffled between kinds on purpose: the result must not depend on order.
    """
    y = 2023
    proposed = [
        forwarded("pr-2023-ngnd", y, "NGND", "Nhà giáo nhân dân", to_authority="president",
                  to_body="Hội đồng Xét tặng danh hiệu Nhà giáo nhân dân, Nhà giáo ưu tú cấp Nhà nước", individuals=2,
                  unit_id="u-dhcnhn"),
        forwarded("pr-2023-ngut", y, "NGUT", "Nhà giáo ưu tú", to_authority="president",
                  to_body="Hội đồng Xét tặng danh hiệu Nhà giáo nhân dân, Nhà giáo ưu tú cấp Nhà nước", individuals=3,
                  unit_id="u-dhcnhn"),
        forwarded("pr-2023-hcld3", y, "HCLD_3", "Huân chương Lao động hạng Ba", to_authority="president",
                  to_body="Ban Thi đua – Khen thưởng Trung ương", individuals=3, collectives=1, unit_id="u-vtccb"),
        forwarded("pr-2023-bkttg", y, "BK_TTG", "Bằng khen của Thủ tướng Chính phủ", to_authority="prime_minister",
                  to_body="Ban Thi đua – Khen thưởng Trung ương", individuals=9, unit_id="u-vtccb"),
        # Two submissions to the Ministry of Education: the paragraph adds them up.
        forwarded("pr-2023-kncgd-1", y, "KNC_GD", 'Kỷ niệm chương "Vì sự nghiệp giáo dục"',
                  to_authority="other_ministry", to_body="Bộ Giáo dục và Đào tạo", individuals=50, unit_id="u-dhcnhn"),
        forwarded("pr-2023-kncgd-2", y, "KNC_GD", 'Kỷ niệm chương "Vì sự nghiệp giáo dục"',
                  to_authority="other_ministry", to_body="Bộ Giáo dục và Đào tạo", individuals=28, unit_id="u-cdct"),
    ]
    # Collectives: each its own subject, spread over a dozen units.
    granted: list[EventPayload] = [
        conferred(f"a-2023-bkbt-tt-{i:04d}", y, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương",
                  recipient_kind="collective", unit_id=f"u-tt-{i % 12}", subject_id=f"u-tt-{i % 12}-{i}")
        for i in range(68)
    ]
    granted += many(214, y, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương", "a-2023-bkbt-cn", unit_id="u-vtccb")
    granted += many(87, y, "CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", "a-2023-cstdbo", title=True,
                    unit_id="u-vp")
    granted += many(83, y, "KNC_CT", 'Kỷ niệm chương "Vì sự nghiệp phát triển ngành Công Thương Việt Nam"',
                    "a-2023-knc", unit_id="u-vp")
    events: list[EventPayload] = []
    # interleave: proposals between the grants
    for i, e in enumerate(granted):
        events.append(e)
        if i % 80 == 0 and proposed:
            events.append(proposed.pop())
    return events + proposed


def envelope(payload: EventPayload, *, stream_version: int = 1, time: datetime | None = None) -> Envelope:
    """The envelope the publishing context would put on Kafka."""
    return Envelope(
        id=uuid.uuid4(),
        source=f"/tdkt/{payload.context}",
        type=payload.event_type,
        schema_version=payload.event_version,
        subject=payload.subject(),
        time=time or datetime.now(UTC),
        stream_version=stream_version,
        data=payload.model_dump(mode="json"),
    )
