"""The API's pure helpers: the checks made before reading facts, and how answers are shaped."""

from __future__ import annotations

from datetime import date

import pytest
from tdkt_contracts.vocabulary import RecipientKind, Sex

from kernel.errors import DomainError, NotFound
from services.awards.api.assessments import candidate_view, default_recipient
from services.awards.api.catalogue import award_view, catalogue_view
from services.awards.domain import PersonFacts, assess, default_catalogue, rule_in_force

CATALOGUE = default_catalogue()
IND, COL = RecipientKind.INDIVIDUAL, RecipientKind.COLLECTIVE


def test_the_rule_checks_match_the_engine() -> None:
    assert rule_in_force(CATALOGUE, "CSTDCS", 2024, IND).id == "CSTDCS.individual.2024-01-01"
    with pytest.raises(NotFound) as unknown:
        rule_in_force(CATALOGUE, "NOPE", 2024, IND)
    assert unknown.value.code == "unknown_award"
    with pytest.raises(DomainError) as kind:
        rule_in_force(CATALOGUE, "TTLDTT", 2024, IND)
    assert kind.value.code == "wrong_recipient_kind" and kind.value.details["allowed"] == ["collective"]
    with pytest.raises(DomainError) as year:
        rule_in_force(CATALOGUE, "CSTDCS", 2010, IND)
    assert year.value.code == "no_rule_for_year" and "2010" in year.value.message

    # Same codes as the engine raises once facts are loaded.
    person = PersonFacts(person_id="p", full_name="Nguyễn Văn An", sex=Sex.MALE)
    for code, year_, expected in (("TTLDTT", 2024, "wrong_recipient_kind"), ("CSTDCS", 2010, "no_rule_for_year")):
        with pytest.raises(DomainError) as engine:
            assess(CATALOGUE, code, year_, person)
        assert engine.value.code == expected


def test_default_recipient_prefers_people_for_codes_given_to_both() -> None:
    assert default_recipient(CATALOGUE.entry("BK_BT"), None) is IND
    assert default_recipient(CATALOGUE.entry("TTLDTT"), None) is COL
    assert default_recipient(CATALOGUE.entry("BK_BT"), COL) is COL


def test_catalogue_view_cites_every_version() -> None:
    view = catalogue_view(CATALOGUE)
    assert [a.code for a in view.awards] == CATALOGUE.codes
    for award in view.awards:
        assert award.rules and all(r.citation.text_vi and r.citation.article for r in award.rules)
        assert all(d in CATALOGUE.documents for d in award.documents)


def test_award_detail_walks_every_criterion() -> None:
    detail = award_view(CATALOGUE, CATALOGUE.entry("CSTDCS"), detail=True)
    rule = detail.rules[1]  # the 2024 version
    route = next(c for c in rule.criteria if c.id == "route")  # type: ignore[attr-defined]
    assert route.kind == "any_of" and [c.id for c in route.criteria] == ["htxs", "initiative", "research"]
    assert all(c.citation.text_vi.endswith("Điều 23") for c in route.criteria)


def test_candidate_view_flattens_with_citations() -> None:
    person = PersonFacts(
        person_id="p", full_name="Nguyễn Văn An", sex=Sex.MALE, sector_joined_on=date(2010, 3, 1),
        grades={2024: "HTXS"}, titles=[], initiatives=[],
        holds=[], disciplines=[], registrations=[], attestations=[],
    )
    assessment = assess(CATALOGUE, "CSTDCS", 2024, person, as_of=date(2024, 12, 10))
    view = candidate_view(assessment, "u-vtccb", full=False)
    assert view.eligible and view.unit_id == "u-vtccb" and view.assessment is None
    assert len(view.criteria) == len(list(assessment.results()))
    assert all(line.citation_vi in line.explanation_vi for line in view.criteria)
    assert candidate_view(assessment, None, full=True).assessment == assessment
