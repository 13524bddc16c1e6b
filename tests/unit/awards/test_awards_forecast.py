"""Forecast: who is one step short and would qualify next year if the trend holds."""

from __future__ import annotations

from awards_testkit import COL, IND, catalogue, grades, initiative, members, person, recipe, titles, unit
from tdkt_contracts.vocabulary import Grade, Level

from services.awards.domain import Registration, Status, forecast, project


def _two_of_three(pid: str, name: str):
    return person(
        person_id=pid,
        full_name=name,
        grades=grades([2022, 2023]),
        titles=titles("CSTDCS", 2022, 2023),
        initiatives=[initiative(f"SK-{pid}", 2023, Level.MINISTRY)],
        registrations=[Registration(year=2023, code="CSTD_BO")],
    )


def test_two_of_three_consecutive_titles_is_on_track() -> None:
    on_track = _two_of_three("p-1", "Đặng Thu Hà")
    broken = person(
        person_id="p-2",
        full_name="Vũ Quốc Huy",
        grades=grades([2021, 2023]),
        titles=titles("CSTDCS", 2021, 2023),
        initiatives=[initiative("SK-X", 2023, Level.MINISTRY)],
    )
    already = recipe("CSTD_BO", IND, 2024).model_copy(update={"person_id": "p-3", "full_name": "Bùi Văn Khoa"})
    found = forecast(catalogue(), "CSTD_BO", 2024, [broken, on_track, already])
    assert [c.subject_id for c in found] == ["p-1"]
    candidate = found[0]
    assert candidate.on_track and candidate.unmet_after_trend == 0 and candidate.year == 2024
    gaps = {g.criterion_id: g for g in candidate.missing}
    assert set(gaps) == {"chain", "registration"}
    assert gaps["chain"].covered_by_trend and gaps["chain"].status is Status.FAILED
    assert any("CSTDCS" in a for a in candidate.assumptions_vi)
    assert candidate.projected.eligible


def test_one_more_gap_is_shown_when_asked() -> None:
    no_initiative = _two_of_three("p-4", "Ngô Thanh Lâm").model_copy(update={"initiatives": []})
    assert forecast(catalogue(), "CSTD_BO", 2024, [no_initiative]) == []
    (candidate,) = forecast(catalogue(), "CSTD_BO", 2024, [no_initiative], max_unmet=1)
    assert not candidate.on_track and candidate.unmet_after_trend == 1
    gaps = {g.criterion_id: g.covered_by_trend for g in candidate.missing}
    assert gaps == {"chain": True, "initiative": False, "registration": True}


def test_collective_projection_repeats_last_years_figures() -> None:
    facts = unit(grades={2024: Grade.GOOD}, members=[members(2024, ldtt=8)])
    projected, vi, en = project(catalogue(), facts, 2025)
    assert projected.member_summary(2025).titled["LDTT"] == 8 and projected.grades[2025] is Grade.GOOD
    assert len(vi) == len(en) == 2
    (candidate,) = forecast(catalogue(), "TTLDTT", 2025, [facts])
    assert candidate.on_track and candidate.subject_id == "u-vtccb"


def test_only_annual_titles_are_projected() -> None:
    facts = recipe("CSTD_BO", IND, 2023)
    projected, _, _ = project(
        catalogue(), facts.model_copy(update={"titles": facts.titles + titles("CSTD_BO", 2023)}), 2024
    )
    codes_2024 = sorted(t.code for t in projected.titles if t.year == 2024)
    assert codes_2024 == ["CSTDCS"]


def test_unit_forecast_for_the_excellent_collective() -> None:
    facts = recipe("TTLDXS", COL, 2024).model_copy(update={"members": [members(2024, cstdcs=0)]})
    assert forecast(catalogue(), "TTLDXS", 2025, [facts]) == []
    (candidate,) = forecast(catalogue(), "TTLDXS", 2025, [facts], max_unmet=1)
    assert [g.criterion_id for g in candidate.missing if not g.covered_by_trend] == ["cstdcs_member"]
