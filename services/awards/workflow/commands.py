"""Commands of the awards workflow: pydantic models that are also the HTTP request bodies.

A command checks its own shape (ids, lengths, enum values, at least one
candidate, no candidate twice). Rules that need the current state, the
catalogue, the council or today's date are checked by the ``decide_*``
functions, which raise :class:`kernel.errors.DomainError` with a stable code
from :class:`~.codes.Code`.

Dates of recorded acts (a submission, a meeting, a decision) are in the
command, as the act's own date; "today" is never in a command: the handler
passes it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, ValidationError, model_validator
from tdkt_contracts import ContractModel
from tdkt_contracts.catalogue.awards import Category, DossierDocument, NoticeComment
from tdkt_contracts.vocabulary import Authority, RecipientKind

from kernel.errors import DomainError
from kernel.ids import SubjectId
from kernel.text import CheckedCommand, Name, ShortText

from ..domain.vocabulary import ContributionKind, IssuerKind
from .codes import Code

Id = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s/]+$")]
"""An id: no spaces or slashes (it appears in URLs)."""


def listed_once(values: list[str]) -> list[str]:
    """``values``, or ValueError naming those listed more than once."""
    seen: set[str] = set()
    twice = sorted({v for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]
    if twice:
        raise ValueError(f"listed more than once: {', '.join(twice)}")
    return values


MAX_CANDIDATES = 1000
"""Candidates one nomination (and so one decision's annex) may hold."""
CandidateIds = Annotated[list[Id], Field(min_length=1, max_length=MAX_CANDIDATES), AfterValidator(listed_once)]
DecisionNumber = Annotated[str, Field(min_length=1, max_length=64, description="e.g. '3456/QĐ-BCT'.")]
Year = Annotated[int, Field(ge=2000, le=2100, description="Achievement year (năm thành tích).")]


class Command(CheckedCommand):
    """Base of every command: unknown fields refused, immutable, text NFC-normalised, trimmed and bounded."""

    @classmethod
    def parse(cls, data: Any) -> Self:
        """Validate ``data`` (a dict or JSON text) or raise DomainError('invalid_command') saying why."""
        try:
            if isinstance(data, (str, bytes)):
                return cls.model_validate_json(data)
            return cls.model_validate(data)
        except ValidationError as error:
            raise validation_error(error) from None


def validation_error(error: ValidationError | list[dict[str, Any]]) -> DomainError:
    """One DomainError('invalid_command') for a failed validation; ``details['errors']`` lists each problem."""
    items = error.errors() if isinstance(error, ValidationError) else error
    problems = [
        {
            "field": ".".join(str(p) for p in item.get("loc", ()) if p != "body"),
            "type": item.get("type", "value_error"),
            "message": item.get("msg", ""),
        }
        for item in items
    ]
    message = "; ".join(f"{p['field'] or 'body'}: {p['message']}" for p in problems) or "invalid command"
    return DomainError(Code.INVALID_COMMAND, message, errors=problems)


# --------------------------------------------------------------------------- nomination


def _only_known_fields(model: type[BaseModel]) -> BeforeValidator:
    """A command refuses fields the part does not have (the event's readers ignore them: contracts/README.md)."""

    def check(value: Any) -> Any:
        if isinstance(value, dict) and (unknown := sorted(set(value) - set(model.model_fields))):
            raise ValueError(f"unknown fields: {', '.join(unknown)}")
        return value

    return BeforeValidator(check)


DocumentInput = Annotated[DossierDocument, _only_known_fields(DossierDocument)]
CommentInput = Annotated[NoticeComment, _only_known_fields(NoticeComment)]


MAX_CONTRIBUTIONS = 50
"""Contributions one household's nomination may state."""


class ContributionInput(ContractModel):
    """One contribution of a household as its nomination states it (đóng góp về công sức, đất đai, tài sản)."""

    kind: ContributionKind = Field(description="cong_suc (công sức), dat_dai (đất đai) or tai_san (tài sản).")
    year: Year
    description: ShortText = Field(description="What was given, e.g. 'Hiến 120 m² đất làm đường liên thôn'.")
    value_vnd: int | None = Field(
        default=None, ge=0, le=10**15, description="Its value in đồng, if the file states one."
    )


class HouseholdInput(ContractModel):
    """What a household's nomination says of it: it has no record in the units context."""

    address: ShortText | None = Field(default=None, description="Its commune or ward (xã, phường), optional.")
    contributions: list[ContributionInput] = Field(
        default_factory=list, max_length=MAX_CONTRIBUTIONS,
        description="What it contributed; none stated leaves the contribution criterion unmet (the council judges).",
    )


class Nominee(ContractModel):
    """A candidate as the submitting unit puts it forward."""

    candidate_id: Id = Field(description="Id of the candidate within the nomination, e.g. 'c-1'.")
    recipient_kind: RecipientKind = Field(
        description="Cá nhân (individual), tập thể (collective) or hộ gia đình (household)."
    )
    subject_id: SubjectId = Field(
        description="Person or unit id in the units context; for a foreign recipient or a household, its own id."
    )
    display_name: Name | None = Field(
        default=None,
        description=(
            "Name with diacritics. For a person or unit of the Ministry the name of record (from the units "
            "context, through the assessment) is used; required for a foreign recipient and a household "
            "(e.g. 'Hộ ông Nguyễn Văn A')."
        ),
    )
    household: HouseholdInput | None = Field(
        default=None, description="For a household (and only for one): its address and contributions."
    )

    @model_validator(mode="after")
    def _household_facts_for_households_only(self) -> Nominee:
        is_household = self.recipient_kind is RecipientKind.HOUSEHOLD
        if is_household and self.household is None:
            raise ValueError("a household nominee states its household facts (household: address, contributions)")
        if not is_household and self.household is not None:
            raise ValueError("household facts are for a household nominee only")
        return self


class SubmitNomination(Command):
    """A unit submits a batch of candidates for one award and year, with its dossier (trình khen thưởng)."""

    nomination_id: Id
    year: Year
    award_code: str = Field(min_length=1, max_length=32, description="Catalogue code, e.g. 'BK_BT', 'CSTD_BO'.")
    category: Category = Field(default="merit", description="merit, thematic, one_off, long_service or foreign.")
    submitting_unit_id: SubjectId = Field(description="The unit that nominates (đơn vị trình).")
    movement_id: Id | None = Field(default=None, description="For a thematic award: the movement it crowns.")
    candidates: list[Nominee] = Field(min_length=1, max_length=MAX_CANDIDATES)
    documents: list[DocumentInput] = Field(
        default_factory=list, description="The dossier (Law Art. 84), as metadata."
    )
    submitted_on: date = Field(description="Date the dossier was received.")

    @model_validator(mode="after")
    def _candidates_once(self) -> SubmitNomination:
        listed_once([c.candidate_id for c in self.candidates])
        listed_once([c.subject_id for c in self.candidates])
        return self


class ResubmitCandidate(Command):
    """The unit resubmits a returned candidate after fixing the facts; the engine assesses it again."""

    nomination_id: Id
    candidate_id: Id
    resubmitted_on: date


class ReturnCandidate(Command):
    """The office returns an eligible candidate to its unit with a reason (trả lại hồ sơ); the unit fixes and
    resubmits (``ResubmitCandidate``)."""

    nomination_id: Id
    candidate_id: Id
    reason: str = Field(min_length=1, max_length=2000, description="Why, in Vietnamese (what to fix or add).")
    returned_on: date


class OpenPublicNotice(Command):
    """Publish candidates' names for comment before the council meets (lấy ý kiến công khai)."""

    nomination_id: Id
    candidate_ids: CandidateIds
    opened_on: date = Field(description="First day of the notice.")
    closes_on: date | None = Field(
        default=None,
        description="Last day comments are received; by default the day the required working days are complete.",
    )
    channel: ShortText = Field(default="Cổng thông tin điện tử Bộ Công Thương", description="Where it is published.")


class ClosePublicNotice(Command):
    """The open notice ends; the comments received are recorded."""

    nomination_id: Id
    closed_on: date
    comments: list[CommentInput] = Field(default_factory=list)


class RecordCommentResult(Command):
    """The verification of a comment naming a candidate ended: record its result, lifting the hold."""

    nomination_id: Id
    candidate_id: Id
    received_on: date = Field(description="Date the comment was received, as recorded when the notice closed.")
    resolved_on: date
    founded: bool = Field(description="True: the comment was found to be well founded (có cơ sở).")
    result: str = Field(min_length=1, max_length=2000, description="The verification's conclusion, in short.")


class Ballot(ContractModel):
    """One member's vote on one candidate."""

    member_id: Id
    approve: bool = Field(description="True: đồng ý; false: không đồng ý.")
    in_writing: bool = Field(default=False, description="An absent member's written vote (phiếu gửi bằng văn bản).")


class CandidateBallots(ContractModel):
    """The ballots cast on one candidate."""

    candidate_id: Id
    ballots: list[Ballot] = Field(default_factory=list)


class RecordCouncilVote(Command):
    """The council's vote at one meeting, per candidate (biên bản kiểm phiếu)."""

    nomination_id: Id
    council_id: Id
    voted_on: date = Field(description="Date of the meeting.")
    results: list[CandidateBallots] = Field(min_length=1)

    @model_validator(mode="after")
    def _candidates_once(self) -> RecordCouncilVote:
        listed_once([r.candidate_id for r in self.results])
        return self


MinistryDecider = Literal[Authority.UNIT_HEAD, Authority.MINISTER]
"""Who decides inside the Ministry; a higher authority's decision is recorded on its proposal."""


class GrantAwards(Command):
    """The decider grants the award to candidates (quyết định khen thưởng)."""

    nomination_id: Id
    candidate_ids: CandidateIds
    authority: MinistryDecider = Field(description="Who signs: the Minister, or the head of a unit.")
    decision_number: DecisionNumber
    decision_date: date
    signer: ShortText = Field(description="e.g. 'Bộ trưởng Nguyễn Hồng Diên'.")
    issuer: IssuerKind | None = Field(
        default=None,
        description="For an award the law lets only some heads sign (Giấy khen, Law 2022 Art. 75, 80): the kind "
        "of head who signs — legal_entity_head, enterprise_director, board_chair. Not stated: the check is "
        "recorded as not made (a warning).",
    )


class RejectCandidates(Command):
    """The decider declines candidates (không khen thưởng) with the reason."""

    nomination_id: Id
    candidate_ids: CandidateIds
    authority: MinistryDecider
    reason: str = Field(min_length=1, max_length=2000, description="Why, in Vietnamese.")
    decided_on: date


class ForwardProposal(Command):
    """The Ministry forwards candidates to the competent authority (trình Thủ tướng, Chủ tịch nước, bộ khác)."""

    nomination_id: Id
    candidate_ids: CandidateIds
    submission_number: DecisionNumber = Field(description="Number of the Ministry's submission, e.g. '512/TTr-BCT'.")
    forwarded_on: date
    to_body: ShortText | None = Field(default=None, description="The body addressed; by default the rule's submit_to.")


class DecisionOutcome(ContractModel):
    """What the higher authority decided for one forwarded candidate."""

    candidate_id: Id
    outcome: Literal["conferred", "declined"]


class RecordHigherDecision(Command):
    """The higher authority's decision came back; record it (and the awards it confers)."""

    proposal_id: Id
    decided_by: Authority
    decision_number: DecisionNumber = Field(description="e.g. '1356/QĐ-CTN', '1520/QĐ-TTg'.")
    decision_date: date
    signer: str | None = Field(default=None, max_length=255)
    outcomes: list[DecisionOutcome] = Field(min_length=1)
    recorded_on: date

    @model_validator(mode="after")
    def _candidates_once(self) -> RecordHigherDecision:
        listed_once([o.candidate_id for o in self.outcomes])
        return self


class RevokeAward(Command):
    """Revoke a conferred title or award (thu hồi, hủy bỏ quyết định khen thưởng), with its reason."""

    award_id: Id
    authority: Authority = Field(description="Who decides the revocation: the authority that conferred it.")
    reason: str = Field(min_length=1, max_length=2000)
    decision_number: DecisionNumber
    revoked_on: date


__all__ = [
    "Ballot",
    "CandidateBallots",
    "ClosePublicNotice",
    "RecordCommentResult",
    "Command",
    "DecisionOutcome",
    "ForwardProposal",
    "GrantAwards",
    "MinistryDecider",
    "Nominee",
    "OpenPublicNotice",
    "RecordCouncilVote",
    "RecordHigherDecision",
    "RejectCandidates",
    "ResubmitCandidate",
    "RevokeAward",
    "SubmitNomination",
    "listed_once",
    "validation_error",
]
