"""Certificates on pre-printed blanks: one page per recipient, every field's text where the layout puts it
(read back from the PDF's text coordinates with pypdf), and a calibration page naming every box."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from tdkt_contracts.catalogue.awards import AwardGranted, Recipient

from services.awards.workflow import decision_from_awards
from services.awards.workflow.certificate_layout import (
    DEFAULT_LAYOUT,
    CertificateLayout,
    FieldBox,
    render_calibration,
    render_on_blank,
)

MM = 72 / 25.4
NAMES = ["Nguyễn Thị Hương", "Lê Thị Ánh Tuyết", "Đặng Quốc Hưng"]
LAYOUT = CertificateLayout(fields={
    "recipient_name": FieldBox(x_mm=50, y_mm=90, width_mm=200, height_mm=12, size_pt=22, bold=True, align="left"),
    "decision": FieldBox(x_mm=30, y_mm=160, width_mm=120, height_mm=7, size_pt=12, align="left"),
    "register_number": FieldBox(x_mm=30, y_mm=170, width_mm=120, height_mm=7, size_pt=11, align="left"),
    "signer_name": FieldBox(x_mm=170, y_mm=185, width_mm=100, height_mm=8, size_pt=14, bold=True, align="right"),
})


def _doc():  # type: ignore[no-untyped-def]
    events = [
        AwardGranted(
            award_id=f"a-{i}", year=2023, award_code="BK_BT", award_name="Bằng khen của Bộ trưởng Bộ Công Thương",
            category="merit", authority="minister", conferred_by_ministry=True, decision_number="1520/QĐ-BCT",
            decision_date=date(2023, 12, 20), signer="Bộ trưởng Nguyễn Hồng Diên",
            recipient=Recipient(candidate_id=f"c-{i}", recipient_kind="individual", subject_id=f"p-{i}",
                                display_name=name, unit_id="u-1"),
        )
        for i, name in enumerate(NAMES)
    ]
    return decision_from_awards(events)


def _runs(page) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    """(text, x mm from the left, baseline y mm from the top) of every text run."""
    height = float(page.mediabox.height)
    found = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
            found.append((unicodedata.normalize("NFC", text.strip()), x / MM, (height - y) / MM))

    page.extract_text(visitor_text=visit)
    return found


def test_one_page_per_recipient_with_each_field_in_its_box() -> None:
    doc = _doc()
    reader = PdfReader(io.BytesIO(render_on_blank(LAYOUT, doc, doc.recipients)))
    assert len(reader.pages) == 3
    assert (round(float(reader.pages[0].mediabox.width) / MM), round(float(reader.pages[0].mediabox.height) / MM)) \
        == (297, 210)
    for page, recipient in zip(reader.pages, doc.recipients, strict=True):
        runs = _runs(page)
        name = next(r for r in runs if recipient.name in r[0])
        assert abs(name[1] - (50 + 1)) < 1.5, name  # left-aligned: at the box's x (fpdf2's cell margin: 1 mm)
        assert 90 < name[2] < 90 + 12, name  # the baseline inside the box
        decision = next(r for r in runs if r[0].startswith("Quyết định số 1520/QĐ-BCT ngày 20/12/2023"))
        assert abs(decision[1] - 31) < 1.5 and 160 < decision[2] < 167, decision
        register = next(r for r in runs if r[0].startswith("Số sổ vàng: 1520/QĐ-BCT-"))
        assert 170 < register[2] < 177, register
        signer = next(r for r in runs if r[0] == "Nguyễn Hồng Diên")
        assert 170 < signer[1] < 270 and 185 < signer[2] < 193, signer
        others = [n for n in NAMES if n != recipient.name]
        assert not any(o in r[0] for r in runs for o in others)
        assert not any("BẰNG KHEN" in r[0] for r in runs)  # the blank carries its own heading


def test_register_numbers_differ_per_recipient() -> None:
    doc = _doc()
    reader = PdfReader(io.BytesIO(render_on_blank(LAYOUT, doc, doc.recipients)))
    numbers = [next(r[0] for r in _runs(p) if r[0].startswith("Số sổ vàng")) for p in reader.pages]
    assert len(set(numbers)) == 3


def test_the_calibration_page_names_every_box() -> None:
    reader = PdfReader(io.BytesIO(render_calibration(DEFAULT_LAYOUT)))
    assert len(reader.pages) == 1
    text = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    for name in DEFAULT_LAYOUT.fields:
        assert name in text, name
    label = next(r for r in _runs(reader.pages[0]) if r[0].startswith("recipient_name"))
    assert abs(label[1] - DEFAULT_LAYOUT.fields["recipient_name"].x_mm) < 3 and \
        abs(label[2] - DEFAULT_LAYOUT.fields["recipient_name"].y_mm) < 5, label


def test_a_box_off_the_page_or_no_name_is_refused() -> None:
    with pytest.raises(ValueError, match="runs off the page"):
        CertificateLayout(fields={"recipient_name": FieldBox(x_mm=250, y_mm=90, width_mm=100, height_mm=10)})
    with pytest.raises(ValueError, match="recipient_name"):
        CertificateLayout(fields={"unit_name": FieldBox(x_mm=10, y_mm=90, width_mm=100, height_mm=10)})
