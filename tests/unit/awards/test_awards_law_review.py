"""The law applied right (issue #19): each table row cites the article it checks.

Rows are (article, code, year, facts, expected outcome, paths of failed /
unknown decisive criteria). Every row failed on the engine and catalogue
before the fix; the comment above each table says how.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest
from awards_testkit import (
    IND,
    attested,
    catalogue,
    check,
    discipline,
    grades,
    initiative,
    person,
    recipe,
    titles,
)
from tdkt_contracts.vocabulary import Grade, RecipientKind, Sex

from services.awards.domain import Outcome, PersonFacts, UnitFacts
from services.awards.domain.criteria import CriterionKind
from services.awards.domain.engine import UNCONFIRMED_NOT_MET
from services.awards.domain.vocabulary import Confidence

YES, NO, UNSURE = Outcome.ELIGIBLE, Outcome.INELIGIBLE, Outcome.UNDETERMINED
HTT, HTXS = Grade.GOOD, Grade.EXCELLENT


@dataclass(frozen=True)
class Case:
    article: str
    code: str
    year: int
    facts: Callable[[], PersonFacts | UnitFacts]
    outcome: Outcome
    failed: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.code}-{self.year}-{self.article}"


def _run(case: Case) -> None:
    result = check(case.code, case.year, case.facts())
    assert result.outcome is case.outcome, result.explanation_en
    assert set(result.failing()) == set(case.failed), result.explanation_en
    assert set(result.unknown()) == set(case.unknown), result.explanation_en


# ---------------------------------------------------------------- 1. Bằng khen Thủ tướng, Law 2022 Art. 73.1
# Before: five HTXS years and five grassroots initiatives (the NĐ 65/2014 rule) even from 2024;
# a lawful nominee with HTT years and three CSTĐCS was refused; initiatives were consumed.


def _bk_ttg_73_1_b(y: int, **kw: object) -> PersonFacts:
    base = dict(grades=grades(range(y - 4, y + 1), HTT), titles=titles("BK_BT", y - 5) + titles("CSTDCS", y - 4, y - 2, y))
    base.update(kw)
    return person(**base)


BK_TTG_CASES = [
    Case("Art73.1.b-htt-three-cstdcs-no-initiative", "BK_TTG", 2024, lambda: _bk_ttg_73_1_b(2024), YES),
    Case("Art73.1.b-htt-three-cstdcs-no-initiative", "BK_TTG", 2026, lambda: _bk_ttg_73_1_b(2026), YES),
    Case("Art73.1.b-two-cstdcs-only", "BK_TTG", 2024,
         lambda: _bk_ttg_73_1_b(2024, titles=titles("BK_BT", 2019) + titles("CSTDCS", 2022, 2024)), NO,
         ("route.merit.cstdcs", "route.movement", "route.ministry_scope", "route.one_off")),
    Case("Art73.1.b-one-year-ht", "BK_TTG", 2026,
         lambda: _bk_ttg_73_1_b(2026, grades={**grades(range(2022, 2027), HTT), 2023: Grade.COMPLETED}), NO,
         ("route.merit.grades", "route.movement", "route.ministry_scope", "route.one_off")),
    Case("Art73.1.a-government-movement", "BK_TTG", 2024,
         lambda: person(attestations=[attested("outstanding_in_government_movement", 2024)]), YES),
    Case("Art73.1-one-off", "BK_TTG", 2026, lambda: person(attestations=[attested("one_off_achievement", 2026)]), YES),
]


@pytest.mark.parametrize("case", BK_TTG_CASES, ids=[c.id for c in BK_TTG_CASES])
def test_prime_minister_certificate_follows_art_73(case: Case) -> None:
    _run(case)


def test_prime_minister_certificate_consumes_no_initiative_from_2024() -> None:
    facts = _bk_ttg_73_1_b(2024, initiatives=[initiative(f"SK-{y}", y) for y in range(2020, 2025)])
    result = check("BK_TTG", 2024, facts)
    assert result.eligible and result.initiatives_to_consume == ()
    assert result.result("route.merit").citation.text_vi == "Luật Thi đua, khen thưởng 2022, Điều 73, điểm b khoản 1"


# ---------------------------------------------------------------- 2. [U] never refuses alone
# Before: a [U] criterion that failed made the candidate ineligible (e.g. CSTĐ Bộ 2024 without a
# registration, whose only source is the 2024 pledge — not a legal document).


def _leaf_specs(version):  # noqa: ANN001, ANN202
    for spec in version.criteria:
        yield from (s for s in spec.walk() if s.kind not in (CriterionKind.ANY_OF, CriterionKind.ALL_OF))


def _unconfirmed_targets() -> list[tuple[str, str, int]]:
    found = []
    for code, entry in catalogue().entries.items():
        for version in entry.rules:
            if any(s.confidence is Confidence.UNCONFIRMED for s in _leaf_specs(version)):
                found.append((code, version.recipient.value, version.valid_from.year))
    return found


@pytest.mark.parametrize(("code", "kind", "start"), _unconfirmed_targets())
def test_no_unconfirmed_criterion_refuses_alone(code: str, kind: str, start: int) -> None:
    """Over every catalogue code: with nothing on record, no [U] leaf is ever among the failing ones."""
    from awards_testkit import facts_of

    entry = catalogue().entries[code]
    version = next(v for v in entry.rules if v.recipient.value == kind and v.valid_from.year == start)
    # an achievement year whose 31 December falls in the version's window
    end = version.valid_to
    year = 2026 if end is None else (end.year if (end.month, end.day) == (12, 31) else end.year - 1)
    facts = facts_of(RecipientKind(kind))
    result = check(code, year, facts)
    assert result.rule.rule_id == version.id
    combinators = (CriterionKind.ANY_OF, CriterionKind.ALL_OF)
    unconfirmed = [r for r in result.results() if r.kind not in combinators and r.confidence is Confidence.UNCONFIRMED]
    unconfirmed_paths = {r.id for r in unconfirmed}
    assert unconfirmed_paths, f"{code} {kind} {year}: the [U] criteria were not evaluated"
    assert not unconfirmed_paths & set(result.failing()), result.explanation_en
    assert all(r.status.value != "failed" for r in unconfirmed), result.explanation_en
    not_met = [r for r in result.results() if r.decisive and r.facts_used.get(UNCONFIRMED_NOT_MET)]
    assert all(r.id in unconfirmed_paths for r in not_met)
    assert (UNCONFIRMED_NOT_MET in result.flags) is bool(not_met)
    if not_met and not result.failing():
        assert result.outcome is UNSURE


def test_an_unconfirmed_requirement_not_met_leaves_the_outcome_undetermined() -> None:
    # LĐTT before 2024 is read from NĐ 91/2017 without its article checked [U]: a HT grade is
    # not met, but it does not refuse the candidate on its own.
    result = check("LDTT", 2023, person(grades={2023: Grade.COMPLETED}))
    assert result.outcome is UNSURE and result.unknown() == ["grade"]
    assert UNCONFIRMED_NOT_MET in result.flags and "[U]" in result.result("grade").detail_vi


@pytest.mark.parametrize("year", [2024, 2026])
def test_registration_for_ministry_fighter_never_refuses_alone(year: int) -> None:
    # GIAO_UOC_BCT_2024 is no legal document: without a registration the outcome is undetermined, with a flag.
    facts = recipe("CSTD_BO", IND, year).model_copy(update={"registrations": []})
    result = check("CSTD_BO", year, facts)
    assert result.outcome is UNSURE and result.unknown() == ["registration"] and result.failing() == []
    assert UNCONFIRMED_NOT_MET in result.flags


# ---------------------------------------------------------------- 3. discipline in every version that has it
# Before: only the NĐ 152 versions of CSTĐ Bộ, CSTĐ toàn quốc and one HCLĐ route read discipline; a person
# under a reprimand was eligible for LĐTT 2023, LĐTT and CSTĐCS 2024, CSTĐ Bộ 2024 and the Minister's BK 2025.


def _reprimanded(code: str, year: int, start: date, end: date) -> Callable[[], PersonFacts]:
    return lambda: recipe(code, IND, year).model_copy(
        update={"disciplines": [discipline("khien_trach", start, end)]}
    )


DISCIPLINE_CASES = [
    Case("ND91-Art9-reprimand", "LDTT", 2023, _reprimanded("LDTT", 2023, date(2023, 3, 1), date(2024, 2, 28)), NO,
         ("no_discipline",)),
    Case("ND98-Art4-reprimand", "LDTT", 2024, _reprimanded("LDTT", 2024, date(2024, 3, 1), date(2025, 2, 28)), NO,
         ("no_discipline",)),
    Case("ND98-Art4-reprimand", "CSTDCS", 2024, _reprimanded("CSTDCS", 2024, date(2024, 3, 1), date(2025, 2, 28)),
         NO, ("ldtt.no_discipline",)),
    Case("ND98-Art4-reprimand-in-chain", "CSTD_BO", 2024,
         _reprimanded("CSTD_BO", 2024, date(2022, 3, 1), date(2023, 2, 28)), NO, ("no_discipline",)),
    Case("ND98-Art4-ended-before-chain", "CSTD_BO", 2024,
         _reprimanded("CSTD_BO", 2024, date(2021, 1, 1), date(2021, 12, 31)), YES),
    Case("ND152-Art4.4-reprimand", "BK_BT", 2025, _reprimanded("BK_BT", 2025, date(2025, 3, 1), date(2026, 2, 28)),
         NO, ("no_discipline",)),
    Case("ND98-Art4-reprimand-in-five-years", "BK_TTG", 2024,
         _reprimanded("BK_TTG", 2024, date(2021, 3, 1), date(2022, 2, 28)), NO,
         ("route.merit.no_discipline", "route.movement", "route.ministry_scope", "route.one_off")),
    Case("ND98-Art4-reprimand-in-five-years", "HCLD_3", 2024,
         _reprimanded("HCLD_3", 2024, date(2021, 3, 1), date(2022, 2, 28)), UNSURE, ("route.merit.no_discipline",),
         ("route.long_service.tenure", "route.long_service.no_discipline_tenure")),
    Case("ND152-Art4.4-reprimand-in-five-years", "HCLD_2", 2026,
         _reprimanded("HCLD_2", 2026, date(2023, 3, 1), date(2024, 2, 28)), NO, ("no_discipline",)),
]


@pytest.mark.parametrize("case", DISCIPLINE_CASES, ids=[c.id for c in DISCIPLINE_CASES])
def test_achievements_count_from_the_end_of_the_discipline_period(case: Case) -> None:
    _run(case)


# ---------------------------------------------------------------- 4. one achievement, one award (Law 2022 Art. 5.2)
# Before: HCLĐ hạng Ba 2023 on a 2018 BK Thủ tướng, then the same class again in 2024 on the same basis; a
# ministry BK that already earned a BK Thủ tướng earned another; CSTĐ Bộ chains overlapped year after year.


def _with_titles(code: str, year: int, *extra: list) -> Callable[[], PersonFacts]:  # type: ignore[type-arg]
    def build() -> PersonFacts:
        facts = recipe(code, IND, year)
        return facts.model_copy(update={"titles": [*(facts.titles or []), *(t for group in extra for t in group)]})

    return build


ONE_AWARD_CASES = [
    Case("Law2022-Art5.2-same-class-twice", "HCLD_3", 2024,
         lambda: person(grades={**grades(range(2020, 2025), HTT), 2024: HTXS},
                        titles=titles("BK_TTG", 2018) + titles("HCLD_3", 2023) + titles("CSTDCS", 2020, 2022, 2024)),
         NO, ("class_once", "route.merit.prior_bk_ttg", "route.merit.cstdcs"),
         ("route.long_service.tenure", "route.long_service.no_discipline_tenure")),
    Case("Law2022-Art5.2-basis-spent", "BK_TTG", 2026,
         lambda: _bk_ttg_73_1_b(2026, titles=titles("BK_BT", 2019) + titles("BK_TTG", 2024)
                                + titles("CSTDCS", 2022, 2024, 2026)), NO,
         ("route.merit.prior_bk", "route.merit.cstdcs", "route.movement", "route.ministry_scope", "route.one_off")),
    Case("Law2022-Art5.2-new-basis-after-last-award", "BK_TTG", 2026,
         lambda: _bk_ttg_73_1_b(2026, titles=titles("BK_TTG", 2019) + titles("BK_BT", 2020)
                                + titles("CSTDCS", 2022, 2024, 2026)), YES),
    Case("Law2022-Art5.2-overlapping-chain", "CSTD_BO", 2024,
         _with_titles("CSTD_BO", 2024, titles("CSTD_BO", 2023), titles("CSTDCS", 2021)), NO, ("chain",)),
    Case("Law2022-Art5.2-chain-after-last-award", "CSTD_BO", 2026,
         lambda: recipe("CSTD_BO", IND, 2026).model_copy(
             update={"titles": titles("CSTD_BO", 2023) + titles("CSTDCS", 2021, 2022, 2023, 2024, 2025, 2026)}), YES),
    Case("Law2022-Art5.2-bk-chain-spent", "BK_BT", 2025,
         _with_titles("BK_BT", 2025, titles("BK_BT", 2024)), NO,
         ("route.cstdcs_chain", "route.attested", "route.direct_worker", "route.htxs_initiatives.initiatives")),
]


@pytest.mark.parametrize("case", ONE_AWARD_CASES, ids=[c.id for c in ONE_AWARD_CASES])
def test_one_achievement_one_award(case: Case) -> None:
    _run(case)


def test_a_spent_basis_is_explained() -> None:
    facts = _bk_ttg_73_1_b(2026, titles=titles("BK_BT", 2019) + titles("BK_TTG", 2024) + titles("CSTDCS", 2022, 2024, 2026))
    detail = check("BK_TTG", 2026, facts).result("route.merit.prior_bk").detail_vi
    assert "sau lần được tặng BK_TTG năm 2024" in detail


# ---------------------------------------------------------------- 5. thematic / one-off awards are no basis
# NĐ 98/2023 and NĐ 152/2025 Art. 4.3. Before: "meets the criteria of" accepted a held title of any category,
# so a collective whose only flag was a thematic ministry flag was found eligible for the Government's flag.


def _flag_holder(category: str) -> Callable[[], UnitFacts]:
    from awards_testkit import unit

    return lambda: unit(titles=titles("CO_TD_BO", 2024, category=category), bloc_leader_years=[])


THEMATIC_CASES = [
    # Law 2022 Art. 25 read in translation [S]: no route met (the thematic flag is no ministry flag), ineligible
    Case("ND98-Art4.3-thematic-flag", "CO_TD_CP", 2024, _flag_holder("thematic"), NO,
         ("route.co_bo.leads.bloc", "route.co_bo.leads.thematic", "route.central_cluster", "route.pm_movement"),
         ("route.co_bo.ttldxs.grade", "route.co_bo.ttldxs.all_completed", "route.co_bo.ttldxs.ldtt_share",
          "route.co_bo.ttldxs.cstdcs_member")),
    # the 2025 ministry flag rule is [U] (TT 22/2023 expired): not a refusal, but no pass on the one-off flag
    Case("ND152-Art4.3-one-off-flag", "CO_TD_CP", 2026, _flag_holder("one_off"), UNSURE),
    Case("ND98-Art4.3-merit-flag", "CO_TD_CP", 2024, _flag_holder("merit"), YES),
]


@pytest.mark.parametrize("case", THEMATIC_CASES, ids=[c.id for c in THEMATIC_CASES])
def test_thematic_and_one_off_awards_are_no_basis_for_merit_awards(case: Case) -> None:
    result = check(case.code, case.year, case.facts())
    assert result.outcome is case.outcome, result.explanation_en
    if case.failed:
        assert set(result.failing()) == set(case.failed), result.explanation_en
        assert set(result.unknown()) == set(case.unknown), result.explanation_en
    assert (result.result("route.co_bo").status.value == "passed") is (case.outcome is YES)


# ---------------------------------------------------------------- 6. long-service medals: one unit, a stated date
# TT 16/2018/TT-BCT Art. 14 (KNC ngành Công Thương), TT 29/2023/TT-BGDĐT (KNC giáo dục). Before: service ran to
# 31 December whatever the date the file was considered (19.92 years passed as "20.08"); discipline was deducted
# in 365.2425-day years from calendar years (a two-year reprimand holding 29 February failed, one without
# passed); a failure read "Cần 15 năm … còn 15 năm".

LONG_SERVICE_CASES = [
    # joined 01/12/2003, file considered 31/10/2023: 19 years 11 months, one month short
    ("TT16-Art14-to-date-considered", "KNC_CT", 2023, dict(sector_joined_on=date(2003, 12, 1)), date(2023, 10, 31),
     NO, "còn thiếu 0 năm 1 tháng 0 ngày (đủ vào ngày 30/11/2023)"),
    ("TT16-Art14-to-31-december-when-no-date", "KNC_CT", 2023, dict(sector_joined_on=date(2003, 12, 1)), None,
     YES, "đến 31/12/2023 (ngày 31/12)"),
    # a two-year reprimand is two years whether or not it holds 29 February
    ("TT16-Art14-reprimand-with-leap-day", "KNC_CT", 2023,
     dict(sector_joined_on=date(2002, 1, 1),
          disciplines=[discipline("khien_trach", date(2019, 3, 1), date(2021, 2, 28))]), None,
     YES, "trừ thời gian kỷ luật 2 năm 0 tháng 0 ngày, được tính 20 năm 0 tháng 0 ngày"),
    ("TT16-Art14-reprimand-without-leap-day", "KNC_CT", 2023,
     dict(sector_joined_on=date(2002, 1, 1),
          disciplines=[discipline("khien_trach", date(2021, 3, 1), date(2023, 2, 28))]), None,
     YES, "trừ thời gian kỷ luật 2 năm 0 tháng 0 ngày, được tính 20 năm 0 tháng 0 ngày"),
    ("TT16-Art14-woman-shortfall-exact", "KNC_CT", 2023,
     dict(sex=Sex.FEMALE, sector_joined_on=date(2009, 3, 16)), date(2023, 12, 10),
     NO, "được tính 14 năm 8 tháng 25 ngày; còn thiếu 0 năm 3 tháng 5 ngày (đủ vào ngày 15/03/2024)"),
    ("TT29-2023-education-to-date-considered", "KNC_GD", 2024, dict(education_joined_on=date(2004, 11, 20)),
     date(2024, 11, 18), NO, "còn thiếu 0 năm 0 tháng 1 ngày (đủ vào ngày 19/11/2024)"),
    ("TT29-2023-education-exactly-twenty-years", "KNC_GD", 2024, dict(education_joined_on=date(2004, 11, 20)),
     date(2024, 11, 19), YES, "được tính 20 năm 0 tháng 0 ngày"),
]


@pytest.mark.parametrize(("article", "code", "year", "update", "as_of", "outcome", "text"), LONG_SERVICE_CASES,
                         ids=[c[0] for c in LONG_SERVICE_CASES])
def test_long_service_is_counted_in_one_unit_to_a_stated_date(
    article: str, code: str, year: int, update: dict, as_of: date | None, outcome: Outcome, text: str  # type: ignore[type-arg]
) -> None:
    facts = recipe(code, IND, year).model_copy(update=update)
    result = check(code, year, facts, as_of=as_of)
    assert result.outcome is outcome, result.explanation_vi
    assert text in result.result("service").detail_vi, result.result("service").detail_vi


# ---------------------------------------------------------------- 7. HCLĐ hạng Ba by leadership tenure
# NĐ 152/2025 Art. 21 gives ranges ("từ 6 đến dưới 10 năm"); Law 2022 Art. 44 has the route from 2024, detailed by
# NĐ 98/2023; NĐ 152 Art. 4.7 cuts tenure by 1/3 for women, except those retiring at a later age. Before: no route
# for 2024 – mid-2025; open minimums (a 12-year director routed to hạng Ba); the exception ignored.


def _leader(since: date, position: str = "cuc_vu_truong", **kw: object) -> Callable[[], PersonFacts]:
    from services.awards.domain import LeaderPost

    return lambda: person(is_leader=True, leader_posts=[LeaderPost(position=position, start=since)], **kw)


TENURE_CASES = [
    Case("ND152-Art21-director-12-years-beyond-range", "HCLD_3", 2026, _leader(date(2015, 1, 1)), NO,
         ("route.merit.prior_bk_ttg", "route.merit.cstdcs", "route.long_service.tenure"),
         ("route.merit.htt", "route.merit.htxs")),
    Case("ND152-Art21-director-7-years-in-range", "HCLD_3", 2026, _leader(date(2020, 1, 1)), YES),
    Case("ND152-Art21-general-director-6-years-beyond-range", "HCLD_3", 2026,
         _leader(date(2021, 1, 1), "tong_cuc_truong"), NO,
         ("route.merit.prior_bk_ttg", "route.merit.cstdcs", "route.long_service.tenure"),
         ("route.merit.htt", "route.merit.htxs")),
    Case("ND152-Art4.7-woman-later-retirement-no-cut", "HCLD_3", 2026,
         _leader(date(2023, 1, 1), sex=Sex.FEMALE, later_retirement=True), NO,
         ("route.merit.prior_bk_ttg", "route.merit.cstdcs", "route.long_service.tenure"),
         ("route.merit.htt", "route.merit.htxs")),
    Case("ND152-Art4.7-woman-cut-by-a-third", "HCLD_3", 2026,
         _leader(date(2023, 1, 1), sex=Sex.FEMALE, later_retirement=False), YES),
    Case("ND152-Art4.7-woman-retirement-group-unknown", "HCLD_3", 2026,
         _leader(date(2023, 1, 1), sex=Sex.FEMALE), UNSURE, ("route.merit.prior_bk_ttg", "route.merit.cstdcs"),
         ("route.merit.htt", "route.merit.htxs", "route.long_service.tenure")),
    Case("Law2022-Art44-tenure-route-2024", "HCLD_3", 2024, _leader(date(2017, 1, 1)), YES),
]


@pytest.mark.parametrize("case", TENURE_CASES, ids=[c.id for c in TENURE_CASES])
def test_labour_order_by_leadership_tenure(case: Case) -> None:
    _run(case)


# HCLĐ hạng Nhì / Nhất by tenure (Law 2022 Art. 43, 42). NĐ 98/2023 Art. 17.1.b, quoted (catalogue X6): Thứ trưởng
# 3 to under 5 years, Tổng cục trưởng 5 or more, Phó Tổng cục trưởng 8 to under 10, Vụ trưởng 10 to under 15 (the quote
# stops at Phó Vụ trưởng: 15 or more inferred); NĐ 152 Art. 20 not found, kept. Hạng Nhất (NĐ 98 Art. 16, NĐ 152 Art. 19
# not read): Thứ trưởng 5 or more (a province's table of the decree, X8). Unread, so [U]: they pass with the flag and
# never refuse alone. Before: neither class had a tenure route, so a leader was undetermined at best.
_NOT_LEADER_MERIT = ("route.merit.prior", "route.merit.htt", "route.merit.htxs")

HIGHER_CLASS_TENURE_CASES = [
    Case("ND98-Art17.1.b-director-12-years", "HCLD_2", 2024, _leader(date(2012, 1, 1)), YES),
    Case("ND152-Art20-director-12-years", "HCLD_2", 2026, _leader(date(2015, 1, 1)), YES),
    Case("ND152-Art20-general-director-7-years", "HCLD_2", 2026, _leader(date(2020, 1, 1), "tong_cuc_truong"), YES),
    Case("ND152-Art20-deputy-general-director-9-years", "HCLD_2", 2026,
         _leader(date(2018, 1, 1), "pho_tong_cuc_truong"), YES),
    Case("ND152-Art21-deputy-general-director-9-years-beyond-range", "HCLD_3", 2026,
         _leader(date(2018, 1, 1), "pho_tong_cuc_truong"), NO,
         ("route.merit.prior_bk_ttg", "route.merit.cstdcs", "route.long_service.tenure"),
         ("route.merit.htt", "route.merit.htxs")),
    Case("ND152-Art20-deputy-minister-4-years", "HCLD_2", 2026, _leader(date(2023, 1, 1), "thu_truong"), YES),
    Case("ND152-Art20-deputy-minister-6-years-beyond-range", "HCLD_2", 2026, _leader(date(2021, 1, 1), "thu_truong"),
         UNSURE, (), (*_NOT_LEADER_MERIT, "route.long_service.tenure")),
    Case("ND152-Art19-deputy-minister-6-years", "HCLD_1", 2026, _leader(date(2021, 1, 1), "thu_truong"), YES),
    Case("ND98-Art16-deputy-minister-5-years", "HCLD_1", 2024, _leader(date(2020, 1, 1), "thu_truong"), YES),
    Case("ND152-Art19-director-has-no-first-class-row", "HCLD_1", 2026, _leader(date(2010, 1, 1)), UNSURE, (),
         (*_NOT_LEADER_MERIT, "route.long_service.tenure")),
    Case("ND152-Art4.7-woman-director-7-years-cut-to-second-class", "HCLD_2", 2026,
         _leader(date(2020, 1, 1), sex=Sex.FEMALE, later_retirement=False), YES),
    Case("ND152-Art4.7-woman-director-7-years-beyond-third-class", "HCLD_3", 2026,
         _leader(date(2020, 1, 1), sex=Sex.FEMALE, later_retirement=False), NO,
         ("route.merit.prior_bk_ttg", "route.merit.cstdcs", "route.long_service.tenure"),
         ("route.merit.htt", "route.merit.htxs")),
    Case("ND152-Art4.7-later-retirement-woman-not-yet-second-class", "HCLD_2", 2026,
         _leader(date(2020, 1, 1), sex=Sex.FEMALE, later_retirement=True), UNSURE, (),
         (*_NOT_LEADER_MERIT, "route.long_service.tenure")),
]


@pytest.mark.parametrize("case", HIGHER_CLASS_TENURE_CASES, ids=[c.id for c in HIGHER_CLASS_TENURE_CASES])
def test_higher_labour_order_classes_by_leadership_tenure(case: Case) -> None:
    _run(case)


@pytest.mark.parametrize(
    ("years", "position", "routed_to"),
    [
        (7, "cuc_vu_truong", {"HCLD_3"}),
        (12, "cuc_vu_truong", {"HCLD_2"}),
        (4, "tong_cuc_truong", {"HCLD_3"}),
        (6, "tong_cuc_truong", {"HCLD_2"}),
        # NĐ 152 Art. 21 [S] lists no Thứ trưởng (counted at the Tổng cục trưởng row): the [U] reading that a
        # Thứ trưởng's 3 years are hạng Nhì's may not refuse hạng Ba, so both pass (hạng Nhì flagged).
        (4, "thu_truong", {"HCLD_3", "HCLD_2"}),
        (6, "thu_truong", {"HCLD_1"}),
    ],
)
def test_a_tenure_routes_to_one_class_only(years: int, position: str, routed_to: set[str]) -> None:
    """NĐ 152/2025 Art. 19–21: "từ … đến dưới …" — a tenure beyond one class's range is for the next, never both."""
    facts = _leader(date(2026 - years + 1, 1, 1), position)()
    passing = {code for code in ("HCLD_3", "HCLD_2", "HCLD_1")
               if check(code, 2026, facts).result("route.long_service.tenure").status.value == "passed"}
    assert passing == routed_to


def test_a_tenure_range_is_ordered_and_may_be_empty() -> None:
    """An empty range (3 to under 3) sends a post to a higher class; an upper bound below the lower one is an error."""
    from pydantic import ValidationError

    from services.awards.domain.criteria import TenureThreshold

    assert TenureThreshold(position="thu_truong", years=3, below_years=3).below_years == 3
    with pytest.raises(ValidationError, match="below_years"):
        TenureThreshold(position="thu_truong", years=5, below_years=3)
    third = check("HCLD_3", 2024, _leader(date(2020, 1, 1), "thu_truong")())  # NĐ 98's [U] ranges
    # Unmet, but [U]: it leaves the outcome undetermined with a flag and refuses no one on its own.
    assert third.result("route.long_service.tenure").status.value == "unknown"
    assert "unconfirmed_not_met" in third.flags and not third.eligible
    assert "từ 3 năm: hạng cao hơn" in third.result("route.long_service.tenure").detail_vi


def test_the_higher_class_tenure_routes_are_flagged_unconfirmed() -> None:
    result = check("HCLD_2", 2024, _leader(date(2012, 1, 1))())
    assert result.eligible and "unconfirmed" in result.flags
    assert result.result("route.long_service.tenure").citation.text_vi.startswith("Nghị định 98/2023/NĐ-CP, Điều 17")


def test_the_2024_tenure_route_is_flagged_unconfirmed() -> None:
    result = check("HCLD_3", 2024, _leader(date(2017, 1, 1))())
    assert result.eligible and "unconfirmed" in result.flags
    assert any(i.ref == "route.long_service.tenure" for i in result.unconfirmed_items)


# ---------------------------------------------------------------- 8. collective orders and BK Thủ tướng
# The collective clauses (Law 2022 Art. 73, Art. 44 and the HCLĐ articles) were not read. Before: inferred from the
# individual rules and too lax (a ministry BK and five HTXS years made a collective eligible). Now the unread
# requirements (years of Tập thể lao động xuất sắc, emulation flags) are [U]: unmet, they leave the outcome
# undetermined with a flag, never eligible and never refused on their own.


def _lax_collective(code: str, year: int) -> Callable[[], UnitFacts]:
    from awards_testkit import COL

    def build() -> UnitFacts:
        facts = recipe(code, COL, year)
        kept = [t for t in facts.titles or [] if t.code not in ("TTLDXS", "CO_TD_BO", "CO_TD_CP")]
        return facts.model_copy(update={"titles": kept})

    return build


COLLECTIVE_CASES = [
    Case("Law2022-Art73-collective-unread", "BK_TTG", 2024, _lax_collective("BK_TTG", 2024), UNSURE, (),
         ("ttldxs_years",)),
    Case("Law2022-Art44-collective-unread", "HCLD_3", 2026, _lax_collective("HCLD_3", 2026), UNSURE, (),
         ("ttldxs_years",)),
    Case("Law2022-HCLD2-collective-unread", "HCLD_2", 2024, _lax_collective("HCLD_2", 2024), UNSURE, (),
         ("ttldxs_years", "flags.flag", "flags.flags")),
]


@pytest.mark.parametrize("case", COLLECTIVE_CASES, ids=[c.id for c in COLLECTIVE_CASES])
def test_collective_orders_are_not_inferred_from_the_individual_rules(case: Case) -> None:
    _run(case)
    result = check(case.code, case.year, case.facts())
    assert UNCONFIRMED_NOT_MET in result.flags


# ---------------------------------------------------------------- 13. the rule set by filing date
# NĐ 152/2025's transitional provisions: a file filed from 1 July 2025 follows NĐ 152, even for a 2024 achievement
# year. Before: the rule set was chosen by 31 December of the achievement year only, with no flag.

FILING_CASES = [
    # (filed_on, rule applied, selected_by, regime_change flagged)
    (None, "LDTT.individual.2024-01-01", "year_end", False),
    (date(2025, 3, 10), "LDTT.individual.2024-01-01", "year_end", False),
    (date(2025, 8, 4), "LDTT.individual.2025-07-01", "filing_date", True),
]


@pytest.mark.parametrize(("filed_on", "rule_id", "selected_by", "flagged"), FILING_CASES)
def test_the_filing_date_decides_where_the_transitional_provisions_say_so(
    filed_on: date | None, rule_id: str, selected_by: str, flagged: bool
) -> None:
    result = check("LDTT", 2024, recipe("LDTT", IND, 2024), filed_on=filed_on)
    assert result.eligible and result.rule.rule_id == rule_id and result.rule.selected_by == selected_by
    assert ("regime_change" in result.flags) is flagged
    if flagged:
        assert result.regime_change is not None and "04/08/2025" in result.regime_change.text_vi
        assert result.rule.rule_set_id == "LAW2022_ND152"
        assert result.regime_change.citation.text_vi.startswith("Nghị định 152/2025/NĐ-CP")


def test_a_file_across_a_regime_change_without_a_transitional_clause_keeps_its_year_and_is_flagged() -> None:
    # NĐ 98 (2024) has no filing-date clause in the catalogue: a 2023 achievement filed in 2024 stays under NĐ 91.
    result = check("LDTT", 2023, recipe("LDTT", IND, 2023), filed_on=date(2024, 2, 1))
    assert result.rule.rule_set_id == "LAW2013_ND91" and result.rule.selected_by == "year_end"
    assert "regime_change" in result.flags and result.regime_change is not None
    assert not result.regime_change.confirmed


# ---------------------------------------------------------------- 11. missing routes
# Law 2022 Art. 74.1.đ: the Minister's Bằng khen for direct workers with many achievements. Before: no route, so a
# lawful worker was refused.

DIRECT_WORKER_CASES = [
    Case("Law2022-Art74.1.d-direct-worker", "BK_BT", 2024,
         lambda: person(attestations=[attested("direct_worker_achievements", 2024)]), YES),
    Case("Law2022-Art74.1.d-direct-worker", "BK_BT", 2026,
         lambda: person(attestations=[attested("direct_worker_achievements", 2026)]), YES),
    Case("Law2022-Art74.1.d-attested-for-another-year", "BK_BT", 2026,
         lambda: person(attestations=[attested("direct_worker_achievements", 2025)]), NO,
         ("route.cstdcs_chain", "route.attested", "route.direct_worker", "route.htxs_initiatives.initiatives"),
         ("route.htxs_initiatives.htxs",)),
]


@pytest.mark.parametrize("case", DIRECT_WORKER_CASES, ids=[c.id for c in DIRECT_WORKER_CASES])
def test_the_ministers_certificate_for_direct_workers(case: Case) -> None:
    _run(case)
    if case.outcome is YES:
        result = check(case.code, case.year, case.facts())
        assert result.result("route.direct_worker").citation.text_vi.endswith("Điều 74, điểm đ khoản 1")


# TT 16/2018/TT-BCT Art. 14.2: the Industry and Trade medal for people outside the sector who contributed to it (read
# in part: an invention or State-level scientific work applied in the sector; the rest cut off). Before: only sector
# service counted, so such a person was never eligible (undetermined without a sector start, refused with a short one).
_OUTSIDE = "outside_sector_contribution"


def _outside(year: int, joined: date | None = None, **kw: object) -> Callable[[], PersonFacts]:
    return lambda: person(sector_joined_on=joined, attestations=[attested(_OUTSIDE, year)], **kw)


OUTSIDE_SECTOR_CASES = [
    Case("TT16-2018-Art14.2-outside-sector-attested", "KNC_CT", 2023, _outside(2023), YES),
    Case("TT16-2018-Art14.2-outside-sector-attested-woman", "KNC_CT", 2023, _outside(2023, sex=Sex.FEMALE), YES),
    Case("TT16-2018-Art14.2-eight-sector-years-and-attested", "KNC_CT", 2023, _outside(2023, date(2015, 1, 1)), YES),
    Case("TT16-2018-Art14.2-attested-for-another-year", "KNC_CT", 2023, _outside(2022, date(2015, 1, 1)), NO,
         ("service",)),
    Case("TT16-2018-Art14.1-short-service-not-attested", "KNC_CT", 2023,
         lambda: person(sector_joined_on=date(2015, 1, 1)), NO, ("service",)),
    Case("TT16-2018-Art14.2-findings-not-loaded", "KNC_CT", 2023,
         lambda: person(sector_joined_on=date(2015, 1, 1), attestations=None), UNSURE, (), ("service",)),
    Case("TT16-2018-Art14.2-outside-sector-attested", "KNC_CT", 2026, _outside(2026), YES),
]


@pytest.mark.parametrize("case", OUTSIDE_SECTOR_CASES, ids=[c.id for c in OUTSIDE_SECTOR_CASES])
def test_the_industry_and_trade_medal_for_people_outside_the_sector(case: Case) -> None:
    _run(case)
    result = check(case.code, case.year, case.facts())
    detail = result.result("service").detail_vi
    assert ("Cá nhân ngoài ngành" in detail) is (case.outcome is YES), detail
    assert result.result("service").citation.text_vi.endswith("Điều 14")


def test_the_outside_sector_route_after_2024_is_flagged_unconfirmed() -> None:
    # TT 16/2018's validity after the 2022 law is not confirmed: the 2024+ versions are [U] as a whole
    result = check("KNC_CT", 2026, _outside(2026)())
    assert result.eligible and "unconfirmed" in result.flags


# ---------------------------------------------------------------- new award kinds (issue #19), as data
# Before: the catalogue could not express them. Their articles were not read: every criterion is [U], so a
# finding attested in the file makes them eligible with the "unconfirmed" flag, and nothing refuses alone.

NEW_KINDS = [
    ("HC_DUNG_CAM", IND, 2026, "one_off", "brave_act"),
    ("AHLD", IND, 2024, "merit", "exceptional_labour_achievement"),
]


@pytest.mark.parametrize(("code", "kind", "year", "category", "key"), NEW_KINDS)
def test_new_award_kinds_are_data_with_their_source_and_confidence(
    code: str, kind: object, year: int, category: str, key: str
) -> None:
    entry = catalogue().entries[code]
    assert entry.category.value == category
    result = check(code, year, person(attestations=[attested(key, year)]))
    assert result.eligible and "unconfirmed" in result.flags
    assert result.procedure.authority.value == "president" and not result.procedure.ministry_decides
    assert result.procedure.public_notice_working_days is not None
    assert all(r.citation.text_vi for r in result.results())
    bare = check(code, year, person())
    assert bare.outcome is UNSURE and UNCONFIRMED_NOT_MET in bare.flags


def test_a_unit_wide_assessment_follows_the_filing_date_too() -> None:
    """The workflow assesses a nomination's candidates with assess_many: the filing date reaches every one."""
    from awards_testkit import catalogue, recipe

    from services.awards.domain import assess_many

    facts = recipe("CSTDCS", IND, 2024)
    [late] = assess_many(catalogue(), "CSTDCS", 2024, [facts], filed_on=date(2025, 8, 4))
    [early] = assess_many(catalogue(), "CSTDCS", 2024, [facts], filed_on=date(2025, 1, 8))
    assert (late.rule.rule_set_id, late.rule.selected_by) == ("LAW2022_ND152", "filing_date")
    assert (early.rule.rule_set_id, early.rule.selected_by) == ("LAW2022_ND98", "year_end")
