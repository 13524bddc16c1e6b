"""A filled statistical form (:func:`statistical_forms.render`) as a print-ready XLSX. Pure: bytes in memory.

The official layout: the form's number, circular and receiving date top left,
the reporting and receiving bodies top right, the title and year in the
middle; then the header rows (A label, B mã số, C đơn vị tính where the form
has it, the numbered columns; an award's Tập thể / Cá nhân pair under its
merged name), a row of column letters and numbers, the figures, and the
signature block. Print setup: A4, landscape when wider than five numbered
columns, fitted to the page width, the header rows repeated on every page.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

_THIN = Side(style="thin")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="center", wrap_text=True)
LANDSCAPE_FROM = 6
"""A form with more numbered columns than this prints landscape."""


def _merge(sheet: Worksheet, row: int, first: int, last: int, value: Any, **style: Any) -> None:
    cell = sheet.cell(row=row, column=first, value=value)
    for name, v in style.items():
        setattr(cell, name, v)
    if last > first:
        sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)


def to_xlsx(form: Mapping[str, Any]) -> bytes:
    """The form as a workbook of one sheet, laid out and set up for printing on A4."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = form["form"].split("/")[0]
    lead = 3 if form["has_unit_column"] else 2  # A label, B code, [C unit]
    columns = form["columns"]
    width = lead + len(columns)
    half = max(lead, width // 2)

    left = (f"Biểu số: {form['form']}", form["circular"], form["received_on"])
    right = (f"Đơn vị báo cáo: {form['reporting_body'] or '…'}", f"Đơn vị nhận báo cáo: {form['receiving_body']}",
             f"Đơn vị tính: {form['unit_of_measure']}")
    for i, (l_text, r_text) in enumerate(zip(left, right, strict=True), start=1):
        _merge(sheet, i, 1, half, l_text, font=Font(italic=i > 1, bold=i == 1), alignment=_WRAP)
        _merge(sheet, i, half + 1, width, r_text, font=Font(bold=i < 3), alignment=_WRAP)
    _merge(sheet, 5, 1, width, form["title"], font=Font(bold=True, size=13), alignment=_CENTER)
    _merge(sheet, 6, 1, width, f"Năm {form['year']}", font=Font(bold=True), alignment=_CENTER)
    sheet.row_dimensions[5].height = 36

    grouped = any(c["group"] for c in columns)
    top = 8
    bottom = top + (1 if grouped else 0)
    heads = ["", "Mã số"] + (["Đơn vị tính"] if form["has_unit_column"] else [])
    for i, text in enumerate(heads, start=1):
        sheet.cell(row=top, column=i, value=text)
        if grouped:
            sheet.merge_cells(start_row=top, start_column=i, end_row=bottom, end_column=i)
    col = lead + 1
    while col <= width:
        c = columns[col - lead - 1]
        if grouped and c["group"]:
            span = [x for x in columns if x["group"] == c["group"]]
            _merge(sheet, top, col, col + len(span) - 1, c["group"])
            for j, x in enumerate(span):
                sheet.cell(row=bottom, column=col + j, value=x["label"])
            col += len(span)
        else:
            sheet.cell(row=top, column=col, value=c["label"])
            if grouped:
                sheet.merge_cells(start_row=top, start_column=col, end_row=bottom, end_column=col)
            col += 1
    numbers = bottom + 1
    for i, text in enumerate(["A", "B", "C"][:lead] + [c["number"] for c in columns], start=1):
        sheet.cell(row=numbers, column=i, value=text)
    for r in range(top, numbers + 1):
        for i in range(1, width + 1):
            cell = sheet.cell(row=r, column=i)
            cell.font, cell.alignment, cell.border = Font(bold=True), _CENTER, _BOX
    sheet.row_dimensions[top].height = 60 if not grouped else 45
    if grouped:
        sheet.row_dimensions[bottom].height = 30

    line = numbers
    for row in form["rows"]:
        line += 1
        strong = row["kind"] in ("total", "heading")
        cells = [row["label"], row["code"] or ""] + ([row["unit"] or ""] if form["has_unit_column"] else [])
        values = row["values"] or {}
        cells += [values.get(c["key"]) if row["values"] else None for c in columns]
        for i, value in enumerate(cells, start=1):
            cell = sheet.cell(row=line, column=i, value=value)
            cell.border = _BOX
            cell.alignment = _WRAP if i == 1 else _CENTER
            if isinstance(value, str):
                cell.data_type = "s"  # a label is never a formula
            if strong:
                cell.font = Font(bold=True)
            elif row["kind"] == "not_classified":
                cell.font = Font(italic=True)

    line += 2
    for note in form["notes"]:
        _merge(sheet, line, 1, width, f"Ghi chú: {note}", font=Font(italic=True, size=9), alignment=_WRAP)
        sheet.row_dimensions[line].height = 28
        line += 1
    line += 1
    _merge(sheet, line, half + 1, width, "…, ngày … tháng … năm …", font=Font(italic=True), alignment=_CENTER)
    line += 1
    _merge(sheet, line, 1, half, "NGƯỜI LẬP BIỂU", font=Font(bold=True), alignment=_CENTER)
    _merge(sheet, line, half + 1, width, "THỦ TRƯỞNG ĐƠN VỊ", font=Font(bold=True), alignment=_CENTER)
    line += 1
    _merge(sheet, line, 1, half, "(Ký, ghi rõ họ tên)", font=Font(italic=True), alignment=_CENTER)
    _merge(sheet, line, half + 1, width, "(Ký, đóng dấu, ghi rõ họ tên)", font=Font(italic=True),
           alignment=_CENTER)

    sheet.column_dimensions["A"].width = 48
    sheet.column_dimensions["B"].width = 7
    if form["has_unit_column"]:
        sheet.column_dimensions["C"].width = 11
    for i in range(lead + 1, width + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 9 if grouped else 16

    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape" if len(columns) >= LANDSCAPE_FROM else "portrait"
    setup.fitToWidth, setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = f"{top}:{numbers}"
    sheet.print_area = f"A1:{get_column_letter(width)}{line}"
    sheet.freeze_panes = sheet.cell(row=numbers + 1, column=lead + 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
