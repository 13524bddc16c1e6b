"""One stack for the browser tests: every service, Keycloak and the portal, with the demo played at 1,000 staff
(as tests/integration/demo plays it); Debian's Chromium driven by Playwright. A failing test leaves a
screenshot of its page under tmp/artifacts/ (or TDKT_ARTIFACTS_DIR)."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tdkt.browser import launch, sign_in
from tdkt.demo import signer
from tdkt.scenario import PlainReporter, play_scenario
from tdkt.stack.launcher import Stack
from tests.integration.demo.test_demo_e2e import OPTIONS
from tests.integration.stacks import own_stack

ARTIFACTS = Path(os.environ.get("TDKT_ARTIFACTS_DIR", Path(__file__).resolve().parents[3] / "tmp" / "artifacts"))


@pytest.fixture(scope="session")
def portal_stack() -> Iterator[Stack]:
    """The whole stack with the portal, the demo played once for the session (every portal test shares it: a test
    that writes uses a year and people the demo leaves free, so the demo's figures stay true). Its start is bounded
    by the launcher's own waits, not by the first test's timeout (the tests' marks are func_only): on a loaded
    machine the start and the demo take longer than one test may."""
    with own_stack("portal", portal=True) as running:
        assert running.keycloak
        print(f"[portal stack] Keycloak ready in {running.keycloak.started_in:.1f} s")
        result = asyncio.run(play_scenario(running.service_urls, signer(running), OPTIONS, reporter=PlainReporter()))
        print(f"[portal stack] scenario in {result.seconds:.1f} s")
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per module. Not per session: Playwright's sync API keeps an event loop running while it is
    open, and every asyncio test after the portal's would then fail ("cannot be called from a running event loop")."""
    with sync_playwright() as playwright:
        launched = launch(playwright)
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(request: pytest.FixtureRequest, browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) at a laptop's width; a screenshot if the test fails."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        opened.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


class Portal:
    """The running portal and its demo users."""

    def __init__(self, stack: Stack) -> None:
        assert stack.keycloak
        self.stack = stack
        self.url = stack.service_urls["portal"]
        self.passwords = stack.keycloak.secrets["users"]

    def sign_in(self, page: Page, username: str, path: str = "/") -> None:
        sign_in(page, self.url, username, self.passwords[username], path)


@pytest.fixture(scope="session")
def portal(portal_stack: Stack) -> Portal:
    return Portal(portal_stack)
