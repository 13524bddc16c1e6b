"""Public notice: names published at least 10 working days before the council meets, where the law requires it."""

from __future__ import annotations

from datetime import date

import pytest
from awards_workflow_testkit import changed, COUNCIL, World, ballots, person, refused
from tdkt_contracts.catalogue.awards import NoticeComment, PublicNoticeClosed, PublicNoticeOpened

from services.awards.domain.results import ProcedureRequirement
from services.awards.workflow import (
    CandidateBallots,
    ClosePublicNotice,
    ForwardProposal,
    OpenPublicNotice,
    RecordCommentResult,
    RecordCouncilVote,
    decide_close_notice,
    decide_comment_result,
    decide_forward,
    decide_open_notice,
    decide_vote,
    is_working_day,
    nth_working_day,
    working_days,
)

YEAR = 2024
MON = date(2024, 11, 4)
TENTH = date(2024, 11, 15)  # Friday: the 10th working day counted from Monday 4 November


def test_working_days_skip_weekends_and_holidays() -> None:
    assert nth_working_day(MON, 10) == TENTH
    assert working_days(MON, TENTH) == 10
    assert working_days(date(2024, 11, 9), date(2024, 11, 10)) == 0  # a weekend
    holiday = {date(2024, 11, 8)}
    assert nth_working_day(MON, 10, holiday) == date(2024, 11, 18)
    assert not is_working_day(date(2024, 11, 8), holiday) and is_working_day(date(2024, 11, 8))
    assert nth_working_day(date(2024, 11, 9), 1) == date(2024, 11, 11)  # starting on a Saturday
    with pytest.raises(ValueError):
        nth_working_day(MON, 0)


@pytest.fixture
def hcld(world: World) -> World:
    """A Labour Order, 3rd class, nomination: the law requires 10 working days of notice (Law Art. 84.5)."""
    world.submit("n-hc", "HCLD_3", YEAR, [("c-1", person("p-hung", "HCLD_3", YEAR))], submitted_on=date(2024, 11, 1))
    return world


def _open(world: World, **over: object) -> list:
    data: dict[str, object] = {"nomination_id": "n-hc", "candidate_ids": ["c-1"], "opened_on": MON}
    data.update(over)
    return world.run(
        decide_open_notice,
        world.nomination("n-hc"),
        OpenPublicNotice.model_validate(data),
        procedures=world.procedures("n-hc"),
        today=world.today,
    )


def _close(world: World, on: date = TENTH, comments: list[NoticeComment] | None = None) -> list:
    cmd = ClosePublicNotice(nomination_id="n-hc", closed_on=on, comments=comments or [])
    return world.run(decide_close_notice, world.nomination("n-hc"), cmd, today=world.today)


def _vote_cmd(on: date) -> RecordCouncilVote:
    return RecordCouncilVote(
        nomination_id="n-hc",
        council_id=COUNCIL.council_id,
        voted_on=on,
        results=[CandidateBallots(candidate_id="c-1", ballots=ballots(approve=11))],
    )


def test_the_notice_closes_when_the_working_days_are_complete(hcld: World) -> None:
    [opened] = _open(hcld)
    assert isinstance(opened, PublicNoticeOpened)
    assert (opened.opened_on, opened.closes_on) == (MON, TENTH)
    assert opened.channel == "Cổng thông tin điện tử Bộ Công Thương"
    comment = NoticeComment(received_on=date(2024, 11, 12), candidate_id="c-1", summary="Đồng ý với đề nghị khen thưởng.")
    [closed] = _close(hcld, comments=[comment])
    assert isinstance(closed, PublicNoticeClosed) and closed.comments == [comment]
    notice = hcld.nomination("n-hc").notices[0]
    assert notice.closed_on == TENTH and notice.comments == (comment,)


def test_a_notice_shorter_than_the_law_requires(hcld: World) -> None:
    cmd = OpenPublicNotice(nomination_id="n-hc", candidate_ids=["c-1"], opened_on=MON, closes_on=date(2024, 11, 14))
    error = refused("notice_too_short", decide_open_notice, hcld.nomination("n-hc"), cmd,
                    procedures=hcld.procedures("n-hc"), today=hcld.today)
    assert error.details["counted_working_days"] == 9 and error.details["required_working_days"] == 10


def test_holidays_lengthen_the_notice(hcld: World) -> None:
    cmd = OpenPublicNotice(nomination_id="n-hc", candidate_ids=["c-1"], opened_on=MON)
    [opened] = decide_open_notice(
        hcld.nomination("n-hc"), cmd, procedures=hcld.procedures("n-hc"), today=hcld.today, holidays={date(2024, 11, 8)}
    )
    assert opened.closes_on == date(2024, 11, 18)


def test_one_notice_open_at_a_time(hcld: World) -> None:
    _open(hcld)
    cmd = OpenPublicNotice(nomination_id="n-hc", candidate_ids=["c-1"], opened_on=date(2024, 11, 5))
    refused("notice_already_open", decide_open_notice, hcld.nomination("n-hc"), cmd,
            procedures=hcld.procedures("n-hc"), today=hcld.today)


def test_the_notice_runs_its_announced_course(hcld: World) -> None:
    _open(hcld)
    cmd = ClosePublicNotice(nomination_id="n-hc", closed_on=date(2024, 11, 14))
    refused("notice_period_not_over", decide_close_notice, hcld.nomination("n-hc"), cmd, today=hcld.today)


def test_closing_without_an_open_notice(hcld: World) -> None:
    cmd = ClosePublicNotice(nomination_id="n-hc", closed_on=TENTH)
    refused("notice_not_open", decide_close_notice, hcld.nomination("n-hc"), cmd, today=hcld.today)


def test_a_comment_about_someone_not_published(hcld: World) -> None:
    _open(hcld)
    comment = NoticeComment(received_on=date(2024, 11, 12), candidate_id="c-7", summary="Ý kiến khác.")
    cmd = ClosePublicNotice(nomination_id="n-hc", closed_on=TENTH, comments=[comment])
    refused("unknown_candidate", decide_close_notice, hcld.nomination("n-hc"), cmd, today=hcld.today)


def test_a_notice_the_law_does_not_require_needs_its_closing_day(world: World) -> None:
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", person("p-huong", "CSTD_BO", YEAR))], submitted_on=date(2024, 11, 1))
    cmd = OpenPublicNotice(nomination_id="n-1", candidate_ids=["c-1"], opened_on=MON)
    refused("closes_on_required", decide_open_notice, world.nomination("n-1"), cmd,
            procedures=world.procedures("n-1"), today=world.today)
    voluntary = changed(cmd, closes_on=date(2024, 11, 8))
    [opened] = decide_open_notice(world.nomination("n-1"), voluntary, procedures=world.procedures("n-1"), today=world.today)
    assert opened.closes_on == date(2024, 11, 8)


def test_the_council_does_not_vote_before_the_notice(hcld: World) -> None:
    kwargs = {"council": COUNCIL, "procedures": hcld.procedures("n-hc"), "law": hcld.catalogue, "today": hcld.today}
    refused("notice_required", decide_vote, hcld.nomination("n-hc"), _vote_cmd(date(2024, 11, 1)), **kwargs)
    _open(hcld)
    error = refused("notice_required", decide_vote, hcld.nomination("n-hc"), _vote_cmd(TENTH), **kwargs)
    assert "still open" in error.message
    _close(hcld)
    # Closed on the 10th working day, but a meeting that same day leaves only 9 working days before it.
    error = refused("notice_too_short", decide_vote, hcld.nomination("n-hc"), _vote_cmd(TENTH), **kwargs)
    assert error.details["counted_working_days"] == 9
    [voted] = decide_vote(hcld.nomination("n-hc"), _vote_cmd(date(2024, 11, 18)), **kwargs)
    assert voted.passed


def test_a_rule_with_both_a_vote_share_and_a_notice(world: World) -> None:
    world.submit("n-1", "CSTD_BO", YEAR, [("c-1", person("p-huong", "CSTD_BO", YEAR))], submitted_on=date(2024, 11, 1))
    base = world.procedures("n-1")["individual"]
    ten = ProcedureRequirement(value=10, citation=base.council_vote_share.citation, confirmed=True)
    procedure = changed(base, public_notice_working_days=ten)
    vote = RecordCouncilVote(
        nomination_id="n-1",
        council_id=COUNCIL.council_id,
        voted_on=date(2024, 11, 18),
        results=[CandidateBallots(candidate_id="c-1", ballots=ballots(approve=10))],
    )
    refused("notice_required", decide_vote, world.nomination("n-1"), vote, council=COUNCIL, procedures=procedure, law=world.catalogue,
            today=world.today)
    opened = OpenPublicNotice(nomination_id="n-1", candidate_ids=["c-1"], opened_on=MON)
    world.run(decide_open_notice, world.nomination("n-1"), opened, procedures=procedure, today=world.today)
    world.run(decide_close_notice, world.nomination("n-1"), ClosePublicNotice(nomination_id="n-1", closed_on=TENTH),
              today=world.today)
    [voted] = decide_vote(world.nomination("n-1"), vote, council=COUNCIL, procedures=procedure, law=world.catalogue, today=world.today)
    assert voted.passed and voted.threshold == 0.9


def test_no_proposal_upward_before_the_notice(hcld: World) -> None:
    cmd = ForwardProposal(nomination_id="n-hc", candidate_ids=["c-1"], submission_number="512/TTr-BCT",
                          forwarded_on=date(2024, 11, 12))
    refused("notice_required", decide_forward, hcld.nomination("n-hc"), cmd, procedures=hcld.procedures("n-hc"),
            today=hcld.today)
    _open(hcld)
    _close(hcld)
    [forwarded] = decide_forward(hcld.nomination("n-hc"), changed(cmd, forwarded_on=date(2024, 11, 18)),
                                 procedures=hcld.procedures("n-hc"), today=hcld.today)
    assert forwarded.to_authority == "president"


# ---------------------------------------------------------------- issue #19.9: comments are holds until resolved
# NĐ 98/2023 Art. 4 / NĐ 152/2025 Art. 4.4: no award while a complaint or allegation is verified. Before: comments
# were stored but never stopped the vote, the decision or the proposal.

COMPLAINT = NoticeComment(received_on=date(2024, 11, 12), candidate_id="c-1", summary="Phản ánh về việc chấp hành kỷ luật.")


def _result(world: World, founded: bool, on: date = date(2024, 11, 20)) -> list:
    cmd = RecordCommentResult(nomination_id="n-hc", candidate_id="c-1", received_on=COMPLAINT.received_on,
                              resolved_on=on, founded=founded, result="Báo cáo xác minh số 7/BC-TTr.")
    return world.run(decide_comment_result, world.nomination("n-hc"), cmd, today=world.today)


@pytest.mark.parametrize("founded", [False, True])
def test_a_comment_naming_the_candidate_holds_the_vote_until_its_result(hcld: World, founded: bool) -> None:
    kwargs = {"council": COUNCIL, "procedures": hcld.procedures("n-hc"), "law": hcld.catalogue, "today": hcld.today}
    _open(hcld)
    _close(hcld, comments=[COMPLAINT])
    vote = _vote_cmd(date(2024, 11, 25))
    error = refused("comment_unresolved", decide_vote, hcld.nomination("n-hc"), vote, **kwargs)
    assert "12/11/2024" in error.message and error.details["act"] == "vote"
    _result(hcld, founded)
    if founded:
        refused("comment_founded", decide_vote, hcld.nomination("n-hc"), vote, **kwargs)
    else:
        [voted] = decide_vote(hcld.nomination("n-hc"), vote, **kwargs)
        assert voted.passed


def test_a_comment_holds_the_proposal_upward(hcld: World) -> None:
    _open(hcld)
    _close(hcld, comments=[COMPLAINT])
    cmd = ForwardProposal(nomination_id="n-hc", candidate_ids=["c-1"], submission_number="512/TTr-BCT",
                          forwarded_on=date(2024, 11, 25))
    refused("comment_unresolved", decide_forward, hcld.nomination("n-hc"), cmd, procedures=hcld.procedures("n-hc"),
            today=hcld.today)
    _result(hcld, founded=False)
    [forwarded] = decide_forward(hcld.nomination("n-hc"), cmd, procedures=hcld.procedures("n-hc"), today=hcld.today)
    assert forwarded.to_authority == "president"


def test_a_comment_result_is_recorded_once_for_a_comment_that_exists(hcld: World) -> None:
    _open(hcld)
    _close(hcld, comments=[COMPLAINT])
    other = RecordCommentResult(nomination_id="n-hc", candidate_id="c-1", received_on=date(2024, 11, 13),
                                resolved_on=date(2024, 11, 20), founded=False, result="Không có cơ sở.")
    refused("unknown_comment", decide_comment_result, hcld.nomination("n-hc"), other, today=hcld.today)
    early = changed(other, received_on=COMPLAINT.received_on, resolved_on=date(2024, 11, 11))
    refused("result_before_comment", decide_comment_result, hcld.nomination("n-hc"), early, today=hcld.today)
    _result(hcld, founded=False)
    again = changed(other, received_on=COMPLAINT.received_on)
    refused("comment_already_resolved", decide_comment_result, hcld.nomination("n-hc"), again, today=hcld.today)


def test_the_national_emulation_fighter_is_published_for_comment(world: World) -> None:
    # Law 2022 Art. 84.5 / NĐ 98/2023 Art. 46.2: before, CSTĐ toàn quốc had no public notice.
    world.submit("n-tq", "CSTD_TQ", YEAR, [("c-1", person("p-huong", "CSTD_TQ", YEAR))], submitted_on=date(2024, 11, 1))
    procedure = world.procedures("n-tq")["individual"]
    assert procedure.public_notice_working_days is not None and procedure.public_notice_working_days.value == 10
