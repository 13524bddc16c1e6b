"""The approver's digital signature (chữ ký số) on a decision's PDF: PAdES with pyHanko, and its verification.

The signing certificate comes from a PKCS#12 file the operator configures (``TDKT_SIGNING_PKCS12_FILE``),
its password from a secret file (``TDKT_SIGNING_PASSWORD_FILE``, owner-only: mode 0600, or the service
refuses to start), or from a PKCS#11 token (:mod:`.signing_token`). The certificates the bundle carries
beside the signer's are its chain: the trust anchors a verification checks an uploaded PDF against
(``TDKT_SIGNING_TRUST_FILE``, PEM, overrides them).

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

from kernel.errors import DomainError
from kernel.settings import read_secret

FIELD_NAME = "ChuKySo"
SIGNING_UNAVAILABLE = "signing_unavailable"


class SigningMisconfigured(ValueError):
    """The operator's signing settings cannot work (a file missing, a secret others can read): no start."""


class SigningUnavailable(DomainError):
    """The configured key cannot sign now (a token absent or refusing its PIN): HTTP 503, the reason said."""

    status = 503

    def __init__(self, message: str, *, retry_after: int | None, **details: object) -> None:
        super().__init__(SIGNING_UNAVAILABLE, message, **details)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Signer:
    """The loaded certificate and key, and the anchors a verification trusts."""

    signer: signers.Signer
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
        raise SigningMisconfigured(f"{variable}: cannot read {path}: {error.strerror}") from error
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SigningMisconfigured(f"{variable}: {path} is readable by others (mode {stat.S_IMODE(mode):o}); chmod 600 it")


def load_signer(pkcs12: Path, password_file: Path, trust_file: Path | None = None) -> Signer:
    """The signer from a PKCS#12 bundle and its password file (both owner-only); a clear error otherwise."""
    require_owner_only(password_file, "TDKT_SIGNING_PASSWORD_FILE")
    require_owner_only(pkcs12, "TDKT_SIGNING_PKCS12_FILE")
    password = read_owner_only_secret(password_file, "TDKT_SIGNING_PASSWORD_FILE")
    signer = signers.SimpleSigner.load_pkcs12(str(pkcs12), passphrase=password.encode())
    if signer is None:
        raise SigningMisconfigured(f"TDKT_SIGNING_PKCS12_FILE: {pkcs12} cannot be opened with that password")
    roots = trust_roots_of(signer, trust_file)
    if not roots:
        raise SigningMisconfigured("the PKCS#12 bundle carries no CA certificate: set TDKT_SIGNING_TRUST_FILE")
    return Signer(signer, roots)


def read_owner_only_secret(path: Path, variable: str) -> str:
    """A secret file's one line, refused when others can read it or it is empty (:class:`SigningMisconfigured`)."""
    require_owner_only(path, variable)
    try:
        return read_secret(path, variable)
    except ValueError as error:
        raise SigningMisconfigured(str(error)) from error


def trust_anchors(trust_file: Path) -> tuple[asn1_x509.Certificate, ...]:
    """The CA certificates of ``TDKT_SIGNING_TRUST_FILE`` (PEM or DER); a clear error when it cannot be read."""
    try:
        roots = tuple(load_certs_from_pemder([str(trust_file)]))
    except (OSError, ValueError) as error:
        raise SigningMisconfigured(f"TDKT_SIGNING_TRUST_FILE: cannot read certificates from {trust_file}: "
                                   f"{error}") from error
    if not roots:
        raise SigningMisconfigured(f"TDKT_SIGNING_TRUST_FILE: {trust_file} holds no certificate")
    return roots


def trust_roots_of(signer: signers.Signer, trust_file: Path | None) -> tuple[asn1_x509.Certificate, ...]:
    """The anchors a verification trusts: the trust file's, else the certificates beside the signer's."""
    if trust_file is not None:
        return trust_anchors(trust_file)
    return tuple(c for c in signer.cert_registry if c.sha256 != signer.signing_cert.sha256)


class SigningKeys:
    """Where the service's signatures come from; this one a PKCS#12 file's key, loaded once at start."""

    def __init__(self, signer: Signer) -> None:
        self._signer = signer

    def signer(self) -> Signer:
        """The signer, ready (SigningUnavailable when it cannot sign now)."""
        return self._signer

    def trust_roots(self) -> tuple[asn1_x509.Certificate, ...]:
        """The anchors a verification trusts."""
        return self._signer.trust_roots

    def sign(self, data: bytes, *, reason: str) -> tuple[bytes, Signer]:
        """``data`` signed (:func:`sign_pdf`), and by whom. Blocking: run it off the event loop."""
        signer = self.signer()
        return sign_pdf(data, signer, reason=reason), signer

    def close(self) -> None:
        """Release what the keys hold (a file's key holds nothing)."""


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
