"""The demo's dossier PDFs: valid files whose text is the Vietnamese given, the same bytes for the same text."""

from __future__ import annotations

import io

import pypdf

from tdkt.demo_data.dossier_pdf import document_pdf


def test_a_dossier_pdf_is_a_valid_pdf_with_its_vietnamese_text() -> None:
    body = "Đơn vị: Vụ Tổ chức cán bộ\nĐề nghị: Bằng khen của Bộ trưởng cho bà Nguyễn Thị Hương, năm 2023."
    content = document_pdf("Báo cáo thành tích – Nguyễn Thị Hương", body)
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")
    reader = pypdf.PdfReader(io.BytesIO(content), strict=True)
    text = reader.pages[0].extract_text()
    assert "BÁO CÁO THÀNH TÍCH – NGUYỄN THỊ HƯƠNG" in text
    assert "Vụ Tổ chức cán bộ" in text and "Nguyễn Thị Hương, năm 2023." in text
    assert document_pdf("Tờ trình", body) == document_pdf("Tờ trình", body)
    assert document_pdf("Tờ trình", body) != document_pdf("Tờ trình", body + " ")
    assert len(content) < 64 * 1024  # small: the demo attaches hundreds


def test_a_long_paragraph_wraps_within_the_page() -> None:
    long = " ".join(["Hoàn thành xuất sắc nhiệm vụ được giao"] * 20)
    text = pypdf.PdfReader(io.BytesIO(document_pdf("Tờ trình", long))).pages[0].extract_text()
    assert len(text.splitlines()) > 5 and max(len(line) for line in text.splitlines()) < 120
