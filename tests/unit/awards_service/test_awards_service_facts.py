"""The pure half of the facts loader: the tree over time, membership, member figures, row mapping."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from tdkt_contracts.vocabulary import DisciplineForm, Grade, Sex

from services.awards.domain import (
    DisciplineRecord,
    InitiativeRecord,
    TitleRecord,
    assess,
    default_catalogue,
)
from services.awards.domain.bundles import (
    GradeEntry,
    OrgChart,
    PersonBundle,
    Posting,
    Supplements,
    UnitBundle,
    UnitRecord,
    member_summary,
    member_title_codes,
    members_of,
)
from services.awards.projections.facts import person_bundle, unit_bundle, unit_record

D = date


def unit(unit_id: str, parent: str | None, *, code: str | None = None, on: date = D(2010, 1, 1),
         moves: tuple[tuple[date, str | None], ...] = (), names: tuple[tuple[date, str], ...] = (),
         merged: tuple[str, date] | None = None, dissolved: date | None = None) -> UnitRecord:
    return UnitRecord(
        unit_id=unit_id, code=code or unit_id.upper(), kind="vu", established_on=on,
        names=((on, f"Đơn vị {unit_id}"), *names), parents=((on, parent), *moves),
        merged_into=merged[0] if merged else None, merged_on=merged[1] if merged else None, dissolved_on=dissolved,
    )


CHART = OrgChart([
    unit("bct", None),
    unit("cuc", "bct"),
    unit("phong", "cuc"),
    unit("vu", "bct", names=((D(2023, 3, 1), "Vụ Thi đua – Khen thưởng và Truyền thông"),)),
    unit("ban", "bct", merged=("vu", D(2024, 9, 1))),
    unit("tt", "bct", moves=((D(2024, 7, 1), "cuc"),)),  # moved under the Cục mid-2024
    unit("old", "bct", dissolved=D(2022, 1, 1)),
])


def person(person_id: str, *postings: tuple[date, str | None], grades: dict[int, Any] | None = None,
           sex: Sex = Sex.MALE, name: str = "Nguyễn Văn An", **kw: Any) -> PersonBundle:
    return PersonBundle(
        person_id=person_id, full_name=name, sex=sex, date_of_birth=D(1980, 1, 1), sector_joined_on=D(2005, 1, 1),
        postings=tuple(
            Posting(on, i, "left" if where is None else ("enrolled" if i == 0 else "transferred"), where, "Chuyên viên")
            for i, (on, where) in enumerate(postings)
        ),
        grades={y: g if isinstance(g, GradeEntry) else GradeEntry(Grade(g)) for y, g in (grades or {}).items()},
        **kw,
    )


# ------------------------------------------------------------------ the tree


def test_merges_are_followed_from_their_effective_day() -> None:
    assert CHART.resolve("ban", D(2024, 8, 31)) == "ban"
    assert CHART.resolve("ban", D(2024, 9, 1)) == "vu"
    assert CHART.resolve("nowhere", D(2024, 1, 1)) == "nowhere"


def test_lineage_and_subtree_follow_moves() -> None:
    assert CHART.lineage("phong", D(2024, 1, 1)) == ["phong", "cuc", "bct"]
    assert CHART.lineage("tt", D(2024, 6, 30)) == ["tt", "bct"]
    assert CHART.lineage("tt", D(2024, 7, 1)) == ["tt", "cuc", "bct"]
    assert CHART.subtree("cuc", D(2024, 12, 31)) == ["cuc", "phong", "tt"]
    assert CHART.subtree("cuc", D(2023, 12, 31)) == ["cuc", "phong"]
    # Closed units are not in a subtree after they closed.
    assert "ban" not in CHART.subtree("bct", D(2024, 12, 31)) and "old" not in CHART.subtree("bct", D(2022, 6, 1))


def test_ever_under_is_a_superset_across_time_and_merges() -> None:
    assert CHART.ever_under("cuc") == {"cuc", "phong", "tt"}
    assert CHART.ever_under("vu") == {"vu", "ban"}


def test_names_in_force_on_a_day() -> None:
    vu = CHART.get("vu")
    assert vu is not None
    assert vu.name_on(D(2022, 12, 31)) == "Đơn vị vu"
    assert vu.name_on(D(2023, 12, 31)) == "Vụ Thi đua – Khen thưởng và Truyền thông"


# ------------------------------------------------------------------ membership


def test_membership_is_the_unit_on_31_december() -> None:
    p = person("p", (D(2015, 1, 1), "cuc"), (D(2024, 7, 1), "vu"))
    assert p.membership(2023, CHART).unit_id == "cuc"  # type: ignore[union-attr]
    m = p.membership(2024, CHART)
    assert m is not None and (m.unit_id, m.day) == ("vu", D(2024, 12, 31))


def test_someone_who_left_counts_where_they_were_on_their_last_day() -> None:
    p = person("p", (D(2015, 1, 1), "vu"), (D(2024, 10, 1), None))
    m = p.membership(2024, CHART)
    assert m is not None and (m.unit_id, m.day) == ("vu", D(2024, 9, 30))
    assert p.membership(2025, CHART) is None
    on_new_year = person("q", (D(2015, 1, 1), "vu"), (D(2024, 1, 1), None))
    assert on_new_year.membership(2024, CHART) is None  # their last day was in 2023


def test_not_yet_enrolled_is_not_a_member_unless_graded_there() -> None:
    p = person("p", (D(2024, 3, 1), "vu"))
    assert p.membership(2023, CHART) is None
    graded = person("p", (D(2024, 3, 1), "vu"), grades={2023: GradeEntry(Grade.GOOD, "cuc")})
    assert graded.membership(2023, CHART).unit_id == "cuc"  # type: ignore[union-attr]


def test_the_grade_names_the_unit_and_merges_resolve_it() -> None:
    p = person("p", (D(2015, 1, 1), "ban"), grades={2024: GradeEntry(Grade.EXCELLENT, "ban")})
    assert p.membership(2024, CHART).unit_id == "vu"  # type: ignore[union-attr]
    assert p.membership(2023, CHART).unit_id == "ban"  # type: ignore[union-attr]


def test_members_of_a_unit_with_and_without_subunits() -> None:
    people = [
        person("a", (D(2015, 1, 1), "cuc"), name="Đinh Văn Giang"),
        person("b", (D(2015, 1, 1), "phong"), name="Mai Thị Hạnh"),
        person("c", (D(2015, 1, 1), "tt"), name="Tạ Thị Hoa"),
        person("d", (D(2015, 1, 1), "vu"), name="Lê Văn Dũng"),
    ]
    ids = lambda found: [p.person_id for p in found]  # noqa: E731
    assert ids(members_of("cuc", 2024, people, CHART)) == ["a", "b", "c"]  # tt moved under the Cục in July
    assert ids(members_of("cuc", 2023, people, CHART)) == ["a", "b"]
    assert ids(members_of("cuc", 2024, people, CHART, include_subunits=False)) == ["a"]


# ------------------------------------------------------------------ member figures


def _titles(code: str, year: int) -> tuple[TitleRecord, ...]:
    return (TitleRecord(code=code, year=year),)


def test_member_summary_counts_titles_grades_discipline_and_women() -> None:
    members = [
        person("a", (D(2015, 1, 1), "vu"), grades={2024: "HTXS"}, titles=_titles("LDTT", 2024) + _titles("CSTDCS", 2024)),
        person("b", (D(2015, 1, 1), "vu"), grades={2024: "HTT"}, titles=_titles("LDTT", 2024), sex=Sex.FEMALE),
        person("c", (D(2015, 1, 1), "vu"), grades={2024: "HT"}, titles=_titles("LDTT", 2023),
               disciplines=(DisciplineRecord(form=DisciplineForm.WARNING, decided_on=D(2023, 6, 1),
                                             ends_on=D(2024, 5, 31)),)),
    ]
    s = member_summary(2024, members, ("LDTT", "CSTDCS"))
    assert s.member_count == 3
    assert s.titled == {"CSTDCS": 1, "LDTT": 2}
    assert s.completed_duties == 3
    assert s.max_discipline is DisciplineForm.WARNING  # in force until May 2024
    assert s.women_share == pytest.approx(1 / 3, abs=1e-4)
    assert member_summary(2025, members, ("LDTT",)).max_discipline == "none"


def test_annulled_discipline_is_never_in_force() -> None:
    annulled = DisciplineRecord(form=DisciplineForm.WARNING, decided_on=D(2024, 2, 1), annulled=True)
    s = member_summary(2024, [person("a", (D(2015, 1, 1), "vu"), grades={2024: "HTT"}, disciplines=(annulled,))], ())
    assert s.max_discipline == "none"


def test_completion_is_unknown_while_a_grade_is_missing_unless_someone_failed() -> None:
    graded = person("a", (D(2015, 1, 1), "vu"), grades={2024: "HTT"})
    ungraded = person("b", (D(2015, 1, 1), "vu"))
    failing = person("c", (D(2015, 1, 1), "vu"), grades={2024: "KHT"})
    assert member_summary(2024, [graded, ungraded], ()).completed_duties is None
    assert member_summary(2024, [graded, ungraded, failing], ()).completed_duties == 1  # certainly not all


def test_a_year_without_members_is_unknown_not_empty() -> None:
    s = member_summary(2024, [], ("LDTT",))
    assert s.member_count is None and s.titled == {} and s.max_discipline is None


def test_the_catalogue_counts_ldtt_and_cstdcs_among_members() -> None:
    assert member_title_codes(default_catalogue()) == ("CSTDCS", "LDTT")


# ------------------------------------------------------------------ into the engine


def test_person_facts_feed_the_engine() -> None:
    p = person(
        "p-huong", (D(2015, 1, 1), "vu"), sex=Sex.FEMALE, name="Nguyễn Thị Hương",
        grades={2024: GradeEntry(Grade.GOOD, "vu")},
        initiatives=(InitiativeRecord(initiative_id="sk-1", kind="sang_kien", level="co_so", year=2024),),
    )
    facts = p.facts(2024, CHART)
    assert facts.unit_id == "vu" and facts.position == "Chuyên viên"
    # Lists read from the replicas are known (possibly empty); unpublished facts stay unknown.
    assert facts.titles == [] and facts.disciplines == [] and facts.holds == [] and facts.registrations == []
    assert facts.hazardous_service_years is None and facts.leader_posts is None
    assert assess(default_catalogue(), "CSTDCS", 2024, facts).eligible
    with_file = PersonBundle(**{**p.__dict__, "supplements": Supplements(hazardous_service_years=0)})
    assert with_file.facts(2024, CHART).hazardous_service_years == 0


def test_unit_facts_take_the_name_of_the_year_and_the_summaries_given() -> None:
    vu = CHART.get("vu")
    assert vu is not None
    bundle = UnitBundle(unit=vu, grades={2024: Grade.GOOD}, bloc_leader_years=(2024,))
    facts = bundle.facts(2024, [member_summary(2024, [], ())])
    assert facts.name == "Vụ Thi đua – Khen thưởng và Truyền thông"
    assert facts.bloc_leader_years == [2024] and facts.titles == []


# ------------------------------------------------------------------ rows as the queries return them


def test_rows_map_to_bundles() -> None:
    row = {
        "person_id": "p-1", "full_name": "Lê Thị Lan", "sex": "female", "date_of_birth": D(1985, 4, 12),
        "sector_joined_on": D(2008, 9, 1),
        "postings": json.dumps([
            {"effective_on": "2019-01-01", "seq": 1, "kind": "enrolled", "unit_id": "vu", "position": "Chuyên viên"},
            {"effective_on": "2024-10-01", "seq": 9, "kind": "left", "unit_id": None, "position": None},
        ]),
        "grades": [{"year": 2024, "grade": "HT", "recorded_grade": "HTT", "corrected": True, "unit_id": "vu"}],
        "disciplines": [{"discipline_id": "kl-1", "form": "khien_trach", "decided_on": "2024-03-15",
                         "starts_on": "2024-03-15", "ends_on": "2025-03-14", "ended_on": "2024-06-01",
                         "ending": "huy_bo"}],
        "initiatives": [{"initiative_id": "sk-1", "kind": "sang_kien", "level": "bo", "year": 2023, "title": "Số hóa",
                         "decision_number": "1/QĐ-BCT",
                         "used_for": {"code": "CSTD_BO", "year": 2023, "decision_number": "9/QĐ-BCT"}}],
        "titles": [{"code": "CSTDCS", "year": 2023, "decision_number": "5/QĐ-BCT", "decided_on": "2023-12-28",
                    "category": "merit"}],
        "registrations": [{"year": 2024, "code": "CSTD_BO"}],
        "holds": [{"kind": "complaint", "opened_on": "2024-11-01", "closed_on": None, "reference": "Đơn 12"}],
        "attestations": [{"key": "outstanding_in_movement", "year": 2024, "reference": None}],
        "supplements": {"person_id": "p-1", "teaching_years": 16.0, "education_joined_on": "2001-09-05",
                        "hazardous_service_years": None, "disadvantaged_area_years": None},
    }
    p = person_bundle(row)
    assert p.grades[2024] == GradeEntry(Grade.COMPLETED, "vu", Grade.GOOD, True)
    assert p.disciplines[0].annulled and p.disciplines[0].end == D(2024, 6, 1)
    assert p.initiatives[0].used_for is not None and p.initiatives[0].used_for.code == "CSTD_BO"
    assert p.supplements == Supplements(education_joined_on=D(2001, 9, 5), teaching_years=16.0)
    assert p.membership(2024, CHART).day == D(2024, 9, 30)  # type: ignore[union-attr]
    facts = p.facts(2024, CHART)
    assert facts.holds and facts.holds[0].open_on(D(2024, 12, 1))
    assert facts.registrations and facts.registrations[0].code == "CSTD_BO"

    urow = {"unit_id": "vu", "code": "VU", "kind": "vu", "established_on": D(2010, 1, 1), "merged_into": None,
            "merged_on": None, "dissolved_on": None, "names": [["2010-01-01", "Vụ A"], ["2023-03-01", "Vụ B"]],
            "parents": [["2010-01-01", "bct"]]}
    record = unit_record(urow)
    assert record.name_on(D(2024, 1, 1)) == "Vụ B" and record.parent_on(D(2024, 1, 1)) == "bct"
    bundle = unit_bundle({"unit_id": "vu", "grades": {"2024": "HTXS"}, "titles": [], "registrations": [],
                          "holds": [], "attestations": [], "bloc_leader_years": [2024, 2023]}, record)
    assert bundle.grades == {2024: Grade.EXCELLENT} and bundle.bloc_leader_years == (2023, 2024)


def test_members_by_unit_agrees_with_members_of() -> None:
    from services.awards.domain.bundles import members_by_unit

    people = [
        person("a", (D(2015, 1, 1), "cuc")),
        person("b", (D(2015, 1, 1), "phong")),
        person("c", (D(2015, 1, 1), "tt")),
        person("d", (D(2015, 1, 1), "ban")),
        person("e", (D(2015, 1, 1), "vu"), (D(2024, 3, 1), None)),
    ]
    for year in (2023, 2024):
        grouped = members_by_unit(year, people, CHART)
        for unit_id in ("bct", "cuc", "phong", "tt", "vu", "ban"):
            expected = {p.person_id for p in members_of(unit_id, year, people, CHART)}
            assert {p.person_id for p in grouped.get(unit_id, [])} == expected, (year, unit_id)
    assert {p.person_id for p in members_by_unit(2024, people, CHART)["vu"]} == {"d", "e"}


def test_the_file_facts_of_admissibility_reach_the_engine() -> None:
    """Issue #19.10: the recruitment date and the leave recorded in the file decide LĐTT's working time (before,
    the bundle had no place for them and the sector start of 2005 always stood for recruitment)."""
    from services.awards.domain.facts import AbsenceRecord
    from services.awards.domain.vocabulary import AbsenceKind

    leave = (AbsenceRecord(kind=AbsenceKind.OTHER, start=D(2026, 6, 1), end=D(2026, 9, 30)),)
    p = person("p-1", (D(2020, 1, 1), "vu"), grades={2026: "HTT"},
               supplements=Supplements(recruited_on=D(2026, 5, 1), absences=leave, deceased_on=None))
    facts = p.facts(2026, CHART)
    assert facts.recruited_on == D(2026, 5, 1) and facts.absences == list(leave) and facts.deceased_on is None
    result = assess(default_catalogue(), "LDTT", 2026, facts)
    assert not result.eligible and result.unknown() == ["working_time"]
    maternity = Supplements(recruited_on=D(2026, 5, 1), absences=(leave[0].model_copy(update={"kind": AbsenceKind.MATERNITY}),))
    counted = PersonBundle(**{**p.__dict__, "supplements": maternity}).facts(2026, CHART)
    assert assess(default_catalogue(), "LDTT", 2026, counted).eligible
    assert person("p-2", (D(2020, 1, 1), "vu")).facts(2026, CHART).absences is None  # no file: none recorded
