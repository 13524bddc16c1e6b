"""Helpers for the units service's integration tests: requests that must succeed, a
small ministry, and realistic Vietnamese staff lists for the import tests."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, timedelta
from typing import Any

import httpx

OLD_NAME = "Vụ Thi đua – Khen thưởng"
NEW_NAME = "Vụ Thi đua, Khen thưởng và Truyền thông"


async def ok(client: httpx.AsyncClient, path: str, body: dict[str, Any], status: int = 0) -> dict[str, Any]:
    """POST a command that must be accepted; return the answer."""
    response = await client.post(path, json=body)
    assert response.status_code in ((status,) if status else (200, 201)), (path, body, response.text)
    return response.json()


async def refused(
    client: httpx.AsyncClient, path: str, body: dict[str, Any], status: int, code: str
) -> dict[str, Any]:
    """POST a command that must be refused with ``status`` and ``code`` and write nothing."""
    before = await event_count(client)
    response = await client.post(path, json=body)
    assert response.status_code == status, (path, body, response.text)
    answer = response.json()
    assert answer["code"] == code, answer
    assert answer["message"] and isinstance(answer["details"], dict)
    assert await event_count(client) == before, "a refused command must write nothing"
    return answer


async def event_count(client: httpx.AsyncClient) -> int:
    async with client.service.pool.acquire() as conn:  # type: ignore[attr-defined]
        return int(await conn.fetchval("SELECT count(*) FROM events"))


def establish(unit_id: str, code: str, name: str, kind: str = "vu", parent_id: str | None = None,
              on: str = "2015-01-01") -> dict[str, Any]:
    return {"unit_id": unit_id, "code": code, "name": name, "kind": kind, "parent_id": parent_id,
            "effective_on": on}


def enrol(person_id: str, unit_id: str, name: str, *, sex: str = "female", born: str = "1985-04-12",
          joined: str = "2015-09-01", position: str = "Chuyên viên", on: str | None = None) -> dict[str, Any]:
    body = {"person_id": person_id, "full_name": name, "sex": sex, "date_of_birth": born,
            "sector_joined_on": joined, "unit_id": unit_id, "position": position, "staff_category": "cong_chuc",
            "union_member": True}
    if on:
        body["effective_on"] = on
    return body


async def ministry(client: httpx.AsyncClient) -> None:
    """Bộ Công Thương (2015) with Vụ Tổ chức cán bộ, Vụ Thi đua – Khen thưởng, and a Cục with a Phòng."""
    for body in (
        establish("u-bct", "BCT", "Bộ Công Thương", "bo"),
        establish("u-vtccb", "VTCCB", "Vụ Tổ chức cán bộ", parent_id="u-bct"),
        establish("u-vtdkt", "VTDKT", OLD_NAME, parent_id="u-bct"),
        establish("u-cuc", "CTMDT", "Cục Thương mại điện tử và Kinh tế số", "cuc", parent_id="u-bct"),
        establish("u-phong", "CTMDT-TH", "Phòng Tổng hợp", "phong", parent_id="u-cuc"),
    ):
        await ok(client, "/units", body, 201)


# --------------------------------------------------------------------------- staff lists

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Hoài", "Bảo", "Diệu", "Kim"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Xuân", "Công", "Đình"]
GIVEN_F = ["Hương", "Lan", "Mai", "Hà", "Phương", "Thảo", "Trang", "Linh", "Hằng", "Yến", "Nhung", "Ánh", "Ngân"]
GIVEN_M = ["Minh", "Huy", "Đức", "Tâm", "Hùng", "Dũng", "Tuấn", "Nam", "Khoa", "Việt", "Quang", "Sơn", "Hải"]
POSITIONS = ["Chuyên viên", "Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng", "Kế toán viên", "Văn thư"]
CATEGORIES = ["Công chức", "Công chức", "Viên chức", "Người lao động", "Cán bộ"]

PEOPLE_HEADER = ["STT", "Mã cán bộ", "Họ và tên", "Giới tính", "Ngày sinh", "Ngày vào ngành", "Mã đơn vị",
                 "Chức vụ", "Loại cán bộ", "Đoàn viên công đoàn"]

UNITS_CSV_ROWS = [
    # Children before their parents on purpose: the import orders them.
    ["CTMDT-TH", "Phòng Tổng hợp", "Phòng", "CTMDT", "01/01/2001", ""],
    ["BCT", "Bộ Công Thương", "Bộ", "", "01/01/2000", "1/QĐ-TTg"],
    ["VTCCB", "Vụ Tổ chức cán bộ", "Vụ", "BCT", "01/01/2000", ""],
    ["VTDKT", OLD_NAME, "Vụ", "BCT", "01/01/2000", ""],
    ["VPB", "Văn phòng Bộ", "Văn phòng", "BCT", "01/01/2000", ""],
    ["TTRA", "Thanh tra Bộ", "Thanh tra", "BCT", "01/01/2000", ""],
    ["CTMDT", "Cục Thương mại điện tử và Kinh tế số", "Cục", "BCT", "01/01/2000", ""],
    ["VNCCL", "Viện Nghiên cứu Chiến lược, Chính sách Công Thương", "Viện", "BCT", "01/01/2000", ""],
    ["DHCN", "Trường Đại học Công nghiệp Hà Nội", "Trường", "BCT", "01/01/2000", ""],
    ["CDBCT", "Công đoàn Bộ Công Thương", "Công đoàn", "BCT", "01/01/2000", ""],
]
UNITS_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Đơn vị cấp trên", "Ngày thành lập", "Số quyết định"]
STAFF_UNITS = ["VTCCB", "VTDKT", "VPB", "TTRA", "CTMDT", "CTMDT-TH", "VNCCL", "DHCN", "CDBCT"]


def to_csv(header: list[str], rows: list[list[Any]], delimiter: str = ",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # Excel's "CSV UTF-8" has a BOM


def staff_list(n: int, seed: int = 2024) -> list[list[Any]]:
    """``n`` plausible staff rows (as a ministry's spreadsheet would have them)."""
    rng = random.Random(seed)
    rows: list[list[Any]] = []
    for i in range(n):
        female = rng.random() < 0.52
        name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                         rng.choice(GIVEN_F if female else GIVEN_M)])
        born = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 35 * 365))
        joined = min(born + timedelta(days=rng.randrange(22 * 365, 30 * 365)), date(2024, 12, 1))
        rows.append([
            i + 1, f"CB{i + 1:05d}", name, "Nữ" if female else "Nam", born.strftime("%d/%m/%Y"),
            joined.strftime("%d/%m/%Y"), rng.choice(STAFF_UNITS), rng.choice(POSITIONS), rng.choice(CATEGORIES),
            rng.choice(["Có", "x", "Không", ""]),
        ])
    return rows
