"""Shared vocabularies of the domain, with their Vietnamese legal terms.

Enum values are short, stable codes (they appear in events and JSON); the
``label_vi`` of each member is the term as the law writes it.
"""

from __future__ import annotations

from enum import StrEnum


class Labelled(StrEnum):
    """A code with its Vietnamese label: the base of every vocabulary in the system."""

    label_vi: str

    def __new__(cls, code: str, label_vi: str) -> "Labelled":
        member = str.__new__(cls, code)
        member._value_ = code
        member.label_vi = label_vi
        return member


class Grade(Labelled):
    """Annual evaluation grade (xếp loại chất lượng hằng năm), NĐ 90/2020."""

    EXCELLENT = "HTXS", "Hoàn thành xuất sắc nhiệm vụ"
    GOOD = "HTT", "Hoàn thành tốt nhiệm vụ"
    COMPLETED = "HT", "Hoàn thành nhiệm vụ"
    NOT_COMPLETED = "KHT", "Không hoàn thành nhiệm vụ"

    @property
    def rank(self) -> int:
        """3 for excellent down to 0 for not completed; compare grades with it."""
        return {"HTXS": 3, "HTT": 2, "HT": 1, "KHT": 0}[self.value]


class Sex(Labelled):
    """Giới tính."""

    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class StaffCategory(Labelled):
    """Kind of staff member."""

    CADRE = "can_bo", "Cán bộ"
    CIVIL_SERVANT = "cong_chuc", "Công chức"
    PUBLIC_EMPLOYEE = "vien_chuc", "Viên chức"
    WORKER = "nguoi_lao_dong", "Người lao động"


class PersonCategory(Labelled):
    """An individual recipient's category in the statistical forms 0602/0603 (TT 02/2023/TT-BNV), from the
    person's post at the time of the award."""

    MINISTRY_LEADER = "lanh_dao_bo", "Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên"
    DEPARTMENT_LEADER = "lanh_dao_vu", "Lãnh đạo cấp vụ, sở, ngành và tương đương"
    BUSINESS_PERSON = "doanh_nhan", "Doanh nhân"
    OTHER_LEADER = "lanh_dao_khac", "Các cấp lãnh đạo khác từ phó phòng trở lên"
    DIRECT_WORKER = "truc_tiep", "Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu"


class SubmittingBody(Labelled):
    """Who issued the tờ trình to the Prime Minister for a state-level award (form 0602, rows 2–3)."""

    CENTRAL_BODY = "bo_nganh", "Bộ, ban, ngành, đoàn thể Trung ương"
    PROVINCE = "tinh", "Tỉnh, thành phố trực thuộc Trung ương"


class UnitKind(Labelled):
    """Kind of organisational unit under a ministry."""

    MINISTRY = "bo", "Bộ"
    DEPARTMENT = "vu", "Vụ"
    GENERAL_DEPARTMENT = "tong_cuc", "Tổng cục"
    AGENCY = "cuc", "Cục"
    OFFICE = "van_phong", "Văn phòng"
    INSPECTORATE = "thanh_tra", "Thanh tra"
    INSTITUTE = "vien", "Viện"
    SCHOOL = "truong", "Trường"
    CORPORATION = "tong_cong_ty", "Tổng công ty"
    GROUP = "tap_doan", "Tập đoàn"
    NEWSPAPER = "bao_tap_chi", "Báo, tạp chí"
    TRADE_UNION = "cong_doan", "Công đoàn"
    CENTRE = "trung_tam", "Trung tâm"
    DIVISION = "phong", "Phòng"
    OTHER = "khac", "Khác"


class InitiativeKind(Labelled):
    """A recognised initiative or a scientific work."""

    INITIATIVE = "sang_kien", "Sáng kiến"
    RESEARCH = "de_tai", "Đề tài, đề án, công trình khoa học"


class Level(Labelled):
    """Scope at which an initiative or research is recognised."""

    GRASSROOTS = "co_so", "Cấp cơ sở"
    MINISTRY = "bo", "Cấp bộ"
    NATIONAL = "toan_quoc", "Cấp toàn quốc"


class DisciplineForm(Labelled):
    """Hình thức kỷ luật, from lightest to heaviest."""

    REPRIMAND = "khien_trach", "Khiển trách"
    WARNING = "canh_cao", "Cảnh cáo"
    SALARY_DOWNGRADE = "ha_bac_luong", "Hạ bậc lương"
    DEMOTION = "giang_chuc", "Giáng chức"
    DISMISSAL_FROM_POST = "cach_chuc", "Cách chức"
    FORCED_RESIGNATION = "buoc_thoi_viec", "Buộc thôi việc"

    @property
    def severity(self) -> int:
        """1 for a reprimand up to 6 for forced resignation."""
        return list(DisciplineForm).index(self) + 1


class Authority(Labelled):
    """Who decides a title or an award."""

    UNIT_HEAD = "unit_head", "Thủ trưởng đơn vị"
    MINISTER = "minister", "Bộ trưởng"
    PRIME_MINISTER = "prime_minister", "Thủ tướng Chính phủ"
    PRESIDENT = "president", "Chủ tịch nước"
    OTHER_MINISTRY = "other_ministry", "Bộ, ngành khác"


class RecipientKind(Labelled):
    """Whether a title or award goes to a person, a collective or a household (Law 2022 Art. 2)."""

    INDIVIDUAL = "individual", "Cá nhân"
    COLLECTIVE = "collective", "Tập thể"
    HOUSEHOLD = "household", "Hộ gia đình"
