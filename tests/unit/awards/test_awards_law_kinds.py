"""The award kinds a ministry proposes every year (issue #19): each row cites its article.

Rows are (article, code, recipient, year, facts, expected outcome, failed / unknown
criterion paths). Before this change none of these codes was in the catalogue
(every row failed with ``unknown_award``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from awards_testkit import attested, catalogue, check, person, titles, unit
from test_awards_law_review import Case, _run

from services.awards.domain import Outcome, PersonFacts, UnitFacts
from services.awards.domain.engine import UNCONFIRMED_NOT_MET
from services.awards.domain.vocabulary import CommendationCategory, Confidence
from services.awards.workflow.paths import path_for

YES, NO, UNSURE = Outcome.ELIGIBLE, Outcome.INELIGIBLE, Outcome.UNDETERMINED


def _with(
    key: str, year: int, *held: tuple[str, int], collective: bool = False
) -> Callable[[], PersonFacts | UnitFacts]:
    make = unit if collective else person
    return lambda: make(
        attestations=[attested(key, year)] if key else [],
        titles=[t for code, y in held for t in titles(code, y)],
    )


CASES = [
    # Huân chương Sao vàng, Law 2022 Art. 34 [S]: either merit of 34.2 passes; the collective needs the
    # Ho Chi Minh Order and 25 further years (34.3); the order is not given twice.
    Case("Art34.2.a-revolution", "HC_SAO_VANG", 2024, _with("great_merit_revolution", 2024), YES),
    Case("Art34.2.b-country", "HC_SAO_VANG", 2026, _with("great_merit_country", 2026), YES),
    Case("Art34.2-nothing", "HC_SAO_VANG", 2026, _with("", 2026), NO, ("merit.revolution", "merit.country")),
    Case("Art5.2-given-before", "HC_SAO_VANG", 2024, _with("great_merit_country", 2024, ("HC_SAO_VANG", 2015)), NO,
         ("once",)),
    Case("Art34.3-25-years", "HC_SAO_VANG", 2026,
         _with("exceptional_achievements_wide_influence", 2026, ("HC_HO_CHI_MINH", 2001), collective=True), YES),
    Case("Art34.3-24-years", "HC_SAO_VANG", 2026,
         _with("exceptional_achievements_wide_influence", 2026, ("HC_HO_CHI_MINH", 2002), collective=True), NO,
         ("after_ho_chi_minh",)),
    # Art. 35, 36–38, 51 (numbers from the order of Art. 33.2; text not read): [U], never refuse alone.
    Case("Art35-unread", "HC_HO_CHI_MINH", 2024, _with("", 2024), UNSURE, unknown=("merit",)),
    Case("Art38-unread-collective", "HC_DOC_LAP_3", 2026,
         _with("independence_order_merit_3", 2026, ("HCLD_1", 2022), collective=True), UNSURE, unknown=("prior_class",)),
    Case("Art37-attested", "HC_DOC_LAP_2", 2024, _with("independence_order_merit_2", 2024), YES),
    Case("Art51-unread", "HC_DAI_DOAN_KET", 2026, _with("", 2026), UNSURE, unknown=("merit",)),
    # Foreign partners: Huân chương Hữu nghị Art. 53.1 [S]; Huy chương Hữu nghị Art. 54.1 [C].
    Case("Art53.1-friendship", "HC_HUU_NGHI", 2026, _with("friendship_great_contribution", 2026, collective=True), YES),
    Case("Art53.1-nothing", "HC_HUU_NGHI", 2024, _with("", 2024), NO, ("contribution",)),
    Case("Art54.1-medal", "HUY_CHUONG_HUU_NGHI", 2026, _with("many_contributions_to_vietnam", 2026), YES),
    # Thầy thuốc nhân dân / ưu tú, Art. 65 and NĐ 25/2024 [S]: People's Physician only after Meritorious.
    Case("Art65.3-ttut", "TTUT", 2024, _with("meritorious_physician_standard", 2024), YES),
    Case("Art65.2-ttnd-after-ttut", "TTND", 2026, _with("peoples_physician_standard", 2026, ("TTUT", 2021)), YES),
    Case("Art65.2-ttnd-without-ttut", "TTND", 2026, _with("peoples_physician_standard", 2026), NO, ("prior_title",)),
    # Nghệ nhân nhân dân / ưu tú (Art. 67 by position; text not read): [U].
    Case("Art67-nnnd-without-nnut", "NNND", 2024, _with("peoples_artisan_standard", 2024), UNSURE,
         unknown=("prior_title",)),
    # Giải thưởng Hồ Chí Minh / Nhà nước, Art. 68–70 [C]: the council's finding on the work.
    Case("Art69-hcm-prize", "GT_HCM", 2026, _with("work_meets_ho_chi_minh_prize", 2026), YES),
    Case("Art70.1-state-prize-missing", "GT_NHA_NUOC", 2024, _with("", 2024), NO, ("work",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_award_kinds_follow_their_article(case: Case) -> None:
    _run(case)
    if case.outcome is UNSURE:
        assert UNCONFIRMED_NOT_MET in check(case.code, case.year, case.facts()).flags


def test_friendship_awards_take_the_foreign_path_only() -> None:
    """Law 2022 Art. 53, 54.1: for foreigners — the foreign path allows them, the merit round does not."""
    for code in ("HC_HUU_NGHI", "HUY_CHUONG_HUU_NGHI"):
        entry = catalogue().entry(code)
        assert entry.category is CommendationCategory.FOREIGN
        assert path_for("foreign").allows(entry) and not path_for("merit").allows(entry)


def test_prize_and_physician_rules_cite_the_articles_read() -> None:
    """Art. 65, 69, 70 were read (secondary or gazette): confirmed or secondary, never [U], from 2024."""
    expected = {"TTUT": "Điều 65", "TTND": "Điều 65", "GT_HCM": "Điều 69", "GT_NHA_NUOC": "Điều 70"}
    for code, article in expected.items():
        for version in catalogue().entry(code).rules:
            if version.valid_from.year >= 2024:
                assert version.source.article == article and version.confidence is not Confidence.UNCONFIRMED


# ---------------------------------------------------------------- posthumous awards (truy tặng)
# Law 2022 Art. 33.1 (orders), 54.1 (medals), 68.1 (State prizes): "tặng hoặc truy tặng". Before: the
# engine had no notion of a deceased candidate; a dead person was eligible for Lao động tiên tiến.

POSTHUMOUS_CASES = [
    ("Art33.1-order", "HCLD_3", 2026, "HCLD_3", YES),
    ("Art34.2-gold-star", "HC_SAO_VANG", 2024, "HC_SAO_VANG", YES),
    ("Art68.1-state-prize", "GT_HCM", 2026, "GT_HCM", YES),
    ("Art54.1-friendship-medal", "HUY_CHUONG_HUU_NGHI", 2024, "HUY_CHUONG_HUU_NGHI", YES),
    ("Art24-no-posthumous-title", "LDTT", 2024, "LDTT", UNSURE),
]


@pytest.mark.parametrize(("article", "code", "year", "recipe_code", "outcome"), POSTHUMOUS_CASES,
                         ids=[c[0] for c in POSTHUMOUS_CASES])
def test_a_deceased_person_only_where_the_rule_confers_after_death(
    article: str, code: str, year: int, recipe_code: str, outcome: Outcome
) -> None:
    from datetime import date

    from awards_testkit import IND, recipe

    facts = recipe(recipe_code, IND, year).model_copy(update={"deceased_on": date(year, 8, 1)})
    result = check(code, year, facts)
    assert result.outcome is outcome, result.explanation_en
    line = result.result("posthumous")
    if outcome is YES:
        assert line.confirmed and "được truy tặng" in line.explanation_vi
    else:  # no basis recorded: [U], undetermined, never a refusal without an article
        assert result.unknown() == ["posthumous"] and UNCONFIRMED_NOT_MET in result.flags


def test_a_living_person_is_not_asked_about_death() -> None:
    from awards_testkit import IND, recipe

    result = check("HCLD_3", 2026, recipe("HCLD_3", IND, 2026))
    assert "posthumous" not in {r.id for r in result.results()}
