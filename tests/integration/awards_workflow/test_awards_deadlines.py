"""A nomination round's deadline against the real stack: late dossiers refused or flagged as the round says."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from kernel.auth import Role

from ..awards.support import Publisher, confer, enrol, unit
from .support import nomination, nominee, ok, refused

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"
ROUND = "/rounds/2024/merit"


async def _staff(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
                       enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female"),
                       enrol("p-hung", "Đặng Quốc Hưng", VTCCB))
    await publish.settled(client)
    for person, name in (("p-tuyet", "Lê Thị Ánh Tuyết"), ("p-hung", "Đặng Quốc Hưng")):
        for year in (2023, 2024):
            await confer(client, f"a-{year}-cstdcs-{person}", "CSTDCS", year, person, name)


async def test_a_late_dossier_is_refused_or_flagged_as_the_round_says(  # type: ignore[no-untyped-def]
    client: httpx.AsyncClient, publish: Publisher, auth_keys
) -> None:
    await _staff(client, publish)
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    body = {"title": "Xét khen thưởng tổng kết năm 2024", "submission_deadline": "2024-12-10",
            "late_rule": "refuse", "council_meeting_on": "2025-01-15"}

    # Only the office keeps the rounds; impossible dates are refused and write nothing.
    got = await client.put(ROUND, json=body, headers=officer)
    assert got.status_code == 403 and got.json()["code"] == "forbidden", got.text
    await refused(client, ROUND, {**body, "submission_deadline": "2023-12-31"}, 422, "deadline_before_year",
                  method="put")
    await refused(client, ROUND, {**body, "council_meeting_on": "2024-12-01"}, 422, "meeting_before_deadline",
                  method="put")
    await refused(client, ROUND, {**body, "late_rule": "ignore"}, 422, "invalid_request", method="put")
    scheduled = await ok(client, ROUND, body, status=200, method="put")
    assert scheduled["round_id"] == "round-2024-merit" and scheduled["submission_deadline_vi"] == "10/12/2024"
    assert [r["event_type"] for r in scheduled["recorded"]] == ["vn.tdkt.awards.round.scheduled"]
    again = await ok(client, ROUND, body, status=200, method="put")
    assert again["recorded"] == []  # the same dates again record nothing
    rounds = await ok(client, "/rounds/2024", status=200, method="get")
    assert [(r["category"], r["late_rule"]) for r in rounds] == [("merit", "refuse")]

    # On time: accepted; its GET shows the round and the council's planned meeting.
    on_time = nomination("n-2024-bkbt-a", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet")],
                         submitted_on=date(2024, 12, 10))
    await ok(client, "/nominations", on_time)
    dates = (await client.get("/nominations/n-2024-bkbt-a")).json()["deadlines"]
    assert dates["round"]["submission_deadline"] == "2024-12-10" and dates["late"] is None
    assert (dates["council_meeting_on"], dates["council_met"]) == ("2025-01-15", False)
    assert dates["upward"] == []  # Bằng khen stays in the Ministry: no date of the law upward

    # Two days late in a "refuse" round: 422 naming the deadline in dd/mm/yyyy, nothing written.
    late = nomination("n-2024-bkbt-b", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-hung")],
                      submitted_on=date(2024, 12, 12))
    error = await refused(client, "/nominations", late, 422, "submission_deadline_passed")
    assert "10/12/2024" in error["message"] and "12/12/2024" in error["message"], error["message"]
    assert error["details"] == {"round_id": "round-2024-merit", "submission_deadline": "2024-12-10",
                                "submitted_on": "2024-12-12", "days_late": 2}

    # The office turns the round to "flag": the same dossier is accepted, flagged late on its GET and its stream.
    await ok(client, ROUND, {**body, "late_rule": "flag"}, status=200, method="put")
    submitted = await ok(client, "/nominations", late)
    assert "vn.tdkt.awards.nomination.flagged-late" in [r["event_type"] for r in submitted["recorded"]]
    view = (await client.get("/nominations/n-2024-bkbt-b")).json()
    assert view["deadlines"]["late"] == {"round_id": "round-2024-merit", "submission_deadline": "2024-12-10",
                                         "submitted_on": "2024-12-12", "days_late": 2}
    # Moving the deadline later does not rewrite what happened; the on-time one stays unflagged.
    await ok(client, ROUND, {**body, "submission_deadline": "2024-12-20", "late_rule": "flag"}, status=200,
             method="put")
    assert (await client.get("/nominations/n-2024-bkbt-b")).json()["deadlines"]["late"]["days_late"] == 2
    assert (await client.get("/nominations/n-2024-bkbt-a")).json()["deadlines"]["late"] is None

    # The public notice's end is on the nomination's GET.
    await ok(client, "/nominations/n-2024-bkbt-a/notices",
             {"candidate_ids": ["c-1"], "opened_on": "2024-12-16", "closes_on": "2024-12-27"})
    dates = (await client.get("/nominations/n-2024-bkbt-a")).json()["deadlines"]
    assert dates["public_notice_ends_on"] == "2024-12-27"

    # Another year's nominations, with no round, are not checked.
    other = nomination("n-2023-bkbt", "BK_BT", 2023, VTCCB, [nominee("c-1", "p-tuyet")],
                       submitted_on=date(2024, 12, 30))
    await ok(client, "/nominations", other)
    assert (await client.get("/nominations/n-2023-bkbt")).json()["deadlines"]["round"] is None
