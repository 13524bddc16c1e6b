"""The Ministry of Home Affairs' five annual statistical forms 0601.N–0605.N/BNV-TĐKT (Thông tư 02/2023/TT-BNV).
Pure: the forms as data, and their filling from the read models' rows.

Rows and columns are those of the transcription (../shared/domain/forms-tt02-2023.md,
confidence [S]): row codes as printed, gaps in numbering included. What the
events do not carry is never guessed: each breakdown the data cannot fill has
a row of its own, "Chưa phân loại" (not classified), so that every breakdown
still adds up to row 01 and the reader sees what is missing. A form is a dict:

- ``columns``: the numbered columns (``number`` as printed, ``group`` for a
  column pair such as Tập thể / Cá nhân under one award);
- ``rows``: ``{code, label, unit, kind, values}`` with ``kind`` one of
  ``total``, ``heading`` (no figures), ``line``, ``not_classified``;
- ``sums``: the additions the form promises (``total = sum(parts)`` per row
  and per column), which :func:`check_sums` verifies.

Which awards each form counts (from ``award_stats``' ``counted`` facts, :class:`FormFact`):

- 0602 (state level): ``conferred`` facts decided by the Prime Minister or the
  President, one column pair per award of :data:`STATE_COLUMNS`; any other code
  goes to "các hình thức khen thưởng khác";
- 0603 (ministry level): ``granted`` facts decided by the Minister whose code
  has a column of :data:`MINISTRY_COLUMNS` (the form has no other column).

0601 counts the movements running during the year (as ``/movements?year=``).
0604 and 0605 are the office's own reference data (``office.py``); without it
their figures are ``None`` (not recorded).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from .projections.award_stats import FormFact

CIRCULAR = "Ban hành theo Thông tư số 02/2023/TT-BNV ngày 23/3/2023"
RECEIVED_ON = "Ngày nhận báo cáo: Ngày 15 tháng 12 năm báo cáo"
RECEIVING_BODY = "Bộ Nội vụ"
NOT_CLASSIFIED = "Chưa phân loại"

STATE_AUTHORITIES = frozenset({"prime_minister", "president"})
MINISTRY_AUTHORITIES = frozenset({"minister"})


@dataclass(frozen=True)
class FormRow:
    """One printed row: its code ('' for a heading), label, unit of measure (column C) and kind."""

    code: str
    label: str
    unit: str = ""
    kind: str = "line"


@dataclass(frozen=True)
class FormColumn:
    """One numbered column; ``group`` heads a pair (an award split Tập thể / Cá nhân)."""

    key: str
    number: str
    label: str
    group: str = ""
    recipient_kind: str = ""


@dataclass(frozen=True)
class FormDef:
    """A form's layout and the additions it promises."""

    code: str
    title: str
    unit_of_measure: str
    rows: tuple[FormRow, ...]
    columns: tuple[FormColumn, ...]
    row_sums: tuple[tuple[str, tuple[str, ...]], ...]
    """(total row, its parts): for every column, the total's value is the parts' sum."""
    of_which: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(row, "trong đó" rows): the latter never exceed the former."""
    column_sum: tuple[str, tuple[str, ...]] | None = None
    """(total column, its parts): for every row, the total column is the parts' sum."""
    has_unit_column: bool = False
    notes: tuple[str, ...] = ()


def _h(label: str) -> FormRow:
    return FormRow("", label, kind="heading")


def _nc(code: str, label: str = NOT_CLASSIFIED, unit: str = "") -> FormRow:
    return FormRow(code, label, unit, kind="not_classified")


# --------------------------------------------------------------------------- 0601

MOVEMENT_LEVEL_COLUMN: dict[str, str] = {
    # Launcher (tdkt_contracts.catalogue.campaigns.Launcher) → column of 0601 [S]: the Government and the
    # Prime Minister launch nation-wide movements (organised by the Central Council); the Ministry and a
    # central socio-political organisation are "cấp bộ, ban ngành đoàn thể trung ương"; the Ministry's trade
    # union is an organisation of the Ministry ("cơ quan, tổ chức, đơn vị").
    "chinh_phu": "c2", "thu_tuong": "c2", "bo": "c3", "to_chuc_chinh_tri_xa_hoi": "c3", "cong_doan_bo": "c4",
}
NATIONAL_LAUNCHERS = frozenset({"chinh_phu", "thu_tuong"})

FORM_0601 = FormDef(
    code="0601.N/BNV-TĐKT",
    title="SỐ PHONG TRÀO THI ĐUA",
    unit_of_measure="Phong trào",
    rows=(
        FormRow("01", "Tổng số", kind="total"),
        _h("1. Chia theo phạm vi tổ chức thi đua"),
        FormRow("02", "Toàn quốc"),
        FormRow("03", "Bộ, ban, ngành đoàn thể, địa phương"),
        FormRow("04", "Cụm, khối thi đua do Hội đồng Thi đua – Khen thưởng các cấp tổ chức"),
        FormRow("05", "Cơ quan, tổ chức, đơn vị"),
        _nc("05.NC"),
        _h("2. Chia theo thời hạn thi đua"),
        FormRow("06", "Dưới 1 năm"),
        FormRow("07", "1 năm"),
        FormRow("08", "Từ 1 năm đến dưới 3 năm"),
        FormRow("09", "Từ 3 năm đến dưới 5 năm"),
        FormRow("10", "Từ 5 năm trở lên"),
        _nc("10.NC", "Chưa phân loại (không có ngày kết thúc)"),
        _h("3. Chia theo phương thức tổ chức phong trào thi đua"),
        FormRow("11", "Thi đua theo chuyên đề"),
        FormRow("12", "Thi đua thường xuyên hằng năm"),
    ),
    columns=(
        FormColumn("c1", "1", "Tổng số (1 = 2 + 3 + 4)"),
        FormColumn("c2", "2", "Cấp Trung ương (Hội đồng Thi đua – Khen thưởng Trung ương)"),
        FormColumn("c3", "3", "Cấp bộ, ban ngành đoàn thể trung ương, tỉnh, thành phố trực thuộc Trung ương"),
        FormColumn("c4", "4", "Cơ quan, tổ chức, đơn vị"),
    ),
    row_sums=(
        ("01", ("02", "03", "04", "05", "05.NC")),
        ("01", ("06", "07", "08", "09", "10", "10.NC")),
        ("01", ("11", "12")),
    ),
    column_sum=("c1", ("c2", "c3", "c4")),
    notes=(
        "Phong trào được tính: phong trào có thời gian thi đua trong năm báo cáo.",
        "Phạm vi: toàn quốc khi do Chính phủ, Thủ tướng Chính phủ phát động; toàn Bộ khi phạm vi là mọi đơn vị "
        "của Bộ; một danh sách đơn vị (có thể là cụm, khối) được ghi là chưa phân loại.",
    ),
)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def duration_row(start: date, end: date | None) -> str:
    """The 0601 row of a movement's duration: 06 under a year, 07 exactly one, 08–10 longer; open-ended:
    not classified."""
    if end is None:
        return "10.NC"
    after = end + timedelta(days=1)  # the period is inclusive of its last day
    if after < add_years(start, 1):
        return "06"
    if after == add_years(start, 1):
        return "07"
    if after < add_years(start, 3):
        return "08"
    if after < add_years(start, 5):
        return "09"
    return "10"


def scope_row(launched_by: str, all_units: bool) -> str:
    """The 0601 row of a movement's scope (see the form's notes)."""
    if launched_by in NATIONAL_LAUNCHERS:
        return "02"
    if all_units:
        return "03"
    return "05.NC"


def fill_0601(movements: Iterable[Mapping[str, Any]], year: int) -> dict[str, dict[str, int]]:
    """Row code → column → count, for the movements running during ``year`` (rows of ``movements``:
    launched_by, kind, all_units, period_start, period_end)."""
    values = _zeros(FORM_0601)
    first, last = date(year, 1, 1), date(year, 12, 31)
    for m in movements:
        if m["period_start"] > last or (m["period_end"] is not None and m["period_end"] < first):
            continue
        column = MOVEMENT_LEVEL_COLUMN[m["launched_by"]]
        rows = ("01", scope_row(m["launched_by"], bool(m["all_units"])),
                duration_row(m["period_start"], m["period_end"]), "11" if m["kind"] == "chuyen_de" else "12")
        for code in rows:
            values[code][column] += 1
    return _with_column_total(FORM_0601, values)


# --------------------------------------------------------------------------- 0602, 0603

RECIPIENT_ROWS_0602 = (
    _h("2. Chia theo đối tượng khen thưởng"),
    FormRow("6", "Tập thể", "Tập thể"),
    FormRow("7", "Trong đó: Doanh nghiệp", "Doanh nghiệp"),
    _nc("7.NC", "Trong đó: chưa phân loại doanh nghiệp hay không", "Tập thể"),
    FormRow("8", "Hộ gia đình", "Hộ"),
    FormRow("9", "Cá nhân", "Người"),
    FormRow("10", "+ Lãnh đạo cấp bộ, cấp tỉnh và tương đương trở lên", "Người"),
    FormRow("11", "+ Lãnh đạo cấp vụ, sở, ngành và tương đương", "Người"),
    FormRow("12", "+ Doanh nhân", "Người"),
    FormRow("13", "+ Các cấp lãnh đạo khác từ phó phòng trở lên", "Người"),
    FormRow("14", "+ Người trực tiếp công tác, lao động, học tập, chiến đấu và phục vụ chiến đấu "
            "(công nhân, nông dân, …)", "Người"),
    _nc("14.NC", "+ Chưa phân loại", "Người"),
)
METHODS = ("Thường xuyên", "Chuyên đề", "Đột xuất", "Đối ngoại", "Cống hiến", "Niên hạn", "Kháng chiến")


def _award_rows(
    total: str, body: tuple[str, str] | None, recipient: Sequence[str], methods: Sequence[str]
) -> tuple[FormRow, ...]:
    """The rows shared by 0602 and 0603, with their codes (0603 has no "tờ trình" part and other codes)."""
    rows: list[FormRow] = [FormRow(total, "Tổng số", kind="total")]
    if body:
        rows += [
            _h("1. Chia theo đơn vị ban hành tờ trình Thủ tướng Chính phủ về khen thưởng"),
            FormRow(body[0], "Bộ, ban, ngành, đoàn thể Trung ương", "Bộ, ngành"),
            FormRow(body[1], "Tỉnh, thành phố trực thuộc Trung ương", "Tỉnh, TP"),
            _nc(f"{body[1]}.NC"),
        ]
        rows.append(RECIPIENT_ROWS_0602[0])
    else:
        rows.append(_h("1. Chia theo đối tượng khen thưởng"))
    for template, code in zip(RECIPIENT_ROWS_0602[1:], recipient, strict=True):
        rows.append(FormRow(code, template.label, template.unit, template.kind))
    rows.append(_h("3. Chia theo phương thức khen thưởng"))
    rows += [FormRow(code, label) for code, label in zip(methods, METHODS, strict=True)]
    rows.append(_nc(f"{methods[-1]}.NC"))
    return tuple(rows)


def _award_sums(
    total: str, body: tuple[str, str] | None, r: Sequence[str], methods: Sequence[str]
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    collective, enterprise, enterprise_nc, household, individual = r[0], r[1], r[2], r[3], r[4]
    sums = []
    if body:
        sums.append((total, (body[0], body[1], f"{body[1]}.NC")))
    sums += [
        (total, (collective, household, individual)),
        (individual, tuple(r[5:])),
        (total, (*methods, f"{methods[-1]}.NC")),
    ]
    return tuple(sums), ((collective, (enterprise, enterprise_nc)),)


@dataclass(frozen=True)
class AwardColumns:
    """An award group of 0602 / 0603: its label, the codes it counts, and whether it has a collective and an
    individual column."""

    key: str
    label: str
    codes: tuple[str, ...]
    collective: bool = True
    individual: bool = True


STATE_COLUMNS: tuple[AwardColumns, ...] = (
    AwardColumns("hc_dung_cam", "Huân chương Dũng cảm", ("HC_DUNG_CAM",)),
    AwardColumns("hcld_1", "Huân chương Lao động hạng Nhất", ("HCLD_1",)),
    AwardColumns("hcld_2", "Huân chương Lao động hạng Nhì", ("HCLD_2",)),
    AwardColumns("hcld_3", "Huân chương Lao động hạng Ba", ("HCLD_3",)),
    AwardColumns("gt_hcm", "Giải thưởng Hồ Chí Minh", ("GT_HCM",)),
    AwardColumns("gt_nn", "Giải thưởng Nhà nước", ("GT_NN",)),
    AwardColumns("ahld", "Danh hiệu Anh hùng Lao động", ("AHLD",)),
    AwardColumns("ngnd", "Danh hiệu Nhà giáo nhân dân", ("NGND",), collective=False),
    AwardColumns("ngut", "Danh hiệu Nhà giáo ưu tú", ("NGUT",), collective=False),
    AwardColumns("co_td_cp", "Cờ thi đua của Chính phủ", ("CO_TD_CP",), individual=False),
    AwardColumns("bk_ttg", "Bằng khen của Thủ tướng Chính phủ", ("BK_TTG",)),
    AwardColumns("cstd_tq", "Chiến sĩ thi đua toàn quốc", ("CSTD_TQ",), collective=False),
    AwardColumns("other", "Các hình thức khen thưởng khác", ()),
)
"""0602's award columns (a code of the awards catalogue per column; one not listed goes to ``other``)."""

MINISTRY_COLUMNS: tuple[AwardColumns, ...] = (
    AwardColumns("c2", "Bằng khen", ("BK_BT",)),
    AwardColumns("c3", "Chiến sĩ thi đua cấp bộ, cấp tỉnh", ("CSTD_BO",)),
    AwardColumns("c4", "Cờ thi đua của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố", ("CO_TD_BO",)),
    AwardColumns("c5", "Huy hiệu (kỷ niệm chương) của bộ, ban, ngành, đoàn thể Trung ương, tỉnh, thành phố",
                 ("KNC_CT",)),
)
"""0603's four columns: one number per award, whoever receives it."""


def _state_columns() -> tuple[FormColumn, ...]:
    columns = [FormColumn("c1", "1", "Tổng số")]
    n = 2
    for group in STATE_COLUMNS:
        for kind, label, present in (("collective", "Tập thể", group.collective),
                                     ("individual", "Cá nhân", group.individual)):
            if present:
                columns.append(FormColumn(f"{group.key}.{kind}", str(n), label, group.label, kind))
                n += 1
    return tuple(columns)


_R0602 = ("6", "7", "7.NC", "8", "9", "10", "11", "12", "13", "14", "14.NC")
_M0602 = ("15", "16", "17", "18", "19", "20", "21")
_S0602 = _award_sums("1", ("2", "3"), _R0602, _M0602)
FORM_0602 = FormDef(
    code="0602.N/BNV-TĐKT",
    title="SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC",
    unit_of_measure="Tập thể, cá nhân",
    rows=_award_rows("1", ("2", "3"), _R0602, _M0602),
    columns=_state_columns(),
    row_sums=_S0602[0],
    of_which=_S0602[1],
    column_sum=("c1", tuple(c.key for c in _state_columns()[1:])),
    has_unit_column=True,
    notes=(
        "Khen thưởng cấp Nhà nước: do Chủ tịch nước, Thủ tướng Chính phủ quyết định (theo đề nghị của Bộ).",
        "Chưa phân loại: số liệu ghi nhận khi sự kiện chưa mang thông tin này (không suy đoán).",
    ),
)

_R0603 = ("02", "03", "03.NC", "04", "05", "06", "07", "08", "09", "10", "10.NC")
_M0603 = ("11", "12", "13", "14", "15", "16", "17")
_S0603 = _award_sums("01", None, _R0603, _M0603)
FORM_0603 = FormDef(
    code="0603.N/BNV-TĐKT",
    title="SỐ LƯỢNG KHEN THƯỞNG CẤP BỘ, BAN, NGÀNH, ĐOÀN THỂ TRUNG ƯƠNG VÀ TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG",
    unit_of_measure="Tập thể, cá nhân",
    rows=_award_rows("01", None, _R0603, _M0603),
    columns=(FormColumn("c1", "1", "Tổng số"),
             *(FormColumn(g.key, g.key[1:], g.label) for g in MINISTRY_COLUMNS)),
    row_sums=_S0603[0],
    of_which=_S0603[1],
    column_sum=("c1", tuple(g.key for g in MINISTRY_COLUMNS)),
    has_unit_column=True,
    notes=(
        "Khen thưởng cấp Bộ: do Bộ trưởng quyết định; chỉ các hình thức có cột trên biểu.",
        "Chưa phân loại: số liệu ghi nhận khi sự kiện chưa mang thông tin này (không suy đoán).",
    ),
)


METHOD_OF_CATEGORY: dict[str, int] = {
    # The award's category (tdkt_contracts.catalogue.awards.Category) → its method (phương thức khen thưởng),
    # by position in METHODS: công trạng (the annual round) is "thường xuyên"; quá trình cống hiến is
    # "cống hiến". No category maps to niên hạn or kháng chiến.
    "merit": 0, "thematic": 1, "one_off": 2, "foreign": 3, "long_service": 4,
}
PERSON_CATEGORIES: tuple[str, ...] = ("lanh_dao_bo", "lanh_dao_vu", "doanh_nhan", "lanh_dao_khac", "truc_tiep")
"""tdkt_contracts.vocabulary.PersonCategory, in the order of the forms' rows."""
SUBMITTING_BODIES: tuple[str, ...] = ("bo_nganh", "tinh")
"""tdkt_contracts.vocabulary.SubmittingBody, in the order of 0602's rows 2–3."""
COLUMN_KIND_OF_RECIPIENT: dict[str, str] = {"household": "collective"}
"""0602's award columns are split Tập thể / Cá nhân only: a household, not a person, is counted in the Tập thể
column of its award [U: the form's instructions were not read on this point]; its row is 8 (Hộ gia đình)."""
ENTERPRISE_UNIT_KINDS = frozenset({"tong_cong_ty"})
"""Unit kinds that are enterprises (doanh nghiệp); a unit of kind ``khac`` or unknown is not classified."""


def _column_of(form: FormDef, f: FormFact) -> str | None:
    """The form's column a fact counts in, None if the form does not count it."""
    if form is FORM_0602:
        if f.flow != "conferred" or f.authority not in STATE_AUTHORITIES:
            return None
        group = next((g for g in STATE_COLUMNS if f.award_code in g.codes), STATE_COLUMNS[-1])
        kind = COLUMN_KIND_OF_RECIPIENT.get(f.recipient_kind, f.recipient_kind)
        column = f"{group.key}.{kind}"
        if any(c.key == column for c in form.columns):
            return column
        return f"other.{kind}"  # a pair without this kind
    if f.flow != "granted" or f.authority not in MINISTRY_AUTHORITIES:
        return None
    ministry = next((g for g in MINISTRY_COLUMNS if f.award_code in g.codes), None)
    return ministry.key if ministry else None


def fill_awards(
    form: FormDef, facts: Iterable[FormFact], year: int, unit_kind: Callable[[str], str | None] = lambda _u: None
) -> dict[str, dict[str, int]]:
    """Row code → column → count of 0602 or 0603 for ``year``.

    A household recipient counts in the "Hộ gia đình" row (0602 row 8, 0603 row 04), a collective in "Tập thể",
    a person in "Cá nhân" and its category's row.
    What a fact does not carry goes to the breakdown's "not classified" row: the person's category
    (``person_category``), who issued the tờ trình (``submitted_by``), a method its category does not give.
    Enterprise or not is read from the collective's unit kind (``unit_kind``: unit id → kind, None if unknown).
    """
    recipient, methods, total, body = (
        (_R0602, _M0602, "1", ("2", "3")) if form is FORM_0602 else (_R0603, _M0603, "01", None)
    )
    values = _zeros(form)
    for f in facts:
        column = _column_of(form, f) if f.year == year else None
        if column is None:
            continue
        method = METHOD_OF_CATEGORY.get(f.category)
        cells = [total, methods[method] if method is not None else f"{methods[-1]}.NC"]
        if body:
            at = SUBMITTING_BODIES.index(f.submitted_by) if f.submitted_by in SUBMITTING_BODIES else None
            cells.append(body[at] if at is not None else f"{body[1]}.NC")
        if f.recipient_kind == "household":
            cells.append(recipient[3])
        elif f.recipient_kind == "collective":
            kind = unit_kind(f.unit_id) if f.unit_id else None
            cells.append(recipient[0])
            if kind in ENTERPRISE_UNIT_KINDS:
                cells.append(recipient[1])
            elif kind is None or kind == "khac":
                cells.append(recipient[2])
        else:
            at = PERSON_CATEGORIES.index(f.person_category) if f.person_category in PERSON_CATEGORIES else None
            cells += [recipient[4], recipient[5 + at] if at is not None else recipient[-1]]
        for code in cells:
            values[code][column] += f.count
    return _with_column_total(form, values)


# --------------------------------------------------------------------------- 0604, 0605

FORM_0604 = FormDef(
    code="0604.N/BNV-TĐKT",
    title="SỐ LƯỢNG TỔ CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG",
    unit_of_measure="Tổ chức",
    rows=(
        FormRow("01", "Tổng số", "Tổ chức", kind="total"),
        _h("Chia theo cơ cấu tổ chức bộ máy"),
        FormRow("02", "Cấp Vụ thuộc bộ, ban, ngành, đoàn thể Trung ương", "Vụ"),
        FormRow("03", "Cấp phòng, ban hoặc bộ phận thuộc Vụ", "Phòng"),
        FormRow("04", "Cấp ban thuộc Sở Nội vụ", "Ban"),
        FormRow("05", "Cấp phòng thuộc Sở Nội vụ", "Phòng"),
    ),
    columns=(FormColumn("c1", "1", "Số lượng"),),
    row_sums=(("01", ("02", "03", "04", "05")),),
    has_unit_column=True,
    notes=("Số liệu do cơ quan thi đua, khen thưởng nhập (dữ liệu tham chiếu của cơ quan).",),
)

FORM_0605 = FormDef(
    code="0605.N/BNV-TĐKT",
    title="SỐ LƯỢNG CÔNG CHỨC LÀM CÔNG TÁC THI ĐUA, KHEN THƯỞNG",
    unit_of_measure="Người",
    rows=(
        FormRow("01", "Tổng số", kind="total"),
        _h("1. Chia theo độ tuổi"),
        FormRow("02", "Từ 30 trở xuống"),
        FormRow("03", "Từ 31 đến 40"),
        FormRow("04", "Từ 41 đến 50"),
        FormRow("05", "Từ 51 đến 55"),
        FormRow("06", "Từ 56 đến 60"),
        FormRow("07", "Trên 60 tuổi"),
        _h("2. Chia theo trình độ đào tạo"),
        FormRow("08", "Sơ cấp"),
        FormRow("09", "Trung cấp"),
        FormRow("10", "Cao đẳng"),
        FormRow("11", "Đại học"),
        FormRow("12", "Trên đại học"),
        _nc("12.NC", "Chưa qua đào tạo, chưa phân loại"),
        _h("3. Chia theo thâm niên công tác trong lĩnh vực thi đua, khen thưởng"),
        FormRow("13", "Dưới 5 năm"),
        FormRow("14", "Từ 5 đến 10 năm"),
        FormRow("15", "Từ 10 năm trở lên"),
    ),
    columns=(FormColumn("c1", "1", "Tổng số"), FormColumn("c2", "2", "Trong đó: Nữ")),
    row_sums=(
        ("01", ("02", "03", "04", "05", "06", "07")),
        ("01", ("08", "09", "10", "11", "12", "12.NC")),
        ("01", ("13", "14", "15")),
    ),
    notes=(
        "Số liệu do cơ quan thi đua, khen thưởng nhập (dữ liệu tham chiếu của cơ quan); tuổi tính đến "
        "31/12 năm báo cáo. Hàng 15 in trên biểu gốc là “14” (in nhầm).",
    ),
)

EDUCATION_ROWS: dict[str, str] = {
    "so_cap": "08", "trung_cap": "09", "cao_dang": "10", "dai_hoc": "11", "tren_dai_hoc": "12",
}
"""A civil servant's education level (trình độ đào tạo) → 0605 row; none → 12.NC."""

OFFICE_UNIT_ROWS: tuple[str, ...] = ("02", "03", "04", "05")


@dataclass(frozen=True)
class CivilServant:
    """One civil servant of the emulation and commendation office, as the office records them for 0605."""

    female: bool
    birth_year: int
    education: str | None
    in_field_since: int
    """The year they started in emulation and commendation work."""


def age_row(age: int) -> str:
    """The 0605 age band of ``age`` (in years on 31 December)."""
    for code, upper in (("02", 30), ("03", 40), ("04", 50), ("05", 55), ("06", 60)):
        if age <= upper:
            return code
    return "07"


def seniority_row(years: int) -> str:
    """The 0605 seniority band; "from 5 to 10" ends before 10, since "10 and more" is a row of its own."""
    return "13" if years < 5 else "14" if years < 10 else "15"


def fill_0604(units: Mapping[str, int] | None) -> dict[str, dict[str, int | None]]:
    """Row → count of the office's units (row code 02–05 → number); None everywhere when not recorded."""
    if units is None:
        return _nones(FORM_0604)
    values: dict[str, dict[str, int | None]] = {code: {"c1": units.get(code, 0)} for code in OFFICE_UNIT_ROWS}
    values["01"] = {"c1": sum(units.get(code, 0) for code in OFFICE_UNIT_ROWS)}
    return values


def fill_0605(staff: Sequence[CivilServant] | None, year: int) -> dict[str, dict[str, int | None]]:
    """Row → (total, women) of the office's civil servants on 31 December of ``year``; None if not recorded."""
    if staff is None:
        return _nones(FORM_0605)
    values: dict[str, dict[str, int | None]] = {r.code: {"c1": 0, "c2": 0} for r in FORM_0605.rows if r.code}
    for person in staff:
        cells = ("01", age_row(year - person.birth_year), EDUCATION_ROWS.get(person.education or "", "12.NC"),
                 seniority_row(year - person.in_field_since))
        for code in cells:
            values[code]["c1"] = (values[code]["c1"] or 0) + 1
            if person.female:
                values[code]["c2"] = (values[code]["c2"] or 0) + 1
    return values


# --------------------------------------------------------------------------- shared

FORMS: dict[str, FormDef] = {f.code.split(".")[0]: f for f in (FORM_0601, FORM_0602, FORM_0603, FORM_0604, FORM_0605)}
"""The forms by their number: 0601 … 0605."""


def _zeros(form: FormDef) -> dict[str, dict[str, int]]:
    return {r.code: {c.key: 0 for c in form.columns} for r in form.rows if r.code}


def _nones(form: FormDef) -> dict[str, dict[str, int | None]]:
    return {r.code: {c.key: None for c in form.columns} for r in form.rows if r.code}


def _with_column_total(form: FormDef, values: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    if form.column_sum is not None:
        total, parts = form.column_sum
        for cells in values.values():
            cells[total] = sum(cells[p] for p in parts)
    return values


@dataclass
class SumCheck:
    """One addition checked: where, what it should be, what it is."""

    where: str
    expected: int
    actual: int

    @property
    def ok(self) -> bool:
        return self.expected == self.actual


def check_sums(form: FormDef, values: Mapping[str, Mapping[str, int | None]]) -> list[SumCheck]:
    """Every addition the form promises, evaluated on ``values`` (cells not recorded are skipped)."""
    checks: list[SumCheck] = []
    for total, parts in form.row_sums:
        for c in form.columns:
            if values[total][c.key] is None:
                continue
            checks.append(SumCheck(f"{total} = {' + '.join(parts)} [{c.number}]", values[total][c.key] or 0,
                                   sum(values[p][c.key] or 0 for p in parts)))
    for row, parts in form.of_which:
        for c in form.columns:
            whole, part = values[row][c.key] or 0, sum(values[p][c.key] or 0 for p in parts)
            checks.append(SumCheck(f"{' + '.join(parts)} ≤ {row} [{c.number}]", whole, max(whole, part)))
    if form.column_sum is not None:
        total, parts = form.column_sum
        for code, cells in values.items():
            checks.append(SumCheck(f"{code}: {total} = Σ", cells[total] or 0, sum(cells[p] or 0 for p in parts)))
    return checks


def render(
    form: FormDef, values: Mapping[str, Mapping[str, int | None]], *, year: int, reporting_body: str
) -> dict[str, Any]:
    """The filled form as JSON: header, columns, rows with their figures, the additions checked."""
    checks = check_sums(form, values)
    return {
        "form": form.code,
        "title": form.title,
        "year": year,
        "circular": CIRCULAR,
        "received_on": RECEIVED_ON,
        "reporting_body": reporting_body,
        "receiving_body": RECEIVING_BODY,
        "unit_of_measure": form.unit_of_measure,
        "has_unit_column": form.has_unit_column,
        "recorded": all(v is not None for cells in values.values() for v in cells.values()),
        "columns": [{"key": c.key, "number": c.number, "label": c.label, "group": c.group or None}
                    for c in form.columns],
        "rows": [
            {"code": r.code or None, "label": r.label, "unit": r.unit or None, "kind": r.kind,
             "values": dict(values[r.code]) if r.code else None}
            for r in form.rows
        ],
        "sums_ok": all(c.ok for c in checks),
        "notes": list(form.notes),
    }

