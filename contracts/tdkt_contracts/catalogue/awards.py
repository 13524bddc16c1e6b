"""Public events of the awards context: the path of a dossier from nomination to
decision, the proposals the Ministry forwards to higher authorities, and the
titles and awards finally conferred or revoked.

Event types (version 1 unless said). Subject = the aggregate id, also the Kafka key.

Nomination stream (subject ``nomination_id``), topic ``tdkt.awards.events``:
  ``vn.tdkt.awards.nomination.submitted``            NominationSubmitted
  ``vn.tdkt.awards.nomination.candidate-assessed``   CandidateAssessed (v2, **internal**: ``tdkt.awards.internal``)
  ``vn.tdkt.awards.nomination.candidate-returned``   CandidateReturned (v2, **internal**)
  ``vn.tdkt.awards.nomination.council-voted``        CouncilVoted
  ``vn.tdkt.awards.nomination.notice-opened``        PublicNoticeOpened
  ``vn.tdkt.awards.nomination.notice-closed``        PublicNoticeClosed
  ``vn.tdkt.awards.nomination.comment-resolved``     CommentResolved
  ``vn.tdkt.awards.nomination.candidate-rejected``   CandidateRejected
  ``vn.tdkt.awards.nomination.procedure-checked``    ProcedureChecked (**internal**)
  ``vn.tdkt.awards.nomination.flagged-late``         NominationFlaggedLate (received after its round's deadline)

Proposal stream (subject ``proposal_id``): what the Ministry forwards (trình)
to the Prime Minister, the President or another ministry:
  ``vn.tdkt.awards.proposal.forwarded``              ProposalForwarded
  ``vn.tdkt.awards.proposal.decision-recorded``      HigherDecisionRecorded

Award stream (subject ``award_id``): one conferred title or award:
  ``vn.tdkt.awards.award.granted``                   AwardGranted   (hình thức khen thưởng)
  ``vn.tdkt.awards.award.title-conferred``           TitleConferred (danh hiệu thi đua)
  ``vn.tdkt.awards.award.revoked``                   AwardRevoked

Dossier stream (subject ``dossier_id``, one per nomination), **internal** (``tdkt.awards.internal``):
the files' metadata and hashes (the bytes stay in the awards service) and the office's overrides:
  ``vn.tdkt.awards.dossier.document-attached``       DossierDocumentAttached
  ``vn.tdkt.awards.dossier.completeness-overridden`` DossierCompletenessOverridden
  ``vn.tdkt.awards.dossier.assigned``                DossierAssigned

Round stream (subject ``round_id``, ``round-{year}-{category}``): the office's dates for a nomination round:
  ``vn.tdkt.awards.round.scheduled``                 NominationRoundScheduled (deadline, late rule, council meeting)

Counting what the Ministry did in a year, as its year-end report does:
- *granted by the Ministry*: ``AwardGranted`` / ``TitleConferred`` with
  ``conferred_by_ministry = true`` (the Minister decided);
- *proposed to other authorities*: candidates of ``ProposalForwarded``, by
  ``to_authority`` (and ``to_body`` for another ministry);
- *conferred by them*: ``AwardGranted`` / ``TitleConferred`` with
  ``conferred_by_ministry = false``, which carry the ``proposal_id``.
Awards decided outside the workflow and entered from the files (the history
before the system was used) are the same events with ``nomination_id`` and
``proposal_id`` null.
A revoked award stays counted in its year's history and is reported as revoked.

Names of recipients are in the events: awards are announced publicly. Facts
about discipline never are: the engine's assessment of a candidate and the
reasons a candidate was returned cite grades and discipline, so their version
2 travels on ``tdkt.awards.internal`` (version 1, on the public topic, is
upcast unchanged).
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import ConfigDict, Field

from ..base import EventPart, EventPayload
from ..registry import register, upcaster
from ..vocabulary import Authority, PersonCategory, RecipientKind, SubmittingBody

_AWARD_CODE = (
    "Code of the title or award in the catalogue, e.g. BK_BT (Bằng khen của Bộ trưởng), "
    "CSTD_BO (Chiến sĩ thi đua Bộ), HCLD_3 (Huân chương Lao động hạng Ba)."
)
_AWARD_NAME = "Vietnamese name of the title or award, as the decision writes it."
_YEAR = "Achievement year (năm thành tích) the nomination is for."

Category = Literal["merit", "thematic", "one_off", "long_service", "foreign"]
"""Kind of commendation: khen thưởng công trạng (merit, the annual round), theo chuyên đề
(thematic, tied to a movement), đột xuất (one-off), quá trình cống hiến (long service),
đối ngoại (foreign recipients)."""

AwardKind = Literal["title", "award"]
"""danh hiệu thi đua (title) or hình thức khen thưởng (award form)."""


class Candidate(EventPart):
    """One person or collective put forward in a nomination."""

    candidate_id: str = Field(min_length=1, max_length=64, description="Id of the candidate within the nomination.")
    recipient_kind: RecipientKind = Field(
        description="Cá nhân (individual), tập thể (collective) or hộ gia đình (household, code added within v1)."
    )
    subject_id: str = Field(
        min_length=1, max_length=64,
        description="Person id or unit id in the units context; a foreign recipient's or a household's own id.",
    )
    display_name: str = Field(min_length=1, max_length=255, description="Name with diacritics (họ và tên / tên tập thể).")
    unit_id: str | None = Field(
        default=None,
        description="The unit the candidate belongs to (for a collective: itself; for a household: the unit that "
        "proposes it).",
    )


class DossierDocument(EventPart):
    """One document of the dossier (hồ sơ), as metadata: the file stays with the office."""

    kind: Literal["submission_letter", "achievement_report", "review_minutes", "vote_minutes", "certification", "other"] = (
        Field(description="tờ trình, báo cáo thành tích, biên bản bình xét, biên bản kiểm phiếu, xác nhận, khác.")
    )
    title: str = Field(min_length=1, max_length=500, description="Title of the document.")
    reference: str | None = Field(default=None, max_length=255, description="Number and date, e.g. 123/TTr-VTCCB.")


class CriterionOutcome(EventPart):
    """How one criterion of the rule applied to a candidate."""

    criterion_id: str = Field(description="Id of the criterion in the catalogue.")
    status: Literal["passed", "failed", "unknown"] = Field(description="unknown: a fact was missing.")
    citation: str = Field(description="Legal source applied, e.g. 'Luật Thi đua, khen thưởng 2022, Điều 23'.")
    explanation_vi: str = Field(description="Why, in Vietnamese.")
    explanation_en: str = Field(description="Why, in English.")
    unconfirmed: bool = Field(default=False, description="The rule's text is not confirmed from the legal source.")
    kind: str | None = Field(
        default=None, max_length=64,
        description="What the criterion checks (the engine's criterion kind, e.g. grade_at_least, no_discipline; "
        "limited_review on the foreign path); null in events recorded before it was given.",
    )


class Recipient(EventPart):
    """A candidate as forwarded or decided."""

    candidate_id: str = Field(description="Id of the candidate within its nomination.")
    recipient_kind: RecipientKind = Field(description="Cá nhân, tập thể or hộ gia đình.")
    subject_id: str = Field(description="Person id or unit id; a foreign recipient's or a household's own id.")
    display_name: str = Field(description="Name with diacritics.")
    unit_id: str | None = Field(default=None, description="The candidate's unit.")
    person_category: PersonCategory | None = Field(
        default=None,
        description="For a person: the category of the statistical forms (lãnh đạo cấp bộ, cấp vụ, doanh nhân, "
        "lãnh đạo khác, người trực tiếp), from the post at the time; null when not known (counted as not "
        "classified).",
    )


class _NominationEvent(EventPayload):
    context: ClassVar[str] = "awards"
    subject_field: ClassVar[str] = "nomination_id"

    nomination_id: str = Field(min_length=1, max_length=64, description="Id of the nomination (đề nghị khen thưởng).")


_CANDIDATE_EXAMPLE = {
    "candidate_id": "c-1",
    "recipient_kind": "individual",
    "subject_id": "p-000123",
    "display_name": "Nguyễn Thị Hương",
    "unit_id": "u-vtccb",
}


@register
class NominationSubmitted(_NominationEvent):
    """A unit submitted a batch of candidates for one title or award and year (trình khen thưởng)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.submitted"

    year: int = Field(ge=2000, le=2100, description=_YEAR)
    award_code: str = Field(description=_AWARD_CODE)
    award_name: str = Field(description=_AWARD_NAME)
    award_kind: AwardKind = Field(description="Title (danh hiệu) or award form (hình thức).")
    category: Category = Field(description="Kind of commendation.")
    submitting_unit_id: str = Field(description="The unit that nominates (đơn vị trình).")
    movement_id: str | None = Field(default=None, description="For a thematic award: the movement it crowns.")
    candidates: list[Candidate] = Field(min_length=1, description="The people or collectives put forward.")
    documents: list[DossierDocument] = Field(default_factory=list, description="The dossier's documents (Luật TĐKT Điều 84).")
    submitted_on: date = Field(description="Date the dossier was received.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2023-bkbt-vtccb",
                    "year": 2023,
                    "award_code": "BK_BT",
                    "award_name": "Bằng khen của Bộ trưởng Bộ Công Thương",
                    "award_kind": "award",
                    "category": "merit",
                    "submitting_unit_id": "u-vtccb",
                    "movement_id": None,
                    "candidates": [_CANDIDATE_EXAMPLE],
                    "documents": [
                        {"kind": "submission_letter", "title": "Tờ trình đề nghị khen thưởng năm 2023",
                         "reference": "45/TTr-VTCCB"}
                    ],
                    "submitted_on": "2023-12-08",
                }
            ]
        }
    )


@register
class CandidateAssessedV1(_NominationEvent):
    """The eligibility engine assessed a candidate against the rule in force, criterion by criterion.
    Version 1, published on the public topic; superseded by version 2 on the internal topic (the criteria's
    explanations cite a person's grades and discipline)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.candidate-assessed"

    candidate_id: str = Field(description="The candidate assessed.")
    subject_id: str = Field(description="Person id or unit id.")
    eligible: bool = Field(description="True when every criterion passed.")
    rule_set: str = Field(description="The rule version applied: award code, recipient kind and legal regime.")
    criteria: list[CriterionOutcome] = Field(description="Outcome of each criterion, with its legal citation.")
    unconfirmed_rules: bool = Field(description="Some criterion applied is marked unconfirmed in the catalogue.")
    initiative_ids: list[str] = Field(
        default_factory=list,
        description="Initiatives (sáng kiến, đề tài) this candidate's eligibility rests on; each serves as evidence once.",
    )
    assessed_on: date = Field(description="Date of the assessment.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2023-cstdbo",
                    "candidate_id": "c-1",
                    "subject_id": "p-000123",
                    "eligible": True,
                    "rule_set": "CSTD_BO/individual/LAW2013_ND91",
                    "criteria": [
                        {
                            "criterion_id": "cstdcs-3-nam-lien-tuc",
                            "status": "passed",
                            "citation": "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013), Điều 22",
                            "explanation_vi": "Đạt Chiến sĩ thi đua cơ sở 3 năm liên tục 2021, 2022, 2023.",
                            "explanation_en": "Grassroots Emulation Fighter in 3 consecutive years 2021–2023.",
                            "unconfirmed": False,
                        }
                    ],
                    "unconfirmed_rules": False,
                    "initiative_ids": ["i-2023-0042"],
                    "assessed_on": "2023-12-10",
                }
            ]
        }
    )


@register
class CandidateReturnedV1(_NominationEvent):
    """A candidate was returned to the submitting unit (trả lại hồ sơ) with the reasons; it may resubmit.
    Version 1, published on the public topic; superseded by version 2 on the internal topic (the reasons cite
    a person's grades and discipline)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.candidate-returned"

    candidate_id: str = Field(description="The candidate returned.")
    reasons: list[str] = Field(min_length=1, description="Why, in Vietnamese (from the failed criteria).")
    returned_on: date = Field(description="Date of return.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2024-cstdcs",
                    "candidate_id": "c-2",
                    "reasons": ["Chưa có xếp loại năm 2024 (thiếu dữ liệu)."],
                    "returned_on": "2024-12-12",
                }
            ]
        }
    )


@register
class CandidateAssessed(CandidateAssessedV1):
    """The eligibility engine assessed a candidate against the rule in force, criterion by criterion.
    **Internal** (version 2): each criterion's explanation names the facts it read — a person's grades,
    discipline, years of service — which other systems do not need; the outcome reaches them as the
    decision (``award.granted``, ``candidate-rejected``)."""

    event_version: ClassVar[int] = 2
    audience: ClassVar[str] = "internal"


@register
class CandidateReturned(CandidateReturnedV1):
    """A candidate was returned to the submitting unit (trả lại hồ sơ) with the reasons; it may resubmit.
    **Internal** (version 2): the reasons cite a person's grades and discipline."""

    event_version: ClassVar[int] = 2
    audience: ClassVar[str] = "internal"

    by_office: bool = Field(default=False, description=(
        "True when the office returned it with its own note to the unit (its reasons are that note); false when "
        "the assessment did (its reasons explain failed criteria). Absent in events recorded before it existed."))


@upcaster(CandidateAssessed.event_type, 1)
@upcaster(CandidateReturned.event_type, 1)
def _same_data_on_the_internal_topic(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 has version 1's fields; only the topic changed."""
    return data


class ProcedureCheckOutcome(EventPart):
    """One check of the procedure the law sets (the council's quorum, a title's share quota, who may sign),
    as the workflow found it when the act was recorded. A failed check whose rule is confirmed refuses the
    act, so a recorded one is either met or unconfirmed [U] (a warning)."""

    kind: Literal["council_quorum", "share_quota", "issuer"] = Field(
        description="council_quorum: members present; share_quota: e.g. CSTĐ cơ sở at most 15 % of the unit's "
        "Lao động tiên tiến; issuer: the kind of head who signs."
    )
    met: bool = Field(description="Whether the requirement was met.")
    confidence: Literal["C", "S", "U"] = Field(
        description="C: read in the legal text; S: a secondary source; U: unconfirmed (only warns)."
    )
    limit: int | None = Field(default=None, description="The number required (quorum) or allowed (quota).")
    actual: int | None = Field(default=None, description="The number found.")
    detail_vi: str = Field(description="What was checked and found, in Vietnamese.")
    detail_en: str = Field(description="The same in English.")
    citation: str = Field(description="Legal source applied, e.g. 'Nghị định 91/2017/NĐ-CP, Điều 9, khoản 3'.")


@register
class CouncilVoted(_NominationEvent):
    """The emulation and commendation council (Hội đồng Thi đua – Khen thưởng) voted on a candidate."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.council-voted"

    candidate_id: str = Field(description="The candidate voted on.")
    members_total: int = Field(ge=1, description="All members of the council (the threshold's base).")
    votes_for: int = Field(ge=0, description="Votes for, including written votes of absent members.")
    votes_against: int = Field(ge=0, description="Votes against.")
    written_votes: int = Field(ge=0, description="Of those, votes sent in writing by absent members.")
    threshold: float = Field(ge=0, le=1, description="Required share of all members, e.g. 0.9 for CSTĐ Bộ.")
    council_id: str | None = Field(default=None, description="The council that voted (Hội đồng Thi đua – Khen thưởng).")
    passed: bool = Field(description="votes_for / members_total ≥ threshold.")
    voted_on: date = Field(description="Date of the meeting.")
    procedure_checks: list[ProcedureCheckOutcome] = Field(
        default_factory=list,
        description="The meeting's checks (the quorum: members present, i.e. ballots not sent in writing, "
        "against all members); empty in events recorded before they were made.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2023-cstdbo",
                    "candidate_id": "c-1",
                    "members_total": 11,
                    "votes_for": 10,
                    "votes_against": 1,
                    "written_votes": 2,
                    "threshold": 0.9,
                    "passed": True,
                    "voted_on": "2023-12-20",
                }
            ]
        }
    )


@register
class PublicNoticeOpened(_NominationEvent):
    """The names were published for comment (lấy ý kiến) before the council meets."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.notice-opened"

    candidate_ids: list[str] = Field(min_length=1, description="Candidates published.")
    opened_on: date = Field(description="First day of the notice.")
    closes_on: date = Field(description="Last day comments are received.")
    channel: str = Field(description="Where it was published, e.g. the Ministry's portal moit.gov.vn.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2024-hcld3",
                    "candidate_ids": ["c-1"],
                    "opened_on": "2024-11-04",
                    "closes_on": "2024-11-18",
                    "channel": "Cổng thông tin điện tử Bộ Công Thương",
                }
            ]
        }
    )


class NoticeComment(EventPart):
    """A comment received during a public notice."""

    received_on: date = Field(description="Date received.")
    candidate_id: str | None = Field(default=None, description="The candidate it concerns, if one.")
    summary: str = Field(min_length=1, max_length=2000, description="What it says, in short.")


@register
class PublicNoticeClosed(_NominationEvent):
    """The public notice ended, with the comments received."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.notice-closed"

    closed_on: date = Field(description="Date the notice closed.")
    comments: list[NoticeComment] = Field(default_factory=list, description="Comments received.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"nomination_id": "n-2024-hcld3", "closed_on": "2024-11-18", "comments": []}
            ]
        }
    )


@register
class CommentResolved(_NominationEvent):
    """The verification of a comment received during a public notice ended, with its result.

    Until then the comment is a hold on the candidate it names: no vote, no decision, no proposal
    (NĐ 98/2023 Art. 4, NĐ 152/2025 Art. 4.4: no award while a complaint or allegation is verified).
    """

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.comment-resolved"

    candidate_id: str = Field(description="The candidate the comment names.")
    received_on: date = Field(description="Date the comment was received (identifies it with the candidate).")
    resolved_on: date = Field(description="Date the verification's result was recorded.")
    founded: bool = Field(description="True: the comment was found to be well founded (có cơ sở).")
    result: str = Field(min_length=1, max_length=2000, description="The verification's conclusion, in short.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2024-hcld3",
                    "candidate_id": "c-1",
                    "received_on": "2024-11-12",
                    "resolved_on": "2024-11-25",
                    "founded": False,
                    "result": "Đơn phản ánh không có cơ sở (Báo cáo xác minh số 12/BC-TTr).",
                }
            ]
        }
    )


@register
class ProcedureChecked(_NominationEvent):
    """The procedure checks run when the decider granted (a share quota, who signs), with their outcome;
    recorded beside the award events when there were checks to run. Internal: it names no person but
    belongs to the Ministry's file."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.procedure-checked"
    audience: ClassVar[str] = "internal"

    act: Literal["decision"] = Field(description="The act checked: the decision (quyết định khen thưởng).")
    checked_on: date = Field(description="Date of the act.")
    candidate_ids: list[str] = Field(min_length=1, description="The candidates the act concerned.")
    checks: list[ProcedureCheckOutcome] = Field(min_length=1, description="Each check and its outcome.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2023-cstdcs",
                    "act": "decision",
                    "checked_on": "2023-12-20",
                    "candidate_ids": ["c-1", "c-2"],
                    "checks": [
                        {
                            "kind": "share_quota",
                            "met": True,
                            "confidence": "S",
                            "limit": 3,
                            "actual": 2,
                            "detail_vi": "CSTDCS 2 / tối đa 3 (15% của 20 LDTT): đạt.",
                            "detail_en": "CSTDCS 2 / at most 3 (15% of 20 LDTT): within.",
                            "citation": "Nghị định 91/2017/NĐ-CP, Điều 9, khoản 3",
                        }
                    ],
                }
            ]
        }
    )


@register
class CandidateRejected(_NominationEvent):
    """The decider declined a candidate (không khen thưởng)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.candidate-rejected"

    candidate_id: str = Field(description="The candidate rejected.")
    reason: str = Field(min_length=1, description="Why, in Vietnamese.")
    decided_on: date = Field(description="Date of the decision.")
    authority: Authority = Field(description="Who decided.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2023-cstdbo",
                    "candidate_id": "c-3",
                    "reason": "Không đạt tỷ lệ phiếu đồng ý của Hội đồng (dưới 90%).",
                    "decided_on": "2023-12-25",
                    "authority": "minister",
                }
            ]
        }
    )


class _ProposalEvent(EventPayload):
    context: ClassVar[str] = "awards"
    subject_field: ClassVar[str] = "proposal_id"

    proposal_id: str = Field(min_length=1, max_length=64, description="Id of the proposal (tờ trình lên cấp trên).")


@register
class ProposalForwarded(_ProposalEvent):
    """The Ministry forwarded candidates to a higher authority or another ministry (trình cấp trên)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.proposal.forwarded"

    nomination_id: str = Field(description="The nomination the candidates come from.")
    year: int = Field(ge=2000, le=2100, description=_YEAR)
    award_code: str = Field(description=_AWARD_CODE)
    award_name: str = Field(description=_AWARD_NAME)
    award_kind: AwardKind = Field(description="Title or award form.")
    category: Category = Field(description="Kind of commendation.")
    to_authority: Authority = Field(description="Thủ tướng Chính phủ, Chủ tịch nước or another ministry.")
    to_body: str = Field(description="The body addressed, e.g. 'Bộ Giáo dục và Đào tạo', 'Ban Thi đua – Khen thưởng Trung ương'.")
    recipients: list[Recipient] = Field(min_length=1, description="Candidates forwarded.")
    submission_number: str = Field(description="Number of the Ministry's submission (tờ trình), e.g. 1234/TTr-BCT.")
    forwarded_on: date = Field(description="Date forwarded.")
    submitted_by: SubmittingBody | None = Field(
        default=None,
        description="Who issued the tờ trình (bo_nganh: this Ministry or another central body; tinh: a "
        "province); null when not recorded.",
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "proposal_id": "pr-2023-ngnd",
                    "nomination_id": "n-2023-ngnd",
                    "year": 2023,
                    "award_code": "NGND",
                    "award_name": "Nhà giáo nhân dân",
                    "award_kind": "title",
                    "category": "merit",
                    "to_authority": "president",
                    "to_body": "Hội đồng Xét tặng danh hiệu Nhà giáo nhân dân, Nhà giáo ưu tú cấp Nhà nước",
                    "recipients": [
                        {"candidate_id": "c-1", "recipient_kind": "individual", "subject_id": "p-004512",
                         "display_name": "Trần Văn Phúc", "unit_id": "u-dhcnhn"}
                    ],
                    "submission_number": "512/TTr-BCT",
                    "forwarded_on": "2023-06-15",
                }
            ]
        }
    )


class RecipientOutcome(EventPart):
    """What the higher authority decided for one forwarded candidate."""

    candidate_id: str = Field(description="The candidate.")
    outcome: Literal["conferred", "declined"] = Field(description="Conferred (tặng) or declined.")
    award_id: str | None = Field(default=None, description="For conferred: the award's id (see AwardGranted).")


@register
class HigherDecisionRecorded(_ProposalEvent):
    """The higher authority's decision came back and was recorded."""

    event_type: ClassVar[str] = "vn.tdkt.awards.proposal.decision-recorded"

    decided_by: Authority = Field(description="Who decided.")
    decision_number: str = Field(description="Decision number, e.g. 2187/QĐ-CTN, 1520/QĐ-TTg.")
    decision_date: date = Field(description="Date of the decision.")
    outcomes: list[RecipientOutcome] = Field(min_length=1, description="Outcome per forwarded candidate.")
    recorded_on: date = Field(description="Date the office recorded it.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "proposal_id": "pr-2023-ngnd",
                    "decided_by": "president",
                    "decision_number": "1356/QĐ-CTN",
                    "decision_date": "2023-11-10",
                    "outcomes": [{"candidate_id": "c-1", "outcome": "conferred", "award_id": "a-2023-ngnd-1"}],
                    "recorded_on": "2023-11-15",
                }
            ]
        }
    )


class _AwardEvent(EventPayload):
    context: ClassVar[str] = "awards"
    subject_field: ClassVar[str] = "award_id"

    award_id: str = Field(min_length=1, max_length=64, description="Id of the conferred title or award.")


class _Conferred(_AwardEvent):
    year: int = Field(ge=2000, le=2100, description=_YEAR)
    award_code: str = Field(description=_AWARD_CODE)
    award_name: str = Field(description=_AWARD_NAME)
    category: Category = Field(description="Kind of commendation.")
    recipient: Recipient = Field(description="Who receives it.")
    nomination_id: str | None = Field(
        default=None,
        description="The nomination it came from; null for an award entered from the files "
        "(decided before this system was used, or without a proposal through it).",
    )
    proposal_id: str | None = Field(default=None, description="For an award conferred by a higher authority: the proposal.")
    movement_id: str | None = Field(default=None, description="For a thematic award: the movement it crowns.")
    authority: Authority = Field(description="Who decided (cấp quyết định).")
    conferred_by_ministry: bool = Field(description="True when the Minister (or a unit head) decided; false when a higher authority did.")
    decision_number: str = Field(description="Decision number, e.g. 3456/QĐ-BCT.")
    decision_date: date = Field(description="Date of the decision.")
    signer: str | None = Field(default=None, description="Who signed, with the title, e.g. 'Bộ trưởng Nguyễn Hồng Diên'.")
    cash_multiple: float | None = Field(default=None, ge=0, description="Cash award as a multiple of the base salary (NĐ 152 Art. 50–54).")
    initiative_ids: list[str] = Field(default_factory=list, description="Initiatives used as evidence (each serves once).")
    submitted_by: SubmittingBody | None = Field(
        default=None,
        description="For an award a higher authority conferred: who issued the tờ trình (bo_nganh: this "
        "Ministry or another central body; tinh: a province); null when not recorded.",
    )


_CONFERRED_EXAMPLE = {
    "award_id": "a-2023-bkbt-0001",
    "year": 2023,
    "award_code": "BK_BT",
    "award_name": "Bằng khen của Bộ trưởng Bộ Công Thương",
    "category": "merit",
    "recipient": _CANDIDATE_EXAMPLE,
    "nomination_id": "n-2023-bkbt-vtccb",
    "proposal_id": None,
    "authority": "minister",
    "conferred_by_ministry": True,
    "decision_number": "3456/QĐ-BCT",
    "decision_date": "2023-12-28",
    "signer": "Bộ trưởng Nguyễn Hồng Diên",
    "cash_multiple": 1.0,
    "initiative_ids": [],
}


@register
class AwardGranted(_Conferred):
    """An award form (hình thức khen thưởng: Bằng khen, Huân chương, Kỷ niệm chương …) was conferred."""

    event_type: ClassVar[str] = "vn.tdkt.awards.award.granted"

    model_config = ConfigDict(json_schema_extra={"examples": [_CONFERRED_EXAMPLE]})


@register
class TitleConferred(_Conferred):
    """An emulation title (danh hiệu thi đua: Chiến sĩ thi đua, Lao động tiên tiến, Nhà giáo nhân dân …) was conferred."""

    event_type: ClassVar[str] = "vn.tdkt.awards.award.title-conferred"

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    **_CONFERRED_EXAMPLE,
                    "award_id": "a-2023-cstdbo-0001",
                    "award_code": "CSTD_BO",
                    "award_name": "Chiến sĩ thi đua Bộ Công Thương",
                    "cash_multiple": 3.0,
                    "initiative_ids": ["i-2023-0042"],
                }
            ]
        }
    )


@register
class AwardRevoked(_AwardEvent):
    """A conferred title or award was revoked (thu hồi, hủy bỏ quyết định khen thưởng)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.award.revoked"

    reason: str = Field(min_length=1, description="Why: fraud, false dossier, criteria later found unmet (Luật TĐKT Chương VII).")
    decision_number: str = Field(description="Number of the revocation decision.")
    revoked_on: date = Field(description="Date of the revocation decision.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "award_id": "a-2023-bkbt-0001",
                    "reason": "Hồ sơ đề nghị khen thưởng kê khai không trung thực thành tích.",
                    "decision_number": "215/QĐ-BCT",
                    "revoked_on": "2024-03-05",
                }
            ]
        }
    )


# --------------------------------------------------------------------------- the dossier's files (hồ sơ)

DocumentKind = Literal[
    "to_trinh", "bao_cao_thanh_tich", "bien_ban_hoi_dong", "chung_nhan_sang_kien", "xac_nhan_dot_xuat", "other"
]
"""A file of a dossier: tờ trình, báo cáo thành tích, biên bản họp Hội đồng, chứng nhận sáng kiến / đề tài,
xác nhận thành tích đột xuất, khác (Luật TĐKT 2022, Điều 84)."""


class _DossierEvent(EventPayload):
    context: ClassVar[str] = "awards"
    subject_field: ClassVar[str] = "dossier_id"
    # File names and titles name people ("Báo cáo thành tích – Nguyễn Thị Hương"): by need only (NĐ 13/2023).
    audience: ClassVar[str] = "internal"

    dossier_id: str = Field(min_length=1, max_length=64, description="Id of the dossier's stream (hồ sơ), one per nomination.")
    nomination_id: str = Field(min_length=1, max_length=64, description="The nomination (đề nghị khen thưởng) it belongs to.")


@register
class DossierDocumentAttached(_DossierEvent):
    """A file was attached to a nomination's dossier (đính kèm hồ sơ); a replaced file is a new version.
    **Internal**: the metadata and the SHA-256 only, never the bytes (they stay in the awards service)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.dossier.document-attached"

    document_id: str = Field(min_length=1, max_length=64, description="The document; its versions share this id.")
    version: int = Field(ge=1, description="1 for the first file, +1 for each replacement (the old versions are kept).")
    kind: DocumentKind = Field(description="to_trinh, bao_cao_thanh_tich, bien_ban_hoi_dong, chung_nhan_sang_kien, "
                               "xac_nhan_dot_xuat or other.")
    candidate_id: str | None = Field(default=None, max_length=64,
                                     description="The candidate it is for, where the law asks per candidate; null: the whole dossier.")
    title: str = Field(min_length=1, max_length=500, description="Title of the document (trích yếu).")
    file_name: str = Field(min_length=1, max_length=255, description="The file's name as uploaded (kept for the download).")
    media_type: Literal["application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                        "image/png", "image/jpeg"] = Field(description="The type found in the content (never the client's claim).")
    size_bytes: int = Field(ge=1, description="Size of the file in bytes.")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the content, hex: checked on every download.")
    attached_on: date = Field(description="Business day of the upload.")
    attached_by: str | None = Field(default=None, max_length=255, description="Token subject of who uploaded it.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dossier_id": "d-0f6c8a52-4a0e-5d57-9c1e-2b7f3d1a9e41",
                    "nomination_id": "n-2023-cstdcs-vtccb",
                    "document_id": "doc-1",
                    "version": 1,
                    "kind": "chung_nhan_sang_kien",
                    "candidate_id": "c-1",
                    "title": "Giấy chứng nhận sáng kiến cấp Bộ – Nguyễn Thị Hương",
                    "file_name": "chung-nhan-sang-kien.pdf",
                    "media_type": "application/pdf",
                    "size_bytes": 48213,
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "attached_on": "2023-11-20",
                    "attached_by": "officer-vtccb",
                }
            ]
        }
    )


@register
class DossierCompletenessOverridden(_DossierEvent):
    """The emulation office let an incomplete dossier go on (to the public notice, the council) with a reason."""

    event_type: ClassVar[str] = "vn.tdkt.awards.dossier.completeness-overridden"

    missing: list[str] = Field(description="What was missing when overridden, e.g. ['c-1: chung_nhan_sang_kien'].")
    reason: str = Field(min_length=1, max_length=2000, description="Why the office lets it go on (lý do).")
    overridden_on: date = Field(description="Business day of the override.")
    overridden_by: str | None = Field(default=None, max_length=255, description="Token subject of who overrode.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dossier_id": "d-0f6c8a52-4a0e-5d57-9c1e-2b7f3d1a9e41",
                    "nomination_id": "n-2023-cstdcs-vtccb",
                    "missing": ["c-1: chung_nhan_sang_kien"],
                    "reason": "Giấy chứng nhận sáng kiến đang chờ Hội đồng khoa học cấp Bộ ký; đơn vị cam kết bổ sung.",
                    "overridden_on": "2023-11-25",
                    "overridden_by": "office-tdkt",
                }
            ]
        }
    )


@register
class DossierAssigned(_DossierEvent):
    """The emulation office handed a nomination's dossier to one of its specialists (chuyên viên) to appraise."""

    event_type: ClassVar[str] = "vn.tdkt.awards.dossier.assigned"

    assignee_id: str = Field(min_length=1, max_length=255, description="Token subject of the specialist (chuyên viên).")
    assignee_name: str | None = Field(default=None, max_length=255, description="The specialist's name, with diacritics.")
    note: str | None = Field(default=None, max_length=2000, description="What to look at (ghi chú).")
    assigned_on: date = Field(description="Business day of the assignment.")
    assigned_by: str | None = Field(default=None, max_length=255, description="Token subject of who assigned it.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "dossier_id": "d-0f6c8a52-4a0e-5d57-9c1e-2b7f3d1a9e41",
                    "nomination_id": "n-2023-cstdcs-vtccb",
                    "assignee_id": "cv-thu-trang",
                    "assignee_name": "Phạm Thu Trang",
                    "note": "Thẩm định hồ sơ Chiến sĩ thi đua cơ sở, đối chiếu chứng nhận sáng kiến.",
                    "assigned_on": "2023-11-21",
                    "assigned_by": "truong-phong-tdkt",
                }
            ]
        }
    )


# --------------------------------------------------------------------------- rounds and deadlines


LateRule = Literal["refuse", "flag"]
"""What a round does with a dossier received after its deadline: refuse it, or accept it flagged late."""


class _RoundEvent(EventPayload):
    context: ClassVar[str] = "awards"
    subject_field: ClassVar[str] = "round_id"

    round_id: str = Field(min_length=1, max_length=64, description="Id of the round: 'round-{year}-{category}'.")


@register
class NominationRoundScheduled(_RoundEvent):
    """The emulation office set (or moved) a nomination round's dates (đợt xét khen thưởng): by when the units'
    dossiers must arrive, what happens to a late one, and when the council is to meet."""

    event_type: ClassVar[str] = "vn.tdkt.awards.round.scheduled"

    year: int = Field(ge=2000, le=2100, description=_YEAR)
    category: Category = Field(description="The path the round is for (merit: the annual round).")
    title: str = Field(min_length=1, max_length=255, description="e.g. 'Xét khen thưởng tổng kết năm 2023'.")
    submission_deadline: date = Field(description="The last day a unit's dossier is received (hạn nộp hồ sơ).")
    late_rule: LateRule = Field(description="refuse: a later dossier is refused; flag: accepted and flagged late.")
    council_meeting_on: date | None = Field(default=None, description="The day the council is to meet, if set.")
    scheduled_on: date = Field(description="Business day the office recorded these dates.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "round_id": "round-2023-merit",
                    "year": 2023,
                    "category": "merit",
                    "title": "Xét khen thưởng tổng kết năm 2023",
                    "submission_deadline": "2023-12-15",
                    "late_rule": "refuse",
                    "council_meeting_on": "2024-01-10",
                    "scheduled_on": "2023-11-01",
                }
            ]
        }
    )


@register
class NominationFlaggedLate(_NominationEvent):
    """A dossier arrived after its round's deadline and the round accepts late ones flagged (nộp muộn)."""

    event_type: ClassVar[str] = "vn.tdkt.awards.nomination.flagged-late"

    round_id: str = Field(min_length=1, max_length=64, description="The round whose deadline it missed.")
    submission_deadline: date = Field(description="The round's deadline when the dossier arrived.")
    submitted_on: date = Field(description="The day the dossier was received.")
    days_late: int = Field(ge=1, description="Calendar days after the deadline.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nomination_id": "n-2023-bkbt-vtccb",
                    "round_id": "round-2023-merit",
                    "submission_deadline": "2023-12-15",
                    "submitted_on": "2023-12-18",
                    "days_late": 3,
                }
            ]
        }
    )


# --------------------------------------------------------------------------- signed decisions (chữ ký số)


@register
class DecisionSigned(EventPayload):
    """The approver signed a decision's PDF with the Ministry's certificate (PAdES): the signed file's hash and
    the signer, so anyone holding the PDF can check it is the one signed (the bytes stay in the awards service).

    A decision is identified by its issuer, year and number: numbers restart every year (NĐ 30/2020)."""

    context: ClassVar[str] = "awards"
    subject_field: ClassVar[str] = "decision_id"
    event_type: ClassVar[str] = "vn.tdkt.awards.decision.signed"

    decision_id: str = Field(min_length=1, max_length=64,
                             description="The decision's stream: 'qd-<issuer>-<year>-<number>', e.g. qd-BCT-2023-3456.")
    issuer: str = Field(min_length=1, max_length=32, description="The ký hiệu's issuer: BCT, a unit's code.")
    year: int = Field(ge=1945, le=2100, description="The year of the decision's date (its number's register).")
    number: str = Field(min_length=1, max_length=8, description="The number in that year's register: 3456.")
    decision_number: str = Field(min_length=1, max_length=64, description="As printed: 3456/QĐ-BCT.")
    award_code: str = Field(description=_AWARD_CODE)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the signed PDF, hex.")
    size_bytes: int = Field(ge=1, description="Size of the signed PDF in bytes.")
    signer: str = Field(min_length=1, max_length=255, description="Who signed, as the certificate names them (CN).")
    certificate_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="Fingerprint of the signing certificate.")
    signed_on: date = Field(description="Business day of the signature.")
    signed_by: str | None = Field(default=None, max_length=255, description="Token subject of who asked to sign.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "decision_id": "qd-BCT-2023-3456",
                    "issuer": "BCT",
                    "year": 2023,
                    "number": "3456",
                    "decision_number": "3456/QĐ-BCT",
                    "award_code": "BK_BT",
                    "sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    "size_bytes": 61234,
                    "signer": "Nguyễn Hồng Diên",
                    "certificate_sha256": "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae",
                    "signed_on": "2023-12-28",
                    "signed_by": "approver-bo-truong",
                }
            ]
        }
    )
