"""A unit officer's escapes from their scope, each refused in the service that owns the fact, as of now.

The officer acts for their department (u-vu-a) and the division under it. A
command that names a person or a unit outside — an initiative credited to
another unit's person, a transfer into another unit, a merged division's
people after the merge, a registration listing another unit's people — is
refused with 403 ``outside_unit_scope`` (an unknown person: 422) and writes
nothing; a dissolved unit gets no registration or training report (422
``unit_dissolved``), nor a grade for a year after it closed (409 ``unit_dissolved``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from tdkt_contracts.catalogue import units as u

from kernel.auth import Role
from services.campaigns.app import build as build_campaigns
from services.units.app import build as build_units

from ..awards.support import Publisher, enrol, unit
from ..campaigns.support import campaigns_settings
from ..kernel.support import wait_until

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


async def test_registrations_name_the_units_own_people_and_no_dissolved_unit(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys, publish: Publisher
) -> None:
    client = await start_service(build_campaigns, campaigns_settings(settings, allow_today_header=False))
    gone = "u-phong-a2"
    sent = await publish.send(
        unit(ROOT, "BO", "Bộ Công Thương", kind="bo", parent_id=None),
        unit(OWN, "VUA", "Vụ A", parent_id=ROOT),
        unit(CHILD, "PHONGA1", "Phòng A1", kind="phong", parent_id=OWN),
        unit(gone, "PHONGA2", "Phòng A2", kind="phong", parent_id=OWN),
        unit(OTHER, "VUB", "Vụ B", parent_id=ROOT),
        enrol("p-in", "Nguyễn Văn An", CHILD),
        enrol("p-out", "Trần Thị Bích", OTHER),
        u.UnitDissolved(unit_id=gone, effective_on=date(2025, 6, 1), decision_number="9/QĐ-BCT"),
    )

    async def replicated() -> bool:
        consumers = (await client.get("/health")).json()["consumers"]
        return sum(c["applied"] + c["duplicates"] for c in consumers.values()) >= len(sent)

    await wait_until(replicated, timeout=30)
    year = date.today().year
    movement = {"movement_id": "pt-thuong-xuyen", "title": "Phong trào thi đua thường xuyên", "launched_by": "bo",
                "kind": "thuong_xuyen", "scope": {"unit_ids": [OWN, CHILD, gone, OTHER]},
                "period_start": f"{year}-01-01", "criteria": "Hoàn thành xuất sắc nhiệm vụ.",
                "launched_on": f"{year}-01-02", "annual_registration_deadline": "12-31"}
    assert (await client.post("/movements", json=movement)).status_code == 201
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer", unit_id=OWN)

    def registration(unit_id: str, *people: str) -> dict[str, Any]:
        return {"movement_id": "pt-thuong-xuyen", "unit_id": unit_id, "year": year, "collective_titles": ["TTLDTT"],
                "individuals": [{"person_id": p, "titles": ["LDTT"]} for p in people]}

    await _refused(client, "/registrations", registration(CHILD, "p-in", "p-out"), officer)
    unknown = await client.post("/registrations", json=registration(CHILD, "p-nobody"), headers=officer)
    assert unknown.status_code == 422 and unknown.json()["code"] == "person_not_found", unknown.text
    for path, body in (("/registrations", registration(gone)),
                       ("/training-reports", {"unit_id": gone, "year": year, "training_code": "NQ-TW",
                                              "completed": 1, "headcount": 1})):
        for headers in (officer, auth_keys.headers()):
            answer = await client.post(path, json=body, headers=headers)
            assert answer.status_code == 422 and answer.json()["code"] == "unit_dissolved", (path, answer.text)
    assert (await client.post("/registrations", json=registration(CHILD, "p-in"), headers=officer)).status_code == 201


async def test_a_dissolved_unit_gets_no_grade_for_a_year_after_it_closed(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys
) -> None:
    client = await start_service(build_units, settings)
    await _units(client)
    gone = "u-phong-a2"
    body = {"unit_id": gone, "code": "PHONGA2", "name": "Phòng A2", "kind": "phong", "parent_id": OWN,
            "effective_on": "2015-01-01"}
    assert (await client.post("/units", json=body)).status_code == 201
    dissolved = await client.post("/units/dissolve", json={"unit_id": gone, "effective_on": "2024-06-01",
                                                           "reason": "Sắp xếp tổ chức bộ máy"})
    assert dissolved.status_code == 200, dissolved.text
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer", unit_id=OWN)
    grade = {"subject": "unit", "subject_id": gone, "year": 2025, "grade": "HTXS", "decision_number": "25/QĐ-VA"}
    for headers in (officer, auth_keys.headers()):
        answer = await client.post("/evaluations", json=grade, headers=headers)
        assert answer.status_code == 409 and answer.json()["code"] == "unit_dissolved", answer.text
    assert "2025" not in {str(g["year"]) for g in (await client.get(f"/units/{gone}")).json().get("grades", [])}
    # Its last year of work is still graded (the decision comes after the closing).
    assert (await client.post("/evaluations", json={**grade, "year": 2024}, headers=officer)).status_code == 201
