"""The parts every administrative document of the Ministry shares (Nghị định 30/2020/NĐ-CP, Appendix I), DOCX and PDF.

A decision (:mod:`.documents`, :mod:`.decision_pdf`) and a tờ trình (:mod:`.submission`) print the same
heading — the issuing agency under the agency it belongs to, the number; the Quốc hiệu, the tiêu ngữ, the place
and date —, the same title (the document's kind, its trích yếu, a short rule under it) and the same signature
block, with "Nơi nhận" on its left. They are written once here: :func:`docx_heading`, :func:`docx_signature`
with python-docx; :func:`pdf_heading`, :func:`pdf_title`, :func:`pdf_signature` with fpdf2. Pure: bytes in
memory, no I/O but the fonts.

What the Appendix fixes and the PDF keeps:

- A4 portrait; margins top 20 mm, bottom 20 mm, left 30 mm, right 15 mm (the Appendix: 20–25, 20–25, 30–35,
  15–20);
- the Quốc hiệu ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") upper case, bold, 12–13 pt, on one line; under it the
  tiêu ngữ ("Độc lập - Tự do - Hạnh phúc") bold, 13–14 pt, with a solid rule under it as long as the line;
- the issuing agency's name upper case, bold, under the agency it belongs to (cơ quan chủ quản) when it has
  one, with a solid rule under it from a third to half of the line's length, centred;
- the number ("Số: …") under the agency; the place and date italic under the tiêu ngữ;
- the document's kind ("QUYẾT ĐỊNH", "TỜ TRÌNH") and its trích yếu bold and centred, a short rule (a third to
  half of the line) under the trích yếu; the body 13–14 pt, justified, first lines indented;
- the signature block on the right (the signer's authority in upper case, bold; the name bold), "Nơi nhận"
  on the left (bold italic 12 pt, the items 11 pt).

The PDF's font is DejaVu Serif (Debian's fonts-dejavu-core and fonts-dejavu-extra; the image carries both),
embedded as a subset: every Vietnamese letter prints the same everywhere. Times New Roman, which the
Appendix names, is not free to ship; DejaVu Serif is its nearest free Unicode serif. The DOCX names Times New
Roman, which the office's word processor has.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Literal

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from pydantic import Field

from ..domain.base import DomainModel

FONT = "Times New Roman"
"""The DOCX's font (NĐ 30/2020, Appendix I)."""

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


class Issuer(DomainModel):
    """Who issues the document: the heading, the number's symbol and the signer's title."""

    organisation: str = Field(default="BỘ CÔNG THƯƠNG", description="Tên cơ quan ban hành, upper case.")
    parent: str | None = Field(default=None, description="Cơ quan chủ quản, for a unit's decision.")
    symbol: str = Field(default="BCT", description="Ký hiệu: the number reads '…/QĐ-BCT'.")
    place: str = Field(default="Hà Nội", description="Địa danh of the date line.")
    decider_title: str = Field(default="BỘ TRƯỞNG BỘ CÔNG THƯƠNG", description="Who decides, as the decision names it.")
    signer_title: str = Field(
        default="BỘ TRƯỞNG", description="Above the signature, one line each, e.g. 'KT. BỘ TRƯỞNG\\nTHỨ TRƯỞNG'."
    )
    decider_vi: str = Field(default="Bộ trưởng Bộ Công Thương", description="The decider in running text.")
    name_vi: str = Field(default="Bộ Công Thương", description="The agency in running text.")
    executors: str = Field(
        default="Chánh Văn phòng Bộ, Vụ trưởng Vụ Tổ chức cán bộ, Thủ trưởng các đơn vị có liên quan",
        description="Who carries out the decision (Điều 3), before the recipients.",
    )
    filing: str = Field(default="Lưu: VT, TCCB.", description="Last line of 'Nơi nhận'.")
    fund: str = Field(default="Quỹ thi đua, khen thưởng của Bộ Công Thương", description="Where the cash comes from.")


MINISTRY = Issuer()
"""The Minister of Industry and Trade (Bộ trưởng Bộ Công Thương)."""


# --------------------------------------------------------------------------- wording


def two_digits(n: int) -> str:
    """A count as administrative style writes it, a leading zero below ten: "02 cá nhân"."""
    return f"{n:02d}"


def date_line(place: str, day: date | None) -> str:
    """``Hà Nội, ngày 05 tháng 02 năm 2024``; blanks to fill by hand when the document is not dated yet."""
    if day is None:
        return f"{place}, ngày      tháng      năm 20   "
    # Day and month below 10 take a leading zero for 1–2 (NĐ 30/2020, Appendix I): "ngày 05 tháng 02".
    dd = f"{day.day:02d}" if day.day < 10 else str(day.day)
    mm = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {dd} tháng {mm} năm {day.year}"


def short_date(day: date) -> str:
    """``20/12/2024``: a date in running text and tables."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def number_line(number: str | None, kind: str, issuer: Issuer) -> str:
    """``Số: 1520/QĐ-BCT``; ``Số:        /QĐ-BCT`` before the document has its number (``kind``: QĐ, TTr)."""
    return f"Số: {number}" if number else f"Số:        /{kind}-{issuer.symbol}"


# --------------------------------------------------------------------------- DOCX (python-docx)


def new_docx(title: str, issuer: Issuer, day: date | None, *, landscape: bool = False) -> DocxDocument:
    """An empty A4 document in Times New Roman 14 pt with the decree's margins; dated ``day`` when known."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    # East-Asian and complex-script slots too, or Word substitutes another font for some characters.
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    style.paragraph_format.space_after = Pt(3)
    section = document.sections[0]
    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
        section.top_margin = section.bottom_margin = section.left_margin = section.right_margin = Mm(20)
    else:
        section.page_width, section.page_height = width, height
        section.top_margin, section.bottom_margin = Mm(20), Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    props = document.core_properties
    props.title = title
    props.author = issuer.organisation
    props.last_modified_by = issuer.organisation
    props.language = "vi-VN"
    if day is not None:
        # Fixed timestamps keep the file the same for the same document.
        stamp = datetime(day.year, day.month, day.day)
        props.created = props.modified = stamp
    return document


def para(
    where: DocxDocument | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    align: Literal["left", "center", "right", "justify"] = "left",
    indent: bool = False,
    space_after: float | None = None,
) -> Paragraph:
    """One paragraph of one run."""
    paragraph = where.add_paragraph()
    runs(paragraph, [(text, bold, italic)], size)
    paragraph.alignment = {
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
    }[align]
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    if space_after is not None:
        paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def runs(paragraph: Paragraph, parts: Sequence[tuple[str, bool, bool]], size: float | None = None) -> None:
    """Append (text, bold, italic) runs to ``paragraph``."""
    for text, bold, italic in parts:
        if not text:
            continue
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size is not None:
            run.font.size = Pt(size)


def cell(where: _Cell, lines: Sequence[tuple[str, bool, bool]], *, size: float = 13, align: str = "center") -> None:
    """A table cell's lines, one paragraph each: (text, bold, italic)."""
    where.paragraphs[0].text = ""
    first = True
    for text, bold, italic in lines:
        paragraph = where.paragraphs[0] if first else where.add_paragraph()
        first = False
        runs(paragraph, [(text, bold, italic)], size)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.space_after = Pt(0)


def docx_bytes(document: DocxDocument) -> bytes:
    """The document's file."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def docx_heading(document: DocxDocument, issuer: Issuer, number: str, dated: str) -> None:
    """The two columns: the agency (under its parent) and ``number``; the Quốc hiệu, the tiêu ngữ and ``dated``."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.width, right.width = Mm(65), Mm(100)
    issuer_lines = [(issuer.parent, False, False)] if issuer.parent else []
    issuer_lines += [(issuer.organisation, True, False), ("", False, False), (number, False, False)]
    cell(left, issuer_lines)
    cell(right, [(QUOC_HIEU, True, False), (TIEU_NGU, True, False), ("", False, False), (dated, False, True)])
    para(document, "")


def docx_signature(document: DocxDocument, issuer: Issuer, signer_name: str | None, sent_to: Sequence[str]) -> None:
    """"Nơi nhận" (``sent_to``, one item a line) on the left; the signer's title, room to sign, the name."""
    para(document, "")
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    cell(left, [("Nơi nhận:", True, True), *((f"- {item}", False, False) for item in sent_to)], size=11,
         align="left")
    signer_lines = [(line, True, False) for line in issuer.signer_title.split("\n")]
    signer_lines += [("", False, False)] * 4
    signer_lines += [(signer_name or "", True, False)]
    cell(right, signer_lines)


# --------------------------------------------------------------------------- PDF (fpdf2)

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf",
         "BI": "DejaVuSerif-BoldItalic.ttf"}
FAMILY = "DejaVuSerif"

TOP_MM, BOTTOM_MM, LEFT_MM, RIGHT_MM = 20.0, 20.0, 30.0, 15.0
"""The page's margins (NĐ 30/2020, Appendix I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm)."""

BODY_PT = 13
LINE_MM = 6.5
RULE_WIDTH_MM = 0.3
SHORT_RULE = 0.4
"""A short rule's length as a share of its line (the Appendix: from a third to half)."""


def embed_fonts(pdf: FPDF, files: Mapping[tuple[str, str], str]) -> None:
    """Add each (family, style) → file of :data:`FONT_DIR` to ``pdf`` (embedded as a subset when used)."""
    for (family, style), name in files.items():
        path = FONT_DIR / name
        if not path.exists():
            raise RuntimeError(f"font {path} is missing: install fonts-dejavu-core and fonts-dejavu-extra")
        pdf.add_font(family, style, str(path))


def new_pdf(title: str, issuer: Issuer, day: date | None) -> FPDF:
    """An A4 portrait PDF with the decree's margins and the embedded serif; dated ``day`` when known."""
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    embed_fonts(pdf, {(FAMILY, style): name for style, name in FONTS.items()})
    pdf.set_margins(LEFT_MM, TOP_MM, RIGHT_MM)
    pdf.set_auto_page_break(True, margin=BOTTOM_MM)
    pdf.set_line_width(RULE_WIDTH_MM)
    pdf.set_title(title)
    pdf.set_author(issuer.organisation)
    pdf.set_creator("tdkt")
    pdf.set_lang("vi-VN")
    if day is not None:  # the same document gives the same file
        pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))
    return pdf


def content_width(pdf: FPDF) -> float:
    """The width between the margins, in mm."""
    return pdf.w - LEFT_MM - RIGHT_MM


def _fitting_size(pdf: FPDF, text: str, style: str, sizes: tuple[int, ...], width: float) -> int:
    """The largest size of ``sizes`` at which ``text`` holds on one line of ``width``."""
    for size in sizes:
        pdf.set_font(FAMILY, style, size)
        if pdf.get_string_width(text) <= width:
            return size
    return sizes[-1]


def centred_lines(pdf: FPDF, x: float, width: float, lines: list[tuple[str, str, int]]) -> float:
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


def pdf_heading(pdf: FPDF, issuer: Issuer, number: str, dated: str, *, draft: bool = False) -> None:
    """The two columns under the top margin: the agency and ``number``; the Quốc hiệu, tiêu ngữ and ``dated``."""
    content = content_width(pdf)
    qh_size = _fitting_size(pdf, QUOC_HIEU, "B", (13, 12), content * 0.62)
    pdf.set_font(FAMILY, "B", qh_size)
    right_w = pdf.get_string_width(QUOC_HIEU) + 2
    left_w = content - right_w
    right_x = LEFT_MM + left_w
    top = pdf.t_margin
    if draft:
        pdf.set_font(FAMILY, "B", 12)
        pdf.set_xy(LEFT_MM, top)
        pdf.cell(content, LINE_MM, "DỰ THẢO", align=Align.R)
        top += LINE_MM

    pdf.set_y(top)
    agency = [(issuer.parent, "", 12)] if issuer.parent else []
    agency.append((issuer.organisation, "B", 12))
    name_width = centred_lines(pdf, LEFT_MM, left_w, agency)
    rule_y = pdf.get_y() + 0.8
    _rule(pdf, LEFT_MM + left_w / 2, name_width * SHORT_RULE, rule_y)
    pdf.set_y(rule_y + 2.5)
    centred_lines(pdf, LEFT_MM, left_w, [(number, "", BODY_PT)])
    left_end = pdf.get_y()

    pdf.set_y(top)
    centred_lines(pdf, right_x, right_w, [(QUOC_HIEU, "B", qh_size)])
    pdf.set_font(FAMILY, "B", 13)
    motto_width = centred_lines(pdf, right_x, right_w, [(TIEU_NGU, "B", 13)])
    rule_y = pdf.get_y() + 0.8
    _rule(pdf, right_x + right_w / 2, motto_width, rule_y)
    pdf.set_y(rule_y + 2.5)
    centred_lines(pdf, right_x, right_w, [(dated, "I", BODY_PT)])
    pdf.set_y(max(left_end, pdf.get_y()) + LINE_MM)


def pdf_title(pdf: FPDF, kind: str, subject: str) -> None:
    """The document's kind (``QUYẾT ĐỊNH``, ``TỜ TRÌNH``) and its trích yếu, centred, a short rule under it."""
    content = content_width(pdf)
    centred_lines(pdf, LEFT_MM, content, [(kind, "B", 14)])
    width = centred_lines(pdf, LEFT_MM, content, [(subject, "B", 14)])
    rule_y = pdf.get_y() + 0.8
    _rule(pdf, LEFT_MM + content / 2, width * SHORT_RULE, rule_y)
    pdf.set_y(rule_y + LINE_MM)


def pdf_signature(pdf: FPDF, issuer: Issuer, signer_name: str | None, sent_to: Sequence[str]) -> None:
    """"Nơi nhận" (``sent_to``) on the left half; the signer's title, room to sign and the name on the right."""
    half = content_width(pdf) / 2
    title_lines = issuer.signer_title.split("\n")
    needed = LINE_MM * (len(title_lines) + 6)
    if pdf.get_y() + needed > pdf.h - BOTTOM_MM:
        pdf.add_page()
    top = pdf.get_y() + 3
    pdf.set_xy(LEFT_MM, top)
    pdf.set_font(FAMILY, "BI", 12)
    pdf.cell(half, 5, "Nơi nhận:", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 11)
    for item in sent_to:
        pdf.multi_cell(half, 5, f"- {item}", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_y(top)
    centred_lines(pdf, LEFT_MM + half, half, [(line, "B", BODY_PT) for line in title_lines])
    pdf.set_y(pdf.get_y() + LINE_MM * 4)  # room for the signature and the seal
    centred_lines(pdf, LEFT_MM + half, half, [(signer_name or "", "B", BODY_PT)])
