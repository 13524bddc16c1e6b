"""The decision as PDF, read back with pypdf: Nghị định 30/2020's layout (A4, margins, the Quốc hiệu on one line,
the rules under the agency's name and the tiêu ngữ), the fonts embedded, every name with its diacritics."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream
from tdkt_contracts.catalogue.awards import AwardGranted, Recipient

from services.awards.workflow import decision_from_awards
from services.awards.workflow.admin_layout import BOTTOM_MM, LEFT_MM, QUOC_HIEU, RIGHT_MM, TIEU_NGU, TOP_MM
from services.awards.workflow.decision_pdf import render_decision_pdf

MM = 72 / 25.4
NAMES = ["Nguyễn Thị Hương", "Lê Thị Ánh Tuyết", "Đặng Quốc Hưng", "Huỳnh Văn Đức"]


def _decision(count: int = 4) -> bytes:
    events = [
        AwardGranted(
            award_id=f"a-{i}", year=2024, award_code="BK_BT", award_name="Bằng khen của Bộ trưởng Bộ Công Thương",
            category="merit", authority="minister", conferred_by_ministry=True, decision_number="1520/QĐ-BCT",
            decision_date=date(2024, 12, 20), signer="Bộ trưởng Nguyễn Hồng Diên", cash_multiple=1.0,
            recipient=Recipient(candidate_id=f"c-{i}", recipient_kind="individual", subject_id=f"p-{i}",
                                display_name=NAMES[i % len(NAMES)], unit_id="u-1"),
        )
        for i in range(count)
    ]
    return render_decision_pdf(decision_from_awards(events))


def _texts(page) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    """(text, x, y) of every text run shown, in points from the page's bottom left."""
    found: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            found.append((unicodedata.normalize("NFC", text.strip()), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


def _horizontal_lines(reader: PdfReader, page) -> list[tuple[float, float, float]]:  # type: ignore[no-untyped-def]
    """(x1, x2, y) of every horizontal segment stroked (``x y m x' y l S``), in points."""
    ops = ContentStream(page.get_contents(), reader).operations
    lines = []
    for (a, op_a), (b, op_b) in zip(ops, ops[1:], strict=False):
        if op_a == b"m" and op_b == b"l" and abs(float(a[1]) - float(b[1])) < 0.01:
            lines.append((float(a[0]), float(b[0]), float(a[1])))
    return lines


@pytest.fixture(scope="module")
def pdf() -> PdfReader:
    return PdfReader(io.BytesIO(_decision()))


def test_a4_with_the_decrees_margins(pdf: PdfReader) -> None:
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width / MM), round(height / MM)) == (210, 297)
    for page in pdf.pages:
        for text, x, y in _texts(page):
            assert x >= LEFT_MM * MM - 0.5, (text, x / MM)
            assert y <= height - TOP_MM * MM, (text, (height - y) / MM)
            assert y >= BOTTOM_MM * MM, (text, y / MM)
    assert (LEFT_MM, RIGHT_MM, TOP_MM, BOTTOM_MM) == (30, 15, 20, 20)


def test_the_quoc_hieu_is_one_line_and_the_tieu_ngu_has_its_rule(pdf: PdfReader) -> None:
    page = pdf.pages[0]
    texts = _texts(page)
    quoc_hieu = [t for t in texts if t[0] == QUOC_HIEU]
    motto = [t for t in texts if t[0] == TIEU_NGU]
    assert len(quoc_hieu) == 1 and len(motto) == 1, [t[0] for t in texts[:8]]
    motto_y = motto[0][2]
    lines = _horizontal_lines(pdf, page)
    under_motto = [(x1, x2, y) for x1, x2, y in lines if 0 < motto_y - y < 5 * MM]
    assert under_motto, lines
    # as long as the line of the tiêu ngữ: from its first letter to its last
    x1, x2, _ = under_motto[0]
    assert abs(min(x1, x2) - motto[0][1]) < 2 * MM


def test_the_agency_name_has_a_short_rule_under_it(pdf: PdfReader) -> None:
    page = pdf.pages[0]
    texts = _texts(page)
    agency = next(t for t in texts if t[0] == "BỘ CÔNG THƯƠNG")
    number = next(t for t in texts if t[0].startswith("Số: 1520/QĐ-BCT"))
    right_column = next(t for t in texts if t[0] == QUOC_HIEU)[1]
    lines = [(x1, x2, y) for x1, x2, y in _horizontal_lines(pdf, page)
             if number[2] < y < agency[2] and x2 < right_column]
    assert len(lines) == 1, lines
    x1, x2, _ = lines[0]
    name_width = 2 * (x1 + (x2 - x1) / 2 - agency[1])  # the rule is centred under the name
    assert 1 / 3 <= (x2 - x1) / name_width <= 1 / 2, (x2 - x1, name_width)


def test_fonts_are_embedded_and_every_name_prints(pdf: PdfReader) -> None:
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor, font
    text = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in pdf.pages))
    for expected in (*NAMES, "QUYẾT ĐỊNH", "Điều 1.", "Nguyễn Hồng Diên", "Hà Nội, ngày 20 tháng 12 năm 2024",
                     "DANH SÁCH", "Kèm theo Quyết định số 1520/QĐ-BCT ngày 20/12/2024"):
        assert expected in text, expected
    assert "DỰ THẢO" not in text


def test_a_long_annex_runs_over_pages_and_the_same_decision_gives_the_same_file() -> None:
    long = PdfReader(io.BytesIO(_decision(120)))
    assert len(long.pages) > 3
    assert sum(p.extract_text().count("Đặng Quốc Hưng") for p in long.pages) == 30
    assert _decision() == _decision()
