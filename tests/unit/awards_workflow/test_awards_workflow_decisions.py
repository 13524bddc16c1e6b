"""Decisions: granted or rejected within the decider's power, after a passing vote, once per achievement;
forwarded upward and the higher decision recorded; revoked with its reason."""

from __future__ import annotations

from datetime import date

import pytest
from awards_workflow_testkit import changed, World, ballots, collective, person, refused
from tdkt_contracts.catalogue.awards import (
    AwardRevoked,
    CandidateRejected,
    HigherDecisionRecorded,
    ProposalForwarded,
    TitleConferred,
)

from kernel.errors import DomainError
from services.awards.domain import HoldRecord
from services.awards.workflow import (
    CandidateStatus,
    ClosePublicNotice,
    DecisionOutcome,
    ForwardProposal,
    GrantAwards,
    HistoryEntry,
    OpenPublicNotice,
    QuotaLimit,
    RecordHigherDecision,
    RejectCandidates,
    RevokeAward,
    award_id_for,
    decide_close_notice,
    decide_forward,
    decide_grant,
    decide_open_notice,
    decide_record_higher_decision,
    decide_reject,
    decide_revoke,
    proposal_id_for,
)

YEAR = 2024
SUBMITTED = date(2024, 11, 1)
MEETING = date(2024, 12, 10)
DECIDED = date(2024, 12, 20)


def _grant(nomination_id: str = "n-1", candidate_ids: list[str] | None = None, **over: object) -> GrantAwards:
    data: dict[str, object] = {
        "nomination_id": nomination_id,
        "candidate_ids": candidate_ids or ["c-1"],
        "authority": "minister",
        "decision_number": "3456/QĐ-BCT",
        "decision_date": DECIDED,
        "signer": "Bộ trưởng Nguyễn Hồng Diên",
    }
    data.update(over)
    return GrantAwards.model_validate(data)


def _kw(world: World, nomination_id: str = "n-1", **over: object) -> dict[str, object]:
    kw: dict[str, object] = {"procedures": world.procedures(nomination_id), "law": world.catalogue, "held_awards": [],
                               "today": world.today}
    kw.update(over)
    return kw


@pytest.fixture
def cstd_bo(world: World) -> World:
    world.submit(
        "n-1",
        "CSTD_BO",
        YEAR,
        [("c-1", person("p-huong", "CSTD_BO", YEAR)), ("c-2", person("p-tuyet", "CSTD_BO", YEAR))],
        submitted_on=SUBMITTED,
    )
    return world


# --------------------------------------------------------------------------- grant


def test_granted_after_a_passing_vote(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=9, written=1)})
    [conferred] = cstd_bo.run(decide_grant, cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo))
    assert isinstance(conferred, TitleConferred)  # CSTĐ Bộ is a title (danh hiệu)
    assert conferred.award_id == award_id_for("n-1", "c-1")
    assert (conferred.authority, conferred.conferred_by_ministry, conferred.category) == ("minister", True, "merit")
    assert conferred.recipient.display_name == "Nguyễn Thị Hương" and conferred.recipient.unit_id == "u-vtccb"
    assert conferred.decision_number == "3456/QĐ-BCT" and conferred.signer == "Bộ trưởng Nguyễn Hồng Diên"
    assert conferred.initiative_ids == ["SK-BO"]  # the initiative now serves as evidence, once
    state = cstd_bo.nomination("n-1")
    assert state.candidate("c-1").status is CandidateStatus.GRANTED
    assert state.candidate("c-1").award_id == conferred.award_id
    assert cstd_bo.award(conferred.award_id).exists


def test_a_decision_without_a_vote(cstd_bo: World) -> None:
    error = refused("vote_required", decide_grant, cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo))
    assert error.details["required_share"] == 0.9


def test_a_decision_after_a_failed_vote(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=9)})  # 9/11 = 81.8 %
    error = refused("vote_not_passed", decide_grant, cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo))
    assert (error.details["votes_for"], error.details["members_total"]) == (9, 11)


def test_a_decision_dated_before_the_vote(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    refused("decision_before_vote", decide_grant, cstd_bo.nomination("n-1"), _grant(decision_date=date(2024, 12, 9)),
            **_kw(cstd_bo))


def test_a_decision_dated_after_today(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    refused("date_in_future", decide_grant, cstd_bo.nomination("n-1"), _grant(decision_date=date(2025, 4, 1)),
            **_kw(cstd_bo))


def test_a_candidate_is_granted_once(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    cstd_bo.run(decide_grant, cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo))
    refused("candidate_already_decided", decide_grant, cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo))
    # A handler that forgot the linked streams is still stopped: the award's stream already exists.
    stale = cstd_bo.nomination("n-1", linked=False)
    with pytest.raises(AssertionError, match="concurrency"):
        cstd_bo.run(decide_grant, stale, _grant(), **_kw(cstd_bo))


def test_a_second_award_for_the_same_achievement(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    held = HistoryEntry(
        award_id="a-old",
        subject_id="p-huong",
        recipient_kind="individual",
        display_name="Nguyễn Thị Hương",
        year=YEAR,
        award_code="CSTD_BO",
        award_name="Chiến sĩ thi đua Bộ Công Thương",
        award_kind="title",
        category="merit",
        authority="minister",
        conferred_by_ministry=True,
        decision_number="3001/QĐ-BCT",
        decision_date=date(2024, 12, 2),
        nomination_id="n-other",
    )
    error = refused("award_already_granted", decide_grant, cstd_bo.nomination("n-1"), _grant(),
                    **_kw(cstd_bo, held_awards=[held]))
    assert error.details["decision_number"] == "3001/QĐ-BCT"
    # Another year, a revoked award, or another person do not block it.
    for other in (
        changed(held, year=2021),
        changed(held, revoked=True),
        changed(held, subject_id="p-tuyet"),
    ):
        assert decide_grant(cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo, held_awards=[other]))


def test_a_grant_beyond_the_deciders_power(world: World) -> None:
    # Huân chương Lao động is conferred by the President: the Minister forwards it, never grants it.
    world.submit("n-hc", "HCLD_3", YEAR, [("c-1", person("p-hung", "HCLD_3", YEAR))], submitted_on=SUBMITTED)
    error = refused("beyond_power", decide_grant, world.nomination("n-hc"), _grant("n-hc"), **_kw(world, "n-hc"))
    assert error.details["required_authority"] == "president"


def test_a_unit_head_does_not_grant_the_ministers_title(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    refused("beyond_power", decide_grant, cstd_bo.nomination("n-1"), _grant(authority="unit_head"), **_kw(cstd_bo))


def test_the_minister_does_not_sign_what_the_law_leaves_to_the_unit_head(world: World) -> None:
    world.submit("n-gk", "GIAY_KHEN", YEAR, [("c-1", person("p-huong", "GIAY_KHEN", YEAR))], submitted_on=SUBMITTED)
    refused("wrong_authority", decide_grant, world.nomination("n-gk"), _grant("n-gk"), **_kw(world, "n-gk"))
    granted, checked = decide_grant(world.nomination("n-gk"), _grant("n-gk", authority="unit_head",
                                                                     decision_number="12/QĐ-VTCCB"), **_kw(world, "n-gk"))
    assert granted.authority == "unit_head" and granted.conferred_by_ministry
    # The grant did not say which kind of head signs: Art. 80's check is recorded as not made, a warning.
    [issuer] = checked.checks
    assert (issuer.kind, issuer.met, issuer.confidence) == ("issuer", False, "U")


def test_the_command_refuses_a_higher_authority_as_granter() -> None:
    with pytest.raises(DomainError) as caught:
        GrantAwards.parse(_grant().model_dump() | {"authority": "president"})
    assert caught.value.code == "invalid_command"


def test_a_returned_candidate_is_not_granted(world: World) -> None:
    lacking = changed(person("p-huong", "CSTD_BO", YEAR), initiatives=[])
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", lacking)], submitted_on=SUBMITTED)
    error = refused("candidate_not_eligible", decide_grant, world.nomination("n-1"), _grant(), **_kw(world))
    assert error.details["reasons"]


def test_a_hold_opened_since_the_submission_stops_the_award(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    held = person("p-huong", "CSTD_BO", YEAR).model_copy(
        update={"holds": [HoldRecord(kind="discipline_review", opened_on=date(2024, 12, 15))]}
    )
    now = {"c-1": cstd_bo.assess("CSTD_BO", YEAR, held)}
    refused("no_longer_eligible", decide_grant, cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo, current_assessments=now))


def test_a_quota(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11), "c-2": ballots(approve=11)})
    quota = QuotaLimit(award_code="CSTD_BO", year=YEAR, max_count=3, already_granted=2,
                       unit_ids=frozenset({"u-vtccb"}), label="Chỉ tiêu CSTĐ Bộ 2024 của Vụ Tổ chức cán bộ")
    error = refused("quota_exceeded", decide_grant, cstd_bo.nomination("n-1"), _grant(candidate_ids=["c-1", "c-2"]),
                    **_kw(cstd_bo, quotas=[quota]))
    assert error.details["requested"] == 2
    assert decide_grant(cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo, quotas=[quota]))
    elsewhere = QuotaLimit(award_code="CSTD_BO", year=YEAR, max_count=0, unit_ids=frozenset({"u-vkh"}))
    assert decide_grant(cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo, quotas=[elsewhere]))


def test_the_whole_batch_or_nothing(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11), "c-2": ballots(approve=3)})
    refused("vote_not_passed", decide_grant, cstd_bo.nomination("n-1"), _grant(candidate_ids=["c-1", "c-2"]),
            **_kw(cstd_bo))
    assert cstd_bo.nomination("n-1").candidate("c-1").status is CandidateStatus.ELIGIBLE


# --------------------------------------------------------------------------- reject


def test_rejected_with_the_reason(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-2": ballots(approve=9)})
    cmd = RejectCandidates(nomination_id="n-1", candidate_ids=["c-2"], authority="minister",
                           reason="Không đạt tỷ lệ phiếu đồng ý của Hội đồng (dưới 90%).", decided_on=DECIDED)
    [rejected] = cstd_bo.run(decide_reject, cstd_bo.nomination("n-1"), cmd, procedures=cstd_bo.procedures("n-1"),
                             today=cstd_bo.today)
    assert isinstance(rejected, CandidateRejected) and rejected.authority == "minister"
    state = cstd_bo.nomination("n-1")
    assert state.candidate("c-2").status is CandidateStatus.REJECTED
    refused("candidate_already_decided", decide_reject, state, cmd, procedures=cstd_bo.procedures("n-1"),
            today=cstd_bo.today)
    refused("candidate_already_decided", decide_grant, state, _grant(candidate_ids=["c-2"]), **_kw(cstd_bo))


def test_a_rejection_is_within_the_deciders_power(cstd_bo: World, world: World) -> None:
    cmd = RejectCandidates(nomination_id="n-1", candidate_ids=["c-1"], authority="unit_head",
                           reason="Không đề nghị.", decided_on=DECIDED)
    refused("beyond_power", decide_reject, cstd_bo.nomination("n-1"), cmd, procedures=cstd_bo.procedures("n-1"),
            today=cstd_bo.today)
    # The Minister may decline to forward what only the President confers.
    world.submit("n-hc", "HCLD_3", YEAR, [("c-1", person("p-hung", "HCLD_3", YEAR))], submitted_on=SUBMITTED)
    declined = changed(cmd, nomination_id="n-hc", authority="minister")
    assert decide_reject(world.nomination("n-hc"), declined, procedures=world.procedures("n-hc"), today=world.today)


# --------------------------------------------------------------------------- forward and the higher decision


def _forward(nomination_id: str, candidate_ids: list[str], on: date = DECIDED) -> ForwardProposal:
    return ForwardProposal(nomination_id=nomination_id, candidate_ids=candidate_ids, submission_number="1234/TTr-BCT",
                           forwarded_on=on)


@pytest.fixture
def cstd_tq(world: World) -> World:
    """Chiến sĩ thi đua toàn quốc: the Prime Minister confers it on the Ministry's proposal, after a 90 % vote."""
    world.submit(
        "n-tq",
        "CSTD_TQ",
        YEAR,
        [("c-1", person("p-huong", "CSTD_TQ", YEAR)), ("c-2", person("p-tuyet", "CSTD_TQ", YEAR))],
        submitted_on=SUBMITTED,
    )
    # published for 10 working days before the council meets (Law 2022 Art. 84.5; NĐ 98/2023 Art. 46.2)
    opened = OpenPublicNotice(nomination_id="n-tq", candidate_ids=["c-1", "c-2"], opened_on=date(2024, 11, 18))
    world.run(decide_open_notice, world.nomination("n-tq"), opened, procedures=world.procedures("n-tq"),
              today=world.today)
    world.run(decide_close_notice, world.nomination("n-tq"),
              ClosePublicNotice(nomination_id="n-tq", closed_on=date(2024, 11, 29)), today=world.today)
    return world


def test_forwarded_after_the_vote_then_the_prime_ministers_decision_recorded(cstd_tq: World) -> None:
    kw = {"procedures": cstd_tq.procedures("n-tq"), "today": cstd_tq.today}
    refused("vote_required", decide_forward, cstd_tq.nomination("n-tq"), _forward("n-tq", ["c-1", "c-2"]), **kw)
    cstd_tq.vote("n-tq", MEETING, {"c-1": ballots(approve=10), "c-2": ballots(approve=11)})
    [forwarded] = cstd_tq.run(decide_forward, cstd_tq.nomination("n-tq"), _forward("n-tq", ["c-1", "c-2"]), **kw)
    assert isinstance(forwarded, ProposalForwarded)
    assert forwarded.proposal_id == proposal_id_for("n-tq", 1)
    assert forwarded.to_authority == "prime_minister" and forwarded.to_body.startswith("Thủ tướng Chính phủ")
    assert [r.display_name for r in forwarded.recipients] == ["Nguyễn Thị Hương", "Lê Thị Ánh Tuyết"]
    state = cstd_tq.nomination("n-tq")
    assert {c.status for c in state.candidates} == {CandidateStatus.FORWARDED}
    assert state.next_proposal_id == proposal_id_for("n-tq", 2)
    refused("candidate_already_decided", decide_forward, state, _forward("n-tq", ["c-1"]), **kw)
    refused("candidate_already_decided", decide_grant, state, _grant("n-tq"), **_kw(cstd_tq, "n-tq"))

    proposal = cstd_tq.proposal(forwarded.proposal_id)
    decision = RecordHigherDecision(
        proposal_id=forwarded.proposal_id,
        decided_by="prime_minister",
        decision_number="1520/QĐ-TTg",
        decision_date=date(2025, 3, 3),
        signer="Thủ tướng Chính phủ",
        outcomes=[DecisionOutcome(candidate_id="c-1", outcome="conferred")],
        recorded_on=date(2025, 3, 10),
    )
    recorded, conferred = cstd_tq.run(decide_record_higher_decision, proposal, decision, today=cstd_tq.today,
                                      nomination=state, procedures=cstd_tq.procedures("n-tq"))
    assert isinstance(recorded, HigherDecisionRecorded)
    assert recorded.outcomes[0].award_id == award_id_for("n-tq", "c-1")
    assert isinstance(conferred, TitleConferred)
    assert (conferred.authority, conferred.conferred_by_ministry, conferred.proposal_id) == (
        "prime_minister", False, forwarded.proposal_id)
    assert conferred.initiative_ids == ["SK-TQ"] and conferred.decision_number == "1520/QĐ-TTg"

    state = cstd_tq.nomination("n-tq")
    assert state.candidate("c-1").status is CandidateStatus.CONFERRED
    assert state.candidate("c-2").status is CandidateStatus.FORWARDED
    proposal = cstd_tq.proposal(forwarded.proposal_id)
    assert [r.candidate_id for r in proposal.pending] == ["c-2"]
    refused("candidate_already_decided", decide_record_higher_decision, proposal, decision, today=cstd_tq.today)

    declined = changed(decision, outcomes=[DecisionOutcome(candidate_id="c-2", outcome="declined")])
    [recorded] = cstd_tq.run(decide_record_higher_decision, proposal, declined, today=cstd_tq.today)
    assert recorded.outcomes[0].award_id is None
    assert cstd_tq.nomination("n-tq").candidate("c-2").status is CandidateStatus.DECLINED


def test_the_higher_decision_is_checked(cstd_tq: World) -> None:
    cstd_tq.vote("n-tq", MEETING, {"c-1": ballots(approve=11)})
    [forwarded] = cstd_tq.run(decide_forward, cstd_tq.nomination("n-tq"), _forward("n-tq", ["c-1"]),
                              procedures=cstd_tq.procedures("n-tq"), today=cstd_tq.today)
    proposal = cstd_tq.proposal(forwarded.proposal_id)
    good = RecordHigherDecision(
        proposal_id=forwarded.proposal_id,
        decided_by="prime_minister",
        decision_number="1520/QĐ-TTg",
        decision_date=date(2025, 3, 3),
        outcomes=[DecisionOutcome(candidate_id="c-1", outcome="conferred")],
        recorded_on=date(2025, 3, 10),
    )
    refused("wrong_authority", decide_record_higher_decision, proposal, changed(good, decided_by="president"),
            today=cstd_tq.today)
    refused("decision_before_proposal", decide_record_higher_decision, proposal,
            changed(good, decision_date=date(2024, 12, 1)), today=cstd_tq.today)
    refused("date_before_decision", decide_record_higher_decision, proposal,
            changed(good, recorded_on=date(2025, 3, 1)), today=cstd_tq.today)
    refused("unknown_candidate", decide_record_higher_decision, proposal,
            changed(good, outcomes=[DecisionOutcome(candidate_id="c-2", outcome="conferred")]),
            today=cstd_tq.today)
    refused("proposal_not_found", decide_record_higher_decision, cstd_tq.proposal("pr-none"),
            changed(good, proposal_id="pr-none"), today=cstd_tq.today)


def test_what_the_ministry_decides_is_not_forwarded(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    refused("not_forwardable", decide_forward, cstd_bo.nomination("n-1"), _forward("n-1", ["c-1"]),
            procedures=cstd_bo.procedures("n-1"), today=cstd_bo.today)


def test_a_second_proposal_takes_the_next_id(world: World) -> None:
    world.submit("n-hc", "HCLD_3", YEAR,
                 [("c-1", person("p-hung", "HCLD_3", YEAR)), ("c-2", collective("u-vtccb-th", "HCLD_3", YEAR))],
                 submitted_on=SUBMITTED)
    procedures = world.procedures("n-hc")
    # No notice yet: use a procedure without one to look at the proposal ids only.
    quiet = {kind: changed(p, public_notice_working_days=None) for kind, p in procedures.items()}
    [first] = world.run(decide_forward, world.nomination("n-hc"), _forward("n-hc", ["c-1"]), procedures=quiet,
                        today=world.today)
    [second] = world.run(decide_forward, world.nomination("n-hc"), _forward("n-hc", ["c-2"]), procedures=quiet,
                         today=world.today)
    assert (first.proposal_id, second.proposal_id) == (proposal_id_for("n-hc", 1), proposal_id_for("n-hc", 2))
    assert world.nomination("n-hc").proposal_ids == (first.proposal_id, second.proposal_id)


# --------------------------------------------------------------------------- revoke


def _revoke(award_id: str, **over: object) -> RevokeAward:
    data: dict[str, object] = {
        "award_id": award_id,
        "authority": "minister",
        "reason": "Hồ sơ đề nghị khen thưởng kê khai không trung thực thành tích.",
        "decision_number": "215/QĐ-BCT",
        "revoked_on": date(2025, 3, 5),
    }
    data.update(over)
    return RevokeAward.model_validate(data)


def test_revoked_with_its_reason_once(cstd_bo: World) -> None:
    cstd_bo.vote("n-1", MEETING, {"c-1": ballots(approve=11)})
    [conferred] = cstd_bo.run(decide_grant, cstd_bo.nomination("n-1"), _grant(), **_kw(cstd_bo))
    award = cstd_bo.award(conferred.award_id)
    refused("beyond_power", decide_revoke, award, _revoke(conferred.award_id, authority="president"), today=cstd_bo.today)
    refused("date_before_decision", decide_revoke, award, _revoke(conferred.award_id, revoked_on=date(2024, 12, 1)),
            today=cstd_bo.today)
    [revoked] = cstd_bo.run(decide_revoke, award, _revoke(conferred.award_id), today=cstd_bo.today)
    assert isinstance(revoked, AwardRevoked) and revoked.reason.startswith("Hồ sơ")
    award = cstd_bo.award(conferred.award_id)
    assert award.revoked and award.revocation_decision_number == "215/QĐ-BCT"
    assert cstd_bo.nomination("n-1").candidate("c-1").revoked
    refused("award_already_revoked", decide_revoke, award, _revoke(conferred.award_id), today=cstd_bo.today)


def test_a_revocation_needs_a_reason_and_an_award(world: World) -> None:
    with pytest.raises(DomainError) as caught:
        RevokeAward.parse(_revoke("a-1").model_dump(mode="json") | {"reason": "  "})
    assert caught.value.code == "invalid_command"
    refused("award_not_found", decide_revoke, world.award("a-none"), _revoke("a-none"), today=world.today)
