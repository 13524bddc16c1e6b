"""The year-end summary and its Vietnamese paragraph, from events folded in memory."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from services.reporting.projections import AwardStatsFold
from services.reporting.summary import (
    AwardOrder,
    OrderEntry,
    curly_quotes,
    load_award_order,
    number_vi,
    year_summary,
)

from .builders import ARTICLE_2023_PARAGRAPH, article_2023_events, conferred, forwarded, many, revoked

ARTICLE = Path(__file__).resolve().parents[4] / "shared" / "seed" / "moit-emulation-2024.txt"


def summary_of(events, year=2023, order=None):  # type: ignore[no-untyped-def]
    fold = AwardStatsFold().apply_all(events)
    return year_summary(year, fold.rows(), fold.award_names(), order)


def test_the_article_2023_counts_give_the_article_paragraph() -> None:
    summary = summary_of(article_2023_events())
    assert summary["paragraph_vi"] == ARTICLE_2023_PARAGRAPH


def test_the_paragraph_does_not_depend_on_the_order_of_events() -> None:
    events = article_2023_events()
    random.Random(7).shuffle(events)
    assert summary_of(events)["paragraph_vi"] == ARTICLE_2023_PARAGRAPH


def test_the_figures_are_the_article_figures() -> None:
    s = summary_of(article_2023_events())
    proposed = {(i["award_code"], i["to_authority"]): (i["collectives"], i["individuals"]) for i in s["proposed"]}
    assert proposed == {
        ("NGND", "president"): (0, 2),
        ("NGUT", "president"): (0, 3),
        ("HCLD_3", "president"): (1, 3),
        ("BK_TTG", "prime_minister"): (0, 9),
        ("KNC_GD", "other_ministry"): (0, 78),
    }
    assert [i["award_code"] for i in s["proposed"]] == ["NGND", "NGUT", "HCLD_3", "BK_TTG", "KNC_GD"]
    granted = {i["award_code"]: (i["collectives"], i["individuals"]) for i in s["granted"]}
    assert granted == {"BK_BT": (68, 214), "CSTD_BO": (0, 87), "KNC_CT": (0, 83)}
    assert [i["award_code"] for i in s["granted"]] == ["BK_BT", "CSTD_BO", "KNC_CT"]
    assert s["conferred_by_higher"] == [] and s["paragraph_conferred_vi"] is None
    assert s["totals"]["granted"] == {"individuals": 384, "collectives": 68, "households": 0, "revoked": 0}
    assert s["totals"]["proposed"] == {"individuals": 95, "collectives": 1, "households": 0, "revoked": 0}
    assert s["granted"][0]["award_name"] == "Bằng khen của Bộ trưởng Bộ Công Thương"
    assert s["proposed"][-1]["award_name"] == "Kỷ niệm chương “Vì sự nghiệp giáo dục”"


def test_the_paragraph_is_the_source_articles_text() -> None:
    if not ARTICLE.exists():
        pytest.skip(f"the source article is not at {ARTICLE}")
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    text = f"{lines[42].strip()} {lines[44].strip()}"
    # The article says "Theo đó, năm 2023, …" and has one typing slip ("uu tú" for "ưu tú").
    text = text.replace("Theo đó, năm 2023", "Năm 2023").replace("Nhà giáo uu tú", "Nhà giáo ưu tú")
    assert summary_of(article_2023_events())["paragraph_vi"] == text


def test_other_years_and_other_flows_stay_out() -> None:
    events = article_2023_events() + [
        conferred("a-2022-bkbt", 2022, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương"),
        conferred("a-2023-hcld3-tt", 2023, "HCLD_3", "Huân chương Lao động hạng Ba", recipient_kind="collective",
                  unit_id="u-vtccb", authority="president", by_ministry=False, proposal_id="pr-2023-hcld3"),
    ]
    s = summary_of(events)
    assert s["paragraph_vi"] == ARTICLE_2023_PARAGRAPH
    assert s["conferred_by_higher"] == [
        {"award_code": "HCLD_3", "award_name": "Huân chương Lao động hạng Ba", "individuals": 0, "collectives": 1,
         "households": 0, "total": 1, "revoked": 0, "authority": "president"}
    ]
    assert s["paragraph_conferred_vi"] == (
        "Năm 2023, trên cơ sở đề nghị của Bộ, cấp có thẩm quyền đã quyết định tặng "
        "Huân chương Lao động hạng Ba cho 1 tập thể."
    )
    assert summary_of(events, 2022)["paragraph_vi"] == (
        "Năm 2022, Bộ đã tặng Bằng khen của Bộ trưởng Bộ Công Thương cho 1 cá nhân."
    )


def test_a_household_is_counted_and_written_as_a_household_not_a_person() -> None:
    """Law 2022 Art. 2: a household recipient ("hộ gia đình") in the figures and the paragraph."""
    events = [
        conferred("h1", 2024, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương", recipient_kind="household",
                  subject_id="hgd-017"),
        conferred("h2", 2024, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương"),
    ]
    s = summary_of(events, 2024)
    [item] = s["granted"]
    assert (item["individuals"], item["collectives"], item["households"], item["total"]) == (1, 0, 1, 2)
    assert s["totals"]["granted"]["households"] == 1
    assert s["paragraph_vi"] == (
        "Năm 2024, Bộ đã tặng Bằng khen của Bộ trưởng Bộ Công Thương cho 1 cá nhân, 1 hộ gia đình."
    )


def test_a_revoked_award_stays_counted_and_is_shown_apart() -> None:
    events = many(3, 2024, "CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", "a-cstd", title=True)
    events.append(revoked("a-cstd-0001"))
    events.append(revoked("a-cstd-0001"))  # a second revocation of the same award changes nothing
    s = summary_of(events, 2024)
    assert s["granted"][0]["individuals"] == 3 and s["granted"][0]["revoked"] == 1
    assert s["paragraph_vi"] == "Năm 2024, Bộ đã tặng Chiến sĩ thi đua Bộ Công Thương cho 3 cá nhân."


def test_a_year_without_data_says_so() -> None:
    assert summary_of([], 2021)["paragraph_vi"] == "Năm 2021, chưa có số liệu khen thưởng."


def test_only_proposals() -> None:
    s = summary_of([forwarded("pr-x", 2024, "CSTD_TQ", "Chiến sĩ thi đua toàn quốc", to_authority="prime_minister",
                              to_body="Ban Thi đua – Khen thưởng Trung ương", individuals=1, kind="title")], 2024)
    assert s["paragraph_vi"] == "Năm 2024, Bộ đã trình xét tặng Chiến sĩ thi đua toàn quốc cho 1 cá nhân."


def test_an_unknown_code_comes_last_under_its_events_name_with_curly_quotes() -> None:
    events = [
        conferred("a-1", 2024, "KNC_XYZ", 'Kỷ niệm chương "Vì sự nghiệp Xây dựng"'),
        conferred("a-2", 2024, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương", recipient_kind="collective",
                  unit_id="u-vp"),
    ]
    assert summary_of(events, 2024)["paragraph_vi"] == (
        "Năm 2024, Bộ đã tặng Bằng khen của Bộ trưởng Bộ Công Thương cho 1 tập thể; "
        "Kỷ niệm chương “Vì sự nghiệp Xây dựng” cho 1 cá nhân."
    )


def test_the_order_and_the_prefix_are_data() -> None:
    order = AwardOrder((
        OrderEntry("CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", "thi_dua", "danh hiệu", "title"),
        OrderEntry("TTLDXS", "Tập thể lao động xuất sắc", "thi_dua", "danh hiệu", "title"),
        OrderEntry("BK_BT", "Bằng khen của Bộ trưởng", "bk", None, "award"),
    ))
    events = [
        conferred("a-1", 2024, "BK_BT", "Bằng khen"),
        conferred("a-2", 2024, "TTLDXS", "TTLĐXS", recipient_kind="collective", unit_id="u-vp", title=True),
        conferred("a-3", 2024, "CSTD_BO", "CSTĐ", title=True),
    ]
    assert summary_of(events, 2024, order)["paragraph_vi"] == (
        "Năm 2024, Bộ đã tặng danh hiệu Chiến sĩ thi đua Bộ Công Thương cho 1 cá nhân, "
        "Tập thể lao động xuất sắc cho 1 tập thể; Bằng khen của Bộ trưởng cho 1 cá nhân."
    )


def test_the_configured_order_covers_the_awards_catalogue() -> None:
    catalogue = Path(__file__).resolve().parents[3] / "services" / "awards" / "catalogue"
    codes = {p.stem.upper() for p in catalogue.glob("[a-z]*.yaml")}
    assert codes <= load_award_order().codes


def test_small_helpers() -> None:
    assert number_vi(1234567) == "1.234.567" and number_vi(87) == "87"
    assert curly_quotes('Kỷ niệm chương "Vì sự nghiệp giáo dục"') == "Kỷ niệm chương “Vì sự nghiệp giáo dục”"


def test_titles_unit_heads_granted_stay_in_the_figures_but_out_of_the_ministrys_paragraph() -> None:
    events = article_2023_events() + many(40, 2023, "LDTT", "Lao động tiên tiến", "ldtt", authority="unit_head", title=True)
    summary = summary_of(events)
    assert summary["paragraph_vi"] == ARTICLE_2023_PARAGRAPH
    unit_level = [item for item in summary["granted"] if item["award_code"] == "LDTT"]
    assert unit_level and unit_level[0]["individuals"] == 40 and unit_level[0]["authority"] == "unit_head"
