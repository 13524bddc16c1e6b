"""Recognised initiatives and research works."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pytest

from services.units.domain import InitiativeState, MergeUnit, RecognizeInitiative, RecordPersonLeft
from services.units.domain.initiative import fold_initiative
from tdkt_contracts.catalogue.units import InitiativeRecognized
from tdkt_contracts.vocabulary import InitiativeKind, Level

if TYPE_CHECKING:
    from conftest import World


def recognize(**over: object) -> RecognizeInitiative:
    data: dict[str, object] = {
        "initiative_id": "sk-2023-014",
        "kind": "sang_kien",
        "level": "co_so",
        "year": 2023,
        "title": "Số hóa quy trình xét tặng danh hiệu thi đua",
        "decision_number": "1120/QĐ-BCT",
        "decided_on": "2023-11-20",
        "author_ids": ["p-1", "p-2"],
        "unit_id": "u-vtccb",
    }
    data.update(over)
    return RecognizeInitiative.parse(data)


@pytest.fixture
def staffed(ministry: World) -> World:
    ministry.enrol("p-1", "u-vtccb")
    ministry.enrol("p-2", "u-vtdkt", name="Trần Văn Minh", sex="male")
    return ministry


def test_recognize(staffed: World) -> None:
    [event] = staffed.run(recognize())
    assert event == InitiativeRecognized(
        initiative_id="sk-2023-014", kind=InitiativeKind.INITIATIVE, level=Level.GRASSROOTS, year=2023,
        title="Số hóa quy trình xét tặng danh hiệu thi đua", decision_number="1120/QĐ-BCT",
        decided_on=date(2023, 11, 20), author_ids=["p-1", "p-2"], unit_id="u-vtccb",
    )
    state = staffed.initiatives["sk-2023-014"]
    assert state.exists and state.author_ids == ("p-1", "p-2") and state.level is Level.GRASSROOTS
    assert fold_initiative([event]) == state
    assert InitiativeState.initial().apply(object()) == InitiativeState.initial()  # type: ignore[arg-type]


def test_research_at_ministry_level_by_an_author_who_left(staffed: World) -> None:
    staffed.run(RecordPersonLeft(person_id="p-2", reason="nghi_huu", effective_on="2024-01-01"))
    staffed.run(recognize(initiative_id="dt-1", kind="de_tai", level="bo", decided_on="2024-03-01"))


def test_recognize_refusals(staffed: World) -> None:
    error = staffed.refuse(recognize(author_ids=["p-1", "p-9", "p-8"]), "person_not_found")
    assert error.details["person_ids"] == ["p-9", "p-8"]
    staffed.refuse(recognize(unit_id="u-none"), "unit_not_found")
    staffed.refuse(recognize(year=2026, decided_on="2025-01-01"), "initiative_future_year")
    staffed.refuse(recognize(decided_on="2025-07-01"), "date_in_future")
    staffed.refuse(recognize(decided_on="2022-12-31"), "invalid_period")
    staffed.refuse(recognize(year=2010, decided_on="2011-01-10"), "unit_not_established")
    staffed.run(recognize())
    staffed.refuse(recognize(), "initiative_exists")


def test_unit_closed_before_the_year(staffed: World) -> None:
    staffed.run(MergeUnit(unit_id="u-vtdkt", into_unit_id="u-vtccb", effective_on="2024-01-01"))
    # the merged unit's own 2023 work can still be recognised
    staffed.run(recognize(initiative_id="sk-a", unit_id="u-vtdkt", decided_on="2024-02-01"))
    staffed.refuse(recognize(initiative_id="sk-b", unit_id="u-vtdkt", year=2024, decided_on="2024-12-01"),
                   "unit_merged")


def test_unit_dissolved_before_the_year(staffed: World) -> None:
    from services.units.domain import DissolveUnit, EstablishUnit

    staffed.run(EstablishUnit(unit_id="u-bql", code="BQL", name="Ban Quản lý dự án", kind="khac",
                              parent_id="u-bct", effective_on="2019-01-01"))
    staffed.run(DissolveUnit(unit_id="u-bql", effective_on="2023-01-01"))
    staffed.run(recognize(initiative_id="sk-a", unit_id="u-bql", year=2022, decided_on="2023-02-01"))
    staffed.refuse(recognize(initiative_id="sk-b", unit_id="u-bql"), "unit_dissolved")
