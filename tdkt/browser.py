"""A real browser on the portal: Debian's Chromium driven by Playwright, signing in through Keycloak's form.

Shared by the browser tests (tests/integration/portal) and ``scripts/screenshots``, which writes
docs/screenshots/*.png of the main pages from a running ``tdkt demo`` stack.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from kernel.auth import Role, mint_token

from .stack.launcher import AUDIENCE, default_state_dir, read_state
from .tokens import local_key, stack_issuer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
"""Headless, and nothing that would reach beyond the machine (updates, sync, QUIC probes)."""


def launch(playwright: Playwright) -> Browser:
    """Debian's Chromium (Playwright's own browser download is not used)."""
    executable = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
    if not executable.exists():
        raise RuntimeError(f"no Chromium at {CHROMIUM}: scripts/setup installs it as root (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)


def sign_in(page: Page, portal_url: str, username: str, password: str, path: str = "/") -> None:
    """Open ``path`` on the portal, fill the provider's own sign-in form, and come back to ``path``."""
    page.goto(f"{portal_url}{path}")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#kc-login")
    page.wait_for_url(f"{portal_url}/**")
    page.wait_for_selector("[data-testid=user-name]")


PAGES = (
    ("home", "/?year=2023"),
    ("movements", "/movements/pt-cdbct-2024"),
    ("units", "/units?as_of=31/12/2023"),
    ("people", "/people?q=nguyen+van"),
    ("awards", "/awards?year=2023&flow=granted&award_code=CSTD_BO"),
)
"""The main pages, as docs/screenshots names them."""


def screenshots(portal_url: str, username: str, password: str, out: Path, person_id: str | None = None) -> list[Path]:
    """PNG pictures of the main pages (and a person's eligibility check) at a laptop's and a phone's width."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    pages = list(PAGES)
    if person_id:
        pages.append(("eligibility", f"/people/{person_id}?award=CSTD_BO&year=2023#eligibility"))
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for suffix, viewport in (("", {"width": 1280, "height": 900}), ("-phone", {"width": 390, "height": 844})):
            context = browser.new_context(viewport=viewport, locale="vi-VN")
            page = context.new_page()
            sign_in(page, portal_url, username, password)
            for name, path in pages if not suffix else pages[:1]:
                page.goto(f"{portal_url}{path}")
                target = out / f"{name}{suffix}.png"
                # The whole page where it tells the story (the year, a check); the first screen elsewhere.
                page.screenshot(path=str(target), full_page=not suffix and name in ("home", "eligibility"))
                written.append(target)
            context.close()
        browser.close()
    return written


def main() -> None:
    """``scripts/screenshots``: pictures of the running local stack's portal, as the office's demo user."""
    state_dir = default_state_dir()
    state = read_state(state_dir)
    if not state or "portal" not in state.get("services", {}):
        sys.exit(f"no running stack with the portal in {state_dir}: run `scripts/run` first")
    secrets = json.loads((state_dir / "keycloak.json").read_text())
    portal = state["services"]["portal"]["url"]
    token = mint_token(local_key(state_dir), subject="screenshots", roles=[Role.READER],
                       issuer=stack_issuer(state_dir), audience=AUDIENCE)
    answer = httpx.get(f"{state['services']['reporting']['url']}/awards",
                       params={"year": 2023, "award_code": "CSTD_BO", "flow": "granted", "limit": 1},
                       headers={"authorization": f"Bearer {token}"}, timeout=30).json()
    person = answer["items"][0]["subject_id"] if answer.get("items") else None
    out = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
    for path in screenshots(portal, "vanphong", secrets["users"]["vanphong"], out, person):
        print(path)


if __name__ == "__main__":
    main()
