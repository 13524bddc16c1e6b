"""What answers without a token: probes, metrics and the API's documentation, nothing else.

The documentation (``/openapi.json``, ``/docs``, ``/redoc``) is open by decision (README, access section):
it describes the operations, which still need a token each. Every other route of every service refuses a
request without one (401 ``unauthenticated``).
"""

from __future__ import annotations

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import Route

from kernel.auth import DOCUMENTATION_PATHS, PUBLIC_PATHS
from services.awards.app import build as build_awards
from services.campaigns.app import build as build_campaigns
from services.reporting.app import build as build_reporting
from services.units.app import build as build_units

pytestmark = pytest.mark.integration

BUILDS = {"units": build_units, "campaigns": build_campaigns, "awards": build_awards, "reporting": build_reporting}


@pytest.mark.parametrize("service", list(BUILDS))
async def test_only_probes_and_documentation_are_open(service: str, settings, start_service) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(BUILDS[service], settings)
    app = client._transport.app  # type: ignore[attr-defined]
    anonymous = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service")
    async with anonymous:
        # The routes outside the API (FastAPI's documentation) are exactly the documented open ones.
        outside = {r.path for r in app.routes if isinstance(r, Route) and not isinstance(r, APIRoute)}
        assert outside == DOCUMENTATION_PATHS
        for path in ("/openapi.json", "/docs", "/redoc", "/metrics"):
            answer = await anonymous.get(path)
            assert answer.status_code == 200, (path, answer.text[:200])
        assert (await anonymous.get("/health")).status_code in (200, 503)  # open; 503 while the relay starts
        described = (await anonymous.get("/openapi.json")).json()
        assert described["components"]["securitySchemes"], "the document says a bearer token is needed"
        # Every operation the document describes, but the probes, refuses an anonymous request.
        operations = [(method.upper(), path) for path, item in described["paths"].items() for method in item
                      if path not in PUBLIC_PATHS]
        assert len(operations) > 5
        for method, path in operations:
            answer = await anonymous.request(method, path.replace("{", "").replace("}", ""))
            assert answer.status_code == 401, (method, path, answer.status_code)
            assert answer.json()["code"] == "unauthenticated"
