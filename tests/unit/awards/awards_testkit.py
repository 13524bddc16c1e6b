"""Builders and the passing recipes of every catalogue code, shared by the awards tests.

A recipe returns facts that pass the rule of its code in force for the year
given (and, where possible, every rule set). The recipes are the executable
form of services/awards/domain/README.md ("how to make each code pass").
Every collection is known-empty unless a recipe fills it: a missing fact
must show up as "unknown" only where a test wants it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import cache
from typing import Any

import yaml
from tdkt_contracts.vocabulary import DisciplineForm, Grade, InitiativeKind, Level, RecipientKind, Sex

from services.awards.domain import (
    Assessment,
    Attestation,
    Catalogue,
    DisciplineRecord,
    EvidenceUse,
    InitiativeRecord,
    MemberSummary,
    PersonFacts,
    Registration,
    HouseholdContribution,
    HouseholdFacts,
    TitleRecord,
    UnitFacts,
    assess,
    load_catalogue,
)
from services.awards.domain.loader import CATALOGUE_DIR

IND = RecipientKind.INDIVIDUAL
COL = RecipientKind.COLLECTIVE
HH = RecipientKind.HOUSEHOLD
YEARS_BY_WINDOW = {"2017": 2023, "2024": 2024, "2025": 2026}
"""One achievement year per rule set: pre-2024, NĐ 98, NĐ 152."""


@cache
def catalogue() -> Catalogue:
    """The packaged catalogue, read once."""
    return load_catalogue()


def check(code: str, year: int, facts: PersonFacts | UnitFacts | HouseholdFacts, **kw: Any) -> Assessment:
    """assess() against the packaged catalogue."""
    return assess(catalogue(), code, year, facts, **kw)


def raw_parts() -> list[tuple[str, Any]]:
    """The catalogue files as parsed YAML, ready for a test to change (then parse_catalogue)."""
    return [(p.name, yaml.safe_load(p.read_text(encoding="utf-8"))) for p in sorted(CATALOGUE_DIR.glob("*.yaml"))]


def award(parts: list[tuple[str, Any]], code: str) -> dict[str, Any]:
    """The mutable award body of ``code`` inside ``parts``."""
    for _, content in parts:
        if "award" in content and content["award"]["code"] == code:
            return content["award"]
    raise KeyError(code)


# ------------------------------------------------------------------ builders


def person(**overrides: Any) -> PersonFacts:
    """A man who joined the sector in 2000, with every collection known and empty."""
    base: dict[str, Any] = dict(
        person_id="p-001",
        full_name="Nguyễn Văn An",
        sex=Sex.MALE,
        date_of_birth=date(1975, 5, 19),
        sector_joined_on=date(2000, 1, 1),
        education_joined_on=None,
        unit_id="u-vtccb",
        is_leader=False,
        leader_posts=[],
        hazardous_service_years=0,
        disadvantaged_area_years=0,
        teaching_years=None,
        grades={},
        titles=[],
        initiatives=[],
        disciplines=[],
        holds=[],
        attestations=[],
        registrations=[],
    )
    base.update(overrides)
    return PersonFacts(**base)


def unit(**overrides: Any) -> UnitFacts:
    """A department with every collection known and empty."""
    base: dict[str, Any] = dict(
        unit_id="u-vtccb",
        name="Vụ Tổ chức cán bộ",
        grades={},
        titles=[],
        holds=[],
        attestations=[],
        registrations=[],
        members=[],
        bloc_leader_years=[],
    )
    base.update(overrides)
    return UnitFacts(**base)


def household(**overrides: Any) -> HouseholdFacts:
    """A household proposed by a department, with every collection known and empty (no contribution stated)."""
    base: dict[str, Any] = dict(
        household_id="hgd-001",
        name="Hộ ông Nguyễn Văn A",
        address="Xã Thạch Đà, thành phố Hà Nội",
        unit_id="u-vtccb",
        titles=[],
        holds=[],
        attestations=[],
        registrations=[],
        contributions=[],
    )
    base.update(overrides)
    return HouseholdFacts(**base)


def contribution(
    kind: str, year: int, description: str = "Hiến 120 m² đất làm đường liên thôn", value_vnd: int | None = None
) -> HouseholdContribution:
    """One contribution of a household."""
    return HouseholdContribution(kind=kind, year=year, description=description, value_vnd=value_vnd)


def facts_of(kind: RecipientKind, **overrides: Any) -> PersonFacts | UnitFacts | HouseholdFacts:
    """The empty builder of ``kind``."""
    return {IND: person, COL: unit, HH: household}[kind](**overrides)


def grades(years: Iterable[int], grade: Grade | str = Grade.EXCELLENT) -> dict[int, Grade]:
    """The same grade for each year."""
    return {y: Grade(grade) for y in years}


def titles(code: str, *years: int, category: str = "merit") -> list[TitleRecord]:
    """One title record per year."""
    return [TitleRecord(code=code, year=y, decision_number=f"{100 + y % 100}/QĐ-BCT", category=category) for y in years]


def initiative(
    initiative_id: str,
    year: int,
    level: Level | str = Level.GRASSROOTS,
    kind: InitiativeKind | str = InitiativeKind.INITIATIVE,
    used_for: tuple[str, int] | None = None,
) -> InitiativeRecord:
    """An initiative, optionally already used for (code, year)."""
    use = EvidenceUse(code=used_for[0], year=used_for[1]) if used_for else None
    return InitiativeRecord(initiative_id=initiative_id, kind=kind, level=level, year=year, used_for=use)


def discipline(form: DisciplineForm | str, start: date, end: date | None) -> DisciplineRecord:
    """A discipline in force from ``start`` to ``end`` inclusive."""
    return DisciplineRecord(form=form, decided_on=start, starts_on=start, ends_on=end)


def members(
    year: int, count: int = 10, ldtt: int = 8, cstdcs: int = 1, completed: int | None = None, worst: str = "none"
) -> MemberSummary:
    """A member summary for ``year``."""
    return MemberSummary(
        year=year,
        member_count=count,
        titled={"LDTT": ldtt, "CSTDCS": cstdcs},
        completed_duties=count if completed is None else completed,
        max_discipline=worst,
        women_share=0.5,
    )


def attested(key: str, year: int) -> Attestation:
    """An attested finding."""
    return Attestation(key=key, year=year, reference="Tờ trình 12/TTr-VTCCB")


# ------------------------------------------------------------------ recipes


def _ldtt(y: int) -> PersonFacts:
    return person(grades=grades([y], Grade.GOOD))


def _cstdcs(y: int) -> PersonFacts:
    # HTXS and a grassroots initiative: passes the pre-2024 rule (initiative) and the later one (HTXS).
    return person(grades=grades([y]), initiatives=[initiative("SK-CS", y)])


def _cstd_bo(y: int) -> PersonFacts:
    return person(
        grades=grades(range(y - 2, y + 1)),
        titles=titles("CSTDCS", y - 2, y - 1, y),
        initiatives=[initiative("SK-BO", y - 1, Level.MINISTRY)],
        registrations=[Registration(year=y, code="CSTD_BO")],
    )


def _cstd_tq(y: int) -> PersonFacts:
    return person(
        grades=grades(range(y - 5, y + 1)),
        titles=titles("CSTDCS", *range(y - 5, y + 1)) + titles("CSTD_BO", y - 3, y),
        initiatives=[initiative("SK-TQ", y - 1, Level.NATIONAL)],
    )


def _bk_bt_person(y: int) -> PersonFacts:
    return person(grades=grades([y - 1, y]), titles=titles("CSTDCS", y - 1, y))


def _bk_bt_unit(y: int) -> UnitFacts:
    return unit(grades=grades([y - 1, y]))


def _bk_ttg_person(y: int) -> PersonFacts:
    return person(
        grades=grades(range(y - 4, y + 1)),
        titles=titles("BK_BT", y - 6) + titles("CSTDCS", y - 4, y - 2, y),
        # five initiatives for the pre-2024 reading; three CSTĐCS for Law 2022 Art. 73.1.b
        initiatives=[initiative(f"SK-{k}", k) for k in range(y - 4, y + 1)],
    )


def _bk_ttg_unit(y: int) -> UnitFacts:
    # five Excellent Collective years: the [U] reading of Art. 73's collective clause
    return unit(grades=grades(range(y - 4, y + 1)), titles=titles("BK_BT", y - 6) + titles("TTLDXS", *range(y - 4, y + 1)))


def _order_person(prior: str) -> Callable[[int], PersonFacts]:
    def build(y: int) -> PersonFacts:
        years = range(y - 4, y + 1)
        return person(
            grades={**grades(years, Grade.GOOD), y: Grade.EXCELLENT},
            titles=titles(prior, y - 6) + titles("CSTDCS", y - 4, y - 2, y),
        )

    return build


def _order_unit(prior: str) -> Callable[[int], UnitFacts]:
    def build(y: int) -> UnitFacts:
        # five Excellent Collective years and the flags: the [U] reading of the collective clauses
        flags = titles("CO_TD_BO", y - 3, y - 1) + titles("CO_TD_CP", y - 2) + titles("BK_BT", y - 4, y - 2)
        return unit(
            grades={**grades(range(y - 4, y + 1), Grade.GOOD), y: Grade.EXCELLENT},
            titles=titles(prior, y - 6) + titles("TTLDXS", *range(y - 4, y + 1)) + flags,
        )

    return build


def _ngut(y: int) -> PersonFacts:
    return person(teaching_years=16, education_joined_on=date(2004, 9, 5))


def _ngnd(y: int) -> PersonFacts:
    return person(teaching_years=22, titles=titles("NGUT", y - 3), education_joined_on=date(1998, 9, 5))


def _giay_khen_person(y: int) -> PersonFacts:
    return person(grades=grades([y], Grade.GOOD), attestations=[attested("outstanding_in_movement", y)])


def _giay_khen_unit(y: int) -> UnitFacts:
    return unit(grades=grades([y], Grade.GOOD), attestations=[attested("one_off_achievement", y)])


def _household(y: int) -> HouseholdFacts:
    return household(contributions=[contribution("dat_dai", y, value_vnd=300_000_000)])


def _knc_ct(y: int) -> PersonFacts:
    return person(sector_joined_on=date(y - 19, 1, 1))  # 20 years to 31/12 of y, exactly


def _knc_gd(y: int) -> PersonFacts:
    return person(education_joined_on=date(y - 19, 1, 1))


def _ttldtt(y: int) -> UnitFacts:
    return unit(grades=grades([y], Grade.GOOD), members=[members(y)])


def _ttldxs(y: int) -> UnitFacts:
    return unit(grades=grades([y]), members=[members(y)])


def _co_td_bo(y: int) -> UnitFacts:
    return unit(grades=grades([y]), members=[members(y)], bloc_leader_years=[y])


def _brave(y: int) -> PersonFacts:
    return person(attestations=[attested("brave_act", y)])


def _hero_person(y: int) -> PersonFacts:
    return person(attestations=[attested("exceptional_labour_achievement", y)])


def _hero_unit(y: int) -> UnitFacts:
    return unit(attestations=[attested("exceptional_labour_achievement", y)])


def _attested_only(key: str, collective: bool = False, prior: str | None = None, years_before: int = 0):  # noqa: ANN202
    """Facts for a code whose standard is an attested finding, after ``prior`` held ``years_before`` years earlier."""

    def build(y: int) -> PersonFacts | UnitFacts:
        held = titles(prior, y - years_before) if prior else []
        make = unit if collective else person
        return make(attestations=[attested(key, y)], titles=held)

    return build


RECIPES: dict[tuple[str, RecipientKind], Callable[[int], PersonFacts | UnitFacts | HouseholdFacts]] = {
    ("HC_DUNG_CAM", IND): _brave,
    ("AHLD", IND): _hero_person,
    ("AHLD", COL): _hero_unit,
    ("LDTT", IND): _ldtt,
    ("CSTDCS", IND): _cstdcs,
    ("CSTD_BO", IND): _cstd_bo,
    ("CSTD_TQ", IND): _cstd_tq,
    ("BK_BT", IND): _bk_bt_person,
    ("BK_BT", COL): _bk_bt_unit,
    ("BK_TTG", IND): _bk_ttg_person,
    ("BK_TTG", COL): _bk_ttg_unit,
    ("HCLD_3", IND): _order_person("BK_TTG"),
    ("HCLD_3", COL): _order_unit("BK_TTG"),
    ("HCLD_2", IND): _order_person("HCLD_3"),
    ("HCLD_2", COL): _order_unit("HCLD_3"),
    ("HCLD_1", IND): _order_person("HCLD_2"),
    ("HCLD_1", COL): _order_unit("HCLD_2"),
    ("NGUT", IND): _ngut,
    ("NGND", IND): _ngnd,
    ("GIAY_KHEN", IND): _giay_khen_person,
    ("GIAY_KHEN", COL): _giay_khen_unit,
    ("GIAY_KHEN", HH): _household,
    ("BK_BT", HH): _household,
    ("KNC_CT", IND): _knc_ct,
    ("KNC_GD", IND): _knc_gd,
    ("TTLDTT", COL): _ttldtt,
    ("TTLDXS", COL): _ttldxs,
    ("CO_TD_BO", COL): _co_td_bo,
    ("CO_TD_CP", COL): _co_td_bo,
    # issue #19: the award kinds a ministry proposes every year
    ("HC_SAO_VANG", IND): _attested_only("great_merit_revolution"),
    ("HC_SAO_VANG", COL): _attested_only("exceptional_achievements_wide_influence", True, "HC_HO_CHI_MINH", 25),
    ("HC_HO_CHI_MINH", IND): _attested_only("great_merit_ho_chi_minh"),
    ("HC_HO_CHI_MINH", COL): _attested_only("great_merit_ho_chi_minh", True, "HC_DOC_LAP_1", 5),
    ("HC_DOC_LAP_1", IND): _attested_only("independence_order_merit_1"),
    ("HC_DOC_LAP_1", COL): _attested_only("independence_order_merit_1", True, "HC_DOC_LAP_2", 5),
    ("HC_DOC_LAP_2", IND): _attested_only("independence_order_merit_2"),
    ("HC_DOC_LAP_2", COL): _attested_only("independence_order_merit_2", True, "HC_DOC_LAP_3", 5),
    ("HC_DOC_LAP_3", IND): _attested_only("independence_order_merit_3"),
    ("HC_DOC_LAP_3", COL): _attested_only("independence_order_merit_3", True, "HCLD_1", 5),
    ("HC_DAI_DOAN_KET", IND): _attested_only("national_unity_merit"),
    ("HC_HUU_NGHI", IND): _attested_only("friendship_great_contribution"),
    ("HC_HUU_NGHI", COL): _attested_only("friendship_great_contribution", True),
    ("HUY_CHUONG_HUU_NGHI", IND): _attested_only("many_contributions_to_vietnam"),
    ("TTUT", IND): _attested_only("meritorious_physician_standard"),
    ("TTND", IND): _attested_only("peoples_physician_standard", prior="TTUT", years_before=3),
    ("NNUT", IND): _attested_only("meritorious_artisan_standard"),
    ("NNND", IND): _attested_only("peoples_artisan_standard", prior="NNUT", years_before=3),
    ("GT_HCM", IND): _attested_only("work_meets_ho_chi_minh_prize"),
    ("GT_NHA_NUOC", IND): _attested_only("work_meets_state_prize"),
}

NOT_A_CONFERRAL_YEAR = {("NGUT", IND, 2024), ("NGND", IND, 2024)}
"""The teacher titles are conferred in 2023 and 2026, never under the 2024–mid-2025 rule."""


def recipe(code: str, recipient: RecipientKind, year: int) -> PersonFacts | UnitFacts | HouseholdFacts:
    """Facts that make ``code`` pass for ``year``."""
    return RECIPES[(code, recipient)](year)
