"""Signing a decision, pure: the event that records a signed PDF, or the refusal (signed once only)."""

from __future__ import annotations

from datetime import date

from tdkt_contracts.catalogue.awards import DecisionSigned

from kernel.errors import Conflict

from .decision_ref import DecisionRef

DECISION_ALREADY_SIGNED = "decision_already_signed"


def decision_id(ref: DecisionRef) -> str:
    """The decision's stream id: ``qd-BCT-2023-3456``."""
    return f"qd-{ref.issuer}-{ref.year}-{ref.number}"


def require_unsigned(ref: DecisionRef, already_signed: bool) -> None:
    """Conflict('decision_already_signed') when the decision was signed: a decision is signed once."""
    if already_signed:
        raise Conflict(DECISION_ALREADY_SIGNED, f"Decision {ref.decision_number} of {ref.year} is signed already",
                       decision_id=decision_id(ref))


def decide_sign(
    ref: DecisionRef, *, award_code: str, sha256: str, size_bytes: int, signer: str, certificate_sha256: str,
    already_signed: bool, today: date, by: str | None,
) -> list[DecisionSigned]:
    """``vn.tdkt.awards.decision.signed`` for the signed PDF of ``ref``; Conflict when it was signed already."""
    require_unsigned(ref, already_signed)
    return [DecisionSigned(
        decision_id=decision_id(ref), issuer=ref.issuer, year=ref.year, number=ref.number,
        decision_number=ref.decision_number, award_code=award_code, sha256=sha256, size_bytes=size_bytes,
        signer=signer, certificate_sha256=certificate_sha256, signed_on=today, signed_by=by,
    )]
