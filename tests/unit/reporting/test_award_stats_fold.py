"""The statistics projection's pure logic: what is counted, in which flow, once."""

from __future__ import annotations

from services.reporting.projections import AwardStatsFold, counted_facts

from .builders import conferred, forwarded, revoked


def test_flows_are_kept_apart() -> None:
    fold = AwardStatsFold().apply_all([
        conferred("a-1", 2024, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương"),
        conferred("a-2", 2024, "HCLD_3", "Huân chương Lao động hạng Ba", authority="president", by_ministry=False,
                  proposal_id="pr-1"),
        forwarded("pr-1", 2024, "HCLD_3", "Huân chương Lao động hạng Ba", to_authority="president",
                  to_body="Ban Thi đua – Khen thưởng Trung ương", individuals=2, collectives=1, unit_id="u-vp"),
    ])
    flows = {(r.key.flow, r.key.award_code, r.key.recipient_kind): r.count for r in fold.rows()}
    assert flows == {
        ("granted", "BK_BT", "individual"): 1,
        ("conferred", "HCLD_3", "individual"): 1,
        ("proposed", "HCLD_3", "individual"): 2,
        ("proposed", "HCLD_3", "collective"): 1,
    }
    proposed = next(r for r in fold.rows() if r.key.flow == "proposed")
    assert proposed.key.to_body == "Ban Thi đua – Khen thưởng Trung ương" and proposed.key.authority == "president"


def test_a_fact_counts_once_and_a_revocation_before_its_award_still_counts() -> None:
    grant = conferred("a-1", 2024, "CSTD_BO", "Chiến sĩ thi đua Bộ Công Thương", title=True)
    fold = AwardStatsFold().apply_all([revoked("a-1"), grant, grant])
    [row] = fold.rows()
    assert (row.count, row.revoked, row.key.award_kind) == (1, 1, "title")


def test_a_collective_without_a_unit_counts_under_itself() -> None:
    [fact] = counted_facts(conferred("a-1", 2024, "TTLDXS", "Tập thể lao động xuất sắc", recipient_kind="collective",
                                     subject_id="u-vtccb", unit_id=None, title=True))
    assert fact.key.unit_id == "u-vtccb"
    [fact] = counted_facts(conferred("a-2", 2024, "BK_BT", "Bằng khen", unit_id=None))
    assert fact.key.unit_id == ""


def test_the_award_name_kept_is_the_latest_decisions() -> None:
    from datetime import date

    old = conferred("a-1", 2022, "BK_BT", "Bằng khen của Bộ trưởng", decision_date=date(2022, 12, 1))
    new = conferred("a-2", 2024, "BK_BT", "Bằng khen của Bộ trưởng Bộ Công Thương", decision_date=date(2024, 12, 1))
    assert AwardStatsFold().apply_all([new, old]).award_names() == {"BK_BT": "Bằng khen của Bộ trưởng Bộ Công Thương"}
    assert AwardStatsFold().apply_all([old, new]).award_names() == {"BK_BT": "Bằng khen của Bộ trưởng Bộ Công Thương"}
