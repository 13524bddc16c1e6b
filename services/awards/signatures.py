"""Signing a decision's PDF and answering whether a PDF is one the Ministry signed (:mod:`.signing`).

The approver signs a decision once: its PDF (:mod:`.workflow.decision_pdf`) gets the PAdES signature of the
configured certificate (a PKCS#12 file's or a token's key: :class:`.signing.SigningKeys`); the signed file is kept (``signed_decisions``) and ``vn.tdkt.awards.decision.signed``
records its SHA-256 and the signer, in one transaction. A verification takes any PDF: the signature checked
(intact, trusted, whole file) and the file's hash looked up among those recorded.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from kernel.errors import DomainError, NotFound
from kernel.eventstore import Metadata, RecordedEvent
from kernel.limits import off_loop
from kernel.unit_of_work import UnitOfWork

from .handlers import AwardsHandlers
from .projections import signatures
from .signing import SigningKeys, verify_pdf
from .workflow.decision_pdf import render_decision_pdf
from .workflow.decision_ref import DecisionRef
from .workflow.signature import decide_sign, decision_id, require_unsigned

SIGNING_NOT_CONFIGURED = "signing_not_configured"
DECISION_NOT_SIGNED = "decision_not_signed"


@dataclass(frozen=True)
class VerificationAnswer:
    """Whether a PDF is one the Ministry signed and unchanged, and why not."""

    ministry_signed: bool
    signed: bool
    intact: bool
    trusted: bool
    whole_file: bool
    recorded: bool
    signer: str | None
    signed_at: datetime | None
    decision_id: str | None
    sha256: str
    problems: tuple[str, ...]


@dataclass
class DecisionSignatures:
    """Signatures over the awards handlers' decisions; ``keys`` None when no certificate is configured."""

    handlers: AwardsHandlers
    keys: SigningKeys | None

    def _keys(self) -> SigningKeys:
        if self.keys is None:
            raise DomainError(SIGNING_NOT_CONFIGURED, "No signing certificate is configured "
                              "(TDKT_SIGNING_PKCS12_FILE, or a token: TDKT_SIGNING_PKCS11_MODULE)")
        return self.keys

    async def sign(self, ref: DecisionRef, award_code: str | None, metadata: Metadata) -> list[RecordedEvent]:
        """Sign the decision's PDF and record it; Conflict('decision_already_signed') the second time,
        SigningUnavailable (503) when the token cannot sign now."""
        keys = self._keys()
        stream = decision_id(ref)
        doc, _ = await self.handlers.decision(ref.decision_number, award_code, ref.year)  # NotFound, ambiguous
        # Refused before signing for nothing; checked again under the lock.
        require_unsigned(ref, await self.handlers.read(lambda conn: signatures.signed_content(conn, stream)) is not None)
        reason = f"Ký ban hành Quyết định số {ref.decision_number} ngày {doc.decision_date:%d/%m/%Y}"
        signed, signer = await off_loop(lambda: keys.sign(render_decision_pdf(doc), reason=reason))
        digest = hashlib.sha256(signed).hexdigest()

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(stream)
            events = decide_sign(
                ref, award_code=doc.award_code, sha256=digest, size_bytes=len(signed), signer=signer.subject,
                certificate_sha256=signer.certificate_sha256,
                already_signed=await signatures.signed_content(uow.conn, stream) is not None,  # signed meanwhile?
                today=self.handlers.today(), by=metadata.actor_id,
            )
            recorded = await uow.append(events)
            await signatures.store_signed(uow.conn, stream, digest, signer.subject, events[0].signed_on, signed)
            return recorded

        return await self.handlers.transactions.run(work, metadata)

    async def signed_pdf(self, ref: DecisionRef) -> bytes:
        """The signed PDF as kept; NotFound('decision_not_signed')."""
        stream = decision_id(ref)
        content = await self.handlers.read(lambda conn: signatures.signed_content(conn, stream))
        if content is None:
            raise NotFound(DECISION_NOT_SIGNED, f"Decision {ref.decision_number} of {ref.year} is not signed",
                           decision_id=stream)
        return bytes(content)

    async def verify(self, data: bytes) -> VerificationAnswer:
        """Whether ``data`` is a PDF the Ministry signed and nobody changed since."""
        keys = self._keys()
        digest = hashlib.sha256(data).hexdigest()
        found = await off_loop(lambda: verify_pdf(data, keys.trust_roots()))  # a token's anchors may open it
        row = await self.handlers.read(lambda conn: signatures.signed_by_hash(conn, digest))
        problems = list(found.problems)
        if row is None:
            problems.append("this file is not one the Ministry's service signed (its SHA-256 is not recorded)")
        recorded = row is not None
        return VerificationAnswer(
            ministry_signed=recorded and found.intact and found.trusted and found.whole_file,
            signed=found.signed, intact=found.intact, trusted=found.trusted, whole_file=found.whole_file,
            recorded=recorded, signer=found.signer, signed_at=found.signed_at,
            decision_id=row["decision_id"] if row else None, sha256=digest, problems=tuple(problems),
        )
