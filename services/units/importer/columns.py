"""The columns of each kind of file, and a read table parsed into rows of converted values.

:func:`parse_table` finds the header (the first of the top rows naming at least
two known columns, Vietnamese or English, with or without diacritics), maps its
columns to fields and converts every non-blank row below it with the column's
converter (:mod:`.cells`); shape problems are collected per row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .cells import (
    CellError,
    fold_key,
    to_bool,
    to_date,
    to_grade,
    to_id,
    to_sex,
    to_staff_category,
    to_subject,
    to_text,
    to_unit_kind,
    to_year,
)
from .reading import HEADER_SEARCH_ROWS, ImportFileError, MultiSheet, RawTable


class ImportKind(StrEnum):
    """What a file holds."""

    UNITS = "units"
    PEOPLE = "people"
    GRADES = "grades"



@dataclass(frozen=True)
class Problem:
    """One reason a row (or the header, row = its number) cannot be imported."""

    row: int | None
    column: str | None
    code: str
    message: str
    value: str | None = None
    """The cell as the file wrote it (None for a blank cell or a problem of no one cell)."""

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "code": self.code,
                "message": self.message}



@dataclass(frozen=True)
class Column:
    """One field of an import file: its accepted header names and how a cell converts."""

    field: str
    aliases: tuple[str, ...]
    """Header names, Vietnamese first (the first is the documented one); matched with :func:`fold_key`."""
    required: bool
    convert: Callable[[Any], Any] = to_text
    description: str = ""


_PERSON_ID = ("Mã cán bộ", "Mã số cán bộ", "Mã nhân sự", "Số hiệu cán bộ", "person_id", "person id", "Mã CB")
_UNIT_REF = ("Mã đơn vị", "unit_id", "unit_code", "unit", "Đơn vị")

COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    ImportKind.UNITS: (
        Column("code", ("Mã đơn vị", "code", "unit_code", "Mã"), True, to_id,
               "Short code, e.g. VTCCB; stored upper case."),
        Column("unit_id", ("Mã định danh", "unit_id", "id"), False, to_id,
               "Id of the unit; defaults to the code."),
        Column("name", ("Tên đơn vị", "name", "Tên"), True, to_text, "Full Vietnamese name."),
        Column("kind", ("Loại đơn vị", "kind", "Loại hình", "Loại"), False, to_unit_kind,
               "Vụ, Cục, Viện, Trường, Văn phòng… or the code (vu, cuc…); blank: Khác."),
        Column("parent", ("Đơn vị cấp trên", "Mã đơn vị cấp trên", "parent_id", "parent_code", "parent",
                          "Trực thuộc"), False, to_id,
               "Id or code of the parent unit (in the file or already recorded); blank: top level."),
        Column("effective_on", ("Ngày thành lập", "effective_on", "established_on", "Ngày hiệu lực"), True, to_date,
               "Date of establishment."),
        Column("decision_number", ("Số quyết định", "decision_number", "Số QĐ"), False, to_text,
               "Number of the establishing decision."),
    ),
    ImportKind.PEOPLE: (
        Column("person_id", _PERSON_ID + ("id",), True, to_id, "Id of the person, stable for life."),
        Column("full_name", ("Họ và tên", "full_name", "Họ tên", "name"), True, to_text, "Họ và tên."),
        Column("sex", ("Giới tính", "sex", "gender"), True, to_sex, "Nam / Nữ (male / female)."),
        Column("date_of_birth", ("Ngày sinh", "date_of_birth", "birth_date", "dob", "Ngày tháng năm sinh"),
               True, to_date, "dd/mm/yyyy."),
        Column("sector_joined_on", ("Ngày vào ngành", "sector_joined_on", "joined_on"), True, to_date,
               "dd/mm/yyyy."),
        Column("unit", _UNIT_REF, True, to_id, "Id or code of the unit the person works in."),
        Column("position", ("Chức vụ", "position", "Chức danh", "Chức vụ, chức danh"), True, to_text,
               "e.g. Chuyên viên chính."),
        Column("staff_category", ("Loại cán bộ", "staff_category", "category", "Đối tượng", "Phân loại"), True,
               to_staff_category, "Cán bộ, Công chức, Viên chức or Người lao động."),
        Column("union_member", ("Đoàn viên công đoàn", "union_member", "Đoàn viên", "Công đoàn"), False, to_bool,
               "Có / Không (x / blank); blank: Không."),
        Column("effective_on", ("Ngày về đơn vị", "effective_on", "Ngày bắt đầu"), False, to_date,
               "First day in the unit; blank: the day they joined the sector, or the unit's establishment "
               "if that is later."),
    ),
    ImportKind.GRADES: (
        Column("subject", ("Đối tượng", "subject", "Cá nhân/Tập thể"), False, to_subject,
               "Cá nhân (person) or Tập thể (unit); blank: a person if the file has a person column."),
        Column("person_id", _PERSON_ID, False, to_id, "Id of the person (for a person's grade)."),
        Column("unit", _UNIT_REF, False, to_id,
               "Id or code of the unit (for a unit's grade; informative on a person's row)."),
        Column("full_name", ("Họ và tên", "full_name", "Họ tên"), False, to_text,
               "Optional check: must match the person's recorded name."),
        Column("year", ("Năm", "year", "Năm đánh giá"), True, to_year, "The evaluation year."),
        Column("grade", ("Xếp loại", "grade", "Kết quả xếp loại", "Mức xếp loại"), True, to_grade,
               "HTXS, HTT, HT, KHT or the full Vietnamese names."),
        Column("decision_number", ("Số quyết định", "decision_number", "Số QĐ"), False, to_text,
               "Number of the decision."),
        Column("legal_basis", ("Căn cứ", "legal_basis"), False, to_text, "e.g. NĐ 90/2020/NĐ-CP."),
    ),
}



@dataclass
class Row:
    """One data row: converted values by field, and the source header of each field."""

    number: int
    values: dict[str, Any]
    headers: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)
    """Header → the cell as written (non-blank ones), so a problem can show the value it is about."""

    def column(self, name: str | None) -> str | None:
        return self.headers.get(name) if name else None

    def problem(self, field_name: str | None, code: str, message: str) -> None:
        self.problems.append(Problem(self.number, self.column(field_name), code, message))


@dataclass
class Table:
    """A file parsed for one kind: its rows, and what was made of its header."""

    kind: ImportKind
    format: str
    rows: list[Row]
    header_row: int | None
    columns: dict[str, str]
    """Field → the header it was read from."""
    ignored_columns: list[str]
    problems: list[Problem]
    """File-level problems (a missing required column): then no row is checked."""
    encoding: str | None = None
    sheet: str | None = None


def _match_header(kind: ImportKind, cells: Sequence[Any]) -> tuple[dict[int, str], list[str]]:
    """Column index → field for one candidate header row, and the headers not used."""
    index: dict[str, tuple[int, str]] = {}
    for column in COLUMNS[kind]:
        for rank, alias in enumerate(column.aliases):
            index.setdefault(fold_key(alias), (rank, column.field))
    best: dict[str, tuple[int, int]] = {}  # field -> (alias rank, column index)
    for i, cell in enumerate(cells):
        if cell is None or not str(cell).strip():
            continue
        hit = index.get(fold_key(cell))
        if hit is None:
            continue
        rank, name = hit
        if name not in best or rank < best[name][0]:
            best[name] = (rank, i)
    mapping = {i: name for name, (_, i) in best.items()}
    ignored = [str(c).strip() for i, c in enumerate(cells) if c is not None and str(c).strip() and i not in mapping]
    return mapping, ignored


def parse_table(kind: ImportKind, raw: RawTable) -> Table:
    """Find the header (the first of the top rows naming at least two known columns),
    map its columns, and convert every non-blank row below it."""
    candidates = raw.sheets if isinstance(raw, MultiSheet) else [raw]
    for sheet in candidates:
        found = _find_header(kind, sheet)
        if found is not None:
            raw = sheet
            break
    else:
        expected = ", ".join(f"'{c.aliases[0]}'" for c in COLUMNS[kind] if c.required)
        raise ImportFileError(
            f"no header row found for {kind.value}: expected columns such as {expected} "
            f"(in the first {HEADER_SEARCH_ROWS} rows)",
            kind=kind.value,
        )
    header_at, mapping, ignored = found
    headers = next(cells for number, cells in raw.rows if number == header_at)
    columns = {name: str(headers[i]).strip() for i, name in mapping.items()}
    problems = [
        Problem(header_at or None, c.aliases[0], "missing_column",
                f"required column '{c.aliases[0]}' ({c.field}) is missing; "
                f"accepted names: {', '.join(c.aliases)}")
        for c in COLUMNS[kind]
        if c.required and c.field not in columns
    ]
    if kind is ImportKind.GRADES and "person_id" not in columns and "unit" not in columns:
        problems.append(Problem(header_at or None, None, "missing_column",
                                "a grades file needs a person column ('Mã cán bộ') or a unit column ('Mã đơn vị')"))
    table = Table(kind, raw.format, [], header_at or None, columns, ignored, problems, raw.encoding, raw.sheet)
    if problems:
        return table
    specs = {c.field: c for c in COLUMNS[kind]}
    for number, cells in raw.rows:
        if number <= header_at:
            continue
        if all(to_text(c) is None for c in cells):
            continue  # blank separator rows are common in spreadsheets
        row = Row(number, {}, columns)
        for i, name in mapping.items():
            cell = cells[i] if i < len(cells) else None
            spec = specs[name]
            written = to_text(cell)
            if written is None:
                if spec.required:
                    row.problem(name, "missing_value", f"'{columns[name]}' is empty")
                continue
            row.cells[columns[name]] = written
            try:
                row.values[name] = spec.convert(cell)
            except CellError as error:
                row.problem(name, error.code, error.message)
        table.rows.append(row)
    return table


def _find_header(kind: ImportKind, raw: RawTable) -> tuple[int, dict[int, str], list[str]] | None:
    for number, cells in raw.rows[: HEADER_SEARCH_ROWS + 1]:
        mapping, ignored = _match_header(kind, cells)
        if len(mapping) >= 2:
            return number, mapping, ignored
    return None
