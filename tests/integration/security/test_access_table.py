"""Who may do what: every rule of every service's access table, walked with a token of every role.

Against each service started for real (its own schema and topics): a role the
rule allows gets past the guard (any answer but 401/403: the bodies here are
deliberately incomplete, so nothing is written), every other role gets 403
``forbidden``. A unit officer gets past only for a unit at or under their
own; outside it, 403 ``outside_unit_scope``. The README's table is the same
table, printed from the code.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from kernel.auth import KERNEL_RULES, AccessTable, Role, Rule, access_markdown
from services.awards.access import ACCESS as AWARDS
from services.awards.app import build as build_awards
from services.campaigns.access import ACCESS as CAMPAIGNS
from services.campaigns.app import build as build_campaigns
from services.notifications.access import ACCESS as NOTIFICATIONS
from services.notifications.app import build as build_notifications
from services.reporting.app import ACCESS as REPORTING
from services.reporting.app import build as build_reporting
from services.units.access import ACCESS as UNITS
from services.units.app import build as build_units

from ..awards.support import Publisher, enrol, unit
from ..kernel.support import wait_until

pytestmark = pytest.mark.integration

TABLES = {"units": UNITS, "campaigns": CAMPAIGNS, "awards": AWARDS, "reporting": REPORTING,
          "notifications": NOTIFICATIONS}
BUILDS = {"units": build_units, "campaigns": build_campaigns, "awards": build_awards, "reporting": build_reporting,
          "notifications": build_notifications}
NO_AUDIT = ("reporting", "notifications")
"""Services that publish no events, hence keep no audit trail (no ``GET /audit/{stream_id}``)."""
ROOT, OWN, CHILD, OTHER = "u-bo", "u-vu-a", "u-phong-a1", "u-vu-b"
"""The tree every test uses: the Ministry, the officer's department and its division, another department."""
PEOPLE = {"p-in": CHILD, "p-out": OTHER}


def _concrete(route: str) -> tuple[str, str]:
    method, template = route.split(" ", 1)
    return method, re.sub(r"\{[^}]+\}", "x", template)


def _body(rule: Rule, target: str, person: str) -> dict[str, Any]:
    """An incomplete body naming only the unit (or person) the rule scopes by."""
    if rule.scope is None or rule.scope.where != "body":
        return {}
    return {rule.scope.field: person if rule.scope.source in ("person", "subject") else target}


async def _tree(service: str, client: httpx.AsyncClient, publish: Publisher) -> None:
    """The same tree in the service's own records or in its replica of the units context."""
    if service == "units":
        for unit_id, parent in ((ROOT, None), (OWN, ROOT), (CHILD, OWN), (OTHER, ROOT)):
            body = {"unit_id": unit_id, "code": unit_id.upper().replace("-", ""), "name": f"Đơn vị {unit_id}",
                    "kind": "bo" if parent is None else "vu", "parent_id": parent, "effective_on": "2015-01-01"}
            assert (await client.post("/units", json=body)).status_code == 201
        for person, unit_id in PEOPLE.items():
            body = {"person_id": person, "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "1980-01-01",
                    "sector_joined_on": "2005-01-01", "unit_id": unit_id, "position": "Chuyên viên",
                    "staff_category": "cong_chuc", "union_member": True, "effective_on": "2015-01-01"}
            assert (await client.post("/people", json=body)).status_code == 201, body
    elif service in ("campaigns", "awards"):
        await publish.send(
            unit(ROOT, "BO", "Bộ Công Thương", kind="bo", parent_id=None),
            unit(OWN, "VUA", "Vụ A", parent_id=ROOT),
            unit(CHILD, "PHONGA1", "Phòng A1", kind="phong", parent_id=OWN),
            unit(OTHER, "VUB", "Vụ B", parent_id=ROOT),
            *(enrol(person, "Nguyễn Văn An", unit_id) for person, unit_id in PEOPLE.items()),
        )


@pytest.mark.parametrize("service", list(TABLES))
async def test_every_rule_with_every_role(  # type: ignore[no-untyped-def]
    service: str, settings, start_service, auth_keys, publish: Publisher
) -> None:
    if service == "campaigns":
        from ..campaigns.support import campaigns_settings

        settings = campaigns_settings(settings, allow_today_header=False)
    client = await start_service(BUILDS[service], settings)
    await _tree(service, client, publish)
    table: AccessTable = TABLES[service]
    rules = {**table.rules, **({} if service in NO_AUDIT else KERNEL_RULES)}
    tokens = {role: auth_keys.headers(role.value, subject=f"t-{role.value}", unit_id=OWN) for role in Role}

    async def call(route: str, rule: Rule, role: Role, target: str = CHILD, person: str = "p-in") -> httpx.Response:
        method, path = _concrete(route)
        if rule.scope is not None and rule.scope.where == "path":
            path = path.replace("x", target, 1)
        return await client.request(method, path, json=_body(rule, target, person), headers=tokens[role])

    scoped = [(route, rule) for route, rule in rules.items()
              if rule.scope is not None and Role.UNIT_OFFICER in rule.roles]
    if scoped:
        # The replica of the units context is eventually current: wait until the officer's division is known.
        route, rule = scoped[0]
        await wait_until(lambda: _passes(call(route, rule, Role.UNIT_OFFICER)), timeout=30)

    walked = 0
    for route, rule in rules.items():
        for role in Role:
            answer = await call(route, rule, role)
            walked += 1
            if role in rule.roles:
                assert answer.status_code not in (401, 403), (route, role, answer.status_code, answer.text)
            else:
                assert answer.status_code == 403, (route, role, answer.status_code, answer.text)
                body = answer.json()
                assert body["code"] == "forbidden" and route.split(" ", 1)[1] in body["message"], body
                assert body["details"]["allowed_roles"] == sorted(r.value for r in rule.roles)
        if rule.scope is not None and Role.UNIT_OFFICER in rule.roles:
            outside = await call(route, rule, Role.UNIT_OFFICER, target=OTHER, person="p-out")
            assert outside.status_code == 403 and outside.json()["code"] == "outside_unit_scope", (route, outside.text)
    # Every query but the audit trail is every role's.
    spec = (await client.get("/openapi.json")).json()
    queries = [p for p, ops in spec["paths"].items() if "get" in ops and f"GET {p}" not in rules]
    for path in queries:
        for role in Role:
            answer = await client.get(re.sub(r"\{[^}]+\}", "x", path), headers=tokens[role])
            walked += 1
            assert answer.status_code not in (401, 403), (path, role, answer.status_code, answer.text)
    # (the notifications service has two queries of its own beside /health and /metrics)
    assert walked == (len(rules) + len(queries)) * len(Role) and len(queries) >= (4 if service == "notifications" else 5)


async def _passes(response: Any) -> bool:
    answer = await response
    return answer.status_code not in (401, 403)


async def test_a_request_without_a_valid_token_is_refused(settings, start_service, auth_keys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from kernel.auth import generate_key_pair, mint_token

    client = await start_service(build_units, settings)
    bare = {"authorization": ""}
    missing = await client.get("/units/tree", headers=bare)
    assert missing.status_code == 401 and missing.json()["code"] == "unauthenticated"
    assert missing.headers["www-authenticate"].startswith("Bearer")
    stranger, _ = generate_key_pair(tmp_path / "stranger")
    cases = {
        "garbage": "not-a-jwt",
        "another key": mint_token(stranger, subject="x", roles=["administrator"], issuer="tdkt-local",
                                  audience="tdkt"),
        "expired": mint_token(auth_keys.private, subject="x", roles=["administrator"], issuer="tdkt-local",
                              audience="tdkt", ttl_seconds=-120),
        "wrong audience": mint_token(auth_keys.private, subject="x", roles=["administrator"], issuer="tdkt-local",
                                     audience="another-system"),
        "wrong issuer": mint_token(auth_keys.private, subject="x", roles=["administrator"], issuer="elsewhere",
                                   audience="tdkt"),
    }
    for case, token in cases.items():
        answer = await client.post("/units", json={}, headers={"authorization": f"Bearer {token}"})
        assert answer.status_code == 401, (case, answer.text)
        assert answer.json()["code"] == "invalid_token" and answer.json()["message"], case
    # Probes stay open; the documentation declares the bearer scheme.
    health = await client.get("/health", headers=bare)
    assert health.status_code in (200, 503) and health.json()["status"] in ("ok", "degraded")
    spec = (await client.get("/openapi.json", headers=bare)).json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def test_the_readme_table_is_the_code() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    assert access_markdown(TABLES) in readme
