"""The awards workflow, pure domain: from a unit's nomination to the decision, its documents and the history.

Aggregates (each a frozen state with ``apply(event)`` that never fails, and
``decide_*`` functions that return events or raise a
:class:`kernel.errors.DomainError` with a code of :class:`Code`):

- :class:`NominationState` (stream ``nomination_id``): submission, assessment
  on arrival, returns and resubmissions, public notices, council votes,
  rejections; it also folds its linked award and proposal events;
- :class:`ProposalState` (stream ``proposal_id``): forwarded upward (trình),
  and the higher authority's decision when it comes back;
- :class:`AwardState` (stream ``award_id``): a conferred title or award and
  its revocation.

Modules: :mod:`.commands` (HTTP bodies), :mod:`.nomination_steps` (the
nomination's decide functions), :mod:`.proposal`, :mod:`.award`, :mod:`.paths` (the five kinds of
commendation and the procedure numbers), :mod:`.council` (the council and
its vote count), :mod:`.workdays`, :mod:`.history` (the history query), :mod:`.prior` (awards
entered from the files),
:mod:`.documents` (DOCX decision and certificates), :mod:`.decision_ref` (a decision's issuer, year and
number), :mod:`.decision_pdf`, :mod:`.submission` (the tờ trình upward), :mod:`.admin_layout` (the parts of
NĐ 30/2020 they share), :mod:`.signature`, :mod:`.certificate_layout` (certificates on blanks),
:mod:`.person_category`, :mod:`.ids`,
:mod:`.file` (a nomination folded with its linked streams), :mod:`.file_facts`
(service years and findings entered from the files). See
``README.md`` next to this file for what each handler loads.
"""

from .award import AwardState, conferred_event, decide_revoke
from .codes import Code
from .commands import (
    Ballot,
    CandidateBallots,
    ClosePublicNotice,
    Command,
    DecisionOutcome,
    ForwardProposal,
    GrantAwards,
    Nominee,
    OpenPublicNotice,
    RecordCommentResult,
    RecordCouncilVote,
    RecordHigherDecision,
    RejectCandidates,
    ResubmitCandidate,
    RevokeAward,
    SubmitNomination,
    validation_error,
)
from .council import Council, CouncilMember, CouncilRole, SetCouncil, share_reached
from .nomination_steps import (
    QuotaLimit,
    decide_close_notice,
    decide_comment_result,
    decide_forward,
    decide_grant,
    decide_open_notice,
    decide_reject,
    decide_resubmit,
    decide_submit,
    decide_vote,
)
from .documents import (
    MINISTRY,
    DecisionDocument,
    DocumentRecipient,
    Issuer,
    RecipientDetails,
    decision_from_awards,
    decision_from_nomination,
    default_legal_bases,
    docx_text,
    honorific,
    merge_docx,
    render_certificate,
    render_certificates,
    render_decision,
    unit_issuer,
)
from .file import NominationFile, linked_stream_ids
from .file_facts import (
    UNKNOWN_ATTESTATION_KEY,
    RecordAttestation,
    RecordSupplements,
    attestation_keys,
    check_attestation_key,
)
from .history import HistoryEntry, title_and_award_history, title_records
from .ids import award_id_for, prior_award_id, proposal_id_for
from .nomination import CandidateState, CandidateStatus, NominationState, Notice
from .paths import (
    ONE_OFF_FAST_TRACK,
    PATHS,
    CommendationPath,
    FastTrack,
    Procedures,
    path_for,
    procedure_for,
    procedures_for,
)
from .prior import RecordPriorAward, decide_record_prior
from .proposal import ProposalState, decide_record_higher_decision
from .workdays import is_working_day, nth_working_day, working_days

__all__ = [
    "UNKNOWN_ATTESTATION_KEY",
    "NominationFile",
    "RecordAttestation",
    "RecordSupplements",
    "SetCouncil",
    "attestation_keys",
    "check_attestation_key",
    "linked_stream_ids",
    "merge_docx",
    "unit_issuer",
    "MINISTRY",
    "ONE_OFF_FAST_TRACK",
    "PATHS",
    "AwardState",
    "Ballot",
    "CandidateBallots",
    "CandidateState",
    "CandidateStatus",
    "ClosePublicNotice",
    "RecordCommentResult",
    "Code",
    "Command",
    "CommendationPath",
    "Council",
    "CouncilMember",
    "CouncilRole",
    "DecisionDocument",
    "DecisionOutcome",
    "DocumentRecipient",
    "FastTrack",
    "ForwardProposal",
    "GrantAwards",
    "HistoryEntry",
    "Issuer",
    "NominationState",
    "Nominee",
    "Notice",
    "OpenPublicNotice",
    "Procedures",
    "ProposalState",
    "QuotaLimit",
    "RecipientDetails",
    "RecordCouncilVote",
    "RecordHigherDecision",
    "RecordPriorAward",
    "RejectCandidates",
    "ResubmitCandidate",
    "RevokeAward",
    "SubmitNomination",
    "award_id_for",
    "conferred_event",
    "decide_close_notice",
    "decide_comment_result",
    "decide_forward",
    "decide_grant",
    "decide_open_notice",
    "decide_record_higher_decision",
    "decide_record_prior",
    "decide_reject",
    "decide_resubmit",
    "decide_revoke",
    "decide_submit",
    "decide_vote",
    "decision_from_awards",
    "decision_from_nomination",
    "default_legal_bases",
    "docx_text",
    "honorific",
    "is_working_day",
    "nth_working_day",
    "path_for",
    "prior_award_id",
    "procedure_for",
    "procedures_for",
    "proposal_id_for",
    "render_certificate",
    "render_certificates",
    "render_decision",
    "share_reached",
    "title_and_award_history",
    "title_records",
    "validation_error",
    "working_days",
]
