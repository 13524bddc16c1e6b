"""Stable, machine-readable error codes of the awards workflow.

Every refusal raises a :class:`kernel.errors.DomainError` (HTTP 422),
``NotFound`` (404) or ``Conflict`` (409) whose ``code`` is one of these. The
codes are part of the HTTP API: never rename one; add a new one instead.
"""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Why a workflow command was refused."""

    # input shape (commands.validation_error)
    INVALID_COMMAND = "invalid_command"

    # dates
    YEAR_IN_FUTURE = "year_in_future"
    DATE_IN_FUTURE = "date_in_future"
    DATE_BEFORE_SUBMISSION = "date_before_submission"
    DECISION_BEFORE_VOTE = "decision_before_vote"
    DECISION_BEFORE_PROPOSAL = "decision_before_proposal"
    DATE_BEFORE_DECISION = "date_before_decision"

    # nomination and its candidates
    NOMINATION_EXISTS = "nomination_exists"
    NOMINATION_NOT_FOUND = "nomination_not_found"
    UNKNOWN_CANDIDATE = "unknown_candidate"
    DUPLICATE_CANDIDATE = "duplicate_candidate"
    SUBJECT_NOT_FOUND = "subject_not_found"
    SUBJECT_NOT_FOREIGN = "subject_not_foreign"
    SUBJECT_NOT_HOUSEHOLD = "subject_not_household"
    HOUSEHOLD_NOT_RESUBMITTED = "household_not_resubmitted"
    CANDIDATE_OUTSIDE_UNIT = "candidate_outside_unit"
    DISPLAY_NAME_REQUIRED = "display_name_required"
    WRONG_RECIPIENT_KIND = "wrong_recipient_kind"
    NO_RULE_FOR_YEAR = "no_rule_for_year"
    ASSESSMENT_MISSING = "assessment_missing"
    ASSESSMENT_MISMATCH = "assessment_mismatch"
    CATEGORY_NOT_ALLOWED = "category_not_allowed"
    MOVEMENT_REQUIRED = "movement_required"
    MOVEMENT_ONLY_FOR_THEMATIC = "movement_only_for_thematic"
    DOSSIER_INCOMPLETE = "dossier_incomplete"
    CANDIDATE_NOT_RETURNED = "candidate_not_returned"
    CANDIDATE_NOT_ELIGIBLE = "candidate_not_eligible"
    NO_LONGER_ELIGIBLE = "no_longer_eligible"
    CANDIDATE_ALREADY_DECIDED = "candidate_already_decided"

    # public notice (lấy ý kiến công khai)
    NOTICE_ALREADY_OPEN = "notice_already_open"
    NOTICE_NOT_OPEN = "notice_not_open"
    NOTICE_TOO_SHORT = "notice_too_short"
    NOTICE_PERIOD_NOT_OVER = "notice_period_not_over"
    NOTICE_REQUIRED = "notice_required"
    COMMENT_UNRESOLVED = "comment_unresolved"
    COMMENT_FOUNDED = "comment_founded"
    UNKNOWN_COMMENT = "unknown_comment"
    COMMENT_ALREADY_RESOLVED = "comment_already_resolved"
    RESULT_BEFORE_COMMENT = "result_before_comment"
    CLOSES_ON_REQUIRED = "closes_on_required"

    # council vote
    COUNCIL_MISMATCH = "council_mismatch"
    VOTER_NOT_ON_COUNCIL = "voter_not_on_council"
    DUPLICATE_BALLOT = "duplicate_ballot"
    ALREADY_VOTED = "already_voted"
    VOTE_REQUIRED = "vote_required"
    VOTE_NOT_PASSED = "vote_not_passed"
    NO_QUORUM = "no_quorum"

    # decisions
    BEYOND_POWER = "beyond_power"
    WRONG_AUTHORITY = "wrong_authority"
    NOT_FORWARDABLE = "not_forwardable"
    MIXED_AUTHORITIES = "mixed_authorities"
    AWARD_ALREADY_GRANTED = "award_already_granted"
    AWARD_ALREADY_RECORDED = "award_already_recorded"
    QUOTA_EXCEEDED = "quota_exceeded"
    ISSUER_NOT_COMPETENT = "issuer_not_competent"

    # proposals and awards
    PROPOSAL_NOT_FOUND = "proposal_not_found"
    AWARD_NOT_FOUND = "award_not_found"
    AWARD_ALREADY_REVOKED = "award_already_revoked"

    # the dossier's files (hồ sơ)
    UNKNOWN_DOCUMENT_KIND = "unknown_document_kind"
    UNSUPPORTED_FILE_TYPE = "unsupported_file_type"
    FILE_TOO_LARGE = "file_too_large"
    DOSSIER_TOO_LARGE = "dossier_too_large"
    EMPTY_FILE = "empty_file"
    DOCUMENT_KIND_CHANGED = "document_kind_changed"
    DOCUMENT_NOT_FOUND = "document_not_found"
    DOCUMENT_CORRUPTED = "document_corrupted"
    OVERRIDE_NOT_NEEDED = "override_not_needed"
    ALREADY_ASSIGNED = "already_assigned"

    # rounds and deadlines (workflow/deadlines.py)
    SUBMISSION_DEADLINE_PASSED = "submission_deadline_passed"
    DEADLINE_BEFORE_YEAR = "deadline_before_year"
    MEETING_BEFORE_DEADLINE = "meeting_before_deadline"
