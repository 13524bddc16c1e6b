"""Exports of the lists to CSV and XLSX through the API, read back with csv and openpyxl."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import httpx
import openpyxl
import pytest

from kernel.collation import vietnamese_key

pytestmark = pytest.mark.integration


def filename_of(response: httpx.Response) -> str:
    header = response.headers["content-disposition"]
    assert header.isascii() and header.startswith("attachment; filename=\"")
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def read_csv(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response: httpx.Response) -> list[tuple]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].endswith("spreadsheetml.sheet")
    return list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


async def test_award_statistics_export_to_csv_and_xlsx_with_vietnamese_intact(loaded: httpx.AsyncClient) -> None:
    params = {"year": 2024, "group_by": "year,award_code,recipient_kind,unit_id,authority",
              "sort": "award_code,unit_id"}
    response = await loaded.get("/statistics/awards", params={**params, "format": "csv"})
    rows = read_csv(response)
    assert filename_of(response) == "Thống kê khen thưởng năm 2024.csv"
    assert rows[0] == ["Năm", "Mã", "Danh hiệu / Hình thức", "Cá nhân / Tập thể", "Đơn vị", "Cấp quyết định",
                       "Số lượng", "Bị thu hồi"]
    assert ["2024", "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương", "Tập thể", "Khoa Điện", "Bộ trưởng", "1",
            "0"] in rows
    assert ["2024", "KNC_GD", "Kỷ niệm chương “Vì sự nghiệp giáo dục”", "Cá nhân",
            "Trường Đại học Công nghiệp Hà Nội", "Bộ, ngành khác", "1", "0"] in rows
    assert len(rows) == 1 + 13  # every row, not a page
    assert response.headers["x-read-model"] == "award_stats" and response.headers["x-last-event-at"]

    response = await loaded.get("/statistics/awards", params={**params, "format": "xlsx", "limit": 1})
    sheet = read_xlsx(response)
    assert filename_of(response) == "Thống kê khen thưởng năm 2024.xlsx"
    assert sheet[0] == ("Năm", "Mã", "Danh hiệu / Hình thức", "Cá nhân / Tập thể", "Đơn vị", "Cấp quyết định",
                        "Số lượng", "Bị thu hồi")
    assert (2024, "CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", "Cá nhân", "Phòng Khen thưởng", "Bộ trưởng", 1,
            0) in sheet
    assert len(sheet) == 14
    assert [tuple(r) for r in rows[1:]] == [tuple("" if v is None else str(v) for v in r) for r in sheet[1:]]


async def test_every_list_exports(loaded: httpx.AsyncClient) -> None:
    awards = read_xlsx(await loaded.get("/awards", params={"year": 2024, "format": "xlsx", "sort": "display_name"}))
    assert awards[0][:4] == ("Năm", "Họ và tên / Tên tập thể", "Cá nhân / Tập thể", "Đơn vị")
    names = {r[1] for r in awards[1:]}
    assert {"Nguyễn Thị Hương", "Lê Thị Thu Hà", "Hoàng Minh Tuấn", "Vụ Thi đua – Khen thưởng và Truyền thông"} <= names
    # Sorted by name in Vietnamese order (letters, then tones), which here is not code-point order.
    in_order = [r[1] for r in awards[1:]]
    assert in_order == sorted(in_order, key=vietnamese_key) != sorted(in_order)
    revoked = next(r for r in awards if r[1] == "Hoàng Minh Tuấn" and r[4] == "Chiến sĩ thi đua Bộ Công Thương")
    assert revoked[-1] == "Có"

    person = await loaded.get("/people/p-003/awards", params={"format": "csv"})
    assert filename_of(person) == "Khen thưởng cá nhân p-003.csv" and len(read_csv(person)) == 4

    units = read_csv(await loaded.get("/units", params={"year": 2024, "format": "csv"}))
    assert units[0] == ["Mã đơn vị", "Tên đơn vị", "Cấp", "Trạng thái", "Số người (đơn vị)",
                        "Số người (cả đơn vị trực thuộc)"]
    assert ["VTDKT", "    Vụ Thi đua – Khen thưởng và Truyền thông", "1", "Đang hoạt động", "0", "2"] in units

    movements = read_xlsx(await loaded.get("/movements", params={"format": "xlsx"}))
    assert movements[1][1] == "Cán bộ, công chức, viên chức Bộ Công Thương thi đua thực hiện văn hóa công sở"
    assert movements[1][2] == "Bộ" and movements[1][7:10] == (2, 3, 3)

    targets = read_csv(await loaded.get("/targets", params={"format": "csv"}))
    assert ["2024", "ct-cb", "pt-2024-vhcs",
            "95% cán bộ, công chức, viên chức và người lao động hoàn thành tốt nhiệm vụ trở lên",
            "Tỷ lệ cán bộ, công chức, viên chức, người lao động hoàn thành tốt nhiệm vụ trở lên", "95.0", "1843",
            "1950", "94.51", "Không", "Không đạt"] in targets

    registrations = read_xlsx(await loaded.get("/registrations", params={"format": "xlsx", "status": "submitted"}))
    assert {r[2] for r in registrations[1:]} == {"Vụ Tổ chức cán bộ", "Phòng Khen thưởng"}
    assert ("TTLDXS, CO_TD_BO" in {r[3] for r in registrations[1:]})

    pledges = read_csv(await loaded.get("/pledges", params={"format": "csv"}))
    assert pledges[1][:4] == ["2024", "Giao ước thi đua năm 2024", "Lãnh đạo Bộ Công Thương; Công đoàn Bộ Công Thương",
                              "2024-01-26"]


async def test_the_statistical_report_exports(loaded: httpx.AsyncClient) -> None:
    response = await loaded.get("/reports/annual/2024", params={"format": "xlsx"})
    sheet = read_xlsx(response)
    assert filename_of(response) == "Báo cáo thống kê thi đua khen thưởng năm 2024.xlsx"
    assert sheet[0][0] == "BÁO CÁO THỐNG KÊ SỐ LƯỢNG THI ĐUA, KHEN THƯỞNG NĂM 2024"
    labels = {r[1]: r for r in sheet if r and len(r) > 1}
    assert labels["Cộng phần A"][3:8] == (2, 6, 0, 8, 1)  # tập thể, cá nhân, hộ gia đình, tổng, thu hồi
    assert labels["Cộng phần B"][3:7] == (1, 4, 0, 5)
    assert labels["Cộng phần C"][3:7] == (0, 1, 0, 1)
    assert labels["Kỷ niệm chương “Vì sự nghiệp giáo dục”"][2] == "Bộ, ngành khác (Bộ Giáo dục và Đào tạo)"
    rows = read_csv(await loaded.get("/reports/annual/2024", params={"format": "csv"}))
    assert rows[0] == ["STT", "Danh hiệu / Hình thức", "Cấp quyết định", "Tập thể", "Cá nhân", "Hộ gia đình",
                       "Tổng số", "Trong đó bị thu hồi"]
    assert ["", "Cộng phần A", "", "2", "6", "0", "8", "1"] in rows


async def test_movements_sort_by_title_in_vietnamese_order(reporting: httpx.AsyncClient, settings,  # type: ignore[no-untyped-def]
                                                           real_stack) -> None:
    """Đ comes after D and before G (code-point order puts it after every unaccented letter)."""
    from datetime import date

    from tdkt_contracts.catalogue.campaigns import MovementLaunched

    from .scenario import _p, envelopes
    from .support import expected_counts, produce, wait_applied

    titles = ["Giữ gìn kỷ cương hành chính", "Đẩy mạnh chuyển đổi số", "Dân vận khéo", "Đổi mới sáng tạo"]
    events = envelopes([
        _p(MovementLaunched, movement_id=f"pt-{i}", title=title, launched_by="bo", kind="chuyen_de",
           scope={"all_units": True, "unit_ids": []}, period_start=date(2024, 1, 1), period_end=date(2024, 12, 31),
           criteria="Thực hiện tốt.", launched_on=date(2024, 1, 10 + i))
        for i, title in enumerate(titles)
    ])
    await produce(real_stack.bootstrap_servers, settings.topic_prefix, events)
    await wait_applied(reporting.service.pool, settings.database_schema,  # type: ignore[attr-defined]
                       expected_counts(events, settings.database_schema))
    answer = (await reporting.get("/movements", params={"sort": "title"})).json()
    listed = [m["title"] for m in answer["items"]]
    assert listed == ["Dân vận khéo", "Đẩy mạnh chuyển đổi số", "Đổi mới sáng tạo", "Giữ gìn kỷ cương hành chính"]
    assert listed == sorted(titles, key=vietnamese_key) != sorted(titles)
    assert "title_key" not in answer["items"][0]
    backwards = read_csv(await reporting.get("/movements", params={"sort": "-title", "format": "csv"}))
    assert [r[1] for r in backwards[1:]] == listed[::-1]
