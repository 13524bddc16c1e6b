"""Table-driven eligibility: every catalogue entry passes with its recipe and fails at the edges.

A row names its target ("CODE kind year"), what changes in that target's recipe
(keyword arguments replace facts; ``facts=`` gives them outright), the outcome,
and the exact paths of the decisive criteria that failed or lacked facts. A
[U] criterion that is not met is "unknown", never "failed" (issue #19.2); a
[U] "meets the criteria of" leaves the outcome undetermined even when a
confirmed criterion of the rule it points to failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from awards_testkit import (
    NOT_A_CONFERRAL_YEAR,
    RECIPES,
    YEARS_BY_WINDOW,
    attested,
    catalogue,
    contribution,
    check,
    discipline,
    grades,
    initiative,
    members,
    person,
    recipe,
    titles,
    unit,
)
from tdkt_contracts.vocabulary import Grade, InitiativeKind, Level, RecipientKind, Sex

from services.awards.domain import HoldRecord, HouseholdFacts, LeaderPost, Outcome, PersonFacts, UnitFacts

YES, NO, UNSURE = Outcome.ELIGIBLE, Outcome.INELIGIBLE, Outcome.UNDETERMINED
KINDS = {"ind": RecipientKind.INDIVIDUAL, "col": RecipientKind.COLLECTIVE, "hh": RecipientKind.HOUSEHOLD}
HTT, HT, HTXS = Grade.GOOD, Grade.COMPLETED, Grade.EXCELLENT


@dataclass(frozen=True)
class Row:
    id: str
    code: str
    kind: RecipientKind
    year: int
    facts: Callable[[], PersonFacts | UnitFacts | HouseholdFacts]
    outcome: Outcome
    failed: frozenset[str]
    unknown: frozenset[str]


def row(
    target: str,
    name: str,
    outcome: Outcome,
    failed: tuple[str, ...] = (),
    unknown: tuple[str, ...] = (),
    facts: Callable[[], PersonFacts | UnitFacts | HouseholdFacts] | None = None,
    **update: Any,
) -> Row:
    """``target`` is 'CODE ind|col|hh YEAR'; ``update`` replaces facts of that target's recipe."""
    code, kind_text, year_text = target.split()
    kind, year = KINDS[kind_text], int(year_text)
    build = facts or (lambda: recipe(code, kind, year).model_copy(update=update))
    return Row(f"{code}-{year}-{name}", code, kind, year, build, outcome, frozenset(failed), frozenset(unknown))


ROUTE_CSTDCS = ("route.htxs", "route.initiative", "route.research")
BK_ROUTES = ("route.cstdcs_chain", "route.attested", "route.direct_worker")  # from 2024
UNIT_BK_ROUTES = ("route.htxs", "route.ttldxs_chain", "route.attested")
MERIT_GRADES = ("route.merit.htt", "route.merit.htxs")
DIRECTOR_SINCE_2023 = [LeaderPost(position="cuc_vu_truong", start=date(2023, 1, 1))]
DIRECTOR_SINCE_2019 = [LeaderPost(position="cuc_vu_truong", start=date(2019, 1, 1))]

# fmt: off
ROWS = [
    # --- LĐTT: a grade one step short; the year's grade missing; holds not loaded
    row("LDTT ind 2024", "grade-ht", NO, ("grade",), grades={2024: HT}),
    row("LDTT ind 2023", "grade-ht-unconfirmed-rule", UNSURE, unknown=("grade",), grades={2023: HT}),
    row("LDTT ind 2026", "grade-missing", UNSURE, unknown=("grade",), grades={2025: HTT}),
    row("LDTT ind 2026", "holds-not-loaded", UNSURE, unknown=("no_pending_hold",), holds=None),
    # --- CSTĐCS: initiative required before 2024, HTXS enough after
    row("CSTDCS ind 2023", "htxs-without-initiative", NO, ("initiative",), initiatives=[]),
    row("CSTDCS ind 2024", "htxs-without-initiative", YES, initiatives=[]),
    row("CSTDCS ind 2024", "htt-with-initiative", YES, grades={2024: HTT}),
    row("CSTDCS ind 2026", "htt-with-research", YES,
        facts=lambda: person(grades={2026: HTT}, initiatives=[initiative("DT-1", 2026, kind=InitiativeKind.RESEARCH)])),
    row("CSTDCS ind 2026", "htt-nothing-else", NO, ROUTE_CSTDCS, grades={2026: HTT}, initiatives=[]),
    row("CSTDCS ind 2024", "initiative-used-for-an-award", NO, ROUTE_CSTDCS,
        grades={2024: HTT}, initiatives=[initiative("SK-9", 2024, used_for=("BK_BT", 2024))]),
    row("CSTDCS ind 2024", "ldtt-grade-short", NO, ("ldtt.grade",), grades={2024: HT}),
    row("CSTDCS ind 2024", "htxs-initiatives-not-loaded", YES, initiatives=None),
    row("CSTDCS ind 2024", "htt-initiatives-not-loaded", UNSURE, ("route.htxs",), ("route.initiative", "route.research"),
        grades={2024: HTT}, initiatives=None),
    # --- CSTĐ Bộ: chain, initiative used twice, discipline in the counted years
    row("CSTD_BO ind 2023", "broken-chain", NO, ("chain",), titles=titles("CSTDCS", 2021, 2023)),
    row("CSTD_BO ind 2023", "chain-ends-year-before", NO, ("chain",), titles=titles("CSTDCS", 2020, 2021, 2022)),
    row("CSTD_BO ind 2023", "initiative-used-twice", NO, ("initiative",),
        initiatives=[initiative("SK-BO", 2022, Level.MINISTRY, used_for=("CSTDCS", 2022))]),
    row("CSTD_BO ind 2023", "initiative-already-for-this-award", YES,
        initiatives=[initiative("SK-BO", 2022, Level.MINISTRY, used_for=("CSTD_BO", 2023))]),
    row("CSTD_BO ind 2024", "grassroots-initiative-only", NO, ("initiative",), initiatives=[initiative("SK-CS", 2023)]),
    row("CSTD_BO ind 2024", "initiative-before-window", NO, ("initiative",),
        initiatives=[initiative("SK-BO", 2021, Level.MINISTRY)]),
    row("CSTD_BO ind 2024", "not-registered-unconfirmed", UNSURE, unknown=("registration",), registrations=[]),
    row("CSTD_BO ind 2026", "discipline-during-counted-years", NO, ("no_discipline",),
        disciplines=[discipline("khien_trach", date(2025, 3, 1), date(2026, 2, 28))]),
    row("CSTD_BO ind 2026", "discipline-ended-before-counted-years", YES,
        disciplines=[discipline("canh_cao", date(2022, 3, 1), date(2023, 2, 28))]),
    row("CSTD_BO ind 2023", "titles-not-loaded", UNSURE, unknown=("chain",), titles=None),
    # --- CSTĐ toàn quốc: two Ministry titles three years apart, national initiative
    row("CSTD_TQ ind 2024", "one-ministry-title", NO, ("chain",), titles=titles("CSTD_BO", 2024)),
    row("CSTD_TQ ind 2024", "chain-ending-year-before", YES, titles=titles("CSTD_BO", 2020, 2023)),
    row("CSTD_TQ ind 2024", "ministry-level-initiative", NO, ("initiative",),
        initiatives=[initiative("SK-BO", 2023, Level.MINISTRY)]),
    # --- Bằng khen Bộ trưởng
    row("BK_BT ind 2024", "one-cstdcs-one-initiative", NO, (*BK_ROUTES, "route.htxs_initiatives.initiatives"),
        facts=lambda: person(grades=grades([2023, 2024]), titles=titles("CSTDCS", 2024),
                             initiatives=[initiative("SK-1", 2023)])),
    row("BK_BT ind 2024", "htxs-two-initiatives", YES,
        facts=lambda: person(grades=grades([2023, 2024]), initiatives=[initiative("SK-1", 2023), initiative("SK-2", 2024)])),
    row("BK_BT ind 2026", "attested", YES, facts=lambda: person(attestations=[attested("outstanding_in_movement", 2026)])),
    row("BK_BT ind 2023", "attestations-not-loaded", UNSURE, (),
        ("route.cstdcs_chain", "route.htxs_initiatives.initiatives", "route.attested", "route.htxs_initiatives.htxs"),
        facts=lambda: person(attestations=None)),
    row("BK_BT col 2023", "grade-one-step-short", UNSURE, (), UNIT_BK_ROUTES, facts=lambda: unit(grades={2022: HTXS, 2023: HTT})),
    row("BK_BT col 2024", "ttldxs-chain", YES, facts=lambda: unit(titles=titles("TTLDXS", 2023, 2024))),
    row("BK_BT col 2026", "one-off-title-is-no-chain", NO, UNIT_BK_ROUTES,
        facts=lambda: unit(grades=grades([2025, 2026], HTT),
                           titles=titles("TTLDXS", 2025) + titles("TTLDXS", 2026, category="one_off"))),
    # --- Bằng khen Thủ tướng
    row("BK_TTG ind 2023", "prior-too-recent", UNSURE, unknown=("prior_bk",), titles=titles("BK_BT", 2019)),
    row("BK_TTG ind 2023", "prior-exactly-five-years", YES, titles=titles("BK_BT", 2018)),
    row("BK_TTG ind 2024", "four-initiatives-art-73-needs-none", YES,
        initiatives=[initiative(f"SK-{y}", y) for y in range(2021, 2025)]),
    row("BK_TTG col 2026", "one-htt-year", UNSURE, unknown=("htxs",), grades={**grades(range(2022, 2027)), 2024: HTT}),
    # --- Huân chương Lao động
    row("HCLD_3 ind 2023", "two-cstdcs", UNSURE, unknown=("cstdcs",), titles=titles("BK_TTG", 2017) + titles("CSTDCS", 2019, 2023)),
    # the 2024 tenure route's ranges (NĐ 98/2023) are unread [U]: without a merit basis, undetermined
    row("HCLD_3 ind 2024", "thematic-prior-award", UNSURE, ("route.merit.prior_bk_ttg",),
        ("route.long_service.tenure", "route.long_service.no_discipline_tenure"),
        titles=titles("BK_TTG", 2018, category="thematic") + titles("CSTDCS", 2020, 2022, 2024)),
    row("HCLD_3 ind 2026", "neither-route", NO, ("route.merit.prior_bk_ttg", "route.long_service.tenure"),
        ("route.long_service.no_discipline_tenure",), titles=titles("CSTDCS", 2022, 2024, 2026)),
    row("HCLD_3 ind 2026", "woman-director-four-years", YES,
        facts=lambda: person(sex=Sex.FEMALE, is_leader=True, later_retirement=False, leader_posts=DIRECTOR_SINCE_2023)),
    row("HCLD_3 ind 2026", "man-director-four-years", NO,
        ("route.merit.prior_bk_ttg", "route.merit.cstdcs", "route.long_service.tenure"), MERIT_GRADES,
        facts=lambda: person(is_leader=True, leader_posts=DIRECTOR_SINCE_2023)),
    row("HCLD_3 ind 2026", "director-disciplined-in-tenure", NO,
        ("route.merit.prior_bk_ttg", "route.merit.cstdcs", "route.merit.no_discipline",
         "route.long_service.no_discipline_tenure"), MERIT_GRADES,
        facts=lambda: person(is_leader=True, leader_posts=DIRECTOR_SINCE_2019,
                             disciplines=[discipline("khien_trach", date(2021, 5, 1), date(2022, 4, 30))])),
    row("HCLD_3 col 2024", "no-htxs-year", UNSURE, unknown=("htxs",), grades=grades(range(2020, 2025), HTT)),
    row("HCLD_2 ind 2023", "no-third-class", UNSURE, unknown=("prior",), titles=[]),
    row("HCLD_2 col 2024", "grade-gap", UNSURE, unknown=("htt",), grades={2024: HTXS}),
    row("HCLD_2 col 2026", "third-class-too-recent", UNSURE, unknown=("prior", "ttldxs_years", "flags.flag", "flags.flags"), titles=titles("HCLD_3", 2022)),
    row("HCLD_1 ind 2026", "third-class-only", UNSURE,
        unknown=("route.merit.prior", "route.long_service.tenure", "route.long_service.no_discipline_tenure"),
        titles=titles("HCLD_3", 2015)),
    row("HCLD_1 col 2023", "no-second-class", UNSURE, unknown=("prior",), titles=[]),
    # --- Nhà giáo
    row("NGUT ind 2023", "fourteen-years", UNSURE, unknown=("teaching",), teaching_years=14),
    row("NGUT ind 2024", "not-a-conferral-year", NO, ("cycle",), facts=lambda: recipe("NGUT", KINDS["ind"], 2023)),
    row("NGUT ind 2026", "teaching-unknown", UNSURE, unknown=("teaching",), teaching_years=None),
    row("NGND ind 2023", "ngut-same-round", UNSURE, unknown=("prior_ngut",), titles=titles("NGUT", 2023)),
    row("NGND ind 2024", "not-a-conferral-year", NO, ("cycle",), facts=lambda: recipe("NGND", KINDS["ind"], 2023)),
    # --- Huân chương Dũng cảm, Anh hùng Lao động (issue #19, all [U]: undetermined without the finding)
    row("HC_DUNG_CAM ind 2024", "nothing-attested", UNSURE, unknown=("brave_act",), attestations=[]),
    row("AHLD ind 2026", "named-before", UNSURE, unknown=("once",), titles=titles("AHLD", 2015)),
    row("AHLD col 2023", "nothing-attested", UNSURE, unknown=("exceptional",), attestations=[]),
    # --- the other award kinds of issue #19: [S]/[C] standards refuse, [U] ones leave the outcome undetermined
    row("HC_SAO_VANG ind 2024", "nothing-attested", NO, ("merit.revolution", "merit.country"), attestations=[]),
    row("HC_SAO_VANG col 2026", "ho-chi-minh-order-24-years-before", NO, ("after_ho_chi_minh",),
        titles=titles("HC_HO_CHI_MINH", 2002)),
    row("HC_HO_CHI_MINH ind 2024", "nothing-attested", UNSURE, unknown=("merit",), attestations=[]),
    row("HC_HO_CHI_MINH col 2026", "no-independence-order", UNSURE, unknown=("prior_class",), titles=[]),
    row("HC_DOC_LAP_1 ind 2026", "nothing-attested", UNSURE, unknown=("merit",), attestations=[]),
    row("HC_DOC_LAP_1 col 2024", "second-class-4-years-before", UNSURE, unknown=("prior_class",),
        titles=titles("HC_DOC_LAP_2", 2020)),
    row("HC_DOC_LAP_2 ind 2023", "nothing-attested", UNSURE, unknown=("merit",), attestations=[]),
    row("HC_DOC_LAP_2 col 2026", "no-third-class", UNSURE, unknown=("prior_class",), titles=[]),
    row("HC_DOC_LAP_3 ind 2024", "given-before", UNSURE, unknown=("once",), titles=titles("HC_DOC_LAP_3", 2015)),
    row("HC_DOC_LAP_3 col 2026", "no-labour-order-first-class", UNSURE, unknown=("prior_class",), titles=[]),
    row("HC_DAI_DOAN_KET ind 2026", "nothing-attested", UNSURE, unknown=("merit",), attestations=[]),
    row("HC_HUU_NGHI ind 2024", "nothing-attested", NO, ("contribution",), attestations=[]),
    row("HC_HUU_NGHI col 2026", "given-before", NO, ("once",), titles=titles("HC_HUU_NGHI", 2020, category="foreign")),
    row("HUY_CHUONG_HUU_NGHI ind 2026", "nothing-attested", NO, ("contribution",), attestations=[]),
    row("TTUT ind 2024", "nothing-attested", NO, ("standard",), attestations=[]),
    row("TTND ind 2026", "not-yet-ttut", NO, ("prior_title",), titles=[]),
    row("NNUT ind 2024", "nothing-attested", UNSURE, unknown=("standard",), attestations=[]),
    row("NNND ind 2026", "not-yet-nnut", UNSURE, unknown=("prior_title",), titles=[]),
    row("GT_HCM ind 2026", "work-not-attested", NO, ("work",), attestations=[]),
    row("GT_NHA_NUOC ind 2024", "work-not-attested", NO, ("work",), attestations=[]),
    # --- Giấy khen
    row("GIAY_KHEN ind 2024", "nothing-attested", NO, ("achievement",), attestations=[]),
    row("GIAY_KHEN col 2026", "grade-ht", NO, ("grade",), grades={2026: HT}),
    # --- Households (hộ gia đình, Law 2022 Art. 2): Giấy khen Art. 75 [S: rules.md S3], its household clause and
    # Bằng khen Art. 74's not read [U]: no contribution stated leaves the outcome undetermined, never refused; a
    # complaint being verified (NĐ 98/2023 Art. 4 [S], NĐ 152/2025 Art. 4.4 [C]) refuses.
    row("GIAY_KHEN hh 2024", "Art75-no-contribution-stated", UNSURE, unknown=("contribution",), contributions=[]),
    row("GIAY_KHEN hh 2026", "Art75-contribution-of-another-year", UNSURE, unknown=("contribution",),
        contributions=[contribution("tai_san", 2025, "Ủng hộ 50 triệu đồng xây nhà văn hóa", 50_000_000)]),
    row("GIAY_KHEN hh 2026", "Art75-contributions-not-stated", UNSURE, unknown=("contribution",), contributions=None),
    row("GIAY_KHEN hh 2026", "ND152-Art4.4-complaint-being-verified", NO, ("no_pending_hold",),
        holds=[HoldRecord(kind="complaint", opened_on=date(2026, 11, 2))]),
    row("GIAY_KHEN hh 2023", "old-law-labour-contribution", YES,
        contributions=[contribution("cong_suc", 2023, "Góp 200 ngày công làm kênh mương nội đồng")]),
    row("BK_BT hh 2024", "Art74-no-contribution-stated", UNSURE, unknown=("contribution",), contributions=[]),
    row("BK_BT hh 2024", "ND98-Art4-complaint-being-verified", NO, ("no_pending_hold",),
        holds=[HoldRecord(kind="complaint", opened_on=date(2024, 10, 1))]),
    row("BK_BT hh 2026", "Art74-assets-and-land", YES,
        contributions=[contribution("tai_san", 2026, "Ủng hộ xây trường học", 150_000_000),
                       contribution("dat_dai", 2026, "Hiến 300 m² đất", None)]),
    # --- Kỷ niệm chương ngành Công Thương: 20 years men, 15 women, 10 hazardous, discipline not counted
    row("KNC_CT ind 2023", "man-one-day-short", NO, ("service",), sector_joined_on=date(2004, 1, 2)),
    row("KNC_CT ind 2023", "woman-fifteen-years", YES, sex=Sex.FEMALE, sector_joined_on=date(2009, 1, 1)),
    row("KNC_CT ind 2023", "woman-one-day-short", NO, ("service",), sex=Sex.FEMALE, sector_joined_on=date(2009, 1, 2)),
    row("KNC_CT ind 2023", "hazardous-ten-years", YES, sector_joined_on=date(2012, 1, 1), hazardous_service_years=10),
    row("KNC_CT ind 2023", "hazardous-unknown", UNSURE, unknown=("service",),
        sector_joined_on=date(2012, 1, 1), hazardous_service_years=None),
    row("KNC_CT ind 2023", "warning-period-not-counted", NO, ("service",), sector_joined_on=date(2003, 1, 1),
        disciplines=[discipline("canh_cao", date(2010, 1, 1), date(2011, 6, 30))]),
    row("KNC_CT ind 2023", "reprimand-excluded-still-enough", YES, sector_joined_on=date(2002, 1, 1),
        disciplines=[discipline("khien_trach", date(2010, 1, 1), date(2010, 12, 31))]),
    row("KNC_CT ind 2024", "disciplines-not-loaded", UNSURE, unknown=("service",), disciplines=None),
    row("KNC_CT ind 2026", "sex-unknown", UNSURE, unknown=("service",), sex=None),
    row("KNC_CT ind 2024", "received-before", UNSURE, unknown=("once",), titles=titles("KNC_CT", 2020)),
    # --- Kỷ niệm chương giáo dục: 20/15 years before 2024 [U], 20 for all from TT 29/2023
    row("KNC_GD ind 2023", "woman-fifteen-years", YES, sex=Sex.FEMALE, education_joined_on=date(2009, 1, 1)),
    row("KNC_GD ind 2024", "woman-fifteen-years", NO, ("service",), sex=Sex.FEMALE, education_joined_on=date(2010, 1, 1)),
    row("KNC_GD ind 2024", "woman-fifteen-years-five-in-hard-areas", YES,
        sex=Sex.FEMALE, education_joined_on=date(2010, 1, 1), disadvantaged_area_years=5),
    row("KNC_GD ind 2026", "education-start-unknown", UNSURE, unknown=("service",), education_joined_on=None),
    # --- Tập thể lao động tiên tiến: >50% LĐTT before 2024, ≥70% from 2024
    row("TTLDTT col 2023", "sixty-percent", YES, members=[members(2023, ldtt=6)]),
    row("TTLDTT col 2024", "sixty-percent", NO, ("ldtt_share",), members=[members(2024, ldtt=6)]),
    row("TTLDTT col 2023", "exactly-half", NO, ("ldtt_share",), members=[members(2023, ldtt=5)]),
    row("TTLDTT col 2024", "exactly-seventy-percent", YES, members=[members(2024, ldtt=7)]),
    row("TTLDTT col 2026", "member-warned", NO, ("no_member_discipline",), members=[members(2026, worst="canh_cao")]),
    row("TTLDTT col 2026", "member-reprimanded", YES, members=[members(2026, worst="khien_trach")]),
    row("TTLDTT col 2024", "member-figures-missing", UNSURE, unknown=("ldtt_share", "no_member_discipline"),
        members=[members(2023)]),
    # --- Tập thể lao động xuất sắc
    row("TTLDXS col 2024", "one-member-short", NO, ("all_completed",), members=[members(2024, completed=9)]),
    row("TTLDXS col 2023", "no-cstdcs", UNSURE, unknown=("cstdcs_member",), members=[members(2023, cstdcs=0)]),
    # --- Cờ thi đua
    row("CO_TD_BO col 2024", "not-bloc-leader", NO, ("leads.bloc", "leads.thematic"), bloc_leader_years=[2023]),
    row("CO_TD_BO col 2024", "thematic-movement-leader", YES,
        bloc_leader_years=[], attestations=[attested("thematic_movement_leader", 2024)]),
    row("CO_TD_BO col 2023", "holds-ttldxs-title", YES,
        facts=lambda: unit(titles=titles("TTLDXS", 2023), bloc_leader_years=[2023])),
    row("CO_TD_BO col 2026", "not-excellent-under-unconfirmed-rule", UNSURE, ("ttldxs.grade",), grades={2026: HTT}),
    row("CO_TD_BO col 2026", "bloc-results-not-loaded", UNSURE, (), ("leads.thematic", "leads.bloc"),
        bloc_leader_years=None),
    # Law 2022 Art. 25 read in translation [S] (issue #19.11): no route of 25.1-25.3 is met, so ineligible.
    row("CO_TD_CP col 2024", "Law2022-Art25-no-route", NO,
        ("route.co_bo.leads.bloc", "route.co_bo.leads.thematic", "route.central_cluster", "route.pm_movement"),
        bloc_leader_years=[]),
    row("CO_TD_CP col 2024", "Law2022-Art25.2-central-cluster-leader", YES, bloc_leader_years=[],
        attestations=[attested("central_cluster_leader", 2024)]),
    row("CO_TD_CP col 2026", "Law2022-Art25.3-prime-ministers-movement", YES, bloc_leader_years=[],
        attestations=[attested("pm_movement_leader", 2026)]),
]
# fmt: on


@pytest.mark.parametrize("case", ROWS, ids=[r.id for r in ROWS])
def test_edge_cases(case: Row) -> None:
    result = check(case.code, case.year, case.facts())
    assert result.outcome is case.outcome, result.explanation_en
    assert result.eligible is (case.outcome is YES)
    assert set(result.failing()) == case.failed, result.explanation_en
    assert set(result.unknown()) == case.unknown, result.explanation_en


def _recipe_targets() -> list[tuple[str, RecipientKind, int]]:
    return [
        (code, kind, year)
        for (code, kind) in RECIPES
        for year in YEARS_BY_WINDOW.values()
        if (code, kind, year) not in NOT_A_CONFERRAL_YEAR
    ]


@pytest.mark.parametrize(("code", "kind", "year"), _recipe_targets(), ids=lambda v: getattr(v, "value", str(v)))
def test_every_recipe_passes_in_every_rule_set(code: str, kind: RecipientKind, year: int) -> None:
    result = check(code, year, recipe(code, kind, year))
    assert result.eligible, result.explanation_en
    assert result.failing() == [] and result.unknown() == []


def test_every_rule_version_is_exercised_by_a_passing_recipe() -> None:
    used = {check(c, y, recipe(c, k, y)).rule.rule_id for c, k, y in _recipe_targets()}
    every = {v.id for e in catalogue().entries.values() for v in e.rules}
    never_conferrable = {f"{c}.individual.2024-01-01" for c, _, _ in NOT_A_CONFERRAL_YEAR}
    assert every - used == never_conferrable


def test_every_entry_has_an_eligible_and_an_ineligible_row() -> None:
    entries = {(code, kind) for code, entry in catalogue().entries.items() for kind in entry.recipients}
    assert set(RECIPES) == entries
    # an entry whose criteria are all [U] cannot be refused by them alone: its row is undetermined
    assert {(r.code, r.kind) for r in ROWS if r.outcome is not YES} == entries
