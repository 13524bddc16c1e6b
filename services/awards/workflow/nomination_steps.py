"""The steps of a nomination, as decide functions: ``decide_x(state, command, *, …) -> events``.

(The module is not called "decisions": in this service a decision is the
competent authority's quyết định, which :func:`decide_grant` records.)

Each takes the nomination's state (see :mod:`.nomination` for what the
handler folds into it), the command, and explicitly, as keyword arguments,
whatever else the rule has to see; none reads the clock or does I/O:

- ``today``: the date the command is decided on;
- ``entry``: the catalogue entry of the award (name, kind, category, recipients);
- ``assessments``: the engine's assessments of the candidates (``assess`` on
  the replica's facts, ``as_of=today``);
- ``candidate_units`` / ``unit_subtree``: from the units replica;
- ``procedures``: who decides, vote share, notice days and cash, per recipient
  kind (:func:`~.paths.procedures_for`, or the assessments' ``procedure``);
- ``council``: the council that voted; ``holidays``: public holidays;
- ``held_awards``: the history of the candidates (:mod:`.history`); ``quotas``.

They return the events to append, or raise a :class:`kernel.errors.DomainError`
(``NotFound`` 404, ``Conflict`` 409, otherwise 422) with a stable code from
:class:`~.codes.Code`; nothing is written then. Every event names its own
stream (``event.subject()``): the nomination's, or an award's
(``award_id_for``), or a proposal's (``proposal_id_for``); the handler appends
all of them in one transaction, each new award or proposal stream at
expected version 0.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from kernel.errors import Conflict, DomainError, NotFound
from kernel.ids import canonical_id
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    Candidate,
    CandidateAssessed,
    CandidateRejected,
    CandidateReturned,
    CommentResolved,
    CouncilVoted,
    CriterionOutcome,
    NominationSubmitted,
    ProcedureChecked,
    ProposalForwarded,
    PublicNoticeClosed,
    PublicNoticeOpened,
    Recipient,
)
from tdkt_contracts.vocabulary import Authority, RecipientKind, SubmittingBody

from ..domain.catalogue import AwardEntry, Catalogue
from ..domain.engine import check_recipient, no_rule_for_year
from ..domain.results import Assessment, Procedure
from ..domain.timespan import year_end
from ..domain.vocabulary import AwardKind, DecisionRoute, Status
from .award import conferred_event
from .codes import Code
from .commands import (
    ClosePublicNotice,
    ForwardProposal,
    GrantAwards,
    Nominee,
    OpenPublicNotice,
    RecordCommentResult,
    RecordCouncilVote,
    RejectCandidates,
    ResubmitCandidate,
    ReturnCandidate,
    SubmitNomination,
)
from .council import Council, share_reached
from .history import HistoryEntry
from .ids import award_id_for
from .nomination import CandidateState, CandidateStatus, NominationState
from .paths import CommendationPath, Procedures, check_power, not_after, path_for, procedure_of
from .procedure import UnitShares, grant_outcomes, quorum_outcome
from .workdays import nth_working_day, working_days

__all__ = [
    "QuotaLimit",
    "decide_close_notice",
    "decide_forward",
    "decide_grant",
    "decide_open_notice",
    "decide_reject",
    "decide_resubmit",
    "decide_submit",
    "decide_vote",
    "recipient_of",
]


@dataclass(frozen=True, slots=True)
class QuotaLimit:
    """A cap on how many may receive a code in a year, in a unit (or the whole Ministry).

    Quotas are data the handler passes (a Ministry plan, an old ratio cap);
    none is built in: the 15% CSTĐCS cap lapsed in 2024 (rules.md §3a).
    """

    award_code: str
    year: int
    max_count: int
    already_granted: int = 0
    """Granted so far this year within the scope, before this decision (from the history)."""
    unit_ids: frozenset[str] | None = None
    """The units the quota covers (a unit's subtree); None: every candidate."""
    label: str = ""
    """What the quota is, for the error message, e.g. 'Chỉ tiêu Bằng khen 2024 của Vụ Tổ chức cán bộ'."""


# --------------------------------------------------------------------------- shared checks


def _exists(state: NominationState, nomination_id: str) -> None:
    if not state.exists:
        raise NotFound(
            Code.NOMINATION_NOT_FOUND, f"Nomination {nomination_id!r} does not exist", nomination_id=nomination_id
        )


def _not_before_submission(state: NominationState, day: date, field: str) -> None:
    if state.submitted_on is not None and day < state.submitted_on:
        raise DomainError(
            Code.DATE_BEFORE_SUBMISSION,
            f"{field} {day} is before the nomination was submitted ({state.submitted_on})",
            field=field,
            date=day.isoformat(),
            submitted_on=state.submitted_on.isoformat(),
        )


def _candidate(state: NominationState, candidate_id: str) -> CandidateState:
    found = state.candidate(candidate_id)
    if found is None:
        raise NotFound(
            Code.UNKNOWN_CANDIDATE,
            f"Candidate {candidate_id!r} is not in nomination {state.nomination_id!r}",
            nomination_id=state.nomination_id,
            candidate_id=candidate_id,
        )
    return found


def _undecided(cand: CandidateState) -> None:
    if cand.status.decided:
        raise Conflict(
            Code.CANDIDATE_ALREADY_DECIDED,
            f"{cand.candidate.display_name} ({cand.candidate_id}) was already decided: {cand.status.value}",
            candidate_id=cand.candidate_id,
            status=cand.status.value,
            award_id=cand.award_id,
            proposal_id=cand.proposal_id,
        )


def _eligible(cand: CandidateState) -> None:
    """Undecided and assessed eligible: the only candidates a notice, vote or decision may concern."""
    _undecided(cand)
    if cand.status is not CandidateStatus.ELIGIBLE:
        raise DomainError(
            Code.CANDIDATE_NOT_ELIGIBLE,
            f"{cand.candidate.display_name} ({cand.candidate_id}) was not assessed eligible"
            + (f": {'; '.join(cand.reasons)}" if cand.reasons else ""),
            candidate_id=cand.candidate_id,
            status=cand.status.value,
            reasons=cand.reasons,
        )


def _open_candidates(state: NominationState, candidate_ids: Iterable[str]) -> list[CandidateState]:
    candidates = [_candidate(state, cid) for cid in candidate_ids]
    for cand in candidates:
        _eligible(cand)
    return candidates


def _check_vote(cand: CandidateState, procedure: Procedure, path: CommendationPath, act_on: date, act: str) -> None:
    """A passing vote where the rule requires one (unless the path's fast track skips it), held before the act.

    A vote that was held and failed stops the decision even where the law
    requires none: the decider does not overrule a recorded council vote.
    """
    vote = cand.last_vote
    required = procedure.council_vote_share is not None and not path.skips_council_vote
    if vote is None:
        if required:
            share = procedure.council_vote_share.value if procedure.council_vote_share else None
            raise DomainError(
                Code.VOTE_REQUIRED,
                f"{cand.candidate.display_name} ({cand.candidate_id}) needs a council vote of at least "
                f"{share:.0%} of all members before the {act}",
                candidate_id=cand.candidate_id,
                required_share=share,
            )
        return
    if not vote.passed:
        raise DomainError(
            Code.VOTE_NOT_PASSED,
            f"The council's vote on {cand.candidate.display_name} ({cand.candidate_id}) did not pass: "
            f"{vote.votes_for} of {vote.members_total} members for, {vote.threshold:.0%} of all members required",
            candidate_id=cand.candidate_id,
            votes_for=vote.votes_for,
            members_total=vote.members_total,
            threshold=vote.threshold,
        )
    if act_on < vote.voted_on:
        raise DomainError(
            Code.DECISION_BEFORE_VOTE,
            f"The {act} ({act_on}) is dated before the council's vote ({vote.voted_on})",
            candidate_id=cand.candidate_id,
            date=act_on.isoformat(),
            voted_on=vote.voted_on.isoformat(),
        )


def _check_notice(
    state: NominationState,
    cand: CandidateState,
    procedure: Procedure,
    meeting_on: date,
    holidays: Collection[date],
) -> None:
    """Names published at least N working days before the council meets (NĐ 98/2023 Art. 46.2; Law Art. 84.5).

    The working days counted run from the notice's first day to the day
    before the meeting, and the notice must have been closed by the meeting.
    ``meeting_on`` is the vote's date, or the decision's when no vote is held.
    """
    required = procedure.public_notice_working_days
    if required is None or state.path.skips_public_notice:
        return
    days = int(required.value)
    mine = [n for n in state.notices if cand.candidate_id in n.candidate_ids]
    closed = [n for n in mine if n.closed_on is not None and n.closed_on <= meeting_on]
    base = {
        "candidate_id": cand.candidate_id,
        "required_working_days": days,
        "citation": required.citation.text_vi,
        "date": meeting_on.isoformat(),
    }
    if not closed:
        still_open = next((n for n in mine if n.is_open), None)
        detail = f"; the notice is still open until {still_open.closes_on}" if still_open else ""
        raise DomainError(
            Code.NOTICE_REQUIRED,
            f"{cand.candidate.display_name} ({cand.candidate_id}) must be published for comment at least "
            f"{days} working days before the council meets, and the notice closed{detail}",
            **base,
        )
    counted = max(working_days(n.opened_on, meeting_on - timedelta(days=1), holidays) for n in closed)
    if counted < days:
        raise DomainError(
            Code.NOTICE_TOO_SHORT,
            f"{cand.candidate.display_name} ({cand.candidate_id}) was published {counted} working days before "
            f"{meeting_on}; at least {days} are required",
            counted_working_days=counted,
            **base,
        )


def _check_comments(state: NominationState, cand: CandidateState, act: str) -> None:
    """A comment naming the candidate is a hold until its verification's result is recorded.

    NĐ 98/2023 Art. 4 and NĐ 152/2025 Art. 4.4: no award while a complaint, denunciation or press
    allegation is being verified. A result found well founded keeps the hold: the candidate is to be
    returned or rejected, not voted, decided or proposed.
    """
    for comment in state.comments_on(cand.candidate_id):
        result = state.comment_result(cand.candidate_id, comment.received_on)
        base = {"candidate_id": cand.candidate_id, "received_on": comment.received_on.isoformat(), "act": act}
        if result is None:
            raise DomainError(
                Code.COMMENT_UNRESOLVED,
                f"{cand.candidate.display_name} ({cand.candidate_id}): the comment received on "
                f"{comment.received_on:%d/%m/%Y} is being verified; record its result before the {act} "
                "(NĐ 98/2023 Điều 4; NĐ 152/2025 Điều 4 khoản 4)",
                **base,
            )
        if result.founded:
            raise DomainError(
                Code.COMMENT_FOUNDED,
                f"{cand.candidate.display_name} ({cand.candidate_id}): the comment received on "
                f"{comment.received_on:%d/%m/%Y} was found well founded ({result.result}); no {act}",
                resolved_on=result.resolved_on.isoformat(),
                **base,
            )


def _power_label(state: NominationState) -> str:
    return f"{state.award_name} ({state.award_code})"


def _award_kind(entry: AwardEntry) -> str:
    return "title" if entry.kind is AwardKind.TITLE else "award"


# --------------------------------------------------------------------------- assessments as events


def _assessed(nomination_id: str, candidate_id: str, assessment: Assessment, today: date) -> CandidateAssessed:
    # Decisive results only: an alternative of an any_of that was not the route taken explains nothing.
    criteria = [
        CriterionOutcome(
            criterion_id=r.id,
            status=r.status.value,
            citation=r.citation.text_vi,
            explanation_vi=r.explanation_vi,
            explanation_en=r.explanation_en,
            unconfirmed=not r.confirmed,
            kind=r.kind.value,
        )
        for r in assessment.results()
        if r.decisive
    ]
    return CandidateAssessed(
        nomination_id=nomination_id,
        candidate_id=candidate_id,
        subject_id=assessment.subject_id,
        eligible=assessment.eligible,
        rule_set=f"{assessment.code}/{assessment.recipient_kind.value}/{assessment.rule.rule_set_id}",
        criteria=criteria,
        unconfirmed_rules=assessment.unconfirmed,
        initiative_ids=list(assessment.initiatives_to_consume),
        assessed_on=today,
    )


def _reasons(assessment: Assessment) -> list[str]:
    """The failed and unknown criteria, in Vietnamese, as the unit must read them to fix its file."""
    found = [
        r.explanation_vi
        for r in assessment.results()
        if r.decisive and not r.children and r.status is not Status.PASSED
    ]
    return found or [assessment.explanation_vi]


def _limited_assessment(
    nomination_id: str, candidate_id: str, subject_id: str, entry: AwardEntry, today: date
) -> CandidateAssessed:
    """The foreign path's assessment: the structural checks passed at submission; the council judges the rest."""
    return CandidateAssessed(
        nomination_id=nomination_id,
        candidate_id=candidate_id,
        subject_id=subject_id,
        eligible=True,
        rule_set=f"{entry.code}/foreign/LIMITED_REVIEW",
        criteria=[
            CriterionOutcome(
                criterion_id="foreign.external_subject",
                kind="limited_review",
                status="passed",
                citation="Luật Thi đua, khen thưởng 2022 (khen thưởng đối ngoại) — chưa đối chiếu điều khoản",
                explanation_vi=(
                    "Đối tượng là cá nhân, tổ chức nước ngoài, không thuộc danh sách đơn vị, cán bộ của Bộ; "
                    "tiêu chuẩn về xếp loại, danh hiệu, sáng kiến không áp dụng. Hồ sơ có tờ trình và báo cáo "
                    "thành tích; Hội đồng Thi đua – Khen thưởng xem xét mức độ đóng góp."
                ),
                explanation_en=(
                    "A foreign person or organisation, outside the Ministry's units and staff: criteria on "
                    "grades, titles and initiatives do not apply. The file has the submission and the "
                    "achievement report; the council judges the contribution."
                ),
                unconfirmed=True,
            )
        ],
        unconfirmed_rules=True,
        initiative_ids=[],
        assessed_on=today,
    )


def _check_assessment(assessment: Assessment, cmd_code: str, year: int, candidate: Candidate) -> None:
    expected = (cmd_code, year, candidate.subject_id, candidate.recipient_kind)
    actual = (assessment.code, assessment.year, assessment.subject_id, assessment.recipient_kind)
    if expected != actual:
        raise DomainError(
            Code.ASSESSMENT_MISMATCH,
            f"The assessment given for candidate {candidate.candidate_id!r} is for "
            f"{assessment.code} {assessment.year} {assessment.subject_id} ({assessment.recipient_kind.value})",
            candidate_id=candidate.candidate_id,
            expected=[str(v) for v in expected],
            actual=[str(v) for v in actual],
        )


def _check_unit(
    candidate_id: str, subject_id: str, unit_id: str | None, submitting_unit: str, subtree: Collection[str]
) -> str:
    """The candidate's unit in the replica, which must lie in the submitting unit's subtree."""
    if unit_id is None:
        raise NotFound(
            Code.SUBJECT_NOT_FOUND,
            f"{subject_id!r} (candidate {candidate_id!r}) is not a person or unit known to the units context",
            candidate_id=candidate_id,
            subject_id=subject_id,
        )
    if unit_id not in subtree:
        raise DomainError(
            Code.CANDIDATE_OUTSIDE_UNIT,
            f"Candidate {candidate_id!r} ({subject_id}) belongs to unit {unit_id!r}, outside the submitting "
            f"unit {submitting_unit!r}: a unit nominates only its own people and collectives",
            candidate_id=candidate_id,
            subject_id=subject_id,
            unit_id=unit_id,
            submitting_unit_id=submitting_unit,
        )
    return unit_id


def _outcome_events(
    nomination_id: str, candidate_id: str, assessed: CandidateAssessed, assessment: Assessment | None, today: date
) -> list[EventPayload]:
    events: list[EventPayload] = [assessed]
    if not assessed.eligible and assessment is not None:
        events.append(
            CandidateReturned(
                nomination_id=nomination_id, candidate_id=candidate_id, reasons=_reasons(assessment), returned_on=today
            )
        )
    return events


# --------------------------------------------------------------------------- submission


def decide_submit(
    state: NominationState,
    cmd: SubmitNomination,
    *,
    entry: AwardEntry,
    assessments: Mapping[str, Assessment],
    candidate_units: Mapping[str, str | None],
    unit_subtree: Collection[str],
    today: date,
    known_subjects: Collection[str] = (),
) -> list[EventPayload]:
    """Receive a nomination, assess every candidate on arrival and return the ineligible ones.

    Load: the nomination stream (refuses a second submission); ``entry`` =
    ``catalogue.entry(cmd.award_code)``; for every candidate, by candidate id,
    ``assessments`` (the engine on the replica's facts, ``as_of=today``; for a
    household, on the facts its nominee states, :func:`.household.household_facts`;
    not needed on the foreign path) and ``candidate_units`` (the unit the subject
    belongs to in the units replica: a person's unit, a collective's own id;
    None or absent when unknown); ``unit_subtree``: the submitting unit and
    every unit under it; ``known_subjects``: on the foreign path and for
    households, the candidates' subject ids that name a person or unit of the
    units context (of either kind), in canonical form (kernel.ids): a foreign
    recipient or a household is never one of them. A household's unit is the
    submitting unit.

    Returns ``NominationSubmitted``, then per candidate ``CandidateAssessed``
    and, when not eligible, ``CandidateReturned`` with the engine's reasons.
    """
    if state.exists:
        raise Conflict(
            Code.NOMINATION_EXISTS,
            f"Nomination {cmd.nomination_id!r} was already submitted",
            nomination_id=cmd.nomination_id,
        )
    not_after(cmd.submitted_on, today, "submitted_on")
    if cmd.year > today.year:
        raise DomainError(
            Code.YEAR_IN_FUTURE,
            f"Achievement year {cmd.year} has not begun (today is {today}); nominate after the achievement",
            year=cmd.year,
            today=today.isoformat(),
        )
    if entry.code != cmd.award_code:
        raise DomainError(
            Code.ASSESSMENT_MISMATCH,
            f"Catalogue entry {entry.code} given for {cmd.award_code}",
            award_code=cmd.award_code,
            entry_code=entry.code,
        )
    path = path_for(cmd.category)
    _check_path(cmd, entry, path)
    candidates: list[Candidate] = []
    outcomes: list[EventPayload] = []
    for nominee in cmd.candidates:
        kind = nominee.recipient_kind
        check_recipient(entry, kind, candidate_id=nominee.candidate_id)
        assessment: Assessment | None = None
        if path.external_subject:
            candidate, assessed = _foreign_candidate(cmd, nominee, entry, candidate_units, known_subjects, today)
            # never returned: the limited check refuses rather than returns
        elif kind is RecipientKind.HOUSEHOLD:
            candidate = _household_candidate(cmd, nominee, entry, candidate_units, known_subjects)
            assessment = _assessment_for(assessments, nominee.candidate_id)
            _check_assessment(assessment, cmd.award_code, cmd.year, candidate)
            assessed = _assessed(cmd.nomination_id, nominee.candidate_id, assessment, today)
        else:
            unit_id = _check_unit(
                nominee.candidate_id,
                nominee.subject_id,
                candidate_units.get(nominee.candidate_id),
                cmd.submitting_unit_id,
                unit_subtree,
            )
            assessment = _assessment_for(assessments, nominee.candidate_id)
            # The name of record comes from the units context through the assessment, not from the form.
            candidate = Candidate(
                candidate_id=nominee.candidate_id,
                recipient_kind=kind,
                subject_id=nominee.subject_id,
                display_name=assessment.subject_name,
                unit_id=unit_id,
            )
            _check_assessment(assessment, cmd.award_code, cmd.year, candidate)
            assessed = _assessed(cmd.nomination_id, nominee.candidate_id, assessment, today)
        candidates.append(candidate)
        outcomes += _outcome_events(cmd.nomination_id, nominee.candidate_id, assessed, assessment, today)
    submitted = NominationSubmitted(
        nomination_id=cmd.nomination_id,
        year=cmd.year,
        award_code=entry.code,
        award_name=entry.name_vi,
        award_kind=_award_kind(entry),
        category=cmd.category,
        submitting_unit_id=cmd.submitting_unit_id,
        movement_id=cmd.movement_id,
        candidates=candidates,
        documents=cmd.documents,
        submitted_on=cmd.submitted_on,
    )
    return [submitted, *outcomes]


def _check_path(cmd: SubmitNomination, entry: AwardEntry, path: CommendationPath) -> None:
    if not path.allows(entry):
        raise DomainError(
            Code.CATEGORY_NOT_ALLOWED,
            f"{entry.name_vi} ({entry.code}, {entry.kind.label_vi.lower()}, {entry.category.label_vi.lower()}) "
            f"cannot be awarded as {path.label_vi.lower()}",
            award_code=entry.code,
            category=cmd.category,
        )
    if path.needs_movement and cmd.movement_id is None:
        raise DomainError(
            Code.MOVEMENT_REQUIRED,
            "A thematic award (khen thưởng theo chuyên đề) names the movement it crowns (movement_id)",
            category=cmd.category,
        )
    if not path.needs_movement and cmd.movement_id is not None:
        raise DomainError(
            Code.MOVEMENT_ONLY_FOR_THEMATIC,
            f"movement_id is for thematic awards; this nomination is {path.label_vi.lower()}",
            category=cmd.category,
            movement_id=cmd.movement_id,
        )
    missing = path.missing_documents(cmd.documents)
    if missing:
        raise DomainError(
            Code.DOSSIER_INCOMPLETE,
            f"The dossier lacks: {', '.join(missing)} (Luật Thi đua, khen thưởng 2022, Điều 84)",
            missing=missing,
            category=cmd.category,
        )


def _assessment_for(assessments: Mapping[str, Assessment], candidate_id: str) -> Assessment:
    found = assessments.get(candidate_id)
    if found is None:
        raise DomainError(
            Code.ASSESSMENT_MISSING,
            f"No assessment was made for candidate {candidate_id!r}: every candidate is assessed on arrival",
            candidate_id=candidate_id,
        )
    return found


def _external_candidate(
    cmd: SubmitNomination,
    nominee: Nominee,
    entry: AwardEntry,
    candidate_units: Mapping[str, str | None],
    known_subjects: Collection[str],
    *,
    unit_id: str | None,
    refusal: Code,
    what: str,
    hint: str,
) -> Candidate:
    """A recipient outside the units context (a foreign one, a household): its subject id names no person or
    unit of the Ministry, the command names it, and a rule for its kind is in force for the year."""
    if candidate_units.get(nominee.candidate_id) is not None or canonical_id(nominee.subject_id) in known_subjects:
        raise DomainError(
            refusal,
            f"{nominee.subject_id!r} (candidate {nominee.candidate_id!r}) is a person or unit of the Ministry; "
            + hint,
            candidate_id=nominee.candidate_id,
            subject_id=nominee.subject_id,
            unit_id=candidate_units.get(nominee.candidate_id),
        )
    if nominee.display_name is None:
        raise DomainError(
            Code.DISPLAY_NAME_REQUIRED,
            f"A {what}'s name is required (candidate {nominee.candidate_id!r})",
            candidate_id=nominee.candidate_id,
        )
    if entry.rule_for(nominee.recipient_kind, year_end(cmd.year)) is None:
        raise no_rule_for_year(entry, cmd.year, nominee.recipient_kind)
    return Candidate(
        candidate_id=nominee.candidate_id,
        recipient_kind=nominee.recipient_kind,
        subject_id=nominee.subject_id,
        display_name=nominee.display_name,
        unit_id=unit_id,
    )


def _foreign_candidate(
    cmd: SubmitNomination,
    nominee: Nominee,
    entry: AwardEntry,
    candidate_units: Mapping[str, str | None],
    known_subjects: Collection[str],
    today: date,
) -> tuple[Candidate, CandidateAssessed]:
    """A foreign recipient: external to the units context, named by the command, given the limited check."""
    candidate = _external_candidate(
        cmd, nominee, entry, candidate_units, known_subjects,
        unit_id=None, refusal=Code.SUBJECT_NOT_FOREIGN, what="foreign recipient",
        hint="nominate it on a domestic path",
    )
    assessed = _limited_assessment(cmd.nomination_id, nominee.candidate_id, nominee.subject_id, entry, today)
    return candidate, assessed


def _household_candidate(
    cmd: SubmitNomination,
    nominee: Nominee,
    entry: AwardEntry,
    candidate_units: Mapping[str, str | None],
    known_subjects: Collection[str],
) -> Candidate:
    """A household (Law 2022 Art. 2): external to the units context like a foreign recipient, but assessed by the
    engine on the facts its nomination states; the proposing unit is its unit (a unit officer's scope is that
    unit's)."""
    return _external_candidate(
        cmd, nominee, entry, candidate_units, known_subjects,
        unit_id=cmd.submitting_unit_id, refusal=Code.SUBJECT_NOT_HOUSEHOLD, what="household",
        hint="a household is nominated under its own id",
    )


def decide_resubmit(
    state: NominationState,
    cmd: ResubmitCandidate,
    *,
    assessment: Assessment | None,
    candidate_unit: str | None,
    unit_subtree: Collection[str],
    today: date,
) -> list[EventPayload]:
    """A returned candidate comes back after its unit fixed the facts: assess it again.

    Load: the nomination stream (and linked streams); ``assessment`` of the
    candidate on the replica's current facts, None when the replica has no
    facts for it (NotFound('subject_not_found')); ``candidate_unit``: its unit
    in the replica now; ``unit_subtree`` of the submitting unit. Returns
    ``CandidateAssessed`` and, if still not eligible, ``CandidateReturned``.
    """
    _exists(state, cmd.nomination_id)
    cand = _candidate(state, cmd.candidate_id)
    _undecided(cand)
    if cand.status is not CandidateStatus.RETURNED:
        raise DomainError(
            Code.CANDIDATE_NOT_RETURNED,
            f"{cand.candidate.display_name} ({cand.candidate_id}) was not returned; "
            "only a returned candidate is resubmitted",
            candidate_id=cand.candidate_id,
            status=cand.status.value,
        )
    candidate = cand.candidate
    if candidate.recipient_kind is RecipientKind.HOUSEHOLD:
        raise DomainError(
            Code.HOUSEHOLD_NOT_RESUBMITTED,
            f"{candidate.display_name} ({cand.candidate_id}) is a household: its facts are those its nomination "
            "stated, so nothing the unit fixes elsewhere changes them; nominate it again with the facts completed",
            candidate_id=cand.candidate_id,
            subject_id=candidate.subject_id,
        )
    if assessment is None:
        raise NotFound(
            Code.SUBJECT_NOT_FOUND,
            f"{candidate.subject_id!r} (candidate {cand.candidate_id!r}) is not known to the units context",
            candidate_id=cand.candidate_id,
            subject_id=candidate.subject_id,
        )
    not_after(cmd.resubmitted_on, today, "resubmitted_on")
    _not_before_submission(state, cmd.resubmitted_on, "resubmitted_on")
    _check_unit(
        candidate.candidate_id,
        candidate.subject_id,
        candidate_unit,
        state.submitting_unit_id,
        unit_subtree,
    )
    _check_assessment(assessment, state.award_code, state.year, candidate)
    assessed = _assessed(state.nomination_id, candidate.candidate_id, assessment, today)
    return _outcome_events(state.nomination_id, candidate.candidate_id, assessed, assessment, today)


def decide_return(state: NominationState, cmd: ReturnCandidate, *, today: date) -> list[EventPayload]:
    """The office returns an eligible, undecided candidate to its unit with a reason; resubmission assesses it again.

    Every round stays in the candidate's returns (the history shows each reason and date).
    """
    _exists(state, cmd.nomination_id)
    cand = _candidate(state, cmd.candidate_id)
    _undecided(cand)
    if cand.status is not CandidateStatus.ELIGIBLE:
        raise DomainError(
            Code.CANDIDATE_NOT_ELIGIBLE,
            f"{cand.candidate.display_name} ({cand.candidate_id}) is {cand.status.value}: only an eligible candidate "
            "is returned by the office (an ineligible one was returned on its assessment)",
            candidate_id=cand.candidate_id, status=cand.status.value,
        )
    not_after(cmd.returned_on, today, "returned_on")
    _not_before_submission(state, cmd.returned_on, "returned_on")
    return [CandidateReturned(nomination_id=state.nomination_id, candidate_id=cand.candidate_id,
                              reasons=[cmd.reason], returned_on=cmd.returned_on, by_office=True)]


# --------------------------------------------------------------------------- public notice


def decide_open_notice(
    state: NominationState,
    cmd: OpenPublicNotice,
    *,
    procedures: Procedures,
    today: date,
    holidays: Collection[date] = (),
) -> list[EventPayload]:
    """Publish eligible candidates for comment (lấy ý kiến) before the council meets.

    Load: the nomination stream; ``procedures`` (their notice days);
    ``holidays``. Where the rule sets N working days, ``closes_on`` defaults to
    the day the N-th working day is complete and may not be earlier. A notice
    the rule does not require is allowed (the Ministry also published CSTĐ
    toàn quốc names, rules.md §4) but then needs its ``closes_on``.
    """
    _exists(state, cmd.nomination_id)
    not_after(cmd.opened_on, today, "opened_on")
    _not_before_submission(state, cmd.opened_on, "opened_on")
    current = state.open_notice
    if current is not None:
        raise Conflict(
            Code.NOTICE_ALREADY_OPEN,
            f"A notice is already open until {current.closes_on}; close it first",
            opened_on=current.opened_on.isoformat(),
            closes_on=current.closes_on.isoformat(),
        )
    candidates = _open_candidates(state, cmd.candidate_ids)
    required = [
        int(p.public_notice_working_days.value)
        for c in candidates
        if (p := procedure_of(procedures, c.candidate.recipient_kind)).public_notice_working_days is not None
    ]
    days = max(required, default=None)
    closes_on = cmd.closes_on
    if closes_on is None:
        if days is None:
            raise DomainError(
                Code.CLOSES_ON_REQUIRED,
                "No rule sets this notice's length: give its closing day (closes_on)",
            )
        closes_on = nth_working_day(cmd.opened_on, days, holidays)
    counted = working_days(cmd.opened_on, closes_on, holidays)
    if closes_on < cmd.opened_on or (days is not None and counted < days):
        raise DomainError(
            Code.NOTICE_TOO_SHORT,
            f"The notice from {cmd.opened_on} to {closes_on} spans {counted} working days; "
            f"at least {days or 1} are required",
            opened_on=cmd.opened_on.isoformat(),
            closes_on=closes_on.isoformat(),
            counted_working_days=counted,
            required_working_days=days,
        )
    return [
        PublicNoticeOpened(
            nomination_id=state.nomination_id,
            candidate_ids=list(cmd.candidate_ids),
            opened_on=cmd.opened_on,
            closes_on=closes_on,
            channel=cmd.channel,
        )
    ]


def decide_close_notice(state: NominationState, cmd: ClosePublicNotice, *, today: date) -> list[EventPayload]:
    """Close the open notice with the comments received. Load: the nomination stream.

    A notice is not closed before its announced last day: people were told
    they could comment until then.
    """
    _exists(state, cmd.nomination_id)
    notice = state.open_notice
    if notice is None:
        raise DomainError(
            Code.NOTICE_NOT_OPEN, "No public notice is open on this nomination", nomination_id=state.nomination_id
        )
    not_after(cmd.closed_on, today, "closed_on")
    if cmd.closed_on < notice.closes_on:
        raise DomainError(
            Code.NOTICE_PERIOD_NOT_OVER,
            f"The notice runs until {notice.closes_on}; it cannot close on {cmd.closed_on}",
            closes_on=notice.closes_on.isoformat(),
            closed_on=cmd.closed_on.isoformat(),
        )
    for comment in cmd.comments:
        if comment.candidate_id is not None and comment.candidate_id not in notice.candidate_ids:
            raise NotFound(
                Code.UNKNOWN_CANDIDATE,
                f"A comment names candidate {comment.candidate_id!r}, who was not in this notice",
                candidate_id=comment.candidate_id,
            )
    return [PublicNoticeClosed(nomination_id=state.nomination_id, closed_on=cmd.closed_on, comments=cmd.comments)]


def decide_comment_result(state: NominationState, cmd: RecordCommentResult, *, today: date) -> list[EventPayload]:
    """Record the result of verifying a comment that names a candidate. Load: the nomination stream.

    The comment is the one recorded when its notice closed (candidate and day received); its result is
    recorded once, on or after the day it was received and not in the future.
    """
    _exists(state, cmd.nomination_id)
    not_after(cmd.resolved_on, today, "resolved_on")
    if not any(c.received_on == cmd.received_on for c in state.comments_on(cmd.candidate_id)):
        raise NotFound(
            Code.UNKNOWN_COMMENT,
            f"No comment received on {cmd.received_on} names candidate {cmd.candidate_id!r}",
            candidate_id=cmd.candidate_id,
            received_on=cmd.received_on.isoformat(),
        )
    if state.comment_result(cmd.candidate_id, cmd.received_on) is not None:
        raise Conflict(
            Code.COMMENT_ALREADY_RESOLVED,
            f"The result of the comment of {cmd.received_on} on {cmd.candidate_id!r} is already recorded",
            candidate_id=cmd.candidate_id,
            received_on=cmd.received_on.isoformat(),
        )
    if cmd.resolved_on < cmd.received_on:
        raise DomainError(
            Code.RESULT_BEFORE_COMMENT,
            f"The result ({cmd.resolved_on}) cannot precede the comment ({cmd.received_on})",
            resolved_on=cmd.resolved_on.isoformat(),
            received_on=cmd.received_on.isoformat(),
        )
    return [
        CommentResolved(
            nomination_id=state.nomination_id,
            candidate_id=cmd.candidate_id,
            received_on=cmd.received_on,
            resolved_on=cmd.resolved_on,
            founded=cmd.founded,
            result=cmd.result,
        )
    ]


# --------------------------------------------------------------------------- council vote
# --------------------------------------------------------------------------- council vote


def decide_vote(
    state: NominationState,
    cmd: RecordCouncilVote,
    *,
    council: Council,
    procedures: Procedures,
    law: Catalogue,
    today: date,
    holidays: Collection[date] = (),
) -> list[EventPayload]:
    """Record the council's vote on candidates: one ``CouncilVoted`` each.

    Load: the nomination stream; ``council`` = the council ``cmd.council_id``
    as composed on the meeting day; ``procedures`` (vote share, notice days);
    ``law``: the catalogue (the quorum of the regime in force on the meeting
    day); ``holidays``. The threshold is the rule's share of **all** members;
    written votes of absent members count. Where the law sets no share, the
    council's ``default_share`` applies and the vote is advisory. Every voter
    must sit on the council and votes once per candidate; candidates that need
    a public notice must have been published N working days before the meeting.
    The quorum (members present, i.e. not voting in writing) is checked and
    recorded on the event: a confirmed rule not met refuses (``no_quorum``), an
    unconfirmed one only warns.
    """
    _exists(state, cmd.nomination_id)
    if council.council_id != cmd.council_id:
        raise DomainError(
            Code.COUNCIL_MISMATCH,
            f"The vote names council {cmd.council_id!r}, but council {council.council_id!r} was loaded",
            council_id=cmd.council_id,
        )
    not_after(cmd.voted_on, today, "voted_on")
    _not_before_submission(state, cmd.voted_on, "voted_on")
    strangers = sorted({b.member_id for r in cmd.results for b in r.ballots} - council.member_ids)
    if strangers:
        raise DomainError(
            Code.VOTER_NOT_ON_COUNCIL,
            f"Not members of {council.name}: {', '.join(strangers)}; only members vote",
            council_id=council.council_id,
            member_ids=strangers,
        )
    events: list[EventPayload] = []
    for result in cmd.results:
        cand = _candidate(state, result.candidate_id)
        _eligible(cand)
        if cand.votes:
            raise Conflict(
                Code.ALREADY_VOTED,
                f"The council already voted on {cand.candidate.display_name} ({cand.candidate_id}) "
                f"on {cand.votes[-1].voted_on}",
                candidate_id=cand.candidate_id,
            )
        voters = [b.member_id for b in result.ballots]
        twice = sorted({m for m in voters if voters.count(m) > 1})
        if twice:
            raise DomainError(
                Code.DUPLICATE_BALLOT,
                f"{', '.join(twice)} voted more than once on candidate {cand.candidate_id!r}",
                candidate_id=cand.candidate_id,
                member_ids=twice,
            )
        procedure = procedure_of(procedures, cand.candidate.recipient_kind)
        _check_notice(state, cand, procedure, cmd.voted_on, holidays)
        _check_comments(state, cand, "vote")
        checks = quorum_outcome(law, cmd.voted_on, council.size, result.ballots, cand.candidate_id)
        share = procedure.council_vote_share.value if procedure.council_vote_share else council.default_share
        votes_for = sum(b.approve for b in result.ballots)
        events.append(
            CouncilVoted(
                nomination_id=state.nomination_id,
                candidate_id=cand.candidate_id,
                members_total=council.size,
                votes_for=votes_for,
                votes_against=sum(not b.approve for b in result.ballots),
                written_votes=sum(b.in_writing for b in result.ballots),
                threshold=share,
                # The minutes name the council that voted: its composition is the base of the share.
                council_id=council.council_id,
                passed=share_reached(votes_for, council.size, share),
                voted_on=cmd.voted_on,
                procedure_checks=checks,
            )
        )
    return events


# --------------------------------------------------------------------------- grant, reject, forward


def decide_grant(
    state: NominationState,
    cmd: GrantAwards,
    *,
    procedures: Procedures,
    law: Catalogue,
    held_awards: Iterable[HistoryEntry],
    today: date,
    quotas: Sequence[QuotaLimit] = (),
    shares: UnitShares | None = None,
    current_assessments: Mapping[str, Assessment] | None = None,
    holidays: Collection[date] = (),
) -> list[EventPayload]:
    """The Ministry's decider grants the award: one ``AwardGranted`` / ``TitleConferred`` per candidate.

    Load: the nomination stream and its linked streams; ``procedures``;
    ``law``: the catalogue (the version's share quotas and signers);
    ``held_awards``: the history of the candidates' subjects
    (:func:`~.history.title_and_award_history`); ``quotas`` for the code and
    year, with what was already granted in their scope; ``shares``: what the
    version's share quotas count in the submitting unit (needed when it has
    any, e.g. CSTĐ cơ sở before 2024: at most 15 % of the unit's LĐTT); optionally
    ``current_assessments`` (the engine re-run today, so that a hold opened
    since the submission stops the award and the initiatives consumed are
    today's); ``holidays``.

    Refused unless: the candidate was assessed eligible and is undecided; the
    rule gives the decision to ``cmd.authority`` (``beyond_power``: e.g. the
    Minister and a Huân chương, which the Ministry forwards); a passing vote
    was recorded where the rule requires one (``vote_required`` /
    ``vote_not_passed``; the one-off fast track skips it); the notice was held;
    the subject does not already hold this code for this year in this
    category (``award_already_granted``); quotas are not exceeded; the
    confirmed share quotas hold (``quota_exceeded``) and the signer is one the
    rule lists (``issuer_not_competent``). The procedure checks run are
    recorded in one ``ProcedureChecked`` (unconfirmed ones only warn).
    """
    _exists(state, cmd.nomination_id)
    not_after(cmd.decision_date, today, "decision_date")
    _not_before_submission(state, cmd.decision_date, "decision_date")
    candidates = _open_candidates(state, cmd.candidate_ids)
    held = list(held_awards)
    for cand in candidates:
        procedure = procedure_of(procedures, cand.candidate.recipient_kind)
        check_power(
            cmd.authority,
            procedure,
            what=_power_label(state),
            details={"candidate_id": cand.candidate_id, "award_code": state.award_code},
        )
        _check_vote(cand, procedure, state.path, cmd.decision_date, "decision")
        if cand.last_vote is None:
            _check_notice(state, cand, procedure, cmd.decision_date, holidays)
        _check_comments(state, cand, "decision")
        _still_eligible(cand, current_assessments)
        _one_achievement_one_award(state, cand, held)
    _check_quotas(state, candidates, quotas)
    checks = grant_outcomes(law, state, candidates, issuer=cmd.issuer, shares=shares)
    events: list[EventPayload] = []
    for cand in candidates:
        procedure = procedure_of(procedures, cand.candidate.recipient_kind)
        initiatives = _initiatives(cand, current_assessments)
        events.append(
            _conferred(
                state,
                cand,
                authority=cmd.authority,
                decision_number=cmd.decision_number,
                decision_date=cmd.decision_date,
                signer=cmd.signer,
                cash_multiple=procedure.cash_multiple.value if procedure.cash_multiple else None,
                initiative_ids=initiatives,
            )
        )
    if checks:
        events.append(
            ProcedureChecked(
                nomination_id=state.nomination_id,
                act="decision",
                checked_on=cmd.decision_date,
                candidate_ids=[c.candidate_id for c in candidates],
                checks=checks,
            )
        )
    return events


def _still_eligible(cand: CandidateState, current: Mapping[str, Assessment] | None) -> None:
    if current is None or cand.candidate_id not in current:
        return
    assessment = current[cand.candidate_id]
    if not assessment.eligible:
        raise DomainError(
            Code.NO_LONGER_ELIGIBLE,
            f"{cand.candidate.display_name} ({cand.candidate_id}) is no longer eligible: "
            + "; ".join(_reasons(assessment)),
            candidate_id=cand.candidate_id,
            reasons=_reasons(assessment),
        )


def _initiatives(cand: CandidateState, current: Mapping[str, Assessment] | None) -> list[str]:
    if current is not None and cand.candidate_id in current:
        return list(current[cand.candidate_id].initiatives_to_consume)
    return list(cand.assessment.initiative_ids) if cand.assessment else []


def _one_achievement_one_award(state: NominationState, cand: CandidateState, held: list[HistoryEntry]) -> None:
    """Law Art. 5.2.c [C]: an award may be given many times, but one achievement earns only one.

    The achievement is identified by subject, code, year and category: a
    thematic Bằng khen crowns a movement, not the year's work, so it does not
    block the merit one (and the other way round). A one-off award crowns a
    single act, which only its nomination identifies: two one-off awards of
    the same code in a year are two acts. Revoked awards are void and block
    nothing.
    """
    subject = cand.candidate.subject_id
    for entry in held:
        if (
            entry.subject_id == subject
            and entry.award_code == state.award_code
            and entry.year == state.year
            and entry.category == state.category
            and not entry.revoked
            and (state.category != "one_off" or entry.nomination_id == state.nomination_id)
        ):
            raise Conflict(
                Code.AWARD_ALREADY_GRANTED,
                f"{cand.candidate.display_name} already received {entry.award_name} for {entry.year} "
                f"(decision {entry.decision_number} of {entry.decision_date}): one achievement, one award",
                candidate_id=cand.candidate_id,
                subject_id=subject,
                award_id=entry.award_id,
                decision_number=entry.decision_number,
            )


def _check_quotas(state: NominationState, candidates: list[CandidateState], quotas: Sequence[QuotaLimit]) -> None:
    for quota in quotas:
        if quota.award_code != state.award_code or quota.year != state.year:
            continue
        counted = [c for c in candidates if quota.unit_ids is None or c.candidate.unit_id in quota.unit_ids]
        total = quota.already_granted + len(counted)
        if counted and total > quota.max_count:
            raise DomainError(
                Code.QUOTA_EXCEEDED,
                f"{quota.label or 'Quota'}: {quota.max_count} at most; {quota.already_granted} already granted, "
                f"{len(counted)} more asked",
                award_code=quota.award_code,
                year=quota.year,
                max_count=quota.max_count,
                already_granted=quota.already_granted,
                requested=len(counted),
            )


def recipient_of(cand: CandidateState) -> Recipient:
    """The candidate as the decision and proposal events name it."""
    c = cand.candidate
    return Recipient(
        candidate_id=c.candidate_id,
        recipient_kind=c.recipient_kind,
        subject_id=c.subject_id,
        display_name=c.display_name,
        unit_id=c.unit_id,
    )


def _conferred(
    state: NominationState,
    cand: CandidateState,
    *,
    authority: Authority,
    decision_number: str,
    decision_date: date,
    signer: str | None,
    cash_multiple: float | None,
    initiative_ids: list[str],
) -> EventPayload:
    """The Ministry's award event for a candidate, carrying the nomination's category for the evidence rule."""
    return conferred_event(
        award_id=award_id_for(state.nomination_id, cand.candidate_id),
        award_kind=state.award_kind,
        year=state.year,
        award_code=state.award_code,
        award_name=state.award_name,
        category=state.category,
        recipient=recipient_of(cand),
        nomination_id=state.nomination_id,
        proposal_id=None,
        authority=authority,
        conferred_by_ministry=True,
        decision_number=decision_number,
        decision_date=decision_date,
        signer=signer,
        cash_multiple=cash_multiple,
        initiative_ids=initiative_ids,
    )


def decide_reject(
    state: NominationState,
    cmd: RejectCandidates,
    *,
    procedures: Procedures,
    today: date,
) -> list[EventPayload]:
    """The decider declines candidates (không khen thưởng): one ``CandidateRejected`` each.

    Load: the nomination stream and its linked streams; ``procedures``.
    Whoever may grant may decline; for an award the Ministry proposes
    upward, the Minister may decline to forward it. Returned candidates may
    be declined too (the file is closed).
    """
    _exists(state, cmd.nomination_id)
    not_after(cmd.decided_on, today, "decided_on")
    _not_before_submission(state, cmd.decided_on, "decided_on")
    candidates = [_candidate(state, cid) for cid in cmd.candidate_ids]
    for cand in candidates:
        _undecided(cand)
        procedure = procedure_of(procedures, cand.candidate.recipient_kind)
        upward = procedure.route is DecisionRoute.PROPOSE_UPWARD
        if not (upward and cmd.authority is Authority.MINISTER):
            check_power(
                cmd.authority,
                procedure,
                what=_power_label(state),
                details={"candidate_id": cand.candidate_id, "award_code": state.award_code},
            )
    return [
        CandidateRejected(
            nomination_id=state.nomination_id,
            candidate_id=cand.candidate_id,
            reason=cmd.reason,
            decided_on=cmd.decided_on,
            authority=cmd.authority,
        )
        for cand in candidates
    ]


def decide_forward(
    state: NominationState,
    cmd: ForwardProposal,
    *,
    procedures: Procedures,
    today: date,
    holidays: Collection[date] = (),
) -> list[EventPayload]:
    """Forward candidates to the competent authority (trình): one ``ProposalForwarded``.

    Load: the nomination stream and its linked streams (the proposals folded
    give the next proposal's sequence number); ``procedures``; ``holidays``.
    Only awards whose rule routes them upward are forwarded
    (``not_forwardable`` otherwise: the Ministry decides those itself), all to
    the same authority (``mixed_authorities``), after a passing vote and a
    closed notice where required. The proposal's id is
    :attr:`NominationState.next_proposal_id`.
    """
    _exists(state, cmd.nomination_id)
    not_after(cmd.forwarded_on, today, "forwarded_on")
    _not_before_submission(state, cmd.forwarded_on, "forwarded_on")
    candidates = _open_candidates(state, cmd.candidate_ids)
    chosen: Procedure | None = None
    for cand in candidates:
        procedure = procedure_of(procedures, cand.candidate.recipient_kind)
        if procedure.route is not DecisionRoute.PROPOSE_UPWARD:
            raise DomainError(
                Code.NOT_FORWARDABLE,
                f"{_power_label(state)} is decided by {procedure.authority.label_vi}; "
                "the Ministry decides it and forwards nothing",
                candidate_id=cand.candidate_id,
                authority=procedure.authority.value,
            )
        if chosen is not None and procedure.authority is not chosen.authority:
            raise DomainError(
                Code.MIXED_AUTHORITIES,
                "One proposal goes to one authority; forward these candidates separately",
                authorities=sorted({chosen.authority.value, procedure.authority.value}),
            )
        chosen = procedure
        _check_vote(cand, procedure, state.path, cmd.forwarded_on, "proposal")
        if cand.last_vote is None:
            _check_notice(state, cand, procedure, cmd.forwarded_on, holidays)
        _check_comments(state, cand, "proposal")
    assert chosen is not None  # candidate_ids has at least one id
    return [
        ProposalForwarded(
            proposal_id=state.next_proposal_id,
            nomination_id=state.nomination_id,
            year=state.year,
            award_code=state.award_code,
            award_name=state.award_name,
            award_kind=state.award_kind,
            category=state.category,
            to_authority=chosen.authority,
            to_body=cmd.to_body or chosen.submit_to_vi or chosen.authority.label_vi,
            recipients=[recipient_of(c) for c in candidates],
            submission_number=cmd.submission_number,
            forwarded_on=cmd.forwarded_on,
            submitted_by=SubmittingBody.CENTRAL_BODY,  # the Ministry's own tờ trình (forms 0602, rows 2–3)
        )
    ]
