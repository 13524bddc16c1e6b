"""Facts entered from nomination files: service years, attested findings, awards decided outside the workflow.

Each is read by the engine at once; bad input is refused and changes nothing.
"""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ..awards.support import Publisher, confer, criterion, enrol, get_ok, unit
from .support import of_type, ok, on_kafka, refused

pytestmark = pytest.mark.integration

VTCCB = "u-vtccb"
HANOI = "u-dhcn"


async def test_an_award_decided_elsewhere_is_entered_once_and_joins_the_history(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-binh", "Trần Thị Bình", VTCCB, sex="female"),
    )
    await publish.settled(client)
    body = {"recipient_kind": "individual", "subject_id": "p-binh", "award_code": "BK_TTG", "year": 2016,
            "authority": "prime_minister", "decision_number": "712/QĐ-TTg", "decision_date": "2017-05-12",
            "signer": "Thủ tướng Nguyễn Xuân Phúc"}

    # Refusals first: each leaves the store and the held awards as they were.
    await refused(client, "/held-awards", {**body, "subject_id": "p-nobody"}, 404, "subject_not_found")
    await refused(client, "/held-awards", {**body, "award_code": "NO_SUCH"}, 404, "unknown_award")
    await refused(client, "/held-awards", {**body, "award_code": "LDTT", "recipient_kind": "collective",
                                           "subject_id": VTCCB}, 422, "wrong_recipient_kind")
    await refused(client, "/held-awards", {**body, "decision_date": "2099-01-01"}, 422, "date_in_future")
    await refused(client, "/held-awards", {**body, "decision_date": "2015-12-30"}, 422, "invalid_request")

    entered = await ok(client, "/held-awards", body)
    assert entered["award_code"] == "BK_TTG" and entered["award_kind"] == "award"
    assert entered["award_name"] == "Bằng khen của Thủ tướng Chính phủ"
    assert entered["display_name"] == "Trần Thị Bình" and entered["unit_id"] == VTCCB
    assert entered["conferred_by_ministry"] is False and entered["nomination_id"] is None
    # The same award again, however often a client retries: one record.
    again = await refused(client, "/held-awards", body, 409, "award_already_recorded")
    assert again["details"]["award_id"] == entered["award_id"]

    history = await get_ok(client, "/people/p-binh/awards")
    assert history["held"] == ["BK_TTG 2016"]
    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    [event] = of_type(published, "award.granted")
    assert event["award_id"] == entered["award_id"] and event["decision_number"] == "712/QĐ-TTg"
    assert event["recipient"]["display_name"] == "Trần Thị Bình"

    # An award the workflow already conferred for the same code and year is not entered a second time.
    await confer(client, "a-2022-bkbt-binh", "BK_BT", 2022, "p-binh", "Trần Thị Bình", kind="award", unit_id=VTCCB)
    clash = {**body, "award_code": "BK_BT", "year": 2022, "authority": "minister", "decision_number": "3456/QĐ-BCT",
             "decision_date": "2022-12-28"}
    answer = await refused(client, "/held-awards", clash, 409, "award_already_recorded")
    assert answer["details"]["award_id"] == "a-2022-bkbt-binh"
    assert (await get_ok(client, "/people/p-binh/awards"))["held"] == ["BK_TTG 2016", "BK_BT 2022"]


async def test_supplements_and_attestations_reach_the_engine(
    client: httpx.AsyncClient, publish: Publisher
) -> None:
    await publish.send(
        unit(HANOI, "DHCN", "Trường Đại học Công nghiệp Hà Nội", kind="truong", parent_id=None),
        enrol("p-cuong", "Lê Văn Cường", HANOI, joined=date(1998, 9, 1)),
    )
    await publish.settled(client)

    before = await get_ok(client, "/assessments", code="KNC_GD", year=2023, person_id="p-cuong")
    assert criterion(before, "service")["status"] == "unknown"
    supplements = {"education_joined_on": "1998-09-01", "teaching_years": 25.0, "recorded_on": "2023-09-05",
                   "reference": "Hồ sơ đề nghị của Trường Đại học Công nghiệp Hà Nội"}
    path = "/people/p-cuong/supplements"
    await refused(client, "/people/p-nobody/supplements", supplements, 404, "subject_not_found", method="put")
    await refused(client, path, {**supplements, "recorded_on": "2099-01-01"}, 422, "date_in_future", method="put")
    await refused(client, path, {**supplements, "teaching_years": -1}, 422, "invalid_request", method="put")
    assert (await client.get(path)).status_code == 404
    stored = await ok(client, path, supplements, status=200, method="put")
    assert stored["person_id"] == "p-cuong" and stored["hazardous_service_years"] is None
    assert await get_ok(client, path) == stored
    after = await get_ok(client, "/assessments", code="KNC_GD", year=2023, person_id="p-cuong")
    assert criterion(after, "service")["status"] == "passed"

    finding = {"recipient_kind": "individual", "subject_id": "p-cuong", "key": "outstanding_in_movement",
               "year": 2023, "reference": "Tờ trình 45/TTr-DHCN"}
    unattested = await get_ok(client, "/assessments", code="BK_BT", year=2023, person_id="p-cuong")
    assert criterion(unattested, "route.attested")["status"] == "unknown"  # the 2023 rule is [U]: never a refusal
    answer = await refused(client, "/attestations", {**finding, "key": "brave"}, 422, "unknown_attestation_key")
    assert "outstanding_in_movement" in answer["details"]["known"]
    await refused(client, "/attestations", {**finding, "subject_id": "p-nobody"}, 404, "subject_not_found")
    await ok(client, "/attestations", finding)
    await ok(client, "/attestations", {**finding, "reference": "Tờ trình 46/TTr-DHCN"})  # the same finding, once
    assert await get_ok_list(client, "/attestations", subject_id="p-cuong") == [
        {**finding, "reference": "Tờ trình 46/TTr-DHCN"}
    ]
    attested = await get_ok(client, "/assessments", code="BK_BT", year=2023, person_id="p-cuong")
    assert criterion(attested, "route.attested")["status"] == "passed"


async def get_ok_list(client: httpx.AsyncClient, path: str, **params: object) -> list[dict[str, object]]:
    response = await client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]
