"""Which personal data each role's answers carry (kernel.privacy), asked with a token of every role.

Against the units and awards services started for real: a person's record
and the unit-wide assessments (detail=full) carry a category of personal
data only for the roles the policy gives it to — a reader sees names, units
and awards, never discipline, grades or a date of birth; a unit officer sees
grades of the people of their own units only. The README's table is the
policy, printed from the code.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kernel.auth import Role
from kernel.privacy import personal_data_markdown
from services.awards.app import build as build_awards
from services.units.app import build as build_units

from ..awards.support import Publisher, discipline, enrol, eventually, grade, initiative, unit

pytestmark = pytest.mark.integration

ROOT, OWN, CHILD, OTHER = "u-bo", "u-vu-a", "u-phong-a1", "u-vu-b"
REASON = "Vi phạm quy chế làm việc, chậm trễ xử lý hồ sơ"
BORN = "1980-05-19"
EVERY_FIELD = {"person_id", "full_name", "unit_id", "effective_unit_id", "effective_unit_name", "position", "units",
               "staff_category", "sector_joined_on", "on_staff", "left_on", "version", "initiatives", "grades",
               "disciplines", "leave_reason", "date_of_birth", "sex", "union_member"}
IDENTITY_AND_AWARDS = {"person_id", "full_name", "unit_id", "effective_unit_id", "effective_unit_name", "position",
                       "units", "staff_category", "sector_joined_on", "on_staff", "left_on", "version", "initiatives"}
GRADES, DISCIPLINE, BIRTH = {"grades"}, {"disciplines", "leave_reason"}, {"date_of_birth", "sex", "union_member"}


def _tokens(auth_keys: Any) -> dict[Role, dict[str, str]]:
    return {role: auth_keys.headers(role.value, subject=f"t-{role.value}", unit_id=OWN) for role in Role}


async def test_a_person_record_carries_what_the_role_may_see(settings, start_service, auth_keys) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build_units, settings)
    for unit_id, parent in ((ROOT, None), (OWN, ROOT), (CHILD, OWN), (OTHER, ROOT)):
        body = {"unit_id": unit_id, "code": unit_id.upper().replace("-", ""), "name": f"Đơn vị {unit_id}",
                "kind": "bo" if parent is None else "vu", "parent_id": parent, "effective_on": "2015-01-01"}
        assert (await client.post("/units", json=body)).status_code == 201
    for person, unit_id in (("p-in", CHILD), ("p-out", OTHER)):
        body = {"person_id": person, "full_name": "Nguyễn Thị Hương", "sex": "female", "date_of_birth": BORN,
                "sector_joined_on": "2005-01-01", "unit_id": unit_id, "position": "Chuyên viên",
                "staff_category": "cong_chuc", "union_member": True, "effective_on": "2015-01-01"}
        assert (await client.post("/people", json=body)).status_code == 201, body
        graded = {"subject": "person", "subject_id": person, "year": 2023, "grade": "HTXS",
                  "decision_number": "25/QĐ-VA"}
        assert (await client.post("/evaluations", json=graded)).status_code == 201
        disciplined = {"person_id": person, "discipline_id": f"kl-{person}", "form": "khien_trach", "reason": REASON,
                       "decision_number": "12/QĐ-KL", "decided_on": "2024-02-01", "ends_on": "2025-01-31"}
        assert (await client.post("/disciplines", json=disciplined)).status_code == 201
    tokens = _tokens(auth_keys)
    expected = {
        Role.ADMINISTRATOR: EVERY_FIELD,
        Role.EMULATION_OFFICE: EVERY_FIELD,
        Role.APPROVER: IDENTITY_AND_AWARDS | GRADES | DISCIPLINE,
        Role.COUNCIL_MEMBER: IDENTITY_AND_AWARDS | GRADES,
        Role.READER: IDENTITY_AND_AWARDS,
    }
    for role, fields in expected.items():
        for person in ("p-in", "p-out"):
            answer = await client.get(f"/people/{person}", headers=tokens[role])
            assert answer.status_code == 200, answer.text
            record = answer.json()
            assert set(record) - {"withheld"} == fields, (role, person, sorted(set(record) ^ fields))
            if DISCIPLINE - fields:
                assert REASON not in answer.text and "khien_trach" not in answer.text, (role, answer.text)
                assert "discipline" in record["withheld"]
            if BIRTH - fields:
                assert BORN not in answer.text, (role, answer.text)
    # A unit officer: grades of the people of their own units (the division under their department) only.
    own = (await client.get("/people/p-in", headers=tokens[Role.UNIT_OFFICER])).json()
    other = (await client.get("/people/p-out", headers=tokens[Role.UNIT_OFFICER])).json()
    assert set(own) - {"withheld"} == IDENTITY_AND_AWARDS | GRADES and own["grades"][0]["grade"] == "HTXS"
    assert set(other) - {"withheld"} == IDENTITY_AND_AWARDS and "grades" in other["withheld"]
    assert "disciplines" not in own and BORN not in str(own)


async def test_unit_assessments_carry_no_discipline_for_a_reader(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys, publish: Publisher
) -> None:
    client = await start_service(build_awards, settings)
    await publish.send(
        unit(ROOT, "BO", "Bộ Công Thương", kind="bo", parent_id=None),
        unit(OWN, "VUA", "Vụ A", parent_id=ROOT),
        unit(CHILD, "PHONGA1", "Phòng A1", kind="phong", parent_id=OWN),
        unit(OTHER, "VUB", "Vụ B", parent_id=ROOT),
        *(enrol(p, "Nguyễn Văn An", CHILD) for p in ("p-a", "p-b")),
        *(grade(p, 2024, "HTXS", CHILD) for p in ("p-a", "p-b")),
        initiative("sk-2024-01", 2024, ["p-a", "p-b"], CHILD),
        discipline("p-b", "kl-1", "khien_trach", date(2024, 3, 1), date(2025, 3, 1)),
    )
    await publish.settled(client)
    tokens = _tokens(auth_keys)

    def kinds(answer: dict[str, Any]) -> set[str]:
        found: set[str] = set()

        def walk(results: list[dict[str, Any]]) -> None:
            for r in results:
                found.add(r["kind"])
                walk(r["children"])

        for candidate in answer["candidates"]:
            walk(candidate["assessment"]["criteria"])
        return found

    # CSTDCS 2024 reads the grade; CSTĐ Bộ 2025 (NĐ 152/2025) reads discipline over three years.
    for code, year, kind in (("CSTDCS", 2024, "grade_at_least"), ("CSTD_BO", 2025, "no_discipline")):
        path, params = f"/units/{ROOT}/assessments", {"code": code, "year": year, "include_subunits": "true",
                                                      "detail": "full"}
        office = await eventually(client, path, lambda a: len(a["candidates"]) == 2, **params)
        assert kind in kinds(office), (code, kinds(office))
        # The person's own facts (not the rule's wording, which names grades too).
        secret = re.compile(r'"2024":"HTXS"|2024: HTXS' if kind == "grade_at_least" else r"khien_trach|[Kk]hiển trách")
        assert secret.search(json.dumps(office, ensure_ascii=False, separators=(",", ":"))), code
        sees = {Role.READER: False, Role.COUNCIL_MEMBER: kind == "grade_at_least",
                Role.UNIT_OFFICER: kind == "grade_at_least", Role.APPROVER: True, Role.EMULATION_OFFICE: True}
        for role, seen in sees.items():
            answer = await client.get(path, params=params, headers=tokens[role])
            assert answer.status_code == 200, answer.text
            body = answer.json()
            # The outcome is the query's answer; the reasons in a withheld category are not.
            assert body["counts"] == office["counts"] and body["eligible"] == office["eligible"]
            assert (kind in kinds(body)) is seen, (code, role)
            assert bool(secret.search(answer.text)) is seen, (code, role, secret.findall(answer.text)[:3])
    # One candidate, for a reader: no grade and no discipline in the criteria, the facts or the explanation.
    one = await client.get("/assessments", params={"code": "CSTD_BO", "year": 2025, "person_id": "p-b"},
                           headers=tokens[Role.READER])
    assert one.status_code == 200, one.text
    assert not re.search(r"2024: HTXS|khien_trach|[Kk]hiển trách", one.text), one.text
    assert "không hiển thị" in one.json()["explanation_vi"]


def test_the_readme_personal_data_table_is_the_code() -> None:
    readme = (Path(__file__).parents[3] / "README.md").read_text(encoding="utf-8")
    assert personal_data_markdown() in readme


async def test_a_nomination_shows_the_recorded_criteria_a_role_may_see(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys, publish: Publisher
) -> None:
    from ..awards_workflow.support import nomination, nominee

    client = await start_service(build_awards, settings)
    await publish.send(
        unit(ROOT, "BO", "Bộ Công Thương", kind="bo", parent_id=None),
        unit(OWN, "VUA", "Vụ A", parent_id=ROOT),
        enrol("p-b", "Nguyễn Văn Bình", OWN),
        grade("p-b", 2025, "HTXS", OWN),
        discipline("p-b", "kl-1", "khien_trach", date(2025, 3, 1), date(2026, 3, 1)),
    )
    await publish.settled(client)
    body = nomination("n-2025-cstdbo", "CSTD_BO", 2025, OWN, [nominee("c-1", "p-b")], submitted_on=date(2025, 12, 1))
    submitted = await client.post("/nominations", json=body)
    assert submitted.status_code == 201, submitted.text
    secret = re.compile(r"khien_trach|[Kk]hiển trách")
    tokens = _tokens(auth_keys)
    office = await client.get("/nominations/n-2025-cstdbo", headers=tokens[Role.EMULATION_OFFICE])
    [seen] = office.json()["candidates"]
    assert "no_discipline" in {c["kind"] for c in seen["assessment"]["criteria"]} and secret.search(office.text)
    for role in (Role.READER, Role.COUNCIL_MEMBER, Role.UNIT_OFFICER):
        answer = await client.get("/nominations/n-2025-cstdbo", headers=tokens[role])
        assert answer.status_code == 200, answer.text
        [candidate] = answer.json()["candidates"]
        kinds = {c["kind"] for c in candidate["assessment"]["criteria"]}
        assert "no_discipline" not in kinds and not secret.search(answer.text), (role, answer.text)
        assert candidate["status"] == seen["status"] and len(candidate["reasons"]) <= len(seen["reasons"])
