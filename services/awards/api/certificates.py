"""Certificates on pre-printed blanks: the layouts (reference data, kept by the office), the calibration page,
and the certificates as PDF, one page per recipient (:mod:`services.awards.workflow.certificate_layout`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kernel.errors import Conflict
from kernel.limits import BUSY, Gate, off_loop
from kernel.service import Service

from ..handlers import AwardsHandlers
from ..projections import certificate_layouts
from ..workflow import Code, DecisionDocument
from ..workflow.certificate_layout import DEFAULT_LAYOUT, CertificateLayout, render_calibration, render_on_blank
from .documents import PDF, AwardCodeQuery, IssuerPath, RefPath, docx_response

AwardCodePath = Annotated[str, Path(min_length=1, max_length=32, description="The award code, e.g. BK_BT.")]


class LayoutView(BaseModel):
    """A blank's layout, and whether it is the built-in default (none recorded yet)."""

    award_code: str
    issuer: str
    default: bool = Field(description="True: no layout recorded for this blank; the built-in one applies.")
    layout: CertificateLayout


def router(handlers: AwardsHandlers) -> APIRouter:
    """The certificate layout and blank-printing routes."""
    documents = Gate("certificate", total=2, per_person=1)
    api = APIRouter(tags=["documents"], responses=BUSY)

    async def layout(award_code: str, issuer: str) -> LayoutView:
        handlers.catalogue.entry(award_code)  # NotFound('unknown_award')
        raw = await handlers.read(lambda conn: certificate_layouts.layout_of(conn, award_code, issuer))
        return LayoutView(award_code=award_code, issuer=issuer, default=raw is None,
                          layout=CertificateLayout.model_validate(raw) if raw is not None else DEFAULT_LAYOUT)

    @api.put(
        "/certificate-layouts/{award_code}/{issuer}",
        tags=["reference data"],
        summary="Bố cục phôi bằng khen — where each field prints on the blank of an award code and issuer",
        description="Each field's box from the page's top left corner (x, y, width, height in mm), its font "
        "(serif, sans), size, weight and alignment. `issuer`: BCT for the Minister's blanks, a unit's code "
        "for a unit head's.",
    )
    async def put_layout(award_code: AwardCodePath, issuer: IssuerPath, body: CertificateLayout,
                         request: Request) -> LayoutView:
        handlers.catalogue.entry(award_code)
        metadata = Service.metadata(request)
        await handlers.transactions.run(
            lambda uow: certificate_layouts.set_layout(uow.conn, award_code, issuer, body.model_dump(mode="json"),
                                                       handlers.today(), metadata.actor_id),
            metadata,
        )
        return await layout(award_code, issuer)

    @api.get("/certificate-layouts/{award_code}/{issuer}", tags=["reference data"],
             summary="Bố cục phôi bằng khen — the layout in force (recorded, or the built-in default)")
    async def get_layout(award_code: AwardCodePath, issuer: IssuerPath) -> LayoutView:
        return await layout(award_code, issuer)

    @api.get(
        "/certificate-layouts/{award_code}/{issuer}/calibration.pdf",
        summary="Trang căn chỉnh phôi — every field's box drawn and named, to lay over a blank",
        response_class=Response, responses={200: {"content": {PDF: {}}}},
        dependencies=[Depends(documents.dependency())],
    )
    async def calibration(award_code: AwardCodePath, issuer: IssuerPath) -> Response:
        view = await layout(award_code, issuer)
        return docx_response(await off_loop(render_calibration, view.layout), f"can-chinh-{award_code}-{issuer}.pdf", PDF)

    async def on_blanks(doc: DecisionDocument, revoked: set[str], filename: str) -> Response:
        kept = [r for r in doc.recipients if r.award_id not in revoked]
        if not kept:
            raise Conflict(Code.AWARD_ALREADY_REVOKED, f"Every award of decision {doc.decision_number} was revoked",
                           decision_number=doc.decision_number)
        view = await layout(doc.award_code, doc.issuer.symbol)
        return docx_response(await off_loop(render_on_blank, view.layout, doc, kept), filename, PDF)

    @api.get(
        "/decisions/{issuer}/{year}/{number}/certificates.pdf",
        summary="In bằng khen trên phôi (PDF) — every certificate of a decision, one page per recipient",
        description="Only the variable fields, at the positions of the blank's layout (award code, issuer); "
        "revoked awards get none.",
        response_class=Response, responses={200: {"content": {PDF: {}}}, 404: {"description": "decision_not_found"}},
        dependencies=[Depends(documents.dependency())],
    )
    async def certificates_pdf(ref: RefPath, award_code: AwardCodeQuery = None) -> Response:
        doc, revoked = await handlers.decision(ref.decision_number, award_code, ref.year)
        return await on_blanks(doc, revoked, f"bang-khen-{ref.slug}.pdf")

    @api.get(
        "/awards/{award_id}/certificate.pdf",
        summary="In bằng khen của một người trên phôi (PDF)",
        response_class=Response, responses={200: {"content": {PDF: {}}}, 404: {"description": "award_not_found"}},
        dependencies=[Depends(documents.dependency())],
    )
    async def certificate_pdf(award_id: Annotated[str, Path(min_length=1, max_length=64)]) -> Response:
        doc, award = await handlers.award_decision(award_id)
        if award.revoked:
            raise Conflict(Code.AWARD_ALREADY_REVOKED, f"Award {award_id} was revoked on {award.revoked_on}",
                           award_id=award_id)
        mine = [r for r in doc.recipients if r.award_id == award_id]  # numbered in the whole decision's order
        view = await layout(doc.award_code, doc.issuer.symbol)
        return docx_response(await off_loop(render_on_blank, view.layout, doc, mine), f"bang-khen-{award_id}.pdf", PDF)

    return api
