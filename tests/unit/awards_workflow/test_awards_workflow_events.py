"""Every event the workflow emits is a valid contract event and survives the wire (JSON) unchanged."""

from __future__ import annotations

import json
from datetime import date

from awards_workflow_testkit import World, ballots, changed, collective, person
from tdkt_contracts import EventPayload, all_models, parse
from tdkt_contracts.catalogue.awards import AwardGranted, NoticeComment, TitleConferred

from services.awards.workflow import (
    ClosePublicNotice,
    DecisionOutcome,
    ForwardProposal,
    GrantAwards,
    NominationState,
    OpenPublicNotice,
    RecordCommentResult,
    RecordHigherDecision,
    RejectCandidates,
    RevokeAward,
    decide_close_notice,
    decide_comment_result,
    decide_forward,
    decide_grant,
    decide_open_notice,
    decide_record_higher_decision,
    decide_reject,
    decide_revoke,
)

from services.awards.workflow.deadlines import Round, decide_schedule_round, decide_submission_deadline
from services.awards.workflow.decision_ref import DecisionRef
from services.awards.workflow.signature import decide_sign
from services.awards.workflow.dossier import (
    AttachFile,
    DossierLimits,
    DossierState,
    decide_assign,
    decide_attach,
    decide_override,
    dossier_id_for,
)

YEAR = 2024


def _whole_year(world: World) -> list[EventPayload]:
    """One of each: submitted, assessed, returned, notice, comment result, vote, grant, procedure checked,
    reject, forward,
    higher decision, revoke; a dossier's file, override and assignment."""
    world.submit(
        "n-1",
        "CSTD_BO",
        YEAR,
        [
            ("c-1", person("p-huong", "CSTD_BO", YEAR)),
            ("c-2", person("p-tuyet", "CSTD_BO", YEAR)),
            ("c-3", changed(person("p-hung", "CSTD_BO", YEAR), initiatives=[])),
        ],
        submitted_on=date(2024, 11, 1),
    )
    world.vote("n-1", date(2024, 12, 10), {"c-1": ballots(approve=10), "c-2": ballots(approve=6)})
    [title] = world.run(
        decide_grant,
        world.nomination("n-1"),
        GrantAwards(nomination_id="n-1", candidate_ids=["c-1"], authority="minister", decision_number="3456/QĐ-BCT",
                    decision_date=date(2024, 12, 20), signer="Bộ trưởng Nguyễn Hồng Diên"),
        procedures=world.procedures("n-1"),
        law=world.catalogue,
        held_awards=[],
        today=world.today,
    )
    # A Giấy khen signed by a unit head of a kind Art. 80 lists: its procedure check is recorded.
    world.submit("n-gk", "GIAY_KHEN", YEAR, [("c-1", person("p-huong", "GIAY_KHEN", YEAR))],
                 submitted_on=date(2024, 11, 1))
    world.run(
        decide_grant,
        world.nomination("n-gk"),
        GrantAwards(nomination_id="n-gk", candidate_ids=["c-1"], authority="unit_head", decision_number="12/QĐ-VTCCB",
                    decision_date=date(2024, 12, 20), signer="Viện trưởng", issuer="legal_entity_head"),
        procedures=world.procedures("n-gk"),
        law=world.catalogue,
        held_awards=[],
        today=world.today,
    )
    world.run(
        decide_reject,
        world.nomination("n-1"),
        RejectCandidates(nomination_id="n-1", candidate_ids=["c-2", "c-3"], authority="minister",
                         reason="Không đạt tỷ lệ phiếu đồng ý của Hội đồng.", decided_on=date(2024, 12, 20)),
        procedures=world.procedures("n-1"),
        today=world.today,
    )
    world.run(
        decide_revoke,
        world.award(title.award_id),
        RevokeAward(award_id=title.award_id, authority="minister", reason="Kê khai không trung thực.",
                    decision_number="15/QĐ-BCT", revoked_on=date(2025, 3, 5)),
        today=world.today,
    )
    world.submit("n-hc", "HCLD_3", YEAR, [("c-1", collective("u-vtccb-th", "HCLD_3", YEAR))],
                 submitted_on=date(2024, 11, 1))
    procedures = world.procedures("n-hc")
    world.run(decide_open_notice, world.nomination("n-hc"),
              OpenPublicNotice(nomination_id="n-hc", candidate_ids=["c-1"], opened_on=date(2024, 11, 4)),
              procedures=procedures, today=world.today)
    comment = NoticeComment(received_on=date(2024, 11, 8), candidate_id="c-1", summary="Đơn phản ánh về đơn vị.")
    world.run(decide_close_notice, world.nomination("n-hc"),
              ClosePublicNotice(nomination_id="n-hc", closed_on=date(2024, 11, 15), comments=[comment]),
              today=world.today)
    world.run(decide_comment_result, world.nomination("n-hc"),
              RecordCommentResult(nomination_id="n-hc", candidate_id="c-1", received_on=date(2024, 11, 8),
                                  resolved_on=date(2024, 11, 20), founded=False, result="Không có cơ sở."),
              today=world.today)
    [forwarded] = world.run(
        decide_forward,
        world.nomination("n-hc"),
        ForwardProposal(nomination_id="n-hc", candidate_ids=["c-1"], submission_number="1780/TTr-BCT",
                        forwarded_on=date(2024, 11, 25)),
        procedures=procedures,
        today=world.today,
    )
    world.run(
        decide_record_higher_decision,
        world.proposal(forwarded.proposal_id),
        RecordHigherDecision(proposal_id=forwarded.proposal_id, decided_by="president", decision_number="215/QĐ-CTN",
                             decision_date=date(2025, 2, 20),
                             outcomes=[DecisionOutcome(candidate_id="c-1", outcome="conferred")],
                             recorded_on=date(2025, 3, 3)),
        today=world.today,
    )
    # The dossier's stream: a file attached, an override of what is still missing.
    dossier = DossierState(dossier_id_for("n-1"))
    world.run(decide_attach, dossier,
              AttachFile("n-1", "doc-1", "to_trinh", None, "Tờ trình đề nghị khen thưởng", "to-trinh.pdf",
                         "application/pdf", 4096, "a" * 64, "officer"),
              candidate_ids={"c-1"}, limits=DossierLimits(2**20, 2**22), today=world.today)
    world.run(decide_override, dossier, "n-1", ["c-1: chung_nhan_sang_kien"], "Chờ Hội đồng sáng kiến ký",
              by="office", today=world.today)
    world.run(decide_assign, dossier, "n-1", "cv-trang", "Phạm Thu Trang", None, by="office", today=world.today)
    # A round's dates, and a dossier received after its deadline in a round that flags late ones.
    [scheduled] = world.run(decide_schedule_round, None, YEAR, "merit", "Xét khen thưởng tổng kết năm 2024",
                            date(2024, 10, 31), "flag", date(2024, 12, 10), today=world.today)
    world.run(decide_submission_deadline, Round.replay([scheduled]), "n-hc", date(2024, 11, 1))
    # The decision's signed PDF recorded (its hash and the signer).
    world.run(decide_sign, DecisionRef.of("3456/QĐ-BCT", date(2024, 12, 20)), award_code=title.award_code,
              sha256="b" * 64, size_bytes=61234, signer="Nguyễn Hồng Diên", certificate_sha256="c" * 64,
              already_signed=False, today=world.today, by="approver")
    return world.log


def test_every_awards_event_type_is_emitted_and_round_trips(world: World) -> None:
    events = _whole_year(world)
    emitted = {type(e).event_type for e in events}
    declared = {m.event_type for m in all_models() if m.context == "awards"}
    assert emitted == declared
    for event in events:
        wire = json.loads(json.dumps(event.model_dump(mode="json")))
        again = parse(event.event_type, event.event_version, wire)
        assert again == event
        assert again.subject() == event.subject()


def test_events_land_on_their_own_streams(world: World) -> None:
    _whole_year(world)
    nomination_streams = {"n-1", "n-hc"}
    for stream_id, events in world.streams.items():
        for event in events:
            assert event.subject() == stream_id
            if stream_id in nomination_streams:
                assert event.subject_field == "nomination_id"
    award_events = [e for e in world.log if isinstance(e, (AwardGranted, TitleConferred))]
    assert all(e.category == "merit" and e.nomination_id for e in award_events)
    assert {e.conferred_by_ministry for e in award_events} == {True, False}


def test_the_nomination_folds_from_the_wire(world: World) -> None:
    events = _whole_year(world)
    wire = [parse(e.event_type, e.event_version, e.model_dump(mode="json")) for e in events]
    assert NominationState.replay(wire, "n-1") == world.nomination("n-1")
    assert NominationState.replay(wire, "n-hc") == world.nomination("n-hc")
