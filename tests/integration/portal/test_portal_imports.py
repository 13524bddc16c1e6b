"""Imports in a real browser on the real stack: a spreadsheet (made here with openpyxl) with a bad row is
checked, the row is reported with its reason and nothing is written; the corrected file is checked and
applied, and the new unit and people are then on the portal's pages. Who may import is the units service's
rule (the administrator): the office is shown the service's refusal."""

from __future__ import annotations

import io
import secrets

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page

from .conftest import Portal

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900, func_only=True)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PEOPLE_HEADER = ["STT", "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh (dd/mm/yyyy)", "Ngày vào ngành",
                 "Mã đơn vị", "Chức vụ", "Loại cán bộ"]


def _xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    """A workbook as an office writes one: a title row above the header."""
    book = Workbook()
    sheet = book.active
    sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(page: Page, kind: str, name: str, content: bytes) -> None:
    page.select_option("#kind", kind)
    page.set_input_files("#file", {"name": name, "mimeType": XLSX, "buffer": content})
    with page.expect_navigation():
        page.click("form[action='/imports'] button[type=submit]")


def test_a_spreadsheet_with_a_bad_row_is_reported_then_fixed_and_applied(portal: Portal, page: Page) -> None:
    tag = secrets.token_hex(3).upper()
    code = f"NK{tag}"  # as the file writes ids; the services keep them canonical (lower case: kernel.ids)
    unit_name = f"Phòng Nhập khẩu thử nghiệm {tag}"
    people = [
        [1, f"NK{tag}-1", "Nguyễn Thị Nhàn", "Nữ", "12/04/1985", "01/09/2008", code, "Chuyên viên chính", "Công chức"],
        [2, f"NK{tag}-2", "Trần Văn Khải", "Nam", "31/02/1990", "01/09/2012", code, "Chuyên viên", "Công chức"],
        [3, f"NK{tag}-3", "Lê Thị Hằng", "Nữ", "05/09/1991", "01/09/2014", code, "Chuyên viên", "Viên chức"],
    ]
    portal.sign_in(page, "quantri", "/imports")
    assert page.locator("h1").inner_text() == "Nhập dữ liệu từ bảng tính"

    # A unit (under the Import-Export Department), checked then applied.
    _upload(page, "units", "don_vi.xlsx", _xlsx("Danh sách đơn vị", [
        "Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Ngày thành lập"],
        [[code, unit_name, "Phòng", "u-cxnk", "01/01/2020"]]))
    assert page.locator("[data-testid=import-ok]").is_visible()
    with page.expect_navigation():
        page.click("form[action$='/apply'] button[type=submit]")
    page.wait_for_selector("[data-testid=import-applied]")
    assert "Đã ghi 1 dòng mới" in page.locator("[data-testid=import-applied]").inner_text()

    # People with a bad row: every problem in the table, nothing written, no way to apply.
    _upload(page, "people", "can_bo.xlsx", _xlsx("Danh sách cán bộ", PEOPLE_HEADER, people))
    assert page.locator("[data-testid=import-invalid]").inner_text() == "1"
    errors = page.locator("[data-testid=import-errors] tbody tr")
    assert errors.count() == 1
    cells = [errors.nth(0).locator("td").nth(i).inner_text() for i in range(4)]
    assert cells[0] == "4"  # the title row is 1, the header 2: the second person is row 4
    assert cells[1] == "Ngày sinh (dd/mm/yyyy)" and cells[2] == "31/02/1990"
    assert cells[3].startswith("Ngày không hợp lệ")
    assert page.locator("form[action$='/apply']").count() == 0
    page.goto(f"{portal.url}/people?q=nguyen+thi+nhan")
    assert page.locator(f"a[href='/people/{code.lower()}-1']").count() == 0  # the dry run wrote nothing

    # The corrected file: checked, then applied.
    page.goto(f"{portal.url}/imports")
    people[1][4] = "28/02/1990"
    _upload(page, "people", "can_bo_da_sua.xlsx", _xlsx("Danh sách cán bộ", PEOPLE_HEADER, people))
    assert page.locator("[data-testid=import-ok]").is_visible()
    assert page.locator("[data-testid=import-invalid]").inner_text() == "0"
    with page.expect_navigation():
        page.click("form[action$='/apply'] button[type=submit]")
    page.wait_for_selector("[data-testid=import-applied]")
    assert "Đã ghi 3 dòng mới" in page.locator("[data-testid=import-applied]").inner_text()

    # Visible in the portal: the people found by name (without diacritics), the unit in the tree.
    page.goto(f"{portal.url}/people?q=tran+van+khai")
    page.locator(f"a[href='/people/{code.lower()}-2']").click()
    page.wait_for_url(f"**/people/{code.lower()}-2")
    assert page.locator("h1").inner_text() == "Trần Văn Khải"
    page.goto(f"{portal.url}/units/{code.lower()}")
    assert unit_name in page.locator("h1").inner_text()


def test_the_emulation_office_is_shown_the_units_services_refusal(portal: Portal, page: Page) -> None:
    portal.sign_in(page, "vanphong", "/imports")
    _upload(page, "grades", "xep_loai.xlsx", _xlsx("Xếp loại", ["Mã cán bộ", "Năm", "Xếp loại"], [["x", 2020, "HTT"]]))
    assert page.locator("[data-testid=import-refused]").is_visible()
    assert page.locator("[data-testid=import-errors]").count() == 0
