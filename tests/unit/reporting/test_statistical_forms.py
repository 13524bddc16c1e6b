"""The five statistical forms of TT 02/2023/TT-BNV: rows as printed, totals that add up, "not classified"
rows for what the events do not carry, and the XLSX read back."""

from __future__ import annotations

import io
import random
import unicodedata
from datetime import date, timedelta

import pypdf
import pytest
from openpyxl import load_workbook

from services.reporting import form_pdf, form_workbook
from services.reporting import statistical_forms as forms
from services.reporting.projections import AwardStatsFold

from .builders import conferred

CODES = [
    ("HCLD_3", "Huân chương Lao động hạng Ba", "president", False),
    ("NGUT", "Nhà giáo ưu tú", "president", False),
    ("CO_TD_CP", "Cờ thi đua của Chính phủ", "prime_minister", False),
    ("BK_TTG", "Bằng khen của Thủ tướng Chính phủ", "prime_minister", False),
    ("CSTD_TQ", "Chiến sĩ thi đua toàn quốc", "prime_minister", False),
    ("HCLD_9", "Huân chương không có cột riêng", "president", False),
    ("BK_BT", "Bằng khen của Bộ trưởng", "minister", True),
    ("CSTD_BO", "Chiến sĩ thi đua cấp Bộ", "minister", True),
    ("CO_TD_BO", "Cờ thi đua của Bộ", "minister", True),
    ("KNC_CT", "Kỷ niệm chương", "minister", True),
    ("GIAY_KHEN", "Giấy khen", "unit_head", True),
    ("KNC_GD", "Kỷ niệm chương “Vì sự nghiệp giáo dục”", "other_ministry", False),
]


def generated_awards(seed: int, year: int = 2024, n: int = 400) -> AwardStatsFold:
    """``n`` random awards over several years, codes, authorities and recipient kinds."""
    rng = random.Random(seed)
    events = []
    for i in range(n):
        code, name, authority, by_ministry = rng.choice(CODES)
        kind = rng.choice(["individual", "collective", "household"])
        if code in ("NGUT", "CSTD_TQ", "CSTD_BO"):
            kind = "individual"
        if code in ("CO_TD_CP", "CO_TD_BO"):
            kind = "collective"
        event = conferred(f"a-{seed}-{i}", rng.choice([year - 1, year, year]), code, name,
                          recipient_kind=kind, unit_id=f"u-{rng.randrange(5)}", authority=authority,
                          by_ministry=by_ministry, title=code in ("NGUT", "CSTD_TQ", "CSTD_BO"))
        person = rng.choice([None, *forms.PERSON_CATEGORIES]) if kind == "individual" else None
        events.append(event.model_copy(update={
            "category": rng.choice(["merit", "thematic", "one_off", "long_service", "foreign"]),
            "submitted_by": rng.choice([None, *forms.SUBMITTING_BODIES]),
            "recipient": event.recipient.model_copy(update={"person_category": person}),
        }))
    return AwardStatsFold().apply_all(events)


def generated_movements(seed: int, n: int = 60) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        start = date(2020, 1, 1) + timedelta(days=rng.randrange(365 * 5))
        end = None if rng.random() < 0.15 else start + timedelta(days=rng.choice([30, 364, 365, 500, 1200, 2000]))
        out.append({"launched_by": rng.choice(list(forms.MOVEMENT_LEVEL_COLUMN)),
                    "kind": rng.choice(["chuyen_de", "thuong_xuyen"]), "all_units": rng.random() < 0.6,
                    "period_start": start, "period_end": end})
    return out


def filled_form(code: str, seed: int) -> dict:
    """A form filled from generated data (movements, awards) or a little reference data, for 2024."""
    form = forms.FORMS[code]
    if code == "0601":
        values = forms.fill_0601(generated_movements(seed), 2024)
    elif code in ("0602", "0603"):
        values = forms.fill_awards(form, generated_awards(seed).form_facts(), 2024)
    elif code == "0604":
        values = forms.fill_0604({"02": 1, "03": 3})
    else:
        values = forms.fill_0605([forms.CivilServant(True, 1985, "dai_hoc", 2015)], 2024)
    return forms.render(form, values, year=2024, reporting_body="Bộ Công Thương")


def _failed(form: forms.FormDef, values: dict) -> list[str]:
    checks = forms.check_sums(form, values)
    assert checks, "a form with nothing to check"
    return [f"{c.where}: {c.expected} ≠ {c.actual}" for c in checks if not c.ok]


@pytest.mark.parametrize("seed", range(5))
def test_0601_every_breakdown_adds_up_to_row_01(seed: int) -> None:
    values = forms.fill_0601(generated_movements(seed), 2024)
    assert _failed(forms.FORM_0601, values) == []
    assert values["01"]["c1"] > 0


def test_0601_counts_level_scope_duration_and_kind() -> None:
    movements = [
        {"launched_by": "thu_tuong", "kind": "thuong_xuyen", "all_units": True,
         "period_start": date(2024, 1, 1), "period_end": date(2024, 12, 31)},
        {"launched_by": "bo", "kind": "chuyen_de", "all_units": True,
         "period_start": date(2023, 6, 1), "period_end": date(2025, 12, 31)},
        {"launched_by": "cong_doan_bo", "kind": "chuyen_de", "all_units": False,
         "period_start": date(2024, 3, 1), "period_end": None},
        {"launched_by": "bo", "kind": "chuyen_de", "all_units": True,  # ended before the year: not counted
         "period_start": date(2022, 1, 1), "period_end": date(2023, 12, 31)},
    ]
    v = forms.fill_0601(movements, 2024)
    assert v["01"] == {"c1": 3, "c2": 1, "c3": 1, "c4": 1}
    assert (v["02"]["c2"], v["03"]["c3"], v["05.NC"]["c4"], v["04"]["c1"]) == (1, 1, 1, 0)
    assert (v["07"]["c1"], v["08"]["c1"], v["10.NC"]["c1"]) == (1, 1, 1)
    assert (v["11"]["c1"], v["12"]["c1"]) == (2, 1)


@pytest.mark.parametrize(("start", "end", "row"), [
    (date(2024, 1, 1), date(2024, 6, 30), "06"), (date(2024, 1, 1), date(2024, 12, 31), "07"),
    (date(2024, 2, 29), date(2025, 2, 27), "07"), (date(2024, 1, 1), date(2025, 1, 1), "08"),
    (date(2024, 1, 1), date(2026, 12, 31), "09"), (date(2024, 1, 1), date(2028, 12, 30), "09"),
    (date(2024, 1, 1), date(2028, 12, 31), "10"), (date(2024, 1, 1), None, "10.NC"),
])
def test_0601_duration_bands(start: date, end: date | None, row: str) -> None:
    assert forms.duration_row(start, end) == row


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("form", [forms.FORM_0602, forms.FORM_0603])
def test_award_forms_every_total_row_equals_its_parts(form: forms.FormDef, seed: int) -> None:
    fold = generated_awards(seed)
    kinds = {"u-0": "tong_cong_ty", "u-1": "vu", "u-2": "khac"}
    values = forms.fill_awards(form, fold.form_facts(), 2024, kinds.get)
    assert _failed(form, values) == []
    assert values[form.rows[0].code]["c1"] > 0


def test_0602_counts_state_awards_by_column_and_leaves_the_unknown_not_classified() -> None:
    rows = AwardStatsFold().apply_all([
        conferred("a1", 2024, "HCLD_3", "HCLĐ hạng Ba", recipient_kind="collective", authority="president",
                  by_ministry=False),
        conferred("a2", 2024, "HCLD_3", "HCLĐ hạng Ba", authority="president", by_ministry=False),
        conferred("a3", 2024, "BK_TTG", "Bằng khen TTg", authority="prime_minister", by_ministry=False),
        conferred("a4", 2024, "HCLD_9", "Khác", authority="president", by_ministry=False),
        conferred("a5", 2024, "BK_BT", "Bằng khen Bộ trưởng", authority="minister"),  # not state level
        conferred("a6", 2023, "BK_TTG", "Bằng khen TTg", authority="prime_minister", by_ministry=False),
    ]).form_facts()
    v = forms.fill_awards(forms.FORM_0602, rows, 2024)
    assert v["1"]["c1"] == 4
    assert (v["1"]["hcld_3.collective"], v["1"]["hcld_3.individual"], v["1"]["bk_ttg.individual"],
            v["1"]["other.individual"]) == (1, 1, 1, 1)
    assert (v["6"]["c1"], v["9"]["c1"], v["8"]["c1"]) == (1, 3, 0)
    # The events carry the category (merit: "thường xuyên"), not the person's category nor the tờ trình's body.
    assert (v["7"]["c1"], v["7.NC"]["c1"], v["14.NC"]["c1"], v["3.NC"]["c1"], v["15"]["c1"]) == (0, 1, 3, 4, 4)
    assert all(v[code]["c1"] == 0 for code in ("2", "3", "10", "14", "16", "21", "21.NC"))


def test_what_the_events_carry_fills_the_rows_and_the_rest_is_not_classified() -> None:
    def with_fields(event, **fields):  # type: ignore[no-untyped-def]
        person = fields.pop("person_category", None)
        return event.model_copy(update={**fields, "recipient": event.recipient.model_copy(
            update={"person_category": person})})

    state = dict(authority="prime_minister", by_ministry=False)
    facts = AwardStatsFold().apply_all([
        with_fields(conferred("c1", 2024, "BK_TTG", "BK TTg", **state), person_category="lanh_dao_vu",
                    submitted_by="bo_nganh", category="one_off"),
        with_fields(conferred("c2", 2024, "BK_TTG", "BK TTg", **state), submitted_by="tinh",
                    category="foreign"),
        with_fields(conferred("c3", 2024, "BK_TTG", "BK TTg", recipient_kind="collective", unit_id="u-tct",
                              **state), category="long_service"),
        with_fields(conferred("c4", 2024, "BK_TTG", "BK TTg", recipient_kind="collective", unit_id="u-vu",
                              **state), category="thematic"),
        with_fields(conferred("c5", 2024, "BK_TTG", "BK TTg", recipient_kind="collective", unit_id="u-x",
                              **state), category="merit"),
    ]).form_facts()
    v = {code: cells["c1"] for code, cells in forms.fill_awards(
        forms.FORM_0602, facts, 2024, {"u-tct": "tong_cong_ty", "u-vu": "vu"}.get).items()}
    assert (v["1"], v["2"], v["3"], v["3.NC"]) == (5, 1, 1, 3)
    assert (v["6"], v["7"], v["7.NC"], v["9"], v["11"], v["14.NC"]) == (3, 1, 1, 2, 1, 1)
    assert [v[c] for c in ("15", "16", "17", "18", "19", "20", "21", "21.NC")] == [1, 1, 1, 1, 1, 0, 0, 0]


def test_0603_counts_only_the_ministry_awards_with_a_column() -> None:
    rows = AwardStatsFold().apply_all([
        conferred("b1", 2024, "BK_BT", "Bằng khen", recipient_kind="collective"),
        conferred("b2", 2024, "BK_BT", "Bằng khen"),
        conferred("b3", 2024, "KNC_CT", "Kỷ niệm chương"),
        conferred("b4", 2024, "GIAY_KHEN", "Giấy khen", authority="unit_head"),
    ]).form_facts()
    v = forms.fill_awards(forms.FORM_0603, rows, 2024)
    assert v["01"] == {"c1": 3, "c2": 2, "c3": 0, "c4": 0, "c5": 1}
    assert (v["02"]["c1"], v["05"]["c1"], v["11"]["c1"], v["17.NC"]["c1"]) == (1, 2, 3, 0)


def test_a_household_counts_in_the_household_row_and_row_01_still_sums() -> None:
    """TT 02/2023 form 0603 row 04 / 0602 row 8 "Hộ gia đình" (unit "Hộ"): a household recipient (Law 2022 Art. 2),
    neither a collective nor a person; the total is Tập thể + Hộ gia đình + Cá nhân."""
    rows = AwardStatsFold().apply_all([
        conferred("h1", 2024, "BK_BT", "Bằng khen", recipient_kind="household", subject_id="hgd-017",
                  display_name="Hộ ông Nguyễn Văn A"),
        conferred("h2", 2024, "BK_BT", "Bằng khen", recipient_kind="household", subject_id="hgd-018",
                  display_name="Hộ bà Lê Thị Cúc"),
        conferred("h3", 2024, "BK_BT", "Bằng khen", recipient_kind="collective"),
        conferred("h4", 2024, "BK_BT", "Bằng khen"),
        conferred("h5", 2024, "GIAY_KHEN", "Giấy khen", recipient_kind="household", subject_id="hgd-019",
                  authority="unit_head"),  # a unit's award: not on 0603
    ]).form_facts()
    v = forms.fill_awards(forms.FORM_0603, rows, 2024)
    assert (v["01"]["c2"], v["02"]["c2"], v["04"]["c2"], v["05"]["c2"]) == (4, 1, 2, 1)
    assert v["01"]["c1"] == v["02"]["c1"] + v["04"]["c1"] + v["05"]["c1"] == 4
    assert _failed(forms.FORM_0603, v) == []
    state = forms.fill_awards(forms.FORM_0602, AwardStatsFold().apply_all([
        conferred("h6", 2024, "BK_TTG", "Bằng khen TTg", recipient_kind="household", subject_id="hgd-020",
                  authority="prime_minister", by_ministry=False),
    ]).form_facts(), 2024)
    assert (state["1"]["c1"], state["8"]["c1"], state["6"]["c1"], state["9"]["c1"]) == (1, 1, 0, 0)
    assert state["8"]["bk_ttg.collective"] == 1 and _failed(forms.FORM_0602, state) == []


def test_0604_and_0605_from_the_office_reference_data() -> None:
    v4 = forms.fill_0604({"02": 1, "03": 2})
    assert v4["01"]["c1"] == 3 and _failed(forms.FORM_0604, v4) == []
    rng = random.Random(7)
    staff = [forms.CivilServant(rng.random() < 0.5, rng.randrange(1960, 2000),
                                rng.choice([None, *forms.EDUCATION_ROWS]), rng.randrange(1990, 2024))
             for _ in range(40)]
    v5 = forms.fill_0605(staff, 2024)
    assert v5["01"]["c1"] == 40 and v5["01"]["c2"] == sum(p.female for p in staff)
    assert _failed(forms.FORM_0605, v5) == []
    assert forms.age_row(30) == "02" and forms.age_row(61) == "07" and forms.seniority_row(10) == "15"
    not_recorded = forms.render(forms.FORM_0605, forms.fill_0605(None, 2024), year=2024, reporting_body="")
    assert not_recorded["recorded"] is False and not_recorded["rows"][0]["values"] == {"c1": None, "c2": None}


def test_the_forms_rows_are_those_printed() -> None:
    codes = {k: [r.code for r in f.rows if r.kind in ("total", "line")] for k, f in forms.FORMS.items()}
    assert codes["0601"] == [f"{i:02d}" for i in range(1, 13)]
    assert codes["0602"] == ["1", "2", "3", *[str(i) for i in range(6, 22)]]
    assert codes["0603"] == [f"{i:02d}" for i in range(1, 18)]
    assert codes["0604"] == ["01", "02", "03", "04", "05"] and codes["0605"] == [f"{i:02d}" for i in range(1, 16)]
    numbers = [c.number for c in forms.FORM_0602.columns]
    assert numbers == [str(i) for i in range(1, len(numbers) + 1)]


def test_a_broken_total_is_caught() -> None:
    values = forms.fill_0601(generated_movements(1), 2024)
    values["07"]["c3"] += 1
    assert _failed(forms.FORM_0601, values)


@pytest.mark.parametrize("code", sorted(forms.FORMS))
def test_the_workbook_reads_back_in_the_official_layout(code: str) -> None:
    form = forms.FORMS[code]
    filled = filled_form(code, seed=3)
    sheet = load_workbook(io.BytesIO(form_workbook.to_xlsx(filled))).active
    texts = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert f"Biểu số: {form.code}" in texts and "Đơn vị báo cáo: Bộ Công Thương" in texts
    assert "Đơn vị nhận báo cáo: Bộ Nội vụ" in texts and f"Đơn vị tính: {form.unit_of_measure}" in texts
    assert form.title in texts and "Năm 2024" in texts and "THỦ TRƯỞNG ĐƠN VỊ" in texts
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.orientation == ("landscape" if len(form.columns) >= 6 else "portrait")
    assert sheet.print_title_rows and sheet.print_title_rows.startswith("$8:$")
    # Every row's figures, read back, are the JSON's, in the printed order.
    lead = 3 if form.has_unit_column else 2
    by_code = {}
    for row in sheet.iter_rows(min_row=9):
        if row[1].value and row[0].value:
            by_code[str(row[1].value)] = [c.value for c in row[lead:lead + len(form.columns)]]
    for r in filled["rows"]:
        if r["code"]:
            assert by_code[r["code"]] == [r["values"][c["key"]] for c in filled["columns"]], r["code"]


@pytest.mark.parametrize("code", sorted(forms.FORMS))
def test_the_pdf_is_a4_with_the_vietnamese_text_and_the_figures(code: str) -> None:
    form = forms.FORMS[code]
    filled = filled_form(code, seed=4)
    reader = pypdf.PdfReader(io.BytesIO(form_pdf.to_pdf(filled)))
    landscape = len(form.columns) >= 6
    for page in reader.pages:
        size = (round(page.mediabox.width), round(page.mediabox.height))
        assert size == ((842, 595) if landscape else (595, 842))
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    assert f"Biểu số: {form.code}" in text and "Đơn vị báo cáo: Bộ Công Thương" in text
    assert "THỦ TRƯỞNG ĐƠN VỊ" in text and "Năm 2024" in text
    fonts = {str(f["/BaseFont"]) for p in reader.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("DejaVu" in f for f in fonts)  # the Vietnamese font, embedded
    total = next(r for r in filled["rows"] if r["code"] == form.rows[0].code)["values"]["c1"]
    unit = f"{form.rows[0].unit} " if form.rows[0].unit else ""
    assert f"Tổng số {form.rows[0].code} {unit}{total} " in text.replace("\n", " ")
