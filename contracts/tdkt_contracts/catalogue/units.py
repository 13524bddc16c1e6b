"""Public events of the units context: the organisation tree of the ministry,
the people in it, their annual grades, their discipline and their recognised
initiatives.

Event types (version 1 unless said). Subject = the aggregate id, also the Kafka key.

Unit stream (subject ``unit_id``), public, topic ``tdkt.units.events``:
  ``vn.tdkt.units.unit.established``            UnitEstablished
  ``vn.tdkt.units.unit.renamed``                UnitRenamed
  ``vn.tdkt.units.unit.moved``                  UnitMoved
  ``vn.tdkt.units.unit.merged``                 UnitMerged
  ``vn.tdkt.units.unit.dissolved``              UnitDissolved
  ``vn.tdkt.units.unit.evaluation-recorded``    UnitEvaluationRecorded
  ``vn.tdkt.units.unit.evaluation-corrected``   UnitEvaluationCorrected

Person stream (subject ``person_id``), public, topic ``tdkt.units.events``:
  ``vn.tdkt.units.person.enrolled``             PersonEnrolled (version 2; v1: PersonEnrolledV1)
  ``vn.tdkt.units.person.transferred``          PersonTransferred
  ``vn.tdkt.units.person.left``                 PersonLeft
  ``vn.tdkt.units.person.evaluation-recorded``  PersonEvaluationRecorded
  ``vn.tdkt.units.person.evaluation-corrected`` PersonEvaluationCorrected

Person stream, **internal**, topic ``tdkt.units.internal``:
  ``vn.tdkt.units.person.profile-recorded``     PersonProfileRecorded
  ``vn.tdkt.units.person.discipline-imposed``   DisciplineImposed
  ``vn.tdkt.units.person.discipline-ended``     DisciplineEnded

Initiative stream (subject ``initiative_id``), public:
  ``vn.tdkt.units.initiative.recognized``       InitiativeRecognized

Naming: ``vn.tdkt.units.<aggregate>.<fact>``, where ``<aggregate>`` is the
stream the event belongs to. There are three aggregates: a unit (đơn vị), a
person (cán bộ, công chức, viên chức, người lao động) and a recognised
initiative or research work (sáng kiến, đề tài). Annual grades live in the
stream of their subject (``person.evaluation-recorded`` on the person's
stream, ``unit.evaluation-recorded`` on the unit's), so one grade per subject
per year is checked inside one aggregate.

Dates and their meaning:

- ``effective_on`` is the first day a change is in force (ngày có hiệu lực):
  a unit is active from ``UnitEstablished.effective_on`` up to the day before
  its ``UnitMerged`` / ``UnitDissolved`` ``effective_on``; a person is in a
  unit from ``PersonEnrolled`` / ``PersonTransferred`` ``effective_on`` up to
  the day before the next transfer or ``PersonLeft.effective_on``. The tree
  "as of a date" and the name of a unit in a given year are computed by
  folding these events by ``effective_on``.
- A discipline period is inclusive: it is in force from ``starts_on`` to
  ``ends_on`` (both days included), or to ``DisciplineEnded.ended_on`` if that
  comes first.

Merges: a merged unit keeps its id and history; its people are not moved by
separate events. From the merge date on, whoever is recorded in the merged
unit counts under ``UnitMerged.into_unit_id`` (follow the chain if that one
was merged too). A unit with sub-units cannot be merged or dissolved; the
sub-units are moved first (``UnitMoved``), so the tree stays a tree. A unit
that still has people cannot be dissolved either.

Which unit a person belongs to for a year (``PersonEvaluationRecorded.unit_id``,
headcount): the unit on 31 December, or on their last day if they left during
the year, resolved through merges on that day.

Discipline (kỷ luật) carries personal data (form, reason) and is
``audience = "internal"``: it is published on ``tdkt.units.internal`` only,
which the awards context (an internal service) reads to check eligibility
(form severity, period, annulment). No public summary is published. A
discipline ended with ``ending = "huy_bo"`` (annulled) is to be treated as
never having been in force.

A person's date of birth, sex and trade-union membership left the public
``person.enrolled`` in its version 2 (a version-1 event is upcast without
them): they are published with the enrolment as ``person.profile-recorded``
on ``tdkt.units.internal``; :func:`moved_to_internal` gives them from a
version-1 event for readers of that topic replaying history.

All text is Unicode NFC and trimmed (see :class:`tdkt_contracts.base.ContractModel`).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from pydantic import ConfigDict, Field

from ..base import EventPayload
from ..registry import register, upcaster
from ..vocabulary import (
    DisciplineForm,
    Grade,
    InitiativeKind,
    Level,
    Sex,
    StaffCategory,
    UnitKind,
    Labelled,
)

__all__ = [
    "DisciplineEnded",
    "DisciplineEnding",
    "DisciplineImposed",
    "InitiativeRecognized",
    "LeaveReason",
    "PROFILE_FIELDS",
    "PersonEnrolled",
    "PersonEnrolledV1",
    "PersonProfileRecorded",
    "PersonEvaluationCorrected",
    "PersonEvaluationRecorded",
    "PersonLeft",
    "PersonTransferred",
    "UnitDissolved",
    "UnitEstablished",
    "UnitEvaluationCorrected",
    "UnitEvaluationRecorded",
    "UnitMerged",
    "UnitMoved",
    "UnitRenamed",
    "UNITS_EVENTS",
    "moved_to_internal",
]


class LeaveReason(Labelled):
    """Why a person left the ministry's staff (lý do thôi công tác)."""

    RETIRED = "nghi_huu", "Nghỉ hưu"
    RESIGNED = "thoi_viec", "Thôi việc"
    TRANSFERRED_OUT = "chuyen_cong_tac", "Chuyển công tác ra ngoài Bộ"
    DISMISSED = "buoc_thoi_viec", "Buộc thôi việc"
    DECEASED = "tu_tran", "Từ trần"
    OTHER = "khac", "Khác"


class DisciplineEnding(Labelled):
    """How a discipline stopped being in force."""

    EXPIRED = "het_thoi_han", "Hết thời hạn kỷ luật"
    ANNULLED = "huy_bo", "Hủy bỏ quyết định kỷ luật"
    OTHER = "khac", "Khác"


# Field descriptions shared by several events.
_UNIT_ID = "Id of the unit (đơn vị); stable for the unit's whole life, across renames and moves."
_PERSON_ID = "Id of the person (cán bộ, công chức, viên chức, người lao động); stable for life."
_DECISION = "Number of the decision (số quyết định) behind this fact, e.g. '1234/QĐ-BCT', if known."
_YEAR = "Evaluation year (năm đánh giá, xếp loại)."


# --------------------------------------------------------------------------- units


class _UnitEvent(EventPayload):
    context: ClassVar[str] = "units"
    subject_field: ClassVar[str] = "unit_id"

    unit_id: str = Field(min_length=1, max_length=64, description=_UNIT_ID)


@register
class UnitEstablished(_UnitEvent):
    """A unit was established (thành lập đơn vị) under a parent unit, or at the top."""

    event_type: ClassVar[str] = "vn.tdkt.units.unit.established"

    code: str = Field(min_length=1, max_length=32, description="Short code of the unit (mã đơn vị), upper case, unique among active units.")
    name: str = Field(min_length=1, max_length=255, description="Full Vietnamese name (tên đơn vị) from this date.")
    kind: UnitKind = Field(description="Kind of unit (loại hình đơn vị): Vụ, Cục, Viện, Trường, …")
    parent_id: str | None = Field(
        default=None, description="Id of the parent unit (đơn vị cấp trên); null for a top-level unit such as the ministry itself."
    )
    effective_on: date = Field(description="Date of establishment (ngày thành lập): the first day the unit exists.")
    decision_number: str | None = Field(default=None, description=_DECISION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "u-vtccb",
                    "code": "VTCCB",
                    "name": "Vụ Tổ chức cán bộ",
                    "kind": "vu",
                    "parent_id": "u-bct",
                    "effective_on": "2017-06-01",
                    "decision_number": "1850/QĐ-BCT",
                }
            ]
        }
    )


@register
class UnitRenamed(_UnitEvent):
    """A unit got a new name (đổi tên đơn vị); it keeps its id, code and history."""

    event_type: ClassVar[str] = "vn.tdkt.units.unit.renamed"

    name: str = Field(min_length=1, max_length=255, description="The new full name (tên mới), in force from effective_on.")
    previous_name: str = Field(min_length=1, max_length=255, description="The name in force before (tên cũ).")
    effective_on: date = Field(description="First day the new name is in force (ngày có hiệu lực).")
    decision_number: str | None = Field(default=None, description=_DECISION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "u-vtdkt",
                    "name": "Vụ Thi đua – Khen thưởng và Truyền thông",
                    "previous_name": "Vụ Thi đua – Khen thưởng",
                    "effective_on": "2023-03-01",
                    "decision_number": "412/QĐ-BCT",
                }
            ]
        }
    )


@register
class UnitMoved(_UnitEvent):
    """A unit was placed under another parent unit (chuyển đơn vị trực thuộc)."""

    event_type: ClassVar[str] = "vn.tdkt.units.unit.moved"

    parent_id: str | None = Field(description="Id of the new parent unit (đơn vị cấp trên mới); null for top level.")
    previous_parent_id: str | None = Field(description="Id of the parent before the move; null if it was top level.")
    effective_on: date = Field(description="First day the unit is under the new parent (ngày có hiệu lực).")
    decision_number: str | None = Field(default=None, description=_DECISION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "u-ttcntt",
                    "parent_id": "u-cthtmdkt",
                    "previous_parent_id": "u-bct",
                    "effective_on": "2022-07-01",
                    "decision_number": "1320/QĐ-BCT",
                }
            ]
        }
    )


@register
class UnitMerged(_UnitEvent):
    """A unit was merged into another (sáp nhập): it ceases to exist from
    effective_on, and its people count under the absorbing unit from that day."""

    event_type: ClassVar[str] = "vn.tdkt.units.unit.merged"

    into_unit_id: str = Field(min_length=1, max_length=64, description="Id of the absorbing unit (đơn vị tiếp nhận).")
    effective_on: date = Field(description="First day the merge is in force; the merged unit is inactive from this day.")
    decision_number: str | None = Field(default=None, description=_DECISION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "u-vtdkt",
                    "into_unit_id": "u-vtccb",
                    "effective_on": "2023-09-01",
                    "decision_number": "2105/QĐ-BCT",
                }
            ]
        }
    )


@register
class UnitDissolved(_UnitEvent):
    """A unit was dissolved (giải thể): it ceases to exist from effective_on."""

    event_type: ClassVar[str] = "vn.tdkt.units.unit.dissolved"

    effective_on: date = Field(description="First day the unit no longer exists (ngày giải thể có hiệu lực).")
    decision_number: str | None = Field(default=None, description=_DECISION)
    reason: str | None = Field(default=None, max_length=2000, description="Why it was dissolved (lý do giải thể), if recorded.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "u-bqlda",
                    "effective_on": "2024-01-01",
                    "decision_number": "3001/QĐ-BCT",
                    "reason": "Hoàn thành nhiệm vụ của Ban Quản lý dự án",
                }
            ]
        }
    )


@register
class UnitEvaluationRecorded(_UnitEvent):
    """A unit's annual grade (xếp loại chất lượng tập thể) for one year. Once per unit per year."""

    event_type: ClassVar[str] = "vn.tdkt.units.unit.evaluation-recorded"

    year: int = Field(ge=1945, le=2100, description=_YEAR)
    grade: Grade = Field(description="The grade (mức xếp loại): HTXS, HTT, HT or KHT.")
    decision_number: str | None = Field(default=None, description=_DECISION)
    legal_basis: str | None = Field(
        default=None, max_length=255, description="Rule the grading followed (căn cứ pháp lý), e.g. 'NĐ 90/2020/NĐ-CP'."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "u-vtccb",
                    "year": 2023,
                    "grade": "HTXS",
                    "decision_number": "95/QĐ-BCT",
                    "legal_basis": "NĐ 90/2020/NĐ-CP, sửa đổi bởi NĐ 48/2023/NĐ-CP",
                }
            ]
        }
    )


@register
class UnitEvaluationCorrected(_UnitEvent):
    """A unit's recorded grade for a year was corrected (điều chỉnh kết quả xếp loại).
    The earlier grade is kept in history; this event supersedes it."""

    event_type: ClassVar[str] = "vn.tdkt.units.unit.evaluation-corrected"

    year: int = Field(ge=1945, le=2100, description=_YEAR)
    grade: Grade = Field(description="The corrected grade (mức xếp loại sau điều chỉnh).")
    previous_grade: Grade = Field(description="The grade in force before this correction.")
    reason: str = Field(min_length=1, max_length=2000, description="Why it was corrected (lý do điều chỉnh).")
    decision_number: str | None = Field(default=None, description=_DECISION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "unit_id": "u-vtccb",
                    "year": 2023,
                    "grade": "HTT",
                    "previous_grade": "HTXS",
                    "reason": "Kết luận kiểm tra cho thấy chưa đủ tiêu chí hoàn thành xuất sắc nhiệm vụ",
                    "decision_number": "210/QĐ-BCT",
                }
            ]
        }
    )


# --------------------------------------------------------------------------- people


class _PersonEvent(EventPayload):
    context: ClassVar[str] = "units"
    subject_field: ClassVar[str] = "person_id"

    person_id: str = Field(min_length=1, max_length=64, description=_PERSON_ID)


@register
class PersonEnrolledV1(_PersonEvent):
    """A person was entered in the staff records of a unit (ghi nhận cán bộ vào đơn vị). Version 1, superseded
    by version 2: it carried the date of birth, sex and union membership, which now travel on the internal
    topic (:class:`PersonProfileRecorded`)."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.enrolled"

    full_name: str = Field(min_length=1, max_length=100, description="Full Vietnamese name (họ và tên).")
    sex: Sex = Field(description="Sex (giới tính).")
    date_of_birth: date = Field(description="Date of birth (ngày sinh).")
    sector_joined_on: date = Field(description="Date the person joined the sector (ngày vào ngành); counts for long service.")
    unit_id: str = Field(min_length=1, max_length=64, description="Id of the unit the person works in from effective_on.")
    position: str = Field(min_length=1, max_length=150, description="Position (chức vụ), e.g. 'Chuyên viên chính', 'Phó Vụ trưởng'.")
    staff_category: StaffCategory = Field(description="Staff category: cán bộ, công chức, viên chức, người lao động.")
    union_member: bool = Field(description="Whether the person is a trade-union member (đoàn viên công đoàn).")
    effective_on: date = Field(description="First day the person is recorded in this unit.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000123",
                    "full_name": "Nguyễn Thị Hương",
                    "sex": "female",
                    "date_of_birth": "1985-04-12",
                    "sector_joined_on": "2008-09-01",
                    "unit_id": "u-vtccb",
                    "position": "Chuyên viên chính",
                    "staff_category": "cong_chuc",
                    "union_member": True,
                    "effective_on": "2019-01-01",
                }
            ]
        }
    )


@register
class PersonEnrolled(_PersonEvent):
    """A person was entered in the staff records of a unit (ghi nhận cán bộ vào đơn vị). Version 2: without the
    date of birth, sex and union membership (personal data other systems do not need; they travel on the
    internal topic as :class:`PersonProfileRecorded`)."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.enrolled"
    event_version: ClassVar[int] = 2

    full_name: str = Field(min_length=1, max_length=100, description="Full Vietnamese name (họ và tên).")
    sector_joined_on: date = Field(description="Date the person joined the sector (ngày vào ngành); counts for long service.")
    unit_id: str = Field(min_length=1, max_length=64, description="Id of the unit the person works in from effective_on.")
    position: str = Field(min_length=1, max_length=150, description="Position (chức vụ), e.g. 'Chuyên viên chính', 'Phó Vụ trưởng'.")
    staff_category: StaffCategory = Field(description="Staff category: cán bộ, công chức, viên chức, người lao động.")
    effective_on: date = Field(description="First day the person is recorded in this unit.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000123",
                    "full_name": "Nguyễn Thị Hương",
                    "sector_joined_on": "2008-09-01",
                    "unit_id": "u-vtccb",
                    "position": "Chuyên viên chính",
                    "staff_category": "cong_chuc",
                    "effective_on": "2019-01-01",
                }
            ]
        }
    )


PROFILE_FIELDS = ("sex", "date_of_birth", "union_member")
"""What left ``person.enrolled`` in version 2 for the internal topic."""


@upcaster("vn.tdkt.units.person.enrolled", 1)
def _enrolled_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 is version 1 without the profile fields (read them from :func:`moved_to_internal`)."""
    for name in PROFILE_FIELDS:
        data.pop(name, None)
    return data


@register
class PersonProfileRecorded(_PersonEvent):
    """A person's date of birth, sex and trade-union membership as recorded at enrolment (lý lịch).
    **Internal**: personal data the rules read (years of service by sex, age), not published."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.profile-recorded"
    audience: ClassVar[str] = "internal"

    sex: Sex = Field(description="Sex (giới tính).")
    date_of_birth: date = Field(description="Date of birth (ngày sinh).")
    union_member: bool = Field(description="Whether the person is a trade-union member (đoàn viên công đoàn).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"person_id": "p-000123", "sex": "female", "date_of_birth": "1985-04-12", "union_member": True}
            ]
        }
    )


def moved_to_internal(event_type: str, version: int, data: dict[str, Any]) -> list[EventPayload]:
    """The internal events an older public event stood for, besides what upcasting keeps: a version-1
    enrolment is also the person's profile. For the owner and the internal readers replaying history."""
    if event_type == PersonEnrolled.event_type and version == 1:
        return [PersonProfileRecorded(person_id=data["person_id"], **{k: data[k] for k in PROFILE_FIELDS})]
    return []


@register
class PersonTransferred(_PersonEvent):
    """A person moved to another unit of the ministry (điều động, luân chuyển)."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.transferred"

    from_unit_id: str = Field(min_length=1, max_length=64, description="Id of the unit the person was recorded in.")
    to_unit_id: str = Field(min_length=1, max_length=64, description="Id of the unit the person works in from effective_on.")
    position: str = Field(min_length=1, max_length=150, description="Position (chức vụ) in the new unit.")
    effective_on: date = Field(description="First day in the new unit (ngày có hiệu lực).")
    decision_number: str | None = Field(default=None, description=_DECISION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000123",
                    "from_unit_id": "u-vtccb",
                    "to_unit_id": "u-vtdkt",
                    "position": "Phó Vụ trưởng",
                    "effective_on": "2024-07-01",
                    "decision_number": "1502/QĐ-BCT",
                }
            ]
        }
    )


@register
class PersonLeft(_PersonEvent):
    """A person left the ministry's staff: retirement, resignation, transfer out, death…"""

    event_type: ClassVar[str] = "vn.tdkt.units.person.left"

    unit_id: str = Field(min_length=1, max_length=64, description="Id of the last unit the person was recorded in.")
    reason: LeaveReason = Field(description="Why the person left (lý do): nghỉ hưu, thôi việc, chuyển công tác, …")
    effective_on: date = Field(description="First day the person is no longer on the staff (e.g. the retirement date).")
    decision_number: str | None = Field(default=None, description=_DECISION)
    note: str | None = Field(default=None, max_length=2000, description="Free remark (ghi chú), if any.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000045",
                    "unit_id": "u-vtccb",
                    "reason": "nghi_huu",
                    "effective_on": "2024-10-01",
                    "decision_number": "1888/QĐ-BCT",
                    "note": "Nghỉ hưu theo chế độ",
                }
            ]
        }
    )


@register
class PersonEvaluationRecorded(_PersonEvent):
    """A person's annual grade (xếp loại chất lượng cán bộ, công chức, viên chức) for one year.
    Once per person per year; later changes are PersonEvaluationCorrected."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.evaluation-recorded"

    year: int = Field(ge=1945, le=2100, description=_YEAR)
    grade: Grade = Field(description="The grade (mức xếp loại): HTXS, HTT, HT or KHT.")
    unit_id: str = Field(
        min_length=1,
        max_length=64,
        description="Unit the person belonged to for that year: the unit on 31 December, or on the last day before "
        "leaving if they left during the year (the first known unit for years before enrolment).",
    )
    decision_number: str | None = Field(default=None, description=_DECISION)
    legal_basis: str | None = Field(
        default=None, max_length=255, description="Rule the grading followed (căn cứ pháp lý), e.g. 'NĐ 90/2020/NĐ-CP'."
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000123",
                    "year": 2023,
                    "grade": "HTXS",
                    "unit_id": "u-vtccb",
                    "decision_number": "97/QĐ-VTCCB",
                    "legal_basis": "NĐ 90/2020/NĐ-CP, sửa đổi bởi NĐ 48/2023/NĐ-CP",
                }
            ]
        }
    )


@register
class PersonEvaluationCorrected(_PersonEvent):
    """A person's recorded grade for a year was corrected (điều chỉnh kết quả xếp loại).
    The earlier grade is kept in history; this event supersedes it."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.evaluation-corrected"

    year: int = Field(ge=1945, le=2100, description=_YEAR)
    grade: Grade = Field(description="The corrected grade (mức xếp loại sau điều chỉnh).")
    previous_grade: Grade = Field(description="The grade in force before this correction.")
    unit_id: str = Field(min_length=1, max_length=64, description="Unit the person belonged to for that year (as when recorded).")
    reason: str = Field(min_length=1, max_length=2000, description="Why it was corrected (lý do điều chỉnh).")
    decision_number: str | None = Field(default=None, description=_DECISION)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000123",
                    "year": 2023,
                    "grade": "HTT",
                    "previous_grade": "HTXS",
                    "unit_id": "u-vtccb",
                    "reason": "Bị kỷ luật khiển trách trong năm 2023, không đủ điều kiện xếp loại hoàn thành xuất sắc",
                    "decision_number": "15/QĐ-VTCCB",
                }
            ]
        }
    )


@register
class DisciplineImposed(_PersonEvent):
    """A discipline (kỷ luật) was imposed on a person. Internal: personal data."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.discipline-imposed"
    audience: ClassVar[str] = "internal"

    discipline_id: str = Field(min_length=1, max_length=64, description="Id of this discipline, unique for the person.")
    form: DisciplineForm = Field(description="Form of discipline (hình thức kỷ luật), from khiển trách to buộc thôi việc.")
    reason: str = Field(min_length=1, max_length=2000, description="The violation (hành vi vi phạm) as the decision states it.")
    decision_number: str = Field(min_length=1, max_length=64, description="Number of the discipline decision (số quyết định kỷ luật).")
    decided_on: date = Field(description="Date of the decision (ngày ký quyết định).")
    starts_on: date = Field(description="First day the discipline is in force (ngày có hiệu lực).")
    ends_on: date | None = Field(
        default=None,
        description="Last day of the discipline period, inclusive (hết thời hạn kỷ luật); null when the form has no period.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000077",
                    "discipline_id": "kl-2024-003",
                    "form": "khien_trach",
                    "reason": "Vi phạm quy chế làm việc, chậm trễ xử lý hồ sơ",
                    "decision_number": "77/QĐ-VTCCB",
                    "decided_on": "2024-03-15",
                    "starts_on": "2024-03-15",
                    "ends_on": "2025-03-14",
                }
            ]
        }
    )


@register
class DisciplineEnded(_PersonEvent):
    """A discipline stopped being in force: it expired, or the decision was annulled. Internal."""

    event_type: ClassVar[str] = "vn.tdkt.units.person.discipline-ended"
    audience: ClassVar[str] = "internal"

    discipline_id: str = Field(min_length=1, max_length=64, description="Id of the discipline that ended.")
    ended_on: date = Field(description="Last day the discipline was in force, inclusive.")
    ending: DisciplineEnding = Field(
        description="How it ended: hết thời hạn (expired) or hủy bỏ (annulled: to be treated as never in force)."
    )
    note: str | None = Field(default=None, max_length=2000, description="Remark or number of the annulling decision, if any.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "person_id": "p-000077",
                    "discipline_id": "kl-2024-003",
                    "ended_on": "2025-03-14",
                    "ending": "het_thoi_han",
                    "note": "Hết thời hạn 12 tháng, không vi phạm thêm",
                }
            ]
        }
    )


# --------------------------------------------------------------------------- initiatives


@register
class InitiativeRecognized(EventPayload):
    """An initiative (sáng kiến) or research work (đề tài, đề án, công trình khoa học)
    was recognised at some level, with its authors."""

    event_type: ClassVar[str] = "vn.tdkt.units.initiative.recognized"
    context: ClassVar[str] = "units"
    subject_field: ClassVar[str] = "initiative_id"

    initiative_id: str = Field(min_length=1, max_length=64, description="Id of the initiative or research work.")
    kind: InitiativeKind = Field(description="Sáng kiến (initiative) or đề tài (research work).")
    level: Level = Field(description="Level of recognition (cấp công nhận): cơ sở, bộ, toàn quốc.")
    year: int = Field(ge=1945, le=2100, description="Year the initiative or research belongs to (năm áp dụng / nghiệm thu).")
    title: str = Field(min_length=1, max_length=500, description="Title (tên sáng kiến / đề tài).")
    decision_number: str = Field(min_length=1, max_length=64, description="Number of the recognition decision (quyết định công nhận).")
    decided_on: date = Field(description="Date of the recognition decision.")
    author_ids: list[str] = Field(min_length=1, description="Person ids of the authors (tác giả, đồng tác giả), lead author first.")
    unit_id: str = Field(min_length=1, max_length=64, description="Unit that proposed or applied it (đơn vị áp dụng).")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "initiative_id": "sk-2023-014",
                    "kind": "sang_kien",
                    "level": "co_so",
                    "year": 2023,
                    "title": "Số hóa quy trình xét tặng danh hiệu thi đua tại Vụ Tổ chức cán bộ",
                    "decision_number": "1120/QĐ-BCT",
                    "decided_on": "2023-11-20",
                    "author_ids": ["p-000123", "p-000045"],
                    "unit_id": "u-vtccb",
                }
            ]
        }
    )


UNITS_EVENTS: tuple[type[EventPayload], ...] = (
    UnitEstablished,
    UnitRenamed,
    UnitMoved,
    UnitMerged,
    UnitDissolved,
    UnitEvaluationRecorded,
    UnitEvaluationCorrected,
    PersonEnrolled,
    PersonTransferred,
    PersonLeft,
    PersonEvaluationRecorded,
    PersonEvaluationCorrected,
    PersonProfileRecorded,
    DisciplineImposed,
    DisciplineEnded,
    InitiativeRecognized,
)
"""Every event model of the units context, in the order of the table above."""
