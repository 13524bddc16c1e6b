"""Every kind of commendation along its own path, end to end on the pure domain:
submit → assess → (notice) → (vote) → grant, or forward → higher decision → conferred; then revoke."""

from __future__ import annotations

from datetime import date

from awards_workflow_testkit import (
    SHORT_DOSSIER,
    SUBTREES,
    World,
    ballots,
    changed,
    collective,
    kit,
    person,
    refused,
)
from tdkt_contracts.catalogue.awards import AwardGranted, CandidateAssessed, TitleConferred

from services.awards.domain import PersonFacts
from services.awards.workflow import (
    ONE_OFF_FAST_TRACK,
    PATHS,
    CandidateStatus,
    ClosePublicNotice,
    DecisionOutcome,
    ForwardProposal,
    GrantAwards,
    Nominee,
    OpenPublicNotice,
    RecordHigherDecision,
    RevokeAward,
    SubmitNomination,
    decide_close_notice,
    decide_forward,
    decide_grant,
    decide_open_notice,
    decide_record_higher_decision,
    decide_revoke,
    decide_submit,
    procedures_for,
    title_records,
)

YEAR = 2024
SUBMITTED = date(2024, 11, 1)


def _grant(world: World, nomination_id: str, candidate_ids: list[str], **over: object) -> list:
    cmd = GrantAwards.model_validate(
        {
            "nomination_id": nomination_id,
            "candidate_ids": candidate_ids,
            "authority": "minister",
            "decision_number": "3456/QĐ-BCT",
            "decision_date": date(2024, 12, 20),
            "signer": "Bộ trưởng Nguyễn Hồng Diên",
        }
        | over
    )
    return world.run(
        decide_grant,
        world.nomination(nomination_id),
        cmd,
        procedures=world.procedures(nomination_id),
        law=world.catalogue,
        held_awards=world.history(),
        today=world.today,
    )


def test_merit_the_annual_round(world: World) -> None:
    world.submit("n-m", "CSTD_BO", YEAR, [("c-1", person("p-huong", "CSTD_BO", YEAR))], submitted_on=SUBMITTED)
    world.vote("n-m", date(2024, 12, 10), {"c-1": ballots(approve=10, written=1)})
    [title] = _grant(world, "n-m", ["c-1"])
    assert isinstance(title, TitleConferred) and title.category == "merit"
    [entry] = world.history("p-huong")
    assert (entry.award_code, entry.year, entry.category, entry.revoked) == ("CSTD_BO", YEAR, "merit", False)


def test_thematic_crowns_a_movement_and_is_no_evidence_for_merit_awards(world: World) -> None:
    facts = changed(kit.person(), person_id="p-huong", full_name="Nguyễn Thị Hương", unit_id="u-vtccb",
                    attestations=[kit.attested("outstanding_in_movement", 2018)])
    world.submit("n-t", "BK_BT", 2018, [("c-1", facts)], category="thematic", movement_id="mv-cong-thuong-so",
                 submitted_on=date(2018, 11, 1))
    [granted] = _grant(world, "n-t", ["c-1"], decision_date=date(2018, 12, 20))
    assert isinstance(granted, AwardGranted) and granted.category == "thematic"
    assert world.nomination("n-t").movement_id == "mv-cong-thuong-so"

    # The replica hands the history to the engine with its category: a thematic Bằng khen of 2018 does not
    # open the way to the Prime Minister's Bằng khen in 2024, a merit one would.
    records = title_records(world.history("p-huong"))
    assert [(r.code, r.year, r.category.value) for r in records] == [("BK_BT", 2018, "thematic")]
    recipe = kit.recipe("BK_TTG", kit.IND, YEAR)
    assert isinstance(recipe, PersonFacts)
    cstdcs = [t for t in recipe.titles or [] if t.code == "CSTDCS"]  # Law 2022 Art. 73.1.b's three titles
    assert not kit.check("BK_TTG", YEAR, changed(recipe, titles=records + cstdcs)).eligible
    merit = [changed(records[0], category="merit")]
    assert kit.check("BK_TTG", YEAR, changed(recipe, titles=merit + cstdcs)).eligible


def test_one_off_is_fast_tracked_without_a_council_vote(world: World) -> None:
    assert ONE_OFF_FAST_TRACK.skips_council_vote and not ONE_OFF_FAST_TRACK.confirmed
    assert "Điều 85" in ONE_OFF_FAST_TRACK.legal_basis_vi
    facts = changed(kit.person(), person_id="p-hung", full_name="Đặng Quốc Hưng", unit_id="u-vtccb",
                    attestations=[kit.attested("one_off_achievement", YEAR)])
    world.submit("n-o", "BK_BT", YEAR, [("c-1", facts)], category="one_off", documents=SHORT_DOSSIER,
                 submitted_on=date(2024, 8, 5))
    # Even where a rule sets a vote share, the one-off path does not wait for the council.
    procedure = world.procedures("n-o")["individual"]
    share = procedures_for(world.catalogue, "CSTD_BO", YEAR)["individual"].council_vote_share
    with_vote = changed(procedure, council_vote_share=share)
    cmd = GrantAwards(nomination_id="n-o", candidate_ids=["c-1"], authority="minister",
                      decision_number="2100/QĐ-BCT", decision_date=date(2024, 8, 7), signer="Bộ trưởng Nguyễn Hồng Diên")
    [granted] = world.run(decide_grant, world.nomination("n-o"), cmd, procedures=with_vote, law=world.catalogue, held_awards=[],
                          today=world.today)
    assert granted.category == "one_off"
    # The merit path with the same rule would need the vote.
    world.submit("n-m", "BK_BT", YEAR, [("c-1", facts)], submitted_on=date(2024, 8, 5))
    refused("vote_required", decide_grant, world.nomination("n-m"), changed(cmd, nomination_id="n-m"),
            procedures=with_vote, law=world.catalogue, held_awards=[], today=world.today)


def test_one_off_awards_are_two_acts_not_one_achievement(world: World) -> None:
    facts = changed(kit.person(), person_id="p-hung", full_name="Đặng Quốc Hưng", unit_id="u-vtccb",
                    attestations=[kit.attested("one_off_achievement", YEAR)])
    for nomination_id in ("n-o1", "n-o2"):
        world.submit(nomination_id, "BK_BT", YEAR, [("c-1", facts)], category="one_off", documents=SHORT_DOSSIER,
                     submitted_on=date(2024, 8, 5))
        _grant(world, nomination_id, ["c-1"])
    assert [e.category for e in world.history("p-hung")] == ["one_off", "one_off"]


def test_long_service(world: World) -> None:
    facts = person("p-tuyet", "KNC_CT", YEAR)
    world.submit("n-l", "KNC_CT", YEAR, [("c-1", facts)], category="long_service", submitted_on=SUBMITTED)
    [granted] = _grant(world, "n-l", ["c-1"])
    assert isinstance(granted, AwardGranted)
    assert (granted.award_code, granted.category, granted.authority) == ("KNC_CT", "long_service", "minister")


def test_foreign_recipients_get_a_limited_check(world: World) -> None:
    assert PATHS["foreign"].external_subject and not PATHS["foreign"].engine_assessed
    cmd = SubmitNomination(
        nomination_id="n-f",
        year=YEAR,
        award_code="BK_BT",
        category="foreign",
        submitting_unit_id="u-htqt",
        candidates=[
            Nominee(candidate_id="c-1", recipient_kind="individual", subject_id="ext-jp-0007",
                    display_name="Tanaka Hiroshi"),
            Nominee(candidate_id="c-2", recipient_kind="collective", subject_id="ext-kr-kotra",
                    display_name="Cơ quan Xúc tiến Thương mại và Đầu tư Hàn Quốc (KOTRA)"),
        ],
        documents=SHORT_DOSSIER,
        submitted_on=SUBMITTED,
    )
    kwargs = {
        "entry": world.catalogue.entry("BK_BT"),
        "assessments": {},
        "candidate_units": {},
        "unit_subtree": SUBTREES["u-htqt"],
        "today": world.today,
    }
    submitted, assessed, _ = world.run(decide_submit, world.nomination("n-f"), cmd, **kwargs)
    assert submitted.candidates[0].unit_id is None
    assert isinstance(assessed, CandidateAssessed) and assessed.eligible and assessed.unconfirmed_rules
    assert assessed.rule_set == "BK_BT/foreign/LIMITED_REVIEW"
    assert all(c.unconfirmed for c in assessed.criteria)
    granted = _grant(world, "n-f", ["c-1", "c-2"])
    assert [g.category for g in granted] == ["foreign", "foreign"]
    assert granted[1].recipient.display_name.endswith("(KOTRA)")

    # A person of the Ministry is not foreign; a foreign recipient needs a name.
    domestic = changed(cmd, nomination_id="n-f2", candidates=[
        Nominee(candidate_id="c-1", recipient_kind="individual", subject_id="p-huong", display_name="Nguyễn Thị Hương")])
    refused("subject_not_foreign", decide_submit, world.nomination("n-f2"), domestic,
            **(kwargs | {"candidate_units": {"c-1": "u-vtccb"}}))
    nameless = changed(cmd, nomination_id="n-f3", candidates=[
        Nominee(candidate_id="c-1", recipient_kind="individual", subject_id="ext-1")])
    refused("display_name_required", decide_submit, world.nomination("n-f3"), nameless, **kwargs)


def test_a_state_order_is_noticed_forwarded_conferred_by_the_president_and_revoked(world: World) -> None:
    world.submit("n-hc", "HCLD_3", YEAR,
                 [("c-1", person("p-hung", "HCLD_3", YEAR)), ("c-2", collective("u-vtccb-th", "HCLD_3", YEAR))],
                 submitted_on=SUBMITTED)
    procedures = world.procedures("n-hc")
    world.run(decide_open_notice, world.nomination("n-hc"),
              OpenPublicNotice(nomination_id="n-hc", candidate_ids=["c-1", "c-2"], opened_on=date(2024, 11, 4)),
              procedures=procedures, today=world.today)
    world.run(decide_close_notice, world.nomination("n-hc"),
              ClosePublicNotice(nomination_id="n-hc", closed_on=date(2024, 11, 15)), today=world.today)
    world.vote("n-hc", date(2024, 11, 20), {"c-1": ballots(approve=11), "c-2": ballots(approve=10, written=1)})
    [forwarded] = world.run(
        decide_forward,
        world.nomination("n-hc"),
        ForwardProposal(nomination_id="n-hc", candidate_ids=["c-1", "c-2"], submission_number="1780/TTr-BCT",
                        forwarded_on=date(2024, 11, 25)),
        procedures=procedures,
        today=world.today,
    )
    assert forwarded.to_authority == "president"
    recorded, *conferred = world.run(
        decide_record_higher_decision,
        world.proposal(forwarded.proposal_id),
        RecordHigherDecision(
            proposal_id=forwarded.proposal_id,
            decided_by="president",
            decision_number="215/QĐ-CTN",
            decision_date=date(2025, 2, 20),
            signer="Chủ tịch nước",
            outcomes=[DecisionOutcome(candidate_id="c-1", outcome="conferred"),
                      DecisionOutcome(candidate_id="c-2", outcome="conferred")],
            recorded_on=date(2025, 3, 3),
        ),
        today=world.today,
        nomination=world.nomination("n-hc"),
        procedures=procedures,
    )
    assert all(isinstance(a, AwardGranted) and not a.conferred_by_ministry and a.authority == "president"
               for a in conferred)
    assert {c.status for c in world.nomination("n-hc").candidates} == {CandidateStatus.CONFERRED}

    # The Minister cannot revoke the President's award; the President's revocation is recorded.
    award = world.award(conferred[0].award_id)
    revoke = RevokeAward(award_id=award.award_id, authority="minister", reason="Phát hiện kê khai không trung thực.",
                         decision_number="88/QĐ-CTN", revoked_on=date(2025, 3, 20))
    refused("beyond_power", decide_revoke, award, revoke, today=world.today)
    world.run(decide_revoke, award, changed(revoke, authority="president"), today=world.today)
    [entry] = world.history("p-hung")
    assert entry.revoked and entry.revocation_reason == "Phát hiện kê khai không trung thực."
    assert not title_records([entry])


def test_another_ministrys_medal_is_forwarded_to_it(world: World) -> None:
    world.submit("n-gd", "KNC_GD", YEAR, [("c-1", person("p-phuc", "KNC_GD", YEAR))], category="long_service",
                 submitted_on=SUBMITTED)
    # KNC_GD is long service by its catalogue category; no vote or notice is required.
    [forwarded] = world.run(
        decide_forward,
        world.nomination("n-gd"),
        ForwardProposal(nomination_id="n-gd", candidate_ids=["c-1"], submission_number="77/BCT-TCCB",
                        forwarded_on=date(2024, 11, 20)),
        procedures=world.procedures("n-gd"),
        today=world.today,
    )
    assert (forwarded.to_authority, forwarded.to_body) == ("other_ministry", "Bộ trưởng Bộ Giáo dục và Đào tạo")
    assert forwarded.category == "long_service"
