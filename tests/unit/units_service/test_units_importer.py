"""The pure parts of the units import: reading files, headers, cells, and planning rows."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from services.units.domain import (
    EnrolPerson,
    EstablishUnit,
    OrgTree,
    PersonState,
    RecordEvaluation,
    decide_enrol,
    decide_establish,
    decide_record_evaluation,
)
from services.units.importer import (
    CellError,
    ImportFileError,
    ImportKind,
    UnsupportedFormat,
    detect_format,
    fold_key,
    parse_table,
    plan,
    read_csv,
    read_table,
    to_bool,
    to_date,
    to_grade,
    to_sex,
    to_staff_category,
    to_text,
    to_unit_kind,
)
from tdkt_contracts.vocabulary import Grade, Sex, StaffCategory, UnitKind

TODAY = date(2025, 6, 30)

PEOPLE_HEADER = "Mã cán bộ,Họ và tên,Giới tính,Ngày sinh,Ngày vào ngành,Mã đơn vị,Chức vụ,Loại cán bộ,Đoàn viên công đoàn"


def csv_bytes(*lines: str, encoding: str = "utf-8") -> bytes:
    return ("\n".join(lines) + "\n").encode(encoding)


def cp1258(text: str) -> bytes:
    """Text as Excel on a Vietnamese Windows saves it: Windows-1258, tones as combining marks."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + "".join(c for c in parts if c in tones)).encode("cp1258")
    return bytes(out)


def table(kind: ImportKind, data: bytes, fmt: str = "csv"):  # type: ignore[no-untyped-def]
    return parse_table(kind, read_table(data, fmt))


@pytest.fixture
def tree() -> OrgTree:
    """Bộ Công Thương with two departments, established 2010."""
    t = OrgTree()
    for cmd in (
        EstablishUnit(unit_id="u-bct", code="BCT", name="Bộ Công Thương", kind="bo", effective_on="2010-01-01"),
        EstablishUnit(unit_id="u-vtccb", code="VTCCB", name="Vụ Tổ chức cán bộ", kind="vu", parent_id="u-bct",
                      effective_on="2010-01-01"),
        EstablishUnit(unit_id="u-vp", code="VP", name="Văn phòng Bộ", kind="van_phong", parent_id="u-bct",
                      effective_on="2020-01-01"),
    ):
        for event in decide_establish(t.get(cmd.unit_id) or _empty_unit(), cmd, tree=t, today=TODAY):
            t = t.apply(event)
    return t


def _empty_unit():  # type: ignore[no-untyped-def]
    from services.units.domain import UnitState

    return UnitState.initial()


# --------------------------------------------------------------------------- reading


def test_formats_are_detected_from_type_name_or_bytes() -> None:
    assert detect_format(b"a,b", "text/csv; charset=utf-8") == "csv"
    assert detect_format(b"PK\x03\x04...", None) == "xlsx"
    assert detect_format(b"x", None, "ds.xlsx") == "xlsx"
    assert detect_format(b'[{"a": 1}]', "application/octet-stream") == "json"
    with pytest.raises(UnsupportedFormat):
        detect_format(b"x", "image/png")
    with pytest.raises(UnsupportedFormat, match="xls"):
        detect_format(b"\xd0\xcf\x11\xe0rest", None)


def test_csv_utf8_bom_semicolons_and_windows_1258() -> None:
    raw = read_csv("\ufeffMã cán bộ;Họ và tên\nP1;Nguyễn Thị Hương\n".encode())
    assert raw.encoding == "utf-8"
    assert raw.rows[1] == (2, ["P1", "Nguyễn Thị Hương"])
    legacy = read_csv(cp1258("Mã cán bộ,Họ và tên\nP1,Trần Văn Đức\n"))
    assert legacy.encoding == "windows-1258"
    # Windows-1258 stores some tones as combining marks: NFC composes them again later.
    import unicodedata

    assert unicodedata.normalize("NFC", legacy.rows[1][1][1]) == "Trần Văn Đức"


def test_malformed_json_rows_and_unreadable_xlsx_are_file_errors() -> None:
    with pytest.raises(ImportFileError):
        read_table(b'{"rows": 3}', "json")
    with pytest.raises(ImportFileError):
        read_table(b"PK\x03\x04 not a zip", "xlsx")


# --------------------------------------------------------------------------- headers and cells


def test_headers_match_without_diacritics_case_or_notes() -> None:
    assert fold_key("Ngày sinh (dd/mm/yyyy) *") == "ngay sinh"
    assert fold_key("ĐOÀN VIÊN CÔNG ĐOÀN") == "doan vien cong doan"
    data = csv_bytes(
        "DANH SÁCH CÁN BỘ NĂM 2024,,,,,,,,,",
        ",,,,,,,,,",
        "STT,MA CAN BO,Ho va ten (*),gioi tinh,Ngày sinh (dd/mm/yyyy),ngay vao nganh,Mã đơn vị,Chức vụ,Đối tượng,Ghi chú",
        "1,P1,Nguyễn Thị Hương,Nữ,12/04/1985,01/09/2008,VTCCB,Chuyên viên,Công chức,",
    )
    t = table(ImportKind.PEOPLE, data)
    assert t.header_row == 3
    assert t.columns["person_id"] == "MA CAN BO"
    assert t.columns["staff_category"] == "Đối tượng"
    assert t.ignored_columns == ["STT", "Ghi chú"]
    assert [r.number for r in t.rows] == [4]
    assert t.rows[0].values["date_of_birth"] == date(1985, 4, 12)


def test_a_missing_required_column_is_reported_on_the_header_row() -> None:
    t = table(ImportKind.PEOPLE, csv_bytes("Mã cán bộ,Họ và tên", "P1,Nguyễn Văn An"))
    codes = {(p.row, p.column, p.code) for p in t.problems}
    assert (1, "Giới tính", "missing_column") in codes
    assert t.rows == []


def test_no_header_at_all_is_a_file_error() -> None:
    with pytest.raises(ImportFileError, match="no header row"):
        table(ImportKind.UNITS, csv_bytes("a,b,c", "1,2,3"))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("05/09/1985", date(1985, 9, 5)), ("5.9.1985", date(1985, 9, 5)), ("1985-09-05", date(1985, 9, 5)),
     (datetime(1985, 9, 5), date(1985, 9, 5)), (date(1985, 9, 5), date(1985, 9, 5))],
)
def test_dates(cell: object, expected: date) -> None:
    assert to_date(cell) == expected


@pytest.mark.parametrize("cell", ["31/02/1990", "1990/13/01", "hôm qua", "09-1985"])
def test_bad_dates(cell: str) -> None:
    with pytest.raises(CellError) as caught:
        to_date(cell)
    assert caught.value.code == "invalid_date"


def test_vocabularies_accept_codes_and_vietnamese_labels() -> None:
    assert to_sex("Nữ") is Sex.FEMALE and to_sex("NAM") is Sex.MALE and to_sex("female") is Sex.FEMALE
    assert to_staff_category("Viên chức") is StaffCategory.PUBLIC_EMPLOYEE
    assert to_staff_category("nguoi_lao_dong") is StaffCategory.WORKER
    assert to_unit_kind("Cục") is UnitKind.AGENCY and to_unit_kind("vu") is UnitKind.DEPARTMENT
    assert to_grade("Hoàn thành xuất sắc nhiệm vụ") is Grade.EXCELLENT
    assert to_grade("htt") is Grade.GOOD and to_grade("Không hoàn thành") is Grade.NOT_COMPLETED
    assert to_bool("Có") is True and to_bool("x") is True and to_bool("Không") is False and to_bool(True) is True
    with pytest.raises(CellError):
        to_sex("khác")
    with pytest.raises(CellError):
        to_grade("Giỏi")


def test_excel_numbers_lose_their_decimal_point() -> None:
    assert to_text(10234.0) == "10234"
    assert to_text(2.5) == "2.5"
    assert to_text("   ") is None


# --------------------------------------------------------------------------- people


def test_people_plan_reports_every_bad_row_with_its_reason(tree: OrgTree) -> None:
    data = csv_bytes(
        PEOPLE_HEADER,
        "P1,Nguyễn Thị Hương,Nữ,12/04/1985,01/09/2008,VTCCB,Chuyên viên chính,Công chức,Có",  # 2 ok
        "P2,Trần Văn Minh,Nam,31/02/1990,01/09/2012,VTCCB,Chuyên viên,Công chức,Có",  # 3 bad date
        "P3,Lê Thị Lan,Nữ,01/01/1990,01/09/2012,KHONGCO,Chuyên viên,Công chức,Có",  # 4 unknown unit
        "P1,Phạm Văn Huy,Nam,01/01/1990,01/09/2012,VTCCB,Chuyên viên,Công chức,Có",  # 5 same id as row 2
        "P5,Nguyá»…n Văn Nam,Nam,01/01/1990,01/09/2012,VTCCB,Chuyên viên,Công chức,Có",  # 6 mojibake
        "P6,Đỗ Thị Mai,Nữ,01/01/2015,01/09/2020,VTCCB,Chuyên viên,Công chức,Có",  # 7 aged 5 at joining
        "P7,Võ Văn Tâm,Nam,01/01/1990,01/09/2030,VTCCB,Chuyên viên,Công chức,Có",  # 8 joins in the future
        "P8,Bùi Thị Thu,Nữ,01/01/1990,,VTCCB,Chuyên viên,Công chức,Có",  # 9 empty required cell
        "P 9,Hồ Văn Lâm,Nam,01/01/1990,01/09/2012,VTCCB,Chuyên viên,Công chức,Có",  # 10 bad id
        ",,,,,,,,",  # 11 blank: skipped
        "P10,  Ngô   Thị Hà ,Nữ,01/01/1990,01/09/2012,VP,Chuyên viên,Viên chức,",  # 12 ok, VP since 2020
    )
    result = plan(table(ImportKind.PEOPLE, data), tree=tree, people={}, today=TODAY)
    found = {(p.row, p.column, p.code) for p in result.all_problems()}
    assert found == {
        (3, "Ngày sinh", "invalid_date"),
        (4, "Mã đơn vị", "unit_not_found"),
        (5, "Mã cán bộ", "duplicate_row"),
        (6, "Họ và tên", "invalid_text"),
        (7, "Ngày sinh", "birth_date_implausible"),
        (8, "Ngày vào ngành", "date_in_future"),
        (9, "Ngày vào ngành", "missing_value"),
        (10, "Mã cán bộ", "invalid_id"),
    }
    # Each problem shows the cell it is about, as the file wrote it (none for an empty cell).
    values = {(p.row, p.column): p.value for p in result.all_problems()}
    assert values[(3, "Ngày sinh")] == "31/02/1990" and values[(4, "Mã đơn vị")] == "KHONGCO"
    assert values[(10, "Mã cán bộ")] == "P 9" and values[(9, "Ngày vào ngành")] is None
    assert not result.ok
    assert result.new_rows == 2
    report = result.report(dry_run=True, applied=False)
    assert report["rows"] == 10 and report["invalid"] == 8
    assert {"row": 3, "column": "Ngày sinh", "value": "31/02/1990", "code": "invalid_date"}.items() \
        <= report["errors"][0].items()
    enrolled = result.changes["p10"][0]
    assert enrolled.full_name == "Ngô Thị Hà"  # trimmed, spaces collapsed
    assert result.changes["p10"][1].union_member is False  # the profile, on the internal topic
    assert enrolled.effective_on == date(2020, 1, 1)  # the unit's founding, later than joining the sector


def test_reimporting_people_is_unchanged_and_a_conflict_is_an_error(tree: OrgTree) -> None:
    line = "P1,Nguyễn Thị Hương,Nữ,12/04/1985,01/09/2008,VTCCB,Chuyên viên chính,Công chức,Có"
    first = plan(table(ImportKind.PEOPLE, csv_bytes(PEOPLE_HEADER, line)), tree=tree, people={}, today=TODAY)
    person = PersonState.initial("p1")  # ids are recorded canonical; the file says P1
    for event in first.changes["p1"]:
        person = person.apply(event)
    again = plan(table(ImportKind.PEOPLE, csv_bytes(PEOPLE_HEADER, line)), tree=tree, people={"p1": person},
                 today=TODAY)
    assert again.ok and again.unchanged_rows == 1 and again.changes == {}
    changed = line.replace("12/04/1985", "13/04/1985")
    clash = plan(table(ImportKind.PEOPLE, csv_bytes(PEOPLE_HEADER, changed)), tree=tree, people={"p1": person},
                 today=TODAY)
    [problem] = clash.all_problems()
    assert problem.code == "person_exists" and "date_of_birth" in problem.message


def test_an_id_of_another_kind_is_refused(tree: OrgTree) -> None:
    line = "u-bct,Nguyễn Thị Hương,Nữ,12/04/1985,01/09/2008,VTCCB,Chuyên viên chính,Công chức,Có"
    result = plan(table(ImportKind.PEOPLE, csv_bytes(PEOPLE_HEADER, line)), tree=tree, people={}, today=TODAY,
                  foreign_ids={"u-bct"})
    assert [p.code for p in result.all_problems()] == ["id_taken"]


# --------------------------------------------------------------------------- units


UNITS_HEADER = "Mã đơn vị,Tên đơn vị,Loại đơn vị,Đơn vị cấp trên,Ngày thành lập,Số quyết định"


def test_units_children_may_come_before_their_parents(tree: OrgTree) -> None:
    data = csv_bytes(
        UNITS_HEADER,
        "P-TH,Phòng Tổng hợp,Phòng,CUC-TM,01/03/2021,",
        "CUC-TM,Cục Thương mại điện tử,Cục,BCT,01/01/2021,12/QĐ-BCT",
    )
    result = plan(table(ImportKind.UNITS, data), tree=tree, people={}, today=TODAY)
    assert result.ok, result.all_problems()
    assert list(result.changes) == ["cuc-tm", "p-th"]  # the ids canonical (kernel.ids)
    assert result.changes["p-th"][0].parent_id == "cuc-tm"
    assert result.changes["cuc-tm"][0].parent_id == "u-bct"  # the code BCT resolved to its id


def test_units_cycles_unknown_parents_and_dependants_are_reported(tree: OrgTree) -> None:
    data = csv_bytes(
        UNITS_HEADER,
        "A,Phòng A,Phòng,B,01/01/2021,",  # 2 cycle with 3
        "B,Phòng B,Phòng,A,01/01/2021,",  # 3
        "C,Phòng C,Phòng,KHONGCO,01/01/2021,",  # 4 unknown parent
        "D,Phòng D,Phòng,C,01/01/2021,",  # 5 parent row invalid
        "VTCCB,Vụ Tổ chức,Vụ,BCT,01/01/2021,",  # 6 code taken by a recorded unit
        "E,Phòng E,Không rõ,BCT,01/01/2021,",  # 7 unknown kind
    )
    result = plan(table(ImportKind.UNITS, data), tree=tree, people={}, today=TODAY)
    found = {(p.row, p.code) for p in result.all_problems()}
    assert found == {(2, "move_creates_cycle"), (3, "move_creates_cycle"), (4, "unit_not_found"),
                     (5, "parent_row_invalid"), (6, "unit_exists"), (7, "invalid_value")}


def test_reimporting_units_is_unchanged(tree: OrgTree) -> None:
    # Without an id column, the code names the recorded unit (whose id is u-vtccb).
    data = csv_bytes(UNITS_HEADER, "vtccb,Vụ Tổ chức cán bộ,Vụ,BCT,01/01/2010,")
    result = plan(table(ImportKind.UNITS, data), tree=tree, people={}, today=TODAY)
    assert result.ok and result.unchanged_rows == 1 and not result.changes
    data = csv_bytes("Mã định danh," + UNITS_HEADER, "u-vtccb,VTCCB,Vụ Tổ chức cán bộ,Vụ,u-bct,01/01/2010,")
    result = plan(table(ImportKind.UNITS, data), tree=tree, people={}, today=TODAY)
    assert result.ok and result.unchanged_rows == 1 and not result.changes


# --------------------------------------------------------------------------- grades


def _person(tree: OrgTree, person_id: str, name: str) -> PersonState:
    cmd = EnrolPerson(person_id=person_id, full_name=name, sex="female", date_of_birth="1985-04-12",
                      sector_joined_on="2012-09-01", unit_id="u-vtccb", position="Chuyên viên",
                      staff_category="cong_chuc", union_member=True)
    state = PersonState.initial(person_id)
    for event in decide_enrol(state, cmd, tree=tree, today=TODAY):
        state = state.apply(event)
    return state


def test_grades_plan(tree: OrgTree) -> None:
    p1 = _person(tree, "p1", "Nguyễn Thị Hương")  # the file says P1: the same person
    for event in decide_record_evaluation(
        p1, RecordEvaluation(subject="person", subject_id="P1", year=2022, grade="HTT"), today=TODAY
    ):
        p1 = p1.apply(event)
    data = csv_bytes(
        "Mã cán bộ,Họ và tên,Năm,Xếp loại",
        "P1,Nguyễn Thị Hương,2023,Hoàn thành xuất sắc nhiệm vụ",  # 2 new
        "P1,Nguyễn Thị Hương,2024,HTT",  # 3 new, same person
        "P1,Nguyễn Thị Hương,2022,HTT",  # 4 unchanged
        "P1,Nguyễn Thị Hương,2022,HT",  # 5 duplicate of row 4 in the file
        "P1,Nguyễn Thị Hương,2021,HT",  # 6 ok (joined 2012)
        "P1,Nguyễn Thị Hương,2026,HT",  # 7 future year
        "P1,Trần Thị Hương,2020,HT",  # 8 name does not match the id
        "P9,Lê Văn Tám,2020,HT",  # 9 unknown person
        "P1,Nguyễn Thị Hương,2010,HT",  # 10 before joining
        "P1,Nguyễn Thị Hương,năm ngoái,HT",  # 11 bad year
    )
    result = plan(table(ImportKind.GRADES, data), tree=tree, people={"p1": p1}, today=TODAY)
    found = {(p.row, p.column, p.code) for p in result.all_problems()}
    assert found == {
        (5, "Năm", "duplicate_row"),
        (7, "Năm", "grade_future_year"),
        (8, "Họ và tên", "name_mismatch"),
        (9, "Mã cán bộ", "person_not_found"),
        (10, "Năm", "grade_before_joining"),
        (11, "Năm", "invalid_value"),
    }
    assert result.unchanged_rows == 1 and result.new_rows == 3
    assert [e.year for e in result.changes["p1"]] == [2023, 2024, 2021]
    assert result.base_versions["p1"] == p1.version


def test_unit_grades_by_code_and_a_conflicting_grade(tree: OrgTree) -> None:
    data = csv_bytes("Đối tượng,Mã đơn vị,Năm,Xếp loại", "Tập thể,VTCCB,2023,HTXS", "Tập thể,VTCCB,2023,HTXS")
    result = plan(table(ImportKind.GRADES, data), tree=tree, people={}, today=TODAY)
    assert [(p.row, p.code) for p in result.all_problems()] == [(3, "duplicate_row")]
    data = csv_bytes("Mã đơn vị,Năm,Xếp loại", "VTCCB,2023,HTXS")
    result = plan(table(ImportKind.GRADES, data), tree=tree, people={}, today=TODAY)
    assert result.ok and result.changes["u-vtccb"][0].grade is Grade.EXCELLENT


# --------------------------------------------------------------------------- xlsx


def test_xlsx_with_a_title_row_and_date_cells(tree: OrgTree) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH CÁN BỘ"])
    ws.append(PEOPLE_HEADER.split(","))
    ws.append(["10234", "Nguyễn Thị Hương", "Nữ", datetime(1985, 4, 12), datetime(2008, 9, 1), "VTCCB",
               "Chuyên viên chính", "Công chức", "x"])
    ws.append([10235, "Trần Văn Minh", "Nam", "12/13/1985", datetime(2008, 9, 1), "VTCCB", "Chuyên viên",
               "Công chức", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    t = table(ImportKind.PEOPLE, buffer.getvalue(), "xlsx")
    assert t.header_row == 2
    result = plan(t, tree=tree, people={}, today=TODAY)
    assert [(p.row, p.column, p.code) for p in result.all_problems()] == [(4, "Ngày sinh", "invalid_date")]
    assert result.changes["10234"][1].date_of_birth == date(1985, 4, 12)
