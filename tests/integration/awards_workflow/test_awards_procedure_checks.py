"""The procedure checks through the real API (issue #19 points 12, 14): the 15 % cap of Chiến sĩ thi đua cơ sở
before 2024 counted in the command's own transaction from the unit's Lao động tiên tiến of the year, and the
council's quorum recorded on the vote; each on the nomination's answer with its article and confidence (the
Giấy khen signer: tests/unit/awards_workflow/test_awards_workflow_procedure_checks.py)."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ..awards.support import Publisher, confer, enrol, get_ok, grade, initiative, unit
from .support import ballots, candidate, grant, nomination, nominee, ok, refused, set_council

pytestmark = pytest.mark.integration

VTCCB, PHONG = "u-vtccb", "u-vtccb-th"
HEAD = "Vụ trưởng Hoàng Văn Bình"
PEOPLE = [("p-an", "Nguyễn Văn An"), ("p-binh", "Trần Thị Bình")]
OTHERS = [f"p-ld-{i}" for i in range(5)]


async def test_the_share_quota_and_the_quorum_are_checked_and_shown(
    client: httpx.AsyncClient, publish: Publisher, real_stack  # type: ignore[no-untyped-def]
) -> None:
    facts = [unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
             unit(PHONG, "VTCCB-TH", "Phòng Tổng hợp", kind="phong", parent_id=VTCCB)]
    for pid, name in PEOPLE:
        facts += [enrol(pid, name, VTCCB), grade(pid, 2023, "HTXS", VTCCB),
                  initiative(f"sk-cs-2023-{pid}", 2023, [pid], VTCCB)]
    facts.append(initiative("sk-bo-2022-p-an", 2022, ["p-an"], VTCCB, level="bo"))  # for CSTĐ Bộ 2023
    await publish.send(*facts)
    await publish.settled(client)
    for year in (2021, 2022):
        await confer(client, f"a-{year}-cstdcs-p-an", "CSTDCS", year, "p-an", "Nguyễn Văn An", unit_id=VTCCB)
    # Seven LĐTT 2023 in the Vụ (one in its Phòng): 15 % of 7 is 1.05, so one CSTĐ cơ sở at most.
    for pid, name in PEOPLE:
        await confer(client, f"a-2023-ldtt-{pid}", "LDTT", 2023, pid, name, unit_id=VTCCB)
    for i, pid in enumerate(OTHERS):
        await confer(client, f"a-2023-ldtt-{pid}", "LDTT", 2023, pid, f"Lê Văn Số {i}", unit_id=PHONG if i else VTCCB)

    path = "/nominations/n-2023-cstdcs"
    await ok(client, "/nominations", nomination("n-2023-cstdcs", "CSTDCS", 2023, VTCCB,
                                                [nominee("c-1", "p-an"), nominee("c-2", "p-binh")],
                                                submitted_on=date(2023, 12, 4)))
    error = await refused(client, f"{path}/grants", grant(["c-1", "c-2"], "25/QĐ-VTCCB", date(2023, 12, 20),
                                                          authority="unit_head", signer=HEAD), 422, "quota_exceeded")
    assert error["details"]["limit"] == 1 and error["details"]["actual"] == 2
    assert error["details"]["citation"] == "Nghị định 91/2017/NĐ-CP, Điều 9, khoản 3"
    body = grant(["c-1"], "25/QĐ-VTCCB", date(2023, 12, 20), authority="unit_head", signer=HEAD)
    await refused(client, f"{path}/grants", {**body, "issuer": "chairman"}, 422, "invalid_request")

    granted = await ok(client, f"{path}/grants", body)
    assert candidate(granted, "c-1")["status"] == "granted"
    [checked] = granted["procedure_checks"]
    [quota] = checked["checks"]
    assert (quota["kind"], quota["met"], quota["confidence"], quota["limit"], quota["actual"]) == (
        "share_quota", True, "S", 1, 1)
    # The one place is taken: the second candidate is refused on her own too.
    await refused(client, f"{path}/grants", grant(["c-2"], "26/QĐ-VTCCB", date(2023, 12, 20),
                                                  authority="unit_head", signer=HEAD), 422, "quota_exceeded")
    shown = await get_ok(client, path)
    assert shown["procedure_checks"] == granted["procedure_checks"]

    # The council's quorum (two thirds of all members, [U]): a vote with most members voting in writing is
    # recorded with the warning, never refused on it.
    members = await set_council(client, 9)
    await ok(client, "/nominations", nomination("n-2023-cstdbo", "CSTD_BO", 2023, VTCCB, [nominee("c-1", "p-an")],
                                                submitted_on=date(2023, 12, 8)))
    voted = await ok(client, "/nominations/n-2023-cstdbo/votes", {
        "council_id": "hd-tdkt-bct", "voted_on": "2023-12-20",
        "results": [{"candidate_id": "c-1", "ballots": ballots(members, approve=4, written=5)}]})
    [vote] = candidate(voted, "c-1")["votes"]
    [quorum] = vote["procedure_checks"]
    assert (quorum["kind"], quorum["met"], quorum["confidence"], quorum["limit"], quorum["actual"]) == (
        "council_quorum", False, "U", 6, 4)
    assert "không đủ số thành viên dự họp" in quorum["detail_vi"] and quorum["citation"]
    assert candidate(await get_ok(client, "/nominations/n-2023-cstdbo"), "c-1")["votes"][0]["procedure_checks"] == [quorum]

    # Point 13: a 2024 file filed from 1 July 2025 is judged under NĐ 152 (its transitional provisions), one filed
    # before under NĐ 98; the nomination's assessment says which.
    await publish.send(grade("p-binh", 2024, "HTXS", VTCCB))
    await publish.settled(client)
    for nid, filed in (("n-2024-cstdcs-early", date(2025, 1, 8)), ("n-2024-cstdcs-late", date(2025, 8, 4))):
        submitted = await ok(client, "/nominations", nomination(nid, "CSTDCS", 2024, VTCCB, [nominee("c-1", "p-binh")],
                                                               submitted_on=filed))
        regime = candidate(submitted, "c-1")["assessment"]["rule_set"].rsplit("/", 1)[1]
        assert regime == ("LAW2022_ND152" if filed.year == 2025 and filed.month >= 7 else "LAW2022_ND98"), submitted
