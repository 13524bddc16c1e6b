"""Households (hộ gia đình) as recipients (issue #19): Law 2022 Art. 2 makes them subjects of the law; Giấy khen
(Art. 75, as mirrored in rules.md S3 [S]) and the Minister's Bằng khen (Art. 74, household clause not read [U]) are
given to them. A household's criteria are read from what its nomination states it contributed (công sức, đất đai,
tài sản), never from the units' facts.
"""

from __future__ import annotations

from datetime import date

import pytest
from awards_testkit import HH, award, catalogue, check, contribution, household, raw_parts
from tdkt_contracts.vocabulary import RecipientKind

from kernel.errors import DomainError
from services.awards.domain import AssessmentRequest, HouseholdFacts, Outcome, assess, parse_catalogue
from services.awards.domain.engine import UNCONFIRMED_NOT_MET

LAND = contribution("dat_dai", 2024, "Hiến 120 m² đất làm đường liên thôn", 300_000_000)


@pytest.mark.parametrize(
    ("code", "year", "article"),
    [
        ("GIAY_KHEN", 2024, "Điều 75"),
        ("GIAY_KHEN", 2026, "Điều 75"),
        ("BK_BT", 2024, "Điều 74"),
        ("BK_BT", 2026, "Điều 74"),
    ],
)
def test_the_law_2022_gives_these_awards_to_households(code: str, year: int, article: str) -> None:
    """Law 2022 Art. 74 (Bằng khen) and 75 (Giấy khen): a household with a contribution of the year is eligible,
    with the unconfirmed flag, under the household rule version citing the article."""
    facts = household(contributions=[contribution("dat_dai", year, value_vnd=300_000_000)])
    result = check(code, year, facts, as_of=date(year, 12, 10))
    assert result.outcome is Outcome.ELIGIBLE, result.explanation_en
    assert result.rule.rule_id.startswith(f"{code}.household.")
    assert article in result.rule.citation.article
    assert result.recipient_kind is RecipientKind.HOUSEHOLD
    assert result.subject_id == "hgd-001" and result.subject_name == "Hộ ông Nguyễn Văn A"
    assert "unconfirmed" in result.flags  # the household clause was not read: the council knows it


def test_each_contribution_is_reported_with_its_value_in_dong() -> None:
    facts = household(contributions=[LAND, contribution("cong_suc", 2024, "Góp 50 ngày công", None)])
    result = check("GIAY_KHEN", 2024, facts)
    line = next(r for r in result.results() if r.id == "contribution")
    assert "Đất đai: Hiến 120 m² đất làm đường liên thôn (300.000.000 đồng)" in line.explanation_vi
    assert "Công sức: Góp 50 ngày công" in line.explanation_vi
    assert line.facts_used["total_value_vnd"] == 300_000_000
    assert len(line.facts_used["contributions"]) == 2


def test_no_contribution_leaves_the_council_to_judge_never_refuses() -> None:
    """Art. 74/75's household clauses are [U]: not met is undetermined with the flag, not ineligible."""
    result = check("BK_BT", 2024, household(contributions=[]))
    assert result.outcome is Outcome.UNDETERMINED
    assert UNCONFIRMED_NOT_MET in result.flags
    assert result.failing() == [] and result.unknown() == ["contribution"]


@pytest.mark.parametrize("code", ["LDTT", "CSTD_BO", "TTLDTT", "HCLD_3", "KNC_CT"])
def test_awards_the_law_gives_no_household_are_refused_by_kind(code: str) -> None:
    with pytest.raises(DomainError) as refused:
        check(code, 2024, household(contributions=[LAND]))
    assert refused.value.code == "wrong_recipient_kind"
    assert refused.value.details["recipient_kind"] == "household"


def test_a_household_comes_through_the_assessment_request_by_its_kind() -> None:
    request = AssessmentRequest.model_validate(
        {
            "code": "GIAY_KHEN",
            "year": 2024,
            "recipient": {
                "recipient_kind": "household",
                "household_id": "hgd-7",
                "name": "Hộ bà Trần Thị Mơ",
                "address": "Phường Hòa Khánh",
                "unit_id": "u-vtccb",
                "contributions": [{"kind": "tai_san", "year": 2024, "description": "Ủng hộ quỹ khuyến học",
                                   "value_vnd": 20_000_000}],
                "titles": [], "holds": [], "attestations": [],
            },
        }
    )
    assert isinstance(request.recipient, HouseholdFacts)
    assert assess(catalogue(), request.code, request.year, request.recipient).eligible


def test_a_value_threshold_is_a_data_change() -> None:
    """A province-style threshold (e.g. 40 million đồng, Ninh Thuận QĐ 02/2015 Art. 27.3.a) confirmed in a later
    text: set on the criterion's params, the engine compares the stated values; unvalued ones leave it unknown."""
    parts = raw_parts()
    rule = next(r for r in award(parts, "GIAY_KHEN")["rules"] if r["recipient"] == "household"
                and str(r["valid_from"]) == "2025-07-01")
    criterion = dict(rule["criteria"][0], params={"kinds": ["cong_suc", "dat_dai", "tai_san"],
                                                  "min_value_vnd": 40_000_000}, confidence="C")
    rule["criteria"][0] = criterion
    changed = parse_catalogue(parts)
    small = household(contributions=[contribution("tai_san", 2026, "Ủng hộ 30 triệu đồng", 30_000_000)])
    refused = assess(changed, "GIAY_KHEN", 2026, small)
    assert refused.outcome is Outcome.INELIGIBLE and refused.failing() == ["contribution"]
    assert "tổng 30.000.000 đồng, cần từ 40.000.000 đồng" in refused.explanation_vi
    unvalued = household(contributions=[contribution("tai_san", 2026, "Ủng hộ 30 triệu", 30_000_000),
                                        contribution("dat_dai", 2026, "Hiến đất", None)])
    assert assess(changed, "GIAY_KHEN", 2026, unvalued).unknown() == ["contribution"]
    enough = household(contributions=[contribution("tai_san", 2026, "Ủng hộ 45 triệu", 45_000_000)])
    assert assess(changed, "GIAY_KHEN", 2026, enough).eligible


def test_a_household_version_pays_one_and_a_half_times_the_individual_amount() -> None:
    """rules.md §2 (NĐ 152/2025 Art. 50–54): households get 1.5 × the individual amount. Where the individual
    amount was not captured (Giấy khen, Bằng khen), the household version states none either."""
    checked = 0
    for entry in catalogue().entries.values():
        for version in entry.rules_for(HH):
            individual = entry.rule_for(RecipientKind.INDIVIDUAL, version.valid_from)
            own = version.cash.multiple if version.cash else None
            base = individual.cash.multiple if individual and individual.cash else None
            assert own == (None if base is None else pytest.approx(1.5 * base)), version.id
            checked += 1
    assert checked == 6  # GIAY_KHEN and BK_BT, three regimes each


def test_a_household_has_no_tie_priority_to_claim() -> None:
    """NĐ 152/2025 Art. 4.6 ranks women and collectives with 70 % women; a household has neither."""
    result = check("GIAY_KHEN", 2026, household(contributions=[contribution("dat_dai", 2026)]))
    assert result.eligible and result.tie_priority is None


def test_a_unit_wide_query_lists_no_households() -> None:
    """A unit lists people and collectives; households are assessed on their nomination's facts."""
    from services.awards.api.assessments import HOUSEHOLDS_NOT_LISTED, default_recipient

    entry = catalogue().entry("GIAY_KHEN")
    with pytest.raises(DomainError) as refused:
        default_recipient(entry, RecipientKind.HOUSEHOLD)
    assert refused.value.code == HOUSEHOLDS_NOT_LISTED == "households_not_listed"
    assert default_recipient(entry, None) is RecipientKind.INDIVIDUAL
