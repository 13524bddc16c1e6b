"""Settings of the awards service: the kernel's, plus the dossiers' size limits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field

from kernel.settings import Settings

from .signing import SigningKeys, SigningMisconfigured, load_signer
from .signing_token import TokenConfig, TokenKeys
from .workflow.dossier import DossierLimits


class AwardsSettings(Settings):
    """Environment variables ``TDKT_*``; see :class:`kernel.settings.Settings` for the rest."""

    dossier_max_file_bytes: int = Field(
        default=20 * 2**20, ge=1, description="Largest file a dossier takes (bytes): a scanned report, a minute."
    )
    dossier_max_bytes: int = Field(
        default=100 * 2**20, ge=1, description="Most a dossier holds (bytes), every version of every file counted."
    )

    dossier_files_required_from: date = Field(
        default=date(2026, 1, 1),
        description="Nominations received from this day on must carry their files before the public notice and "
        "the council; earlier ones were paper dossiers (what they lack is reported, not enforced).",
    )

    signing_pkcs12_file: Path | None = Field(
        default=None,
        description="The approver's signing certificate and key, a PKCS#12 file (owner-only, 0600): decisions' "
        "PDFs are signed with it (PAdES). Unset (and no token): no signing, and verification answers 422 "
        "signing_not_configured.",
    )
    signing_password_file: Path | None = Field(
        default=None, description="A file holding the PKCS#12 file's password (a docker secret, mode 0600)."
    )
    signing_trust_file: Path | None = Field(
        default=None,
        description="CA certificates (PEM) a verification trusts; unset: the CA certificates in the PKCS#12 file "
        "or on the token.",
    )
    signing_pkcs11_module: Path | None = Field(
        default=None,
        description="The signing key on a PKCS#11 token instead of a PKCS#12 file: the token vendor's PKCS#11 "
        "library (a .so file). With it: the token, the key's label and the PIN file.",
    )
    signing_pkcs11_token_label: str | None = Field(default=None, description="The token's label.")
    signing_pkcs11_slot: int | None = Field(
        default=None, ge=0, description="The token's slot, by its index in the module's slot list (0: the first); "
        "with a label too, the token in that slot must bear it.",
    )
    signing_pkcs11_key_label: str | None = Field(default=None, description="The private key's label on the token.")
    signing_pkcs11_cert_label: str | None = Field(
        default=None, description="The signing certificate's label on the token; unset: the key's label."
    )
    signing_pkcs11_pin_file: Path | None = Field(
        default=None, description="A file holding the token's user PIN (a docker secret, mode 0600)."
    )


def awards_settings(settings: Settings) -> AwardsSettings:
    """``settings`` as the awards service's (plain kernel settings: its defaults)."""
    return settings if isinstance(settings, AwardsSettings) else AwardsSettings.model_construct()


def signing_keys(settings: AwardsSettings) -> SigningKeys | None:
    """The configured signing key, at start: a PKCS#12 file's (loaded), or a token's (opened if it can be).

    Settings that cannot work stop the service (:class:`SigningMisconfigured`, saying which); a token that
    cannot sign now only makes signing answer 503 (:mod:`.signing_token`)."""
    if settings.signing_pkcs11_module is not None:
        if settings.signing_pkcs12_file is not None:
            raise SigningMisconfigured("TDKT_SIGNING_PKCS12_FILE and TDKT_SIGNING_PKCS11_MODULE are both set: "
                                       "sign with one of them")
        if settings.signing_pkcs11_key_label is None or settings.signing_pkcs11_pin_file is None:
            raise SigningMisconfigured("TDKT_SIGNING_PKCS11_KEY_LABEL and TDKT_SIGNING_PKCS11_PIN_FILE are "
                                       "required with TDKT_SIGNING_PKCS11_MODULE")
        keys = TokenKeys(TokenConfig(
            module=settings.signing_pkcs11_module, pin_file=settings.signing_pkcs11_pin_file,
            key_label=settings.signing_pkcs11_key_label, token_label=settings.signing_pkcs11_token_label,
            slot_index=settings.signing_pkcs11_slot, cert_label=settings.signing_pkcs11_cert_label,
        ), settings.signing_trust_file)
        keys.open_at_start()
        return keys
    if settings.signing_pkcs12_file is None:
        return None
    if settings.signing_password_file is None:
        raise SigningMisconfigured("TDKT_SIGNING_PASSWORD_FILE is required with TDKT_SIGNING_PKCS12_FILE")
    return SigningKeys(load_signer(settings.signing_pkcs12_file, settings.signing_password_file,
                                   settings.signing_trust_file))


def dossier_limits(settings: AwardsSettings) -> DossierLimits:
    """The dossiers' size limits."""
    return DossierLimits(max_file_bytes=settings.dossier_max_file_bytes, max_dossier_bytes=settings.dossier_max_bytes)
