"""The engine: errors, explanations with citations, unconfirmed flags, holds, initiatives, serialisation."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest
from awards_testkit import (
    COL,
    IND,
    award,
    catalogue,
    check,
    grades,
    initiative,
    person,
    raw_parts,
    recipe,
    titles,
    unit,
)
from kernel.errors import DomainError, NotFound
from tdkt_contracts.vocabulary import Grade, Level, RecipientKind

from services.awards.domain import (
    Assessment,
    AssessmentRequest,
    HoldRecord,
    HouseholdFacts,
    Outcome,
    PersonFacts,
    Status,
    UnitFacts,
    assess,
    assess_many,
    assess_request,
    parse_catalogue,
)

# ------------------------------------------------------------------ errors


def test_unknown_award_code() -> None:
    with pytest.raises(NotFound) as caught:
        check("HUY_CHUONG_VANG", 2024, person())
    assert caught.value.code == "unknown_award" and caught.value.status == 404


@pytest.mark.parametrize("year", [2010, 2016])
def test_year_with_no_rule_in_force(year: int) -> None:
    with pytest.raises(DomainError) as caught:
        check("LDTT", year, person())
    assert caught.value.code == "no_rule_for_year"
    assert caught.value.details["year"] == year


def test_medal_before_its_circular_has_no_rule() -> None:
    with pytest.raises(DomainError) as caught:
        check("KNC_CT", 2017, person())
    assert caught.value.code == "no_rule_for_year"


@pytest.mark.parametrize(("code", "facts"), [("LDTT", unit()), ("TTLDTT", person()), ("KNC_CT", unit())])
def test_wrong_recipient_kind(code: str, facts: PersonFacts | UnitFacts) -> None:
    with pytest.raises(DomainError) as caught:
        check(code, 2024, facts)
    assert caught.value.code == "wrong_recipient_kind"
    assert not isinstance(caught.value, NotFound)


# ------------------------------------------------------------------ citations on every result


def _reference_year(version) -> int:
    for year in range(version.valid_from.year, 2030):
        if version.in_force(date(year, 12, 31)):
            return year
    raise AssertionError(version.id)


def _versions() -> list:
    return [(e.code, v) for e in catalogue().entries.values() for v in e.rules]


def _bare(kind: RecipientKind) -> PersonFacts | UnitFacts | HouseholdFacts:
    """Nothing loaded at all: every criterion must say unknown or fail, never pass silently."""
    if kind is IND:
        return PersonFacts(person_id="p-x", full_name="Trần Thị Bình")
    if kind is RecipientKind.HOUSEHOLD:
        return HouseholdFacts(household_id="hgd-x", name="Hộ bà Lê Thị Cúc")
    return UnitFacts(unit_id="u-x", name="Phòng Tổng hợp")


@pytest.mark.parametrize(("code", "version"), _versions(), ids=lambda v: getattr(v, "id", v))
def test_every_criterion_result_names_the_article_it_applied(code: str, version) -> None:
    year = _reference_year(version)
    for facts in (recipe(code, version.recipient, year), _bare(version.recipient)):
        result = check(code, year, facts)
        assert result.rule.rule_id == version.id
        assert result.rule.citation.article and result.rule.citation.text_vi in result.explanation_vi
        for r in result.results():
            assert r.citation.article.strip() and r.citation.document_vi.strip()
            assert r.citation.text_vi in r.explanation_vi
            assert r.citation.text_en in r.explanation_en
            assert r.explanation_vi in result.explanation_vi


@pytest.mark.parametrize(("code", "version"), _versions(), ids=lambda v: getattr(v, "id", v))
def test_missing_facts_never_pass(code: str, version) -> None:
    year = _reference_year(version)
    result = check(code, year, _bare(version.recipient))
    assert not result.eligible
    passed_leaves = [r.kind for r in result.results() if not r.children and r.status is Status.PASSED and r.decisive]
    assert set(passed_leaves) <= {"conferral_cycle", "meets_criteria_of"}  # cycles read no facts


def test_explanation_is_nfc_vietnamese_and_english() -> None:
    result = check("CSTD_BO", 2023, recipe("CSTD_BO", IND, 2023))
    assert unicodedata.normalize("NFC", result.explanation_vi) == result.explanation_vi
    assert "ĐỦ ĐIỀU KIỆN" in result.explanation_vi and "ELIGIBLE" in result.explanation_en
    assert "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013), Điều 22" in result.explanation_vi
    assert "Art. 22" in result.explanation_en


def test_facts_used_are_reported() -> None:
    result = check("CSTD_BO", 2023, recipe("CSTD_BO", IND, 2023))
    assert result.facts_used["chain"]["years_needed"] == [2021, 2022, 2023]
    assert result.facts_used["initiative"]["usable"] == ["SK-BO"]


def test_rule_window_and_rule_set_are_reported() -> None:
    result = check("TTLDTT", 2023, recipe("TTLDTT", COL, 2023))
    assert result.rule.rule_id == "TTLDTT.collective.2017-07-31"
    assert (result.rule.valid_from, result.rule.valid_to) == (date(2017, 7, 31), date(2023, 12, 31))
    assert result.rule.rule_set_id == "LAW2013_ND91"
    assert check("TTLDTT", 2025, recipe("TTLDTT", COL, 2025)).rule.rule_set_id == "LAW2022_ND152"


# ------------------------------------------------------------------ unconfirmed rules


def test_unconfirmed_rule_is_flagged_on_the_criterion_and_at_the_top() -> None:
    result = check("BK_TTG", 2023, recipe("BK_TTG", IND, 2023))
    assert result.eligible and result.unconfirmed and result.flags == ("unconfirmed",)
    refs = {i.ref for i in result.unconfirmed_items}
    assert {"BK_TTG.individual.2017-07-31", "prior_bk", "htxs", "initiatives"} <= refs
    assert not result.result("prior_bk").confirmed
    assert "(Quy định chưa được xác nhận.)" in result.result("prior_bk").explanation_vi
    assert "Lưu ý — áp dụng quy định chưa được xác nhận" in result.explanation_vi


def test_confirmed_rule_is_not_flagged() -> None:
    # LĐTT is no longer the example: its working-time admissibility (issue #19.10) is [U]
    result = check("BK_BT", 2026, recipe("BK_BT", IND, 2026))
    assert result.eligible and not result.unconfirmed and result.flags == ()
    assert all(r.confirmed for r in result.results())


def test_unconfirmed_procedure_is_flagged_but_does_not_decide() -> None:
    result = check("CSTDCS", 2026, recipe("CSTDCS", IND, 2026))
    assert result.eligible and result.unconfirmed
    # the other item is LĐTT's [U] working-time admissibility, met by the recipe (issue #19.10)
    assert [(i.scope, i.ref) for i in result.unconfirmed_items] == [
        ("criterion", "ldtt.working_time"),
        ("procedure", "CSTDCS.individual.2025-07-01:council_vote"),
    ]
    assert result.procedure.council_vote_share.value == 0.8 and not result.procedure.council_vote_share.confirmed


def test_unconfirmed_alternative_not_taken_is_not_flagged() -> None:
    parts = raw_parts()
    route = award(parts, "BK_BT")["rules"][2]["criteria"][0]
    next(c for c in route["criteria"] if c["id"] == "attested")["confidence"] = "U"
    changed = parse_catalogue(parts)
    taken = assess(changed, "BK_BT", 2026, recipe("BK_BT", IND, 2026))
    assert taken.eligible and not taken.unconfirmed
    assert taken.result("route.attested").decisive is False and not taken.result("route.attested").confirmed
    relied_on = assess(changed, "BK_BT", 2026, person())
    assert [i.ref for i in relied_on.unconfirmed_items] == ["route.attested"]


def test_titles_under_the_earlier_law_count_toward_a_chain_as_an_unconfirmed_assumption() -> None:
    result = check("CSTD_BO", 2024, recipe("CSTD_BO", IND, 2024))
    chain = result.result("chain")
    assert chain.status is Status.PASSED and not chain.confirmed
    assert "2022, 2023" in chain.assumptions_vi[0] and "rules.md §8" in chain.assumptions_en[0]
    later = check("CSTD_BO", 2026, recipe("CSTD_BO", IND, 2026)).result("chain")
    assert later.confirmed and later.assumptions_vi == ()


# ------------------------------------------------------------------ holds (NĐ 152 Art. 4.4)


def test_open_hold_blocks_on_the_consideration_date_only() -> None:
    hold = HoldRecord(kind="investigation", opened_on=date(2025, 1, 10), closed_on=date(2025, 3, 1))
    facts = recipe("LDTT", IND, 2024).model_copy(update={"holds": [hold]})
    during = check("LDTT", 2024, facts, as_of=date(2025, 2, 1))
    assert not during.eligible and during.failing() == ["no_pending_hold"]
    assert "Đang điều tra, thanh tra, kiểm tra" in during.result("no_pending_hold").detail_vi
    assert check("LDTT", 2024, facts, as_of=date(2025, 3, 15)).eligible
    assert check("LDTT", 2024, facts).eligible  # closed: no longer open without a date either


def test_open_complaint_blocks_a_collective_too() -> None:
    hold = HoldRecord(kind="complaint", opened_on=date(2026, 11, 2))
    result = check("TTLDXS", 2026, recipe("TTLDXS", COL, 2026).model_copy(update={"holds": [hold]}))
    assert result.outcome is Outcome.INELIGIBLE and result.failing() == ["no_pending_hold"]


# ------------------------------------------------------------------ initiatives serve once


def test_consumed_initiatives_are_listed_only_when_eligible() -> None:
    result = check("CSTD_BO", 2023, recipe("CSTD_BO", IND, 2023))
    assert result.initiatives_to_consume == ("SK-BO",)
    broken = recipe("CSTD_BO", IND, 2023).model_copy(update={"titles": titles("CSTDCS", 2023)})
    assert check("CSTD_BO", 2023, broken).initiatives_to_consume == ()


def test_route_without_initiative_is_preferred() -> None:
    result = check("CSTDCS", 2024, recipe("CSTDCS", IND, 2024))
    assert result.result("route.htxs").decisive and result.initiatives_to_consume == ()
    assert result.result("route.initiative").decisive is False


def test_htt_grade_consumes_the_initiative() -> None:
    facts = recipe("CSTDCS", IND, 2024).model_copy(update={"grades": {2024: Grade.GOOD}})
    assert check("CSTDCS", 2024, facts).initiatives_to_consume == ("SK-CS",)


def test_lowest_sufficient_level_is_used_first() -> None:
    facts = person(
        grades={2023: Grade.GOOD},
        initiatives=[initiative("SK-NATIONAL", 2023, Level.NATIONAL), initiative("SK-LOCAL", 2023, Level.GRASSROOTS)],
    )
    assert check("CSTDCS", 2023, facts).initiatives_to_consume == ("SK-LOCAL",)


def test_one_initiative_never_counts_twice_in_one_file() -> None:
    facts = person(grades=grades([2023, 2024]), initiatives=[initiative("SK-1", 2024)])
    result = check("BK_BT", 2024, facts)
    assert not result.eligible
    assert "có 1" in result.result("route.htxs_initiatives.initiatives").detail_vi


def test_two_initiatives_are_consumed_by_the_htxs_route() -> None:
    facts = person(grades=grades([2023, 2024]), initiatives=[initiative("SK-1", 2023), initiative("SK-2", 2024)])
    assert check("BK_BT", 2024, facts).initiatives_to_consume == ("SK-1", "SK-2")


# ------------------------------------------------------------------ many candidates, requests, JSON


def test_assess_many_tells_who_qualifies() -> None:
    staff = [
        recipe("CSTDCS", IND, 2024).model_copy(update={"person_id": "p-1", "full_name": "Lê Văn Cường"}),
        person(person_id="p-2", full_name="Phạm Thị Dung", grades={2024: Grade.GOOD}),
        person(person_id="p-3", full_name="Hoàng Minh Đức", grades={}),
    ]
    results = assess_many(catalogue(), "CSTDCS", 2024, staff)
    assert [(r.subject_id, r.outcome) for r in results] == [
        ("p-1", Outcome.ELIGIBLE),
        ("p-2", Outcome.INELIGIBLE),
        ("p-3", Outcome.UNDETERMINED),
    ]


def test_request_body_round_trip() -> None:
    body = {
        "code": "TTLDTT",
        "year": 2024,
        "as_of": "2025-01-15",
        "recipient": {
            "recipient_kind": "collective",
            "unit_id": "u-vkh",
            "name": "Vụ Kế hoạch, Tài chính",
            "grades": {"2024": "HTT"},
            "titles": [],
            "holds": [],
            "members": [
                {
                    "year": 2024,
                    "member_count": 20,
                    "titled": {"LDTT": 15},
                    "completed_duties": 20,
                    "max_discipline": "none",
                }
            ],
        },
    }
    request = AssessmentRequest.model_validate(body)
    assert isinstance(request.recipient, UnitFacts)
    result = assess_request(catalogue(), request)
    assert result.eligible and result.as_of == date(2025, 1, 15)
    dumped = json.loads(result.model_dump_json())
    assert dumped["outcome"] == "eligible" and dumped["criteria"][0]["citation"]["article"] == "Điều 28"
    assert Assessment.model_validate_json(result.model_dump_json()) == result


def test_facts_text_is_normalised_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hằng")
    facts = person(full_name=decomposed)
    assert facts.full_name == unicodedata.normalize("NFC", "Nguyễn Thị Hằng")


def test_member_counts_must_fit_the_member_count() -> None:
    from pydantic import ValidationError

    from services.awards.domain import MemberSummary

    with pytest.raises(ValidationError):
        MemberSummary(year=2024, member_count=5, titled={"LDTT": 6})


def test_procedure_says_who_decides() -> None:
    result = check("KNC_GD", 2024, recipe("KNC_GD", IND, 2024))
    assert not result.procedure.ministry_decides
    assert result.procedure.submit_to_vi == "Bộ trưởng Bộ Giáo dục và Đào tạo"
    assert check("BK_BT", 2024, recipe("BK_BT", COL, 2024)).procedure.ministry_decides


def test_quota_is_a_note_not_a_criterion() -> None:
    result = check("CSTDCS", 2023, recipe("CSTDCS", IND, 2023))
    assert result.eligible and "15%" in result.quota_notes[0].text_vi
    assert check("CSTDCS", 2024, recipe("CSTDCS", IND, 2024)).quota_notes == ()


def test_unknown_grade_year_is_unknown_not_passed() -> None:
    facts = person(grades={2022: Grade.EXCELLENT, 2024: Grade.EXCELLENT})
    result = check("BK_BT", 2024, facts.model_copy(update={"titles": titles("CSTDCS", 2024)}))
    htxs = result.result("route.htxs_initiatives.htxs")
    assert htxs.status is Status.UNKNOWN and "2023" in htxs.detail_vi
