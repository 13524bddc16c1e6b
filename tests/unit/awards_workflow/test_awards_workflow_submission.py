"""Nomination: submission with assessment on arrival, returns with the engine's reasons, resubmission, bad input."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from awards_workflow_testkit import changed, FULL_DOSSIER, SHORT_DOSSIER, SUBTREES, UNITS, World, person, refused
from tdkt_contracts.catalogue.awards import CandidateAssessed, CandidateReturned, NominationSubmitted

from kernel.errors import DomainError
from services.awards.workflow import (
    CandidateStatus,
    Nominee,
    ResubmitCandidate,
    SubmitNomination,
    decide_resubmit,
    decide_submit,
)

YEAR = 2024


def _cmd(**over: object) -> SubmitNomination:
    data: dict[str, object] = {
        "nomination_id": "n-2024-cstdbo-vtccb",
        "year": YEAR,
        "award_code": "CSTD_BO",
        "submitting_unit_id": "u-vtccb",
        "candidates": [{"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": "p-huong"}],
        "documents": [d.model_dump() for d in FULL_DOSSIER],
        "submitted_on": "2024-11-01",
    }
    data.update(over)
    return SubmitNomination.parse(data)


def _inputs(world: World, cmd: SubmitNomination, **over: object) -> dict[str, object]:
    facts = {n.candidate_id: person(n.subject_id, "CSTD_BO", YEAR) for n in cmd.candidates}
    inputs: dict[str, object] = {
        "entry": world.catalogue.entry(cmd.award_code),
        "assessments": {cid: world.assess(cmd.award_code, cmd.year, f) for cid, f in facts.items()},
        "candidate_units": {n.candidate_id: UNITS.get(n.subject_id) for n in cmd.candidates},
        "unit_subtree": SUBTREES[cmd.submitting_unit_id],
        "today": world.today,
    }
    inputs.update(over)
    return inputs


def test_every_candidate_is_assessed_on_arrival_and_the_ineligible_returned(world: World) -> None:
    eligible = person("p-huong", "CSTD_BO", YEAR)
    lacking = changed(person("p-tuyet", "CSTD_BO", YEAR), initiatives=[], titles=[])
    events = world.submit("n-1", "CSTD_BO", YEAR, [("c-1", eligible), ("c-2", lacking)])

    submitted, assessed_1, assessed_2, returned = events
    assert isinstance(submitted, NominationSubmitted)
    assert submitted.award_name == "Chiến sĩ thi đua Bộ Công Thương" and submitted.award_kind == "title"
    assert submitted.category == "merit" and [c.unit_id for c in submitted.candidates] == ["u-vtccb", "u-vtccb"]
    assert isinstance(assessed_1, CandidateAssessed) and assessed_1.eligible
    assert assessed_1.rule_set == "CSTD_BO/individual/LAW2022_ND98"
    assert assessed_1.initiative_ids == ["SK-BO"]
    assert assessed_1.criteria and all(c.citation and c.explanation_vi for c in assessed_1.criteria)
    assert any(c.citation.startswith("Luật Thi đua, khen thưởng 2022") for c in assessed_1.criteria)
    assert isinstance(assessed_2, CandidateAssessed) and not assessed_2.eligible
    assert isinstance(returned, CandidateReturned) and returned.candidate_id == "c-2"
    assert any("Chiến sĩ thi đua cơ sở" in r for r in returned.reasons)
    assert any("sáng kiến" in r.lower() for r in returned.reasons)

    state = world.nomination("n-1")
    assert state.candidate("c-1").status is CandidateStatus.ELIGIBLE
    assert state.candidate("c-2").status is CandidateStatus.RETURNED
    assert state.candidate("c-2").reasons == returned.reasons


def test_the_name_of_record_comes_from_the_units_context(world: World) -> None:
    cmd = _cmd(candidates=[{"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": "p-huong",
                            "display_name": "Huong N.T."}])
    [submitted, *_] = decide_submit(world.nomination(cmd.nomination_id), cmd, **_inputs(world, cmd))
    assert submitted.candidates[0].display_name == "Nguyễn Thị Hương"


def test_a_returned_candidate_is_resubmitted_after_the_facts_were_fixed(world: World) -> None:
    complete = person("p-huong", "CSTD_BO", YEAR)
    lacking = changed(complete, initiatives=[])
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", lacking)], submitted_on=date(2024, 11, 1))
    assert world.nomination("n-1").candidate("c-1").status is CandidateStatus.RETURNED

    fixed = changed(lacking, initiatives=complete.initiatives)
    cmd = ResubmitCandidate(nomination_id="n-1", candidate_id="c-1", resubmitted_on=date(2024, 11, 20))
    kwargs = {
        "assessment": world.assess("CSTD_BO", YEAR, fixed),
        "candidate_unit": "u-vtccb",
        "unit_subtree": SUBTREES["u-vtccb"],
        "today": world.today,
    }
    [assessed] = world.run(decide_resubmit, world.nomination("n-1"), cmd, **kwargs)
    assert isinstance(assessed, CandidateAssessed) and assessed.eligible
    state = world.nomination("n-1")
    assert state.candidate("c-1").status is CandidateStatus.ELIGIBLE
    assert len(state.candidate("c-1").returns) == 1  # the history of the return is kept

    refused("candidate_not_returned", decide_resubmit, state, cmd, **kwargs)


def test_a_resubmission_still_lacking_is_returned_again(world: World) -> None:
    lacking = changed(person("p-huong", "CSTD_BO", YEAR), initiatives=[])
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", lacking)], submitted_on=date(2024, 11, 1))
    cmd = ResubmitCandidate(nomination_id="n-1", candidate_id="c-1", resubmitted_on=date(2024, 11, 20))
    events = decide_resubmit(
        world.nomination("n-1"),
        cmd,
        assessment=world.assess("CSTD_BO", YEAR, lacking),
        candidate_unit="u-vtccb",
        unit_subtree=SUBTREES["u-vtccb"],
        today=world.today,
    )
    assert [type(e) for e in events] == [CandidateAssessed, CandidateReturned]


def test_a_resubmission_without_facts_is_refused_by_the_decision_itself(world: World) -> None:
    # The handler passes no assessment when the replica has no facts for the subject; the refusals
    # (and their order) are the decision's own, whatever the handler could load.
    lacking = changed(person("p-huong", "CSTD_BO", YEAR), initiatives=[])
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", lacking)], submitted_on=date(2024, 11, 1))
    inputs = {"assessment": None, "candidate_unit": None, "unit_subtree": SUBTREES["u-vtccb"], "today": world.today}
    returned = ResubmitCandidate(nomination_id="n-1", candidate_id="c-1", resubmitted_on=date(2024, 11, 20))
    error = refused("subject_not_found", decide_resubmit, world.nomination("n-1"), returned, **inputs)
    assert error.details == {"candidate_id": "c-1", "subject_id": "p-huong"}
    unknown = ResubmitCandidate(nomination_id="n-1", candidate_id="c-9", resubmitted_on=date(2024, 11, 20))
    refused("unknown_candidate", decide_resubmit, world.nomination("n-1"), unknown, **inputs)

    world.submit("n-2", "CSTD_BO", YEAR, [("c-1", person("p-huong", "CSTD_BO", YEAR))],
                 submitted_on=date(2024, 11, 1))
    eligible = ResubmitCandidate(nomination_id="n-2", candidate_id="c-1", resubmitted_on=date(2024, 11, 20))
    refused("candidate_not_returned", decide_resubmit, world.nomination("n-2"), eligible, **inputs)


def test_a_resubmitted_person_who_moved_out_of_the_unit_is_refused(world: World) -> None:
    lacking = changed(person("p-huong", "CSTD_BO", YEAR), initiatives=[])
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", lacking)], submitted_on=date(2024, 11, 1))
    cmd = ResubmitCandidate(nomination_id="n-1", candidate_id="c-1", resubmitted_on=date(2024, 11, 20))
    refused(
        "candidate_outside_unit",
        decide_resubmit,
        world.nomination("n-1"),
        cmd,
        assessment=world.assess("CSTD_BO", YEAR, lacking),
        candidate_unit="u-vkh",
        unit_subtree=SUBTREES["u-vtccb"],
        today=world.today,
    )


# --------------------------------------------------------------------------- bad input


def test_a_person_outside_the_submitting_unit(world: World) -> None:
    cmd = _cmd(candidates=[{"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": "p-khoa"}])
    error = refused("candidate_outside_unit", decide_submit, world.nomination(cmd.nomination_id), cmd,
                    **_inputs(world, cmd))
    assert error.details["unit_id"] == "u-vkh" and error.details["submitting_unit_id"] == "u-vtccb"


def test_a_person_in_a_sub_unit_is_inside(world: World) -> None:
    cmd = _cmd(candidates=[{"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": "p-phuc"}])
    events = decide_submit(world.nomination(cmd.nomination_id), cmd, **_inputs(world, cmd))
    assert events[0].candidates[0].unit_id == "u-vtccb-th"


def test_a_subject_unknown_to_the_units_context(world: World) -> None:
    cmd = _cmd()
    refused("subject_not_found", decide_submit, world.nomination(cmd.nomination_id), cmd,
            **_inputs(world, cmd, candidate_units={}))


def test_a_year_in_the_future(world: World) -> None:
    cmd = _cmd(year=2026)
    inputs = _inputs(world, _cmd())
    refused("year_in_future", decide_submit, world.nomination(cmd.nomination_id), cmd, **inputs)


def test_a_submission_dated_after_today(world: World) -> None:
    cmd = _cmd(submitted_on="2025-04-01")
    refused("date_in_future", decide_submit, world.nomination(cmd.nomination_id), cmd, **_inputs(world, cmd))


def test_a_nomination_is_submitted_once(world: World) -> None:
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", person("p-huong", "CSTD_BO", YEAR))])
    cmd = _cmd(nomination_id="n-1")
    refused("nomination_exists", decide_submit, world.nomination("n-1"), cmd, **_inputs(world, cmd))


def test_an_incomplete_dossier(world: World) -> None:
    cmd = _cmd(documents=[d.model_dump() for d in SHORT_DOSSIER])
    error = refused("dossier_incomplete", decide_submit, world.nomination(cmd.nomination_id), cmd,
                    **_inputs(world, cmd))
    assert error.details["missing"] == ["review_minutes"]


def test_an_assessment_is_required_for_every_candidate(world: World) -> None:
    cmd = _cmd()
    refused("assessment_missing", decide_submit, world.nomination(cmd.nomination_id), cmd,
            **_inputs(world, cmd, assessments={}))


def test_an_assessment_of_another_year_is_refused(world: World) -> None:
    cmd = _cmd()
    other = {"c-1": world.assess("CSTD_BO", 2023, person("p-huong", "CSTD_BO", 2023))}
    refused("assessment_mismatch", decide_submit, world.nomination(cmd.nomination_id), cmd,
            **_inputs(world, cmd, assessments=other))


def test_a_collective_for_an_individual_title(world: World) -> None:
    cmd = _cmd(candidates=[{"candidate_id": "c-1", "recipient_kind": "collective", "subject_id": "u-vtccb-th"}])
    refused("wrong_recipient_kind", decide_submit, world.nomination(cmd.nomination_id), cmd,
            **_inputs(world, _cmd()))


@pytest.mark.parametrize(
    ("code", "category"),
    [("CSTD_BO", "one_off"), ("CSTD_BO", "thematic"), ("CSTD_BO", "foreign"), ("KNC_CT", "merit"), ("BK_BT", "long_service")],
)
def test_a_code_outside_its_paths(world: World, code: str, category: str) -> None:
    cmd = _cmd(award_code=code, category=category, movement_id="mv-1" if category == "thematic" else None)
    inputs = _inputs(world, _cmd(), entry=world.catalogue.entry(code))
    refused("category_not_allowed", decide_submit, world.nomination(cmd.nomination_id), cmd, **inputs)


def test_a_thematic_award_names_its_movement_and_only_it_does(world: World) -> None:
    entry = world.catalogue.entry("BK_BT")
    cmd = _cmd(award_code="BK_BT", category="thematic")
    refused("movement_required", decide_submit, world.nomination(cmd.nomination_id), cmd,
            **_inputs(world, _cmd(), entry=entry))
    cmd = _cmd(award_code="BK_BT", movement_id="mv-1")
    refused("movement_only_for_thematic", decide_submit, world.nomination(cmd.nomination_id), cmd,
            **_inputs(world, _cmd(), entry=entry))


def test_the_command_refuses_a_candidate_twice() -> None:
    twice = [
        {"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": "p-huong"},
        {"candidate_id": "c-2", "recipient_kind": "individual", "subject_id": "p-huong"},
    ]
    with pytest.raises(DomainError) as caught:
        _cmd(candidates=twice)
    assert caught.value.code == "invalid_command"
    assert "p-huong" in caught.value.message


def test_names_typed_decomposed_are_stored_composed(world: World) -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn Thị Hương")
    cmd = SubmitNomination(
        nomination_id="n-f",
        year=YEAR,
        award_code="BK_BT",
        category="foreign",
        submitting_unit_id="u-htqt",
        candidates=[Nominee(candidate_id="c-1", recipient_kind="individual", subject_id="ext-1", display_name=decomposed)],
        documents=SHORT_DOSSIER,
        submitted_on=date(2024, 11, 1),
    )
    [submitted, _] = decide_submit(
        world.nomination("n-f"),
        cmd,
        entry=world.catalogue.entry("BK_BT"),
        assessments={},
        candidate_units={},
        unit_subtree=SUBTREES["u-htqt"],
        today=world.today,
    )
    assert submitted.candidates[0].display_name == unicodedata.normalize("NFC", "Nguyễn Thị Hương")
