"""The other paths end to end: thematic (a movement), one-off (fast track), long service (KNC), foreign."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from ..awards.support import Publisher, confer, enrol, get_ok, unit
from .support import (
    SHORT_DOSSIER,
    candidate,
    criterion_status,
    grant,
    nomination,
    nominee,
    of_type,
    ok,
    on_kafka,
    refused,
)

pytestmark = pytest.mark.integration

VTCCB, VHTQT = "u-vtccb", "u-vhtqt"
MOVEMENT = "pt-2024-chuyen-doi-so"


async def _staff(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(VHTQT, "VHTQT", "Vụ Hợp tác quốc tế", parent_id=None),
        enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female"),
        enrol("p-hung", "Đặng Quốc Hưng", VTCCB),
        # Long service: a woman in the sector since 1 July 2008 has 15 years at the end of 2023.
        enrol("p-lan", "Trần Thị Lan", VTCCB, sex="female", joined=date(2008, 7, 1)),
        enrol("p-son", "Đặng Văn Sơn", VTCCB, joined=date(2012, 3, 1)),
    )
    await publish.settled(client)
    for person, name in (("p-tuyet", "Lê Thị Ánh Tuyết"), ("p-hung", "Đặng Quốc Hưng")):
        for year in (2023, 2024):
            await confer(client, f"a-{year}-cstdcs-{person}", "CSTDCS", year, person, name, unit_id=VTCCB)


async def test_thematic_award_is_tied_to_its_movement_and_does_not_block_the_merit_one(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await _staff(client, publish)
    body = nomination("n-2024-cds", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet")], category="thematic",
                      submitted_on=date(2024, 12, 2))
    await refused(client, "/nominations", body, 422, "movement_required")
    await refused(client, "/nominations", {**body, "category": "merit", "movement_id": MOVEMENT}, 422,
                  "movement_only_for_thematic")
    submitted = await ok(client, "/nominations", {**body, "movement_id": MOVEMENT})
    assert submitted["movement_id"] == MOVEMENT and submitted["path_vi"] == "Khen thưởng theo chuyên đề"
    # Bằng khen của Bộ trưởng: no vote share in the law; the Minister decides.
    granted = await ok(client, "/nominations/n-2024-cds/grants", grant(["c-1"], "2100/QĐ-BCT", date(2024, 12, 20)))
    assert candidate(granted, "c-1")["status"] == "granted"

    # The year's work is another achievement: the merit Bằng khen is still open to her, once.
    await ok(client, "/nominations", nomination("n-2024-bkbt", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet")],
                                                submitted_on=date(2024, 12, 5)))
    await ok(client, "/nominations/n-2024-bkbt/grants", grant(["c-1"], "2200/QĐ-BCT", date(2024, 12, 26)))
    await ok(client, "/nominations", nomination("n-2024-bkbt-2", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-tuyet")],
                                                submitted_on=date(2024, 12, 6)))
    await refused(client, "/nominations/n-2024-bkbt-2/grants", grant(["c-1"], "2300/QĐ-BCT", date(2024, 12, 27)), 409,
                  "award_already_granted")

    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    bkbt = {e["decision_number"]: e for e in of_type(published, "award.granted") if e["award_code"] == "BK_BT"}
    assert bkbt["2100/QĐ-BCT"]["category"] == "thematic" and bkbt["2200/QĐ-BCT"]["category"] == "merit"
    [thematic] = [e for e in of_type(published, "nomination.submitted") if e["category"] == "thematic"]
    assert thematic["movement_id"] == MOVEMENT
    history = await get_ok(client, "/people/p-tuyet/awards")
    assert [e["category"] for e in history["entries"] if e["award_code"] == "BK_BT"] == ["thematic", "merit"]


async def test_one_off_award_takes_the_fast_track_with_a_short_dossier(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await _staff(client, publish)
    body = nomination("n-2024-dotxuat", "BK_BT", 2024, VTCCB, [nominee("c-1", "p-hung")], category="one_off",
                      documents=SHORT_DOSSIER, submitted_on=date(2024, 9, 12))
    # The short dossier is enough for a one-off award, not for the merit round.
    await refused(client, "/nominations", {**body, "category": "merit"}, 422, "dossier_incomplete")
    # A title is never a one-off award.
    await refused(client, "/nominations", {**body, "award_code": "CSTD_BO"}, 422, "category_not_allowed")
    submitted = await ok(client, "/nominations", body)
    assert submitted["path_vi"] == "Khen thưởng đột xuất" and submitted["eligible"] == ["c-1"]
    granted = await ok(client, "/nominations/n-2024-dotxuat/grants", grant(["c-1"], "1890/QĐ-BCT", date(2024, 9, 16)))
    assert candidate(granted, "c-1")["votes"] == [] and candidate(granted, "c-1")["status"] == "granted"

    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    [award] = [e for e in of_type(published, "award.granted") if e["award_code"] == "BK_BT"]
    assert award["category"] == "one_off" and award["recipient"]["display_name"] == "Đặng Quốc Hưng"
    assert of_type(published, "nomination.council-voted") == []


async def test_long_service_medal_is_given_once(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await _staff(client, publish)
    body = nomination("n-2023-knc", "KNC_CT", 2023, VTCCB, [nominee("c-1", "p-lan"), nominee("c-2", "p-son")],
                      category="long_service", submitted_on=date(2023, 11, 20))
    await refused(client, "/nominations", {**body, "category": "merit"}, 422, "category_not_allowed")
    submitted = await ok(client, "/nominations", body)
    lan, son = candidate(submitted, "c-1"), candidate(submitted, "c-2")
    assert lan["status"] == "eligible" and criterion_status(lan, "service") == "passed"
    # A man with 11 years: short of 20, but 10 years of hazardous work would do and none are recorded,
    # so the criterion is unknown (never a guess) and he is returned for the missing fact.
    assert son["status"] == "returned" and criterion_status(son, "service") == "unknown" and son["reasons"]
    granted = await ok(client, "/nominations/n-2023-knc/grants", grant(["c-1"], "5012/QĐ-BCT", date(2023, 12, 25)))
    assert candidate(granted, "c-1")["decision"]["decision_number"] == "5012/QĐ-BCT"
    # Given once in a lifetime: a later nomination is returned.
    later = await ok(client, "/nominations", nomination(
        "n-2024-knc", "KNC_CT", 2024, VTCCB, [nominee("c-1", "p-lan")], category="long_service",
        submitted_on=date(2024, 11, 20)))
    assert candidate(later, "c-1")["status"] == "returned"
    assert criterion_status(candidate(later, "c-1"), "once") == "unknown"  # the 2024 rule is [U]: undetermined, returned

    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    [medal] = of_type(published, "award.granted")
    assert medal["category"] == "long_service" and medal["award_code"] == "KNC_CT"
    assert medal["recipient"]["subject_id"] == "p-lan"


async def test_foreign_recipients_get_a_limited_review(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    await _staff(client, publish)
    jica = "Cơ quan Hợp tác Quốc tế Nhật Bản (JICA) tại Việt Nam"
    body = nomination(
        "n-2025-doingoai", "BK_BT", 2025, VHTQT,
        [nominee("c-1", "ext-jica-vn", "collective", jica), nominee("c-2", "ext-tanaka", name="Tanaka Hiroshi")],
        category="foreign", documents=SHORT_DOSSIER, submitted_on=date(2025, 8, 11),
    )
    # A person of the Ministry is nominated on a domestic path; a foreign recipient needs its name.
    await refused(client, "/nominations", {**body, "candidates": [nominee("c-1", "p-hung", name="Đặng Quốc Hưng")]},
                  422, "subject_not_foreign")
    # Nor in upper case, in full-width letters, or named as the other kind (ids are compared canonical).
    for subject, kind in (("P-HUNG", "individual"), ("Ｐ-ＨＵＮＧ", "individual"), ("p-hung", "collective"),
                          ("U-VTCCB", "individual")):
        await refused(client, "/nominations", {**body, "candidates": [nominee("c-1", subject, kind, "Đặng Quốc Hưng")]},
                      422, "subject_not_foreign")
    await refused(client, "/nominations", {**body, "candidates": [nominee("c-1", "ext-tanaka")]}, 422,
                  "display_name_required")
    submitted = await ok(client, "/nominations", body)
    assert submitted["eligible"] == ["c-1", "c-2"]
    review = candidate(submitted, "c-1")["assessment"]
    assert review["rule_set"] == "BK_BT/foreign/LIMITED_REVIEW" and review["unconfirmed_rules"] is True
    assert candidate(submitted, "c-1")["display_name"] == jica and candidate(submitted, "c-1")["unit_id"] is None
    await ok(client, "/nominations/n-2025-doingoai/grants", grant(["c-1", "c-2"], "2500/QĐ-BCT", date(2025, 9, 10)))

    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    awards = of_type(published, "award.granted")
    assert sorted(a["recipient"]["display_name"] for a in awards) == sorted([jica, "Tanaka Hiroshi"])
    assert {a["category"] for a in awards} == {"foreign"}
    assert (await get_ok(client, "/people/ext-tanaka/awards"))["held"] == ["BK_BT 2025"]


def _household(candidate_id: str, subject_id: str, name: str | None, contributions: list[dict] | None) -> dict:
    found = nominee(candidate_id, subject_id, "household", name)
    if contributions is not None:
        found["household"] = {"address": "Xã Thạch Đà, thành phố Hà Nội", "contributions": contributions}
    return found


async def test_a_household_is_nominated_assessed_and_granted_the_ministers_bang_khen(
    client: httpx.AsyncClient, publish: Publisher, real_stack, topic_prefix: str  # type: ignore[no-untyped-def]
) -> None:
    """Law 2022 Art. 2 and 74: a household, outside the units context, proposed by a department with its own id,
    assessed by the engine on the contributions its nomination states, granted; the event names it."""
    await _staff(client, publish)
    land = {"kind": "dat_dai", "year": 2025, "description": "Hiến 120 m² đất làm đường liên thôn",
            "value_vnd": 300_000_000}
    name = "Hộ ông Nguyễn Văn A"
    body = nomination("n-2025-ho", "BK_BT", 2025, VTCCB, [_household("c-1", "hgd-thach-da-017", name, [land])],
                      submitted_on=date(2025, 11, 3))
    # A person of the Ministry, in any spelling, is no household; a household states its facts and its name.
    await refused(client, "/nominations", {**body, "candidates": [_household("c-1", "P-HUNG", name, [land])]},
                  422, "subject_not_household")
    await refused(client, "/nominations", {**body, "candidates": [_household("c-1", "hgd-1", name, None)]},
                  422, "invalid_request")
    await refused(client, "/nominations", {**body, "candidates": [_household("c-1", "hgd-1", None, [land])]},
                  422, "display_name_required")
    await refused(client, "/nominations", {**body, "award_code": "CSTD_BO"}, 422, "wrong_recipient_kind")
    submitted = await ok(client, "/nominations", body)
    assert submitted["eligible"] == ["c-1"]
    household = candidate(submitted, "c-1")
    assert (household["display_name"], household["unit_id"], household["recipient_kind"]) == (name, VTCCB, "household")
    assert criterion_status(household, "contribution") == "passed"
    assert household["assessment"]["rule_set"] == "BK_BT/household/LAW2022_ND152"
    granted = await ok(client, "/nominations/n-2025-ho/grants", grant(["c-1"], "2600/QĐ-BCT", date(2025, 12, 1)))
    assert candidate(granted, "c-1")["status"] == "granted"

    published = await on_kafka(client, real_stack.bootstrap_servers, topic_prefix)
    [award] = [a for a in of_type(published, "award.granted") if a["nomination_id"] == "n-2025-ho"]
    assert award["recipient"]["recipient_kind"] == "household"
    assert (award["recipient"]["subject_id"], award["recipient"]["unit_id"]) == ("hgd-thach-da-017", VTCCB)
