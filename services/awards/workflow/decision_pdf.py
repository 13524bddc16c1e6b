"""A decision as a PDF laid out as Nghị định 30/2020/NĐ-CP, Appendix I (thể thức văn bản hành chính) sets it.

The same words as the DOCX (:mod:`.documents`: :func:`heading_texts`, :func:`decision_articles`, the annex's
lines); pure, bytes in memory, with fpdf2. What the Appendix fixes and this layout keeps:

- A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (the Appendix: 20–25, 20–25, 30–35,
  15–20);
- the Quốc hiệu ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") upper case, bold, 12–13 pt, on one line; under it the
  tiêu ngữ ("Độc lập - Tự do - Hạnh phúc") bold, 13–14 pt, with a solid rule under it as long as the line;
- the issuing agency's name upper case, bold, under the agency it belongs to (cơ quan chủ quản) when it has
  one, with a solid rule under it from a third to half of the line's length, centred;
- the number ("Số: …") under the agency; the place and date italic under the tiêu ngữ;
- the document's kind ("QUYẾT ĐỊNH") and its trích yếu bold and centred, a short rule (a third to half of the
  line) under the trích yếu; the body 13–14 pt, justified, first lines indented;
- the signature block on the right (the signer's authority in upper case, bold; the name bold), "Nơi nhận"
  on the left (bold italic 12 pt, the items 11 pt).

The font is DejaVu Serif (Debian's fonts-dejavu-core and fonts-dejavu-extra; the image carries both),
embedded as a subset: every Vietnamese letter prints the same everywhere. Times New Roman, which the
Appendix names, is not free to ship; DejaVu Serif is its nearest free Unicode serif.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from fpdf.fonts import FontFace

from .documents import (
    DecisionDocument,
    annex_closing,
    annex_groups,
    annex_heading,
    decision_articles,
    heading_texts,
)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf",
         "BI": "DejaVuSerif-BoldItalic.ttf"}
FAMILY = "DejaVuSerif"

TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 20.0, 20.0, 30.0, 15.0
"""The page's margins (NĐ 30/2020, Appendix I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm)."""

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
BODY_PT = 13
LINE_MM = 6.5
RULE_WIDTH_MM = 0.3
SHORT_RULE = 0.4
"""A short rule's length as a share of its line (the Appendix: from a third to half)."""


def _pdf(title: str, doc: DecisionDocument) -> FPDF:
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    for style, name in FONTS.items():
        path = FONT_DIR / name
        if not path.exists():
            raise RuntimeError(f"font {path} is missing: install fonts-dejavu-core and fonts-dejavu-extra")
        pdf.add_font(FAMILY, style, str(path))
    pdf.set_margins(LEFT_MM, TOP_MM, RIGHT_MM)
    pdf.set_auto_page_break(True, margin=BOTTOM_MM)
    pdf.set_line_width(RULE_WIDTH_MM)
    pdf.set_title(title)
    pdf.set_author(doc.issuer.organisation)
    pdf.set_creator("tdkt")
    pdf.set_lang("vi-VN")
    if doc.decision_date is not None:  # the same decision gives the same file
        day = doc.decision_date
        pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
    return pdf


def _fitting_size(pdf: FPDF, text: str, style: str, sizes: tuple[int, ...], width: float) -> int:
    """The largest size of ``sizes`` at which ``text`` holds on one line of ``width``."""
    for size in sizes:
        pdf.set_font(FAMILY, style, size)
        if pdf.get_string_width(text) <= width:
            return size
    return sizes[-1]


def _centred_lines(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, int]]) -> float:
    """Lines centred in the column [x, x + width] from the current y; the width of the last line printed."""
    last = 0.0
    for text, style, size in lines:
        pdf.set_font(FAMILY, style, size)
        pdf.set_x(x)
        pdf.multi_cell(width, LINE_MM, text, align=Align.C, new_x=XPos.LEFT, new_y=YPos.NEXT)
        last = min(pdf.get_string_width(text), width)
    return last


def _rule(pdf: FPDF, centre: float, length: float, y: float) -> None:
    pdf.line(centre - length / 2, y, centre + length / 2, y)


def _heading(pdf: FPDF, doc: DecisionDocument) -> None:
    """The two columns under the top margin: the agency and number; the Quốc hiệu, tiêu ngữ and date."""
    texts = heading_texts(doc)
    content = pdf.w - LEFT_MM - RIGHT_MM
    qh_size = _fitting_size(pdf, QUOC_HIEU, "B", (13, 12), content * 0.62)
    pdf.set_font(FAMILY, "B", qh_size)
    right_w = pdf.get_string_width(QUOC_HIEU) + 2
    left_w = content - right_w
    right_x = LEFT_MM + left_w
    top = pdf.t_margin
    if doc.is_draft:
        pdf.set_font(FAMILY, "B", 12)
        pdf.set_xy(LEFT_MM, top)
        pdf.cell(content, LINE_MM, "DỰ THẢO", align=Align.R)
        top += LINE_MM

    pdf.set_y(top)
    agency = [(doc.issuer.parent, "", 12)] if doc.issuer.parent else []
    agency.append((doc.issuer.organisation, "B", 12))
    name_width = _centred_lines(pdf, LEFT_MM, left_w, agency)
    rule_y = pdf.get_y() + 0.8
    _rule(pdf, LEFT_MM + left_w / 2, name_width * SHORT_RULE, rule_y)
    pdf.set_y(rule_y + 2.5)
    _centred_lines(pdf, LEFT_MM, left_w, [(texts.number_line, "", BODY_PT)])
    left_end = pdf.get_y()

    pdf.set_y(top)
    _centred_lines(pdf, right_x, right_w, [(QUOC_HIEU, "B", qh_size)])
    pdf.set_font(FAMILY, "B", 13)
    motto_width = _centred_lines(pdf, right_x, right_w, [(TIEU_NGU, "B", 13)])
    rule_y = pdf.get_y() + 0.8
    _rule(pdf, right_x + right_w / 2, motto_width, rule_y)
    pdf.set_y(rule_y + 2.5)
    _centred_lines(pdf, right_x, right_w, [(texts.date_line, "I", BODY_PT)])
    pdf.set_y(max(left_end, pdf.get_y()) + LINE_MM)


def _title(pdf: FPDF, doc: DecisionDocument) -> None:
    content = pdf.w - LEFT_MM - RIGHT_MM
    subject = heading_texts(doc).subject_line
    _centred_lines(pdf, LEFT_MM, content, [("QUYẾT ĐỊNH", "B", 14)])
    width = _centred_lines(pdf, LEFT_MM, content, [(subject, "B", 14)])
    rule_y = pdf.get_y() + 0.8
    _rule(pdf, LEFT_MM + content / 2, width * SHORT_RULE, rule_y)
    pdf.set_y(rule_y + LINE_MM)
    _centred_lines(pdf, LEFT_MM, content, [(doc.issuer.decider_title, "B", BODY_PT)])
    pdf.ln(2)


def _body(pdf: FPDF, doc: DecisionDocument) -> None:
    pdf.set_font(FAMILY, "", BODY_PT)
    with pdf.text_columns(text_align=Align.J, line_height=1.3) as columns:
        pdf.set_font(FAMILY, "I", BODY_PT)
        for basis in doc.legal_bases:
            with columns.paragraph(first_line_indent=10, bottom_margin=1) as paragraph:
                paragraph.write(basis)
        with columns.paragraph(first_line_indent=10, bottom_margin=1) as paragraph:
            paragraph.write(f"Theo đề nghị của {doc.proposed_by}.")
    _centred_lines(pdf, LEFT_MM, pdf.w - LEFT_MM - RIGHT_MM, [("QUYẾT ĐỊNH:", "B", BODY_PT)])
    pdf.ln(1)
    with pdf.text_columns(text_align=Align.J, line_height=1.3) as columns:
        for heading, text in decision_articles(doc):
            with columns.paragraph(first_line_indent=10, bottom_margin=1.5) as paragraph:
                pdf.set_font(FAMILY, "B", BODY_PT)
                paragraph.write(heading + " ")
                pdf.set_font(FAMILY, "", BODY_PT)
                paragraph.write(text)


def _signature(pdf: FPDF, doc: DecisionDocument) -> None:
    content = pdf.w - LEFT_MM - RIGHT_MM
    half = content / 2
    title_lines = doc.issuer.signer_title.split("\n")
    needed = LINE_MM * (len(title_lines) + 6)
    if pdf.get_y() + needed > pdf.h - BOTTOM_MM:
        pdf.add_page()
    top = pdf.get_y() + 3
    pdf.set_xy(LEFT_MM, top)
    pdf.set_font(FAMILY, "BI", 12)
    pdf.cell(half, 5, "Nơi nhận:", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 11)
    for line in ("- Như Điều 3;", f"- {doc.issuer.filing}"):
        pdf.multi_cell(half, 5, line, new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(top)
    _centred_lines(pdf, LEFT_MM + half, half, [(line, "B", BODY_PT) for line in title_lines])
    pdf.set_y(pdf.get_y() + LINE_MM * 4)  # room for the signature and the seal
    _centred_lines(pdf, LEFT_MM + half, half, [(doc.signer_name or "", "B", BODY_PT)])


def _annex(pdf: FPDF, doc: DecisionDocument) -> None:
    pdf.add_page()
    content = pdf.w - LEFT_MM - RIGHT_MM
    title, whom, reference = annex_heading(doc)
    _centred_lines(pdf, LEFT_MM, content, [(title, "B", BODY_PT), (whom, "B", BODY_PT), (reference, "I", 12)])
    pdf.ln(3)
    pdf.set_font(FAMILY, "", 11)
    heading = FontFace(emphasis="BOLD")
    # align LEFT: fpdf2 centres a table on the page, not between the margins (30 and 15 mm)
    with pdf.table(col_widths=(11, 50, 46, 58), align="LEFT", headings_style=heading, line_height=5.5,
                   text_align=("CENTER", "LEFT", "LEFT", "LEFT"), repeat_headings=1) as table:
        row = table.row()
        for text in ("STT", "Họ và tên / Tên tập thể", "Đơn vị", "Thành tích"):
            row.cell(text, align=Align.C)
        number = 0
        for label, members in annex_groups(doc):
            if label:
                table.row().cell(label, colspan=4, style=heading)
            for recipient in members:
                number += 1
                row = table.row()
                row.cell(str(number))
                row.cell(recipient.addressed)
                row.cell(recipient.where)
                row.cell(recipient.achievement)
    pdf.ln(2)
    pdf.set_font(FAMILY, "I", 12)
    pdf.multi_cell(content, LINE_MM, annex_closing(doc))


def render_decision_pdf(doc: DecisionDocument) -> bytes:
    """The decision with its annex as PDF bytes (NĐ 30/2020 layout); a draft when it has no number yet."""
    subject = heading_texts(doc).subject_line
    title = ("Dự thảo quyết định " if doc.is_draft else "Quyết định ") + subject[0].lower() + subject[1:]
    pdf = _pdf(title, doc)
    pdf.add_page()
    _heading(pdf, doc)
    _title(pdf, doc)
    _body(pdf, doc)
    _signature(pdf, doc)
    _annex(pdf, doc)
    return bytes(pdf.output())
