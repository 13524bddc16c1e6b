"""The generated ministry: reproducible, realistic, and lawful — every award it plans passes the engine.

The end-to-end test (tests/integration/demo) plays it through the services; these tests check the plan
itself, without I/O, against the same pure engine the awards service runs.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from datetime import date

import pytest
from tdkt_contracts.vocabulary import RecipientKind

from services.awards.domain import default_catalogue
from services.awards.domain.timespan import year_end
from services.units.domain import OrgTree, PersonState
from kernel.text import check_person_name
from services.units.importer import ImportKind, parse_table, plan, read_csv
from tdkt.demo_data import (
    ARTICLE_2023,
    MIN_STAFF,
    Ministry,
    TooSmall,
    generate_ministry,
    planned_figures,
    verify_history,
)
from tdkt.demo_data.files import import_files
from tdkt.demo_data.verify import HistoryReplay
from tdkt.scenario import article_figures

SMALL = {"staff": MIN_STAFF, "history_from": 2021, "background": False}
"""The end-to-end test's size: the smallest that holds the article's figures."""


@pytest.fixture(scope="module")
def small() -> Ministry:
    return generate_ministry(7, **SMALL, verify=False)


@pytest.fixture(scope="module")
def full() -> Ministry:
    """The demo's shape (background history from 2017), at a size a unit test affords."""
    return generate_ministry(11, staff=1500, history_from=2017, background=True, verify=False)


# --------------------------------------------------------------------------- reproducible


def _fingerprint(m: Ministry) -> tuple:
    return (
        [f.content for f in import_files(m)],
        m.disciplines, m.initiatives, m.supplements, m.attestations, m.legacy_awards, m.nominations,
    )


def test_the_same_seed_gives_the_same_ministry_byte_for_byte(small: Ministry) -> None:
    again = generate_ministry(7, **SMALL, verify=False)
    assert _fingerprint(again) == _fingerprint(small)


def test_another_seed_gives_another_ministry(small: Ministry) -> None:
    other = generate_ministry(8, **SMALL, verify=False)
    assert [p.full_name for p in other.people] != [p.full_name for p in small.people]
    assert planned_figures(other, 2023) == planned_figures(small, 2023)


def test_a_ministry_too_small_for_the_article_is_refused() -> None:
    with pytest.raises(TooSmall):
        generate_ministry(1, staff=MIN_STAFF - 1)


# --------------------------------------------------------------------------- the article's figures


@pytest.mark.parametrize("fixture", ["small", "full"])
def test_the_2023_figures_are_the_articles(fixture: str, request: pytest.FixtureRequest) -> None:
    m: Ministry = request.getfixturevalue(fixture)
    assert planned_figures(m, 2023) == article_figures(ARTICLE_2023)


def test_the_minister_grants_nothing_else_in_2023_so_the_paragraph_is_the_articles(full: Ministry) -> None:
    minister_2023 = {n.code for n in full.nominations_of(2023) if n.grant and n.grant.authority == "minister"}
    assert minister_2023 == {"BK_BT", "CSTD_BO", "KNC_CT"}
    proposed = {n.code: n.forward.to_authority for n in full.nominations_of(2023) if n.forward is not None}
    assert proposed == {"NGND": "president", "NGUT": "president", "HCLD_3": "president",
                        "BK_TTG": "prime_minister", "KNC_GD": "other_ministry"}


def test_every_2023_award_passes_the_engine_under_the_rules_in_force_in_2023(small: Ministry) -> None:
    catalogue = default_catalogue()
    replay = HistoryReplay(small, catalogue)
    checked: Counter[str] = Counter()
    for n in small.nominations:
        if n.year == 2023 and n.level in ("ministry", "upward"):
            for c in n.candidates:
                a = replay.assess(n, c)
                assert a.eligible, f"{n.nomination_id} {c.subject_id}: {a.explanation_en}"
                assert a.rule.rule_set_id == "LAW2013_ND91"  # Luật 2003/2013 + NĐ 91/2017, not the 2022 law
                assert a.rule.valid_to is not None and a.rule.valid_to >= year_end(2023)
                checked[n.code] += 1
        assert not replay.apply(n)
    assert checked == {"BK_BT": 282, "KNC_CT": 83, "CSTD_BO": 87, "KNC_GD": 78, "BK_TTG": 9, "HCLD_3": 4,
                       "NGUT": 3, "NGND": 2}


# --------------------------------------------------------------------------- lawful history


@pytest.mark.parametrize("fixture", ["small", "full"])
def test_no_one_holds_an_award_they_could_not_have_been_granted(fixture: str, request: pytest.FixtureRequest) -> None:
    """Every award of every year, assessed on the facts of its time, in the order granted; the 15 % cap on
    Chiến sĩ thi đua cơ sở; one award per achievement."""
    m: Ministry = request.getfixturevalue(fixture)
    assert verify_history(m) == []


def test_the_demo_default_ministry_is_lawful_too() -> None:
    m = generate_ministry()  # verifies itself; raises if the engine refuses an award
    assert len(m.people) == 3000
    assert planned_figures(m, 2023) == article_figures(ARTICLE_2023)


def test_the_chains_titles_are_all_in_the_history(small: Ministry) -> None:
    """Chiến sĩ thi đua Bộ Công Thương rests on three CSTĐCS; the Prime Minister's certificate on the
    Minister's of 2018; Nhà giáo nhân dân on Nhà giáo ưu tú of 2020."""
    held: dict[tuple[str, int], set[str]] = {}
    for n in small.nominations:
        for c in n.candidates:
            held.setdefault((n.code, n.year), set()).add(c.subject_id)
    for pid in _subjects(small, "CSTD_BO", 2023):
        assert all(pid in held[("CSTDCS", y)] for y in (2021, 2022, 2023))
    for pid in _subjects(small, "BK_TTG", 2023):
        assert pid in held[("BK_BT", 2018)]
    for pid in _subjects(small, "NGND", 2023):
        assert pid in held[("NGUT", 2020)]


def test_awards_recorded_from_the_files_predate_every_rule_the_system_holds(small: Ministry) -> None:
    """The Labour Orders of 2023 need a Prime Minister's certificate of 2018 or earlier, which needs a
    Minister's of 2013 or earlier: before the first rule version (2017-07-31). Those are facts of record."""
    catalogue = default_catalogue()
    assert small.legacy_awards
    hcld = _subjects(small, "HCLD_3", 2023)
    for a in small.legacy_awards:
        assert a.subject_id in hcld
        assert catalogue.rule_set_at(year_end(a.year)) is None
        kind = RecipientKind(a.recipient_kind)
        assert catalogue.entry(a.code).rule_for(kind, year_end(a.year)) is None


def test_the_cstdcs_cap_holds_in_every_unit_and_year(full: Ministry) -> None:
    ldtt: Counter[tuple[str, int]] = Counter()
    cstdcs: Counter[tuple[str, int]] = Counter()
    for n in full.nominations:
        if n.code == "LDTT":
            ldtt[(n.submitting_unit_id, n.year)] += len(n.candidates)
        if n.code == "CSTDCS":
            cstdcs[(n.submitting_unit_id, n.year)] += len(n.candidates)
    assert cstdcs
    for key, count in cstdcs.items():
        assert count <= 0.15 * ldtt[key], key


def test_background_history_adds_earlier_rounds_but_nothing_the_minister_grants_in_2023(full: Ministry) -> None:
    earlier = {(n.code, n.year) for n in full.nominations if n.level == "ministry" and n.year < 2023}
    assert {("BK_BT", y) for y in range(2018, 2023)} <= earlier
    assert any(code == "KNC_CT" for code, _ in earlier)


# --------------------------------------------------------------------------- realistic people and units


def test_names_are_vietnamese_with_diacritics_and_accepted_by_the_units_service(full: Ministry) -> None:
    names = [p.full_name for p in full.people]
    for name in names:
        assert unicodedata.is_normalized("NFC", name)
        assert check_person_name(name) == name
        assert 2 <= len(name.split()) <= 5
    with_marks = sum(any(ord(ch) > 127 for ch in n) for n in names)
    assert with_marks / len(names) > 0.95
    families = Counter(n.split()[0] for n in names)
    assert families.most_common(1)[0][0] == "Nguyễn"
    assert 0.3 < families["Nguyễn"] / len(names) < 0.47
    women = [p for p in full.people if p.sex == "female"]
    assert 0.35 < len(women) / len(names) < 0.6
    assert all(" Văn " not in f" {p.full_name} " for p in women)


def test_staff_are_of_working_age_with_plausible_service(full: Ministry) -> None:
    for p in full.people:
        assert 1965 <= p.date_of_birth.year <= 2000
        age_at_joining = (p.sector_joined_on - p.date_of_birth).days / 365.25
        assert 20 <= age_at_joining <= 31.5, p
        assert p.sector_joined_on <= date(2023, 12, 31)


def test_the_tree_has_the_ministrys_kinds_of_units(full: Ministry) -> None:
    kinds = Counter(u.kind for u in full.units)
    for kind in ("bo", "vu", "cuc", "tong_cuc", "vien", "truong", "tong_cong_ty", "cong_doan", "van_phong",
                 "thanh_tra", "bao_tap_chi"):
        assert kinds[kind] >= 1, kind
    top = [u for u in full.units if u.parent_id == full.root.unit_id]
    assert 30 <= len(top) <= 60
    assert full.root.name == "Bộ Công Thương"
    assert any(u.name == "Công đoàn Bộ Công Thương" for u in full.units)
    assert sum(1 for u in full.units if u.kind == "truong") >= 10


def test_education_awards_go_to_the_universities_and_colleges(small: Ministry) -> None:
    schools = {u.unit_id for u in small.units if u.family == "school"}
    for code in ("NGND", "NGUT", "KNC_GD"):
        for pid in _subjects(small, code, 2023):
            assert small.person(pid).unit_id in schools
    teachers = {s.person_id: s for s in small.supplements if s.teaching_years is not None}
    for pid in _subjects(small, "NGND", 2023):
        assert teachers[pid].teaching_years >= 20  # type: ignore[operator]


def test_grades_and_discipline_agree(full: Ministry) -> None:
    for d in full.disciplines:
        assert full.grades[(d.person_id, d.decided_on.year)] == "KHT"
        assert d.person_id not in full.roles


def test_2024_meets_the_articles_targets(full: Ministry) -> None:
    """The grades of 2024 (after the conference) reach 100 % of units and ≥ 95 % of staff HTT or better."""
    tops = [u for u in full.units if u.parent_id == full.root.unit_id]
    assert all(full.unit_grades[(u.unit_id, 2024)] in ("HTXS", "HTT") for u in tops)
    graded = [g for (_, y), g in full.grades.items() if y == 2024]
    assert sum(g in ("HTXS", "HTT") for g in graded) / len(graded) >= 0.95


# --------------------------------------------------------------------------- the import files


def test_the_import_files_pass_the_units_importers_checks(small: Ministry) -> None:
    """Every row of the generated spreadsheets is accepted by the importer's own planning (pure), in order."""
    tree, people = OrgTree(), {}
    today = date(2026, 1, 1)
    for f in import_files(small):
        result = plan(parse_table(ImportKind(f.kind), read_csv(f.content)), tree=tree, people=people, today=today)
        assert result.ok, (f.filename, [p.to_dict() for p in result.all_problems()[:5]])
        assert result.new_rows == f.rows
        for stream_id, events in result.changes.items():
            for event in events:
                tree = tree.apply(event)
                if f.kind != "units":
                    people[stream_id] = people.get(stream_id, PersonState.initial(stream_id)).apply(event)


def _subjects(m: Ministry, code: str, year: int) -> set[str]:
    return {c.subject_id for n in m.nominations if n.code == code and n.year == year for c in n.candidates}
