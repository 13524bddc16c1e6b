"""The office's file facts of the Lao động tiên tiến admissibility reach the engine (issue #19 point 10): the
recruitment date and the periods away from work, entered with PUT /people/{id}/supplements, stored in the
awards service's own table and read by the working-time rule (TT 01/2024/TT-BNV's six months, [U]: short of
them the outcome is undetermined, never ineligible; maternity leave counts as working time, NĐ 152/2025
Art. 4.5). Before the change the service had no way to enter them: the sector start stood for recruitment."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ..awards.support import Publisher, criterion, enrol, get_ok, grade, unit
from .support import ok, refused

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"


async def test_recruitment_and_leave_from_the_file_decide_the_working_time(
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-thu", "Phạm Thị Thu", VTCCB, sex="female", joined=date(2001, 1, 1)),
        grade("p-thu", 2026, "HTT", VTCCB),
    )
    await publish.settled(client)
    ask = {"code": "LDTT", "year": 2026, "person_id": "p-thu"}
    before = await get_ok(client, "/assessments", **ask)
    assert criterion(before, "working_time")["status"] == "passed"  # the sector start of 2001 stood for it

    path = "/people/p-thu/supplements"
    recruited = {"recruited_on": "2026-05-01", "recorded_on": "2026-11-20", "reference": "Hồ sơ tuyển dụng số 7"}
    bad_leave = {**recruited, "absences": [{"kind": "maternity", "start": "2026-09-30", "end": "2026-06-01"}]}
    await refused(client, path, bad_leave, 422, "invalid_request", method="put")
    await refused(client, path, {**recruited, "absences": [{"kind": "holiday", "start": "2026-06-01",
                                                             "end": "2026-06-02"}]}, 422, "invalid_request",
                  method="put")

    # Recruited in May, four months away on other leave: short of six months, undetermined and flagged.
    other = [{"kind": "other", "start": "2026-06-01", "end": "2026-09-30"}]
    stored = await ok(client, path, {**recruited, "absences": other}, status=200, method="put")
    assert stored["recruited_on"] == "2026-05-01" and stored["absences"] == other
    assert (await get_ok(client, path)) == stored
    short = await get_ok(client, "/assessments", **ask)
    line = criterion(short, "working_time")
    assert short["outcome"] == "undetermined" and line["status"] == "unknown"
    assert "còn thiếu 0 năm 2 tháng 0 ngày" in line["explanation_vi"]

    # The same months on maternity leave count as working time: eligible.
    maternity = [{**other[0], "kind": "maternity"}]
    await ok(client, path, {**recruited, "absences": maternity}, status=200, method="put")
    counted = await get_ok(client, "/assessments", **ask)
    assert criterion(counted, "working_time")["status"] == "passed"
