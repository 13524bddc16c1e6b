"""Racing commands: the advisory locks make cross-stream rules hold when requests arrive together."""

from __future__ import annotations

import asyncio
from datetime import date

import httpx
import pytest

from ..awards.support import Publisher, confer, enrol, get_ok, unit
from .support import candidate, grant, nomination, nominee, ok

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"


async def _setup(client: httpx.AsyncClient, publish: Publisher, nominations: list[str]) -> None:
    await publish.send(unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
                       enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female"))
    await publish.settled(client)
    for year in (2023, 2024):
        await confer(client, f"a-{year}-cstdcs", "CSTDCS", year, "p-tuyet", "Lê Thị Ánh Tuyết", unit_id=VTCCB)
    for nid in nominations:
        await ok(client, "/nominations", nomination(nid, "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet")],
                                                    submitted_on=date(2024, 12, 5)))


async def test_two_nominations_granting_the_same_achievement_at_once(
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    # The awards go to two different streams: only the subject's lock stops the second one.
    names = [f"n-2024-bkbt-{i}" for i in range(4)]
    await _setup(client, publish, names)
    answers = await asyncio.gather(*(
        client.post(f"/nominations/{nid}/grants", json=grant(["c-1"], f"24{i}0/QĐ-BCT", date(2024, 12, 20)))
        for i, nid in enumerate(names)
    ))
    codes = sorted(r.status_code for r in answers)
    assert codes == [201, 409, 409, 409], [r.text for r in answers]
    assert {r.json()["code"] for r in answers if r.status_code == 409} == {"award_already_granted"}
    history = await get_ok(client, "/people/p-tuyet/awards")
    assert [e["award_code"] for e in history["entries"]].count("BK_BT") == 1


async def test_a_rejection_and_a_grant_of_the_same_candidate_at_once(
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    # The rejection appends to the nomination's stream, the grant to the award's: only the nomination's lock
    # keeps the candidate from being both.
    await _setup(client, publish, ["n-2024-bkbt"])
    path = "/nominations/n-2024-bkbt"
    reject = {"candidate_ids": ["c-1"], "authority": "minister", "decided_on": "2024-12-20",
              "reason": "Chưa đủ tiêu chuẩn theo kết luận của Hội đồng."}
    granted, rejected = await asyncio.gather(
        client.post(f"{path}/grants", json=grant(["c-1"], "2500/QĐ-BCT", date(2024, 12, 20))),
        client.post(f"{path}/rejections", json=reject),
    )
    assert sorted((granted.status_code, rejected.status_code)) == [201, 409], (granted.text, rejected.text)
    loser = granted if granted.status_code == 409 else rejected
    assert loser.json()["code"] == "candidate_already_decided"
    state = candidate(await get_ok(client, path), "c-1")
    assert state["status"] == ("granted" if granted.status_code == 201 else "rejected")
    assert (state["decision"] is not None) == (granted.status_code == 201)
