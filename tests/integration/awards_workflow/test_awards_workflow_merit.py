"""Merit path end to end: CSTĐ Bộ 2023 from submission to the Minister's decision, the history and the initiative.

Facts arrive over Kafka as the units and campaigns contexts publish them;
the CSTĐCS titles of earlier years are history; everything else is HTTP.
"""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ..awards.support import Publisher, confer, enrol, get_ok, initiative, registration, unit
from ..kernel.support import consume
from .support import (
    ballots,
    candidate,
    criterion_status,
    grant,
    nomination,
    nominee,
    of_type,
    ok,
    on_kafka,
    refused,
    set_council,
)

pytestmark = pytest.mark.integration

VTCCB, PHONG = "u-vtccb", "u-vtccb-th"


async def _facts(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(PHONG, "VTCCB-TH", "Phòng Tổng hợp", kind="phong", parent_id=VTCCB),
        enrol("p-huong", "Nguyễn Thị Hương", VTCCB, sex="female"),
        enrol("p-minh", "Đỗ Văn Minh", PHONG),
        enrol("p-lan", "Trần Thị Lan", VTCCB, sex="female"),
        initiative("sk-bo-2022-huong", 2022, ["p-huong"], VTCCB, level="bo"),
        initiative("sk-bo-2022-minh", 2022, ["p-minh"], PHONG, level="bo"),
        registration(VTCCB, 2024, {"p-huong": ["CSTDCS", "CSTD_BO"]}),
    )
    await publish.settled(client)
    for person, name, unit_id in (("p-huong", "Nguyễn Thị Hương", VTCCB), ("p-minh", "Đỗ Văn Minh", PHONG)):
        for year in (2021, 2022, 2023):
            await confer(client, f"a-{year}-cstdcs-{person}", "CSTDCS", year, person, name, unit_id=unit_id)
    await confer(client, "a-2023-cstdcs-p-lan", "CSTDCS", 2023, "p-lan", "Trần Thị Lan", unit_id=VTCCB)


async def test_ministry_emulation_fighter_from_nomination_to_history(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await _facts(client, publish)
    members = await set_council(client, 10)

    # 1. Submission: each candidate is assessed on arrival; Lan (one CSTĐCS only) is returned with reasons.
    body = nomination(
        "n-2023-cstdbo", "CSTD_BO", 2023, VTCCB,
        [nominee("c-1", "p-huong"), nominee("c-2", "p-minh"), nominee("c-3", "p-lan", name="Tran Thi Lan")],
        submitted_on=date(2023, 12, 8),
    )
    submitted = await ok(client, "/nominations", body)
    assert submitted["award_name"] == "Chiến sĩ thi đua Bộ Công Thương"
    assert submitted["eligible"] == ["c-1", "c-2"] and submitted["returned"] == ["c-3"]
    huong, lan = candidate(submitted, "c-1"), candidate(submitted, "c-3")
    assert huong["status"] == "eligible" and huong["assessment"]["initiative_ids"] == ["sk-bo-2022-huong"]
    assert candidate(submitted, "c-2")["unit_id"] == PHONG  # a Phòng of the Vụ: inside the submitting unit
    assert lan["display_name"] == "Trần Thị Lan"  # the name of record, not the form's
    assert lan["status"] == "returned" and lan["status_vi"] == "Trả lại hồ sơ"
    assert criterion_status(lan, "chain") == "failed" and lan["reasons"]
    assert submitted["procedures"]["individual"]["council_vote_share"] == 0.9
    assert [r["event_type"].rsplit(".", 1)[1] for r in submitted["recorded"]] == [
        "submitted", "candidate-assessed", "candidate-assessed", "candidate-assessed", "candidate-returned",
    ]

    # 2. No grant before the council votes; no ballot from someone not on the council.
    path = "/nominations/n-2023-cstdbo"
    await refused(client, f"{path}/grants", grant(["c-1"], "3456/QĐ-BCT", date(2023, 12, 28)), 422, "vote_required")
    stranger = {"council_id": "hd-tdkt-bct", "voted_on": "2023-12-20", "results": [
        {"candidate_id": "c-1", "ballots": [*ballots(members, approve=9), {"member_id": "m-99", "approve": True}]}]}
    error = await refused(client, f"{path}/votes", stranger, 422, "voter_not_on_council")
    assert error["details"]["member_ids"] == ["m-99"]

    # 3. The vote: 90% of ALL ten members. Hương: 7 present + 2 written for, 1 against = 9/10, passes.
    #    Minh: all 8 present for, 2 absent without a written vote = 8/10, fails although unanimous in the room.
    vote = {"council_id": "hd-tdkt-bct", "voted_on": "2023-12-20", "results": [
        {"candidate_id": "c-1", "ballots": ballots(members, approve=7, written=2, against=1)},
        {"candidate_id": "c-2", "ballots": ballots(members, approve=8)},
    ]}
    voted = await ok(client, f"{path}/votes", vote)
    [v1], [v2] = candidate(voted, "c-1")["votes"], candidate(voted, "c-2")["votes"]
    assert (v1["members_total"], v1["votes_for"], v1["written_votes"], v1["passed"]) == (10, 9, 2, True)
    assert (v2["members_total"], v2["votes_for"], v2["passed"]) == (10, 8, False)
    assert v1["threshold"] == 0.9 and v1["council_id"] == "hd-tdkt-bct"
    await refused(client, f"{path}/votes", vote, 409, "already_voted")

    # 4. The Minister grants Hương; Minh's failed vote stops his grant.
    await refused(client, f"{path}/grants", grant(["c-2"], "3456/QĐ-BCT", date(2023, 12, 28)), 422, "vote_not_passed")
    granted = await ok(client, f"{path}/grants", grant(["c-1"], "3456/QĐ-BCT", date(2023, 12, 28)))
    decision = candidate(granted, "c-1")["decision"]
    assert candidate(granted, "c-1")["status"] == "granted"
    assert decision["decision_number"] == "3456/QĐ-BCT" and decision["conferred_by_ministry"] is True
    assert decision["initiative_ids"] == ["sk-bo-2022-huong"] and decision["authority"] == "minister"
    award_id = decision["award_id"]

    # 5. On Kafka: the whole path, ending with TitleConferred.
    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    [conferred] = [e for e in of_type(published, "award.title-conferred") if e["award_code"] == "CSTD_BO"]
    assert conferred["award_id"] == award_id and conferred["recipient"]["subject_id"] == "p-huong"
    assert conferred["recipient"]["display_name"] == "Nguyễn Thị Hương"
    assert conferred["conferred_by_ministry"] is True and conferred["category"] == "merit"
    assert conferred["initiative_ids"] == ["sk-bo-2022-huong"]
    assert len(of_type(published, "nomination.council-voted")) == 2
    assert {e.subject for e in published} >= {"n-2023-cstdbo", award_id}
    # The engine's criteria and the reasons of a return cite grades and discipline: internal topic only,
    # and who acted is not on the public topic.
    assert not of_type(published, "candidate-assessed") and not of_type(published, "candidate-returned")
    assert all(e.actor_id is None and e.actor_role is None for e in published)
    internal = await consume(real_stack.bootstrap_servers, [topic_prefix + "tdkt.awards.internal"], 4)
    kinds = [dict(r.headers)["ce_type"].decode().rsplit(".", 1)[1] for r in internal]
    assert kinds.count("candidate-assessed") >= 3 and "candidate-returned" in kinds, kinds

    # 6. The history shows it; the nomination too.
    history = await get_ok(client, "/people/p-huong/awards")
    assert "CSTD_BO 2023" in history["held"] and history["name"] == "Nguyễn Thị Hương"
    entry = next(e for e in history["entries"] if e["award_code"] == "CSTD_BO")
    assert entry["decision_number"] == "3456/QĐ-BCT" and not entry["revoked"] and entry["signer"] == conferred["signer"]
    assert (await get_ok(client, path))["counts"] == {"granted": 1, "eligible": 1, "returned": 1}

    # 7. The initiative is now used: a CSTĐ Bộ 2024 nomination relying on it is returned.
    await confer(client, "a-2024-cstdcs-p-huong", "CSTDCS", 2024, "p-huong", "Nguyễn Thị Hương", unit_id=VTCCB)
    again = await ok(client, "/nominations", nomination(
        "n-2024-cstdbo", "CSTD_BO", 2024, VTCCB, [nominee("c-1", "p-huong")], submitted_on=date(2024, 12, 9)))
    returned = candidate(again, "c-1")
    assert returned["status"] == "returned"
    assert criterion_status(returned, "initiative") == "failed"
    # and its chain 2022–2024 overlaps the one the 2023 title used: one achievement, one award (Law 2022 Art. 5.2)
    assert criterion_status(returned, "chain") == "failed" and criterion_status(returned, "registration") == "passed"

    # 8. A second award for the same achievement (CSTĐ Bộ 2023 again, in another nomination) is refused.
    await ok(client, "/nominations", nomination(
        "n-2023-cstdbo-bis", "CSTD_BO", 2023, VTCCB, [nominee("c-1", "p-huong")], submitted_on=date(2023, 12, 22)))
    await ok(client, "/nominations/n-2023-cstdbo-bis/votes", {
        "council_id": "hd-tdkt-bct", "voted_on": "2023-12-27",
        "results": [{"candidate_id": "c-1", "ballots": ballots(members, approve=10)}]})
    error = await refused(client, "/nominations/n-2023-cstdbo-bis/grants",
                          grant(["c-1"], "3500/QĐ-BCT", date(2023, 12, 29)), 409, "award_already_granted")
    assert error["details"]["award_id"] == award_id
