"""Bad input through the HTTP API: a clear 4xx with a machine-readable code, and nothing written."""

from __future__ import annotations

import unicodedata
from datetime import date

import httpx
import pytest

from .support import enrol, establish, event_count, ministry, ok, refused

pytestmark = pytest.mark.integration


async def test_unknown_unit(client: httpx.AsyncClient) -> None:
    await ministry(client)
    answer = await refused(client, "/people", enrol("p-1", "u-khong-co", "Nguyễn Văn An"), 404, "unit_not_found")
    assert "u-khong-co" in answer["message"] and answer["details"]["unit_id"] == "u-khong-co"
    await refused(client, "/units", establish("u-x", "X", "Phòng X", "phong", parent_id="u-khong-co"), 404,
                  "unit_not_found")
    await refused(client, "/units/rename", {"unit_id": "u-khong-co", "name": "Vụ Mới", "effective_on": "2024-01-01"},
                  404, "unit_not_found")
    await refused(client, "/evaluations", {"subject": "unit", "subject_id": "u-khong-co", "year": 2023,
                                           "grade": "HTT"}, 404, "unit_not_found")
    assert (await client.get("/units/u-khong-co")).status_code == 404
    assert (await client.get("/units/u-khong-co")).json()["code"] == "unit_not_found"


async def test_unknown_person(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await refused(client, "/people/transfer", {"person_id": "p-khong-co", "to_unit_id": "u-vtccb",
                                               "effective_on": "2024-01-01"}, 404, "person_not_found")
    await refused(client, "/evaluations", {"subject": "person", "subject_id": "p-khong-co", "year": 2023,
                                           "grade": "HTT"}, 404, "person_not_found")
    await refused(client, "/disciplines", {"person_id": "p-khong-co", "discipline_id": "kl-1", "form": "canh_cao",
                                           "reason": "Vi phạm", "decision_number": "1/QĐ", "decided_on": "2024-01-01"},
                  404, "person_not_found")
    await ok(client, "/people", enrol("p-1", "u-vtccb", "Nguyễn Văn An", sex="male"), 201)
    await refused(client, "/initiatives", {
        "initiative_id": "sk-1", "kind": "sang_kien", "level": "co_so", "year": 2023, "title": "Cải tiến quy trình",
        "decision_number": "5/QĐ", "decided_on": "2023-12-01", "author_ids": ["p-1", "p-khong-co"],
        "unit_id": "u-vtccb"}, 404, "person_not_found")
    response = await client.get("/people/p-khong-co")
    assert response.status_code == 404 and response.json()["code"] == "person_not_found"


async def test_grade_for_a_future_year_and_a_second_grade_for_a_year(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await ok(client, "/people", enrol("p-1", "u-vtccb", "Nguyễn Văn An", sex="male"), 201)
    next_year = date.today().year + 1
    answer = await refused(client, "/evaluations", {"subject": "person", "subject_id": "p-1", "year": next_year,
                                                    "grade": "HTXS"}, 422, "grade_future_year")
    assert str(next_year) in answer["message"]
    await refused(client, "/evaluations", {"subject": "unit", "subject_id": "u-vtccb", "year": next_year,
                                           "grade": "HTXS"}, 422, "grade_future_year")
    await ok(client, "/evaluations", {"subject": "person", "subject_id": "p-1", "year": 2023, "grade": "HT"}, 201)
    await refused(client, "/evaluations", {"subject": "person", "subject_id": "p-1", "year": 2023, "grade": "HTT"},
                  409, "grade_exists")
    # A correction needs its reason.
    answer = await refused(client, "/evaluations/corrections", {"subject": "person", "subject_id": "p-1",
                                                                "year": 2023, "grade": "HTT"}, 422, "invalid_command")
    assert answer["details"]["errors"][0]["field"] == "reason"
    assert (await client.get("/people/p-1")).json()["grades"][0]["grade"] == "HT"


async def test_a_person_enrolled_twice(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await ok(client, "/people", enrol("p-1", "u-vtccb", "Nguyễn Thị Hương"), 201)
    answer = await refused(client, "/people", enrol("p-1", "u-vtdkt", "Nguyễn Thị Hương"), 409, "person_exists")
    assert "Nguyễn Thị Hương" in answer["message"]
    assert (await client.get("/people/p-1")).json()["unit_id"] == "u-vtccb"
    # Ids share one space: a unit's id is not a person's.
    await refused(client, "/people", enrol("u-vtccb", "u-vtccb", "Trần Văn Minh", sex="male"), 409, "id_taken")


async def test_a_move_that_would_make_a_cycle(client: httpx.AsyncClient) -> None:
    await ministry(client)
    answer = await refused(client, "/units/move", {"unit_id": "u-cuc", "parent_id": "u-phong",
                                                   "effective_on": "2024-01-01"}, 422, "move_creates_cycle")
    assert answer["details"]["parent_id"] == "u-phong"
    await refused(client, "/units/move", {"unit_id": "u-bct", "parent_id": "u-phong", "effective_on": "2024-01-01"},
                  422, "move_creates_cycle")
    await refused(client, "/units/move", {"unit_id": "u-cuc", "parent_id": "u-cuc", "effective_on": "2024-01-01"},
                  422, "move_creates_cycle")
    tree = (await client.get("/units/tree")).json()
    [root] = tree["units"]
    assert root["unit_id"] == "u-bct"
    cuc = next(u for u in root["children"] if u["unit_id"] == "u-cuc")
    assert [c["unit_id"] for c in cuc["children"]] == ["u-phong"]


async def test_merge_and_dissolve_refusals(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await ok(client, "/people", enrol("p-1", "u-vtdkt", "Nguyễn Thị Hương"), 201)
    await refused(client, "/units/merge", {"unit_id": "u-cuc", "into_unit_id": "u-vtccb",
                                           "effective_on": "2024-01-01"}, 409, "unit_has_children")
    await refused(client, "/units/dissolve", {"unit_id": "u-vtdkt", "effective_on": "2024-01-01"}, 409,
                  "unit_has_members")
    await refused(client, "/units/merge", {"unit_id": "u-vtdkt", "into_unit_id": "u-vtdkt",
                                           "effective_on": "2024-01-01"}, 422, "merge_into_self")
    await ok(client, "/units/merge", {"unit_id": "u-vtdkt", "into_unit_id": "u-vtccb", "effective_on": "2024-01-01"})
    # The people of a merged unit now belong to the absorbing unit: it cannot be dissolved with them.
    await refused(client, "/units/dissolve", {"unit_id": "u-vtccb", "effective_on": "2024-02-01"}, 409,
                  "unit_has_members")
    await refused(client, "/people", enrol("p-2", "u-vtdkt", "Lê Thị Lan"), 409, "unit_merged")
    await refused(client, "/units/rename", {"unit_id": "u-vtdkt", "name": "Vụ Khác", "effective_on": "2024-03-01"},
                  409, "unit_merged")


async def test_malformed_vietnamese_text(client: httpx.AsyncClient) -> None:
    await ministry(client)
    # Mis-decoded UTF-8 (mojibake), a zero-width space, digits in a name, empty after trimming.
    answer = await refused(client, "/people", enrol("p-1", "u-vtccb", "Nguyá»…n Thị Hương"), 422, "invalid_text")
    assert "probably means 'ễ'" in answer["message"]
    assert answer["details"]["errors"][0]["field"] == "full_name"
    await refused(client, "/units", establish("u-x", "X", "Vụ\u200b Pháp chế", parent_id="u-bct"), 422,
                  "invalid_text")
    await refused(client, "/people", enrol("p-1", "u-vtccb", "Trần Văn 3"), 422, "invalid_name")
    await refused(client, "/units/rename", {"unit_id": "u-vtccb", "name": "   ", "effective_on": "2024-01-01"}, 422,
                  "invalid_text")
    await refused(client, "/people", enrol("p 1", "u-vtccb", "Trần Văn Ba"), 422, "invalid_id")
    await refused(client, "/units", establish("u-y", "MÃ", "Vụ Pháp chế", parent_id="u-bct"), 422, "invalid_code")
    # Decomposed Vietnamese with stray spaces is accepted, stored NFC and trimmed.
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị  Hương ")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    created = await ok(client, "/people", enrol("p-2", "u-vtccb", decomposed), 201)
    assert created["events"][0]["data"]["full_name"] == "Nguyễn Thị Hương"
    record = (await client.get("/people/p-2")).json()
    assert record["full_name"] == "Nguyễn Thị Hương"
    assert unicodedata.is_normalized("NFC", record["full_name"])


async def test_malformed_bodies_and_bad_query_input(client: httpx.AsyncClient) -> None:
    await ministry(client)
    await refused(client, "/people", {"person_id": "p-1"}, 422, "invalid_command")
    body = {**enrol("p-1", "u-vtccb", "Nguyễn Văn An"), "salary": 10}
    await refused(client, "/people", body, 422, "invalid_command")
    await refused(client, "/people", {**enrol("p-1", "u-vtccb", "Nguyễn Văn An"), "sex": "khac"}, 422,
                  "invalid_command")
    before = await event_count(client)
    response = await client.post("/people", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422 and response.json()["code"] == "invalid_command"
    for path, status, code in [
        ("/headcounts?year=abc", 422, "invalid_request"),
        ("/headcounts", 422, "invalid_request"),
        ("/headcounts?year=1800", 422, "invalid_request"),
        ("/headcounts?year=2024&unit_id=u-khong-co", 404, "unit_not_found"),
        ("/grades?year=2024&unit_id=u-khong-co", 404, "unit_not_found"),
        ("/units/tree?as_of=2024-02-30", 422, "invalid_request"),
        ("/units?status=sleeping", 422, "invalid_request"),
        ("/imports/trees?dry_run=true", 422, "invalid_request"),
    ]:
        response = await client.get(path) if not path.startswith("/imports") else await client.post(path, content=b"")
        assert (response.status_code, response.json()["code"]) == (status, code), path
    assert await event_count(client) == before
