"""One nomination's whole life in the browser, by four people in four separate browser sessions.

The unit officer of the Import-Export Department nominates two new colleagues for the Minister's Certificate of
Merit of 2025 (a year the demo leaves free), sees each one's verdict as they are added, attaches the dossier's
files and submits; the office returns one with a reason; the officer attaches a new version of that report and
resubmits; the office opens and closes the public notice; the council member finds it waiting for the council;
the office records the council's vote; the Minister grants it, confirming; a reader then finds the two awards in
2025's figures and on the person's page. The unit officer's clicks for the nomination are counted and printed.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Locator, Page

from kernel.auth import Role

from .conftest import Portal

pytestmark = [pytest.mark.integration, pytest.mark.timeout(2400)]
"""Generous: the first portal test of the session also waits for the stack and the demo (minutes on a busy machine)."""

UNIT = "u-cxnk"
PAGE_WAIT_MS = 120_000
"""How long a page may take to load or an element to appear (a bound, not a timed assert)."""
YEAR = 2025
PEOPLE = (("p-flow-thao", "Lưu Thị Phương Thảo", "luu thi phuong thao"), ("p-flow-vinh", "Đinh Quang Vinh",
                                                                          "dinh quang vinh"))


def pdf(text: str) -> bytes:
    """A small PDF (the header is what makes it one)."""
    return f"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n".encode()


class Clicks:
    """The unit officer's clicks (a press of a button or link, a tick, a choice in a list, a file picked)."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, target: Locator) -> None:
        self.count += 1
        target.click()

    def send(self, page: Page, target: Locator) -> None:
        """A button that sends the form: counted, and the next page waited for."""
        self.count += 1
        send(page, target)

    def check(self, target: Locator) -> None:
        self.count += 1
        target.check()

    def choose(self, target: Locator, **option: str) -> None:
        self.count += 1
        target.select_option(**option)

    def pick_file(self, target: Locator, name: str, content: bytes) -> None:
        self.count += 1
        target.set_input_files({"name": name, "mimeType": "application/pdf", "buffer": content})


def send(page: Page, target: Locator) -> None:
    """Press a form's button and wait for the page it leads to (a redirect after success, or the form again)."""
    with page.expect_navigation():
        target.click()


def _api(portal: Portal, service: str) -> Callable[..., httpx.Response]:
    def call(method: str, path: str, role: Role, **kw: object) -> httpx.Response:
        token = portal.stack.token(role, subject=f"flow-test-{role.value}", unit_id=UNIT)
        return httpx.request(method, f"{portal.stack.service_urls[service]}{path}", timeout=30,
                             headers={"authorization": f"Bearer {token}"}, **kw)  # type: ignore[arg-type]
    return call


def _until(check: Callable[[], bool], what: str, timeout: float = 90.0) -> None:
    """Wait for what other contexts learn over Kafka (a bounded wait, not a timed assert)."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(1)


def enrol_people(portal: Portal) -> list[tuple[str, str, str]]:
    """Two new people of the unit (ids of this run: the test may run again on the same stack), each with a finding
    the file attests for 2025, which makes them eligible for the Bằng khen; (id, name, name without diacritics)."""
    units, awards = _api(portal, "units"), _api(portal, "awards")
    run = secrets.token_hex(3)
    people = [(f"{person_id}-{run}", name, query) for person_id, name, query in PEOPLE]
    for person_id, name, _ in people:
        answer = units("POST", "/people", Role.UNIT_OFFICER, json={
            "person_id": person_id, "full_name": name, "sex": "female" if "Thị" in name else "male",
            "date_of_birth": "1988-03-15", "sector_joined_on": "2012-09-01", "unit_id": UNIT,
            "position": "Chuyên viên", "staff_category": "cong_chuc", "union_member": True})
        assert answer.status_code == 201, answer.text
    for person_id, _, _ in people:
        def known(person_id: str = person_id) -> bool:
            return awards("GET", "/assessments", Role.EMULATION_OFFICE, params={
                "code": "BK_BT", "year": YEAR, "person_id": person_id}).status_code == 200
        _until(known, f"the awards service knows {person_id}")
        answer = awards("POST", "/attestations", Role.EMULATION_OFFICE, json={
            "recipient_kind": "individual", "subject_id": person_id, "key": "outstanding_contribution", "year": YEAR,
            "reference": "Tờ trình 15/TTr-CXNK"})
        assert answer.status_code == 201, answer.text
    return people


@pytest.fixture
def people(portal: Portal) -> list[tuple[str, str, str]]:
    return enrol_people(portal)


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[[], Page]]:
    """Separate browser sessions (no shared cookie), closed at the end."""
    opened = []

    def new() -> Page:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
        opened.append(context)
        return context.new_page()

    yield new
    for context in opened:
        context.close()


def _granted_individuals(portal: Portal) -> int:
    answer = _api(portal, "reporting")("GET", f"/summaries/{YEAR}", Role.READER).json()
    return sum(i["individuals"] for i in answer["granted"] if i["award_code"] == "BK_BT")


def _candidate(page: Page, name: str) -> Locator:
    return page.locator("[data-testid=candidate]", has_text=name)


def test_a_nomination_from_the_unit_to_the_ministers_decision(  # type: ignore[no-untyped-def]
    portal: Portal, contexts, people
) -> None:
    def session() -> Page:
        page = contexts()
        page.context.set_default_timeout(PAGE_WAIT_MS)  # the provider's sign-in page is slow on a busy machine
        return page

    before = _granted_individuals(portal)
    (thao_id, thao, _), (_, vinh, _) = people

    # 1. The unit officer nominates: each candidate's verdict is shown as they are added.
    officer, clicks = session(), Clicks()
    portal.sign_in(officer, "canbo.cxnk", "/nominations")
    clicks.send(officer, officer.locator("[data-testid=new-nomination]"))
    officer.wait_for_url("**/nominations/new")
    clicks.choose(officer.locator("#award_code"), value="BK_BT")
    officer.fill("#year", str(YEAR))
    for person_id, name, query in people:
        officer.fill("#q", query)
        clicks.send(officer, officer.locator("[data-testid=search]"))
        clicks.check(officer.locator(f"[data-testid=found] input[value^='{person_id}|']"))
        clicks.send(officer, officer.locator("[data-testid=add]"))
        chosen = officer.locator("[data-testid=chosen] li", has_text=name)
        assert "Đủ điều kiện" in chosen.locator("[data-testid=verdict]").inner_text()
        assert chosen.locator("[data-testid=citation]").count() > 0  # the law cited per criterion
    clicks.send(officer, officer.locator("[data-testid=submit]"))
    officer.wait_for_url("**/nominations/n-*")
    nomination_url = officer.url.split("#")[0]
    assert _candidate(officer, thao).locator("[data-testid=candidate-status]").inner_text() == "Đủ điều kiện"

    # The dossier: the law's required files, listed with their article until attached.
    assert "Điều 84" in officer.locator("[data-testid=missing]").inner_text()
    uploads = [("to_trinh", None, "Tờ trình 15/TTr-CXNK"), ("bien_ban_hoi_dong", None, "Biên bản họp Hội đồng"),
               ("bao_cao_thanh_tich", thao, f"Báo cáo thành tích — {thao}"),
               ("bao_cao_thanh_tich", vinh, f"Báo cáo thành tích — {vinh}")]
    for kind, who, title in uploads:
        clicks.choose(officer.locator("#kind"), value=kind)
        if who:
            clicks.choose(officer.locator("#candidate_id"), label=who)
        officer.fill("#title", title)
        clicks.pick_file(officer.locator("#file"), f"{kind}.pdf", pdf(title))
        clicks.send(officer, officer.locator("[data-testid=upload]"))
        officer.wait_for_url(f"{nomination_url}#dossier")
    assert officer.locator("[data-testid=completeness]").inner_text() == "Hồ sơ đủ thành phần theo quy định."
    assert officer.locator("[data-testid=documents] tbody tr").count() == 4
    print(f"[nomination flow] the unit officer's nomination took {clicks.count} clicks "
          "(sign-in excluded; typing the year, two names and four titles besides)")

    # 2. The office: the inbox counts it as received; it returns Vinh with a reason.
    office = session()
    portal.sign_in(office, "vanphong", f"/nominations?year={YEAR}&state=received")
    nomination_id = nomination_url.rsplit("/", 1)[1]
    row = office.locator(f"[data-testid=inbox] tr[data-nomination='{nomination_id}']")
    assert row.locator("[data-testid=stage]").inner_text() == "Đã tiếp nhận"
    send(office, row.locator("a"))
    office.wait_for_url(nomination_url)
    reason = "Báo cáo thành tích chưa có xác nhận của thủ trưởng đơn vị; đề nghị bổ sung."
    vinh_card = _candidate(office, vinh)
    vinh_card.locator("summary", has_text="Trả lại đơn vị").click()
    vinh_card.locator("textarea[name=reason]").fill(reason)
    send(office, vinh_card.locator("[data-testid=return]"))
    office.wait_for_url(f"{nomination_url}#return")
    assert _candidate(office, vinh).locator("[data-testid=candidate-status]").inner_text() == "Trả lại hồ sơ"
    assert reason in _candidate(office, vinh).locator("[data-testid=reasons]").inner_text()

    # A refused form keeps the input and says why next to the field: a return without a reason.
    thao_card = _candidate(office, thao)
    thao_card.locator("summary", has_text="Trả lại đơn vị").click()
    thao_card.locator("input[name=returned_on]").fill("31/02/2026")
    thao_card.locator("textarea[name=reason]").fill("Thử")
    send(office, thao_card.locator("[data-testid=return]"))
    thao_card = _candidate(office, thao)
    assert thao_card.locator("[data-testid=error-returned_on]").inner_text().startswith("Ngày không hợp lệ")
    assert thao_card.locator("textarea[name=reason]").input_value() == "Thử"
    assert thao_card.locator("input[name=returned_on]").get_attribute("aria-invalid") == "true"
    assert _candidate(office, thao).locator("[data-testid=candidate-status]").inner_text() == "Đủ điều kiện"

    # 3. The officer reads the reason, attaches the report's new version and resubmits.
    officer.goto(nomination_url)
    assert _candidate(officer, vinh).locator("[data-testid=candidate-status]").inner_text() == "Trả lại hồ sơ"
    # The office's note is written for the unit: its officer reads it (services/awards/personal_data.py).
    assert reason in _candidate(officer, vinh).locator("[data-testid=reasons]").inner_text()
    officer.locator("#upload summary").click()  # the dossier is complete: the form is folded away
    officer.select_option("#kind", value="bao_cao_thanh_tich")
    officer.select_option("#candidate_id", label=vinh)
    officer.select_option("#document_id", label=f"Báo cáo thành tích — {vinh}")
    officer.fill("#title", f"Báo cáo thành tích — {vinh} (có xác nhận)")
    officer.set_input_files("#file", {"name": "bao-cao-sua.pdf", "mimeType": "application/pdf",
                                      "buffer": pdf("có xác nhận của thủ trưởng")})
    send(officer, officer.locator("[data-testid=upload]"))
    officer.wait_for_url(f"{nomination_url}#dossier")
    versions = officer.locator("[data-testid=documents] tr", has_text="bao-cao-sua.pdf").locator("[data-testid=download]")
    assert versions.count() == 2  # the old version stays
    send(officer, _candidate(officer, vinh).locator("[data-testid=resubmit]"))
    officer.wait_for_url(f"{nomination_url}#resubmit")
    assert _candidate(officer, vinh).locator("[data-testid=candidate-status]").inner_text() == "Đủ điều kiện"
    # The file downloads through the portal, with the officer's token.
    got = officer.request.get(portal.url + str(versions.first.get_attribute("href")))
    assert got.ok and got.body() == pdf("có xác nhận của thủ trưởng")

    # 4. The office opens the notice and closes it; the council member finds it waiting for the council.
    office.goto(nomination_url)
    office.locator("summary", has_text="Mở lấy ý kiến công khai").click()
    send(office, office.locator("[data-testid=open-notice]"))
    office.wait_for_url(f"{nomination_url}#notice")
    assert "đang lấy ý kiến" in office.locator("[data-testid=notice]").inner_text()
    send(office, office.locator("[data-testid=close-notice]"))
    office.wait_for_url(f"{nomination_url}#close")
    assert "đã kết thúc" in office.locator("[data-testid=notice]").inner_text()

    council = session()
    portal.sign_in(council, "hoidong", "/nominations")
    assert council.locator("[data-testid=stage-awaiting_council]").get_attribute("aria-current") == "page"
    send(council, council.locator(f"[data-testid=inbox] tr[data-nomination='{nomination_id}'] a"))
    council.wait_for_url(nomination_url)
    assert "Đủ điều kiện" in _candidate(council, thao).inner_text()

    # 5. The office records the council's vote: every member present, for.
    office.goto(nomination_url)
    office.locator("summary", has_text="Ghi kết quả bỏ phiếu").click()
    for select in office.locator("[data-testid=ballots] select").all():
        select.select_option("for")
    send(office, office.locator("[data-testid=record-vote]"))
    office.wait_for_url(f"{nomination_url}#vote")
    assert "— đạt" in _candidate(office, thao).inner_text()

    # 6. The Minister: what waits for the decision; the grant asks for confirmation first.
    minister = session()
    portal.sign_in(minister, "botruong", "/nominations")
    send(minister, minister.locator(f"[data-testid=inbox] tr[data-nomination='{nomination_id}'] a"))
    minister.wait_for_url(nomination_url)
    minister.locator("summary", has_text="Quyết định khen thưởng").click()
    minister.fill("#decision_number", "2150/QĐ-BCT")
    send(minister, minister.locator("[data-testid=grant]"))
    assert minister.locator("h1").inner_text() == "Xác nhận: quyết định khen thưởng"
    what = minister.locator("[data-testid=confirm-what]").inner_text()
    assert thao in what and vinh in what and "2150/QĐ-BCT" in what
    send(minister, minister.locator("button", has_text="Xác nhận"))
    minister.wait_for_url(f"{nomination_url}#grant")
    for name in (thao, vinh):
        card = _candidate(minister, name)
        assert card.locator("[data-testid=candidate-status]").inner_text() == "Đã khen thưởng"
        assert "2150/QĐ-BCT" in card.locator("[data-testid=decision]").inner_text()

    # 7. A reader finds the awards in 2025's figures and on the person's page.
    reader = session()
    portal.sign_in(reader, "bandoc", f"/?year={YEAR}")
    _until(lambda: _granted_individuals(portal) == before + 2, "the reporting service counts the two awards")
    reader.goto(f"{portal.url}/?year={YEAR}")
    figure = reader.locator("[data-testid=figures-granted] tr[data-award=BK_BT] [data-testid=individuals]")
    assert figure.inner_text() == str(before + 2)
    reader.goto(f"{portal.url}/people/{thao_id}")
    assert "2150/QĐ-BCT" in reader.locator("main").inner_text()
