"""Documents: the draft decision with its list of recipients and the certificates, as DOCX in Vietnamese,
read back with python-docx: every name with its diacritics, the decision number and the award name."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

import docx
import pytest
from awards_workflow_testkit import World, ballots, collective, person
from tdkt_contracts.catalogue.awards import AwardGranted, TitleConferred

from services.awards.workflow import (
    MINISTRY,
    GrantAwards,
    Issuer,
    RecipientDetails,
    decide_grant,
    decision_from_awards,
    decision_from_nomination,
    default_legal_bases,
    docx_text,
    honorific,
    render_certificate,
    render_certificates,
    render_decision,
)

YEAR = 2024
NAMES = ["Nguyễn Thị Hương", "Lê Thị Ánh Tuyết", "Đặng Quốc Hưng", "Phòng Tổng hợp"]
DETAILS = {
    "p-huong": RecipientDetails(honorific=honorific("female"), position="Chuyên viên chính", unit_name="Vụ Tổ chức cán bộ"),
    "p-tuyet": RecipientDetails(honorific="Bà", position="Phó Vụ trưởng", unit_name="Vụ Tổ chức cán bộ"),
    "p-hung": RecipientDetails(honorific=honorific("male"), position="Chuyên viên", unit_name="Vụ Tổ chức cán bộ"),
    "u-vtccb-th": RecipientDetails(unit_name="Vụ Tổ chức cán bộ"),
}


@pytest.fixture
def bk_bt(world: World) -> World:
    """Three people and a collective put forward for the Minister's Bằng khen, 2024."""
    world.submit(
        "n-bk",
        "BK_BT",
        YEAR,
        [
            ("c-1", person("p-huong", "BK_BT", YEAR)),
            ("c-2", person("p-tuyet", "BK_BT", YEAR)),
            ("c-3", person("p-hung", "BK_BT", YEAR)),
            ("c-4", collective("u-vtccb-th", "BK_BT", YEAR)),
        ],
        submitted_on=date(2024, 11, 1),
    )
    return world


def _granted(world: World) -> list[AwardGranted | TitleConferred]:
    cmd = GrantAwards(nomination_id="n-bk", candidate_ids=["c-1", "c-2", "c-3", "c-4"], authority="minister",
                      decision_number="3456/QĐ-BCT", decision_date=date(2024, 12, 28),
                      signer="Bộ trưởng Nguyễn Hồng Diên")
    events = world.run(decide_grant, world.nomination("n-bk"), cmd, procedures=world.procedures("n-bk"), law=world.catalogue,
                       held_awards=[], today=world.today)
    return events  # type: ignore[return-value]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def test_the_draft_decision_lists_every_recipient(bk_bt: World) -> None:
    draft = decision_from_nomination(bk_bt.nomination("n-bk"), ["c-1", "c-2", "c-3", "c-4"], details=DETAILS,
                                     drafted_on=date(2024, 12, 15))
    data = render_decision(draft)
    assert data[:2] == b"PK"  # a DOCX is a zip
    text = docx_text(data)
    for expected in (
        "DỰ THẢO",
        "BỘ CÔNG THƯƠNG",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số:        /QĐ-BCT",
        "QUYẾT ĐỊNH",
        "Về việc tặng Bằng khen của Bộ trưởng Bộ Công Thương",
        "BỘ TRƯỞNG BỘ CÔNG THƯƠNG",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP",
        "QUYẾT ĐỊNH:",
        "Điều 1. Tặng Bằng khen của Bộ trưởng Bộ Công Thương cho 03 cá nhân và 01 tập thể có tên trong danh sách kèm theo",
        "Điều 2.",
        "Điều 3.",
        "DANH SÁCH",
        "CÁ NHÂN, TẬP THỂ ĐƯỢC TẶNG BẰNG KHEN CỦA BỘ TRƯỞNG BỘ CÔNG THƯƠNG",
        "I. CÁ NHÂN",
        "II. TẬP THỂ",
        "Bà Nguyễn Thị Hương",
        "Ông Đặng Quốc Hưng",
        "Chuyên viên chính, Vụ Tổ chức cán bộ",
        "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm 2024",
    ):
        assert expected in text, expected
    for name in NAMES:
        assert _nfc(name) in text
    assert text == _nfc(text)


def test_the_annex_is_a_table_numbered_in_order(bk_bt: World) -> None:
    draft = decision_from_nomination(bk_bt.nomination("n-bk"), ["c-1", "c-2", "c-3", "c-4"], details=DETAILS,
                                     drafted_on=date(2024, 12, 15))
    document = docx.Document(io.BytesIO(render_decision(draft)))
    annex = document.tables[-1]
    header = [c.text for c in annex.rows[0].cells]
    assert header == ["STT", "Họ và tên / Tên tập thể", "Đơn vị", "Thành tích"]
    rows = [[c.text for c in row.cells] for row in annex.rows[1:]]
    numbered = [(r[0], r[1]) for r in rows if r[0].isdigit()]
    assert numbered == [("1", "Bà Nguyễn Thị Hương"), ("2", "Bà Lê Thị Ánh Tuyết"), ("3", "Ông Đặng Quốc Hưng"),
                        ("4", "Phòng Tổng hợp")]


def test_the_decision_as_granted_carries_its_number_date_and_signer(bk_bt: World) -> None:
    decision = decision_from_awards(_granted(bk_bt), details=DETAILS)
    assert decision.signer_name == "Nguyễn Hồng Diên" and not decision.is_draft
    text = docx_text(render_decision(decision))
    assert "DỰ THẢO" not in text
    for expected in ("Số: 3456/QĐ-BCT", "Hà Nội, ngày 28 tháng 12 năm 2024", "Bằng khen của Bộ trưởng Bộ Công Thương",
                     "(Kèm theo Quyết định số 3456/QĐ-BCT ngày 28/12/2024 của Bộ trưởng Bộ Công Thương)",
                     "Nguyễn Hồng Diên", "Danh sách có 03 cá nhân và 01 tập thể./."):
        assert expected in text, expected
    for name in NAMES:
        assert name in text


def test_one_certificate_per_recipient(bk_bt: World) -> None:
    decision = decision_from_awards(_granted(bk_bt), details=DETAILS)
    certificates = render_certificates(decision)
    assert [r.name for r, _ in certificates] == NAMES
    for recipient, data in certificates:
        text = docx_text(data)
        assert recipient.addressed in text
        assert "BỘ TRƯỞNG BỘ CÔNG THƯƠNG" in text and "tặng" in text and "BẰNG KHEN" in text
        assert "3456/QĐ-BCT" in text
        assert "Bằng khen của Bộ trưởng Bộ Công Thương" in text
        assert "Hà Nội, ngày 28 tháng 12 năm 2024" in text
    first = docx_text(certificates[0][1])
    assert "Bà Nguyễn Thị Hương" in first and "Chuyên viên chính, Vụ Tổ chức cán bộ" in first
    document = docx.Document(io.BytesIO(certificates[0][1]))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape


def test_a_titles_certificate_names_the_title_and_year(world: World) -> None:
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", person("p-huong", "CSTD_BO", YEAR))], submitted_on=date(2024, 11, 1))
    world.vote("n-1", date(2024, 12, 10), {"c-1": ballots(approve=11)})
    cmd = GrantAwards(nomination_id="n-1", candidate_ids=["c-1"], authority="minister", decision_number="3500/QĐ-BCT",
                      decision_date=date(2024, 12, 30), signer="Bộ trưởng Nguyễn Hồng Diên")
    events = decide_grant(world.nomination("n-1"), cmd, procedures=world.procedures("n-1"), law=world.catalogue, held_awards=[],
                          today=world.today)
    decision = decision_from_awards(events)  # type: ignore[arg-type]
    text = docx_text(render_certificate(decision, decision.recipients[0]))
    assert "CHIẾN SĨ THI ĐUA BỘ CÔNG THƯƠNG" in text and "Năm 2024" in text and "Nguyễn Thị Hương" in text
    assert "Về việc tặng danh hiệu Chiến sĩ thi đua Bộ Công Thương năm 2024" in docx_text(render_decision(decision))


def test_cash_and_other_issuers(bk_bt: World) -> None:
    unit = Issuer(organisation="VỤ TỔ CHỨC CÁN BỘ", parent="BỘ CÔNG THƯƠNG", symbol="VTCCB",
                  decider_title="VỤ TRƯỞNG VỤ TỔ CHỨC CÁN BỘ", signer_title="VỤ TRƯỞNG", decider_vi="Vụ trưởng Vụ Tổ chức cán bộ")
    draft = decision_from_nomination(bk_bt.nomination("n-bk"), ["c-4"], cash_multiple=3.0, issuer=unit,
                                     decision_date=date(2025, 7, 15))
    text = docx_text(render_decision(draft))
    assert "được thưởng 3,0 lần mức lương cơ sở" in text
    assert "Số:        /QĐ-VTCCB" in text and "VỤ TỔ CHỨC CÁN BỘ" in text
    assert "Nghị định số 152/2025/NĐ-CP" in text  # the bases in force on the decision date
    assert "Điều 1. Tặng Bằng khen của Bộ trưởng Bộ Công Thương cho 01 tập thể" in text
    assert MINISTRY.organisation == "BỘ CÔNG THƯƠNG"


def test_legal_bases_follow_the_date() -> None:
    assert "91/2017/NĐ-CP" in default_legal_bases(date(2023, 12, 28))[1]
    assert "98/2023/NĐ-CP" in default_legal_bases(date(2024, 12, 28))[1]
    assert "152/2025/NĐ-CP" in default_legal_bases(date(2025, 7, 1))[1]


def test_awards_of_different_decisions_are_not_one_document(bk_bt: World) -> None:
    events = _granted(bk_bt)
    other = events[1].model_copy(update={"decision_number": "9999/QĐ-BCT"})
    with pytest.raises(ValueError, match="different decisions"):
        decision_from_awards([events[0], other])
    with pytest.raises(ValueError):
        decision_from_awards([])


def test_the_same_decision_gives_the_same_file(bk_bt: World) -> None:
    decision = decision_from_awards(_granted(bk_bt), details=DETAILS)
    assert docx_text(render_decision(decision)) == docx_text(render_decision(decision))
    props = docx.Document(io.BytesIO(render_decision(decision))).core_properties
    assert props.author == "BỘ CÔNG THƯƠNG" and props.created.date() == date(2024, 12, 28)
