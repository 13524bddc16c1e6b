"""Movements in a real browser on the real stack: the office launches a movement through the portal's form,
sets a target and records a pledge on its page, reviews the pledge; a unit officer's bell then shows the
notification the launch produced (its registration deadline is near) and its link opens the movement."""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page

from .conftest import Portal

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900, func_only=True)]

WAIT_S = 60
"""How long the reporting and notifications services may take to apply the events (a bound, not a speed)."""


def _reload_until(page: Page, selector: str) -> None:
    """Reload until ``selector`` is on the page: the projections follow the events a moment later."""
    deadline = time.monotonic() + WAIT_S
    while page.locator(selector).count() == 0:
        assert time.monotonic() < deadline, f"{selector} not shown within {WAIT_S} s"
        time.sleep(1)
        page.reload()


def _submit(page: Page, form: str) -> None:
    """Press the form's button and wait for the page the portal answers with."""
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_a_movement_launched_with_a_target_and_a_pledge_and_the_bell_shows_its_notification(
        portal: Portal, page: Page, browser) -> None:  # noqa: ANN001
    tag = secrets.token_hex(3)
    movement_id = f"pt-thu-{tag}"
    title = f"Thi đua chuyển đổi số {tag}"
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    portal.sign_in(page, "vanphong", "/movements")
    with page.expect_navigation():
        page.click("a[href='/movements/new']")

    # A refused form keeps the input and says what is wrong next to the field.
    page.fill("#movement_id", movement_id)
    page.fill("#title", title)
    page.fill("#criteria", "Ứng dụng công nghệ số trong mọi khâu công việc.")
    page.check("input[name=all_units]")
    page.fill("#registration_deadline", "31/02/2026")
    _submit(page, "form[action='/movements/new']")
    assert "Ngày không hợp lệ" in page.locator("[data-testid=error-registration_deadline]").inner_text()
    assert page.input_value("#title") == title

    page.fill("#registration_deadline", (today + timedelta(days=2)).strftime("%d/%m/%Y"))
    _submit(page, "form[action='/movements/new']")
    assert page.url.endswith(f"/movements/{movement_id}")
    assert page.locator("h1").inner_text() == title

    page.click("summary:has-text('Giao chỉ tiêu')")
    page.select_option("#metric", "units_graded_good_or_better")
    page.fill("#threshold_percent", "90")
    page.fill("#description", f"90% đơn vị hoàn thành tốt nhiệm vụ trở lên ({tag})")
    _submit(page, f"form[action='/movements/{movement_id}/targets']")
    assert page.url.endswith(f"/movements/{movement_id}")

    page.click("summary:has-text('Ghi giao ước thi đua')")
    page.fill("#pledge_title", f"Giao ước chuyển đổi số {tag}")
    page.fill("#parties", "Cục Xuất nhập khẩu\nVăn phòng Bộ")
    page.fill("#clauses", "Số hoá 100% hồ sơ thi đua.\nKhông có hồ sơ trễ hạn.")
    page.fill("#signatories", "Đỗ Văn Hùng | Cục trưởng | Cục Xuất nhập khẩu\n"
                              "Hoàng Thị Mai | Chánh Văn phòng | Văn phòng Bộ")
    _submit(page, f"form[action='/movements/{movement_id}/pledges']")
    assert page.url.endswith(f"/movements/{movement_id}")

    # The movement's page (the reporting service's dashboard) shows the target and the pledge.
    _reload_until(page, f"[data-testid=targets] li:has-text('{tag}')")
    _reload_until(page, f"[data-testid=pledges] a:has-text('{tag}')")

    # The pledge's review: each clause assessed.
    page.click(f"[data-testid=pledges] a:has-text('{tag}')")
    page.wait_for_url("**/pledges/**")
    page.select_option("#result_1", "achieved")
    page.select_option("#result_2", "partly_achieved")
    _submit(page, "form[action$='/reviews']")
    results = page.locator("[data-testid=clauses] tbody tr")
    first, second = results.nth(0).inner_text(), results.nth(1).inner_text()
    assert "Hoàn thành" in first and "một phần" not in first and "Hoàn thành một phần" in second

    # A unit officer is told (the deadline is two days away); the bell counts it and the link opens the movement.
    officer = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN").new_page()  # a phone
    portal.sign_in(officer, "canbo.cxnk", "/notifications")
    _reload_until(officer, f"[data-testid=notification] a[href='/movements/{movement_id}']")
    assert int(officer.locator("[data-testid=bell-count]").inner_text()) >= 1
    told = f"[data-testid=notification]:has(a[href='/movements/{movement_id}'])"
    assert officer.locator(f"{told} .badge").inner_text() == "Chưa đọc"
    with officer.expect_navigation():
        officer.click(f"{told} button[name=open]")  # open it, marking it read
    assert officer.url.endswith(f"/movements/{movement_id}")
    assert officer.locator("h1").inner_text() == title
    officer.goto(f"{portal.url}/notifications")
    assert officer.locator(f"{told} .badge").count() == 0 and "đã đọc lúc" in officer.locator(told).inner_text()
    officer.context.close()


def test_a_cluster_formed_and_scored_through_the_forms_shows_its_ranking(portal: Portal, page: Page) -> None:
    cluster_id = f"cum-thu-{secrets.token_hex(3)}"
    year = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).year
    portal.sign_in(page, "vanphong", "/clusters")
    page.fill("#cluster_id", cluster_id)
    page.fill("#name", f"Cụm thi đua thử {cluster_id}")
    page.fill("#members", "u-cxnk, u-vpb")
    _submit(page, "form[method=post][action='/clusters']")
    assert page.url.endswith(f"/clusters/{cluster_id}?year={year}")
    assert page.locator("[data-testid=members]").inner_text() == "u-cxnk, u-vpb"

    page.fill("#score_u-cxnk", "92,5")
    page.fill("#score_u-vpb", "95")
    _submit(page, f"form[action='/clusters/{cluster_id}/scores']")
    ranking = page.locator("[data-testid=ranking] tbody tr")
    assert ranking.count() == 2
    assert ranking.nth(0).inner_text().split("\t")[:3] == ["1", "u-vpb", "95,00"]
    assert ranking.nth(1).inner_text().split("\t")[:3] == ["2", "u-cxnk", "92,50"]
