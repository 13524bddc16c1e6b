"""Exports of any list to CSV and Excel (XLSX), with Vietnamese headers. Pure: bytes in memory.

- CSV is UTF-8 **with a BOM**: without it Excel reads the file as the local
  code page and "Năm" becomes "NÄƒm". Comma separated, CRLF line ends (RFC 4180).
- XLSX is written with openpyxl; text cells are stored as text even when they
  start with "=", so a name can never become a formula.
- In CSV a text cell starting with ``= + - @`` (or a tab / carriage return) is
  prefixed with an apostrophe, the usual guard against formula injection when
  the file is opened in a spreadsheet.
- The file name travels in ``Content-Disposition`` twice: an ASCII fallback
  without diacritics, and the exact UTF-8 name (RFC 6266 / RFC 5987).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One exported column: where the value is, its Vietnamese header, how to show it."""

    key: str
    header: str
    format: Callable[[Any], Any] | None = None
    width: int | None = None

    def value(self, row: Mapping[str, Any]) -> Any:
        """The cell's value for ``row``."""
        raw = row.get(self.key)
        return self.format(raw) if self.format else raw


def _plain(value: Any) -> Any:
    # Values a spreadsheet understands: numbers stay numbers, dates dates, the rest text.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.isoformat()  # Excel has no time zones; keep the instant exact as text
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return str(value)
    return value


def _csv_cell(value: Any) -> str:
    value = _plain(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        if value.startswith(_FORMULA_START):
            return "'" + value
        return value
    return str(value)


def to_csv(columns: Sequence[Column], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """The rows as CSV (UTF-8 with BOM, header row in Vietnamese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header for c in columns])
    for row in rows:
        writer.writerow([_csv_cell(c.value(row)) for c in columns])
    return (BOM + buffer.getvalue()).encode("utf-8")


def to_xlsx(
    columns: Sequence[Column],
    rows: Iterable[Mapping[str, Any]],
    *,
    sheet_title: str = "Danh sách",
    title: str | None = None,
    notes: Sequence[str] = (),
    bold_rows: Callable[[Mapping[str, Any]], bool] | None = None,
) -> bytes:
    """The rows as an Excel workbook: optional title and notes, a bold header row, then the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    line = 1
    if title:
        sheet.cell(row=line, column=1, value=title).font = Font(bold=True, size=13)
        line += 1
    for note in notes:
        sheet.cell(row=line, column=1, value=note).font = Font(italic=True)
        line += 1
    if title or notes:
        line += 1
    for i, column in enumerate(columns, start=1):
        cell = sheet.cell(row=line, column=i, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    header_line = line
    for row in rows:
        line += 1
        bold = bold_rows(row) if bold_rows else False
        for i, column in enumerate(columns, start=1):
            value = _plain(column.value(row))
            cell = sheet.cell(row=line, column=i, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even for "=…"
            if bold:
                cell.font = Font(bold=True)
    for i, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = column.width or max(12, min(60, len(column.header) + 4))
    sheet.freeze_panes = sheet.cell(row=header_line + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(text: str) -> str:
    # Excel forbids []:*?/\ in sheet names and allows 31 characters.
    return re.sub(r"[\[\]:*?/\\]", "-", text)[:31] or "Sheet"


def ascii_fallback(name: str) -> str:
    """The name without diacritics (đ → d), for clients that ignore ``filename*``."""
    name = name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", stripped).strip("-")
    return safe or "export"


def content_disposition(filename: str) -> str:
    """``attachment`` with an ASCII fallback and the exact UTF-8 file name (RFC 6266, RFC 5987)."""
    filename = unicodedata.normalize("NFC", filename)
    return f"attachment; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def render(
    fmt: str,
    columns: Sequence[Column],
    rows: Sequence[Mapping[str, Any]],
    filename_stem: str,
    **xlsx_options: Any,
) -> tuple[bytes, str, str]:
    """(body, media type, Content-Disposition) of an export in ``fmt`` (csv or xlsx)."""
    if fmt == "csv":
        return to_csv(columns, rows), CSV_MEDIA_TYPE, content_disposition(f"{filename_stem}.csv")
    if fmt == "xlsx":
        return (
            to_xlsx(columns, rows, **xlsx_options),
            XLSX_MEDIA_TYPE,
            content_disposition(f"{filename_stem}.xlsx"),
        )
    raise ValueError(f"unknown export format {fmt!r}")
