"""The Ministry of Industry and Trade's organisation, as a tree of unit templates.

The kinds of units are the Ministry's (Nghị định 96/2022/NĐ-CP on its
functions lists them): advisory departments (Vụ), the Office and the
Inspectorate, agencies (Cục), the General Department of Market Surveillance
(Tổng cục Quản lý thị trường, with its provincial Cục and their teams),
research institutes (Viện), universities and colleges (Trường), state
corporations (Tổng công ty), the press, a centre, and the Ministry's trade
union. Names are the Ministry's as of 2023; sub-units (phòng, khoa, đội,
công ty) are typical of each kind, not a transcript of any decision.

``family`` says what a unit's staff do, which decides their positions, staff
category and whether they teach (schools), work in hazardous jobs
(corporations' plants) or inspect markets. ``weight`` is the unit's share of
the staff: universities and corporations are the big employers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

MINISTRY_FOUNDED = date(2007, 8, 5)
"""Bộ Công Thương: established by Nghị quyết 01/2007/QH12 merging the ministries of Industry and Trade."""

DEFAULT_ESTABLISHED = date(2008, 1, 1)
"""Established on in the records for units older than the Ministry's current tree (re-established under it)."""


@dataclass(frozen=True)
class UnitTemplate:
    """A unit to create: its code, name, kind (units vocabulary), family and children."""

    code: str
    name: str
    kind: str
    family: str
    weight: float = 1.0
    established_on: date = DEFAULT_ESTABLISHED
    decision_number: str | None = None
    children: tuple[UnitTemplate, ...] = field(default_factory=tuple)


def _u(code: str, name: str, kind: str, family: str, weight: float = 1.0, *children: UnitTemplate,
       established_on: date = DEFAULT_ESTABLISHED, decision_number: str | None = None) -> UnitTemplate:
    return UnitTemplate(code, name, kind, family, weight, established_on, decision_number, tuple(children))


def _phong(code: str, name: str, family: str = "admin", weight: float = 0.6) -> UnitTemplate:
    return _u(code, name, "phong", family, weight)


def _khoa(code: str, name: str, weight: float = 2.0) -> UnitTemplate:
    # A faculty (khoa) is an academic unit the units vocabulary has no word for: kind "khac".
    return _u(code, name, "khac", "school", weight)


MINISTRY = _u(
    "BCT", "Bộ Công Thương", "bo", "leadership", 0.3,
    # ---- advisory departments (Vụ), Office, Inspectorate
    _u("VTCCB", "Vụ Tổ chức cán bộ", "vu", "admin", 0.8),
    _u("VPC", "Vụ Pháp chế", "vu", "admin", 0.6),
    _u("VKHTC", "Vụ Kế hoạch - Tài chính", "vu", "admin", 0.7),
    _u("VKHCN", "Vụ Khoa học và Công nghệ", "vu", "admin", 0.6),
    _u("VCSTM", "Vụ Chính sách thương mại đa biên", "vu", "admin", 0.5),
    _u("VTTCA", "Vụ Thị trường châu Á - châu Phi", "vu", "admin", 0.5),
    _u("VTTAM", "Vụ Thị trường châu Âu - châu Mỹ", "vu", "admin", 0.5),
    _u("VDKT", "Vụ Dầu khí và Than", "vu", "admin", 0.5),
    _u("VTTTN", "Vụ Thị trường trong nước", "vu", "admin", 0.5),
    _u("VPB", "Văn phòng Bộ", "van_phong", "admin", 0.8,
       _phong("VPB-HC", "Phòng Hành chính"),
       _phong("VPB-TH", "Phòng Tổng hợp"),
       _phong("VPB-QT", "Phòng Quản trị"),
       _phong("VPB-TDKT", "Phòng Thi đua - Khen thưởng")),
    _u("TTRA", "Thanh tra Bộ", "thanh_tra", "admin", 0.7),
    # ---- agencies (Cục) with their divisions (phòng)
    _u("CXNK", "Cục Xuất nhập khẩu", "cuc", "admin", 0.8,
       _phong("CXNK-HH", "Phòng Quản lý xuất nhập khẩu hàng hóa"),
       _phong("CXNK-XX", "Phòng Xuất xứ hàng hóa")),
    _u("CCN", "Cục Công nghiệp", "cuc", "admin", 0.6,
       _phong("CCN-CNN", "Phòng Công nghiệp nặng"),
       _phong("CCN-CNNH", "Phòng Công nghiệp nhẹ")),
    _u("CDL", "Cục Điện lực và Năng lượng tái tạo", "cuc", "admin", 0.6,
       _phong("CDL-NLTT", "Phòng Năng lượng tái tạo"),
       _phong("CDL-QH", "Phòng Quản lý quy hoạch điện lực")),
    _u("CHC", "Cục Hóa chất", "cuc", "admin", 0.5,
       _phong("CHC-QLHC", "Phòng Quản lý hóa chất")),
    _u("CKTAT", "Cục Kỹ thuật an toàn và Môi trường công nghiệp", "cuc", "admin", 0.6,
       _phong("CKTAT-AT", "Phòng Quản lý an toàn điện"),
       _phong("CKTAT-MT", "Phòng Môi trường công nghiệp")),
    _u("CPVTM", "Cục Phòng vệ thương mại", "cuc", "admin", 0.5,
       _phong("CPVTM-DT", "Phòng Điều tra chống bán phá giá")),
    _u("CTMDT", "Cục Thương mại điện tử và Kinh tế số", "cuc", "admin", 0.5,
       _phong("CTMDT-QL", "Phòng Quản lý thương mại điện tử")),
    _u("CXTTM", "Cục Xúc tiến thương mại", "cuc", "admin", 0.6,
       _phong("CXTTM-XT", "Phòng Xúc tiến thương mại"),
       _u("CXTTM-TT", "Trung tâm Hỗ trợ xuất khẩu", "trung_tam", "admin", 0.5)),
    _u("CDTDL", "Cục Điều tiết điện lực", "cuc", "admin", 0.6,
       _phong("CDTDL-TTD", "Phòng Thị trường điện"),
       _phong("CDTDL-GD", "Phòng Giá điện")),
    _u("CCTDP", "Cục Công Thương địa phương", "cuc", "admin", 0.5,
       _phong("CCTDP-KC", "Phòng Khuyến công")),
    # ---- the General Department of Market Surveillance, its provincial Cục and their teams
    _u("TCQLTT", "Tổng cục Quản lý thị trường", "tong_cuc", "market", 1.0,
       _u("TCQLTT-NV", "Cục Nghiệp vụ quản lý thị trường", "cuc", "market", 0.8),
       _u("QLTT-HN", "Cục Quản lý thị trường thành phố Hà Nội", "cuc", "market", 0.8,
          _u("QLTT-HN-D1", "Đội Quản lý thị trường số 1", "khac", "market", 1.0),
          _u("QLTT-HN-D2", "Đội Quản lý thị trường số 2", "khac", "market", 1.0)),
       _u("QLTT-HCM", "Cục Quản lý thị trường Thành phố Hồ Chí Minh", "cuc", "market", 0.8,
          _u("QLTT-HCM-D1", "Đội Quản lý thị trường số 1", "khac", "market", 1.0),
          _u("QLTT-HCM-D2", "Đội Quản lý thị trường số 2", "khac", "market", 1.0)),
       _u("QLTT-DN", "Cục Quản lý thị trường thành phố Đà Nẵng", "cuc", "market", 0.6,
          _u("QLTT-DN-D1", "Đội Quản lý thị trường số 1", "khac", "market", 0.8)),
       _u("QLTT-HP", "Cục Quản lý thị trường thành phố Hải Phòng", "cuc", "market", 0.6,
          _u("QLTT-HP-D1", "Đội Quản lý thị trường số 1", "khac", "market", 0.8)),
       _u("QLTT-NA", "Cục Quản lý thị trường tỉnh Nghệ An", "cuc", "market", 0.6,
          _u("QLTT-NA-D1", "Đội Quản lý thị trường số 1", "khac", "market", 0.8)),
       _u("QLTT-CT", "Cục Quản lý thị trường thành phố Cần Thơ", "cuc", "market", 0.6,
          _u("QLTT-CT-D1", "Đội Quản lý thị trường số 1", "khac", "market", 0.8))),
    # ---- research institutes (Viện)
    _u("VNCCL", "Viện Nghiên cứu Chiến lược, chính sách Công Thương", "vien", "institute", 0.8),
    _u("VHHCN", "Viện Hóa học Công nghiệp Việt Nam", "vien", "institute", 1.0,
       _u("VHHCN-TTCN", "Trung tâm Công nghệ hóa dầu", "trung_tam", "institute", 0.8)),
    _u("VCKNL", "Viện Cơ khí Năng lượng và Mỏ", "vien", "institute", 0.9),
    _u("VNL", "Viện Năng lượng", "vien", "institute", 0.9,
       _u("VNL-NLTT", "Trung tâm Năng lượng tái tạo", "trung_tam", "institute", 0.7)),
    _u("VNCCK", "Viện Nghiên cứu Cơ khí", "vien", "institute", 1.0,
       _u("VNCCK-TT", "Trung tâm Kỹ thuật cơ khí chính xác", "trung_tam", "institute", 0.7)),
    _u("VCNTP", "Viện Công nghiệp Thực phẩm", "vien", "institute", 0.8),
    _u("VMDC", "Viện Máy và Dụng cụ công nghiệp", "vien", "institute", 0.7),
    # ---- universities and colleges (Trường), with faculties (khoa) and offices (phòng)
    _u("DHCNHN", "Trường Đại học Công nghiệp Hà Nội", "truong", "school", 3.0,
       _khoa("DHCNHN-CK", "Khoa Cơ khí"),
       _khoa("DHCNHN-D", "Khoa Điện"),
       _khoa("DHCNHN-CNTT", "Khoa Công nghệ thông tin"),
       _khoa("DHCNHN-KT", "Khoa Kế toán - Kiểm toán"),
       _phong("DHCNHN-DT", "Phòng Đào tạo", "school", 1.0)),
    _u("DHCNHCM", "Trường Đại học Công nghiệp Thành phố Hồ Chí Minh", "truong", "school", 3.0,
       _khoa("DHCNHCM-D", "Khoa Công nghệ Điện"),
       _khoa("DHCNHCM-HH", "Khoa Công nghệ Hóa học"),
       _khoa("DHCNHCM-QT", "Khoa Quản trị kinh doanh"),
       _phong("DHCNHCM-DT", "Phòng Đào tạo", "school", 1.0)),
    _u("DHDL", "Trường Đại học Điện lực", "truong", "school", 2.0,
       _khoa("DHDL-KTD", "Khoa Kỹ thuật điện"),
       _khoa("DHDL-NLTT", "Khoa Năng lượng tái tạo"),
       _phong("DHDL-DT", "Phòng Đào tạo", "school", 0.8)),
    _u("DHCTHCM", "Trường Đại học Công Thương Thành phố Hồ Chí Minh", "truong", "school", 2.0,
       _khoa("DHCTHCM-TP", "Khoa Công nghệ Thực phẩm"),
       _khoa("DHCTHCM-SH", "Khoa Công nghệ Sinh học")),
    _u("DHSD", "Trường Đại học Sao Đỏ", "truong", "school", 1.5,
       _khoa("DHSD-D", "Khoa Điện"),
       _khoa("DHSD-CK", "Khoa Cơ khí")),
    _u("DHKTKTCN", "Trường Đại học Kinh tế - Kỹ thuật Công nghiệp", "truong", "school", 1.8,
       _khoa("DHKTKTCN-KT", "Khoa Kinh tế"),
       _khoa("DHKTKTCN-DT", "Khoa Điện tử")),
    _u("DHCNVT", "Trường Đại học Công nghiệp Việt Trì", "truong", "school", 1.2,
       _khoa("DHCNVT-HH", "Khoa Hóa học")),
    _u("DHCNQN", "Trường Đại học Công nghiệp Quảng Ninh", "truong", "school", 1.2,
       _khoa("DHCNQN-MO", "Khoa Mỏ và Công trình")),
    _u("CDCT", "Trường Cao đẳng Kỹ thuật Cao Thắng", "truong", "school", 1.2),
    _u("CDCNH", "Trường Cao đẳng Công nghiệp Huế", "truong", "school", 0.9),
    _u("CDCTHCM", "Trường Cao đẳng Công Thương Thành phố Hồ Chí Minh", "truong", "school", 0.9),
    _u("CDCNCP", "Trường Cao đẳng Công nghiệp Cẩm Phả", "truong", "school", 0.8),
    # ---- state corporations (Tổng công ty) and their companies
    _u("VINATABA", "Tổng công ty Thuốc lá Việt Nam", "tong_cong_ty", "corporation", 1.5,
       _u("VINATABA-TL", "Công ty TNHH MTV Thuốc lá Thăng Long", "khac", "corporation", 2.0),
       _u("VINATABA-SG", "Công ty TNHH MTV Thuốc lá Sài Gòn", "khac", "corporation", 2.0),
       _u("VINATABA-VKT", "Viện Kinh tế Kỹ thuật Thuốc lá", "vien", "institute", 0.6)),
    _u("MIE", "Tổng công ty Máy và Thiết bị công nghiệp", "tong_cong_ty", "corporation", 1.0,
       _u("MIE-CKHN", "Công ty Cơ khí Hà Nội", "khac", "corporation", 1.5)),
    _u("VINAPACO", "Tổng công ty Giấy Việt Nam", "tong_cong_ty", "corporation", 1.0,
       _u("VINAPACO-BB", "Nhà máy Giấy Bãi Bằng", "khac", "corporation", 2.0)),
    # ---- press, a centre, the trade union
    _u("BAOCT", "Báo Công Thương", "bao_tap_chi", "press", 0.8),
    _u("TCCT", "Tạp chí Công Thương", "bao_tap_chi", "press", 0.5),
    _u("TTTT", "Trung tâm Thông tin Công nghiệp và Thương mại", "trung_tam", "press", 0.5),
    _u("CDBCT", "Công đoàn Bộ Công Thương", "cong_doan", "union", 0.4),
    established_on=MINISTRY_FOUNDED,
    decision_number="01/2007/QH12",
)


def flatten(root: UnitTemplate = MINISTRY) -> list[tuple[UnitTemplate, str | None]]:
    """Every template with its parent's code, parents first (the order the importer applies anyway)."""
    out: list[tuple[UnitTemplate, str | None]] = []

    def walk(node: UnitTemplate, parent: str | None) -> None:
        out.append((node, parent))
        for child in node.children:
            walk(child, node.code)

    walk(root, None)
    return out


# Positions by family: (title of the head, deputies, the rest with weights).
POSITIONS: dict[str, tuple[str, str, tuple[tuple[str, float], ...]]] = {
    "leadership": ("Thứ trưởng", "Thứ trưởng", (
        ("Trợ lý Bộ trưởng", 1), ("Thư ký Thứ trưởng", 2), ("Chuyên viên cao cấp", 2), ("Chuyên viên chính", 3))),
    "admin": ("Trưởng đơn vị", "Phó Trưởng đơn vị", (
        ("Chuyên viên cao cấp", 1), ("Chuyên viên chính", 4), ("Chuyên viên", 8), ("Cán sự", 1),
        ("Nhân viên", 1))),
    "market": ("Trưởng đơn vị", "Phó Trưởng đơn vị", (
        ("Kiểm soát viên chính thị trường", 3), ("Kiểm soát viên thị trường", 8),
        ("Kiểm soát viên trung cấp thị trường", 2))),
    "institute": ("Viện trưởng", "Phó Viện trưởng", (
        ("Nghiên cứu viên cao cấp", 1), ("Nghiên cứu viên chính", 3), ("Nghiên cứu viên", 6), ("Kỹ sư", 4),
        ("Kỹ thuật viên", 2))),
    "school": ("Trưởng đơn vị", "Phó Trưởng đơn vị", (
        ("Giảng viên cao cấp", 1), ("Giảng viên chính", 4), ("Giảng viên", 9), ("Chuyên viên", 2),
        ("Nhân viên", 1))),
    "corporation": ("Giám đốc", "Phó Giám đốc", (
        ("Kỹ sư", 4), ("Công nhân kỹ thuật", 9), ("Nhân viên", 3), ("Chuyên viên", 2))),
    "press": ("Trưởng đơn vị", "Phó Trưởng đơn vị", (
        ("Biên tập viên", 5), ("Phóng viên", 6), ("Kỹ thuật viên", 1), ("Chuyên viên", 2))),
    "union": ("Chủ tịch", "Phó Chủ tịch", (("Chuyên viên", 4), ("Nhân viên", 1))),
}

HEAD_TITLES: dict[str, str] = {
    "bo": "Thứ trưởng",
    "vu": "Vụ trưởng",
    "van_phong": "Chánh Văn phòng",
    "thanh_tra": "Chánh Thanh tra",
    "cuc": "Cục trưởng",
    "tong_cuc": "Tổng cục trưởng",
    "vien": "Viện trưởng",
    "truong": "Hiệu trưởng",
    "tong_cong_ty": "Tổng Giám đốc",
    "bao_tap_chi": "Tổng Biên tập",
    "trung_tam": "Giám đốc",
    "cong_doan": "Chủ tịch Công đoàn",
    "phong": "Trưởng phòng",
    "khac": "Trưởng đơn vị",
}
"""The head's title by unit kind; the family's head title is the fallback (a khoa's head is Trưởng khoa…).

The Ministry's own staff are its leadership's office: a Deputy Minister (fictional, as every generated
person) heads them; the Minister is named only where the article names him."""

DEPUTY_TITLES: dict[str, str] = {
    "vu": "Phó Vụ trưởng",
    "van_phong": "Phó Chánh Văn phòng",
    "thanh_tra": "Phó Chánh Thanh tra",
    "cuc": "Phó Cục trưởng",
    "tong_cuc": "Phó Tổng cục trưởng",
    "vien": "Phó Viện trưởng",
    "truong": "Phó Hiệu trưởng",
    "tong_cong_ty": "Phó Tổng Giám đốc",
    "bao_tap_chi": "Phó Tổng Biên tập",
    "trung_tam": "Phó Giám đốc",
    "cong_doan": "Phó Chủ tịch Công đoàn",
    "phong": "Phó Trưởng phòng",
}


def head_title(template: UnitTemplate) -> str:
    """How the head of this unit is called."""
    if template.name.startswith("Khoa "):
        return "Trưởng khoa"
    if template.name.startswith("Đội "):
        return "Đội trưởng"
    if template.name.startswith(("Công ty", "Nhà máy")):
        return "Giám đốc"
    return HEAD_TITLES.get(template.kind, POSITIONS[template.family][0])


def deputy_title(template: UnitTemplate) -> str:
    """How a deputy head of this unit is called."""
    if template.name.startswith("Khoa "):
        return "Phó Trưởng khoa"
    if template.name.startswith("Đội "):
        return "Phó Đội trưởng"
    if template.name.startswith(("Công ty", "Nhà máy")):
        return "Phó Giám đốc"
    return DEPUTY_TITLES.get(template.kind, POSITIONS[template.family][1])


STAFF_CATEGORY: dict[str, str] = {
    "leadership": "cong_chuc",
    "admin": "cong_chuc",
    "market": "cong_chuc",
    "institute": "vien_chuc",
    "school": "vien_chuc",
    "press": "vien_chuc",
    "corporation": "nguoi_lao_dong",
    "union": "can_bo",
}
"""Civil servants in the State administration, public employees in public service units, workers in the
corporations; the union's elected officials are cán bộ."""
