"""Scope as of now in the services that decide it on a replica: no window after a sub-unit moves away.

The units, awards and campaigns services run together on the real Kafka and
PostgreSQL. A division (u-phong-a1) moves from the officer's department to
another; the very next request of its old officer — in awards, a nomination
in the division's name; in campaigns, the division's registration — is
refused with 403 ``outside_unit_scope``, with no wait in between: the units
service answers the move once it is on Kafka, and a unit officer's command
waits until the replica holds it (kernel/freshness.py). The new department's
officer may register it at once. A replica that cannot catch up in time
refuses a unit officer's command with 503 ``replica_behind`` and
``Retry-After``, and still takes the office's.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from kernel.auth import Role
from services.campaigns.app import build as build_campaigns

from ..awards.support import Publisher, unit
from ..awards_workflow.support import nomination, nominee
from ..campaigns.support import campaigns_settings
from ..kernel.support import wait_until
from .support import replicated, units_awards_campaigns

pytestmark = pytest.mark.integration

ROOT, OWN, CHILD, OTHER = "u-bo", "u-vu-a", "u-phong-a1", "u-vu-b"


async def test_the_old_officer_is_refused_right_after_the_sub_unit_moved(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys
) -> None:
    units, awards, campaigns = await units_awards_campaigns(start_service, settings)
    for unit_id, parent in ((ROOT, None), (OWN, ROOT), (CHILD, OWN), (OTHER, ROOT)):
        body = {"unit_id": unit_id, "code": unit_id.upper().replace("-", ""), "name": f"Đơn vị {unit_id}",
                "kind": "bo" if parent is None else "vu", "parent_id": parent, "effective_on": "2015-01-01"}
        assert (await units.post("/units", json=body)).status_code == 201
    person = {"person_id": "p-in", "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "1980-01-01",
              "sector_joined_on": "2005-01-01", "unit_id": CHILD, "position": "Chuyên viên",
              "staff_category": "cong_chuc", "union_member": True, "effective_on": "2015-01-01"}
    assert (await units.post("/people", json=person)).status_code == 201
    await replicated(awards, campaigns, 5)

    year = date.today().year
    movement = {"movement_id": "pt-thuong-xuyen", "title": "Phong trào thi đua thường xuyên", "launched_by": "bo",
                "kind": "thuong_xuyen", "scope": {"unit_ids": [OWN, CHILD, OTHER]},
                "period_start": f"{year}-01-01", "criteria": "Hoàn thành xuất sắc nhiệm vụ.",
                "launched_on": f"{year}-01-02", "annual_registration_deadline": "12-31"}
    assert (await campaigns.post("/movements", json=movement)).status_code == 201
    old = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer-a", unit_id=OWN)
    new = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer-b", unit_id=OTHER)

    def submission(nomination_id: str) -> dict[str, Any]:
        return nomination(nomination_id, "BK_BT", year, CHILD, [nominee("c-1", "p-in")], submitted_on=date.today())

    def registration(unit_id: str) -> dict[str, Any]:
        return {"movement_id": "pt-thuong-xuyen", "unit_id": unit_id, "year": year,
                "collective_titles": ["TTLDTT"], "individuals": []}

    # Before the move the division is the old officer's: both services let them act in its name.
    before = await awards.post("/nominations", json=submission("n-before"), headers=old)
    assert before.status_code == 201, before.text
    assert (await campaigns.post("/registrations", json=registration(OWN), headers=old)).status_code == 201

    moved = await units.post("/units/move", json={"unit_id": CHILD, "parent_id": OTHER, "effective_on": "2025-01-01"})
    assert moved.status_code == 200, moved.text
    # At once, no waiting: the old officer no longer acts for the division, in either service.
    for client, path, body in ((awards, "/nominations", submission("n-after")),
                               (campaigns, "/registrations", registration(CHILD))):
        answer = await client.post(path, json=body, headers=old)
        assert answer.status_code == 403 and answer.json()["code"] == "outside_unit_scope", (path, answer.text)
        assert answer.json()["details"]["value"] == CHILD
    # The division's new department acts for it at once; nothing was written for the refused commands.
    theirs = await campaigns.post("/registrations", json=registration(CHILD), headers=new)
    assert theirs.status_code == 201, theirs.text
    assert (await awards.get("/nominations/n-after")).status_code == 404


async def test_a_replica_that_cannot_catch_up_refuses_the_officer_and_says_when_to_retry(  # type: ignore[no-untyped-def]
    settings, start_service, auth_keys, publish: Publisher
) -> None:
    waits = settings.model_copy(update={"scope_sync_ms": 300})
    campaigns = await start_service(build_campaigns, campaigns_settings(waits, allow_today_header=False))
    sent = await publish.send(unit(ROOT, "BO", "Bộ Công Thương", kind="bo", parent_id=None),
                              unit(OWN, "VUA", "Vụ A", parent_id=ROOT))

    async def taken() -> bool:
        status = (await campaigns.get("/health")).json()["consumers"]["campaigns-units-replica"]
        return status["applied"] + status["duplicates"] >= len(sent)

    await wait_until(taken, timeout=30)
    year = date.today().year
    movement = {"movement_id": "pt-tre", "title": "Phong trào thi đua thường xuyên", "launched_by": "bo",
                "kind": "thuong_xuyen", "scope": {"all_units": True}, "period_start": f"{year}-01-01",
                "criteria": "Hoàn thành xuất sắc nhiệm vụ.", "launched_on": f"{year}-01-02",
                "annual_registration_deadline": "12-31"}
    assert (await campaigns.post("/movements", json=movement)).status_code == 201
    # The replica stops taking the units' events (its consumers leave); one more reaches Kafka.
    await campaigns.service._broker.stop()  # type: ignore[attr-defined]
    await publish.send(unit(CHILD, "PHONGA1", "Phòng A1", kind="phong", parent_id=OWN))
    body = {"movement_id": "pt-tre", "unit_id": OWN, "year": year, "collective_titles": ["TTLDTT"],
            "individuals": []}
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="t-officer", unit_id=OWN)
    behind = await campaigns.post("/registrations", json=body, headers=officer)
    assert behind.status_code == 503 and behind.json()["code"] == "replica_behind", behind.text
    assert behind.headers["retry-after"] == "1"
    assert sum(behind.json()["details"]["behind"].values()) >= 1  # messages still to apply, per partition
    # The office's commands are not scoped by the tree: they do not wait. 201, not 409 registration_exists:
    # the refused command wrote nothing.
    assert (await campaigns.post("/registrations", json=body)).status_code == 201
