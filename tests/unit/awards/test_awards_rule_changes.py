"""The same facts under the rule of 2023 and the rule from 2024: the law changed, the engine did not."""

from __future__ import annotations

from datetime import date

from awards_testkit import check, grades, initiative, members, person, unit
from tdkt_contracts.vocabulary import Grade, Sex

from services.awards.domain import Status


def test_grassroots_fighter_with_htxs_but_no_initiative() -> None:
    # Old rule (NĐ 91/2017): LĐTT + initiative required. Law 2022 Art. 23: HTXS is enough.
    facts = person(grades=grades([2023, 2024]))
    before, after = check("CSTDCS", 2023, facts), check("CSTDCS", 2024, facts)
    assert not before.eligible and before.failing() == ["initiative"]
    assert before.result("initiative").citation.text_vi == "Nghị định 91/2017/NĐ-CP, Điều 9"
    assert after.eligible and after.result("route").detail_vi.startswith("Đạt theo phương án: Hoàn thành xuất sắc")
    assert after.result("route").citation.text_vi == "Luật Thi đua, khen thưởng 2022, Điều 23"


def test_advanced_collective_with_sixty_percent_advanced_workers() -> None:
    # More than 50% before 2024, at least 70% from 2024.
    facts = unit(grades=grades([2023, 2024], Grade.GOOD), members=[members(2023, ldtt=6), members(2024, ldtt=6)])
    before, after = check("TTLDTT", 2023, facts), check("TTLDTT", 2024, facts)
    assert before.eligible
    assert not after.eligible and after.failing() == ["ldtt_share"]
    assert "≥ 70%" in after.result("ldtt_share").detail_vi and "6/10 (60%)" in after.result("ldtt_share").detail_vi
    assert "> 50%" in before.result("ldtt_share").detail_vi


def test_education_medal_for_a_woman_with_sixteen_years() -> None:
    # Assumed old rule 20/15 years by sex [U]; TT 29/2023: 20 years for everyone.
    facts = person(sex=Sex.FEMALE, education_joined_on=date(2008, 1, 1))
    before, after = check("KNC_GD", 2023, facts), check("KNC_GD", 2024, facts)
    assert before.eligible and before.unconfirmed
    assert not after.eligible and after.failing() == ["service"]


def test_quota_disappears_in_2024() -> None:
    facts = person(grades=grades([2023, 2024]), initiatives=[initiative("SK-1", 2023), initiative("SK-2", 2024)])
    assert check("CSTDCS", 2023, facts).quota_notes
    assert not check("CSTDCS", 2024, facts).quota_notes


def test_discipline_bar_on_chain_titles_under_decree_98_and_decree_152() -> None:
    # A reprimand in the counted years bars the title under NĐ 98/2023 Art. 4 and NĐ 152/2025 Art. 4.4 alike
    # (issue #19.3: before, only the NĐ 152 version read it).
    from awards_testkit import discipline, recipe, IND

    reprimand = [discipline("khien_trach", date(2023, 2, 1), date(2024, 1, 31))]
    in_2024 = recipe("CSTD_BO", IND, 2024).model_copy(update={"disciplines": reprimand})
    in_2025 = recipe("CSTD_BO", IND, 2025).model_copy(update={"disciplines": reprimand})
    earlier = check("CSTD_BO", 2024, in_2024)
    assert not earlier.eligible and earlier.failing() == ["no_discipline"]
    assert earlier.result("no_discipline").citation.text_vi == "Nghị định 98/2023/NĐ-CP, Điều 4"
    later = check("CSTD_BO", 2025, in_2025)
    assert not later.eligible and later.result("no_discipline").status is Status.FAILED
    assert later.result("no_discipline").citation.text_vi == "Nghị định 152/2025/NĐ-CP, Điều 4, khoản 4"


def test_hold_rule_cites_the_decree_in_force() -> None:
    texts = {
        year: check("LDTT", year, person(grades={year: Grade.GOOD})).result("no_pending_hold").citation.document_vi
        for year in (2023, 2024, 2025)
    }
    assert texts == {
        2023: "Thông tư 08/2017/TT-BNV",
        2024: "Nghị định 98/2023/NĐ-CP",
        2025: "Nghị định 152/2025/NĐ-CP",
    }
