"""The statistical report (documented equivalent of the MoHA form): parts, sections, subtotals."""

from __future__ import annotations

from services.reporting import report_forms
from services.reporting.projections import AwardStatsFold

from .builders import article_2023_events, conferred, revoked


def test_parts_sections_lines_and_subtotals() -> None:
    events = article_2023_events() + [
        conferred("a-ngnd-1", 2023, "NGND", "Nhà giáo nhân dân", authority="president", by_ministry=False,
                  proposal_id="pr-2023-ngnd"),
        revoked("a-2023-knc-0000"),
    ]
    fold = AwardStatsFold().apply_all(events)
    report = report_forms.annual_report(2023, fold.rows(), fold.award_names())
    a, b, c = report["parts"]
    assert (a["flow"], b["flow"], c["flow"]) == ("granted", "proposed", "conferred")
    assert [s["section"] for s in a["sections"]] == ["title", "award"]
    assert [line["award_code"] for line in a["sections"][0]["lines"]] == ["CSTD_BO"]
    assert [line["award_code"] for line in a["sections"][1]["lines"]] == ["BK_BT", "KNC_CT"]
    assert a["subtotal"] == {"collectives": 68, "individuals": 384, "households": 0, "total": 452, "revoked": 1}
    kncgd = next(line for s in b["sections"] for line in s["lines"] if line["award_code"] == "KNC_GD")
    assert kncgd["authority_vi"] == "Bộ, ngành khác (Bộ Giáo dục và Đào tạo)" and kncgd["individuals"] == 78
    assert b["subtotal"] == {"collectives": 1, "individuals": 95, "households": 0, "total": 96, "revoked": 0}
    assert c["subtotal"]["individuals"] == 1
    assert c["sections"][0]["lines"][0]["authority_vi"] == "Chủ tịch nước"
    kinds = [r["kind"] for r in report["rows"]]
    assert kinds[0] == "part" and kinds.count("subtotal") == 3


def test_a_household_has_its_own_column_and_counts_in_the_total() -> None:
    events = [conferred("a-hgd-1", 2024, "BK_BT", "Bằng khen của Bộ trưởng", recipient_kind="household",
                        subject_id="hgd-nguyen-van-a", display_name="Hộ ông Nguyễn Văn A"),
              conferred("a-cn-1", 2024, "BK_BT", "Bằng khen của Bộ trưởng")]
    fold = AwardStatsFold().apply_all(events)
    report = report_forms.annual_report(2024, fold.rows(), fold.award_names())
    [line] = report["parts"][0]["sections"][0]["lines"]
    assert (line["individuals"], line["households"], line["collectives"], line["total"]) == (1, 1, 0, 2)
    assert "households" in [c.key for c in report_forms.COLUMNS]


def test_an_empty_year_still_has_its_three_parts() -> None:
    report = report_forms.annual_report(2020, [], {})
    assert [p["subtotal"]["total"] for p in report["parts"]] == [0, 0, 0]
