"""DOCX documents of the Ministry's decisions: the draft decision, the decision as granted, the certificates.

The texts are built by the pure :mod:`services.awards.workflow.documents`; the
handlers load what they print beyond the events — the honorific (Ông / Bà,
from the person's sex), the position and the unit's name on the day, from the
units replica — and pick the issuer: the Minister, or the head of the
submitting unit for what the law leaves to a unit head (Giấy khen, Lao động
tiên tiến, Chiến sĩ thi đua cơ sở).

Only decisions the Ministry takes are produced: for an award the Ministry
forwards upward (Huân chương, Bằng khen của Thủ tướng, NGND …) the decision
is the higher authority's own document (422 ``not_ministry_decision``).

Decision numbers contain a slash (``3456/QĐ-BCT``): the routes take the
number as the rest of the path, e.g.
``GET /decisions/3456/QĐ-BCT/certificates.docx`` (percent-encode the "Đ").
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from kernel.errors import Conflict
from kernel.limits import BUSY, Gate, off_loop

from ..handlers import AwardsHandlers
from ..workflow import Code, merge_docx, render_certificate, render_decision

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(data: bytes, filename: str) -> Response:
    """A DOCX download; the file name in ASCII and, for Vietnamese, RFC 5987."""
    ascii_name = filename.encode("ascii", "ignore").decode() or "document.docx"
    return Response(
        content=data,
        media_type=DOCX,
        headers={
            "Content-Disposition": f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
        },
    )


def _slug(number: str) -> str:
    return number.replace("/", "-")


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
        "/decisions/{decision_number:path}/decision.docx",
        summary="Quyết định khen thưởng (DOCX) — the Ministry's decision as granted, with its annex",
        description="`award_code` chooses when one number confers several codes (`decision_ambiguous`).",
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
        kept = [r for r in doc.recipients if r.award_id not in revoked]
        if not kept:
            raise Conflict(Code.AWARD_ALREADY_REVOKED, f"Every award of decision {decision_number} was revoked",
                           decision_number=decision_number)
        data = await off_loop(lambda: merge_docx([render_certificate(doc, r) for r in kept],
                                                 f"{doc.award_name} — Quyết định số {decision_number}"))
        return docx_response(data, f"bang-khen-{_slug(decision_number)}.docx")

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
