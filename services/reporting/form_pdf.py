"""A filled statistical form (:func:`statistical_forms.render`) as a PDF, with fpdf2. Pure: bytes in memory.

The same layout as the workbook (:mod:`form_workbook`): the header block, the title and year, the table
with its header rows repeated on every page, notes and the signature block. A4, landscape when the form
has six numbered columns or more; DejaVu Sans embedded (subset) so every Vietnamese letter prints
(Debian's fonts-dejavu-core; the image must carry it).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace

from .form_workbook import LANDSCAPE_FROM

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf", "I": "DejaVuSans-Oblique.ttf"}
MARGIN_MM = 12


def _pdf(landscape: bool) -> FPDF:
    pdf = FPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
    for style, name in FONTS.items():
        path = FONT_DIR / name
        if not path.exists():
            raise RuntimeError(f"font {path} is missing: install fonts-dejavu-core")
        pdf.add_font("DejaVu", style, str(path))
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=MARGIN_MM)
    return pdf


def to_pdf(form: Mapping[str, Any]) -> bytes:
    """The form as a PDF on A4 pages, fitted to the page width, header rows repeated."""
    columns = form["columns"]
    pdf = _pdf(len(columns) >= LANDSCAPE_FROM)
    pdf.set_title(f"Biểu {form['form']} năm {form['year']}")
    pdf.add_page()
    width = pdf.epw
    half = width / 2
    lines = (
        (f"Biểu số: {form['form']}", f"Đơn vị báo cáo: {form['reporting_body'] or '…'}"),
        (form["circular"], f"Đơn vị nhận báo cáo: {form['receiving_body']}"),
        (form["received_on"], f"Đơn vị tính: {form['unit_of_measure']}"),
    )
    for i, (left, right) in enumerate(lines):
        pdf.set_font("DejaVu", "B" if i == 0 else "I", 8)
        pdf.cell(half, 4.5, left)
        pdf.set_font("DejaVu", "B" if i < 2 else "", 8)
        pdf.cell(half, 4.5, right, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 11)
    pdf.multi_cell(width, 5.5, form["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(width, 5, f"Năm {form['year']}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)

    grouped = any(c["group"] for c in columns)
    lead = ["", "Mã số"] + (["Đơn vị tính"] if form["has_unit_column"] else [])
    label_w, code_w, unit_w = (0.22 if grouped else 0.4) * width, 9.0, 14.0 if form["has_unit_column"] else 0
    number_w = (width - label_w - code_w - unit_w) / len(columns)
    widths = [label_w, code_w] + ([unit_w] if unit_w else []) + [number_w] * len(columns)
    size = 5.5 if grouped else 7.5
    pdf.set_font("DejaVu", "", size)
    heading = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(col_widths=widths, width=width, text_align="CENTER", line_height=size * 0.55,
                   num_heading_rows=3 if grouped else 2, headings_style=heading, first_row_as_headings=True,
                   repeat_headings=1) as table:
        top = table.row()
        for text in lead:
            top.cell(text, rowspan=2 if grouped else 1)
        done: set[str] = set()
        for c in columns:
            if grouped and c["group"]:
                if c["group"] not in done:
                    done.add(c["group"])
                    top.cell(c["group"], colspan=sum(1 for x in columns if x["group"] == c["group"]))
            else:
                top.cell(c["label"], rowspan=2 if grouped else 1)
        if grouped:
            sub = table.row()
            for c in columns:
                if c["group"]:
                    sub.cell(c["label"])
        numbers = table.row()
        for text in ["A", "B", "C"][:len(lead)] + [c["number"] for c in columns]:
            numbers.cell(text)
        for r in form["rows"]:
            style = FontFace(emphasis="BOLD" if r["kind"] in ("total", "heading") else
                             "ITALICS" if r["kind"] == "not_classified" else None)
            row = table.row(style=style)
            row.cell(r["label"], align="LEFT")
            row.cell(r["code"] or "")
            if form["has_unit_column"]:
                row.cell(r["unit"] or "")
            values = r["values"] or {}
            for c in columns:
                value = values.get(c["key"]) if r["values"] else None
                row.cell("" if value is None else str(value))

    pdf.ln(3)
    pdf.set_font("DejaVu", "I", 7)
    for note in form["notes"]:
        pdf.multi_cell(width, 3.5, f"Ghi chú: {note}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_x(pdf.l_margin + half)
    pdf.set_font("DejaVu", "I", 8)
    pdf.cell(half, 5, "…, ngày … tháng … năm …", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "B", 8)
    pdf.cell(half, 5, "NGƯỜI LẬP BIỂU", align="C")
    pdf.cell(half, 5, "THỦ TRƯỞNG ĐƠN VỊ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "I", 8)
    pdf.cell(half, 5, "(Ký, ghi rõ họ tên)", align="C")
    pdf.cell(half, 5, "(Ký, đóng dấu, ghi rõ họ tên)", align="C")
    return bytes(pdf.output())
