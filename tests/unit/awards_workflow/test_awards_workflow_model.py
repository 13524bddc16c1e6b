"""The workflow's building blocks: command shapes, deterministic ids, folds that never fail, procedures that
agree with the engine, and the path table."""

from __future__ import annotations

import pytest
from awards_workflow_testkit import kit
from tdkt_contracts.catalogue.awards import CandidateAssessed, CouncilVoted, NominationSubmitted
from tdkt_contracts.vocabulary import RecipientKind

from kernel.errors import DomainError
from services.awards.domain import Catalogue
from services.awards.workflow import (
    PATHS,
    AwardState,
    Code,
    GrantAwards,
    NominationState,
    OpenPublicNotice,
    ProposalState,
    RecordCouncilVote,
    RecordHigherDecision,
    award_id_for,
    path_for,
    procedure_for,
    procedures_for,
    proposal_id_for,
)


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (OpenPublicNotice, {"nomination_id": "n-1", "candidate_ids": ["c-1", "c-1"], "opened_on": "2024-11-04"}),
        (OpenPublicNotice, {"nomination_id": "n-1", "candidate_ids": [], "opened_on": "2024-11-04"}),
        (GrantAwards, {"nomination_id": "n 1", "candidate_ids": ["c-1"], "authority": "minister",
                       "decision_number": "1/QĐ-BCT", "decision_date": "2024-12-20", "signer": "Bộ trưởng"}),
        (RecordCouncilVote, {"nomination_id": "n-1", "council_id": "hd", "voted_on": "2024-12-10",
                             "results": [{"candidate_id": "c-1", "ballots": []}, {"candidate_id": "c-1", "ballots": []}]}),
        (RecordHigherDecision, {"proposal_id": "pr-1", "decided_by": "president", "decision_number": "1/QĐ-CTN",
                                "decision_date": "2025-01-01", "outcomes": [], "recorded_on": "2025-01-02"}),
        (GrantAwards, {"nomination_id": "n-1", "candidate_ids": ["c-1"], "authority": "minister",
                       "decision_number": "1/QĐ-BCT", "decision_date": "2024-12-20", "signer": "Bộ trưởng",
                       "extra": 1}),
    ],
)
def test_bad_command_shapes_are_one_clear_error(model: type, data: dict) -> None:
    with pytest.raises(DomainError) as caught:
        model.parse(data)
    assert caught.value.code == "invalid_command"
    assert caught.value.details["errors"]


def test_codes_are_stable_snake_case() -> None:
    assert all(c.value == c.value.lower() and " " not in c.value for c in Code)
    for expected in ("voter_not_on_council", "vote_required", "vote_not_passed", "beyond_power",
                     "award_already_granted", "quota_exceeded", "award_already_revoked", "candidate_outside_unit",
                     "year_in_future", "notice_required"):
        assert Code(expected)


def test_ids_are_deterministic_and_do_not_collide() -> None:
    assert award_id_for("n-1", "c-1") == award_id_for("n-1", "c-1")
    assert award_id_for("n-1", "x-c") != award_id_for("n-1-x", "c")
    assert proposal_id_for("n-1", 1) != proposal_id_for("n-1", 2)
    assert len(award_id_for("n" * 64, "c" * 64)) <= 64 and len(proposal_id_for("n" * 64, 99)) <= 64
    with pytest.raises(ValueError):
        proposal_id_for("n-1", 0)


def test_folds_never_fail_and_ignore_other_aggregates() -> None:
    submitted = NominationSubmitted.model_validate(NominationSubmitted.model_config["json_schema_extra"]["examples"][0])
    state = NominationState.initial("n-other").apply(submitted)
    assert not state.exists  # another nomination's submission
    state = NominationState.replay([submitted])
    assert state.exists and state.candidate("c-1") is not None
    stray_assessment = CandidateAssessed.model_validate(
        CandidateAssessed.model_config["json_schema_extra"]["examples"][0] | {"nomination_id": submitted.nomination_id,
                                                                              "candidate_id": "c-unknown"}
    )
    stray_vote = CouncilVoted.model_validate(CouncilVoted.model_config["json_schema_extra"]["examples"][0])
    assert state.apply(stray_assessment) == state
    assert state.apply(stray_vote) == state  # a vote of another nomination
    assert AwardState.initial("a-1").apply(submitted) == AwardState.initial("a-1")
    assert ProposalState.initial("pr-1").apply(submitted) == ProposalState.initial("pr-1")


def test_the_workflows_procedure_is_the_engines(catalogue: Catalogue) -> None:
    for (code, kind), recipe in kit.RECIPES.items():
        for year in kit.YEARS_BY_WINDOW.values():
            if (code, kind, year) in kit.NOT_A_CONFERRAL_YEAR:
                continue
            assessment = kit.check(code, year, recipe(year))
            assert procedure_for(catalogue, code, year, kind) == assessment.procedure, (code, kind, year)
            assert procedures_for(catalogue, code, year)[kind] == assessment.procedure


def test_a_procedure_for_a_year_without_a_rule(catalogue: Catalogue) -> None:
    with pytest.raises(DomainError) as caught:
        procedure_for(catalogue, "CSTD_BO", 2001, RecipientKind.INDIVIDUAL)
    assert caught.value.code == "no_rule_for_year"


def test_which_codes_take_which_path(catalogue: Catalogue) -> None:
    allowed = {
        category: sorted(code for code, entry in catalogue.entries.items() if path.allows(entry))
        for category, path in PATHS.items()
    }
    assert "CSTD_BO" in allowed["merit"] and "CSTD_BO" not in allowed["one_off"]
    assert {"BK_BT", "GIAY_KHEN", "HCLD_3", "CO_TD_BO"} <= set(allowed["thematic"])
    assert "LDTT" not in allowed["thematic"]
    assert {"BK_BT", "GIAY_KHEN", "BK_TTG"} <= set(allowed["one_off"])
    assert set(allowed["long_service"]) == {"KNC_CT", "KNC_GD", "HCLD_3"}
    assert "BK_BT" in allowed["foreign"] and "KNC_CT" in allowed["foreign"] and "CSTD_BO" not in allowed["foreign"]
    assert path_for("one_off").skips_council_vote and not path_for("merit").skips_council_vote
    assert path_for("thematic").needs_movement and path_for("foreign").external_subject
