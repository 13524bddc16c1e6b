"""Public events of the campaigns context (phong trào thi đua: movements, targets,
registrations, pledges, clusters and blocs).

Every type is ``vn.tdkt.campaigns.<aggregate>.<fact>``, version 1 (``year.closed``:
version 2, whose key field is text like the key), published on
``tdkt.campaigns.events``; the Kafka key (``subject_field``) is the aggregate id.

=====================================  ===============  ===================================================
type                                   subject          the fact
=====================================  ===============  ===================================================
``movement.launched``                  movement_id      a movement (phong trào thi đua) was launched
``movement.amended``                   movement_id      some of its fields changed (null = unchanged)
``movement.reviewed``                  movement_id      an interim (sơ kết) or final (tổng kết) review
``movement.closed``                    movement_id      closed; it accepts nothing more
``target.set``                         target_id        a measurable target (chỉ tiêu) for a year
``target.progressed``                  target_id        its numbers changed (only published on change)
``target.met``                         target_id        final: the threshold was reached
``target.missed``                      target_id        final: it was not (or there was nothing to count)
``year.closed``                        year_id          the emulation year is closed; its targets are final
``training.reported``                  report_id        a unit reported how many of its staff completed a
                                                        training (học tập, bồi dưỡng)
``registration.submitted``             registration_id  a unit registered title aims (đăng ký thi đua)
``registration.withdrawn``             registration_id  …and withdrew them
``pledge.signed``                      pledge_id        an emulation pledge (giao ước thi đua) was signed
``pledge.reviewed``                    pledge_id        each of its clauses was assessed
``cluster.formed``                     cluster_id       an emulation cluster or bloc (cụm, khối thi đua)
``cluster.membership-changed``         cluster_id       members joined or left, from a given year
``cluster.lead-assigned``              cluster_id       the lead unit (cụm trưởng, khối trưởng) of a year
``cluster.scored``                     cluster_id       the year's scores and the ranking derived from them
=====================================  ===============  ===================================================

Conventions used here:

* Percentages (``threshold_percent``, ``share_percent``) are numbers from 0 to 100
  with at most two decimals. ``share_percent`` is rounded *down*, so
  ``share_percent >= threshold_percent`` holds exactly when the target is reached
  (the service decides on the integers ``numerator`` and ``denominator``).
* Title codes in registrations (``TTLDXS``, ``CO_TD_BO``, ``LDTT``, ``CSTDCS`` …)
  are strings; the campaigns service checks them against its catalogue.
* Only person ids (never names) appear in registrations.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from pydantic import ConfigDict, Field, PlainSerializer, field_validator, model_validator

from ..base import EventPart, EventPayload
from ..registry import register, upcaster
from ..vocabulary import Labelled

CONTEXT = "campaigns"

# ---------------------------------------------------------------------------
# Value types
# ---------------------------------------------------------------------------

Percent = Annotated[
    Decimal,
    Field(ge=0, le=100, max_digits=5, decimal_places=2),
    PlainSerializer(float, return_type=float, when_used="json"),
]
"""A percentage 0–100 with at most two decimals; a JSON number on the wire."""

Score = Annotated[
    Decimal,
    Field(ge=0, max_digits=9, decimal_places=2),
    PlainSerializer(float, return_type=float, when_used="json"),
]
"""A cluster score (điểm chấm thi đua), at most two decimals; a JSON number on the wire."""

Year = Annotated[int, Field(ge=1945, le=2200)]

MONTH_DAY = re.compile(r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")


def check_month_day(value: str) -> str:
    """Check an MM-DD day of the year (02-29 allowed); return it."""
    if not MONTH_DAY.match(value):
        raise ValueError("must be MM-DD, e.g. 03-31")
    month, day = int(value[:2]), int(value[3:])
    try:
        date(2024, month, day)  # a leap year, so 02-29 is accepted
    except ValueError:
        raise ValueError(f"{value} is not a day of the year") from None
    return value


class Launcher(Labelled):
    """Who launched a movement (cấp phát động)."""

    GOVERNMENT = "chinh_phu", "Chính phủ"
    PRIME_MINISTER = "thu_tuong", "Thủ tướng Chính phủ"
    MINISTRY = "bo", "Bộ"
    MINISTRY_UNION = "cong_doan_bo", "Công đoàn Bộ"
    SOCIO_POLITICAL_ORGANISATION = "to_chuc_chinh_tri_xa_hoi", "Tổ chức chính trị – xã hội"


class MovementKind(Labelled):
    """Form of emulation (hình thức tổ chức thi đua)."""

    REGULAR = "thuong_xuyen", "Thi đua thường xuyên"
    THEMATIC = "chuyen_de", "Thi đua theo chuyên đề"


class ReviewKind(Labelled):
    """Interim or final review of a movement or a pledge."""

    INTERIM = "interim", "Sơ kết"
    FINAL = "final", "Tổng kết"


class TargetMetric(Labelled):
    """What a target measures; every metric is a share for one year Y, counted as of
    31 December of Y.

    * ``units_graded_good_or_better``: units graded HTT or HTXS for Y / units
      counted. Units counted: the listed units, or for an all-units scope the units
      directly under the ministry (đơn vị thuộc Bộ), that are active on 31 December
      or were graded for Y;
    * ``staff_graded_good_or_better``: staff graded HTT or HTXS for Y / staff
      counted. Staff counted: people on the staff on 31 December or graded for Y,
      once each, in the unit they belong to at year end (or were graded in),
      when that unit is a listed unit or under one (everyone for all units);
    * ``staff_training_completed``: sum of ``completed`` / sum of ``headcount`` over
      the units' latest reports on the training ``training_code`` for Y, from the
      listed units and the units under them (every report for all units).

    A target is reached when numerator × 100 ≥ threshold × denominator, with a
    non-zero denominator.
    """

    UNITS_GRADED_GOOD_OR_BETTER = (
        "units_graded_good_or_better",
        "Tỷ lệ đơn vị hoàn thành tốt nhiệm vụ trở lên",
    )
    STAFF_GRADED_GOOD_OR_BETTER = (
        "staff_graded_good_or_better",
        "Tỷ lệ cán bộ, công chức, viên chức, người lao động hoàn thành tốt nhiệm vụ trở lên",
    )
    STAFF_TRAINING_COMPLETED = (
        "staff_training_completed",
        "Tỷ lệ cán bộ, công chức, viên chức, người lao động hoàn thành học tập, bồi dưỡng",
    )


class CloseTrigger(Labelled):
    """What made a target final."""

    YEAR_CLOSED = "year_closed", "Kết thúc năm thi đua"
    MOVEMENT_CLOSED = "movement_closed", "Kết thúc phong trào thi đua"


class ClauseResult(Labelled):
    """Assessment of one pledge clause."""

    ACHIEVED = "achieved", "Đạt"
    PARTLY_ACHIEVED = "partly_achieved", "Đạt một phần"
    NOT_ACHIEVED = "not_achieved", "Không đạt"


class ClusterKind(Labelled):
    """Cụm thi đua (cluster) or khối thi đua (bloc)."""

    CLUSTER = "cum", "Cụm thi đua"
    BLOC = "khoi", "Khối thi đua"


# ---------------------------------------------------------------------------
# Nested models (also used by the commands)
# ---------------------------------------------------------------------------


class UnitScope(EventPart):
    """Which units a movement or target covers (phạm vi): all units, or a list."""

    all_units: bool = Field(
        default=False, description="True: every unit of the Ministry (toàn Bộ); unit_ids is then empty."
    )
    unit_ids: list[str] = Field(
        default_factory=list, description="The units covered (đơn vị tham gia) when all_units is false."
    )

    @model_validator(mode="after")
    def _one_of(self) -> UnitScope:
        if self.all_units and self.unit_ids:
            raise ValueError("a scope is either all_units or a list of unit_ids, not both")
        if not self.all_units and not self.unit_ids:
            raise ValueError("a scope needs all_units=true or at least one unit id")
        if len(set(self.unit_ids)) != len(self.unit_ids):
            raise ValueError("unit_ids has duplicates")
        if any(not u for u in self.unit_ids):
            raise ValueError("unit ids must not be empty")
        return self

    def includes(self, unit_id: str) -> bool:
        """Whether this scope covers the unit."""
        return self.all_units or unit_id in self.unit_ids

    def within(self, other: UnitScope) -> bool:
        """Whether every unit of this scope is covered by ``other``."""
        if other.all_units:
            return True
        if self.all_units:
            return False
        return set(self.unit_ids) <= set(other.unit_ids)


class IndividualRegistration(EventPart):
    """The titles one person aims for (cá nhân đăng ký danh hiệu)."""

    person_id: str = Field(min_length=1, description="The person (cá nhân), as the units context names them.")
    titles: list[str] = Field(
        min_length=1, description="Title codes aimed for, e.g. LDTT (Lao động tiên tiến), CSTDCS."
    )


class Party(EventPart):
    """One party to a pledge (bên giao ước)."""

    name: str = Field(min_length=1, description="Name of the party, e.g. 'Công đoàn Bộ Công Thương'.")
    unit_id: str | None = Field(
        default=None, description="The unit this party is, when it is one (đơn vị), for a unit's pledge list."
    )


class Clause(EventPart):
    """One numbered clause (nội dung giao ước)."""

    number: int = Field(ge=1, description="Clause number (thứ nhất = 1, thứ hai = 2 …).")
    text: str = Field(min_length=1, description="The clause as signed (nội dung).")


class Signatory(EventPart):
    """A person who signed for a party (người ký)."""

    full_name: str = Field(min_length=1, description="Full name (họ và tên).")
    position: str = Field(min_length=1, description="Position (chức vụ), e.g. 'Chủ tịch Công đoàn Bộ'.")
    party: str = Field(min_length=1, description="Name of the party signed for; one of the pledge's parties.")


class ClauseAssessment(EventPart):
    """The assessment of one clause in a review (đánh giá kết quả thực hiện)."""

    clause_number: int = Field(ge=1, description="The clause assessed.")
    result: ClauseResult = Field(
        description="achieved (đạt), partly_achieved (đạt một phần), not_achieved (không đạt)."
    )
    comment: str | None = Field(default=None, description="Remarks (nhận xét).")


class RankedScore(EventPart):
    """A member's score for the year and its place (điểm, xếp hạng)."""

    rank: int = Field(ge=1, description="1 = first; tied members share a rank (1, 2, 2, 4).")
    unit_id: str = Field(description="The member unit.")
    score: Score = Field(description="Points given by the cluster (điểm chấm).")
    women_share_percent: Percent | None = Field(
        default=None, description="Share of women in the collective (tỷ lệ nữ), when given; used to break ties."
    )
    women_preferred: bool = Field(
        default=False,
        description=(
            "True when this member was placed above an equal score because it has at least 70% women "
            "(ưu tiên tập thể có tỷ lệ nữ từ 70% trở lên, NĐ 152/2025 Art. 4.6)."
        ),
    )


# ---------------------------------------------------------------------------
# Movement (phong trào thi đua)
# ---------------------------------------------------------------------------

_MOVEMENT_EXAMPLE_ID = "pt-2024-van-hoa-cong-so"


@register
class MovementLaunched(EventPayload):
    """An emulation movement was launched (phát động phong trào thi đua)."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.movement.launched"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "movement_id"

    movement_id: str = Field(min_length=1, description="Id of the movement.")
    title: str = Field(min_length=1, description="Title of the movement (tên phong trào thi đua), in Vietnamese.")
    launched_by: Launcher = Field(
        description="Who launched it (cấp phát động): chinh_phu, thu_tuong, bo, cong_doan_bo …"
    )
    kind: MovementKind = Field(description="thuong_xuyen (regular) or chuyen_de (thematic).")
    scope: UnitScope = Field(description="Units taking part (phạm vi, đối tượng thi đua).")
    period_start: date = Field(description="First day of the movement (thời gian bắt đầu).")
    period_end: date | None = Field(default=None, description="Last day (thời gian kết thúc); none if open-ended.")
    criteria: str = Field(min_length=1, description="Contents and criteria (nội dung, tiêu chí thi đua).")
    launched_on: date = Field(description="Date of launch (ngày phát động).")
    decision_ref: str | None = Field(
        default=None, description="Number of the launching decision or plan (số quyết định, kế hoạch)."
    )
    responds_to: str | None = Field(
        default=None, description="The higher-level movement this one answers (hưởng ứng phong trào …), if any."
    )
    registration_deadline: date | None = Field(
        default=None, description="One deadline for registrations (hạn đăng ký thi đua) for the whole movement."
    )
    annual_registration_deadline: str = Field(
        default="03-31",
        description="When registration_deadline is none: the day (MM-DD) of each year by which units register "
        "for that year. Default 31 March (common practice, unconfirmed in law).",
    )

    @field_validator("annual_registration_deadline")
    @classmethod
    def _month_day(cls, value: str) -> str:
        return check_month_day(value)

    @model_validator(mode="after")
    def _period(self) -> MovementLaunched:
        if self.period_end is not None and self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "movement_id": _MOVEMENT_EXAMPLE_ID,
                    "title": "Cán bộ, công chức, viên chức Bộ Công Thương thi đua thực hiện văn hóa công sở",
                    "launched_by": "bo",
                    "kind": "chuyen_de",
                    "scope": {"all_units": True, "unit_ids": []},
                    "period_start": "2024-01-01",
                    "period_end": "2025-12-31",
                    "criteria": "Quán triệt và thực hiện văn hóa công sở; sửa đổi, bổ sung quy chế làm việc, "
                    "phân công nhiệm vụ; giữ gìn nơi làm việc luôn xanh - sạch - đẹp, văn minh.",
                    "launched_on": "2024-01-15",
                    "decision_ref": None,
                    "responds_to": "Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở",
                    "registration_deadline": None,
                    "annual_registration_deadline": "03-31",
                }
            ]
        }
    )


@register
class MovementAmended(EventPayload):
    """A movement's title, scope, period, criteria or registration deadline changed
    (sửa đổi, bổ sung kế hoạch phát động). A null field is unchanged."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.movement.amended"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "movement_id"

    movement_id: str = Field(min_length=1, description="Id of the movement.")
    amended_on: date = Field(description="Date of the amendment (ngày sửa đổi).")
    reason: str = Field(min_length=1, description="Why (lý do sửa đổi).")
    title: str | None = Field(default=None, description="New title (tên phong trào), or null.")
    scope: UnitScope | None = Field(default=None, description="New scope (phạm vi), or null.")
    period_start: date | None = Field(default=None, description="New first day, or null.")
    period_end: date | None = Field(default=None, description="New last day, or null.")
    criteria: str | None = Field(default=None, description="New contents and criteria (nội dung, tiêu chí), or null.")
    registration_deadline: date | None = Field(default=None, description="New single registration deadline, or null.")
    annual_registration_deadline: str | None = Field(default=None, description="New yearly deadline MM-DD, or null.")

    @field_validator("annual_registration_deadline")
    @classmethod
    def _md(cls, value: str | None) -> str | None:
        return None if value is None else check_month_day(value)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "movement_id": _MOVEMENT_EXAMPLE_ID,
                    "amended_on": "2024-03-01",
                    "reason": "Bổ sung nội dung đẩy mạnh chuyển đổi số, chữ ký số theo chỉ đạo của Bộ trưởng",
                    "criteria": "Thực hiện văn hóa công sở; đẩy mạnh chuyển đổi số, áp dụng chữ ký số, "
                    "lưu chuyển văn bản chủ yếu qua mạng; giữ gìn nơi làm việc luôn xanh - sạch - đẹp, văn minh.",
                }
            ]
        }
    )


@register
class MovementReviewed(EventPayload):
    """An interim (sơ kết) or final (tổng kết) review of a movement was held."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.movement.reviewed"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "movement_id"

    movement_id: str = Field(min_length=1, description="Id of the movement.")
    kind: ReviewKind = Field(description="interim (sơ kết) or final (tổng kết).")
    reviewed_on: date = Field(description="Date of the review (ngày sơ kết / tổng kết).")
    summary: str = Field(min_length=1, description="Summary of results (kết quả, đánh giá).")
    document_ref: str | None = Field(default=None, description="Number of the review report (số báo cáo).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "movement_id": _MOVEMENT_EXAMPLE_ID,
                    "kind": "interim",
                    "reviewed_on": "2024-07-15",
                    "summary": "Các đơn vị đã chủ động nghiên cứu, sửa đổi, bổ sung quy chế làm việc, phân công "
                    "nhiệm vụ; giữ gìn nơi làm việc luôn xanh - sạch - đẹp, văn minh.",
                    "document_ref": None,
                }
            ]
        }
    )


@register
class MovementClosed(EventPayload):
    """A movement was closed (kết thúc phong trào). It accepts no command any more."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.movement.closed"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "movement_id"

    movement_id: str = Field(min_length=1, description="Id of the movement.")
    closed_on: date = Field(description="Date of closing (ngày kết thúc).")
    reason: str | None = Field(default=None, description="Remarks (ghi chú).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "movement_id": _MOVEMENT_EXAMPLE_ID,
                    "closed_on": "2025-12-31",
                    "reason": "Đã tổng kết phong trào thi đua",
                }
            ]
        }
    )


# ---------------------------------------------------------------------------
# Targets (chỉ tiêu thi đua)
# ---------------------------------------------------------------------------

_TARGET_EXAMPLE_ID = "ct-2024-don-vi-htt"


@register
class TargetSet(EventPayload):
    """A measurable target (chỉ tiêu) was set for a year, on a movement or on the year alone."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.target.set"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "target_id"

    target_id: str = Field(min_length=1, description="Id of the target.")
    movement_id: str | None = Field(default=None, description="The movement it belongs to; null for a year target.")
    year: Year = Field(description="The emulation year measured (năm thi đua).")
    metric: TargetMetric = Field(description="What is measured (see TargetMetric).")
    threshold_percent: Percent = Field(description="The share to reach, in percent (mức phấn đấu), e.g. 95.")
    scope: UnitScope = Field(description="Units counted (phạm vi).")
    training_code: str | None = Field(
        default=None, description="For staff_training_completed only: the training (nội dung học tập) counted."
    )
    description: str = Field(min_length=1, description="The target as written (nội dung chỉ tiêu), in Vietnamese.")
    set_on: date = Field(description="Date the target was set (ngày giao chỉ tiêu).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "target_id": _TARGET_EXAMPLE_ID,
                    "movement_id": None,
                    "year": 2024,
                    "metric": "units_graded_good_or_better",
                    "threshold_percent": 100,
                    "scope": {"all_units": True, "unit_ids": []},
                    "training_code": None,
                    "description": "100% các đơn vị hoàn thành tốt nhiệm vụ trở lên",
                    "set_on": "2024-01-15",
                }
            ]
        }
    )


class _TargetNumbers(EventPayload):
    """Fields shared by the target progress and outcome events."""

    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "target_id"

    target_id: str = Field(min_length=1, description="Id of the target.")
    movement_id: str | None = Field(default=None, description="Its movement, or null for a year target.")
    year: Year = Field(description="The year measured (năm thi đua).")
    metric: TargetMetric = Field(description="What is measured.")
    numerator: int = Field(ge=0, description="Units or staff counted as reaching it (tử số).")
    denominator: int = Field(ge=0, description="Units or staff counted in all (mẫu số).")
    threshold_percent: Percent = Field(description="The share to reach, in percent (mức phấn đấu).")


@register
class TargetProgressed(_TargetNumbers):
    """A target's numbers changed (tiến độ thực hiện chỉ tiêu). Published only when
    the numerator or the denominator changes, and never with a zero denominator."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.target.progressed"

    share_percent: Percent = Field(description="numerator / denominator in percent, rounded down to 2 decimals.")
    on_track: bool = Field(description="Whether the threshold is reached with today's numbers (đang đạt).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "target_id": "ct-2024-cbccvc-htt",
                    "movement_id": None,
                    "year": 2024,
                    "metric": "staff_graded_good_or_better",
                    "numerator": 1843,
                    "denominator": 1950,
                    "threshold_percent": 95,
                    "share_percent": 94.51,
                    "on_track": False,
                }
            ]
        }
    )


class _TargetOutcome(_TargetNumbers):
    share_percent: Percent | None = Field(
        description="numerator / denominator in percent, rounded down; null when the denominator is 0."
    )
    closed_by: CloseTrigger = Field(description="year_closed or movement_closed.")
    decided_on: date = Field(description="Date the outcome was fixed (ngày đánh giá).")


@register
class TargetMet(_TargetOutcome):
    """Final: the target was reached (đạt chỉ tiêu) when its year or movement closed."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.target.met"

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "target_id": _TARGET_EXAMPLE_ID,
                    "movement_id": None,
                    "year": 2024,
                    "metric": "units_graded_good_or_better",
                    "numerator": 48,
                    "denominator": 48,
                    "threshold_percent": 100,
                    "share_percent": 100,
                    "closed_by": "year_closed",
                    "decided_on": "2025-01-10",
                }
            ]
        }
    )


@register
class TargetMissed(_TargetOutcome):
    """Final: the target was not reached (không đạt chỉ tiêu) when its year or
    movement closed; also when nothing could be counted (denominator 0)."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.target.missed"

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "target_id": "ct-2024-cbccvc-htt",
                    "movement_id": None,
                    "year": 2024,
                    "metric": "staff_graded_good_or_better",
                    "numerator": 1843,
                    "denominator": 1950,
                    "threshold_percent": 95,
                    "share_percent": 94.51,
                    "closed_by": "year_closed",
                    "decided_on": "2025-01-10",
                }
            ]
        }
    )


@register
class YearClosedV1(EventPayload):
    """An emulation year was closed (kết thúc năm thi đua): its targets are final and
    no new target, training report or registration deadline can concern it.

    Version 1: its key field is the integer ``year`` while the Kafka key is text;
    superseded by version 2, whose key field ``year_id`` is the same text."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.year.closed"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "year"

    year: Year = Field(description="The year closed (năm thi đua).")
    closed_on: date = Field(description="Date of closing.")

    model_config = ConfigDict(json_schema_extra={"examples": [{"year": 2024, "closed_on": "2025-01-10"}]})


@register
class YearClosed(EventPayload):
    """An emulation year was closed (kết thúc năm thi đua): its targets are final and
    no new target, training report or registration deadline can concern it."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.year.closed"
    event_version: ClassVar[int] = 2
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "year_id"

    year_id: str = Field(
        pattern=r"^[0-9]{4}$",
        description="The year as text, e.g. \"2024\": the Kafka key and ce_subject (the year's stream).",
    )
    year: Year = Field(description="The year closed (năm thi đua), as a number.")
    closed_on: date = Field(description="Date of closing.")

    @model_validator(mode="before")
    @classmethod
    def _year_id_from_year(cls, data: Any) -> Any:
        # Publishers name the year once; the text key is derived, never typed twice.
        if isinstance(data, dict) and "year_id" not in data and isinstance(data.get("year"), int):
            return {**data, "year_id": str(data["year"])}
        return data

    @model_validator(mode="after")
    def _year_id_is_the_year(self) -> YearClosed:
        if self.year_id != str(self.year):
            raise ValueError(f"year_id {self.year_id!r} is not the year {self.year}")
        return self

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"year_id": "2024", "year": 2024, "closed_on": "2025-01-10"}]}
    )


@upcaster(YearClosed.event_type, 1)
def _year_closed_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 adds the text key field ``year_id`` (the decimal year, as the Kafka key always was)."""
    return {**data, "year_id": str(data["year"])}


@register
class TrainingCompletionReported(EventPayload):
    """A unit reported how many of its staff completed a training in a year
    (báo cáo kết quả học tập, bồi dưỡng). A later report for the same unit,
    year and training replaces the earlier one."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.training.reported"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "report_id"

    report_id: str = Field(min_length=1, description="'<unit_id>/<year>/<training_code>'.")
    unit_id: str = Field(min_length=1, description="The reporting unit (đơn vị báo cáo).")
    year: Year = Field(description="The year reported on.")
    training_code: str = Field(min_length=1, description="The training (nội dung học tập), a short code.")
    completed: int = Field(ge=0, description="Staff who completed it (số người hoàn thành).")
    headcount: int = Field(ge=0, description="Staff of the unit it applies to (tổng số).")
    reported_on: date = Field(description="Date of the report (ngày báo cáo).")

    @model_validator(mode="after")
    def _not_more_than_headcount(self) -> TrainingCompletionReported:
        if self.completed > self.headcount:
            raise ValueError("completed is greater than headcount")
        return self

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "report_id": "vu-tccb/2024/hoc-tap-nghi-quyet-2024",
                    "unit_id": "vu-tccb",
                    "year": 2024,
                    "training_code": "hoc-tap-nghi-quyet-2024",
                    "completed": 42,
                    "headcount": 42,
                    "reported_on": "2024-11-30",
                }
            ]
        }
    )


# ---------------------------------------------------------------------------
# Registrations (đăng ký thi đua)
# ---------------------------------------------------------------------------


@register
class RegistrationSubmitted(EventPayload):
    """A unit registered, for a movement and a year, the collective titles it aims for
    and the individual titles its people aim for (đăng ký thi đua)."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.registration.submitted"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "registration_id"

    registration_id: str = Field(min_length=1, description="'<movement_id>/<unit_id>/<year>'.")
    movement_id: str = Field(min_length=1, description="The movement registered for.")
    unit_id: str = Field(min_length=1, description="The registering unit (đơn vị đăng ký).")
    year: Year = Field(description="The year the aims are for.")
    collective_titles: list[str] = Field(
        default_factory=list, description="Collective titles aimed for (danh hiệu tập thể), e.g. TTLDXS, CO_TD_BO."
    )
    individuals: list[IndividualRegistration] = Field(
        default_factory=list, description="Individual aims (cá nhân đăng ký), one entry per person."
    )
    submitted_on: date = Field(description="Date received (ngày đăng ký).")
    deadline: date = Field(description="The deadline that applied (hạn đăng ký).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "registration_id": "pt-2024-thuong-xuyen/vu-tccb/2024",
                    "movement_id": "pt-2024-thuong-xuyen",
                    "unit_id": "vu-tccb",
                    "year": 2024,
                    "collective_titles": ["TTLDXS", "CO_TD_BO"],
                    "individuals": [
                        {"person_id": "p-000123", "titles": ["LDTT", "CSTDCS"]},
                        {"person_id": "p-000456", "titles": ["LDTT"]},
                    ],
                    "submitted_on": "2024-02-20",
                    "deadline": "2024-03-31",
                }
            ]
        }
    )


@register
class RegistrationWithdrawn(EventPayload):
    """A unit withdrew its registration (rút đăng ký thi đua)."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.registration.withdrawn"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "registration_id"

    registration_id: str = Field(min_length=1, description="'<movement_id>/<unit_id>/<year>'.")
    movement_id: str = Field(min_length=1, description="The movement.")
    unit_id: str = Field(min_length=1, description="The unit.")
    year: Year = Field(description="The year.")
    withdrawn_on: date = Field(description="Date received.")
    reason: str | None = Field(default=None, description="Why (lý do).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "registration_id": "pt-2024-thuong-xuyen/vu-tccb/2024",
                    "movement_id": "pt-2024-thuong-xuyen",
                    "unit_id": "vu-tccb",
                    "year": 2024,
                    "withdrawn_on": "2024-03-10",
                    "reason": "Đăng ký lại sau khi điều chỉnh danh sách cá nhân",
                }
            ]
        }
    )


# ---------------------------------------------------------------------------
# Pledges (giao ước thi đua)
# ---------------------------------------------------------------------------

PLEDGE_2024_CLAUSES: list[dict[str, Any]] = [
    {
        "number": 1,
        "text": "Vận động cán bộ, công chức, viên chức và người lao động thực hiện nghiêm các chủ trương, đường "
        "lối của Đảng, chính sách pháp luật của Nhà nước; ra sức thi đua phát huy sáng kiến, sáng tạo, đẩy mạnh "
        "công tác chuyển đổi số; thực hành tiết kiệm, chống lãng phí, cải cách hành chính, vượt mọi khó khăn, "
        "thực hiện tốt công việc được giao góp phần hoàn thành xuất sắc nhiệm vụ chính trị của Bộ, của Ngành.",
    },
    {
        "number": 2,
        "text": "Phát huy hiệu quả, đẩy mạnh và cụ thể hóa các phong trào thi đua, cuộc vận động do Chính phủ và "
        "các tổ chức chính trị xã hội phát động như: Phong trào thi đua “Lao động giỏi, lao động sáng tạo”, "
        "“Tham mưu giỏi, phục vụ tốt”; “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”; cuộc "
        "vận động xây dựng cán bộ công chức “Trung thành - Trách nhiệm - Liêm chính”; “Cán bộ, công chức, viên "
        "chức nói không với tiêu cực”…",
    },
    {
        "number": 3,
        "text": "Tích cực học tập, bồi dưỡng lý tưởng cách mạng, bản lĩnh chính trị, rèn luyện phẩm chất đạo đức, "
        "lối sống; nâng cao trình độ chuyên môn nghiệp vụ; đẩy mạnh cải cách hành chính, sửa đổi lề lối làm "
        "việc; học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực, tự cường và khát "
        "vọng phát triển đất nước phồn vinh, hạnh phúc.",
    },
    {
        "number": 4,
        "text": "Tiếp tục đổi mới phương thức và sáng tạo, đẩy mạnh các phong trào thi đua yêu nước, ký kết giao "
        "ước thi đua và đăng ký các hình thức thi đua khen thưởng của tập thể và cá nhân, quyết tâm hoàn thành "
        "tốt các nhiệm vụ chính trị được giao, đảm bảo phù hợp với đặc thù nhiệm vụ chính trị của mỗi cơ quan, "
        "đơn vị gắn với các phong trào thi đua do bộ, ngành phát động.",
    },
    {
        "number": 5,
        "text": "Các tổ chức công đoàn tiếp tục nâng cao hiệu quả công tác đại diện, chăm lo, bảo vệ quyền, lợi ích "
        "hợp pháp chính đáng của người lao động qua các hoạt động chăm lo đời sống vật chất, tinh thần, chăm lo "
        "lợi ích và đời sống cho đoàn viên, người lao động; hoạt động tham gia xây dựng, giám sát việc thực hiện "
        "chính sách, pháp luật liên quan đến chế độ, chính sách đối với cán bộ công chức, viên chức và người lao "
        "động. Trong giai đoạn còn nhiều khó khăn, thách thức cần tích cực phối hợp với Lãnh đạo cơ quan, đơn vị "
        "tập trung huy động các nguồn lực, tổ chức hỗ trợ động viên, khuyến khích tinh thần và chăm lo cho đoàn "
        "viên người lao động, đặc biệt là những đoàn viên có hoàn cảnh khó khăn.",
    },
]
"""The five contents of the 2024 pledge between the Ministry of Industry and Trade's
leadership and its trade union, as the source article (Báo Công Thương) prints them."""


@register
class PledgeSigned(EventPayload):
    """An emulation pledge (giao ước thi đua) was signed between named parties."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.pledge.signed"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "pledge_id"

    pledge_id: str = Field(min_length=1, description="Id of the pledge.")
    title: str = Field(min_length=1, description="Title (tên bản giao ước), e.g. 'Giao ước thi đua năm 2024'.")
    year: Year = Field(description="The year it is for (năm).")
    movement_id: str | None = Field(default=None, description="The movement it serves, if any.")
    cluster_id: str | None = Field(default=None, description="The cluster or bloc whose members sign it, if any.")
    parties: list[Party] = Field(min_length=2, description="The parties (các bên giao ước), at least two.")
    clauses: list[Clause] = Field(min_length=1, description="Numbered clauses (nội dung giao ước), at least one.")
    signatories: list[Signatory] = Field(min_length=1, description="Who signed, for which party (người ký).")
    signed_on: date = Field(description="Date of signing (ngày ký kết).")
    occasion: str | None = Field(
        default=None, description="Where it was signed (ký kết tại …), e.g. the staff conference."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pledge_id": "gu-2024-bct-cdb",
                    "title": "Giao ước thi đua năm 2024",
                    "year": 2024,
                    "movement_id": None,
                    "cluster_id": None,
                    "parties": [
                        {"name": "Lãnh đạo Bộ Công Thương", "unit_id": None},
                        {"name": "Công đoàn Bộ Công Thương", "unit_id": None},
                    ],
                    "clauses": PLEDGE_2024_CLAUSES,
                    "signatories": [
                        {
                            "full_name": "Nguyễn Hồng Diên",
                            "position": "Bộ trưởng Bộ Công Thương",
                            "party": "Lãnh đạo Bộ Công Thương",
                        },
                        {
                            "full_name": "Nguyễn Minh Huệ",
                            "position": "Chủ tịch Công đoàn Bộ Công Thương",
                            "party": "Công đoàn Bộ Công Thương",
                        },
                    ],
                    "signed_on": "2024-01-26",
                    "occasion": "Hội nghị Cán bộ, công chức, viên chức, người lao động Bộ Công Thương năm 2024",
                }
            ]
        }
    )


@register
class PledgeReviewed(EventPayload):
    """A pledge was reviewed: each clause assessed (đánh giá thực hiện giao ước).
    Reviews are numbered; several interim reviews may precede one final review."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.pledge.reviewed"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "pledge_id"

    pledge_id: str = Field(min_length=1, description="Id of the pledge.")
    review_no: int = Field(ge=1, description="1 for the first review of this pledge, then 2 …")
    kind: ReviewKind = Field(description="interim (sơ kết) or final (tổng kết); nothing follows a final review.")
    reviewed_on: date = Field(description="Date of the review.")
    assessments: list[ClauseAssessment] = Field(min_length=1, description="One per clause, every clause assessed.")
    summary: str | None = Field(default=None, description="Overall remarks (nhận xét chung).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "pledge_id": "gu-2024-bct-cdb",
                    "review_no": 1,
                    "kind": "final",
                    "reviewed_on": "2024-12-20",
                    "assessments": [
                        {"clause_number": 1, "result": "achieved", "comment": "Đẩy mạnh chuyển đổi số, chữ ký số"},
                        {"clause_number": 2, "result": "achieved", "comment": None},
                        {"clause_number": 3, "result": "achieved", "comment": None},
                        {"clause_number": 4, "result": "partly_achieved", "comment": "Một số đơn vị đăng ký muộn"},
                        {"clause_number": 5, "result": "achieved", "comment": None},
                    ],
                    "summary": "Hoàn thành tốt các nội dung giao ước thi đua năm 2024",
                }
            ]
        }
    )


# ---------------------------------------------------------------------------
# Clusters and blocs (cụm, khối thi đua)
# ---------------------------------------------------------------------------

_CLUSTER_EXAMPLE_ID = "cum-vien-nghien-cuu"


@register
class ClusterFormed(EventPayload):
    """An emulation cluster or bloc (cụm / khối thi đua) was formed."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.cluster.formed"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "cluster_id"

    cluster_id: str = Field(min_length=1, description="Id of the cluster or bloc.")
    name: str = Field(min_length=1, description="Name (tên cụm, khối thi đua).")
    kind: ClusterKind = Field(description="cum (cluster) or khoi (bloc).")
    members: list[str] = Field(min_length=2, description="Member unit ids (đơn vị thành viên), in joining order.")
    from_year: Year = Field(description="First emulation year of the cluster.")
    formed_on: date = Field(description="Date of the founding decision (ngày thành lập).")
    rotate_lead: bool = Field(
        default=True, description="True: no unit leads (cụm trưởng) two years running (luân phiên)."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cluster_id": _CLUSTER_EXAMPLE_ID,
                    "name": "Cụm thi đua các Viện nghiên cứu thuộc Bộ Công Thương",
                    "kind": "cum",
                    "members": ["vien-ccs", "vien-nang-luong", "vien-hoa-chat", "vien-co-khi"],
                    "from_year": 2024,
                    "formed_on": "2024-01-10",
                    "rotate_lead": True,
                }
            ]
        }
    )


@register
class ClusterMembershipChanged(EventPayload):
    """Units joined or left a cluster from a given year (điều chỉnh thành viên)."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.cluster.membership-changed"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "cluster_id"

    cluster_id: str = Field(min_length=1, description="Id of the cluster or bloc.")
    year: Year = Field(description="First year the new membership applies to.")
    added: list[str] = Field(default_factory=list, description="Units that joined.")
    removed: list[str] = Field(default_factory=list, description="Units that left.")
    members: list[str] = Field(min_length=2, description="The members from that year on, after the change.")
    changed_on: date = Field(description="Date of the decision.")
    reason: str | None = Field(default=None, description="Why (lý do), e.g. a merger of units.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cluster_id": _CLUSTER_EXAMPLE_ID,
                    "year": 2025,
                    "added": ["vien-dau-khi"],
                    "removed": ["vien-co-khi"],
                    "members": ["vien-ccs", "vien-nang-luong", "vien-hoa-chat", "vien-dau-khi"],
                    "changed_on": "2025-01-05",
                    "reason": "Sắp xếp lại các đơn vị sự nghiệp công lập thuộc Bộ",
                }
            ]
        }
    )


@register
class ClusterLeadAssigned(EventPayload):
    """The lead unit of a cluster for a year was assigned (cụm trưởng / khối trưởng)."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.cluster.lead-assigned"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "cluster_id"

    cluster_id: str = Field(min_length=1, description="Id of the cluster or bloc.")
    year: Year = Field(description="The year led.")
    unit_id: str = Field(min_length=1, description="The lead unit; a member that year.")
    previous_unit_id: str | None = Field(default=None, description="The lead it replaces for that year, if any.")
    assigned_on: date = Field(description="Date of the decision.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cluster_id": _CLUSTER_EXAMPLE_ID,
                    "year": 2024,
                    "unit_id": "vien-nang-luong",
                    "previous_unit_id": None,
                    "assigned_on": "2024-01-10",
                }
            ]
        }
    )


@register
class ClusterScored(EventPayload):
    """The year's scores of a cluster's members and the ranking derived from them
    (chấm điểm, xếp hạng thi đua): the basis for proposing the Cờ thi đua."""

    event_type: ClassVar[str] = "vn.tdkt.campaigns.cluster.scored"
    context: ClassVar[str] = CONTEXT
    subject_field: ClassVar[str] = "cluster_id"

    cluster_id: str = Field(min_length=1, description="Id of the cluster or bloc.")
    year: Year = Field(description="The year scored.")
    scored_on: date = Field(description="Date of the scoring meeting (ngày họp chấm điểm).")
    ranking: list[RankedScore] = Field(min_length=1, description="Every member of the year, best first.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "cluster_id": _CLUSTER_EXAMPLE_ID,
                    "year": 2024,
                    "scored_on": "2024-12-18",
                    "ranking": [
                        {
                            "rank": 1,
                            "unit_id": "vien-hoa-chat",
                            "score": 96.5,
                            "women_share_percent": 72.0,
                            "women_preferred": True,
                        },
                        {
                            "rank": 2,
                            "unit_id": "vien-ccs",
                            "score": 96.5,
                            "women_share_percent": 55.0,
                            "women_preferred": False,
                        },
                        {
                            "rank": 3,
                            "unit_id": "vien-nang-luong",
                            "score": 94.0,
                            "women_share_percent": None,
                            "women_preferred": False,
                        },
                        {
                            "rank": 4,
                            "unit_id": "vien-co-khi",
                            "score": 90.25,
                            "women_share_percent": None,
                            "women_preferred": False,
                        },
                    ],
                }
            ]
        }
    )


__all__ = [
    "ClauseAssessment",
    "ClauseResult",
    "Clause",
    "CloseTrigger",
    "ClusterFormed",
    "ClusterKind",
    "ClusterLeadAssigned",
    "ClusterMembershipChanged",
    "ClusterScored",
    "IndividualRegistration",
    "Launcher",
    "MovementAmended",
    "MovementClosed",
    "MovementKind",
    "MovementLaunched",
    "MovementReviewed",
    "PLEDGE_2024_CLAUSES",
    "Party",
    "Percent",
    "PledgeReviewed",
    "PledgeSigned",
    "RankedScore",
    "RegistrationSubmitted",
    "RegistrationWithdrawn",
    "ReviewKind",
    "Score",
    "Signatory",
    "TargetMet",
    "TargetMetric",
    "TargetMissed",
    "TargetProgressed",
    "TargetSet",
    "TrainingCompletionReported",
    "UnitScope",
    "YearClosed",
]
