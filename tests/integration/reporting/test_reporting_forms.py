"""The statistical forms of TT 02/2023/TT-BNV from the real scenario (Kafka → read models → HTTP), as JSON and
as XLSX read back with openpyxl."""

from __future__ import annotations

import io

import httpx
import openpyxl
import pypdf
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
    pdf = await loaded.get("/forms/0602/2024", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf", pdf.text
    assert filename_of(pdf) == "Biểu 0602.N-BNV-TĐKT năm 2024.pdf"
    page = pypdf.PdfReader(io.BytesIO(pdf.content)).pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (842, 595)  # A4 landscape
    assert "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC" in page.extract_text()
    for path, code in (("/forms/0607/2024", "unknown_form"), ("/forms/0601/1999", "year_out_of_range")):
        refused = await loaded.get(path)
        assert refused.status_code == 422 and refused.json()["code"] == code, refused.text
    assert (await loaded.get("/forms/0601/2024", params={"format": "csv"})).status_code == 422


STAFF = [
    {"sex": "female", "birth_year": 1990, "education": "dai_hoc", "in_field_since": 2015},
    {"sex": "male", "birth_year": 1970, "education": "tren_dai_hoc", "in_field_since": 2000},
    {"sex": "female", "birth_year": 1962, "education": None, "in_field_since": 2021},
]


async def test_the_office_records_its_reference_data_for_0604_and_0605(loaded: httpx.AsyncClient) -> None:
    assert (await loaded.get("/forms/0605/2024/reference")).status_code == 404
    put = await loaded.put("/forms/0604/2024/reference", json={"units": {"02": 1, "03": 2}})
    assert put.status_code == 200, put.text
    units = cells((await loaded.get("/forms/0604/2024")).json())
    assert (units["01"]["c1"], units["02"]["c1"], units["03"]["c1"], units["05"]["c1"]) == (3, 1, 2, 0)
    assert (await loaded.put("/forms/0605/2024/reference", json={"civil_servants": STAFF})).status_code == 200
    form = (await loaded.get("/forms/0605/2024")).json()
    staff = cells(form)
    assert form["recorded"] is True and form["sums_ok"] is True
    assert staff["01"] == {"c1": 3, "c2": 2}
    # Ages on 31/12/2024: 34, 54, 62; in the field 9, 24, 3 years.
    assert (staff["03"]["c1"], staff["05"]["c1"], staff["07"]["c2"]) == (1, 1, 1)
    assert (staff["11"]["c2"], staff["12"]["c1"], staff["12.NC"]["c1"]) == (1, 1, 1)
    assert (staff["13"]["c1"], staff["14"]["c1"], staff["15"]["c1"]) == (1, 1, 1)
    # Bad input is refused with what is wrong, and changes nothing.
    for form_code, body in (("0604", {"units": {"02": -1}}), ("0604", {"units": {"09": 1}}),
                            ("0605", {"civil_servants": [{**STAFF[0], "birth_year": 2030}]}),
                            ("0605", {"civil_servants": [{**STAFF[0], "name": "Nguyễn Thị Hương"}]})):
        refused = await loaded.put(f"/forms/{form_code}/2024/reference", json=body)
        assert refused.status_code == 422 and refused.json()["code"] == "invalid_reference_data", refused.text
        assert refused.json()["details"]["problems"]
    assert cells((await loaded.get("/forms/0604/2024")).json())["01"]["c1"] == 3
    assert (await loaded.get("/forms/0605/2024/reference")).json()["body"]["civil_servants"][2]["education"] is None
    wrong = await loaded.put("/forms/0601/2024/reference", json={})
    assert wrong.status_code == 422 and wrong.json()["code"] == "not_a_reference_form"
