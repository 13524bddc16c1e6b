"""The approver's digital signature (chữ ký số) on a decision's PDF: PAdES with pyHanko, and its verification.

The signing certificate comes from a PKCS#12 file the operator configures (``TDKT_SIGNING_PKCS12_FILE``),
its password from a secret file (``TDKT_SIGNING_PASSWORD_FILE``, owner-only: mode 0600, or the service
refuses to start). The certificates the bundle carries beside the signer's are its chain: the trust
anchors a verification checks an uploaded PDF against (``TDKT_SIGNING_TRUST_FILE``, PEM, overrides them).

A PDF is "one the Ministry signed and unchanged" when all of these hold: it has a PAdES signature whose
digest matches the bytes it covers (intact), made by a certificate that chains to a trust anchor (trusted),
covering the whole file (nothing appended after it), and the file's SHA-256 is one the service recorded
when it signed (``vn.tdkt.awards.decision.signed``).
"""

from __future__ import annotations

import io
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from kernel.settings import read_secret

FIELD_NAME = "ChuKySo"


class SigningNotConfigured(Exception):
    """No signing certificate is configured."""


@dataclass(frozen=True)
class Signer:
    """The loaded certificate and key, and the anchors a verification trusts."""

    signer: signers.SimpleSigner
    trust_roots: tuple[asn1_x509.Certificate, ...]

    @property
    def subject(self) -> str:
        """The signer as its certificate names it (CN, title)."""
        cert = self.signer.signing_cert
        return cert.subject.native.get("common_name", cert.subject.human_friendly)

    @property
    def certificate_sha256(self) -> str:
        """The signing certificate's fingerprint."""
        return self.signer.signing_cert.sha256.hex()


def require_owner_only(path: Path, variable: str) -> None:
    """Refuse a secret file others can read or write (it must be 0600 or stricter)."""
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise ValueError(f"{variable}: cannot read {path}: {error.strerror}") from error
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise ValueError(f"{variable}: {path} is readable by others (mode {stat.S_IMODE(mode):o}); chmod 600 it")


def load_signer(pkcs12: Path, password_file: Path, trust_file: Path | None = None) -> Signer:
    """The signer from a PKCS#12 bundle and its password file (both owner-only); a clear error otherwise."""
    require_owner_only(password_file, "TDKT_SIGNING_PASSWORD_FILE")
    require_owner_only(pkcs12, "TDKT_SIGNING_PKCS12_FILE")
    password = read_secret(password_file, "TDKT_SIGNING_PASSWORD_FILE")
    signer = signers.SimpleSigner.load_pkcs12(str(pkcs12), passphrase=password.encode())
    if signer is None:
        raise ValueError(f"TDKT_SIGNING_PKCS12_FILE: {pkcs12} cannot be opened with that password")
    chain = [c for c in signer.cert_registry if c.sha256 != signer.signing_cert.sha256]
    roots = tuple(load_certs_from_pemder([str(trust_file)])) if trust_file else tuple(chain)
    if not roots:
        raise ValueError("the PKCS#12 bundle carries no CA certificate: set TDKT_SIGNING_TRUST_FILE")
    return Signer(signer, roots)


def sign_pdf(data: bytes, signer: Signer, *, reason: str, location: str = "Hà Nội") -> bytes:
    """``data`` with a PAdES signature (baseline B) of ``signer`` over the whole file."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason, location=location, name=signer.subject,
    )
    out = signers.PdfSigner(meta, signer=signer.signer).sign_pdf(writer)
    return out.getvalue()


@dataclass(frozen=True)
class Verification:
    """What a verification found; ``problems`` says why a PDF is not one the Ministry signed."""

    signed: bool
    intact: bool
    trusted: bool
    whole_file: bool
    signer: str | None
    signed_at: datetime | None
    problems: tuple[str, ...]


def verify_pdf(data: bytes, trust_roots: tuple[asn1_x509.Certificate, ...]) -> Verification:
    """Check the PDF's signatures against ``trust_roots`` (the record of what was signed is the caller's)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except Exception as error:  # pyHanko raises many kinds for a damaged file; each means "not valid"
        return Verification(False, False, False, False, None, None, (f"not a readable PDF: {error}",))
    if not embedded:
        return Verification(False, False, False, False, None, None, ("the PDF carries no signature",))
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    sig = embedded[-1]
    try:
        status = validate_pdf_signature(sig, context)
    except Exception as error:  # a broken signature dictionary or CMS: invalid, said so
        return Verification(True, False, False, False, None, None, (f"the signature cannot be checked: {error}",))
    problems = []
    if not status.intact or not status.valid:
        problems.append("the signed bytes were changed (the digest does not match)")
    if not status.trusted:
        problems.append("the signer's certificate does not chain to the Ministry's trust anchor")
    whole = status.coverage is SignatureCoverageLevel.ENTIRE_FILE
    if not whole:
        problems.append("the signature does not cover the whole file (something was added after signing)")
    cert = status.signing_cert
    return Verification(
        signed=True, intact=bool(status.intact and status.valid), trusted=bool(status.trusted), whole_file=whole,
        signer=cert.subject.native.get("common_name") if cert is not None else None,
        signed_at=status.signer_reported_dt, problems=tuple(problems),
    )
