"""Certificates on pre-printed blanks through the API: the office records a blank's layout (reference data),
the calibration page draws it, and a decision's certificates print one page per recipient at its positions."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import httpx
import pytest
from pypdf import PdfReader

from kernel.auth import Role

from ..awards.support import Publisher, unit, unit_grade
from .support import grant, nomination, nominee, ok

pytestmark = pytest.mark.integration

MM = 72 / 25.4
VTCCB = "u-vtccb"
PHONGS = {"u-vtccb-kh": "Phòng Kế hoạch", "u-vtccb-th": "Phòng Tổng hợp", "u-vtccb-dt": "Phòng Đào tạo"}
LAYOUT = {"fields": {
    "recipient_name": {"x_mm": 60, "y_mm": 95, "width_mm": 180, "height_mm": 12, "size_pt": 22, "bold": True,
                       "align": "left"},
    "decision": {"x_mm": 25, "y_mm": 162, "width_mm": 120, "height_mm": 7, "size_pt": 12, "align": "left"},
}}


def _runs(page) -> list[tuple[str, float, float]]:  # type: ignore[no-untyped-def]
    height, found = float(page.mediabox.height), []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            found.append((unicodedata.normalize("NFC", text.strip()), (tm[4] * cm[0] + cm[4]) / MM,
                          (height - tm[5] * cm[3] - cm[5]) / MM))

    page.extract_text(visitor_text=visit)
    return found


async def test_a_layout_recorded_by_the_office_places_every_certificate(
        client: httpx.AsyncClient, publish: Publisher, auth_keys) -> None:  # type: ignore[no-untyped-def]
    await publish.send(unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
                       *(unit(u, u.upper(), name, kind="phong", parent_id=VTCCB) for u, name in PHONGS.items()),
                       *(unit_grade(u, y, "HTXS") for u in PHONGS for y in (2022, 2023)))
    await publish.settled(client)
    await ok(client, "/nominations", nomination("n-2023-bkbt", "BK_BT", 2023, VTCCB,
                                                [nominee(f"c-{i}", u, "collective") for i, u in enumerate(PHONGS)],
                                                submitted_on=date(2023, 12, 5)))
    await ok(client, "/nominations/n-2023-bkbt/grants", grant([f"c-{i}" for i in range(3)], "1520/QĐ-BCT",
                                                             date(2023, 12, 20)))

    default = await ok(client, "/certificate-layouts/BK_BT/BCT", status=200, method="get")
    assert default["default"] is True and "recipient_name" in default["layout"]["fields"]
    officer = auth_keys.headers(Role.UNIT_OFFICER.value, subject="officer-vtccb", unit_id=VTCCB)
    refused = await client.put("/certificate-layouts/BK_BT/BCT", json=LAYOUT, headers=officer)
    assert refused.status_code == 403, refused.text
    office = auth_keys.headers(Role.EMULATION_OFFICE.value, subject="office-tdkt")
    recorded = await client.put("/certificate-layouts/BK_BT/BCT", json=LAYOUT, headers=office)
    assert recorded.status_code == 200 and recorded.json()["default"] is False, recorded.text
    off_page = {"fields": {"recipient_name": {**LAYOUT["fields"]["recipient_name"], "x_mm": 250}}}
    bad = await client.put("/certificate-layouts/BK_BT/BCT", json=off_page, headers=office)
    assert bad.status_code == 422, bad.text
    assert (await ok(client, "/certificate-layouts/BK_BT/BCT", status=200, method="get"))["layout"]["fields"][
        "recipient_name"]["x_mm"] == 60  # the refused one changed nothing

    calibration = await client.get("/certificate-layouts/BK_BT/BCT/calibration.pdf")
    assert calibration.status_code == 200 and "recipient_name" in PdfReader(io.BytesIO(calibration.content)).pages[0]\
        .extract_text()

    response = await client.get("/decisions/BCT/2023/1520/certificates.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf", response.text
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 3
    printed = []
    for page in pages:
        runs = _runs(page)
        name = next(r for r in runs if r[0] in PHONGS.values())
        assert abs(name[1] - 61) < 1.5 and 95 < name[2] < 107, name  # the box's x (+1 mm cell margin), inside it
        decision = next(r for r in runs if r[0].startswith("Quyết định số 1520/QĐ-BCT"))
        assert abs(decision[1] - 26) < 1.5 and 162 < decision[2] < 169, decision
        assert not any(r[0].startswith("Số sổ vàng") for r in runs)  # not in this layout: not printed
        printed.append(name[0])
    assert sorted(printed) == sorted(PHONGS.values())

    award_id = (await ok(client, "/nominations/n-2023-bkbt", status=200, method="get"))["candidates"][0][
        "decision"]["award_id"]
    one = PdfReader(io.BytesIO((await client.get(f"/awards/{award_id}/certificate.pdf")).content)).pages
    assert len(one) == 1 and "Phòng Kế hoạch" in unicodedata.normalize("NFC", one[0].extract_text())
