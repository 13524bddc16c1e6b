"""A household (hộ gia đình, Law 2022 Art. 2) along the merit path on the pure domain: named by its nomination
under its own id, proposed by the submitting unit, assessed by the engine on the contributions the nomination
states (Art. 74 Bằng khen, Art. 75 Giấy khen), voted, granted."""

from __future__ import annotations

from datetime import date

import pytest
from awards_workflow_testkit import FULL_DOSSIER, SUBTREES, UNITS, World, ballots, collective, person, refused
from tdkt_contracts.catalogue.awards import AwardGranted, CandidateAssessed, CandidateReturned

from services.awards.workflow import (
    GrantAwards,
    Nominee,
    ResubmitCandidate,
    SubmitNomination,
    decide_grant,
    decide_resubmit,
    decide_submit,
    decision_from_awards,
    docx_text,
    render_decision,
)
from services.awards.workflow.household import household_facts
from kernel.errors import DomainError

YEAR = 2024
SUBMITTED = date(2024, 11, 1)
LAND = {"kind": "dat_dai", "year": YEAR, "description": "Hiến 120 m² đất làm đường liên thôn", "value_vnd": 300_000_000}


def _household(candidate_id: str = "c-h", contributions: list[dict] | None = None, **over: object) -> Nominee:
    return Nominee.model_validate(
        {
            "candidate_id": candidate_id,
            "recipient_kind": "household",
            "subject_id": "hgd-thach-da-017",
            "display_name": "Hộ ông Nguyễn Văn A",
            "household": {"address": "Xã Thạch Đà, thành phố Hà Nội",
                          "contributions": [LAND] if contributions is None else contributions},
        }
        | over
    )


def _cmd(code: str, nominees: list[Nominee], nomination_id: str = "n-h") -> SubmitNomination:
    return SubmitNomination(nomination_id=nomination_id, year=YEAR, award_code=code, submitting_unit_id="u-vtccb",
                            candidates=nominees, documents=FULL_DOSSIER, submitted_on=SUBMITTED)


def _submit(world: World, cmd: SubmitNomination, **over: object) -> list:
    """What the handler does: a household's facts from its nominee, the submitting unit as its unit."""
    facts = {n.candidate_id: household_facts(n, cmd.submitting_unit_id) for n in cmd.candidates}
    kwargs = {
        "entry": world.catalogue.entry(cmd.award_code),
        "assessments": {cid: world.assess(cmd.award_code, cmd.year, f) for cid, f in facts.items() if f},
        "candidate_units": {},
        "unit_subtree": SUBTREES["u-vtccb"],
        "today": world.today,
        "known_subjects": {"p-huong", "u-vtccb"},
    } | over
    return world.run(decide_submit, world.nomination(cmd.nomination_id), cmd, **kwargs)


def test_a_household_is_nominated_assessed_voted_and_granted_the_ministers_bang_khen(world: World) -> None:
    submitted, assessed = _submit(world, _cmd("BK_BT", [_household()]))
    [candidate] = submitted.candidates
    assert (candidate.recipient_kind.value, candidate.subject_id, candidate.display_name, candidate.unit_id) == (
        "household", "hgd-thach-da-017", "Hộ ông Nguyễn Văn A", "u-vtccb"
    )
    assert isinstance(assessed, CandidateAssessed) and assessed.eligible
    assert assessed.rule_set == "BK_BT/household/LAW2022_ND98"
    contribution = next(c for c in assessed.criteria if c.criterion_id == "contribution")
    assert contribution.status == "passed" and contribution.unconfirmed
    assert "Điều 74" in contribution.citation and "300.000.000 đồng" in contribution.explanation_vi
    world.vote("n-h", date(2024, 11, 20), {"c-h": ballots(approve=10)})
    cmd = GrantAwards(nomination_id="n-h", candidate_ids=["c-h"], authority="minister",
                      decision_number="3456/QĐ-BCT", decision_date=date(2024, 12, 20),
                      signer="Bộ trưởng Nguyễn Hồng Diên")
    [granted, *_] = world.run(decide_grant, world.nomination("n-h"), cmd, procedures=world.procedures("n-h"),
                              law=world.catalogue, held_awards=world.history(), today=world.today)
    assert isinstance(granted, AwardGranted)
    assert granted.recipient.recipient_kind.value == "household"
    assert (granted.recipient.subject_id, granted.recipient.unit_id) == ("hgd-thach-da-017", "u-vtccb")
    assert granted.cash_multiple is None  # 1.5 × the individual amount, which was not captured


def test_a_household_without_a_contribution_is_returned_with_the_reason(world: World) -> None:
    """Art. 75's household clause is [U]: undetermined, so returned to the unit to complete, never refused."""
    _, assessed, returned = _submit(world, _cmd("GIAY_KHEN", [_household(contributions=[])]))
    assert isinstance(assessed, CandidateAssessed) and not assessed.eligible
    assert isinstance(returned, CandidateReturned)
    assert any("công sức, đất đai" in r for r in returned.reasons)
    # Its facts are the nomination's: resubmitting cannot change them.
    refused("household_not_resubmitted", decide_resubmit, world.nomination("n-h"),
            ResubmitCandidate(nomination_id="n-h", candidate_id="c-h", resubmitted_on=date(2024, 11, 5)),
            assessment=None, candidate_unit=None, unit_subtree=SUBTREES["u-vtccb"], today=world.today)


def test_a_household_is_outside_the_units_context_and_named_by_its_nomination(world: World) -> None:
    as_person = _cmd("GIAY_KHEN", [_household(subject_id="P-HUONG")])  # a person of the Ministry, any spelling
    refused("subject_not_household", decide_submit, world.nomination("n-h"), as_person,
            entry=world.catalogue.entry("GIAY_KHEN"), assessments={}, candidate_units={},
            unit_subtree=SUBTREES["u-vtccb"], today=world.today, known_subjects={"p-huong"})
    nameless = _cmd("GIAY_KHEN", [_household(display_name=None)])
    assert household_facts(nameless.candidates[0], "u-vtccb") is None
    refused("display_name_required", decide_submit, world.nomination("n-h"), nameless,
            entry=world.catalogue.entry("GIAY_KHEN"), assessments={}, candidate_units={},
            unit_subtree=SUBTREES["u-vtccb"], today=world.today)


@pytest.mark.parametrize(("code", "error"), [("LDTT", "wrong_recipient_kind"), ("CSTD_BO", "wrong_recipient_kind")])
def test_titles_the_law_gives_no_household_are_refused(world: World, code: str, error: str) -> None:
    refused(error, decide_submit, world.nomination("n-h"), _cmd(code, [_household()]),
            entry=world.catalogue.entry(code), assessments={}, candidate_units={},
            unit_subtree=SUBTREES["u-vtccb"], today=world.today)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"recipient_kind": "household"}, "candidates.0"),  # no household facts
        ({"recipient_kind": "individual", "household": {"contributions": []}}, "candidates.0"),
        ({"recipient_kind": "household", "household": {"contributions": [LAND | {"kind": "vang"}]}},
         "candidates.0.household.contributions.0.kind"),
        ({"recipient_kind": "household", "household": {"contributions": [LAND | {"value_vnd": -1}]}},
         "candidates.0.household.contributions.0.value_vnd"),
    ],
)
def test_a_household_nominee_states_its_facts_or_the_command_is_refused(body: dict, field: str) -> None:
    data = {"nomination_id": "n-h", "year": YEAR, "award_code": "GIAY_KHEN", "submitting_unit_id": "u-vtccb",
            "documents": [d.model_dump() for d in FULL_DOSSIER], "submitted_on": SUBMITTED.isoformat(),
            "candidates": [{"candidate_id": "c-h", "subject_id": "hgd-1", "display_name": "Hộ bà Lê Thị Cúc"} | body]}
    with pytest.raises(DomainError) as caught:
        SubmitNomination.parse(data)
    assert caught.value.code == "invalid_command"
    assert any(e["field"] == field for e in caught.value.details["errors"]), caught.value.details


def test_a_households_name_and_address_are_kept_in_nfc() -> None:
    nfd = "Ho\u0302\u0323 o\u0302ng Nguye\u0302\u0303n Va\u0306n A"  # decomposed, as some keyboards type it
    address = "Xa\u0303 Tha\u0323ch Đa\u0300"
    nominee = _household(display_name=nfd, household={"address": address, "contributions": [LAND]})
    facts = household_facts(nominee, "u-vtccb")
    assert facts is not None and facts.name == "Hộ ông Nguyễn Văn A" and facts.address == "Xã Thạch Đà"


def test_the_decision_lists_the_household_in_its_own_part_of_the_annex(world: World) -> None:
    """The decision's Article 1 and annex name a household as such: "01 hộ gia đình", "III. HỘ GIA ĐÌNH"."""
    people = {"c-1": person("p-huong", "BK_BT", YEAR), "c-2": collective("u-vtccb-th", "BK_BT", YEAR)}
    nominees = [Nominee(candidate_id=c, recipient_kind=f.recipient, subject_id=f.subject_id) for c, f in people.items()]
    cmd = _cmd("BK_BT", [*nominees, _household("c-3")])
    facts = {**people, "c-3": household_facts(cmd.candidates[2], "u-vtccb")}
    world.run(decide_submit, world.nomination("n-h"), cmd, entry=world.catalogue.entry("BK_BT"),
              assessments={c: world.assess("BK_BT", YEAR, f) for c, f in facts.items()},
              candidate_units={c: UNITS[f.subject_id] for c, f in people.items()},
              unit_subtree=SUBTREES["u-vtccb"], today=world.today, known_subjects=set())
    grant = GrantAwards(nomination_id="n-h", candidate_ids=["c-1", "c-2", "c-3"], authority="minister",
                        decision_number="3456/QĐ-BCT", decision_date=date(2024, 12, 20),
                        signer="Bộ trưởng Nguyễn Hồng Diên")
    granted = world.run(decide_grant, world.nomination("n-h"), grant, procedures=world.procedures("n-h"),
                        law=world.catalogue, held_awards=[], today=world.today)
    text = docx_text(render_decision(decision_from_awards([g for g in granted if isinstance(g, AwardGranted)])))
    for expected in ("cho 01 cá nhân, 01 tập thể và 01 hộ gia đình có tên trong danh sách kèm theo",
                     "CÁ NHÂN, TẬP THỂ, HỘ GIA ĐÌNH ĐƯỢC TẶNG", "I. CÁ NHÂN", "II. TẬP THỂ", "III. HỘ GIA ĐÌNH",
                     "Hộ ông Nguyễn Văn A", "Danh sách có 01 cá nhân, 01 tập thể và 01 hộ gia đình./."):
        assert expected in text, expected
