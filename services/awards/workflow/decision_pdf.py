"""A decision as a PDF laid out as Nghị định 30/2020/NĐ-CP, Appendix I (thể thức văn bản hành chính) sets it.

The same words as the DOCX (:mod:`.documents`: :func:`heading_texts`, :func:`decision_articles`, the annex's
lines); pure, bytes in memory, with fpdf2. The heading (the agency and its rule, the Quốc hiệu on one line, the
tiêu ngữ and its rule), the title with its short rule, the signature block with "Nơi nhận", the page (A4,
margins 20/20/30/15 mm) and the embedded font are those every administrative document shares
(:mod:`.admin_layout`, whose docstring lists what the Appendix fixes); this module adds the decision's own
parts: the decider, the legal bases, the articles and the annex.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align
from fpdf.fonts import FontFace

from .admin_layout import (
    BODY_PT,
    FAMILY,
    LEFT_MM,
    LINE_MM,
    centred_lines,
    content_width,
    new_pdf,
    pdf_heading,
    pdf_signature,
    pdf_title,
)
from .documents import (
    DecisionDocument,
    annex_closing,
    annex_groups,
    annex_heading,
    decision_articles,
    heading_texts,
)


def _title(pdf: FPDF, doc: DecisionDocument) -> None:
    pdf_title(pdf, "QUYẾT ĐỊNH", heading_texts(doc).subject_line)
    centred_lines(pdf, LEFT_MM, content_width(pdf), [(doc.issuer.decider_title, "B", BODY_PT)])
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
    centred_lines(pdf, LEFT_MM, content_width(pdf), [("QUYẾT ĐỊNH:", "B", BODY_PT)])
    pdf.ln(1)
    with pdf.text_columns(text_align=Align.J, line_height=1.3) as columns:
        for heading, text in decision_articles(doc):
            with columns.paragraph(first_line_indent=10, bottom_margin=1.5) as paragraph:
                pdf.set_font(FAMILY, "B", BODY_PT)
                paragraph.write(heading + " ")
                pdf.set_font(FAMILY, "", BODY_PT)
                paragraph.write(text)


def _annex(pdf: FPDF, doc: DecisionDocument) -> None:
    pdf.add_page()
    content = content_width(pdf)
    title, whom, reference = annex_heading(doc)
    centred_lines(pdf, LEFT_MM, content, [(title, "B", BODY_PT), (whom, "B", BODY_PT), (reference, "I", 12)])
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
    pdf = new_pdf(title, doc.issuer, doc.decision_date)
    pdf.add_page()
    texts = heading_texts(doc)
    pdf_heading(pdf, doc.issuer, texts.number_line, texts.date_line, draft=doc.is_draft)
    _title(pdf, doc)
    _body(pdf, doc)
    pdf_signature(pdf, doc.issuer, doc.signer_name, ("Như Điều 3;", doc.issuer.filing))
    _annex(pdf, doc)
    return bytes(pdf.output())
