"""Reading an import file: bytes to numbered rows of cells, within the limits a hostile file meets.

The reader is lenient about the *container* — UTF-8 or Windows-1258 CSV,
comma/semicolon/tab, an Excel workbook of one or several sheets, JSON rows —
and refuses, before parsing, a file past the limits below (rows, columns, a
workbook's expanded size and parts, a DTD in any part). The header is row 1 in
a plain file: the first data row is row 2, as Excel shows it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kernel.errors import DomainError

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


class ImportFileError(DomainError):
    """The file as a whole cannot be read (HTTP 422 ``invalid_file``)."""

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__("invalid_file", message, **details)


class UnsupportedFormat(DomainError):
    """Neither CSV, XLSX nor JSON rows (HTTP 415 ``unsupported_format``)."""

    status = 415

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__("unsupported_format", message, **details)


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
    return sheets[0] if len(sheets) == 1 else MultiSheet(sheets)


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


class MultiSheet(RawTable):
    """Several sheets: :func:`.columns.parse_table` takes the first one with a header for the kind."""

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
