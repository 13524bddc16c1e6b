"""Certificates printed on pre-printed blanks (phôi Bằng khen, Giấy khen): where each field goes, and the PDF.

The blank carries the emblem, the borders, the Quốc hiệu and the award's name; the office prints only the
variable fields on it, at the positions of its blank. A layout is kept per award code and issuer (``BCT`` for
the Minister's, a unit's code for a unit head's): the page size, and for each field its box (x, y from the
page's top left corner, width, height, in millimetres), font, size, weight and alignment. The calibration page
prints every box with its name, to lay over a blank against the light and correct the positions.

Pure: :func:`render_on_blank` and :func:`render_calibration` return PDF bytes (fpdf2, DejaVu embedded).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Literal

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos
from pydantic import Field, model_validator

from ..domain.base import DomainModel
from .documents import DecisionDocument, DocumentRecipient, decision_reference
from .admin_layout import embed_fonts

FieldName = Literal[
    "recipient_name", "unit_name", "achievement", "decision", "signer_title", "signer_name", "register_number"
]
FIELD_LABELS: Mapping[str, str] = {
    "recipient_name": "Họ và tên / tên tập thể",
    "unit_name": "Đơn vị",
    "achievement": "Thành tích",
    "decision": "Số, ngày quyết định",
    "signer_title": "Chức vụ người ký",
    "signer_name": "Họ tên người ký",
    "register_number": "Số sổ vàng",
}
FONT_FILES: Mapping[tuple[str, str], str] = {
    ("serif", ""): "DejaVuSerif.ttf", ("serif", "B"): "DejaVuSerif-Bold.ttf",
    ("serif", "I"): "DejaVuSerif-Italic.ttf", ("serif", "BI"): "DejaVuSerif-BoldItalic.ttf",
    ("sans", ""): "DejaVuSans.ttf", ("sans", "B"): "DejaVuSans-Bold.ttf",
    ("sans", "I"): "DejaVuSans-Oblique.ttf", ("sans", "BI"): "DejaVuSans-BoldOblique.ttf",
}


class FieldBox(DomainModel):
    """Where one field prints: its box from the page's top left corner (mm), its font and alignment."""

    x_mm: float = Field(ge=0, le=500)
    y_mm: float = Field(ge=0, le=500)
    width_mm: float = Field(gt=0, le=500)
    height_mm: float = Field(gt=0, le=500)
    font: Literal["serif", "sans"] = "serif"
    size_pt: float = Field(default=14, ge=6, le=72)
    bold: bool = False
    italic: bool = False
    align: Literal["left", "center", "right"] = "center"

    @property
    def style(self) -> str:
        """fpdf2's style letters."""
        return ("B" if self.bold else "") + ("I" if self.italic else "")


class CertificateLayout(DomainModel):
    """The blank of one award code and issuer: its page and the boxes of the fields it prints."""

    page_width_mm: float = Field(default=297, gt=50, le=500, description="The blank's width (A4 landscape: 297).")
    page_height_mm: float = Field(default=210, gt=50, le=500, description="The blank's height (A4 landscape: 210).")
    fields: dict[FieldName, FieldBox] = Field(description="The fields printed, each in its box; others are left out.")

    @model_validator(mode="after")
    def _boxes_on_the_page(self) -> CertificateLayout:
        if "recipient_name" not in self.fields:
            raise ValueError("a layout prints at least the recipient_name")
        for name, box in self.fields.items():
            if box.x_mm + box.width_mm > self.page_width_mm or box.y_mm + box.height_mm > self.page_height_mm:
                raise ValueError(f"the box of {name} runs off the page ({self.page_width_mm} × {self.page_height_mm} mm)")
        return self


DEFAULT_LAYOUT = CertificateLayout(fields={
    "recipient_name": FieldBox(x_mm=40, y_mm=92, width_mm=217, height_mm=14, size_pt=24, bold=True),
    "unit_name": FieldBox(x_mm=40, y_mm=107, width_mm=217, height_mm=9, size_pt=16),
    "achievement": FieldBox(x_mm=40, y_mm=117, width_mm=217, height_mm=18, size_pt=15, italic=True),
    "decision": FieldBox(x_mm=30, y_mm=160, width_mm=110, height_mm=7, size_pt=12),
    "register_number": FieldBox(x_mm=30, y_mm=168, width_mm=110, height_mm=7, size_pt=12),
    "signer_title": FieldBox(x_mm=167, y_mm=150, width_mm=100, height_mm=8, size_pt=14, bold=True),
    "signer_name": FieldBox(x_mm=167, y_mm=182, width_mm=100, height_mm=8, size_pt=14, bold=True),
})
"""Positions for an A4 landscape blank with its printed heading in the upper third; each office corrects them
for its own blank (``PUT /certificate-layouts/{award_code}/{issuer}``)."""


def register_number(doc: DecisionDocument, position: int) -> str:
    """The recipient's number in the decision's register: the decision's number and the order in its annex
    (``1520/QĐ-BCT-003``). The events carry no số sổ vàng of their own: this one is unique per award."""
    return f"{doc.decision_number or ''}-{position:03d}"


def field_texts(doc: DecisionDocument, recipient: DocumentRecipient, position: int) -> dict[str, str]:
    """What each field prints for one recipient."""
    return {
        "recipient_name": recipient.addressed,
        "unit_name": recipient.where,
        "achievement": recipient.achievement,
        "decision": decision_reference(doc),
        "signer_title": doc.issuer.signer_title,
        "signer_name": doc.signer_name or "",
        "register_number": f"Số sổ vàng: {register_number(doc, position)}",
    }


def _pdf(layout: CertificateLayout, title: str, day: object | None) -> FPDF:
    pdf = FPDF(orientation="L" if layout.page_width_mm > layout.page_height_mm else "P", unit="mm",
               format=(min(layout.page_width_mm, layout.page_height_mm), max(layout.page_width_mm, layout.page_height_mm)))
    embed_fonts(pdf, FONT_FILES)
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(title)
    pdf.set_creator("tdkt")
    pdf.set_lang("vi-VN")
    if day is not None:
        pdf.set_creation_date(datetime(day.year, day.month, day.day, tzinfo=timezone.utc))  # type: ignore[attr-defined]
    return pdf


def _print(pdf: FPDF, box: FieldBox, text: str) -> None:
    pdf.set_font(box.font, box.style, box.size_pt)
    line = box.size_pt * 0.3528 * 1.25  # points to millimetres, with leading
    pdf.set_xy(box.x_mm, box.y_mm)
    align = {"left": Align.L, "center": Align.C, "right": Align.R}[box.align]
    pdf.multi_cell(box.width_mm, line, text, align=align, new_x=XPos.LEFT, new_y=YPos.NEXT)


def render_on_blank(layout: CertificateLayout, doc: DecisionDocument, recipients: Sequence[DocumentRecipient]) -> bytes:
    """One page per recipient, only the fields' text at the layout's positions (to print on the blanks)."""
    pdf = _pdf(layout, f"{doc.award_name} — {decision_reference(doc)}", doc.decision_date)
    order = {r.candidate_id: i for i, r in enumerate(doc.recipients, start=1)}
    for recipient in recipients:
        pdf.add_page()
        texts = field_texts(doc, recipient, order.get(recipient.candidate_id, 0))
        for name, box in layout.fields.items():
            if texts[name]:
                _print(pdf, box, texts[name])
    return bytes(pdf.output())


def render_calibration(layout: CertificateLayout) -> bytes:
    """One page with every field's box drawn and named, and a centimetre scale along the edges."""
    pdf = _pdf(layout, "Trang căn chỉnh phôi — calibration", None)
    pdf.add_page()
    pdf.set_line_width(0.2)
    for name, box in layout.fields.items():
        pdf.rect(box.x_mm, box.y_mm, box.width_mm, box.height_mm)
        pdf.set_font("sans", "", 7)
        pdf.set_xy(box.x_mm + 0.5, box.y_mm + 0.5)
        pdf.cell(box.width_mm - 1, 3, f"{name} — {FIELD_LABELS[name]} ({box.x_mm:g}, {box.y_mm:g} mm)")
    pdf.set_font("sans", "", 6)
    for x in range(10, int(layout.page_width_mm), 10):  # ticks every centimetre, to measure against the blank
        pdf.line(x, 0, x, 3 if x % 50 else 6)
        pdf.text(x + 0.5, 8, str(x))
    for y in range(10, int(layout.page_height_mm), 10):
        pdf.line(0, y, 3 if y % 50 else 6, y)
        pdf.text(7, y + 1, str(y))
    return bytes(pdf.output())
