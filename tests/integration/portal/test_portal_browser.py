"""The portal in a real browser (Debian's Chromium), signed in through Keycloak's own form, over the real
services with the demo's data."""

from __future__ import annotations

import json
import statistics
import time
import unicodedata

import httpx
import pytest
from playwright.sync_api import Page

from kernel.auth import Role
from tdkt.demo_data import ARTICLE_2023, ARTICLE_PARAGRAPH_2023
from tdkt.stack.keycloak import DEMO_USERS

from .conftest import ARTIFACTS, Portal

pytestmark = [pytest.mark.integration, pytest.mark.timeout(900, func_only=True)]

ROLE_LABELS = {"emulation_office": "Thường trực Hội đồng TĐKT", "council_member": "Thành viên Hội đồng TĐKT",
               "approver": "Người có thẩm quyền quyết định", "reader": "Người xem",
               "unit_officer": "Cán bộ thi đua đơn vị", "administrator": "Quản trị hệ thống"}


def _unaccented(text: str) -> str:
    folded = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in folded if not unicodedata.combining(ch)).lower()


@pytest.mark.parametrize("user", DEMO_USERS, ids=[u.username for u in DEMO_USERS])
def test_each_role_signs_in_through_the_providers_form(portal: Portal, page: Page, user) -> None:  # noqa: ANN001
    page.goto(f"{portal.url}/movements")
    assert page.url.startswith(portal.stack.keycloak.issuer), page.url  # type: ignore[union-attr]
    assert page.locator("#kc-login").is_visible()
    page.fill("#username", user.username)
    page.fill("#password", portal.passwords[user.username])
    page.click("#kc-login")
    page.wait_for_url(f"{portal.url}/movements")
    assert page.locator("[data-testid=user-name]").inner_text() == user.name
    assert ROLE_LABELS[user.roles[0]] in page.locator("[data-testid=user-roles]").inner_text()
    assert page.locator("h1").inner_text() == "Phong trào thi đua"


def test_a_wrong_password_is_refused_by_the_provider(portal: Portal, page: Page) -> None:
    page.goto(f"{portal.url}/")
    page.fill("#username", "bandoc")
    page.fill("#password", "not-the-password")
    page.click("#kc-login")
    assert page.url.startswith(portal.stack.keycloak.issuer)  # type: ignore[union-attr]
    assert page.locator("#input-error, .kc-feedback-text, [id^=input-error]").count() > 0
    assert page.context.cookies(portal.url) == [] or all(c["name"] != "tdkt_portal" for c in page.context.cookies())


def test_the_home_page_shows_the_articles_eight_2023_figures(portal: Portal, page: Page) -> None:
    portal.sign_in(page, "bandoc", "/?year=2023")
    for figure in ARTICLE_2023:
        row = page.locator(f"[data-testid=figures-{figure.flow}] tr[data-award={figure.code}]")
        assert row.locator("[data-testid=individuals]").inner_text() == str(figure.individuals), figure
        assert row.locator("[data-testid=collectives]").inner_text() == str(figure.collectives), figure
    assert page.locator("[data-testid=paragraph]").inner_text() == ARTICLE_PARAGRAPH_2023
    chart = page.locator("svg.chart")
    assert chart.count() == 1 and "Bằng khen của Bộ trưởng Bộ Công Thương: 214 cá nhân, 68 tập thể" in \
        chart.locator("desc").text_content()
    assert "cập nhật đến" in page.locator("[data-testid=as-of]").first.inner_text()
    # A number links to the list behind it: the 87 Emulation Fighters of the Ministry.
    page.locator("[data-testid=figures-granted] tr[data-award=CSTD_BO] [data-testid=individuals] a, "
                 "[data-testid=figures-granted] tr[data-award=CSTD_BO] a[data-testid=individuals]").first.click()
    page.wait_for_url("**/awards?**")
    assert page.locator("[data-testid=awards-list] caption").inner_text().startswith("87 kết quả")


def _a_cstd_bo_of_2023(portal: Portal) -> dict:
    token = portal.stack.token(Role.READER, subject="portal-test")
    answer = httpx.get(f"{portal.stack.service_urls['reporting']}/awards", timeout=30,
                       params={"year": 2023, "award_code": "CSTD_BO", "flow": "granted", "limit": 1},
                       headers={"authorization": f"Bearer {token}"}).json()
    return answer["items"][0]


def test_a_person_found_without_diacritics_and_their_eligibility_explained(portal: Portal, page: Page) -> None:
    person = _a_cstd_bo_of_2023(portal)
    query = _unaccented(person["display_name"])
    assert query != person["display_name"].lower()  # the name has diacritics the query does not
    portal.sign_in(page, "vanphong", "/people?q=" + query.replace(" ", "+"))
    page.locator(f"ul.results a[href='/people/{person['subject_id']}']").click()
    page.wait_for_url(f"**/people/{person['subject_id']}")
    assert page.locator("h1").inner_text() == person["display_name"]
    assert "Chiến sĩ thi đua Bộ Công Thương" in page.locator("[data-testid=award-history]").inner_text()
    page.select_option("#award", "CSTD_BO")
    page.select_option("#year", "2023")
    page.click("form.picker button:has-text('Xét')")
    page.wait_for_selector("[data-testid=assessment]")
    assessment = page.locator("[data-testid=assessment]")
    assert "Đủ điều kiện" in assessment.locator("h3").inner_text()
    criteria = assessment.locator("[data-testid=criterion]")
    assert criteria.count() >= 2
    assert all(criteria.nth(i).locator(".status").first.inner_text() in ("Đạt", "Không đạt", "Chưa đủ dữ liệu")
               for i in range(criteria.count()))
    citations = assessment.locator("[data-testid=citation]")
    assert citations.count() >= 1 and "Luật Thi đua, khen thưởng" in citations.first.inner_text()
    assert "Điều" in citations.first.inner_text()
    assert page.locator("[data-testid=forecast]").count() == 1


def test_a_reader_does_not_see_what_readers_may_not(portal: Portal, page: Page, browser) -> None:  # noqa: ANN001
    person = _a_cstd_bo_of_2023(portal)
    path = f"/people/{person['subject_id']}"
    portal.sign_in(page, "bandoc", path)
    # The units service answers a record's audit trail to the office, the approver and the administrator only.
    assert page.locator("[data-testid=audit]").count() == 0
    assert "Lịch sử cập nhật: vai trò của bạn không được xem" in page.locator("main").inner_text()
    office = browser.new_context().new_page()
    portal.sign_in(office, "vanphong", path)
    assert office.locator("[data-testid=audit]").count() == 1
    office.context.close()


def test_an_ended_session_signs_in_again_and_returns_to_the_page(portal: Portal, page: Page) -> None:
    portal.sign_in(page, "hoidong", "/")
    page.context.clear_cookies(name="tdkt_portal")
    wanted = "/people?q=tran+thi"
    page.goto(f"{portal.url}{wanted}")
    # The provider's session is still open: it sends the browser straight back, to the page asked for.
    page.wait_for_url(f"{portal.url}{wanted}")
    assert page.locator("[data-testid=user-name]").inner_text() == "Lê Minh Tuấn"


def test_signing_out_ends_the_providers_session_too(portal: Portal, page: Page) -> None:
    portal.sign_in(page, "botruong", "/")
    cookie = next(c for c in page.context.cookies() if c["name"] == "tdkt_portal")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    page.click("form[action='/auth/logout'] button")
    page.wait_for_selector("[data-testid=signed-out]")
    page.goto(f"{portal.url}/")
    assert page.url.startswith(portal.stack.keycloak.issuer)  # type: ignore[union-attr]
    assert page.locator("#kc-login").is_visible()


def test_a_sign_out_without_the_forms_csrf_token_is_refused(portal: Portal, page: Page) -> None:
    portal.sign_in(page, "bandoc", "/")
    answer = page.request.post(f"{portal.url}/auth/logout", form={"csrf": "forged"})
    assert answer.status == 403
    page.goto(f"{portal.url}/movements")
    assert page.url == f"{portal.url}/movements"  # still signed in


def test_every_main_page_answers_and_its_time_is_recorded(portal: Portal, page: Page) -> None:
    """Each main page under the demo data renders (200, its heading, its "as of" line); the times are printed
    and written to tmp/artifacts/page-times.json for the record (no assertion on speed: bench/ does that)."""
    person = _a_cstd_bo_of_2023(portal)["subject_id"]
    paths = ["/?year=2023", "/?year=2024", "/movements", "/movements/pt-cdbct-2024", "/units?as_of=31/12/2023",
             "/units/u-cxnk", "/people?q=nguyen+van", f"/people/{person}",
             f"/people/{person}?award=CSTD_BO&year=2023", "/awards?year=2023", "/statistics?year=2023",
             "/reports/annual?year=2023"]
    portal.sign_in(page, "vanphong", "/")
    times: dict[str, float] = {}
    for path in paths:
        started = time.perf_counter()
        answer = page.goto(f"{portal.url}{path}")
        times[path] = round((time.perf_counter() - started) * 1000)
        assert answer is not None and answer.status == 200, path
        assert page.locator("h1").count() == 1, path
        assert page.locator("[data-testid=as-of]").count() >= 1, path
    ordered = sorted(times.values())
    figures = {"pages_ms": times, "median_ms": statistics.median(ordered), "worst_ms": ordered[-1],
               "worst_page": max(times, key=times.__getitem__)}
    print(f"[portal page times] {json.dumps(figures, ensure_ascii=False)}")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "page-times.json").write_text(json.dumps(figures, indent=2, ensure_ascii=False))
