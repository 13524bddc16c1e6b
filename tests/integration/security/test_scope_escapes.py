"""A unit officer's escapes from their scope, each refused in the service that owns the fact, as of now.

The officer acts for their department (u-vu-a) and the division under it. A
command that names a person or a unit outside — an initiative credited to
another unit's person, a transfer into another unit, a merged division's
people after the merge — is refused with 403 ``outside_unit_scope`` and
writes nothing.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kernel.auth import Role
from services.units.app import build as build_units

pytestmark = pytest.mark.integration

ROOT, OWN, CHILD, OTHER = "u-bo", "u-vu-a", "u-phong-a1", "u-vu-b"


async def _units(client: httpx.AsyncClient) -> None:
    for unit_id, parent in ((ROOT, None), (OWN, ROOT), (CHILD, OWN), (OTHER, ROOT)):
        body = {"unit_id": unit_id, "code": unit_id.upper().replace("-", ""), "name": f"Đơn vị {unit_id}",
                "kind": "bo" if parent is None else "vu", "parent_id": parent, "effective_on": "2015-01-01"}
        assert (await client.post("/units", json=body)).status_code == 201
    for person, unit_id in (("p-in", CHILD), ("p-own", OWN), ("p-out", OTHER)):
        body = {"person_id": person, "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "1980-01-01",
                "sector_joined_on": "2005-01-01", "unit_id": unit_id, "position": "Chuyên viên",
                "staff_category": "cong_chuc", "union_member": True, "effective_on": "2015-01-01"}
        assert (await client.post("/people", json=body)).status_code == 201, body


async def _refused(client: httpx.AsyncClient, path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
    answer = await client.post(path, json=body, headers=headers)
    assert answer.status_code == 403 and answer.json()["code"] == "outside_unit_scope", (path, answer.text)


async def test_an_officer_cannot_name_another_units_people_or_units(settings, start_service, auth_keys) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build_units, settings)
    await _units(client)
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer", unit_id=OWN)
    initiative = {"initiative_id": "sk-1", "kind": "sang_kien", "level": "co_so", "year": 2025,
                  "title": "Số hóa hồ sơ thi đua", "decision_number": "88/QĐ-HĐKH", "decided_on": "2025-11-20",
                  "author_ids": ["p-in", "p-out"], "unit_id": CHILD}
    await _refused(client, "/initiatives", initiative, officer)
    transfer = {"person_id": "p-in", "to_unit_id": OTHER, "effective_on": "2025-03-01"}
    await _refused(client, "/people/transfer", transfer, officer)
    # Nothing was written; within their own units both go through.
    assert (await client.get("/people/p-in")).json()["unit_id"] == CHILD
    assert (await client.post("/initiatives", json={**initiative, "author_ids": ["p-in", "p-own"]},
                              headers=officer)).status_code == 201
    assert (await client.post("/people/transfer", json={**transfer, "to_unit_id": OWN},
                              headers=officer)).status_code == 200


async def test_after_a_merge_the_old_parents_officer_no_longer_acts_for_its_people(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys
) -> None:
    client = await start_service(build_units, settings)
    await _units(client)
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer", unit_id=OWN)
    merged = await client.post("/units/merge", json={"unit_id": CHILD, "into_unit_id": OTHER,
                                                     "effective_on": "2025-06-01"})
    assert merged.status_code == 200, merged.text
    discipline = {"person_id": "p-in", "discipline_id": "kl-1", "form": "khien_trach", "reason": "Vi phạm quy chế",
                  "decision_number": "12/QĐ-KL", "decided_on": "2025-07-01", "ends_on": "2026-06-30"}
    await _refused(client, "/disciplines", discipline, officer)
    await _refused(client, "/people/leave", {"person_id": "p-in", "reason": "nghi_huu", "effective_on": "2025-08-01"},
                   officer)
    # The absorbing unit's officer may; the person's record is unchanged by the refusals.
    theirs = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer-b", unit_id=OTHER)
    assert (await client.post("/disciplines", json=discipline, headers=theirs)).status_code == 201
    assert (await client.get("/people/p-in")).json()["on_staff"] is True
