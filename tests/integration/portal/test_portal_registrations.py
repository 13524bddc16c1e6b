"""A unit's registrations and training report in a real browser on the real stack: the unit officer of Cục Xuất
nhập khẩu opens the unit's registrations page from the unit's page, registers the unit and one person of it for a
movement — first for a movement whose deadline has passed (refused next to the field, the input kept) — and the
unit alone for another, sees both listed, withdraws the second; then reports a training and sees the movement's
training target count it. The movements and the person are created through the services' APIs with ids of this
run (the demo leaves them free)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page

from kernel.auth import Role

from .conftest import Portal
from .test_portal_movements import _reload_until
from .test_portal_nomination_flow import UNIT, _api
from .test_portal_nomination_flow import send as _send

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900, func_only=True)]

WAIT_S = 90
"""How long the campaigns service may take to learn a new person over Kafka (a bound, not a speed)."""


def _movement(campaigns: Callable[..., httpx.Response], movement_id: str, launched_on: str, deadline: str) -> None:
    answer = campaigns("POST", "/movements", Role.EMULATION_OFFICE, json={
        "movement_id": movement_id, "title": f"Thi đua {movement_id}", "launched_by": "bo", "kind": "chuyen_de",
        "criteria": "Đăng ký thi đua qua cổng thông tin.", "launched_on": launched_on,
        "period_start": launched_on[:4] + "-01-01", "registration_deadline": deadline,
        "scope": {"unit_ids": [UNIT]}})
    assert answer.status_code == 201, answer.text


def test_a_unit_officer_registers_the_unit_and_a_person_withdraws_one_and_reports_a_training(
        portal: Portal, page: Page) -> None:
    tag = secrets.token_hex(3)
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    year = today.year
    campaigns, units = _api(portal, "campaigns"), _api(portal, "units")
    late, open_a, open_b = f"pt-dk-tre-{tag}", f"pt-dk-a-{tag}", f"pt-dk-b-{tag}"
    _movement(campaigns, late, (today - timedelta(days=3)).isoformat(), (today - timedelta(days=1)).isoformat())
    for movement_id in (open_a, open_b):
        _movement(campaigns, movement_id, today.isoformat(), (today + timedelta(days=10)).isoformat())
    training = f"CDS-{tag}"
    answer = campaigns("POST", "/targets", Role.EMULATION_OFFICE, json={
        "target_id": f"ct-dk-{tag}", "movement_id": open_a, "year": year, "metric": "staff_training_completed",
        "threshold_percent": 80, "training_code": training, "set_on": today.isoformat(),
        "description": f"80% cán bộ hoàn thành bồi dưỡng chuyển đổi số ({tag})"})
    assert answer.status_code == 201, answer.text
    person_id = f"p-dk-{tag}"
    answer = units("POST", "/people", Role.UNIT_OFFICER, json={
        "person_id": person_id, "full_name": "Quách Thị Diệu Linh", "sex": "female", "date_of_birth": "1990-04-12",
        "sector_joined_on": "2014-09-01", "unit_id": UNIT, "position": "Chuyên viên", "staff_category": "cong_chuc",
        "union_member": True})
    assert answer.status_code == 201, answer.text

    portal.sign_in(page, "canbo.cxnk", f"/units/{UNIT}")
    _send(page, page.locator("[data-testid=unit-registrations]"))
    assert page.url.endswith(f"/units/{UNIT}/registrations")
    page.fill("#q", "quach thi dieu linh")
    _send(page, page.locator("form.search button"))
    page.check(f"#person-{person_id}")

    # The movement whose deadline has passed: refused next to the field, in Vietnamese, the input kept.
    register = "form.command[action='/units/u-cxnk/registrations']"
    page.fill("#movement_id", late)
    page.fill("#collective_titles", "TTLDXS")
    page.fill("#person_titles", "LDTT")
    _send(page, page.locator(f"{register} button[type=submit]"))
    deadline = time.monotonic() + WAIT_S
    while "Không tìm thấy" in (page.locator("[data-testid=error-movement_id], [data-testid=error-person_id]")
                               .all_inner_texts() or [""])[0]:
        # The campaigns service learns the new movement or person over Kafka: the form, kept, is sent again.
        assert time.monotonic() < deadline, "the campaigns service did not learn the movement or the person"
        time.sleep(1)
        _send(page, page.locator(f"{register} button[type=submit]"))
    assert "Đã quá hạn đăng ký" in page.locator("[data-testid=error-movement_id]").inner_text()
    assert page.input_value("#collective_titles") == "TTLDXS"
    assert page.is_checked(f"#person-{person_id}")

    page.fill("#movement_id", open_a)
    _send(page, page.locator(f"{register} button[type=submit]"))
    assert page.url.endswith(f"/units/{UNIT}/registrations?year={year}"), page.content()
    page.fill("#movement_id", open_b)
    page.fill("#collective_titles", "TTLDTT")
    _send(page, page.locator(f"{register} button[type=submit]"))
    assert page.url.endswith(f"?year={year}")

    _reload_until(page, f"tr[data-movement='{open_a}']")
    row_a = page.locator(f"tr[data-movement='{open_a}']")
    assert "TTLDXS" in row_a.inner_text() and row_a.locator("td.num").inner_text() == "1"
    _reload_until(page, f"tr[data-movement='{open_b}'][data-status=submitted]")
    row_b = page.locator(f"tr[data-movement='{open_b}']")
    _send(page, row_b.locator(f"[data-testid=withdraw-{open_b}]"))
    _reload_until(page, f"tr[data-movement='{open_b}'][data-status=withdrawn]")
    assert "Đã rút" in page.locator(f"tr[data-movement='{open_b}']").inner_text()
    assert page.locator(f"tr[data-movement='{open_a}']").get_attribute("data-status") == "submitted"

    # A training report: the movement's training target counts it.
    page.fill("#training_code", training)
    page.fill("#completed", "5")
    page.fill("#headcount", "4")
    _send(page, page.locator("form[action='/units/u-cxnk/training-reports'] button[type=submit]"))
    assert "lớn hơn tổng số" in page.locator("[data-testid=error-completed]").inner_text()
    assert page.input_value("#training_code") == training
    page.fill("#completed", "3")
    _send(page, page.locator("form[action='/units/u-cxnk/training-reports'] button[type=submit]"))
    assert page.url.endswith(f"?year={year}")
    counted = f"[data-testid=training-targets] li:has-text('{tag}'):has-text('(3/4)')"
    _reload_until(page, counted)
    assert training in page.locator(counted).inner_text()
