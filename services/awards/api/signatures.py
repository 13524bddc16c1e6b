"""Digital signatures (chữ ký số) on decisions: sign (the approver), download the signed PDF, verify any PDF."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kernel.errors import DomainError
from kernel.service import Service

from ..signatures import DecisionSignatures
from .documents import PDF, AwardCodeQuery, RefPath, docx_response

NOT_A_PDF = "not_a_pdf"


class Signed(BaseModel):
    """A decision just signed: what the event records, and where the signed file is."""

    decision_id: str
    decision_number: str
    sha256: str = Field(description="SHA-256 of the signed PDF, hex.")
    signer: str = Field(description="Who signed, as the certificate names them.")
    path: str = Field(description="The signed PDF: GET this path.")


class VerificationBody(BaseModel):
    """Whether an uploaded PDF is one the Ministry signed and unchanged; ``problems`` says why not."""

    ministry_signed: bool = Field(description="True only when every check below holds.")
    signed: bool = Field(description="The PDF carries a signature.")
    intact: bool = Field(description="The signature's digest matches the bytes it covers.")
    trusted: bool = Field(description="The signer's certificate chains to the Ministry's trust anchor.")
    whole_file: bool = Field(description="The signature covers the whole file (nothing added after it).")
    recorded: bool = Field(description="The file's SHA-256 is one the service recorded when it signed.")
    signer: str | None
    signed_at: datetime | None
    decision_id: str | None
    sha256: str
    problems: list[str]


def router(signatures: DecisionSignatures) -> APIRouter:
    """The signature routes."""
    api = APIRouter(tags=["documents"])

    @api.post(
        "/decisions/{issuer}/{year}/{number}/signature",
        status_code=201,
        summary="Ký số quyết định — sign a decision's PDF with the Ministry's certificate (PAdES)",
        description="The decision's PDF (as `decision.pdf`) signed with the configured certificate; the signed "
        "file kept and `vn.tdkt.awards.decision.signed` recorded (its SHA-256, the signer). Once per decision "
        "(409 `decision_already_signed`); 422 `signing_not_configured` without a certificate; 503 "
        "`signing_unavailable` when the configured PKCS#11 token cannot sign now (not there, PIN refused), "
        "nothing recorded.",
        responses={404: {"description": "decision_not_found"}, 409: {"description": "decision_already_signed"}},
    )
    async def sign(ref: RefPath, request: Request, award_code: AwardCodeQuery = None) -> Signed:
        recorded = await signatures.sign(ref, award_code, Service.metadata(request))
        event = recorded[0].payload
        return Signed(decision_id=event["decision_id"], decision_number=event["decision_number"],
                      sha256=event["sha256"], signer=event["signer"], path=f"{ref.path}/decision.signed.pdf")

    @api.get(
        "/decisions/{issuer}/{year}/{number}/decision.signed.pdf",
        summary="Quyết định đã ký số (PDF) — the decision as signed",
        response_class=Response,
        responses={200: {"content": {PDF: {}}}, 404: {"description": "decision_not_signed"}},
    )
    async def signed_pdf(ref: RefPath) -> Response:
        return docx_response(await signatures.signed_pdf(ref), f"quyet-dinh-{ref.slug}-da-ky.pdf", PDF)

    @api.post(
        "/signatures/verification",
        summary="Kiểm tra chữ ký số — is this PDF one the Ministry signed, unchanged?",
        description="The PDF as the request body (`Content-Type: application/pdf`). Answers 200 with every "
        "check, whatever the outcome; 422 `not_a_pdf` for a body that is not a PDF; 503 `signing_unavailable` "
        "when the trust anchors are the token's and it cannot be opened.",
        openapi_extra={"requestBody": {"required": True, "content": {PDF: {"schema": {"type": "string",
                                                                                       "format": "binary"}}}}},
    )
    async def verify(request: Request) -> VerificationBody:
        data = await request.body()
        if not data.startswith(b"%PDF-"):
            raise DomainError(NOT_A_PDF, "The body is not a PDF (it does not start with %PDF-)")
        answer = await signatures.verify(data)
        return VerificationBody(**{**answer.__dict__, "problems": list(answer.problems)})

    return api
