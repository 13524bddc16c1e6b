"""Every command of the units service through its HTTP API, on the real stack."""

from __future__ import annotations

import httpx
import pytest

from .support import NEW_NAME, OLD_NAME, enrol, establish, event_count, ministry, ok

pytestmark = pytest.mark.integration


async def test_units_establish_rename_move_merge_dissolve(client: httpx.AsyncClient) -> None:
    await ministry(client)

    created = await ok(client, "/units", establish("u-ttdl", "TTDL", "Trung tâm Dữ liệu", "trung_tam",
                                                   parent_id="u-bct", on="2020-01-01"), 201)
    assert created["stream_id"] == "u-ttdl" and created["stream_version"] == 1
    assert created["events"][0]["type"] == "vn.tdkt.units.unit.established"
    assert created["events"][0]["topic"] == "tdkt.units.events"

    renamed = await ok(client, "/units/rename", {"unit_id": "u-vtdkt", "name": NEW_NAME, "effective_on": "2023-03-01",
                                                 "decision_number": "412/QĐ-BCT"})
    assert renamed["events"][0]["data"]["previous_name"] == OLD_NAME

    moved = await ok(client, "/units/move", {"unit_id": "u-phong", "parent_id": "u-vtdkt",
                                             "effective_on": "2023-04-01"})
    assert moved["events"][0]["data"]["previous_parent_id"] == "u-cuc"
    # Sub-units go first, then the merge (the tree stays a tree).
    await ok(client, "/units/move", {"unit_id": "u-phong", "parent_id": "u-vtccb", "effective_on": "2023-08-01"})
    merged = await ok(client, "/units/merge", {"unit_id": "u-vtdkt", "into_unit_id": "u-vtccb",
                                               "effective_on": "2023-09-01", "decision_number": "1890/QĐ-BCT"})
    assert merged["events"][0]["type"] == "vn.tdkt.units.unit.merged"
    dissolved = await ok(client, "/units/dissolve", {"unit_id": "u-ttdl", "effective_on": "2024-07-01",
                                                     "reason": "Sắp xếp, tinh gọn tổ chức bộ máy"})
    assert dissolved["events"][0]["type"] == "vn.tdkt.units.unit.dissolved"

    vtdkt = (await client.get("/units/u-vtdkt")).json()
    assert vtdkt["status"] == "merged" and vtdkt["merged_into"] == "u-vtccb" and vtdkt["carried_by"] == "u-vtccb"
    assert [n["name"] for n in vtdkt["names"]] == [OLD_NAME, NEW_NAME]
    assert vtdkt["closed_on"] == "2023-09-01"
    phong = (await client.get("/units/u-phong")).json()
    assert [p["parent_id"] for p in phong["parents"]] == ["u-cuc", "u-vtdkt", "u-vtccb"]
    assert (await client.get("/units/u-vtccb")).json()["children"] == ["u-phong"]

    listing = (await client.get("/units", params={"status": "active"})).json()
    assert [u["code"] for u in listing] == ["BCT", "CTMDT", "CTMDT-TH", "VTCCB"]
    assert {u["unit_id"]: u["status"] for u in (await client.get("/units")).json()}["u-ttdl"] == "dissolved"
    assert await event_count(client) == 11


async def test_people_enrol_transfer_leave_and_their_record(client: httpx.AsyncClient) -> None:
    await ministry(client)
    enrolled = await ok(client, "/people", enrol("p-huong", "u-vtdkt", "Nguyễn Thị Hương", joined="2016-09-01"), 201)
    assert enrolled["events"][0]["type"] == "vn.tdkt.units.person.enrolled"
    await ok(client, "/people", enrol("p-minh", "u-vtccb", "Trần Văn Minh", sex="male"), 201)

    transferred = await ok(client, "/people/transfer", {
        "person_id": "p-huong", "to_unit_id": "u-cuc", "effective_on": "2022-03-01", "position": "Phó Trưởng phòng",
        "decision_number": "77/QĐ-BCT"})
    assert transferred["events"][0]["data"]["from_unit_id"] == "u-vtdkt"
    left = await ok(client, "/people/leave", {"person_id": "p-minh", "reason": "nghi_huu",
                                              "effective_on": "2024-06-01"})
    assert left["events"][0]["type"] == "vn.tdkt.units.person.left"

    record = (await client.get("/people/p-huong")).json()
    assert record["full_name"] == "Nguyễn Thị Hương" and record["on_staff"] is True
    assert [(u["unit_id"], u["unit_name"], u["start"], u["end"]) for u in record["units"]] == [
        ("u-vtdkt", OLD_NAME, "2016-09-01", "2022-03-01"),
        ("u-cuc", "Cục Thương mại điện tử và Kinh tế số", "2022-03-01", None),
    ]
    assert record["position"] == "Phó Trưởng phòng"
    minh = (await client.get("/people/p-minh")).json()
    assert minh["on_staff"] is False and minh["leave_reason"] == "nghi_huu" and minh["left_on"] == "2024-06-01"


async def test_grades_corrections_discipline_and_initiatives(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await ok(client, "/people", enrol("p-huong", "u-vtdkt", "Nguyễn Thị Hương"), 201)
    await ok(client, "/people", enrol("p-lan", "u-vtdkt", "Lê Thị Lan"), 201)

    graded = await ok(client, "/evaluations", {"subject": "person", "subject_id": "p-huong", "year": 2022,
                                               "grade": "HTXS", "legal_basis": "NĐ 90/2020/NĐ-CP"}, 201)
    assert graded["events"][0]["data"]["unit_id"] == "u-vtdkt"
    await ok(client, "/evaluations", {"subject": "person", "subject_id": "p-huong", "year": 2023, "grade": "HTT"}, 201)
    corrected = await ok(client, "/evaluations/corrections", {
        "subject": "person", "subject_id": "p-huong", "year": 2022, "grade": "HTT",
        "reason": "Rà soát lại theo kết luận của Hội đồng thi đua", "decision_number": "31/QĐ-VTCCB"}, 201)
    assert corrected["events"][0]["type"] == "vn.tdkt.units.person.evaluation-corrected"
    assert corrected["events"][0]["data"]["previous_grade"] == "HTXS"
    await ok(client, "/evaluations", {"subject": "unit", "subject_id": "u-vtdkt", "year": 2022, "grade": "HTXS"}, 201)
    unit_fix = await ok(client, "/evaluations/corrections", {"subject": "unit", "subject_id": "u-vtdkt", "year": 2022,
                                                             "grade": "HT", "reason": "Điều chỉnh theo thanh tra"}, 201)
    assert unit_fix["events"][0]["type"] == "vn.tdkt.units.unit.evaluation-corrected"

    imposed = await ok(client, "/disciplines", {
        "person_id": "p-huong", "discipline_id": "kl-2024-01", "form": "khien_trach",
        "reason": "Vi phạm quy chế làm việc của cơ quan", "decision_number": "12/QĐ-KL", "decided_on": "2024-02-01",
        "ends_on": "2025-01-31"}, 201)
    assert imposed["events"][0]["topic"] == "tdkt.units.internal"
    ended = await ok(client, "/disciplines/end", {"person_id": "p-huong", "discipline_id": "kl-2024-01",
                                                  "ended_on": "2024-08-01", "ending": "huy_bo",
                                                  "note": "Quyết định kỷ luật bị hủy bỏ"})
    assert ended["events"][0]["type"] == "vn.tdkt.units.person.discipline-ended"

    recognized = await ok(client, "/initiatives", {
        "initiative_id": "sk-2023-017", "kind": "sang_kien", "level": "bo", "year": 2023,
        "title": "Số hóa hồ sơ thi đua, khen thưởng", "decision_number": "88/QĐ-HĐKH", "decided_on": "2023-11-20",
        "author_ids": ["p-huong", "p-lan"], "unit_id": "u-vtdkt"}, 201)
    assert recognized["stream_id"] == "sk-2023-017"

    record = (await client.get("/people/p-huong")).json()
    by_year = {g["year"]: g for g in record["grades"]}
    assert by_year[2022]["grade"] == "HTT" and by_year[2022]["recorded_grade"] == "HTXS"
    assert by_year[2022]["unit_name"] == OLD_NAME and by_year[2022]["legal_basis"] == "NĐ 90/2020/NĐ-CP"
    assert by_year[2022]["corrections"] == [{
        "grade": "HTT", "previous_grade": "HTXS", "reason": "Rà soát lại theo kết luận của Hội đồng thi đua",
        "decision_number": "31/QĐ-VTCCB"}]
    assert by_year[2023]["grade"] == "HTT" and by_year[2023]["corrections"] == []
    [discipline] = record["disciplines"]
    assert discipline["form"] == "khien_trach" and discipline["ending"] == "huy_bo"
    assert discipline["ended_on"] == "2024-08-01"
    [initiative] = record["initiatives"]
    assert initiative["title"] == "Số hóa hồ sơ thi đua, khen thưởng" and initiative["co_author_ids"] == ["p-lan"]
    assert [i["initiative_id"] for i in (await client.get("/people/p-lan")).json()["initiatives"]] == ["sk-2023-017"]

    unit = (await client.get("/units/u-vtdkt")).json()
    [grade] = unit["evaluations"]
    assert grade["grade"] == "HT" and grade["recorded_grade"] == "HTXS" and grade["corrected"] is True
    assert grade["corrections"][0]["reason"] == "Điều chỉnh theo thanh tra"


async def test_request_metadata_is_recorded_on_the_events(client: httpx.AsyncClient, auth_keys) -> None:  # type: ignore[no-untyped-def]
    # The actor comes from the token; a header claiming another actor is ignored.
    headers = {**auth_keys.headers("administrator", subject="can-bo-tdkt-01", name="Lê Thị Thu"),
               "x-actor-id": "someone-else", "x-actor-role": "approver",
               "x-correlation-id": "corr-123", "x-request-id": "req-9"}
    response = await client.post("/units", json=establish("u-bct", "BCT", "Bộ Công Thương", "bo"), headers=headers)
    assert response.status_code == 201
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        row = await conn.fetchrow("SELECT actor_id, actor_role, correlation_id, causation_id FROM events")
    assert dict(row) == {"actor_id": "can-bo-tdkt-01", "actor_role": "administrator",
                         "correlation_id": "corr-123", "causation_id": "req-9"}

    # The audit trail answers who did what to the record, when — for those who answer for the records.
    trail = await client.get("/audit/u-bct", headers=auth_keys.headers("emulation_office"))
    assert trail.status_code == 200
    [entry] = trail.json()["entries"]
    assert entry["actor_id"] == "can-bo-tdkt-01" and entry["actor_role"] == "administrator"
    assert entry["event_type"] == "vn.tdkt.units.unit.established" and entry["correlation_id"] == "corr-123"
    refused = await client.get("/audit/u-bct", headers=auth_keys.headers("reader"))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert (await client.get("/audit/u-nowhere")).json()["code"] == "record_not_found"


async def test_the_api_is_documented(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    for path, method in [("/units", "post"), ("/units/rename", "post"), ("/units/move", "post"),
                         ("/units/merge", "post"), ("/units/dissolve", "post"), ("/people", "post"),
                         ("/people/transfer", "post"), ("/people/leave", "post"), ("/evaluations", "post"),
                         ("/evaluations/corrections", "post"), ("/disciplines", "post"),
                         ("/disciplines/end", "post"), ("/initiatives", "post"), ("/units/tree", "get"),
                         ("/units/{unit_id}", "get"), ("/people/{person_id}", "get"), ("/headcounts", "get"),
                         ("/grades", "get"), ("/imports/{kind}", "post")]:
        operation = spec["paths"][path][method]
        assert operation["summary"], (path, method)
    assert "sáp nhập" in spec["paths"]["/units/merge"]["post"]["summary"]
    assert "Mã cán bộ" in spec["paths"]["/imports/{kind}"]["post"]["description"]
    assert "text/csv" in spec["paths"]["/imports/{kind}"]["post"]["requestBody"]["content"]
    assert (await client.get("/health")).status_code == 200
