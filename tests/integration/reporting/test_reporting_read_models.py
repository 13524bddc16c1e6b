"""Each read model and its queries, fed through the real Kafka: figures, filters, sorting, paging, currency."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from .scenario import HEADCOUNT_2023, HEADCOUNT_2024, MOVEMENT, SUMMARY_2024, TOTALS_2024

pytestmark = pytest.mark.integration


async def get(client: httpx.AsyncClient, path: str, expect: int = 200, **params) -> dict:  # type: ignore[no-untyped-def]
    response = await client.get(path, params=params)
    assert response.status_code == expect, response.text
    return response.json()


def check_as_of(as_of: dict, model: str, events: int) -> None:
    assert as_of["read_model"] == model
    assert as_of["events_applied"] == events
    assert as_of["last_event_at"].startswith("2025-01-20T01:00:")
    assert as_of["lag_seconds"] > 0
    assert as_of["applied_offsets"] and all(v >= 0 for v in as_of["applied_offsets"].values())
    assert sum(v + 1 for v in as_of["applied_offsets"].values()) == events
    assert as_of["lag_messages"] is None or isinstance(as_of["lag_messages"], int)
    assert as_of["rebuilding"] is False


async def test_the_year_end_summary_matches_the_events_fed(loaded: httpx.AsyncClient) -> None:
    s = await get(loaded, "/summaries/2024")
    assert s["paragraph_vi"] == SUMMARY_2024
    assert [(i["award_code"], i["to_authority"], i["collectives"], i["individuals"]) for i in s["proposed"]] == [
        ("HCLD_3", "president", 1, 1), ("BK_TTG", "prime_minister", 0, 2), ("KNC_GD", "other_ministry", 0, 1)]
    granted = [(i["award_code"], i["authority"], i["collectives"], i["individuals"], i["revoked"])
               for i in s["granted"]]
    assert granted == [
        ("BK_BT", "minister", 2, 2, 0), ("CSTD_BO", "minister", 0, 2, 1), ("KNC_CT", "minister", 0, 1, 0),
        ("LDTT", "unit_head", 0, 1, 0)]
    assert [(i["award_code"], i["authority"], i["individuals"]) for i in s["conferred_by_higher"]] == [
        ("BK_TTG", "prime_minister", 1)]
    assert s["paragraph_conferred_vi"].endswith("Bằng khen của Thủ tướng Chính phủ cho 1 cá nhân.")
    check_as_of(s["as_of"], "award_stats", 15)
    assert (await get(loaded, "/summaries/2023"))["paragraph_vi"] == (
        "Năm 2023, Bộ đã tặng Bằng khen của Bộ trưởng Bộ Công Thương cho 1 cá nhân.")


async def test_award_statistics_filters_sorting_and_paging(loaded: httpx.AsyncClient) -> None:
    everything = await get(loaded, "/statistics/awards", group_by="year,flow", sort="year,flow")
    assert [(r["year"], r["flow"], r["count"], r["revoked"]) for r in everything["items"]] == [
        (2023, "granted", 1, 0), (2024, "conferred", 1, 0), (2024, "granted", 8, 1), (2024, "proposed", 5, 0)]
    check_as_of(everything["as_of"], "award_stats", 15)

    # the unit and its sub-units: VTĐKT has the Phòng Khen thưởng and, since May 2024, the Trung tâm Tin học
    vtdkt = await get(loaded, "/statistics/awards", year=2024, unit_id="u-vtdkt")
    assert vtdkt["total"] == 5 and sum(r["count"] for r in vtdkt["items"]) == 5
    assert {r["unit_name"] for r in vtdkt["items"]} == {"Phòng Khen thưởng", "Vụ Thi đua – Khen thưởng và Truyền thông"}
    only = await get(loaded, "/statistics/awards", year=2024, unit_id="u-vtdkt", include_sub_units="false")
    assert [(r["flow"], r["award_code"], r["recipient_kind"]) for r in only["items"]] == [
        ("proposed", "HCLD_3", "collective")]
    # the Ban Quản lý dự án merged into VTCCB in July 2024: its award counts under VTCCB
    vtccb = await get(loaded, "/statistics/awards", year=2024, unit_id="u-vtccb", group_by="flow,award_code")
    assert {(r["flow"], r["award_code"]): r["count"] for r in vtccb["items"]} == {
        ("granted", "BK_BT"): 2, ("granted", "LDTT"): 1, ("proposed", "HCLD_3"): 1}

    by_authority = await get(loaded, "/statistics/awards", year=2024, authority="prime_minister",
                             group_by="flow,authority")
    assert [(r["flow"], r["count"]) for r in by_authority["items"]] == [("conferred", 1), ("proposed", 2)]
    bkbt = await get(loaded, "/statistics/awards", award_code="BK_BT", group_by="year,recipient_kind",
                     sort="-year,recipient_kind")
    assert [(r["year"], r["recipient_kind"], r["count"]) for r in bkbt["items"]] == [
        (2024, "collective", 2), (2024, "individual", 2), (2023, "individual", 1)]

    page1 = await get(loaded, "/statistics/awards", year=2024, sort="-count,award_code,unit_id,recipient_kind", limit=4)
    page2 = await get(loaded, "/statistics/awards", year=2024, sort="-count,award_code,unit_id,recipient_kind", limit=4,
                      offset=4)
    assert page1["total"] == page2["total"] == 14 and len(page1["items"]) == 4 and page2["offset"] == 4
    keys = [tuple(r[k] for k in ("flow", "award_code", "recipient_kind", "unit_id", "authority"))
            for r in page1["items"] + page2["items"]]
    assert len(set(keys)) == 8
    assert [r["award_code"] for r in (await get(loaded, "/statistics/awards", year=2024, flow="granted",
                                                 group_by="award_code", sort="award_code"))["items"]] == [
        "BK_BT", "CSTD_BO", "KNC_CT", "LDTT"]  # the configured order, not the alphabet
    assert [r["award_code"] for r in (await get(loaded, "/statistics/awards", year=2024, flow="granted",
                                                 group_by="award_code", sort="-award_code"))["items"]] == [
        "LDTT", "KNC_CT", "CSTD_BO", "BK_BT"]


async def test_person_and_unit_histories(loaded: httpx.AsyncClient) -> None:
    p3 = await get(loaded, "/people/p-003/awards", sort="flow,award_code")
    assert [(r["flow"], r["award_code"], r["outcome"]) for r in p3["items"]] == [
        ("conferred", "BK_TTG", None), ("granted", "CSTD_BO", None), ("proposed", "BK_TTG", "conferred")]
    proposal = p3["items"][2]
    assert proposal["outcome_decision_number"] == "1520/QĐ-TTg" and proposal["submission_number"] == "611/TTr-BCT"
    check_as_of(p3["as_of"], "award_history", 15)
    p2 = await get(loaded, "/people/p-002/awards", flow="proposed")
    assert {(r["award_code"], r["outcome"]) for r in p2["items"]} == {("BK_TTG", "declined"), ("KNC_GD", "pending")}
    p5 = await get(loaded, "/people/p-005/awards")
    assert p5["items"][0]["revoked"] is True and p5["items"][0]["revoked_on"] == "2025-01-05"
    assert p5["items"][0]["display_name"] == "Hoàng Minh Tuấn"
    await get(loaded, "/people/p-999/awards", 404)

    phong = await get(loaded, "/units/u-phong/awards")
    assert [(r["award_code"], r["recipient_kind"]) for r in phong["items"]] == [("BK_BT", "collective")]
    vtdkt = await get(loaded, "/units/u-vtdkt/awards", include_sub_units="true")
    assert {(r["subject_id"], r["award_code"]) for r in vtdkt["items"]} == {("u-vtdkt", "HCLD_3"), ("u-phong", "BK_BT")}
    members = await get(loaded, "/units/u-vtdkt/awards", include_sub_units="true", include_members="true", year=2024)
    assert members["total"] == 5
    await get(loaded, "/units/u-nowhere/awards", 404)

    revoked = await get(loaded, "/awards", revoked="true")
    assert [r["award_id"] for r in revoked["items"]] == ["a-24-cstd-2"]
    all_2024 = await get(loaded, "/awards", year=2024, limit=5)
    assert all_2024["total"] == 14 and len(all_2024["items"]) == 5


async def test_movement_dashboards(loaded: httpx.AsyncClient) -> None:
    movements = await get(loaded, "/movements", year=2024)
    [m] = movements["items"]
    assert (m["units_registered"], m["individuals_registered"], m["registrations_withdrawn"]) == (2, 3, 1)
    assert (m["targets"], m["targets_met"], m["targets_missed"], m["targets_on_track"], m["reviews"]) == (3, 1, 1, 1, 1)
    assert m["criteria"] == "Thực hiện văn hóa công sở; đẩy mạnh chuyển đổi số, chữ ký số." and m["amendments"] == 1
    check_as_of(movements["as_of"], "movements", 20)
    assert (await get(loaded, "/movements", year=2023))["total"] == 0

    board = await get(loaded, f"/movements/{MOVEMENT}")
    assert board["targets_summary"] == {"total": 3, "met": 1, "missed": 1, "open": 1, "on_track": 1}
    [reg] = board["registrations"]
    assert reg["collective_titles"] == {"CO_TD_BO": 1, "TTLDTT": 1, "TTLDXS": 1}
    assert reg["individual_titles"] == {"CSTDCS": 2, "LDTT": 2} and reg["withdrawn"] == 1
    assert [p["pledge_id"] for p in board["pledges"]] == ["gu-2024"]
    await get(loaded, "/movements/pt-none", 404)

    targets = await get(loaded, "/targets", year=2024, sort="-share_percent,target_id")
    assert [(t["target_id"], t["status"]) for t in targets["items"]] == [
        ("ct-dv", "met"), ("ct-hoc", "open"), ("ct-cb", "missed")]
    ct_dv = targets["items"][0]
    assert (ct_dv["numerator"], ct_dv["denominator"], ct_dv["share_percent"]) == (48, 48, 100.0)
    assert (await get(loaded, "/targets", status="missed"))["items"][0]["share_percent"] == 94.51

    regs = await get(loaded, "/registrations", unit_id="u-vtdkt")
    assert [r["unit_id"] for r in regs["items"]] == ["u-phong"]
    assert (await get(loaded, "/registrations", status="withdrawn"))["items"][0]["unit_name"] == (
        "Trường Đại học Công nghiệp Hà Nội")

    pledges = await get(loaded, "/pledges", year=2024)
    [p] = pledges["items"]
    assert (p["reviews"], p["last_review_kind"], p["achieved"], p["final_reviewed"]) == (2, "final", 5, True)
    detail = await get(loaded, "/pledges/gu-2024")
    assert [r["partly_achieved"] for r in detail["reviews"]] == [1, 0]
    assert detail["pledge"]["signatories"][1]["full_name"] == "Nguyễn Minh Huệ"


async def test_the_unit_tree_with_headcounts_by_year(loaded: httpx.AsyncClient) -> None:
    units = await get(loaded, "/units", year=2024)
    rows = {r["unit_id"]: r for r in units["items"]}
    assert {u: r["headcount"] for u, r in rows.items() if r["headcount"]} == HEADCOUNT_2024
    assert {u: r["headcount_total"] for u, r in rows.items() if r["headcount_total"]} == TOTALS_2024
    assert "u-bql" not in rows  # merged in July, nobody left in it
    assert rows["u-ttth"]["parent_id"] == "u-vtdkt" and rows["u-ttth"]["level"] == 2
    assert rows["u-vtdkt"]["name"] == "Vụ Thi đua – Khen thưởng và Truyền thông"
    check_as_of(units["as_of"], "unit_tree", 24)

    earlier = await get(loaded, "/units", year=2023)
    rows23 = {r["unit_id"]: r for r in earlier["items"]}
    assert {u: r["headcount"] for u, r in rows23.items() if r["headcount"]} == HEADCOUNT_2023
    assert rows23["u-vtdkt"]["name"] == "Vụ Thi đua – Khen thưởng" and rows23["u-ttth"]["parent_id"] == "u-bct"

    sub = await get(loaded, "/units", year=2024, unit_id="u-dhcn", sort="-headcount_total")
    assert [r["unit_id"] for r in sub["items"]] == ["u-dhcn", "u-khoa"]
    paged = await get(loaded, "/units", year=2024, limit=2, offset=1)
    assert paged["total"] == 7 and [r["code"] for r in paged["items"]] == ["DHCN", "KDIEN"]

    tree = await get(loaded, "/units/tree", year=2024)
    [root] = tree["roots"]
    assert root["code"] == "BCT" and root["headcount_total"] == 6
    assert sorted(c["code"] for c in root["children"]) == ["DHCN", "VTCCB", "VTDKT"]

    series = await get(loaded, "/units/u-vtccb/headcounts", from_year=2022, to_year=2025)
    assert [(y["year"], y["headcount"], y["headcount_total"]) for y in series["years"]] == [
        (2022, 2, 3), (2023, 2, 3), (2024, 2, 2), (2025, 2, 2)]
    on = await get(loaded, "/units", on="2024-04-30", year=2024)
    assert {r["unit_id"]: r["parent_id"] for r in on["items"]}["u-ttth"] == "u-bct"
    assert on["on"] == "2024-04-30"


@pytest.mark.parametrize(
    ("path", "params", "status", "code"),
    [
        ("/statistics/awards", {"year": 1999}, 422, "year_out_of_range"),
        ("/statistics/awards", {"year": date.today().year + 2}, 422, "year_out_of_range"),
        ("/statistics/awards", {"year": "hai nghìn"}, 422, "invalid_request"),
        ("/statistics/awards", {"award_code": "HUY_CHUONG_XYZ"}, 422, "unknown_award_code"),
        ("/statistics/awards", {"authority": "king"}, 422, "unknown_authority"),
        ("/statistics/awards", {"flow": "given"}, 422, "unknown_flow"),
        ("/statistics/awards", {"recipient_kind": "team"}, 422, "unknown_recipient_kind"),
        ("/statistics/awards", {"unit_id": "u-khong-co"}, 422, "unknown_unit"),
        ("/statistics/awards", {"sort": "name"}, 422, "unknown_sort_field"),
        ("/statistics/awards", {"group_by": "year,colour"}, 422, "unknown_group_by"),
        ("/statistics/awards", {"limit": 0}, 422, "invalid_request"),
        ("/statistics/awards", {"limit": 5000}, 422, "invalid_request"),
        ("/statistics/awards", {"format": "pdf"}, 422, "invalid_request"),
        ("/summaries/1990", {}, 422, "year_out_of_range"),
        ("/reports/annual/2200", {}, 422, "year_out_of_range"),
        ("/awards", {"outcome": "maybe"}, 422, "unknown_outcome"),
        ("/awards", {"award_code": "NOPE"}, 422, "unknown_award_code"),
        ("/targets", {"status": "late"}, 422, "unknown_status"),
        ("/targets", {"metric": "happiness"}, 422, "unknown_metric"),
        ("/movements", {"launched_by": "vua"}, 422, "unknown_launcher"),
        ("/movements", {"sort": "-colour"}, 422, "unknown_sort_field"),
        ("/registrations", {"unit_id": "u-khong-co"}, 422, "unknown_unit"),
        ("/units", {"sort": "size"}, 422, "unknown_sort_field"),
        ("/units", {"on": "1990-01-01"}, 422, "year_out_of_range"),
        ("/units/u-vtccb/headcounts", {"from_year": 2024, "to_year": 2020}, 422, "invalid_year_range"),
        ("/units/u-khong-co/headcounts", {}, 404, "unit_not_found"),
        ("/read-models/nothing/rebuild", {}, 404, "unknown_read_model"),
        ("/read-models/award_stats/rebuild", {}, 404, "no_rebuild"),
        ("/pledges/none", {}, 404, "pledge_not_found"),
    ],
)
async def test_bad_input_gets_a_clear_4xx(loaded: httpx.AsyncClient, path: str, params: dict, status: int,
                                          code: str) -> None:
    response = await loaded.get(path, params=params)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["message"]


async def test_a_known_code_without_data_is_an_empty_answer_not_an_error(loaded: httpx.AsyncClient) -> None:
    answer = await get(loaded, "/statistics/awards", award_code="NGND")  # in the catalogue, nothing this year
    assert answer["items"] == [] and answer["total"] == 0
    unknown_but_seen = await get(loaded, "/statistics/awards", unit_id="u-bct", year=2024, group_by="")
    assert unknown_but_seen["items"] == [{"count": 14, "revoked": 1}]


async def test_an_empty_service_answers_with_its_currency(reporting: httpx.AsyncClient) -> None:
    s = await get(reporting, "/summaries/2024")
    assert s["paragraph_vi"] == "Năm 2024, chưa có số liệu khen thưởng."
    assert s["as_of"]["events_applied"] == 0 and s["as_of"]["last_event_at"] is None
    assert s["as_of"]["lag_seconds"] is None
    assert (await get(reporting, "/units"))["items"] == []
