"""Queries through the HTTP API: the tree as of a date across a rename and a merge,
headcount and grades by unit and year (under the names of that year)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .support import NEW_NAME, OLD_NAME, enrol, ministry, ok

pytestmark = pytest.mark.integration


@pytest.fixture
async def history(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """2015–2024 of a small ministry.

    - u-vtdkt is renamed on 2023-03-01, then merged into u-vtccb on 2023-09-01;
    - p-a works in u-vtdkt from 2016 (so under u-vtccb after the merge);
    - p-b works in u-vtccb; p-d in u-phong (under u-cuc);
    - p-c works in u-vtdkt and retires on 2023-05-01, before the merge;
    - p-e works in u-vtccb and leaves on 2023-01-01 (last day 2022-12-31);
    - p-f joins u-vtccb on 2024-02-01.
    """
    await ministry(client)
    await ok(client, "/people", enrol("p-a", "u-vtdkt", "Nguyễn Thị Hương", joined="2016-09-01"), 201)
    await ok(client, "/people", enrol("p-b", "u-vtccb", "Trần Văn Minh", sex="male"), 201)
    await ok(client, "/people", enrol("p-c", "u-vtdkt", "Lê Thị Lan", born="1963-05-01", joined="2015-03-01"), 201)
    await ok(client, "/people", enrol("p-d", "u-phong", "Đỗ Quốc Huy", sex="male"), 201)
    await ok(client, "/people", enrol("p-e", "u-vtccb", "Phạm Thu Trang"), 201)
    await ok(client, "/people/leave", {"person_id": "p-e", "reason": "thoi_viec", "effective_on": "2023-01-01"})
    await ok(client, "/units/rename", {"unit_id": "u-vtdkt", "name": NEW_NAME, "effective_on": "2023-03-01"})
    await ok(client, "/people/leave", {"person_id": "p-c", "reason": "nghi_huu", "effective_on": "2023-05-01"})
    await ok(client, "/units/merge", {"unit_id": "u-vtdkt", "into_unit_id": "u-vtccb", "effective_on": "2023-09-01"})
    await ok(client, "/people", enrol("p-f", "u-vtccb", "Hoàng Minh Đức", sex="male", born="1998-10-10",
                                      joined="2024-02-01"), 201)
    for subject, subject_id, year, grade in [
        ("person", "p-a", 2022, "HTXS"), ("person", "p-a", 2023, "HTT"), ("person", "p-c", 2022, "HT"),
        ("person", "p-b", 2022, "HTT"), ("unit", "u-vtdkt", 2022, "HTXS"), ("person", "p-f", 2024, "HTT"),
    ]:
        await ok(client, "/evaluations", {"subject": subject, "subject_id": subject_id, "year": year, "grade": grade})
    await ok(client, "/evaluations/corrections", {"subject": "person", "subject_id": "p-b", "year": 2022,
                                                  "grade": "HTXS", "reason": "Bổ sung thành tích đột xuất"})
    return client


def flat(units: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for unit in units:
        out[unit["unit_id"]] = unit
        out.update(flat(unit["children"]))
    return out


async def tree_on(client: httpx.AsyncClient, day: str) -> dict[str, Any]:
    response = await client.get("/units/tree", params={"as_of": day})
    assert response.status_code == 200, response.text
    return response.json()


async def test_tree_as_of_a_date_across_a_rename_and_a_merge(history: httpx.AsyncClient) -> None:
    before = await tree_on(history, "2014-12-31")
    assert before == {"as_of": "2014-12-31", "count": 0, "units": []}

    y2022 = await tree_on(history, "2022-12-31")
    units = flat(y2022["units"])
    assert units["u-vtdkt"]["name"] == OLD_NAME and units["u-vtdkt"]["parent_id"] == "u-bct"
    [root] = y2022["units"]
    assert [c["unit_id"] for c in root["children"]] == ["u-cuc", "u-vtccb", "u-vtdkt"]  # by code
    assert [c["unit_id"] for c in units["u-cuc"]["children"]] == ["u-phong"]

    assert flat((await tree_on(history, "2023-03-01"))["units"])["u-vtdkt"]["name"] == NEW_NAME
    assert flat((await tree_on(history, "2023-02-28"))["units"])["u-vtdkt"]["name"] == OLD_NAME
    assert flat((await tree_on(history, "2023-08-31"))["units"])["u-vtdkt"]["name"] == NEW_NAME

    merged = await tree_on(history, "2023-09-01")
    assert "u-vtdkt" not in flat(merged["units"])
    assert [c["unit_id"] for c in merged["units"][0]["children"]] == ["u-cuc", "u-vtccb"]
    assert merged["count"] == 4
    today = (await history.get("/units/tree")).json()
    assert flat(today["units"]).keys() == flat(merged["units"]).keys()


async def test_headcount_by_unit_and_year(history: httpx.AsyncClient) -> None:
    async def counts(year: int, **params: Any) -> dict[str, Any]:
        response = await history.get("/headcounts", params={"year": year, **params})
        assert response.status_code == 200, response.text
        return response.json()

    y2022 = await counts(2022)
    by_unit = {u["unit_id"]: u for u in y2022["units"]}
    assert {k: v["headcount"] for k, v in by_unit.items()} == {
        "u-bct": 0, "u-cuc": 0, "u-phong": 1, "u-vtccb": 2, "u-vtdkt": 2}
    assert by_unit["u-vtdkt"]["name"] == OLD_NAME
    assert by_unit["u-bct"]["subtree_headcount"] == 5 and by_unit["u-cuc"]["subtree_headcount"] == 1
    assert y2022["total"] == 5

    y2023 = {u["unit_id"]: u for u in (await counts(2023))["units"]}
    # p-a counts under u-vtccb after the merge; p-c retired before it, in u-vtdkt; p-e left in 2022.
    assert y2023["u-vtccb"]["headcount"] == 2 and y2023["u-vtdkt"]["headcount"] == 1
    assert y2023["u-vtdkt"]["name"] == NEW_NAME  # the name of that year

    y2024 = await counts(2024)
    assert {u["unit_id"]: u["headcount"] for u in y2024["units"]} == {
        "u-bct": 0, "u-cuc": 0, "u-phong": 1, "u-vtccb": 3}
    assert y2024["total"] == 4

    cuc = await counts(2022, unit_id="u-cuc", include_subunits="true")
    assert [(u["unit_id"], u["headcount"]) for u in cuc["units"]] == [("u-cuc", 0), ("u-phong", 1)]
    assert cuc["total"] == 1
    only = await counts(2024, unit_id="u-vtccb")
    assert [(u["unit_id"], u["headcount"]) for u in only["units"]] == [("u-vtccb", 3)]


async def test_grades_by_unit_and_year(history: httpx.AsyncClient) -> None:
    y2022 = (await history.get("/grades", params={"year": 2022})).json()
    rows = {r["unit_id"]: r for r in y2022["units"]}
    vtdkt = rows["u-vtdkt"]
    assert vtdkt["name"] == OLD_NAME and vtdkt["unit_grade"] == "HTXS"
    assert vtdkt["headcount"] == 2 and vtdkt["counts"] == {"HTXS": 1, "HTT": 0, "HT": 1, "KHT": 0}
    vtccb = rows["u-vtccb"]
    assert vtccb["counts"]["HTXS"] == 1 and vtccb["ungraded"] == 1  # p-b corrected; p-e has no grade
    assert vtccb["people"] == [{"person_id": "p-b", "grade": "HTXS", "corrected": True}]
    assert y2022["totals"]["counts"] == {"HTXS": 2, "HTT": 0, "HT": 1, "KHT": 0}

    y2023 = (await history.get("/grades", params={"year": 2023, "unit_id": "u-vtccb"})).json()
    [row] = y2023["units"]
    assert row["people"] == [{"person_id": "p-a", "grade": "HTT", "corrected": False}]
    assert row["headcount"] == 2 and row["ungraded"] == 1

    subtree = (await history.get("/grades", params={"year": 2022, "unit_id": "u-bct",
                                                    "include_subunits": "true"})).json()
    assert {r["unit_id"] for r in subtree["units"]} == {"u-bct", "u-cuc", "u-phong", "u-vtccb", "u-vtdkt"}
    assert subtree["totals"]["headcount"] == 5
    y2024 = (await history.get("/grades", params={"year": 2024})).json()
    assert {r["unit_id"] for r in y2024["units"]} == {"u-bct", "u-cuc", "u-phong", "u-vtccb"}


async def test_people_are_found_by_name_without_diacritics(history: httpx.AsyncClient) -> None:
    answer = await history.get("/people", params={"q": "nguyen thi huong"})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    assert found["total"] == 1 and found["items"][0]["person_id"] == "p-a"
    assert found["items"][0]["full_name"] == "Nguyễn Thị Hương"
    # Diacritics or not, any case, words as name prefixes; "đ" is "d".
    for query, expected in [("NGUYỄN", ["p-a"]), ("do quoc", ["p-d"]), ("Đỗ", ["p-d"]), ("minh", ["p-b", "p-f"]),
                            ("th", ["p-a", "p-c", "p-e"]), ("uong", [])]:
        answer = (await history.get("/people", params={"q": query})).json()
        assert sorted(i["person_id"] for i in answer["items"]) == expected, query
    # Those still on the staff first: p-c and p-e left.
    order = [i["person_id"] for i in (await history.get("/people", params={"q": "th"})).json()["items"]]
    assert order[0] == "p-a" and set(order[1:]) == {"p-c", "p-e"}
    refused = await history.get("/people", params={"q": ""})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid_request"
