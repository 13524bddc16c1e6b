"""The draft decision, the decision and the certificates open with python-docx and name every recipient."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import httpx
import pytest
from docx import Document
from pypdf import PdfReader

from kernel.eventstore import EventStore
from services.awards.workflow import docx_text

from ..awards.support import Publisher, confer, enrol, grade, initiative, unit, unit_grade
from .support import grant, nomination, nominee, ok

pytestmark = pytest.mark.integration

VTCCB, PHONG, KH = "u-vtccb", "u-vtccb-th", "u-vtccb-kh"
AWARD = "Bằng khen của Bộ trưởng Bộ Công Thương"
NUMBER = "1520/QĐ-BCT"
NAMES = ["Lê Thị Ánh Tuyết", "Đặng Quốc Hưng", "Phòng Tổng hợp"]


async def _docx(client: httpx.AsyncClient, path: str, **params: object) -> str:
    response = await client.get(path, params=params)
    assert response.status_code == 200, (path, response.text)
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert "attachment" in response.headers["content-disposition"]
    Document(io.BytesIO(response.content))  # opens with python-docx
    text = docx_text(response.content)
    assert unicodedata.is_normalized("NFC", text)
    return text


async def test_draft_decision_decision_and_certificates(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(PHONG, "VTCCB-TH", "Phòng Tổng hợp", kind="phong", parent_id=VTCCB),
        enrol("p-tuyet", "Lê Thị Ánh Tuyết", VTCCB, sex="female", position="Phó Vụ trưởng"),
        enrol("p-hung", "Đặng Quốc Hưng", PHONG),
        unit_grade(PHONG, 2023, "HTXS"),
        unit_grade(PHONG, 2024, "HTXS"),
    )
    await publish.settled(client)
    for person, name, unit_id in (("p-tuyet", NAMES[0], VTCCB), ("p-hung", NAMES[1], PHONG)):
        for year in (2023, 2024):
            await confer(client, f"a-{year}-cstdcs-{person}", "CSTDCS", year, person, name, unit_id=unit_id)
    submitted = await ok(client, "/nominations", nomination(
        "n-2024-bkbt", "BK_BT", 2024, VTCCB,
        [nominee("c-1", "p-tuyet"), nominee("c-2", "p-hung"), nominee("c-3", PHONG, "collective")],
        submitted_on=date(2024, 12, 5)))
    assert submitted["eligible"] == ["c-1", "c-2", "c-3"]

    draft = await _docx(client, "/nominations/n-2024-bkbt/draft-decision.docx")
    assert "DỰ THẢO" in draft and AWARD in draft and "QUYẾT ĐỊNH" in draft
    assert "Bà Lê Thị Ánh Tuyết" in draft and "Phó Vụ trưởng, Vụ Tổ chức cán bộ" in draft
    assert "Ông Đặng Quốc Hưng" in draft and all(name in draft for name in NAMES)
    assert "02 cá nhân và 01 tập thể" in draft
    draft_pdf = await client.get("/nominations/n-2024-bkbt/draft-decision.pdf")
    assert draft_pdf.status_code == 200 and draft_pdf.content.startswith(b"%PDF"), draft_pdf.text[:300]
    assert "DỰ THẢO" in unicodedata.normalize("NFC", PdfReader(io.BytesIO(draft_pdf.content)).pages[0].extract_text())
    only_one = await _docx(client, "/nominations/n-2024-bkbt/draft-decision.docx", candidate_id="c-2")
    assert NAMES[1] in only_one and NAMES[0] not in only_one

    await ok(client, "/nominations/n-2024-bkbt/grants", grant(["c-1", "c-2", "c-3"], NUMBER, date(2024, 12, 20)))
    response = await client.get("/nominations/n-2024-bkbt/draft-decision.docx")
    assert response.status_code == 422 and response.json()["code"] == "nothing_to_decide"

    decision = await _docx(client, f"/decisions/{NUMBER}/decision.docx")
    assert f"Số: {NUMBER}" in decision and "DỰ THẢO" not in decision and AWARD in decision
    assert all(name in decision for name in NAMES) and "Nguyễn Hồng Diên" in decision
    assert decision.index("Đặng Quốc Hưng") < decision.index("Lê Thị Ánh Tuyết")  # by given name: Hưng, Tuyết

    certificates = await _docx(client, f"/decisions/{NUMBER}/certificates.docx")
    for name in NAMES:
        assert name in certificates
    assert certificates.count(NUMBER) == 3 and certificates.count(AWARD) == 3 and "BẰNG KHEN" in certificates
    assert "Bà Lê Thị Ánh Tuyết" in certificates

    candidates = (await ok(client, "/nominations/n-2024-bkbt", status=200, method="get"))["candidates"]
    award_id = next(c for c in candidates if c["candidate_id"] == "c-2")["decision"]["award_id"]
    # The events carry each person's category for forms 0602/0603, from the post on the decision's day.
    async with client.service.running_pool().acquire() as conn:  # type: ignore[attr-defined]
        categories = {c["candidate_id"]: (await EventStore.read_stream(conn, c["decision"]["award_id"]))[0]
                      .payload["recipient"].get("person_category") for c in candidates}
    assert categories == {"c-1": "lanh_dao_vu", "c-2": "truc_tiep", "c-3": None}, categories
    one = await _docx(client, f"/awards/{award_id}/certificate.docx")
    assert "Ông Đặng Quốc Hưng" in one and NUMBER in one and NAMES[0] not in one

    response = await client.get("/decisions/9999/QĐ-BCT/certificates.docx")
    assert response.status_code == 404 and response.json()["code"] == "decision_not_found"


async def test_a_number_used_again_next_year_names_two_decisions(client: httpx.AsyncClient, publish: Publisher) -> None:
    """Numbers restart every year: 1520/QĐ-BCT of 2023 and of 2024 are two decisions, each reached by its
    issuer, year and number; the number alone is ambiguous and says where each one is."""
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        unit(PHONG, "VTCCB-TH", "Phòng Tổng hợp", kind="phong", parent_id=VTCCB),
        unit(KH, "VTCCB-KH", "Phòng Kế hoạch", kind="phong", parent_id=VTCCB),
        unit_grade(KH, 2022, "HTXS"), unit_grade(KH, 2023, "HTXS"),
        unit_grade(PHONG, 2023, "HTXS"), unit_grade(PHONG, 2024, "HTXS"),
    )
    await publish.settled(client)
    for year, subject in ((2023, KH), (2024, PHONG)):
        nomination_id = f"n-{year}-bkbt"
        await ok(client, "/nominations", nomination(nomination_id, "BK_BT", year, VTCCB,
                                                    [nominee("c-1", subject, "collective")],
                                                    submitted_on=date(year, 12, 5)))
        await ok(client, f"/nominations/{nomination_id}/grants", grant(["c-1"], NUMBER, date(year, 12, 20)))

    response = await client.get(f"/decisions/{NUMBER}/decision.docx")
    assert response.status_code == 422 and response.json()["code"] == "decision_ambiguous", response.text
    assert response.json()["details"]["paths"] == ["/decisions/BCT/2023/1520", "/decisions/BCT/2024/1520"]

    listed = {d["year"]: d for year in (2023, 2024)
              for d in (await ok(client, f"/decisions?year={year}", status=200, method="get"))}
    assert {y: (d["issuer"], d["number"], d["decision_number"]) for y, d in listed.items()} == {
        2023: ("BCT", "1520", NUMBER), 2024: ("BCT", "1520", NUMBER)}
    for year, (present, absent) in {2023: ("Phòng Kế hoạch", "Phòng Tổng hợp"),
                                    2024: ("Phòng Tổng hợp", "Phòng Kế hoạch")}.items():
        decision = await _docx(client, f"{listed[year]['path']}/decision.docx")
        assert f"Số: {NUMBER}" in decision and f"năm {year}" in decision
        assert present in decision and absent not in decision
        pdf = await client.get(f"{listed[year]['path']}/decision.pdf")
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf", pdf.text[:300]
        text = unicodedata.normalize("NFC", "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages))
        assert f"Số: {NUMBER}" in text and present in text and absent not in text
        certificates = await _docx(client, f"{listed[year]['path']}/certificates.docx")
        assert present in certificates and absent not in certificates
        award_id = (await ok(client, f"/nominations/n-{year}-bkbt", status=200, method="get")
                    )["candidates"][0]["decision"]["award_id"]
        one = await _docx(client, f"/awards/{award_id}/certificate.docx")  # never ambiguous: the award's year
        assert present in one and absent not in one

    response = await client.get("/decisions/BCT/2022/1520/decision.docx")
    assert response.status_code == 404 and response.json()["code"] == "decision_not_found"
    response = await client.get("/decisions/B CT/2023/1520/decision.docx")
    assert response.status_code == 422 and response.json()["code"] == "invalid_request", response.text


async def test_a_unit_heads_title_is_issued_by_the_unit(client: httpx.AsyncClient, publish: Publisher) -> None:
    await publish.send(
        unit(VTCCB, "VTCCB", "Vụ Tổ chức cán bộ", parent_id=None),
        enrol("p-an", "Nguyễn Văn An", VTCCB),
        grade("p-an", 2023, "HTXS", VTCCB),
        initiative("sk-cs-2023-an", 2023, ["p-an"], VTCCB),
    )
    await publish.settled(client)
    await ok(client, "/nominations", nomination("n-2023-cstdcs", "CSTDCS", 2023, VTCCB, [nominee("c-1", "p-an")],
                                                submitted_on=date(2023, 12, 4)))
    draft = await _docx(client, "/nominations/n-2023-cstdcs/draft-decision.docx")
    assert "VỤ TRƯỞNG VỤ TỔ CHỨC CÁN BỘ" in draft and "/QĐ-VTCCB" in draft and "Nguyễn Văn An" in draft
    # 3,500 copies of one candidate id are one candidate (not 3,500 annex rows); 1,001 distinct ids are refused.
    repeated = await _docx(client, "/nominations/n-2023-cstdcs/draft-decision.docx", candidate_id=["c-1"] * 3500)
    assert repeated.count("Nguyễn Văn An") == draft.count("Nguyễn Văn An")
    response = await client.get("/nominations/n-2023-cstdcs/draft-decision.docx",
                                params={"candidate_id": [f"c-{i}" for i in range(1001)]})
    assert response.status_code == 422 and response.json()["code"] == "too_many_values", response.text[:300]
    await ok(client, "/nominations/n-2023-cstdcs/grants", grant(
        ["c-1"], "25/QĐ-VTCCB", date(2023, 12, 20), authority="unit_head", signer="Vụ trưởng Hoàng Văn Bình"))
    certificate = await _docx(client, "/decisions/25/QĐ-VTCCB/certificates.docx")
    assert "Nguyễn Văn An" in certificate and "CHIẾN SĨ THI ĐUA CƠ SỞ" in certificate and "25/QĐ-VTCCB" in certificate
    assert "Hoàng Văn Bình" in certificate
