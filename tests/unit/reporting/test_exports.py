"""Exports: Vietnamese headers and text intact in CSV and XLSX, read back with csv and openpyxl."""

from __future__ import annotations

import csv
import io
import unicodedata
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import unquote

import openpyxl

from services.reporting import report_forms
from services.reporting.exports import (
    Column,
    ascii_fallback,
    content_disposition,
    render,
    to_csv,
    to_xlsx,
)
from services.reporting.projections import AwardStatsFold

from .builders import article_2023_events

COLUMNS = [
    Column("year", "Năm"),
    Column("award_name", "Danh hiệu / Hình thức"),
    Column("recipient_kind", "Cá nhân / Tập thể", lambda v: {"individual": "Cá nhân", "collective": "Tập thể"}[v]),
    Column("unit_name", "Đơn vị"),
    Column("authority", "Cấp quyết định"),
    Column("count", "Số lượng"),
]
ROWS = [
    {"year": 2023, "award_name": "Kỷ niệm chương “Vì sự nghiệp phát triển ngành Công Thương Việt Nam”",
     "recipient_kind": "individual", "unit_name": "Vụ Thi đua – Khen thưởng", "authority": "Bộ trưởng", "count": 83},
    {"year": 2023, "award_name": "Bằng khen của Bộ trưởng Bộ Công Thương", "recipient_kind": "collective",
     "unit_name": "Trường Đại học Công nghiệp Hà Nội", "authority": "Bộ trưởng", "count": 68},
    {"year": 2023, "award_name": "=HYPERLINK(\"http://x\")", "recipient_kind": "individual",
     "unit_name": None, "authority": "Thủ tướng Chính phủ", "count": 1},
]
HEADERS = ["Năm", "Danh hiệu / Hình thức", "Cá nhân / Tập thể", "Đơn vị", "Cấp quyết định", "Số lượng"]


def test_csv_is_utf8_with_bom_and_reads_back_intact() -> None:
    body = to_csv(COLUMNS, ROWS)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == HEADERS
    assert rows[1] == ["2023", "Kỷ niệm chương “Vì sự nghiệp phát triển ngành Công Thương Việt Nam”", "Cá nhân",
                       "Vụ Thi đua – Khen thưởng", "Bộ trưởng", "83"]
    assert rows[2][2] == "Tập thể" and rows[2][3] == "Trường Đại học Công nghiệp Hà Nội"
    assert rows[3][1].startswith("'=")  # a formula is neutralised
    assert rows[3][3] == ""
    assert all(unicodedata.is_normalized("NFC", cell) for row in rows for cell in row)


def test_xlsx_reads_back_with_openpyxl_with_text_intact() -> None:
    body = to_xlsx(COLUMNS, ROWS, sheet_title="Thống kê khen thưởng: năm 2023", title="Thống kê khen thưởng",
                   notes=["Số liệu từ các sự kiện đã ghi nhận"])
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book.active
    assert sheet.title == "Thống kê khen thưởng- năm 2023"
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Thống kê khen thưởng"
    assert values[1][0] == "Số liệu từ các sự kiện đã ghi nhận"
    assert values[3] == HEADERS
    assert values[4] == [2023, "Kỷ niệm chương “Vì sự nghiệp phát triển ngành Công Thương Việt Nam”", "Cá nhân",
                         "Vụ Thi đua – Khen thưởng", "Bộ trưởng", 83]
    assert values[6][1] == "=HYPERLINK(\"http://x\")"  # stored as text, not a formula
    assert sheet.cell(row=7, column=2).data_type == "s"


def test_dates_decimals_booleans_and_aware_datetimes() -> None:
    columns = [Column("d", "Ngày"), Column("p", "Tỷ lệ (%)"), Column("b", "Đang đạt"), Column("t", "Lúc")]
    rows = [{"d": date(2024, 12, 31), "p": Decimal("94.51"), "b": True,
             "t": datetime(2025, 1, 15, 2, 30, tzinfo=UTC)}]
    assert to_csv(columns, rows).decode("utf-8-sig").splitlines()[1] == "2024-12-31,94.51,Có,2025-01-15T02:30:00+00:00"
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(columns, rows))).active
    row = list(sheet.iter_rows(min_row=2, values_only=True))[0]
    assert row[0].date() == date(2024, 12, 31) and row[1] == 94.51 and row[2] == "Có"
    assert row[3] == "2025-01-15T02:30:00+00:00"


def test_content_disposition_carries_the_vietnamese_name_and_an_ascii_fallback() -> None:
    header = content_disposition("Thống kê khen thưởng năm 2023.xlsx")
    assert header.startswith('attachment; filename="Thong-ke-khen-thuong-nam-2023.xlsx"')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "Thống kê khen thưởng năm 2023.xlsx"
    assert header.isascii()
    assert ascii_fallback("Đăng ký thi đua") == "Dang-ky-thi-dua"


def test_render_picks_the_media_type() -> None:
    body, media, disposition = render("csv", COLUMNS, ROWS, "Danh sách")
    assert media.startswith("text/csv") and "Danh-sach.csv" in disposition and body[:3] == b"\xef\xbb\xbf"
    body, media, _ = render("xlsx", COLUMNS, ROWS, "Danh sách")
    assert media.endswith("spreadsheetml.sheet") and body[:2] == b"PK"


def test_the_report_form_exports_with_its_parts_and_subtotals() -> None:
    fold = AwardStatsFold().apply_all(article_2023_events())
    report = report_forms.annual_report(2023, fold.rows(), fold.award_names())
    body = to_xlsx(report_forms.COLUMNS, report["rows"], title=report["title"], notes=[report["note"]],
                   bold_rows=report_forms.is_bold)
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    values = [r for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "BÁO CÁO THỐNG KÊ SỐ LƯỢNG THI ĐUA, KHEN THƯỞNG NĂM 2023"
    assert "Thông tư 02/2023/TT-BNV" in values[1][0]
    labels = [r[1] for r in values]
    assert "KHEN THƯỞNG DO BỘ QUYẾT ĐỊNH" in labels and "Cộng phần A" in labels
    line = next(r for r in values if r[1] == "Bằng khen của Bộ trưởng Bộ Công Thương")
    assert line[2:7] == ("Bộ trưởng", 68, 214, 0, 282)  # tập thể, cá nhân, hộ gia đình, tổng
    subtotal = next(r for r in values if r[1] == "Cộng phần A")
    assert subtotal[3:7] == (68, 384, 0, 452)
    assert sheet.cell(row=[r[1] for r in values].index("Cộng phần A") + 1, column=2).font.bold
