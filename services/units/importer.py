"""Bulk import of units, people and past grades from CSV, XLSX or JSON rows. Pure: no I/O.

Ministries keep their staff lists in spreadsheets, so the reader is lenient
about the *container* (UTF-8 or Windows-1258 CSV, comma/semicolon/tab, title
rows above the header, Vietnamese or English column names with or without
diacritics, ``dd/mm/yyyy`` or ISO dates, Excel date cells) and strict about
the *content*: every value goes through the same command models and decision
functions as the HTTP API, so an imported row is refused for exactly the
reasons a command would be.

The pipeline, for one file:

1. :func:`read_table` — bytes to rows of cells, with the sheet's row numbers
   (the header is row 1 in a plain file: the first data row is row 2, as
   Excel shows it);
2. :func:`parse_table` — find the header, map columns to fields, convert each
   cell (dates, enums, booleans); shape problems are collected per row;
3. :func:`plan` — against the current state (the tree, the people's states,
   loaded by the handler) and today's date: decide each row, in file order
   (units: parents before children, whatever the order of the rows), with
   within-file checks (two rows for one id, a parent cycle). Rows whose effect
   is already recorded identically are *unchanged*; rows that contradict what is
   recorded are errors.

The result, :class:`Plan`, lists every problem as ``{row, column, code,
message}`` and the events to append per stream. The handler appends all of
them in one transaction, or nothing when there is any problem.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from tdkt_contracts import EventPayload
from tdkt_contracts.vocabulary import Grade, Sex, StaffCategory, UnitKind

from kernel.errors import DomainError

from .domain import (
    EnrolPerson,
    EstablishUnit,
    EvaluationSubject,
    OrgTree,
    PersonState,
    RecordEvaluation,
    UnitState,
    decide_enrol,
    decide_establish,
    decide_record_evaluation,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 100_000
"""Rows read from one file at most (the HTTP body limit of 10 MiB comes first for CSV)."""
HEADER_SEARCH_ROWS = 20
"""The header may sit below a few title rows ("DANH SÁCH CÁN BỘ…"): look this far down."""
MAX_COLUMNS = 100
"""Cells read per row at most: the widest import has about 15 columns; a row reaching past this is refused."""
MAX_XLSX_UNCOMPRESSED = 64 * 1024 * 1024
"""Bytes a workbook may expand to, all its parts together (a 3,000-person staff sheet expands to about
2 MB): a zip bomb is refused before any XML is parsed."""
MAX_XLSX_PARTS = 1000
"""Parts (files) a workbook may hold."""
_DTD_MARKERS = tuple(
    marker.encode(encoding) for marker in ("<!DOCTYPE", "<!ENTITY") for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


class ImportKind(StrEnum):
    """What a file holds."""

    UNITS = "units"
    PEOPLE = "people"
    GRADES = "grades"


class ImportFileError(DomainError):
    """The file as a whole cannot be read (HTTP 422 ``invalid_file``)."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__("invalid_file", message, **details)


class UnsupportedFormat(DomainError):
    """Neither CSV, XLSX nor JSON rows (HTTP 415 ``unsupported_format``)."""

    status = 415

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__("unsupported_format", message, **details)


@dataclass(frozen=True)
class Problem:
    """One reason a row (or the header, row = its number) cannot be imported."""

    row: int | None
    column: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


# =========================================================================== reading files


@dataclass
class RawTable:
    """Rows of cells as read, each with its row number in the source."""

    format: str
    rows: list[tuple[int, list[Any]]]
    encoding: str | None = None
    sheet: str | None = None


def detect_format(data: bytes, content_type: str | None = None, filename: str | None = None) -> str:
    """``csv``, ``xlsx`` or ``json``, from the content type, the file name or the bytes themselves."""
    media = (content_type or "").split(";")[0].strip().lower()
    if media in (XLSX_MIME, "application/vnd.ms-excel.sheet.macroenabled.12"):
        return "xlsx"
    if media in ("text/csv", "application/csv", "text/plain", "text/tab-separated-values"):
        return "csv"
    if media == "application/json":
        return "json"
    name = (filename or "").lower()
    if name.endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.endswith((".csv", ".txt", ".tsv")):
        return "csv"
    if name.endswith(".json"):
        return "json"
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFormat("this is an old Excel .xls file: save it as .xlsx (Excel Workbook) or CSV UTF-8")
    if media in ("", "application/octet-stream"):
        head = data.lstrip()[:1]
        return "json" if head in (b"[", b"{") else "csv"
    raise UnsupportedFormat(
        f"unsupported content type {media!r}: send text/csv, {XLSX_MIME} or application/json",
        content_type=media,
    )


def read_table(data: bytes, fmt: str) -> RawTable:
    """Read ``data`` as ``fmt`` (see :func:`detect_format`) into numbered rows of cells."""
    if fmt == "xlsx":
        return read_xlsx(data)
    if fmt == "json":
        return read_json_rows(data)
    if fmt == "csv":
        return read_csv(data)
    raise UnsupportedFormat(f"unknown format {fmt!r}")


def decode_text(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1258.

    Excel on a Vietnamese Windows saves "CSV" in Windows-1258 (whose letters
    decompose; NFC normalisation later composes them); "CSV UTF-8" has a BOM.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    try:
        return data.decode("cp1258"), "windows-1258"
    except UnicodeDecodeError:
        raise ImportFileError(
            f"the file is neither UTF-8 nor Windows-1258 text (byte {utf8_error.start}): "
            "save it as 'CSV UTF-8' or as an Excel workbook (.xlsx)"
        ) from None


def read_csv(data: bytes) -> RawTable:
    """A CSV (or tab-separated) file; the delimiter is guessed among comma, semicolon and tab."""
    text, encoding = decode_text(data)
    sample = text[:20_000]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise ImportFileError(f"the file has more than {MAX_ROWS} rows; split it")
            rows.append((number, _trimmed(cells, f"row {number}")))
    except csv.Error as error:
        raise ImportFileError(f"the CSV file is malformed near row {reader.line_num}: {error}") from None
    return RawTable("csv", rows, encoding=encoding)


def read_xlsx(data: bytes) -> RawTable:
    """The first worksheet of an Excel workbook that has a recognisable header (else the first).

    A workbook is a zip of XML parts written by a spreadsheet program: :func:`check_workbook` refuses one
    that expands past :data:`MAX_XLSX_UNCOMPRESSED` or carries a DTD (entity expansion, external entities)
    before openpyxl reads it; rows past :data:`MAX_ROWS` and cells past :data:`MAX_COLUMNS` are refused
    while reading, and a sheet claiming a huge dimension is not padded out in memory.
    """
    import zipfile

    from openpyxl import load_workbook

    check_workbook(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, SyntaxError) as error:
        # SyntaxError: the XML parsers' errors (ElementTree's ParseError, lxml's XMLSyntaxError) derive from it.
        raise ImportFileError(f"the file is not a readable Excel workbook (.xlsx): {error}") from None
    try:
        sheets: list[RawTable] = []
        for sheet in workbook.worksheets:
            # The dimension a sheet declares is the writer's claim (A1:XFD1048576 would pad every row to
            # 16,384 cells): read each row as wide as its last cell, one row at a time.
            sheet.reset_dimensions()
            rows: list[tuple[int, list[Any]]] = []
            try:
                for number, cells in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                    if number > MAX_ROWS + HEADER_SEARCH_ROWS:
                        raise ImportFileError(f"sheet {sheet.title!r} has more than {MAX_ROWS} rows; split it")
                    rows.append((number, _trimmed(cells, f"row {number} of sheet {sheet.title!r}")))
            except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as error:
                raise ImportFileError(f"sheet {sheet.title!r} cannot be read: {error}") from None
            sheets.append(RawTable("xlsx", rows, sheet=sheet.title))
    finally:
        workbook.close()
    if not sheets:
        raise ImportFileError("the workbook has no worksheet")
    return sheets[0] if len(sheets) == 1 else _MultiSheet(sheets)


def check_workbook(data: bytes) -> None:
    """Refuse (``invalid_file``, saying why) a workbook that expands past the limits or declares a DTD.

    Every part is decompressed once, in chunks, counting the bytes actually produced (a part's declared
    size may lie) and looking for a document type declaration, which a spreadsheet program never writes
    and which is how entity-expansion ("billion laughs") and external-entity (XXE) payloads arrive.
    """
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ImportFileError(f"the file is not a readable Excel workbook (.xlsx): {error}") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_XLSX_PARTS:
            raise ImportFileError(f"the workbook has {len(parts)} parts, more than {MAX_XLSX_PARTS}",
                                  reason="too_many_parts", parts=len(parts))
        declared = sum(p.file_size for p in parts)
        if declared > MAX_XLSX_UNCOMPRESSED:
            raise _too_big(declared)
        expanded = 0
        for part in parts:
            tail = b""
            try:
                with archive.open(part) as stream:
                    while chunk := stream.read(1024 * 1024):
                        expanded += len(chunk)
                        if expanded > MAX_XLSX_UNCOMPRESSED:
                            raise _too_big(expanded)
                        window = tail + chunk
                        if any(marker in window for marker in _DTD_MARKERS):
                            raise ImportFileError(
                                f"the workbook part {part.filename!r} declares a document type (DTD): entity "
                                "declarations are not accepted in a spreadsheet", reason="dtd", part=part.filename)
                        tail = chunk[-32:]
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
                raise ImportFileError(f"the workbook part {part.filename!r} cannot be read: {error}",
                                      reason="corrupt_part", part=part.filename) from None


def _too_big(size: int) -> ImportFileError:
    return ImportFileError(
        f"the workbook expands to more than {MAX_XLSX_UNCOMPRESSED // (1024 * 1024)} MiB "
        f"({size:,} bytes at least): split it or save it as CSV",
        reason="too_large_uncompressed", limit=MAX_XLSX_UNCOMPRESSED,
    )


def _trimmed(cells: Sequence[Any], where: str) -> list[Any]:
    """A row's cells without the empty ones at its end; refused when it reaches past :data:`MAX_COLUMNS`."""
    row = list(cells)
    while row and (row[-1] is None or row[-1] == ""):
        row.pop()
    if len(row) > MAX_COLUMNS:
        raise ImportFileError(f"{where} has cells past column {MAX_COLUMNS}; an import has at most "
                              f"{MAX_COLUMNS} columns", reason="too_many_columns", limit=MAX_COLUMNS)
    return row


class _MultiSheet(RawTable):
    """Several sheets: :func:`parse_table` takes the first one with a header for the kind."""

    def __init__(self, sheets: list[RawTable]) -> None:
        super().__init__("xlsx", sheets[0].rows, sheet=sheets[0].sheet)
        self.sheets = sheets


def read_json_rows(data: bytes) -> RawTable:
    """``[{column: value}, …]`` or ``{"rows": [...]}``; row n is the n-th object (from 1)."""
    try:
        body = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ImportFileError(f"the body is not valid JSON: {error}") from None
    items = body.get("rows") if isinstance(body, dict) else body
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ImportFileError('JSON rows must be a list of objects, or {"rows": [objects]}')
    if len(items) > MAX_ROWS:
        raise ImportFileError(f"more than {MAX_ROWS} rows; split them")
    headers: list[str] = list(dict.fromkeys(str(k) for item in items for k in item))
    rows = [(0, list(headers))] + [(n, [item.get(h) for h in headers]) for n, item in enumerate(items, start=1)]
    return RawTable("json", rows)


# =========================================================================== columns and cells


class CellError(ValueError):
    """A cell's value cannot be converted; ``code`` is the problem's code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def fold_key(text: Any) -> str:
    """A header or label reduced for matching: no diacritics, no case, no punctuation,
    no parenthesised notes (``"Ngày sinh (dd/mm/yyyy) *"`` → ``"ngay sinh"``)."""
    value = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = re.sub(r"\(.*?\)", " ", value)
    return re.sub(r"[^0-9a-z]+", " ", value.lower()).strip()


def to_text(cell: Any) -> str | None:
    """A cell as text, None when blank. Whole numbers lose Excel's '.0'."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell)
    return text if text.strip() else None


_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+)?$")


def to_date(cell: Any) -> date:
    """An Excel date cell, ``dd/mm/yyyy`` (also with '.' or '-'), or ISO ``yyyy-mm-dd``."""
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = to_text(cell)
    assert text is not None
    text = text.strip()
    if match := _DMY.match(text):
        day, month, year = (int(g) for g in match.groups())
    elif match := _ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    else:
        raise CellError("invalid_date", f"'{text}' is not a date: write dd/mm/yyyy (e.g. 05/09/1985) or yyyy-mm-dd")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellError("invalid_date", f"'{text}' is not a real calendar date (day {day}, month {month})") from None


def to_year(cell: Any) -> int:
    text = (to_text(cell) or "").strip()
    if not re.fullmatch(r"\d{4}", text) or not 1945 <= int(text) <= 2100:
        raise CellError("invalid_value", f"'{text}' is not a year (1945–2100)")
    return int(text)


def to_id(cell: Any) -> str:
    text = to_text(cell)
    assert text is not None
    return unicodedata.normalize("NFC", text).strip()


_TRUE = {"co", "x", "yes", "y", "true", "1", "dung", "doan vien", "la doan vien"}
_FALSE = {"khong", "no", "n", "false", "0", "sai"}


def to_bool(cell: Any) -> bool:
    if isinstance(cell, bool):
        return cell
    key = fold_key(to_text(cell) or "")
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("invalid_value", f"'{to_text(cell)}' is not yes/no: write Có or Không (x or blank)")


def enum_converter(
    values: Mapping[str, Any], what: str, examples: str
) -> Callable[[Any], Any]:
    """A converter accepting any of ``values``' keys compared with :func:`fold_key`."""
    table = {fold_key(k): v for k, v in values.items()}

    def convert(cell: Any) -> Any:
        text = to_text(cell) or ""
        found = table.get(fold_key(text))
        if found is None:
            raise CellError("invalid_value", f"'{text.strip()}' is not a {what}; expected one of: {examples}")
        return found

    return convert


def _labelled(enum: Iterable[Any], extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for member in enum:
        table[member.value] = member
        table[member.label_vi] = member
    table.update(extra or {})
    return table


to_sex = enum_converter(_labelled(Sex, {"m": Sex.MALE, "f": Sex.FEMALE, "nam gioi": Sex.MALE, "nu gioi": Sex.FEMALE}),
                        "sex (giới tính)", "Nam, Nữ (male, female)")
to_staff_category = enum_converter(
    _labelled(StaffCategory, {"nld": StaffCategory.WORKER, "lao dong": StaffCategory.WORKER}),
    "staff category", "Cán bộ, Công chức, Viên chức, Người lao động",
)
to_unit_kind = enum_converter(
    _labelled(UnitKind, {"bao": UnitKind.NEWSPAPER, "tap chi": UnitKind.NEWSPAPER}),
    "kind of unit (loại đơn vị)", ", ".join(k.label_vi for k in UnitKind),
)
to_grade = enum_converter(
    _labelled(
        Grade,
        {
            "hoan thanh xuat sac": Grade.EXCELLENT,
            "xuat sac": Grade.EXCELLENT,
            "hoan thanh tot": Grade.GOOD,
            "tot": Grade.GOOD,
            "hoan thanh": Grade.COMPLETED,
            "khong hoan thanh": Grade.NOT_COMPLETED,
        },
    ),
    "grade (xếp loại)", "HTXS, HTT, HT, KHT or their full names (Hoàn thành xuất sắc nhiệm vụ …)",
)
to_subject = enum_converter(
    {
        "person": EvaluationSubject.PERSON, "ca nhan": EvaluationSubject.PERSON,
        "individual": EvaluationSubject.PERSON, "unit": EvaluationSubject.UNIT,
        "tap the": EvaluationSubject.UNIT, "collective": EvaluationSubject.UNIT, "don vi": EvaluationSubject.UNIT,
    },
    "subject", "Cá nhân (person) or Tập thể (unit)",
)


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


# =========================================================================== parsing rows


@dataclass
class Row:
    """One data row: converted values by field, and the source header of each field."""

    number: int
    values: dict[str, Any]
    headers: dict[str, str]
    problems: list[Problem] = field(default_factory=list)

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
    candidates = raw.sheets if isinstance(raw, _MultiSheet) else [raw]
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
            if to_text(cell) is None:
                if spec.required:
                    row.problem(name, "missing_value", f"'{columns[name]}' is empty")
                continue
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


# =========================================================================== planning


@dataclass
class Plan:
    """What importing a file would do: problems, or the events to append per stream."""

    table: Table
    problems: list[Problem] = field(default_factory=list)
    changes: dict[str, list[EventPayload]] = field(default_factory=dict)
    """Stream id → events to append, in order."""
    base_versions: dict[str, int] = field(default_factory=dict)
    """Stream id → the version the events were decided on (the expected version)."""
    new_rows: int = 0
    unchanged_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.table.problems

    @property
    def event_count(self) -> int:
        return sum(len(events) for events in self.changes.values())

    def all_problems(self) -> list[Problem]:
        return sorted(self.table.problems + self.problems, key=lambda p: (p.row or 0, p.column or ""))

    def add(self, stream_id: str, version: int, events: Sequence[EventPayload]) -> None:
        self.base_versions.setdefault(stream_id, version)
        self.changes.setdefault(stream_id, []).extend(events)

    def report(self, *, dry_run: bool, applied: bool) -> dict[str, Any]:
        """The answer to the client: counts, the header as understood, and every problem."""
        problems = self.all_problems()
        bad_rows = {p.row for p in problems if p.row is not None and p.row != self.table.header_row}
        return {
            "kind": self.table.kind.value,
            "format": self.table.format,
            "encoding": self.table.encoding,
            "sheet": self.table.sheet,
            "dry_run": dry_run,
            "ok": not problems,
            "applied": applied,
            "rows": len(self.table.rows),
            "new": self.new_rows,
            "unchanged": self.unchanged_rows,
            "invalid": len(bad_rows),
            "events": self.event_count,
            "header_row": self.table.header_row,
            "columns": self.table.columns,
            "ignored_columns": self.table.ignored_columns,
            "errors": [p.to_dict() for p in problems],
        }


def referenced_ids(table: Table) -> dict[str, set[str]]:
    """Ids the plan will need the state of: ``people`` (person ids), ``units`` (ids or codes)."""
    people = {r.values["person_id"] for r in table.rows if "person_id" in r.values}
    units = {r.values[k] for r in table.rows for k in ("unit_id", "code", "unit", "parent") if k in r.values}
    return {"people": people, "units": units}


def resolve_unit(ref: str, tree: OrgTree) -> str | None:
    """A unit id from what a spreadsheet calls the unit: its id, else the code of the
    active unit using it, else the code of the only unit that ever had it."""
    if ref in tree:
        return ref
    owner = tree.code_owner(ref)
    if owner is not None:
        return owner
    matches = [u.unit_id for u in tree if u.code.upper() == ref.upper()]
    return matches[0] if len(matches) == 1 else None


# Which import field a refusal is about, by kind and error code.
_ERROR_FIELDS: dict[ImportKind, dict[str, str]] = {
    ImportKind.UNITS: {
        "unit_exists": "unit_id", "unit_code_taken": "code", "unit_not_found": "parent",
        "unit_dissolved": "parent", "unit_merged": "parent", "unit_not_established": "effective_on",
        "invalid_code": "code", "invalid_name": "name",
    },
    ImportKind.PEOPLE: {
        "person_exists": "person_id", "birth_date_implausible": "date_of_birth", "invalid_period": "effective_on",
        "unit_not_found": "unit", "unit_dissolved": "unit", "unit_merged": "unit",
        "unit_not_established": "unit", "invalid_name": "full_name",
    },
    ImportKind.GRADES: {
        "person_not_found": "person_id", "unit_not_found": "unit", "grade_future_year": "year",
        "grade_before_joining": "year", "grade_before_established": "year", "person_left": "year",
        "unit_dissolved": "year", "unit_merged": "year", "grade_exists": "grade",
    },
}
# Command field → import field, where they differ.
_COMMAND_FIELDS: dict[ImportKind, dict[str, str]] = {
    ImportKind.UNITS: {"parent_id": "parent"},
    ImportKind.PEOPLE: {"unit_id": "unit"},
    ImportKind.GRADES: {"subject_id": "person_id"},
}


def _refused(plan: Plan, row: Row, error: DomainError) -> None:
    """Record a command's refusal as the row's problem(s), naming the column(s)."""
    kind = plan.table.kind
    errors = error.details.get("errors") if isinstance(error.details, dict) else None
    if errors:  # a shape error from Command.parse: one problem per field
        ours = {"invalid_text", "invalid_name", "invalid_id", "invalid_code"}
        for item in errors:
            name = _COMMAND_FIELDS[kind].get(item["field"], item["field"])
            code = item["type"] if item["type"] in ours else "invalid_value"
            plan.problems.append(Problem(row.number, row.column(name), code, item["message"]))
        return
    name = error.details.get("field") or _ERROR_FIELDS[kind].get(error.code)
    if kind is ImportKind.UNITS and name == "unit_id" and "unit_id" not in row.headers:
        name = "code"
    if kind is ImportKind.GRADES and name in ("year", "grade", "person_id") and row.values.get("subject") == "unit":
        name = "unit" if name == "person_id" else name
    plan.problems.append(Problem(row.number, row.column(name), error.code, error.message))


def _parse(command: type[Any], data: dict[str, Any]) -> Any:
    return command.parse({k: v for k, v in data.items() if v is not None})


def plan(
    table: Table,
    *,
    tree: OrgTree,
    people: Mapping[str, PersonState],
    today: date,
    foreign_ids: Iterable[str] = (),
) -> Plan:
    """Decide every row of ``table`` against the current state; see the module docstring.

    ``people``: the states of the person ids the file names (missing = never
    enrolled). ``foreign_ids``: ids whose stream belongs to another kind of
    aggregate (a unit id used as a person id…): refused as ``id_taken``.
    """
    result = Plan(table)
    result.problems.extend(p for r in table.rows for p in r.problems)
    if table.problems:
        return result
    planner = {ImportKind.UNITS: _plan_units, ImportKind.PEOPLE: _plan_people, ImportKind.GRADES: _plan_grades}
    planner[table.kind](result, tree=tree, people=dict(people), today=today, foreign=set(foreign_ids))
    return result


def _duplicate(plan: Plan, row: Row, key: Any, seen: dict[Any, int], field_name: str, what: str) -> bool:
    first = seen.setdefault(key, row.number)
    if first != row.number:
        plan.problems.append(Problem(row.number, row.column(field_name), "duplicate_row",
                                     f"{what} is already in row {first} of this file"))
        return True
    return False


def _id_taken(plan: Plan, row: Row, stream_id: str, foreign: set[str], field_name: str) -> bool:
    if stream_id in foreign:
        plan.problems.append(Problem(row.number, row.column(field_name), "id_taken",
                                     f"id {stream_id!r} already belongs to another kind of record"))
        return True
    return False


# --------------------------------------------------------------------------- units


def _plan_units(
    plan: Plan, *, tree: OrgTree, people: dict[str, PersonState], today: date, foreign: set[str]
) -> None:
    rows = plan.table.rows
    unit_id_of: dict[int, str] = {}
    by_id: dict[str, Row] = {}
    by_code: dict[str, Row] = {}
    commands: dict[int, EstablishUnit] = {}
    failed: set[int] = {r.number for r in rows if r.problems}
    seen: dict[str, int] = {}
    for row in rows:
        code = row.values.get("code")
        unit_id = row.values.get("unit_id")
        if unit_id is None and isinstance(code, str):
            # Without an id column the code names the unit: a recorded active unit with that code is
            # this row's unit (so re-importing is "unchanged"); a new unit takes its code as id.
            unit_id = tree.code_owner(code) or code.upper()
        if unit_id is None:
            continue
        unit_id_of[row.number] = unit_id
        if _duplicate(plan, row, unit_id, seen, "unit_id" if "unit_id" in row.values else "code",
                      f"unit {unit_id!r}"):
            failed.add(row.number)
            continue
        by_id[unit_id] = row
        if isinstance(code, str):
            by_code.setdefault(code.upper(), row)
        if _id_taken(plan, row, unit_id, foreign, "unit_id" if "unit_id" in row.values else "code"):
            failed.add(row.number)
            continue
        if row.number in failed:
            continue
        try:
            commands[row.number] = _parse(EstablishUnit, {
                "unit_id": unit_id, "code": code, "name": row.values.get("name"),
                "kind": row.values.get("kind", UnitKind.OTHER), "parent_id": row.values.get("parent"),
                "effective_on": row.values.get("effective_on"),
                "decision_number": row.values.get("decision_number"),
            })
        except DomainError as error:
            _refused(plan, row, error)
            failed.add(row.number)

    # The parent of each row: another row of the file, or a recorded unit.
    depends: dict[int, Row | None] = {}
    parent_of: dict[int, str | None] = {}
    row_at = {r.number: r for r in rows}
    for number in commands:
        row = row_at[number]
        ref = row.values.get("parent")
        depends[number] = None
        parent_of[number] = None
        if ref is None:
            continue
        target = by_id.get(ref) or by_code.get(ref.upper())
        if target is not None and target.number != number:
            depends[number] = target
            parent_of[number] = unit_id_of[target.number]
            continue
        resolved = resolve_unit(ref, tree)
        if resolved is None:
            plan.problems.append(Problem(number, row.column("parent"), "unit_not_found",
                                         f"parent unit {ref!r} is neither recorded nor in this file"))
            failed.add(number)
        parent_of[number] = resolved

    pending = [r for r in rows if r.number in commands and r.number not in failed]
    done: set[int] = set()
    progress = True
    while pending and progress:
        progress = False
        waiting: list[Row] = []
        for row in pending:
            parent = depends.get(row.number)
            if parent is not None and parent.number in failed:
                plan.problems.append(Problem(row.number, row.column("parent"), "parent_row_invalid",
                                             f"its parent unit is row {parent.number}, which cannot be imported"))
                failed.add(row.number)
                progress = True
            elif parent is None or parent.number in done:
                cmd = commands[row.number].model_copy(update={"parent_id": parent_of[row.number]})
                tree = _plan_unit(plan, row, cmd, tree, today, failed)
                done.add(row.number)
                progress = True
            else:
                waiting.append(row)
        pending = waiting
    for row in pending:  # each one waits on another: a cycle of parents within the file
        plan.problems.append(Problem(
            row.number, row.column("parent"), "move_creates_cycle",
            "the parents named in rows " + ", ".join(str(r.number) for r in pending) + " form a cycle",
        ))


def _plan_unit(plan: Plan, row: Row, cmd: EstablishUnit, tree: OrgTree, today: date, failed: set[int]) -> OrgTree:
    existing = tree.get(cmd.unit_id)
    if existing is not None:
        differences = _unit_differences(existing, cmd)
        if differences:
            plan.problems.append(Problem(
                row.number, row.column("unit_id") or row.column("code"), "unit_exists",
                f"unit {cmd.unit_id!r} is already recorded with different data: " + "; ".join(differences),
            ))
            failed.add(row.number)
        else:
            plan.unchanged_rows += 1
        return tree
    try:
        events = decide_establish(UnitState.initial(cmd.unit_id), cmd, tree=tree, today=today)
    except DomainError as error:
        _refused(plan, row, error)
        failed.add(row.number)
        return tree
    plan.add(cmd.unit_id, 0, events)
    plan.new_rows += 1
    for event in events:
        tree = tree.apply(event)
    return tree


def _unit_differences(unit: UnitState, cmd: EstablishUnit) -> list[str]:
    recorded = {
        "code": unit.code,
        "name": unit.names[0].name if unit.names else "",
        "kind": unit.kind,
        "parent": unit.parents[0].parent_id if unit.parents else None,
        "effective_on": unit.established_on,
        "decision_number": unit.names[0].decision_number if unit.names else None,
    }
    given = {"code": cmd.code, "name": cmd.name, "kind": cmd.kind, "parent": cmd.parent_id,
             "effective_on": cmd.effective_on, "decision_number": cmd.decision_number}
    return [f"{k} recorded {_show(recorded[k])}, file has {_show(given[k])}" for k in given if recorded[k] != given[k]]


def _show(value: Any) -> str:
    return "(blank)" if value is None else repr(str(value))


# --------------------------------------------------------------------------- people


def _plan_people(
    plan: Plan, *, tree: OrgTree, people: dict[str, PersonState], today: date, foreign: set[str]
) -> None:
    seen: dict[str, int] = {}
    for row in plan.table.rows:
        person_id = row.values.get("person_id")
        if person_id is not None and (
            _duplicate(plan, row, person_id, seen, "person_id", f"person {person_id!r}")
            or _id_taken(plan, row, person_id, foreign, "person_id")
        ):
            continue
        unit_ref = row.values.get("unit")
        unit_id = resolve_unit(unit_ref, tree) if unit_ref is not None else None
        if unit_ref is not None and unit_id is None:
            plan.problems.append(Problem(row.number, row.column("unit"), "unit_not_found",
                                         f"unit {unit_ref!r} does not exist (neither an id nor a code)"))
        if row.problems or (unit_ref is not None and unit_id is None):
            continue
        effective_on = row.values.get("effective_on")  # when absent, the domain picks the first day in the unit
        try:
            cmd = _parse(EnrolPerson, {
                "person_id": person_id, "full_name": row.values.get("full_name"), "sex": row.values.get("sex"),
                "date_of_birth": row.values.get("date_of_birth"),
                "sector_joined_on": row.values.get("sector_joined_on"), "unit_id": unit_id,
                "position": row.values.get("position"), "staff_category": row.values.get("staff_category"),
                "union_member": row.values.get("union_member", False),
                "effective_on": effective_on,
            })
        except DomainError as error:
            _refused(plan, row, error)
            continue
        state = people.get(cmd.person_id) or PersonState.initial(cmd.person_id)
        if state.exists:
            differences = _person_differences(state, cmd)
            if differences:
                plan.problems.append(Problem(
                    row.number, row.column("person_id"), "person_exists",
                    f"person {cmd.person_id!r} ({state.full_name}) is already enrolled with different data: "
                    + "; ".join(differences),
                ))
            else:
                plan.unchanged_rows += 1
            continue
        try:
            events = decide_enrol(state, cmd, tree=tree, today=today)
        except DomainError as error:
            _refused(plan, row, error)
            continue
        plan.add(cmd.person_id, state.version, events)
        plan.new_rows += 1


def _person_differences(person: PersonState, cmd: EnrolPerson) -> list[str]:
    first = person.stints[0] if person.stints else None
    recorded = {
        "full_name": person.full_name, "sex": person.sex, "date_of_birth": person.date_of_birth,
        "sector_joined_on": person.sector_joined_on, "unit": first.unit_id if first else None,
        "position": first.position if first else None, "staff_category": person.staff_category,
        "union_member": person.union_member, "effective_on": first.start if first else None,
    }
    given = {
        "full_name": cmd.full_name, "sex": cmd.sex, "date_of_birth": cmd.date_of_birth,
        "sector_joined_on": cmd.sector_joined_on, "unit": cmd.unit_id, "position": cmd.position,
        "staff_category": cmd.staff_category, "union_member": cmd.union_member,
        "effective_on": cmd.effective_on,
    }
    # A blank first day in the unit leaves the domain's default: nothing to compare.
    return [
        f"{k} recorded {_show(recorded[k])}, file has {_show(given[k])}"
        for k in given
        if given[k] is not None or k != "effective_on"
        if recorded[k] != given[k]
    ]


# --------------------------------------------------------------------------- grades


def _same_name(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    return norm(a) == norm(b)


def _plan_grades(
    plan: Plan, *, tree: OrgTree, people: dict[str, PersonState], today: date, foreign: set[str]
) -> None:
    has_person_column = "person_id" in plan.table.columns
    seen: dict[tuple[str, str, int], int] = {}
    for row in plan.table.rows:
        subject = row.values.get("subject") or (
            EvaluationSubject.PERSON if has_person_column else EvaluationSubject.UNIT
        )
        row.values["subject"] = subject
        if subject is EvaluationSubject.PERSON:
            subject_id = row.values.get("person_id")
            if subject_id is None:
                plan.problems.append(Problem(row.number, row.column("person_id") or row.column("subject"),
                                             "missing_value", "a person's grade needs the person's id"))
                continue
        else:
            ref = row.values.get("unit")
            if ref is None:
                plan.problems.append(Problem(row.number, row.column("unit") or row.column("subject"),
                                             "missing_value", "a unit's grade needs the unit's id or code"))
                continue
            subject_id = resolve_unit(ref, tree)
            if subject_id is None:
                plan.problems.append(Problem(row.number, row.column("unit"), "unit_not_found",
                                             f"unit {ref!r} does not exist (neither an id nor a code)"))
                continue
        year = row.values.get("year")
        if year is not None and _duplicate(
            plan, row, (subject.value, subject_id, year), seen, "year",
            f"the {year} grade of {subject_id!r}",
        ):
            continue
        if row.problems:
            continue
        try:
            cmd = _parse(RecordEvaluation, {
                "subject": subject, "subject_id": subject_id, "year": year, "grade": row.values.get("grade"),
                "decision_number": row.values.get("decision_number"),
                "legal_basis": row.values.get("legal_basis"),
            })
        except DomainError as error:
            _refused(plan, row, error)
            continue
        state: PersonState | UnitState
        if subject is EvaluationSubject.PERSON:
            state = people.get(subject_id) or PersonState.initial(subject_id)
            name = row.values.get("full_name")
            if state.exists and name is not None and not _same_name(name, state.full_name):
                plan.problems.append(Problem(row.number, row.column("full_name"), "name_mismatch",
                                             f"person {subject_id!r} is recorded as {state.full_name!r}, "
                                             f"not {name.strip()!r}: check the id"))
                continue
        else:
            state = tree.get(subject_id) or UnitState.initial(subject_id)
        record = state.grade_for(cmd.year) if state.exists else None
        if record is not None:
            if cmd.grade in (record.grade, record.recorded_grade):
                plan.unchanged_rows += 1
            else:
                plan.problems.append(Problem(
                    row.number, row.column("grade"), "grade_exists",
                    f"{subject_id!r} already has the grade {record.grade} for {cmd.year}, not {cmd.grade}; "
                    "record a correction (with its reason) instead of importing",
                ))
            continue
        try:
            events = decide_record_evaluation(state, cmd, today=today)
        except DomainError as error:
            _refused(plan, row, error)
            continue
        plan.add(subject_id, state.version, events)
        plan.new_rows += 1
        for event in events:
            state = state.apply(event)
        if isinstance(state, PersonState):
            people[subject_id] = state
        else:
            tree = tree.with_unit(state)
