"""Documents of the Ministry: the draft decision, the decision as granted, the certificates, the tờ trình upward.

The texts are built by the pure :mod:`services.awards.workflow.documents`; the
handlers load what they print beyond the events — the honorific (Ông / Bà,
from the person's sex), the position and the unit's name on the day, from the
units replica — and pick the issuer: the Minister, or the head of the
submitting unit for what the law leaves to a unit head (Giấy khen, Lao động
tiên tiến, Chiến sĩ thi đua cơ sở).

Only decisions the Ministry takes are produced: for an award the Ministry
forwards upward (Huân chương, Bằng khen của Thủ tướng, NGND …) the decision
is the higher authority's own document (422 ``not_ministry_decision``); what
the Ministry sends up is its tờ trình, ``GET /proposals/{id}/submission.docx``
and ``.pdf`` (:mod:`services.awards.workflow.submission`).

Every document route is a query, open to every role as the nominations and
proposals are (kernel.auth); a document prints of a person only what a
decision publishes — name, Ông/Bà, position, unit, awards — never grades,
discipline or a date of birth (kernel.privacy).

A decision is identified by its issuer, year and number
(:mod:`services.awards.workflow.decision_ref`): numbers restart every year, so
``GET /decisions/BCT/2023/3456/decision.docx`` is the decision ``3456/QĐ-BCT``
of 2023; ``GET /decisions?year=2023`` lists the year's decisions with their
paths. The routes by the number alone (``/decisions/3456/QĐ-BCT/…``, the
number as the rest of the path, "Đ" percent-encoded) still answer for a
number used in one year only, and 422 ``decision_ambiguous`` naming each
decision's path otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kernel.errors import Conflict
from kernel.limits import BUSY, Gate, off_loop

from ..handlers import AwardsHandlers
from ..projections import history
from ..workflow import Code, DecisionDocument, merge_docx, render_certificate, render_decision
from ..workflow.decision_pdf import render_decision_pdf
from ..workflow.decision_ref import ISSUER_PATTERN, SERIAL_PATTERN, DecisionRef, ref_or_none
from ..workflow.submission import render_submission, render_submission_pdf

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def docx_response(data: bytes, filename: str, media_type: str = DOCX) -> Response:
    """A DOCX (or PDF) download; the file name in ASCII and, for Vietnamese, RFC 5987."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "document.docx"
    return Response(
        content=data,
        media_type=media_type,
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        },
    )


def _slug(number: str) -> str:
    return number.replace("/", "-")


class DecisionListed(BaseModel):
    """One decision of the year, and where its documents are."""

    issuer: str | None = Field(description="The ký hiệu's issuer (BCT, a unit's code); null for a number in "
                                           "another shape, reached by its number alone.")
    year: int
    number: str = Field(description="The number in the year's register, or the whole number when not parsed.")
    decision_number: str = Field(description="As printed: 3456/QĐ-BCT.")
    decision_date: date
    award_code: str
    award_name: str
    awards: int = Field(description="How many awards it conferred (revoked ones included).")
    path: str = Field(description="Its documents: {path}/decision.docx, {path}/certificates.docx.")


IssuerPath = Annotated[str, Path(pattern=ISSUER_PATTERN, description="The ký hiệu's issuer: BCT, a unit's code.")]
YearPath = Annotated[int, Path(ge=1945, le=2100, description="The year of the decision's date.")]
SerialPath = Annotated[str, Path(pattern=SERIAL_PATTERN, description="The number in that year's register.")]
AwardCodeQuery = Annotated[str | None, Query(max_length=32, description="The code, when a decision confers several.")]


def path_ref(issuer: IssuerPath, year: YearPath, number: SerialPath) -> DecisionRef:
    """The decision a route's ``{issuer}/{year}/{number}`` names."""
    return DecisionRef(issuer=issuer, year=year, number=number)


RefPath = Annotated[DecisionRef, Depends(path_ref)]
ProposalPath = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[^\s/]+$", description="The proposal.")]


def _certificates(doc: DecisionDocument, revoked: set[str]) -> bytes:
    """The certificates of a decision's awards not revoked, one per page; Conflict if every one was."""
    kept = [r for r in doc.recipients if r.award_id not in revoked]
    if not kept:
        raise Conflict(Code.AWARD_ALREADY_REVOKED, f"Every award of decision {doc.decision_number} was revoked",
                       decision_number=doc.decision_number)
    return merge_docx([render_certificate(doc, r) for r in kept], f"{doc.award_name} — Quyết định số {doc.decision_number}")


def router(handlers: AwardsHandlers) -> APIRouter:
    """The document routes."""
    # A decision's annex or certificates run to hundreds of pages: a few documents at a time, one per person.
    documents = Gate("document", total=2, per_person=1)
    api = APIRouter(tags=["documents"], dependencies=[Depends(documents.dependency())], responses=BUSY)

    @api.get(
        "/nominations/{nomination_id}/draft-decision.docx",
        summary="Dự thảo quyết định khen thưởng (DOCX) — the draft decision for a nomination",
        description=(
            "The decision to sign, marked DỰ THẢO and without a number, with its annex (danh sách kèm theo): "
            "by default every candidate assessed eligible and not yet decided, or those named by `candidate_id`. "
            "Issued by the Minister, or by the head of the submitting unit for what the law leaves to a unit "
            "head. 422 `not_ministry_decision` for an award the Ministry forwards upward; 422 "
            "`nothing_to_decide` when no candidate is open."
        ),
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "nomination_not_found, unknown_candidate"}},
    )
    async def draft_decision(
        nomination_id: Annotated[str, Path(min_length=1, max_length=64)],
        candidate_id: Annotated[
            list[str] | None, Query(description="Candidates to include; default: those eligible.")
        ] = None,
    ) -> Response:
        doc = await handlers.draft_decision(nomination_id, candidate_id)
        return docx_response(await off_loop(render_decision, doc), f"du-thao-quyet-dinh-{nomination_id}.docx")

    @api.get(
        "/nominations/{nomination_id}/draft-decision.pdf",
        summary="Dự thảo quyết định khen thưởng (PDF) — the draft decision, laid out as NĐ 30/2020 sets it",
        description="The same draft as `draft-decision.docx`, as PDF.",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}, 404: {"description": "nomination_not_found, unknown_candidate"}},
    )
    async def draft_decision_pdf(
        nomination_id: Annotated[str, Path(min_length=1, max_length=64)],
        candidate_id: Annotated[
            list[str] | None, Query(description="Candidates to include; default: those eligible.")
        ] = None,
    ) -> Response:
        doc = await handlers.draft_decision(nomination_id, candidate_id)
        return docx_response(await off_loop(render_decision_pdf, doc), f"du-thao-quyet-dinh-{nomination_id}.pdf", PDF)

    @api.get(
        "/decisions",
        summary="Các quyết định khen thưởng trong năm — the year's decisions, each with its documents' path",
        description="The decisions the Ministry or a unit head took (dated) in `year`; those of higher "
        "authorities are theirs. By date, then number.",
    )
    async def decisions(year: Annotated[int, Query(ge=1945, le=2100)]) -> list[DecisionListed]:
        rows = await handlers.read(lambda conn: history.decisions_of_year(conn, year))
        listed = []
        for row in rows:
            ref = ref_or_none(row["decision_number"], row["decision_date"])
            listed.append(DecisionListed(
                issuer=ref.issuer if ref else None, year=year, number=ref.number if ref else row["decision_number"],
                decision_number=row["decision_number"], decision_date=row["decision_date"],
                award_code=row["award_code"], award_name=row["award_name"], awards=row["awards"],
                path=ref.path if ref else f"/decisions/{row['decision_number']}",
            ))
        return listed

    async def by_ref(ref: DecisionRef, award_code: str | None) -> tuple[DecisionDocument, set[str]]:
        return await handlers.decision(ref.decision_number, award_code, ref.year)

    @api.get(
        "/decisions/{issuer}/{year}/{number}/decision.docx",
        summary="Quyết định khen thưởng (DOCX) — a decision by issuer, year and number, with its annex",
        description="`/decisions/BCT/2023/3456/decision.docx` is 3456/QĐ-BCT of 2023. `award_code` chooses "
        "when one decision confers several codes (`decision_ambiguous`).",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "decision_not_found"}},
    )
    async def decision_by_ref(
        ref: RefPath, award_code: AwardCodeQuery = None,
    ) -> Response:
        doc, _ = await by_ref(ref, award_code)
        return docx_response(await off_loop(render_decision, doc), f"quyet-dinh-{ref.slug}.docx")

    @api.get(
        "/decisions/{issuer}/{year}/{number}/decision.pdf",
        summary="Quyết định khen thưởng (PDF) — a decision laid out as Nghị định 30/2020/NĐ-CP sets it",
        description="The DOCX's words on A4 (margins 20/20/30/15 mm), the Quốc hiệu on one line, rules under "
        "the agency and the tiêu ngữ, fonts embedded; with its annex. `award_code` as for the DOCX.",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}, 404: {"description": "decision_not_found"}},
    )
    async def decision_pdf(
        ref: RefPath, award_code: AwardCodeQuery = None,
    ) -> Response:
        doc, _ = await by_ref(ref, award_code)
        return docx_response(await off_loop(render_decision_pdf, doc), f"quyet-dinh-{ref.slug}.pdf", PDF)

    @api.get(
        "/decisions/{issuer}/{year}/{number}/certificates.docx",
        summary="Bằng khen, giấy chứng nhận (DOCX) — every certificate of a decision (issuer, year, number)",
        description="One certificate per recipient, in the annex's order; revoked awards get none.",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "decision_not_found"}},
    )
    async def certificates_by_ref(
        ref: RefPath, award_code: AwardCodeQuery = None,
    ) -> Response:
        doc, revoked = await by_ref(ref, award_code)
        return docx_response(await off_loop(_certificates, doc, revoked), f"bang-khen-{ref.slug}.docx")

    @api.get(
        "/decisions/{decision_number:path}/decision.docx",
        summary="Quyết định khen thưởng (DOCX) — the Ministry's decision as granted, with its annex",
        description="By the number alone: for a number used in one year only; 422 `decision_ambiguous` with each "
        "decision's path when numbers repeat across years (prefer `/decisions/{issuer}/{year}/{number}/…`). "
        "`award_code` chooses when one number confers several codes.",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "decision_not_found"}},
    )
    async def decision(
        decision_number: str,
        award_code: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Response:
        doc = await handlers.decision_of(decision_number, award_code)
        return docx_response(await off_loop(render_decision, doc), f"quyet-dinh-{_slug(decision_number)}.docx")

    @api.get(
        "/decisions/{decision_number:path}/certificates.docx",
        summary="Bằng khen, giấy chứng nhận (DOCX) — every certificate of a decision, one per page",
        description="One certificate per recipient, in the annex's order; revoked awards get none.",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "decision_not_found"}},
    )
    async def certificates(
        decision_number: str,
        award_code: Annotated[str | None, Query(max_length=32)] = None,
    ) -> Response:
        doc, revoked = await handlers.decision(decision_number, award_code)
        return docx_response(await off_loop(_certificates, doc, revoked), f"bang-khen-{_slug(decision_number)}.docx")

    @api.get(
        "/proposals/{proposal_id}/submission.docx",
        summary="Tờ trình đề nghị khen thưởng (DOCX) — the Ministry's submission upward of a proposal",
        description=(
            "The tờ trình the Ministry sent with a proposal (its number and date as forwarded): Kính gửi the "
            "Prime Minister (through the Ministry of Home Affairs) for his awards and the President's, the State "
            "council or the other ministry the proposal names; the legal bases, the council's vote, what is "
            "proposed, the Minister's signature block and Nơi nhận; then the list of recipients with position, "
            "unit, achievement and votes in favour."
        ),
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "proposal_not_found"}},
        tags=["proposals"],
    )
    async def submission(proposal_id: ProposalPath) -> Response:
        doc = await handlers.submission(proposal_id)
        return docx_response(await off_loop(render_submission, doc), f"to-trinh-{_slug(doc.submission_number)}.docx")

    @api.get(
        "/proposals/{proposal_id}/submission.pdf",
        summary="Tờ trình đề nghị khen thưởng (PDF) — the submission upward, laid out as NĐ 30/2020 sets it",
        description="The same tờ trình as `submission.docx`, as PDF (A4, the decision's heading and margins, fonts "
        "embedded).",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}, 404: {"description": "proposal_not_found"}},
        tags=["proposals"],
    )
    async def submission_pdf(proposal_id: ProposalPath) -> Response:
        doc = await handlers.submission(proposal_id)
        return docx_response(await off_loop(render_submission_pdf, doc), f"to-trinh-{_slug(doc.submission_number)}.pdf",
                             PDF)

    @api.get(
        "/awards/{award_id}/certificate.docx",
        summary="Bằng khen, giấy chứng nhận của một người (DOCX) — one recipient's certificate",
        response_class=Response,
        responses={200: {"content": {DOCX: {}}}, 404: {"description": "award_not_found"}},
    )
    async def certificate(award_id: Annotated[str, Path(min_length=1, max_length=64)]) -> Response:
        doc, award = await handlers.award_decision(award_id)
        if award.revoked:
            raise Conflict(Code.AWARD_ALREADY_REVOKED, f"Award {award_id} was revoked on {award.revoked_on}",
                           award_id=award_id)
        recipient = next(r for r in doc.recipients if r.award_id == award_id)
        return docx_response(await off_loop(render_certificate, doc, recipient), f"bang-khen-{award_id}.docx")

    return api
