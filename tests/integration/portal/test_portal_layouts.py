"""Certificate layouts in the browser on the real stack.

The office goes from the reference data page to the layouts, opens the blank of an award code for an issuer no
other test uses (the built-in layout in force), enters a size the awards service refuses and reads the refusal
next to that field with the input kept, fixes it and moves a box, saves, reads the layout back, and downloads
the calibration page: a PDF whose text names every field at the layout's positions.
"""

from __future__ import annotations

import io
import secrets

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from ..awards_workflow.test_awards_certificates_on_blanks import _runs
from .conftest import Portal
from .test_portal_nomination_flow import PAGE_WAIT_MS, send

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900, func_only=True)]


def test_the_office_edits_a_layout_and_prints_its_calibration_page(portal: Portal, page: Page) -> None:
    page.context.set_default_timeout(PAGE_WAIT_MS)
    portal.sign_in(page, "vanphong", "/reference")
    send(page, page.locator("[data-testid=layouts-link]"))
    assert page.locator("[data-testid=layouts] a[href='/certificate-layouts/BK_BT/BCT']").count() == 1
    issuer = f"T{secrets.token_hex(3).upper()}"
    page.fill("#open-code", "BK_BT")
    page.fill("#open-issuer", issuer)
    send(page, page.locator("form[aria-label='Mở bố cục phôi'] button"))
    assert page.url.endswith(f"/certificate-layouts/BK_BT/{issuer}")
    assert "mặc định" in page.locator("[data-testid=layout-state]").inner_text()

    page.fill("[id='unit_name.size_pt']", "100")
    send(page, page.locator("[data-testid=save-layout]"))
    assert page.locator("[data-testid='error-unit_name.size_pt']").inner_text() == "Phải nhỏ hơn hoặc bằng 72."
    assert page.locator("[id='unit_name.size_pt']").input_value() == "100"
    assert page.locator("[id='unit_name.size_pt']").get_attribute("aria-invalid") == "true"
    assert "mặc định" in page.locator("[data-testid=layout-state]").inner_text()  # nothing recorded

    page.fill("[id='unit_name.size_pt']", "18")
    page.fill("[id='recipient_name.x_mm']", "52,5")
    page.fill("[id='recipient_name.y_mm']", "88")
    page.locator("[id='register_number.printed']").uncheck()
    send(page, page.locator("[data-testid=save-layout]"))
    assert page.url.endswith(f"/certificate-layouts/BK_BT/{issuer}?saved=1")
    page.goto(f"{portal.url}/certificate-layouts/BK_BT/{issuer}")  # read back
    assert page.locator("[data-testid=layout-state]").inner_text() == "Bố cục đã ghi cho phôi này."
    assert page.locator("[id='unit_name.size_pt']").input_value() == "18"
    assert page.locator("[id='recipient_name.x_mm']").input_value() == "52.5"
    assert not page.locator("[id='register_number.printed']").is_checked()

    with page.expect_download() as download:
        page.locator("[data-testid=calibration]").click()
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")
    runs = _runs(PdfReader(io.BytesIO(pdf)).pages[0])  # (text, x, y) in mm from the top left corner
    labels = {text.split(" — ")[0]: (x, y) for text, x, y in runs if " — " in text}
    assert set(labels) == {"recipient_name", "unit_name", "achievement", "decision", "signer_title", "signer_name"}
    x, y = labels["recipient_name"]  # the label prints just inside its box's top left corner
    assert 52.5 <= x <= 56 and 88 <= y <= 92, (x, y)
    x, y = labels["unit_name"]  # the built-in box kept (40, 107)
    assert 40 <= x <= 44 and 107 <= y <= 111, (x, y)
    assert any("(52.5, 88 mm)" in text for text, _, _ in runs)
