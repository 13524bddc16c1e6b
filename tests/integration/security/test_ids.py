"""A person's or a unit's id is one subject however it is written: upper case, padded, full width — or refused.

The units, awards and campaigns services run together on the real Kafka and
PostgreSQL. Every command and query takes person and unit ids as
``kernel.ids.SubjectId``: ``P-000123``, `` p-000123 `` and ``Ｐ-000123`` are
``p-000123``. So a second enrolment written differently is 409 (the same
person), a record is found under any spelling, a unit officer whose token says
``U-VU-A`` acts for ``u-vu-a``, a nomination and a registration name the
recorded subjects; an id that is no id once canonical (a zero-width
character, a letter outside ASCII, a space inside) is refused with 422 naming the
id's rule.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest

from kernel.auth import Role

from ..awards_workflow.support import nomination, nominee
from .support import replicated, units_awards_campaigns

pytestmark = pytest.mark.integration


def _invalid_id(answer: httpx.Response) -> bool:
    """422 naming the id's problem: ``invalid_id`` (units' commands) or ``invalid_request`` with the id's rule."""
    body = answer.json()
    return answer.status_code == 422 and (
        body["code"] == "invalid_id"
        or body["code"] == "invalid_request" and "an id is 1–64 ASCII letters" in body["message"]
    )


def _person(person_id: str, unit_id: str) -> dict[str, Any]:
    return {"person_id": person_id, "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "1980-01-01",
            "sector_joined_on": "2005-01-01", "unit_id": unit_id, "position": "Chuyên viên",
            "staff_category": "cong_chuc", "union_member": True, "effective_on": "2015-01-01"}


async def test_an_id_written_differently_is_the_same_subject_or_refused(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys
) -> None:
    units, awards, campaigns = await units_awards_campaigns(start_service, settings)

    # units: the id is recorded canonical; any other spelling is that unit or person.
    for unit_id, parent in (("U-BO", None), (" u-vu-a ", "u-bo"), ("U-VU-B", "U-BO"), ("u-phong-a1", "U-VU-A")):
        body = {"unit_id": unit_id, "code": unit_id.strip().upper().replace("-", ""), "name": f"Đơn vị {unit_id}",
                "kind": "bo" if parent is None else "vu", "parent_id": parent, "effective_on": "2015-01-01"}
        assert (await units.post("/units", json=body)).status_code == 201, body
    assert (await units.get("/units/U-VU-A")).json()["unit_id"] == "u-vu-a"
    again = await units.post("/units", json={"unit_id": "u-VU-b", "code": "VUB2", "name": "Đơn vị khác",
                                             "kind": "vu", "parent_id": "u-bo", "effective_on": "2015-01-01"})
    assert again.status_code == 409 and again.json()["code"] == "unit_exists", again.text
    enrolled = await units.post("/people", json=_person("Ｐ-000123", " U-VU-A"))
    assert enrolled.status_code == 201, enrolled.text
    for spelling in ("p-000123", "P-000123", "%EF%BC%B0-000123"):  # the last: full-width Ｐ, URL-encoded
        found = await units.get(f"/people/{spelling}")
        assert found.status_code == 200 and found.json()["person_id"] == "p-000123", (spelling, found.text)
        assert found.json()["unit_id"] == "u-vu-a"
    twice = await units.post("/people", json=_person("p-000123", "u-vu-a"))
    assert twice.status_code == 409 and twice.json()["code"] == "person_exists", twice.text
    for bad in ("p-000\u200b123", "đ-000123", "p 000123"):
        refused = await units.post("/people", json=_person(bad, "u-vu-a"))
        assert _invalid_id(refused), (bad, refused.text)
    # A token naming its unit in capitals is that unit's officer: the transfer into it goes through.
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer", unit_id="U-VU-A")
    assert (await units.post("/people", json=_person("p-000124", "u-vu-b"))).status_code == 201
    for to_unit, on in ((" U-PHONG-A1", "2025-03-01"), ("u-VU-a", "2025-04-01")):
        inside = await units.post("/people/transfer", headers=officer,
                                  json={"person_id": "P-000123", "to_unit_id": to_unit, "effective_on": on})
        assert inside.status_code == 200, inside.text
    outside = await units.post("/people/transfer", headers=officer,
                               json={"person_id": "p-000123", "to_unit_id": "U-VU-B", "effective_on": "2025-05-01"})
    assert outside.status_code == 403 and outside.json()["code"] == "outside_unit_scope", outside.text
    assert (await units.get("/people/p-000123")).json()["unit_id"] == "u-vu-a"
    await replicated(awards, campaigns, 8)

    # awards: the nomination names the recorded unit and person, assessed as the Ministry's person.
    year = date.today().year
    body = nomination("n-ids", "BK_BT", year, " U-VU-A", [nominee("c-1", "P-000123")], submitted_on=date.today())
    submitted = await awards.post("/nominations", json=body, headers=officer)
    assert submitted.status_code == 201, submitted.text
    view = (await awards.get("/nominations/n-ids")).json()
    assert view["submitting_unit_id"] == "u-vu-a"
    assert [(c["subject_id"], c["recipient_kind"]) for c in view["candidates"]] == [("p-000123", "individual")]
    assert view["candidates"][0]["display_name"] == "Nguyễn Văn An"  # the name of record: the same person
    other = nomination("n-ids-b", "BK_BT", year, "U-VU-B", [nominee("c-1", "p-000124")], submitted_on=date.today())
    assert (await awards.post("/nominations", json=other, headers=officer)).status_code == 403
    assert (await awards.get("/people/P-000123/awards")).json() == (await awards.get("/people/p-000123/awards")).json()
    assert _invalid_id(await awards.get("/people/p-\u200b000123/awards"))

    # campaigns: one registration per unit and year, however the unit is written.
    movement = {"movement_id": "pt-ids", "title": "Phong trào thi đua thường xuyên", "launched_by": "bo",
                "kind": "thuong_xuyen", "scope": {"unit_ids": ["U-VU-A", "u-vu-b"]},
                "period_start": f"{year}-01-01", "criteria": "Hoàn thành xuất sắc nhiệm vụ.",
                "launched_on": f"{year}-01-02", "annual_registration_deadline": "12-31"}
    assert (await campaigns.post("/movements", json=movement)).status_code == 201

    def registration(unit_id: str, person_id: str) -> dict[str, Any]:
        return {"movement_id": "pt-ids", "unit_id": unit_id, "year": year, "collective_titles": ["TTLDTT"],
                "individuals": [{"person_id": person_id, "titles": ["LDTT"]}]}

    first = await campaigns.post("/registrations", json=registration("U-VU-A", "P-000123"), headers=officer)
    assert first.status_code == 201, first.text
    assert first.json()["stream_id"] == f"pt-ids/u-vu-a/{year}"
    second = await campaigns.post("/registrations", json=registration("u-vu-a", "p-000123"), headers=officer)
    assert second.status_code == 409 and second.json()["code"] == "registration_exists", second.text
    stranger = await campaigns.post("/registrations", json=registration("u-vu-b", "Ｐ-000124"), headers=officer)
    assert stranger.status_code == 403 and stranger.json()["code"] == "outside_unit_scope", stranger.text
    assert _invalid_id(await campaigns.post("/registrations", json=registration("u-vu-a", "p-\u200b1"),
                                            headers=officer))
