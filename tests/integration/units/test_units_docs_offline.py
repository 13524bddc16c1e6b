"""/docs and /redoc render on a closed network: every asset they reference is served by the service."""

from __future__ import annotations

import re

import httpx
import pytest

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
async def test_the_documentation_pages_load_nothing_from_outside(client: httpx.AsyncClient, page: str) -> None:
    anonymous = {"authorization": ""}
    html = await client.get(page, headers=anonymous)
    assert html.status_code == 200, html.text
    referenced = re.findall(r"""(?:src|href|spec-url)\s*=\s*["']([^"']+)["']""", html.text)
    referenced += re.findall(r"""url:\s*['"]([^'"]+)['"]""", html.text)
    assert referenced, "the page references its assets"
    for url in referenced:
        assert url.startswith("/"), f"{page} loads {url} from elsewhere"
        asset = await client.get(url, headers=anonymous)
        assert asset.status_code == 200, f"{url}: {asset.status_code}"
        assert asset.content
    assert "googleapis" not in html.text and "cdn" not in html.text.lower()
