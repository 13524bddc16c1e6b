"""The statistical forms of TT 02/2023/TT-BNV from the real scenario (Kafka → read models → HTTP), as JSON and
as XLSX read back with openpyxl."""

from __future__ import annotations

import io

import httpx
import openpyxl
import pytest

from .test_reporting_exports import filename_of

pytestmark = pytest.mark.integration


def cells(form: dict) -> dict[str, dict[str, int | None]]:
    return {r["code"]: r["values"] for r in form["rows"] if r["code"]}


async def test_the_forms_of_2024_from_the_scenario(loaded: httpx.AsyncClient) -> None:
    forms = {}
    for code in ("0601", "0602", "0603", "0604", "0605"):
        response = await loaded.get(f"/forms/{code}/2024")
        assert response.status_code == 200, response.text
        forms[code] = response.json()
        assert forms[code]["sums_ok"] is True and forms[code]["reporting_body"] == "Bộ Công Thương"
    movements = cells(forms["0601"])
    assert movements["01"] == {"c1": 1, "c2": 0, "c3": 1, "c4": 0}
    assert (movements["03"]["c3"], movements["08"]["c3"], movements["11"]["c3"]) == (1, 1, 1)
    state = cells(forms["0602"])  # the Prime Minister's Bằng khen conferred on Lê Thị Thu Hà
    assert state["1"]["c1"] == 1 and state["1"]["bk_ttg.individual"] == 1
    # Its event carries the category (merit: thường xuyên), neither the person's category nor the tờ trình's body.
    assert (state["9"]["c1"], state["14.NC"]["c1"], state["3.NC"]["c1"], state["15"]["c1"]) == (1, 1, 1, 1)
    ministry = cells(forms["0603"])  # BK_BT 2 collectives + 2 people, CSTD_BO 2 (one revoked later), KNC_CT 1
    assert ministry["01"] == {"c1": 7, "c2": 4, "c3": 2, "c4": 0, "c5": 1}
    assert (ministry["02"]["c1"], ministry["05"]["c1"], ministry["11"]["c1"], ministry["17.NC"]["c1"]) == (2, 5, 7, 0)
    # The two collectives are a Phòng and a Khoa (kind phong in the tree): not enterprises, and classified.
    assert (ministry["03"]["c1"], ministry["03.NC"]["c1"]) == (0, 0)
    assert forms["0604"]["recorded"] is False and cells(forms["0604"])["01"] == {"c1": None}
    assert "as_of" in forms["0603"]


async def test_a_form_as_xlsx_and_the_refusals(loaded: httpx.AsyncClient) -> None:
    response = await loaded.get("/forms/0603/2024", params={"format": "xlsx", "reporting_body": "Bộ Công Thương"})
    assert response.status_code == 200, response.text
    assert filename_of(response) == "Biểu 0603.N-BNV-TĐKT năm 2024.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Biểu số: 0603.N/BNV-TĐKT" and "Đơn vị báo cáo: Bộ Công Thương" in rows[0]
    total = next(r for r in rows if r[1] == "01")
    assert total[0] == "Tổng số" and total[3:8] == (7, 4, 2, 0, 1)
    assert sheet.page_setup.orientation == "portrait" and sheet.print_title_rows == "$8:$9"
    wide = openpyxl.load_workbook(io.BytesIO((await loaded.get("/forms/0602/2024", params={"format": "xlsx"}))
                                             .content)).active
    assert wide.page_setup.orientation == "landscape"
    for path, code in (("/forms/0607/2024", "unknown_form"), ("/forms/0601/1999", "year_out_of_range")):
        refused = await loaded.get(path)
        assert refused.status_code == 422 and refused.json()["code"] == code, refused.text
    assert (await loaded.get("/forms/0601/2024", params={"format": "csv"})).status_code == 422
