"""The approver's key on a PKCS#11 token (a USB token, a smart card, an HSM): decisions signed with pyHanko's
PKCS#11 signer, the key never leaving the device.

The operator names the vendor's PKCS#11 module (``TDKT_SIGNING_PKCS11_MODULE``), the token (its label, or its
slot's index), the key's label (and the certificate's, when it differs) and a file holding the user PIN
(``TDKT_SIGNING_PKCS11_PIN_FILE``, owner-only like the PKCS#12 password file). Settings that cannot work — the
module or the PIN file missing, the PIN file readable by others — stop the service at start, saying which.
A token that cannot sign now does not: the rest of the awards service has nothing to do with the token, so
it starts, logs why (``awards.signing.token_unavailable``), and signing answers 503 ``signing_unavailable``:

- the token absent (not plugged in, the HSM unreachable) or failing mid-signature: opened again on the next
  signature (``Retry-After``), so plugging it in is enough;
- the PIN refused: never tried again with the same PIN, since a token locks itself after a few wrong PINs
  (a restart loop would lock it); the PIN file is read again at each try, so correcting it is enough.

One session is kept open and used by one signature at a time (a PKCS#11 session runs one operation at once).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import structlog
from asn1crypto import x509 as asn1_x509
from pkcs11 import PKCS11Error, Session
from pkcs11.exceptions import PinIncorrect, PinLocked
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.general import SigningError
from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

from .signing import (
    Signer,
    SigningKeys,
    SigningMisconfigured,
    SigningUnavailable,
    read_owner_only_secret,
    sign_pdf,
    trust_anchors,
    trust_roots_of,
)

log = structlog.get_logger("awards.signing")

PIN_VARIABLE = "TDKT_SIGNING_PKCS11_PIN_FILE"
RETRY_SECONDS = 30
"""When a client may try again after the token was absent (``Retry-After``)."""


@dataclass(frozen=True)
class TokenConfig:
    """Which token, which key on it, and where its PIN is; ``slot_index`` counts the module's slots from 0."""

    module: Path
    pin_file: Path
    key_label: str
    token_label: str | None = None
    slot_index: int | None = None
    cert_label: str | None = None

    def check(self) -> None:
        """Refuse settings that cannot work (:class:`SigningMisconfigured`), before any token is touched."""
        if not self.module.is_file():
            raise SigningMisconfigured(f"TDKT_SIGNING_PKCS11_MODULE: {self.module} is not a file (the token "
                                       "vendor's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so)")
        if self.token_label is None and self.slot_index is None:
            raise SigningMisconfigured("TDKT_SIGNING_PKCS11_TOKEN_LABEL or TDKT_SIGNING_PKCS11_SLOT is required "
                                       "with TDKT_SIGNING_PKCS11_MODULE")
        read_owner_only_secret(self.pin_file, PIN_VARIABLE)

    @property
    def token(self) -> str:
        """The token as the settings name it, for messages."""
        return f"label {self.token_label!r}" if self.token_label is not None else f"slot index {self.slot_index}"


class TokenKeys(SigningKeys):
    """The signer on a PKCS#11 token: opened at start if it can be, again after the token was away."""

    def __init__(self, config: TokenConfig, trust_file: Path | None = None) -> None:
        config.check()
        self.config = config
        self._trust = trust_anchors(trust_file) if trust_file is not None else None
        self._lock = threading.Lock()
        self._signer: Signer | None = None
        self._session: Session | None = None
        self._refused_pin: str | None = None

    def open_at_start(self) -> None:
        """Open the token now, so the first signature is quick; when it cannot sign, log why and go on."""
        try:
            signer = self.signer()
        except SigningUnavailable as error:
            log.error("awards.signing.token_unavailable", reason=error.message, module=str(self.config.module),
                      token=self.config.token)
        else:
            log.info("awards.signing.token_ready", signer=signer.subject, token=self.config.token)

    def signer(self) -> Signer:
        """The token's signer, the session opened if needed (SigningUnavailable when it cannot sign now)."""
        with self._lock:
            return self._open()

    def trust_roots(self) -> tuple[asn1_x509.Certificate, ...]:
        """The trust file's anchors, else the CA certificates on the token (which must then be there)."""
        return self._trust if self._trust is not None else self.signer().trust_roots

    def sign(self, data: bytes, *, reason: str) -> tuple[bytes, Signer]:
        """``data`` signed with the token's key; a token failing meanwhile answers 503 and is reopened next time."""
        with self._lock:
            signer = self._open()
            try:
                return sign_pdf(data, signer, reason=reason), signer
            except (PKCS11Error, SigningError) as error:
                self._drop()
                log.error("awards.signing.token_failed", error=f"{type(error).__name__}: {error}",
                          token=self.config.token)
                raise SigningUnavailable(
                    f"The signing token ({self.config.token}) failed while signing "
                    f"({type(error).__name__}); it is opened again on the next try",
                    retry_after=RETRY_SECONDS, token=self.config.token,
                ) from error

    def close(self) -> None:
        """Close the token's session (at the service's stop)."""
        with self._lock:
            self._drop()

    def _open(self) -> Signer:
        if self._signer is not None:
            return self._signer
        config = self.config
        try:
            pin = read_owner_only_secret(config.pin_file, PIN_VARIABLE)  # read again: the operator may have fixed it
        except SigningMisconfigured as error:  # checked at start; changed since: the service runs on, saying so
            raise SigningUnavailable(str(error), retry_after=None, token=config.token) from error
        if pin == self._refused_pin:
            raise SigningUnavailable(
                f"The signing token ({config.token}) refused the PIN in {PIN_VARIABLE}; the same PIN is not "
                "tried again (a token locks itself after a few wrong PINs): put the right one in the file",
                retry_after=None, token=config.token,
            )
        try:
            session = open_pkcs11_session(str(config.module), slot_no=config.slot_index,
                                          token_criteria=TokenCriteria(label=config.token_label),
                                          user_pin=pin)
        except PinIncorrect as error:
            self._refused_pin = pin
            raise SigningUnavailable(
                f"The signing token ({config.token}) refused the PIN in {PIN_VARIABLE}; it is not tried again "
                "until the file holds another PIN", retry_after=None, token=config.token,
            ) from error
        except PinLocked as error:
            raise SigningUnavailable(f"The signing token ({config.token}) is locked (too many wrong PINs): "
                                     "unlock it with its SO PIN", retry_after=None, token=config.token) from error
        except PKCS11Error as error:
            raise SigningUnavailable(
                f"The signing token ({config.token}) cannot be opened with {config.module}: "
                f"{type(error).__name__}: {error}", retry_after=RETRY_SECONDS, token=config.token,
            ) from error
        try:
            token_signer = PKCS11Signer(session, cert_label=config.cert_label or config.key_label,
                                        key_label=config.key_label, other_certs_to_pull=None)
            token_signer.signing_cert  # loads the certificate, the key's handle and the token's other certificates
        except PKCS11Error as error:
            session.close()
            raise SigningUnavailable(
                f"The signing token ({config.token}) has no usable key {config.key_label!r} with its certificate "
                f"{config.cert_label or config.key_label!r}: {error}", retry_after=RETRY_SECONDS,
                token=config.token,
            ) from error
        roots = self._trust if self._trust is not None else trust_roots_of(token_signer, None)
        if not roots:
            session.close()
            raise SigningUnavailable(f"The signing token ({config.token}) carries no CA certificate to trust: set "
                                     "TDKT_SIGNING_TRUST_FILE", retry_after=None, token=config.token)
        self._session, self._signer = session, Signer(token_signer, roots)
        return self._signer

    def _drop(self) -> None:
        session, self._session, self._signer = self._session, None, None
        if session is not None:
            try:
                session.close()
            except PKCS11Error:  # the device is already gone: nothing left to close
                pass
