"""Bulk import through the HTTP API: a 5,000-person spreadsheet with bad rows is
reported whole, applies in one go once fixed, and changes nothing when imported again."""

from __future__ import annotations

import io
import time
from collections import Counter
from datetime import date, datetime
from typing import Any

import httpx
import pytest
from kernel.settings import Settings
from openpyxl import Workbook

from tests.integration.kernel.support import consume

from .support import (
    PEOPLE_HEADER,
    UNITS_CSV_ROWS,
    UNITS_HEADER,
    event_count,
    staff_list,
    to_csv,
)

pytestmark = pytest.mark.integration

CSV = {"content-type": "text/csv"}
XLSX = {"content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
THIS_YEAR = date.today().year


async def post_import(client: httpx.AsyncClient, kind: str, data: bytes, *, dry_run: bool,
                      headers: dict[str, str] = CSV) -> httpx.Response:
    return await client.post(f"/imports/{kind}", params={"dry_run": str(dry_run).lower()}, content=data,
                             headers=headers)


async def import_units(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await post_import(client, "units", to_csv(UNITS_HEADER, UNITS_CSV_ROWS), dry_run=False)
    assert response.status_code == 200, response.text
    return response.json()


def spoil(rows: list[list[Any]]) -> dict[int, tuple[str, str]]:
    """Break eleven rows in different ways; return {spreadsheet row: (column, code)} expected."""
    future = date(THIS_YEAR + 1, 3, 1).strftime("%d/%m/%Y")
    faults = {
        17: (4, "31/02/1990", "Ngày sinh", "invalid_date"),
        404: (6, "PHONG-X", "Mã đơn vị", "unit_not_found"),
        999: (1, "CB00005", "Mã cán bộ", "duplicate_row"),
        1500: (2, "Nguyá»…n Văn An", "Họ và tên", "invalid_text"),
        2001: (5, future, "Ngày vào ngành", "date_in_future"),
        2750: (2, "", "Họ và tên", "missing_value"),
        3100: (3, "Khác", "Giới tính", "invalid_value"),
        3333: (4, "01/01/2015", "Ngày sinh", "birth_date_implausible"),
        4012: (8, "Hợp đồng", "Loại cán bộ", "invalid_value"),
        4600: (1, "CB 4601", "Mã cán bộ", "invalid_id"),
        4998: (2, "Trần Văn 3", "Họ và tên", "invalid_name"),
    }
    expected = {}
    for index, (column, value, header, code) in faults.items():
        rows[index][column] = value
        expected[index + 2] = (header, code)  # header is row 1
    return expected


async def test_a_5000_person_spreadsheet(client: httpx.AsyncClient, settings: Settings) -> None:
    units = await import_units(client)
    assert units["new"] == 10 and units["ok"] and units["events_written"] == 10
    base = await event_count(client)

    good = staff_list(5000)
    bad = [list(r) for r in good]
    expected = spoil(bad)
    data = to_csv(PEOPLE_HEADER, bad)

    started = time.perf_counter()
    response = await post_import(client, "people", data, dry_run=True)
    dry_seconds = time.perf_counter() - started
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["ok"] is False and report["dry_run"] is True and report["applied"] is False
    assert {e["row"]: (e["column"], e["code"]) for e in report["errors"]} == expected
    assert len(report["errors"]) == len(expected)
    assert all(e["message"] for e in report["errors"])
    assert report["rows"] == 5000 and report["invalid"] == 11 and report["new"] == 4989
    assert report["ignored_columns"] == ["STT"]
    assert await event_count(client) == base

    # An apply of the bad file writes nothing and returns the same report.
    response = await post_import(client, "people", data, dry_run=False)
    assert response.status_code == 422
    rejected = response.json()
    assert rejected["code"] == "import_rejected"
    assert {e["row"] for e in rejected["details"]["report"]["errors"]} == set(expected)
    assert await event_count(client) == base

    # Fixed, it applies in one go.
    fixed = to_csv(PEOPLE_HEADER, good)
    assert (await post_import(client, "people", fixed, dry_run=True)).json()["ok"] is True
    started = time.perf_counter()
    response = await post_import(client, "people", fixed, dry_run=False)
    apply_seconds = time.perf_counter() - started
    assert response.status_code == 200, response.text
    applied = response.json()
    # Each enrolment is two events: the public enrolment and the profile on the internal topic.
    assert applied["ok"] and applied["applied"] and applied["new"] == 5000 and applied["events_written"] == 10000
    assert await event_count(client) == base + 10000
    print(f"\n5,000 people: dry run {dry_seconds:.1f} s, apply {apply_seconds:.1f} s, "
          f"server phases {applied['elapsed_ms']}")
    assert apply_seconds < 60

    # Again: nothing changes.
    started = time.perf_counter()
    response = await post_import(client, "people", fixed, dry_run=False)
    again = response.json()
    assert response.status_code == 200 and again["unchanged"] == 5000 and again["new"] == 0
    assert again["events_written"] == 0
    assert await event_count(client) == base + 10000
    print(f"re-import: {time.perf_counter() - started:.1f} s")
    again_units = await import_units(client)
    assert again_units["unchanged"] == 10 and again_units["events_written"] == 0

    # The headcounts are the file's.
    expected_counts = Counter(row[6] for row in good)
    counts = (await client.get("/headcounts", params={"year": THIS_YEAR})).json()
    assert {u["code"]: u["headcount"] for u in counts["units"] if u["headcount"]} == dict(expected_counts)
    assert counts["total"] == 5000
    whole = (await client.get("/headcounts", params={"year": THIS_YEAR, "unit_id": "BCT",
                                                      "include_subunits": "true"})).json()
    assert whole["total"] == 5000
    record = (await client.get("/people/CB00001")).json()
    assert record["full_name"] == good[0][2] and record["unit_id"] == good[0][6].lower()  # the code as id, canonical (kernel.ids)

    # Every enrolment reached Kafka.
    records = await consume(settings.kafka_bootstrap_servers, [settings.topic_prefix + "tdkt.units.events"],
                            expected=5010, timeout=60)
    assert Counter(dict(r.headers)["ce_type"].decode() for r in records) == {
        "vn.tdkt.units.person.enrolled": 5000, "vn.tdkt.units.unit.established": 10}


async def test_a_small_excel_workbook(client: httpx.AsyncClient) -> None:
    await import_units(client)
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["DANH SÁCH CÁN BỘ, CÔNG CHỨC VỤ TỔ CHỨC CÁN BỘ"])
    ws.append([])
    ws.append(["STT", "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào ngành", "Mã đơn vị", "Chức vụ",
               "Loại cán bộ", "Đoàn viên công đoàn", "Ngày về đơn vị"])
    ws.append([1, 10001, "Nguyễn Thị Hương", "Nữ", datetime(1985, 4, 12), datetime(2008, 9, 1), "VTCCB",
               "Chuyên viên chính", "Công chức", "x", datetime(2010, 3, 1)])
    ws.append([2, 10002, "Trần Văn Minh", "Nam", "12/13/1985", datetime(2009, 9, 1), "VTCCB", "Chuyên viên",
               "Công chức", None, None])
    ws.append([3, 10003, "Hoàng Thị Yến", "Nữ", "05/06/1990", "01/08/2014", "vtdkt", "Chuyên viên",
               "Viên chức", "Có", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    response = await post_import(client, "people", buffer.getvalue(), dry_run=True, headers=XLSX)
    report = response.json()
    assert report["format"] == "xlsx" and report["sheet"] == "Danh sách" and report["header_row"] == 3
    assert [(e["row"], e["column"], e["code"]) for e in report["errors"]] == [(5, "Ngày sinh", "invalid_date")]

    ws["E5"] = datetime(1985, 12, 13)
    buffer = io.BytesIO()
    wb.save(buffer)
    response = await post_import(client, "people", buffer.getvalue(), dry_run=False, headers=XLSX)
    assert response.status_code == 200 and response.json()["new"] == 3, response.text
    huong = (await client.get("/people/10001")).json()
    assert huong["units"][0]["start"] == "2010-03-01" and huong["union_member"] is True
    assert (await client.get("/people/10003")).json()["unit_id"] == "vtdkt"  # code, any case; the id canonical


async def test_past_grades_and_units_files(client: httpx.AsyncClient) -> None:
    await import_units(client)
    people = staff_list(20, seed=7)
    assert (await post_import(client, "people", to_csv(PEOPLE_HEADER, people), dry_run=False)).status_code == 200
    header = ["Mã cán bộ", "Họ và tên", "Năm", "Xếp loại", "Số quyết định"]
    rows = [[p[1], p[2], 2024, "Hoàn thành tốt nhiệm vụ", "25/QĐ-BCT"] for p in people]
    rows += [["VTCCB", "", 2024, "HTXS", ""]]  # a unit's grade needs the Đối tượng column: refused below
    rows += [[people[0][1], people[0][2], THIS_YEAR + 1, "HTXS", ""]]
    rows += [[people[1][1], "Tên Khác Hẳn", 2023, "HT", ""]]
    report = (await post_import(client, "grades", to_csv(header, rows), dry_run=True)).json()
    assert {(e["row"], e["code"]) for e in report["errors"]} == {
        (22, "person_not_found"), (23, "grade_future_year"), (24, "name_mismatch")}
    before = await event_count(client)
    assert (await post_import(client, "grades", to_csv(header, rows), dry_run=False)).status_code == 422
    assert await event_count(client) == before

    units = [["Tập thể", "VTCCB", 2024, "HTXS"], ["Tập thể", "VTDKT", 2024, "HTT"]]
    good = to_csv(header, rows[:20])
    response = await post_import(client, "grades", good, dry_run=False)
    assert response.status_code == 200 and response.json()["new"] == 20
    response = await post_import(client, "grades", to_csv(["Đối tượng", "Mã đơn vị", "Năm", "Xếp loại"], units),
                                 dry_run=False)
    assert response.status_code == 200 and response.json()["new"] == 2
    assert (await post_import(client, "grades", good, dry_run=False)).json()["unchanged"] == 20

    grades = (await client.get("/grades", params={"year": 2024})).json()
    assert grades["totals"]["counts"]["HTT"] == 20
    assert {r["code"]: r["unit_grade"] for r in grades["units"] if r["unit_grade"]} == {"VTCCB": "HTXS",
                                                                                        "VTDKT": "HTT"}
    # A conflicting re-import is an error, not an overwrite: corrections carry a reason.
    changed = to_csv(header, [[people[0][1], people[0][2], 2024, "HT", ""]])
    report = (await post_import(client, "grades", changed, dry_run=True)).json()
    assert [e["code"] for e in report["errors"]] == ["grade_exists"]

    # A units file with a cycle and a child of a bad row.
    units_file = to_csv(UNITS_HEADER, [
        ["P-A", "Phòng A", "Phòng", "P-B", "01/01/2021", ""],
        ["P-B", "Phòng B", "Phòng", "P-A", "01/01/2021", ""],
        ["P-C", "Phòng C", "Phòng", "VTCCB", "31/12/2099", ""],
        ["P-D", "Phòng D", "Phòng", "P-C", "01/01/2022", ""],
    ])
    report = (await post_import(client, "units", units_file, dry_run=True)).json()
    assert {(e["row"], e["code"]) for e in report["errors"]} == {
        (2, "move_creates_cycle"), (3, "move_creates_cycle"), (4, "date_in_future"), (5, "parent_row_invalid")}


async def test_unreadable_files(client: httpx.AsyncClient) -> None:
    response = await post_import(client, "people", b"\x89PNG...", dry_run=True, headers={"content-type": "image/png"})
    assert response.status_code == 415 and response.json()["code"] == "unsupported_format"
    response = await post_import(client, "people", b"PK\x03\x04broken", dry_run=True, headers=XLSX)
    assert response.status_code == 422 and response.json()["code"] == "invalid_file"
    response = await post_import(client, "people", "Tên,Tuổi\nAn,3\n".encode(), dry_run=True)
    assert response.status_code == 422 and response.json()["code"] == "invalid_file"
    report = (await post_import(client, "people", "Mã cán bộ,Họ và tên\nP1,An\n".encode(), dry_run=True)).json()
    assert {e["code"] for e in report["errors"]} == {"missing_column"} and report["header_row"] == 1
    # JSON rows work too.
    await import_units(client)
    rows = [{"person_id": "P1", "full_name": "Nguyễn Văn An", "sex": "male", "date_of_birth": "1990-01-01",
             "sector_joined_on": "2015-01-01", "unit_id": "VTCCB", "position": "Chuyên viên",
             "staff_category": "cong_chuc", "union_member": True}]
    response = await client.post("/imports/people", json=rows)
    assert response.status_code == 200 and response.json()["new"] == 1, response.text
