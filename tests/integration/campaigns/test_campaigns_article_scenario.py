"""The source article (Báo Công Thương, Hội nghị CBCCVC-NLĐ Bộ Công Thương năm 2024)
through the HTTP API: movements of the Government, the Prime Minister, the Ministry and
the Ministry's trade union; the 2024 targets; the 2024 pledge between the Ministry's
leadership and its trade union with its five contents; a registration — and what
reaches Kafka."""

from __future__ import annotations

from pathlib import Path

import pytest
from tdkt_contracts.catalogue.campaigns import PLEDGE_2024_CLAUSES

from services.campaigns.app import build
from tests.integration.kernel.support import consume

from .support import CAMPAIGNS_TOPIC, by_type, campaigns_settings, data_of, headers_of, ok, on

pytestmark = pytest.mark.integration

ARTICLE = Path(__file__).resolve().parents[4] / "shared" / "seed" / "moit-emulation-2024.txt"

VI_NGUOI_NGHEO = "Cả nước chung tay vì người nghèo - Không để ai bị bỏ lại phía sau"
NONG_THON_MOI = "Cả nước chung sức xây dựng nông thôn mới"
NGANH_NONG_THON_MOI = "Ngành Công Thương chung sức xây dựng nông thôn mới"
VAN_HOA_CONG_SO = "Cán bộ, công chức, viên chức Bộ Công Thương thi đua thực hiện văn hóa công sở"
CONG_DOAN_2024 = (
    "Thi đua hoàn thành xuất sắc nhiệm vụ năm 2024 trong cán bộ, công chức, viên chức, người lao động Bộ Công Thương"
)
UNION = "cong-doan-bct-2024"

MOVEMENTS = [
    {
        "movement_id": "cp-vi-nguoi-ngheo", "title": VI_NGUOI_NGHEO, "launched_by": "chinh_phu",
        "kind": "thuong_xuyen", "scope": {"all_units": True}, "period_start": "2021-01-01",
        "period_end": "2025-12-31", "launched_on": "2021-01-01",
        "criteria": "Huy động các nguồn lực hỗ trợ đầu tư sản xuất công nghiệp - tiểu thủ công nghiệp, khuyến công, "
        "xúc tiến thương mại; thực hiện Cuộc vận động “Người Việt Nam ưu tiên dùng hàng Việt Nam”.",
    },
    {
        "movement_id": "ttg-nong-thon-moi", "title": NONG_THON_MOI, "launched_by": "thu_tuong",
        "kind": "thuong_xuyen", "scope": {"all_units": True}, "period_start": "2021-01-01",
        "period_end": "2025-12-31", "launched_on": "2021-01-01",
        "criteria": "Chung sức xây dựng nông thôn mới, nâng cao đời sống vật chất, tinh thần của dân cư nông thôn.",
    },
    {
        "movement_id": "bct-nong-thon-moi", "title": NGANH_NONG_THON_MOI, "launched_by": "bo",
        "kind": "chuyen_de", "scope": {"all_units": True}, "period_start": "2021-03-01",
        "period_end": "2025-12-31", "launched_on": "2021-03-01", "responds_to": "ttg-nong-thon-moi",
        "criteria": "Hưởng ứng phong trào thi đua “Cả nước chung sức xây dựng nông thôn mới” tới các đơn vị thuộc "
        "Bộ và doanh nghiệp hoạt động trong lĩnh vực Công Thương.",
    },
    {
        "movement_id": "bct-van-hoa-cong-so", "title": VAN_HOA_CONG_SO, "launched_by": "bo",
        "kind": "chuyen_de", "scope": {"all_units": True}, "period_start": "2023-01-01",
        "period_end": "2025-12-31", "launched_on": "2023-01-15",
        "criteria": "Quán triệt và thực hiện văn hóa công sở; sửa đổi, bổ sung quy chế làm việc, phân công nhiệm "
        "vụ; giữ gìn nơi làm việc luôn xanh - sạch - đẹp, văn minh.",
    },
    {
        "movement_id": UNION, "title": CONG_DOAN_2024, "launched_by": "cong_doan_bo", "kind": "thuong_xuyen",
        "scope": {"all_units": True}, "period_start": "2024-01-01", "period_end": "2024-12-31",
        "launched_on": "2024-01-26", "decision_ref": "Nghị quyết Hội nghị CBCCVC-NLĐ Bộ Công Thương năm 2024",
        "criteria": "Động viên cán bộ, công chức, viên chức và người lao động hoàn thành xuất sắc nhiệm vụ chuyên "
        "môn; tham gia đầy đủ các hoạt động đoàn thể; xây dựng cơ quan văn hóa, xanh - sạch - đẹp.",
    },
]

TARGETS = [
    {
        "target_id": "ct-2024-don-vi-htt", "movement_id": UNION, "year": 2024,
        "metric": "units_graded_good_or_better", "threshold_percent": 100, "set_on": "2024-01-26",
        "description": "100% các đơn vị hoàn thành tốt nhiệm vụ trở lên",
    },
    {
        "target_id": "ct-2024-cbccvc-htt", "movement_id": UNION, "year": 2024,
        "metric": "staff_graded_good_or_better", "threshold_percent": 95, "set_on": "2024-01-26",
        "description": "95% cán bộ, công chức, viên chức và người lao động hoàn thành tốt nhiệm vụ trở lên",
    },
    {
        "target_id": "ct-2024-hoc-tap", "movement_id": UNION, "year": 2024,
        "metric": "staff_training_completed", "threshold_percent": 100, "training_code": "chinh-tri-2024",
        "set_on": "2024-01-26",
        "description": "100% cán bộ công chức, đoàn viên công đoàn học tập, nghiên cứu nâng cao trình độ chính trị, "
        "chuyên môn nghiệp vụ, Nghị quyết của Đảng, chính sách pháp luật của Nhà nước",
    },
]

PLEDGE = {
    "pledge_id": "gu-2024-bct-cdb",
    "title": "Giao ước thi đua năm 2024",
    "year": 2024,
    "movement_id": UNION,
    "parties": [{"name": "Lãnh đạo Bộ Công Thương"}, {"name": "Công đoàn Bộ Công Thương"}],
    "clauses": PLEDGE_2024_CLAUSES,
    "signatories": [
        {"full_name": "Nguyễn Hồng Diên", "position": "Bộ trưởng Bộ Công Thương", "party": "Lãnh đạo Bộ Công Thương"},
        {"full_name": "Nguyễn Minh Huệ", "position": "Chủ tịch Công đoàn Bộ Công Thương",
         "party": "Công đoàn Bộ Công Thương"},
    ],
    "signed_on": "2024-01-26",
    "occasion": "Hội nghị Cán bộ, công chức, viên chức, người lao động Bộ Công Thương năm 2024",
}


def test_the_article_states_what_the_scenario_records() -> None:
    """The scenario's words are the article's (so the test tracks its source)."""
    text = ARTICLE.read_text(encoding="utf-8")
    for phrase in (VI_NGUOI_NGHEO, NONG_THON_MOI, NGANH_NONG_THON_MOI, "ký kết giao ước thi đua năm 2024",
                   "100% các đơn vị hoàn thành tốt nhiệm vụ trở lên", "hoàn thành tốt nhiệm vụ trở lên; 100% cán bộ"):
        assert phrase in text, phrase
    for clause in PLEDGE_2024_CLAUSES:
        assert clause["text"][1:] in text  # the article capitalises after "Thứ nhất, "


async def test_article_scenario_through_the_api(settings, start_service, real_stack) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build, campaigns_settings(settings))
    results: list[dict] = []

    for movement in MOVEMENTS:
        body = ok(await client.post("/movements", json=movement), 201)
        assert body["created"] and body["stream_id"] == movement["movement_id"] and body["stream_version"] == 1
        results.append(body)

    for target in TARGETS:
        body = ok(await client.post("/targets", json=target), 201)
        # No units facts yet: nothing to count, so no progress event with it.
        assert [e["type"] for e in body["events"]] == ["vn.tdkt.campaigns.target.set"]
        results.append(body)

    signed = ok(await client.post("/pledges", json=PLEDGE), 201)
    results.append(signed)

    registration = {
        "movement_id": UNION, "unit_id": "u-vtdkt", "year": 2024, "collective_titles": ["TTLDXS", "CO_TD_BO"],
        "individuals": [{"person_id": "p-000123", "titles": ["CSTDCS", "LDTT"]}],
    }
    registered = ok(await client.post("/registrations", json=registration, headers=on("2024-02-20")), 201)
    assert registered["id"] == f"{UNION}/u-vtdkt/2024"
    results.append(registered)

    reviewed = ok(await client.post(f"/pledges/{PLEDGE['pledge_id']}/reviews", json={
        "pledge_id": PLEDGE["pledge_id"], "kind": "final", "reviewed_on": "2024-12-20",
        "assessments": [{"clause_number": n, "result": "achieved" if n != 4 else "partly_achieved"}
                        for n in range(1, 6)],
        "summary": "Hoàn thành tốt các nội dung giao ước thi đua năm 2024",
    }, headers={"If-Match": '"1"'}))
    assert reviewed["stream_version"] == 2
    results.append(reviewed)

    # -- the query side -------------------------------------------------------------
    pledge = ok(await client.get(f"/pledges/{PLEDGE['pledge_id']}"))
    assert pledge["parties"] == ["Lãnh đạo Bộ Công Thương", "Công đoàn Bộ Công Thương"]
    assert [c["text"] for c in pledge["clauses"]] == [c["text"] for c in PLEDGE_2024_CLAUSES]
    assert pledge["status"] == "final_reviewed"
    assert pledge["result_counts"] == {"achieved": 4, "partly_achieved": 1, "not_achieved": 0}

    dashboard = ok(await client.get(f"/movements/{UNION}/dashboard"))
    assert dashboard["title"] == CONG_DOAN_2024 and dashboard["launched_by"] == "cong_doan_bo"
    assert [t["target_id"] for t in dashboard["targets"]] == sorted(t["target_id"] for t in TARGETS)
    assert {t["target_id"]: t["threshold_percent"] for t in dashboard["targets"]} == {
        "ct-2024-don-vi-htt": 100, "ct-2024-cbccvc-htt": 95, "ct-2024-hoc-tap": 100}
    assert all(t["numerator"] is None and t["outcome"] is None for t in dashboard["targets"])
    assert dashboard["registration_summary"]["units_registered"] == 1
    assert dashboard["registration_summary"]["collective_title_counts"] == {"CO_TD_BO": 1, "TTLDXS": 1}
    assert [p["pledge_id"] for p in dashboard["pledges"]] == [PLEDGE["pledge_id"]]

    government = ok(await client.get("/movements", params={"launched_by": "chinh_phu"}))
    assert [m["title"] for m in government] == [VI_NGUOI_NGHEO]
    in_2024 = ok(await client.get("/movements", params={"year": 2024}))
    assert {m["movement_id"] for m in in_2024} == {m["movement_id"] for m in MOVEMENTS}
    answer = ok(await client.get("/movements/bct-nong-thon-moi"))
    assert answer["responds_to"] == "ttg-nong-thon-moi" and answer["scope"] == {"all_units": True, "unit_ids": []}

    overview = ok(await client.get("/units/u-vtdkt/overview"))
    assert [r["registration_id"] for r in overview["registrations"]] == [f"{UNION}/u-vtdkt/2024"]

    target = ok(await client.get("/targets/ct-2024-cbccvc-htt"))
    assert target["metric_label"].startswith("Tỷ lệ cán bộ, công chức") and target["movement_id"] == UNION

    # -- what reached Kafka ----------------------------------------------------------
    expected = [e for r in results for e in r["events"]]
    assert len(expected) == len(MOVEMENTS) + len(TARGETS) + 3
    records = await consume(real_stack.bootstrap_servers, [settings.topic_prefix + CAMPAIGNS_TOPIC], len(expected))
    assert len(records) == len(expected)
    received = {headers_of(r)["ce_id"]: r for r in records}
    for event in expected:
        record = received[event["event_id"]]
        headers = headers_of(record)
        assert headers["ce_specversion"] == "1.0"
        assert headers["ce_type"] == event["type"]
        assert headers["ce_source"] == "/tdkt/campaigns"
        assert headers["ce_subject"] == event["stream_id"] == record.key.decode()
        assert headers["ce_streamversion"] == str(event["stream_version"])
        assert headers["ce_schemaversion"] == "1"
        assert headers["content-type"] == "application/json; charset=utf-8"
        assert headers["ce_correlationid"]
    launched = by_type(records, "vn.tdkt.campaigns.movement.launched")
    assert {data_of(r)["title"] for r in launched} == {m["title"] for m in MOVEMENTS}
    government_record = next(r for r in launched if r.key == b"cp-vi-nguoi-ngheo")
    assert "Cả nước chung tay vì người nghèo".encode() in government_record.value  # UTF-8, not \u escapes
    assert data_of(government_record)["launched_by"] == "chinh_phu"
    [signed_record] = by_type(records, "vn.tdkt.campaigns.pledge.signed")
    assert [c["text"] for c in data_of(signed_record)["clauses"]] == [c["text"] for c in PLEDGE_2024_CLAUSES]
    assert data_of(signed_record)["signatories"][1]["full_name"] == "Nguyễn Minh Huệ"
    assert len(by_type(records, "vn.tdkt.campaigns.target.set")) == 3
    [registration_record] = by_type(records, "vn.tdkt.campaigns.registration.submitted")
    assert data_of(registration_record)["submitted_on"] == "2024-02-20"
    assert data_of(registration_record)["deadline"] == "2024-03-31"
