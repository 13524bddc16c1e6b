"""HTTP API of the nominations: notices, council votes, grants, proposals upward, revocations, history.

Every command goes through :class:`~services.awards.handlers.AwardsHandlers`
(one transaction: load, decide, append, project); every refusal answers
``{"code", "message", "details"}`` with the workflow's stable code
(:class:`~services.awards.workflow.Code`): 404 ``nomination_not_found``, ``unknown_candidate``,
``subject_not_found``, ``proposal_not_found``, ``award_not_found``,
``council_not_found``, ``unit_not_found``, ``unknown_award``; 409
``nomination_exists``, ``already_voted``, ``candidate_already_decided``,
``award_already_granted``, ``award_already_revoked``, ``notice_already_open``,
``concurrency_conflict``; otherwise 422 (``candidate_outside_unit``,
``year_in_future``, ``vote_required``, ``vote_not_passed``,
``beyond_power``, ``voter_not_on_council``, ``notice_required`` …). Nothing
is written on a refusal.

Request bodies are the workflow's commands (:mod:`services.awards.workflow.commands`)
without the id the path already gives; a malformed body answers 422
``invalid_request`` naming each field, a body the command's own checks
refuse (a candidate listed twice) 422 ``invalid_command``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel, Field, create_model
from tdkt_contracts.catalogue.awards import (
    CommentResolved,
    CriterionOutcome,
    DossierDocument,
    NoticeComment,
    ProcedureCheckOutcome,
)
from tdkt_contracts.vocabulary import Authority, RecipientKind

from kernel.errors import NotFound
from kernel.eventstore import RecordedEvent
from kernel.ids import SubjectId
from kernel.privacy import Disclosure
from kernel.service import Service

from ..domain import Catalogue
from ..handlers import AwardsHandlers, Handled
from ..personal_data import withhold_outcomes
from .completeness import CompletenessView, completeness_view
from .deadlines import DeadlinesView, deadlines_view
from .scoping import officer_unit
from ..workflow import (
    AwardState,
    ClosePublicNotice,
    Code,
    Command,
    ForwardProposal,
    GrantAwards,
    HistoryEntry,
    NominationFile,
    NominationState,
    OpenPublicNotice,
    ProposalState,
    RecordCommentResult,
    RecordCouncilVote,
    RecordHigherDecision,
    RejectCandidates,
    ResubmitCandidate,
    RevokeAward,
    SubmitNomination,
    procedures_for,
)
from ..workflow.commands import ReturnCandidate
from ..workflow.nomination import CandidateState, CandidateStatus

# =========================================================================== answers

STATUS_VI: dict[CandidateStatus, str] = {
    CandidateStatus.SUBMITTED: "Đã tiếp nhận",
    CandidateStatus.ELIGIBLE: "Đủ điều kiện",
    CandidateStatus.INELIGIBLE: "Không đủ điều kiện",
    CandidateStatus.RETURNED: "Trả lại hồ sơ",
    CandidateStatus.GRANTED: "Đã khen thưởng",
    CandidateStatus.FORWARDED: "Đã trình cấp trên",
    CandidateStatus.CONFERRED: "Cấp trên đã khen thưởng",
    CandidateStatus.DECLINED: "Cấp trên không khen thưởng",
    CandidateStatus.REJECTED: "Không khen thưởng",
}


class RecordedView(BaseModel):
    """One event the request recorded (it reaches Kafka through the relay)."""

    event_id: str
    event_type: str
    stream_id: str
    stream_version: int


class ProcedureView(BaseModel):
    """Who decides and the numbers the workflow applies, for one recipient kind."""

    authority: Authority
    authority_vi: str
    route: str = Field(description="unit_decides, ministry_decides or propose_upward (trình cấp trên).")
    submit_to_vi: str | None
    council_vote_share: float | None = Field(description="Share of ALL council members required; null: advisory.")
    public_notice_working_days: int | None = Field(description="Working days of public notice before the vote.")
    cash_multiple: float | None


class AssessmentView(BaseModel):
    """The engine's assessment recorded on arrival (or on resubmission)."""

    eligible: bool
    rule_set: str = Field(description="Code / recipient kind / legal regime applied.")
    assessed_on: date
    unconfirmed_rules: bool
    initiative_ids: list[str] = Field(description="Initiatives the eligibility rests on (used as evidence at grant).")
    criteria: list[CriterionOutcome]


class VoteView(BaseModel):
    """The council's vote on a candidate (biên bản kiểm phiếu)."""

    voted_on: date
    council_id: str | None
    members_total: int = Field(description="All members of the council: the base of the share.")
    votes_for: int
    votes_against: int
    written_votes: int
    threshold: float
    passed: bool
    procedure_checks: list[ProcedureCheckOutcome] = Field(
        description="The meeting's checks with article and confidence (the quorum: members present against all "
        "members; an unconfirmed [U] one not met is a warning)."
    )


class DecisionView(BaseModel):
    """The award a candidate received, and its revocation if any."""

    award_id: str
    award_kind: str
    decision_number: str
    decision_date: date | None
    authority: Authority | None
    conferred_by_ministry: bool
    signer: str | None
    cash_multiple: float | None
    initiative_ids: list[str]
    revoked: bool
    revoked_on: date | None
    revocation_reason: str | None
    revocation_decision_number: str | None


class ReturnRound(BaseModel):
    """One time the candidate went back to its unit (alone, or with the whole dossier), and why."""

    returned_on: date
    reasons: list[str] = Field(description="In Vietnamese: the engine's reasons or the office's.")
    by_office: bool = Field(default=False, description="The office's own note to the unit (else the engine's).")


class NominatedCandidate(BaseModel):
    """One candidate of a nomination and where it stands."""

    candidate_id: str
    recipient_kind: RecipientKind
    subject_id: str
    display_name: str = Field(description="Name of record, with diacritics.")
    unit_id: str | None
    status: CandidateStatus
    status_vi: str
    eligible: bool | None = Field(description="The latest assessment's answer; null before it.")
    reasons: list[str] = Field(description="Why it was last returned (trả lại hồ sơ), in Vietnamese.")
    returns: list[ReturnRound] = Field(default_factory=list, description="Every return, the first first.")
    assessment: AssessmentView | None
    votes: list[VoteView]
    proposal_id: str | None
    decision: DecisionView | None
    rejection_reason: str | None


class NoticeView(BaseModel):
    """A public notice (lấy ý kiến công khai)."""

    opened_on: date
    closes_on: date
    closed_on: date | None
    candidate_ids: list[str]
    channel: str
    comments: list[NoticeComment]
    comment_results: list[CommentResolved] = Field(
        default_factory=list, description="Results recorded for its comments; a comment without one is a hold."
    )


class RecipientOutcomeView(BaseModel):
    """A forwarded candidate and what the higher authority decided."""

    candidate_id: str
    recipient_kind: RecipientKind
    subject_id: str
    display_name: str
    unit_id: str | None
    outcome: str = Field(description="pending, conferred or declined.")
    award_id: str | None


class HigherDecisionView(BaseModel):
    """A decision of the higher authority recorded on a proposal."""

    decided_by: Authority
    decision_number: str
    decision_date: date
    recorded_on: date


class ProposalView(BaseModel):
    """What the Ministry forwarded (tờ trình) and what came back."""

    proposal_id: str
    nomination_id: str
    year: int
    award_code: str
    award_name: str
    category: str
    to_authority: Authority | None
    to_body: str
    submission_number: str
    forwarded_on: date | None
    recipients: list[RecipientOutcomeView]
    decisions: list[HigherDecisionView]
    recorded: list[RecordedView] = Field(default_factory=list, description="Events this request recorded.")


class GrantChecksView(BaseModel):
    """The procedure checks run when candidates were granted (share quotas, who signs)."""

    act: str
    checked_on: date
    candidate_ids: list[str]
    checks: list[ProcedureCheckOutcome] = Field(
        description="Each with article and confidence; a confirmed one not met refused the grant, so a failed "
        "one here is unconfirmed [U]: a warning."
    )


class NominationView(BaseModel):
    """A nomination (đề nghị khen thưởng): its candidates with assessment, notice, vote and decision."""

    nomination_id: str
    year: int
    award_code: str
    award_name: str
    award_kind: str
    category: str
    path_vi: str = Field(description="e.g. 'Khen thưởng theo công trạng và thành tích'.")
    submitting_unit_id: str
    movement_id: str | None
    submitted_on: date | None
    documents: list[DossierDocument]
    procedures: dict[str, ProcedureView] = Field(description="By recipient kind.")
    counts: dict[str, int] = Field(description="Candidates by status.")
    eligible: list[str] = Field(description="Candidates assessed eligible and not yet decided.")
    returned: list[str] = Field(description="Candidates returned to the unit, with reasons.")
    candidates: list[NominatedCandidate]
    notices: list[NoticeView]
    proposals: list[ProposalView]
    procedure_checks: list[GrantChecksView] = Field(
        default_factory=list, description="The procedure checks of each grant (the votes carry their own)."
    )
    recorded: list[RecordedView] = Field(default_factory=list, description="Events this request recorded.")
    dossier: CompletenessView | None = Field(
        default=None, description="Whether the dossier's files are complete by the law, and what is missing "
        "(on GET /nominations/{id}; the files themselves: GET /nominations/{id}/dossier)."
    )
    deadlines: DeadlinesView | None = Field(
        default=None, description="Its round, whether it arrived late, the public notice's end, the council meeting "
        "and the law's dates upward (on GET /nominations/{id})."
    )


class SubjectHistory(BaseModel):
    """Titles and awards of a person or a unit, revoked ones included and flagged."""

    subject_id: str
    name: str | None
    held: list[str] = Field(description="'CODE YEAR' of every award still held (not revoked).")
    entries: list[HistoryEntry]


# =========================================================================== views


def recorded_view(recorded: Sequence[RecordedEvent]) -> list[RecordedView]:
    """The events a command recorded, as the answer lists them."""
    return [
        RecordedView(
            event_id=str(r.event_id), event_type=r.event_type, stream_id=r.stream_id, stream_version=r.stream_version
        )
        for r in recorded
    ]


def _decision(award: AwardState | None) -> DecisionView | None:
    if award is None or not award.exists:
        return None
    return DecisionView(
        award_id=award.award_id,
        award_kind=award.award_kind,
        decision_number=award.decision_number,
        decision_date=award.decision_date,
        authority=award.authority,
        conferred_by_ministry=award.conferred_by_ministry,
        signer=award.signer,
        cash_multiple=award.cash_multiple,
        initiative_ids=list(award.initiative_ids),
        revoked=award.revoked,
        revoked_on=award.revoked_on,
        revocation_reason=award.revocation_reason,
        revocation_decision_number=award.revocation_decision_number,
    )


def _candidate(cand: CandidateState, awards: dict[str, AwardState]) -> NominatedCandidate:
    c, a = cand.candidate, cand.assessment
    return NominatedCandidate(
        candidate_id=c.candidate_id,
        recipient_kind=c.recipient_kind,
        subject_id=c.subject_id,
        display_name=c.display_name,
        unit_id=c.unit_id,
        status=cand.status,
        status_vi=STATUS_VI[cand.status],
        eligible=a.eligible if a else None,
        reasons=cand.reasons,
        returns=[ReturnRound(returned_on=r.returned_on, reasons=list(r.reasons), by_office=r.by_office)
                 for r in cand.returns],
        assessment=AssessmentView(
            eligible=a.eligible,
            rule_set=a.rule_set,
            assessed_on=a.assessed_on,
            unconfirmed_rules=a.unconfirmed_rules,
            initiative_ids=list(a.initiative_ids),
            criteria=list(a.criteria),
        )
        if a
        else None,
        votes=[
            VoteView(
                voted_on=v.voted_on,
                council_id=v.council_id,
                members_total=v.members_total,
                votes_for=v.votes_for,
                votes_against=v.votes_against,
                written_votes=v.written_votes,
                threshold=v.threshold,
                passed=v.passed,
                procedure_checks=list(v.procedure_checks),
            )
            for v in cand.votes
        ],
        proposal_id=cand.proposal_id,
        decision=_decision(awards.get(cand.award_id)) if cand.award_id else None,
        rejection_reason=cand.rejection_reason,
    )


def proposal_view(proposal: ProposalState, recorded: Sequence[RecordedEvent] = ()) -> ProposalView:
    """A proposal with each forwarded candidate's outcome."""
    recipients = []
    for r in proposal.recipients:
        outcome = proposal.outcome_of(r.candidate_id)
        recipients.append(
            RecipientOutcomeView(
                candidate_id=r.candidate_id,
                recipient_kind=r.recipient_kind,
                subject_id=r.subject_id,
                display_name=r.display_name,
                unit_id=r.unit_id,
                outcome=outcome.outcome if outcome else "pending",
                award_id=outcome.award_id if outcome else None,
            )
        )
    return ProposalView(
        proposal_id=proposal.proposal_id,
        nomination_id=proposal.nomination_id,
        year=proposal.year,
        award_code=proposal.award_code,
        award_name=proposal.award_name,
        category=proposal.category,
        to_authority=proposal.to_authority,
        to_body=proposal.to_body,
        submission_number=proposal.submission_number,
        forwarded_on=proposal.forwarded_on,
        recipients=recipients,
        decisions=[
            HigherDecisionView(
                decided_by=d.decided_by,
                decision_number=d.decision_number,
                decision_date=d.decision_date,
                recorded_on=d.recorded_on,
            )
            for d in proposal.decisions
        ],
        recorded=recorded_view(recorded),
    )


def nomination_view(
    catalogue: Catalogue, file: NominationFile, recorded: Sequence[RecordedEvent] = ()
) -> NominationView:
    """The nomination as the API shows it."""
    state: NominationState = file.state
    procedures = procedures_for(catalogue, state.award_code, state.year, state.submitted_on)
    candidates = [_candidate(c, file.awards) for c in state.candidates]
    counts: dict[str, int] = {}
    for c in state.candidates:
        counts[c.status.value] = counts.get(c.status.value, 0) + 1
    return NominationView(
        nomination_id=state.nomination_id,
        year=state.year,
        award_code=state.award_code,
        award_name=state.award_name,
        award_kind=state.award_kind,
        category=state.category,
        path_vi=state.path.label_vi,
        submitting_unit_id=state.submitting_unit_id,
        movement_id=state.movement_id,
        submitted_on=state.submitted_on,
        documents=list(state.documents),
        procedures={
            kind.value: ProcedureView(
                authority=p.authority,
                authority_vi=p.authority_vi,
                route=p.route.value,
                submit_to_vi=p.submit_to_vi,
                council_vote_share=p.council_vote_share.value if p.council_vote_share else None,
                public_notice_working_days=int(p.public_notice_working_days.value)
                if p.public_notice_working_days
                else None,
                cash_multiple=p.cash_multiple.value if p.cash_multiple else None,
            )
            for kind, p in procedures.items()
        },
        counts=counts,
        eligible=[c.candidate_id for c in state.candidates if c.status is CandidateStatus.ELIGIBLE],
        returned=[c.candidate_id for c in state.candidates if c.status is CandidateStatus.RETURNED],
        candidates=candidates,
        notices=[
            NoticeView(
                opened_on=n.opened_on,
                closes_on=n.closes_on,
                closed_on=n.closed_on,
                candidate_ids=list(n.candidate_ids),
                channel=n.channel,
                comments=list(n.comments),
                comment_results=[
                    r
                    for c in n.comments
                    if c.candidate_id is not None and (r := state.comment_result(c.candidate_id, c.received_on))
                ],
            )
            for n in state.notices
        ],
        proposals=[proposal_view(file.proposals[p]) for p in state.proposal_ids if p in file.proposals],
        procedure_checks=[
            GrantChecksView(act=c.act, checked_on=c.checked_on, candidate_ids=list(c.candidate_ids), checks=list(c.checks))
            for c in state.procedure_checks
        ],
        recorded=recorded_view(recorded),
    )


async def disclosed(request: Request, view: NominationView) -> NominationView:
    """The nomination with each candidate's recorded criteria and return reasons cut to what the caller's role
    sees of a person of the candidate's unit (kernel.privacy)."""
    disclosure = Disclosure.of(request)
    if disclosure.everything:
        return view
    candidates = []
    for c in view.candidates:
        seen = await disclosure.for_unit(c.unit_id)
        recorded = c.assessment.criteria if c.assessment else []
        last_by_office = bool(c.returns) and c.returns[-1].by_office
        criteria, reasons = withhold_outcomes(recorded, c.reasons, seen, office_note=last_by_office)
        returns = [r.model_copy(update={"reasons": withhold_outcomes(recorded, r.reasons, seen,
                                                                     office_note=r.by_office)[1]})
                   for r in c.returns]
        assessment = c.assessment.model_copy(update={"criteria": criteria}) if c.assessment else None
        candidates.append(c.model_copy(update={"assessment": assessment, "reasons": reasons, "returns": returns}))
    return view.model_copy(update={"candidates": candidates})


# =========================================================================== bodies


def body_of(command: type[Command], *path_fields: str) -> type[Command]:
    """The command as a request body, without the fields the path gives (the id of the resource).

    The fields keep their types, constraints and descriptions, so a malformed
    body is refused field by field (422 ``invalid_request``); the whole command,
    path ids included, is validated again by :meth:`Command.parse` (its
    cross-field checks: 422 ``invalid_command``).
    """
    fields: dict[str, Any] = {
        name: (info.annotation, info) for name, info in command.model_fields.items() if name not in path_fields
    }
    return create_model(  # type: ignore[no-any-return, call-overload]
        f"{command.__name__}Body", __base__=Command, __doc__=command.__doc__, **fields
    )


ResubmitBody = body_of(ResubmitCandidate, "nomination_id", "candidate_id")
ReturnBody = body_of(ReturnCandidate, "nomination_id", "candidate_id")
OpenNoticeBody = body_of(OpenPublicNotice, "nomination_id")
CloseNoticeBody = body_of(ClosePublicNotice, "nomination_id")
CommentResultBody = body_of(RecordCommentResult, "nomination_id")
VoteBody = body_of(RecordCouncilVote, "nomination_id")
GrantBody = body_of(GrantAwards, "nomination_id")
RejectBody = body_of(RejectCandidates, "nomination_id")
ForwardBody = body_of(ForwardProposal, "nomination_id")
HigherDecisionBody = body_of(RecordHigherDecision, "proposal_id")
RevokeBody = body_of(RevokeAward, "award_id")


def command(cls: type[Command], body: BaseModel, **ids: str) -> Any:
    """The full command: the body plus the ids from the path."""
    return cls.parse({**body.model_dump(), **ids})


# =========================================================================== routes

Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\s/]+$")]


def _errors(not_found: str, conflict: str = "", unprocessable: str = "") -> dict[int | str, dict[str, Any]]:
    """The refusals a command documents, by status (the body is always {code, message, details})."""
    return {
        404: {"description": f"Not found: {not_found}."},
        409: {"description": f"Conflict: {', '.join(c for c in (conflict, 'concurrency_conflict') if c)}."},
        422: {"description": f"Refused by a rule: {unprocessable or 'see the codes above'}; invalid_request."},
    }


def router(handlers: AwardsHandlers) -> APIRouter:
    """The nominations, proposals, awards and history routes, closing over the handlers."""
    api = APIRouter()
    catalogue = handlers.catalogue

    async def view(request: Request, outcome: Handled) -> NominationView:
        assert outcome.file is not None
        return await disclosed(request, nomination_view(catalogue, outcome.file, outcome.recorded))

    # ------------------------------------------------------------------ nominations

    @api.post(
        "/nominations",
        status_code=201,
        tags=["nominations"],
        summary="Trình khen thưởng — submit a nomination; every candidate is assessed on arrival",
        description=(
            "A unit submits candidates for one title or award and year, with its dossier "
            "(Luật TĐKT 2022 Điều 84). "
            "Each candidate is assessed by the eligibility engine on the facts the service holds; those not "
            "eligible (failed, or undetermined for missing facts) are returned to the unit (`status: returned`) "
            "with the reasons in Vietnamese, the others are `eligible`. The name of record comes from the units "
            "context. `category`: merit, thematic (needs `movement_id`), one_off (fast track), long_service, "
            "foreign (limited review of an external recipient). A household (`recipient_kind: household`) is not in "
            "the units context: it comes under its own id with its name (`display_name`, e.g. 'Hộ ông Nguyễn Văn "
            "A') and `household` (address, contributions: công sức / đất đai / tài sản, a description, a value in "
            "đồng); the submitting unit is its unit, and the engine assesses it on those facts."
        ),
        response_model=NominationView,
        responses=_errors(
            "unknown_award, subject_not_found, unit_not_found",
            conflict="nomination_exists",
            unprocessable=(
                "candidate_outside_unit, year_in_future, date_in_future, "
                "category_not_allowed, movement_required, dossier_incomplete, "
                "wrong_recipient_kind, no_rule_for_year, subject_not_foreign, subject_not_household, "
                "display_name_required, submission_deadline_passed (the round's deadline, dd/mm/yyyy)"
            ),
        ),
    )
    async def submit(body: SubmitNomination, request: Request, response: Response) -> NominationView:
        outcome = await handlers.submit(body, Service.metadata(request))
        response.headers["Location"] = f"/nominations/{body.nomination_id}"
        return await view(request, outcome)

    @api.get(
        "/nominations/{nomination_id}",
        tags=["nominations"],
        summary="Một đề nghị khen thưởng — candidates with assessment, notice, vote and decision",
        response_model=NominationView,
        responses={404: {"description": "nomination_not_found"}},
    )
    async def get_nomination(request: Request, nomination_id: Id) -> NominationView:
        file, dossier = await handlers.dossier(nomination_id, officer_unit=None)  # completeness names no file
        found = completeness_view(handlers.completeness(file.state, dossier), dossier,
                                  enforced=handlers.files_enforced(file.state))
        view = await disclosed(request, nomination_view(catalogue, file))
        dates = deadlines_view(file.state, *await handlers.deadlines(file))
        return view.model_copy(update={"dossier": found, "deadlines": dates})

    @api.post(
        "/nominations/{nomination_id}/candidates/{candidate_id}/resubmit",
        tags=["nominations"],
        summary="Trình lại — a returned candidate, assessed again on today's facts",
        description="The office, or the submitting unit's officer (their unit or a unit above it; "
        "`outside_unit_scope` otherwise).",
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found, unknown_candidate",
            conflict="candidate_already_decided",
            unprocessable="candidate_not_returned, household_not_resubmitted",
        ) | {403: {"description": "Forbidden: outside_unit_scope (a unit officer, another unit's nomination)."}},
    )
    async def resubmit(
        nomination_id: Id, candidate_id: Id, body: ResubmitBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(ResubmitCandidate, body, nomination_id=nomination_id, candidate_id=candidate_id)
        return await view(request, await handlers.resubmit(cmd, Service.metadata(request),
                                                           officer_unit=officer_unit(request)))

    @api.post(
        "/nominations/{nomination_id}/candidates/{candidate_id}/returns",
        tags=["nominations"],
        summary="Trả lại hồ sơ — the office returns an eligible candidate to its unit with a reason",
        description="The candidate is `returned` with the reason among its `reasons`; the unit fixes the dossier "
        "or the facts and the candidate is resubmitted (`…/resubmit`), assessed again. Every round is kept.",
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found, unknown_candidate",
            conflict="candidate_already_decided",
            unprocessable="candidate_not_eligible, date_in_future, date_before_submission",
        ),
    )
    async def return_candidate(
        nomination_id: Id, candidate_id: Id, body: ReturnBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(ReturnCandidate, body, nomination_id=nomination_id, candidate_id=candidate_id)
        return await view(request, await handlers.return_candidate(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/notices",
        status_code=201,
        tags=["nominations"],
        summary="Lấy ý kiến công khai — publish candidates for comment before the council meets",
        description=(
            "Where the rule sets N working days (Huân chương, State honorary titles: "
            "NĐ 98/2023 Điều 46 khoản 2), "
            "`closes_on` defaults to the N-th working day (weekends and recorded public holidays excluded) and "
            "may not be earlier (`notice_too_short`). A notice the law does not require needs its `closes_on`."
        ),
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found, unknown_candidate",
            conflict="notice_already_open",
            unprocessable="notice_too_short, closes_on_required, candidate_not_eligible",
        ),
    )
    async def open_notice(
        nomination_id: Id, body: OpenNoticeBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(OpenPublicNotice, body, nomination_id=nomination_id)
        return await view(request, await handlers.open_notice(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/notices/close",
        tags=["nominations"],
        summary="Kết thúc lấy ý kiến — close the open notice with the comments received",
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found",
            unprocessable="notice_not_open, notice_period_not_over",
        ),
    )
    async def close_notice(
        nomination_id: Id, body: CloseNoticeBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(ClosePublicNotice, body, nomination_id=nomination_id)
        return await view(request, await handlers.close_notice(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/notices/comment-results",
        tags=["nominations"],
        summary="Kết quả xác minh ý kiến — record the result of verifying a comment, lifting its hold",
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found, unknown_comment",
            conflict="comment_already_resolved",
            unprocessable="result_before_comment, date_in_future",
        ),
    )
    async def comment_result(
        nomination_id: Id, body: CommentResultBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(RecordCommentResult, body, nomination_id=nomination_id)
        return await view(request, await handlers.comment_result(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/votes",
        status_code=201,
        tags=["nominations"],
        summary="Hội đồng bỏ phiếu — the council's vote, per candidate",
        description=(
            "Counted against the council as composed on `voted_on` (PUT /councils/{id}): a candidate passes "
            "when votes for / ALL members ≥ the rule's share (e.g. 90% for CSTĐ Bộ, "
            "NĐ 98/2023 Điều 30 khoản 7); "
            "written votes of absent members count. Where the law sets no share the council's own default "
            "applies and the vote is advisory. Refused: a voter not on the council, a member voting twice, a "
            "second vote, a vote before the required notice closed, a confirmed quorum not met (`no_quorum`). "
            "The quorum (members present, i.e. not voting in writing, against all members) is on each vote's "
            "`procedure_checks` with its article and confidence: today's two thirds is unconfirmed [U], so a "
            "short quorum is a warning."
        ),
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found, council_not_found, unknown_candidate",
            conflict="already_voted",
            unprocessable=(
                "voter_not_on_council, duplicate_ballot, notice_required, "
                "candidate_not_eligible, no_quorum"
            ),
        ),
    )
    async def vote(
        nomination_id: Id, body: VoteBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(RecordCouncilVote, body, nomination_id=nomination_id)
        return await view(request, await handlers.vote(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/grants",
        status_code=201,
        tags=["nominations"],
        summary="Quyết định khen thưởng — the Minister (or a unit head) grants the award",
        description=(
            "One `TitleConferred` (title) or `AwardGranted` (award form) per candidate, with "
            "`conferred_by_ministry = true`, the category, the cash multiple and the initiatives used as "
            "evidence (now used: they serve no other award). Each candidate is assessed again today. Refused "
            "beyond the decider's power (`beyond_power`: the Minister and a Huân chương, which is forwarded), "
            "without a passing vote where the rule sets a share, for an achievement already awarded "
            "(`award_already_granted`), over a quota or a confirmed share quota (`quota_exceeded`: before 2024 "
            "CSTĐ cơ sở at most 15 % of the unit's LĐTT, NĐ 91/2017 Điều 9 khoản 3), by a head the rule does "
            "not let sign (`issuer_not_competent`: Giấy khen, Luật 2022 Điều 75, 80; `issuer` names the kind). "
            "The checks run are on the answer's `procedure_checks`, with article and confidence; an "
            "unconfirmed [U] one not met is a warning."
        ),
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found, unknown_candidate",
            conflict="award_already_granted, candidate_already_decided",
            unprocessable=(
                "beyond_power, wrong_authority, vote_required, "
                "vote_not_passed, notice_required, no_longer_eligible, "
                "quota_exceeded, decision_before_vote, issuer_not_competent"
            ),
        ),
    )
    async def grant(
        nomination_id: Id, body: GrantBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(GrantAwards, body, nomination_id=nomination_id)
        return await view(request, await handlers.grant(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/rejections",
        status_code=201,
        tags=["nominations"],
        summary="Không khen thưởng — the decider declines candidates, with the reason",
        response_model=NominationView,
        responses=_errors(
            "nomination_not_found, unknown_candidate",
            conflict="candidate_already_decided",
            unprocessable="beyond_power",
        ),
    )
    async def reject(
        nomination_id: Id, body: RejectBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(RejectCandidates, body, nomination_id=nomination_id)
        return await view(request, await handlers.reject(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/proposals",
        status_code=201,
        tags=["proposals"],
        summary="Trình cấp trên — forward candidates to the Prime Minister, the President or another ministry",
        description=(
            "Only awards whose rule routes them upward (`propose_upward`). All candidates of one proposal go to "
            "the same authority, after a passing vote and the notice where required. `to_body` defaults to the "
            "rule's addressee. Answers the new proposal (`ProposalForwarded`)."
        ),
        response_model=ProposalView,
        responses=_errors(
            "nomination_not_found, unknown_candidate",
            conflict="candidate_already_decided",
            unprocessable=(
                "not_forwardable, mixed_authorities, vote_required, "
                "notice_required"
            ),
        ),
    )
    async def forward(
        nomination_id: Id, body: ForwardBody, request: Request, response: Response,  # type: ignore[valid-type]
    ) -> ProposalView:
        cmd = command(ForwardProposal, body, nomination_id=nomination_id)
        outcome = await handlers.forward(cmd, Service.metadata(request))
        assert outcome.proposal is not None
        response.headers["Location"] = f"/proposals/{outcome.proposal.proposal_id}"
        return proposal_view(outcome.proposal, outcome.recorded)

    # ------------------------------------------------------------------ proposals

    @api.get(
        "/proposals/{proposal_id}",
        tags=["proposals"],
        summary="Một tờ trình — what was forwarded and what came back",
        response_model=ProposalView,
        responses={404: {"description": "proposal_not_found"}},
    )
    async def get_proposal(proposal_id: Id) -> ProposalView:
        return proposal_view(await handlers.proposal(proposal_id))

    @api.post(
        "/proposals/{proposal_id}/decisions",
        status_code=201,
        tags=["proposals"],
        summary="Ghi nhận quyết định của cấp trên — record the higher authority's decision",
        description=(
            "`HigherDecisionRecorded`, then one `AwardGranted` / `TitleConferred` per conferred candidate with "
            "`conferred_by_ministry = false` and the higher authority as `authority`. It must come from the "
            "authority the proposal went to (`wrong_authority`) and may cover part of the proposal."
        ),
        response_model=ProposalView,
        responses=_errors(
            "proposal_not_found, unknown_candidate",
            conflict="candidate_already_decided",
            unprocessable="wrong_authority, decision_before_proposal",
        ),
    )
    async def record_decision(
        proposal_id: Id, body: HigherDecisionBody, request: Request,  # type: ignore[valid-type]
    ) -> ProposalView:
        cmd = command(RecordHigherDecision, body, proposal_id=proposal_id)
        outcome = await handlers.record_higher_decision(cmd, Service.metadata(request))
        assert outcome.proposal is not None
        return proposal_view(outcome.proposal, outcome.recorded)

    # ------------------------------------------------------------------ awards and history

    @api.get(
        "/awards/{award_id}",
        tags=["awards"],
        summary="Một danh hiệu / hình thức khen thưởng đã tặng — one conferred award",
        response_model=HistoryEntry,
        responses={404: {"description": "award_not_found"}},
    )
    async def get_award(award_id: Id) -> HistoryEntry:
        return await handlers.award(award_id)

    @api.post(
        "/awards/{award_id}/revocations",
        status_code=201,
        tags=["awards"],
        summary="Thu hồi, hủy bỏ quyết định khen thưởng — revoke a conferred award",
        description=(
            "`AwardRevoked`. Only the authority that conferred it revokes it (`beyond_power` otherwise); once "
            "(`award_already_revoked`); not dated before the award. The award stays in the history, flagged "
            "revoked, and no longer counts toward later titles (a chain relying on it breaks); the initiatives "
            "it used stay used."
        ),
        response_model=HistoryEntry,
        responses=_errors(
            "award_not_found",
            conflict="award_already_revoked",
            unprocessable="beyond_power, date_before_decision",
        ),
    )
    async def revoke(
        award_id: Id, body: RevokeBody, request: Request,  # type: ignore[valid-type]
    ) -> HistoryEntry:
        cmd = command(RevokeAward, body, award_id=award_id)
        await handlers.revoke(cmd, Service.metadata(request))
        return await handlers.award(award_id)

    @api.get(
        "/people/{person_id}/awards",
        tags=["history"],
        summary="Quá trình khen thưởng của cá nhân — a person's titles and awards",
        description="Every title and award conferred on the person, by year; revoked ones flagged `revoked`.",
        response_model=SubjectHistory,
        responses={404: {"description": "subject_not_found"}},
    )
    async def person_history(person_id: Annotated[SubjectId, Path()]) -> SubjectHistory:
        entries, name = await handlers.person_history(person_id)
        if name is None and not entries:
            raise NotFound(Code.SUBJECT_NOT_FOUND, f"No person {person_id!r} is known", person_id=person_id)
        return _subject_history(person_id, name or entries[-1].display_name, entries)

    @api.get(
        "/units/{unit_id}/awards",
        tags=["history"],
        summary="Quá trình khen thưởng của đơn vị — a unit's titles and awards (and its people's)",
        description=(
            "The collective's own titles and awards; with `include_people` also those of the people nominated "
            "as its members; with `include_subunits` the same for every unit under it today. Revoked ones are "
            "flagged `revoked`."
        ),
        response_model=SubjectHistory,
        responses={404: {"description": "unit_not_found"}},
    )
    async def unit_history(
        unit_id: Annotated[SubjectId, Path()],
        include_people: Annotated[bool, Query(description="Also the awards of the unit's people.")] = True,
        include_subunits: Annotated[bool, Query(description="Also the units under it (today).")] = False,
    ) -> SubjectHistory:
        entries, name = await handlers.unit_history(
            unit_id, include_people=include_people, include_subunits=include_subunits
        )
        return _subject_history(unit_id, name, entries)

    return api


def _subject_history(subject_id: str, name: str | None, entries: list[HistoryEntry]) -> SubjectHistory:
    return SubjectHistory(
        subject_id=subject_id,
        name=name,
        held=[f"{e.award_code} {e.year}" for e in entries if not e.revoked],
        entries=entries,
    )
