"""Settings of the awards service: the kernel's, plus the dossiers' size limits."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pydantic import Field

from kernel.settings import Settings

from .signing import Signer, load_signer
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
        "PDFs are signed with it (PAdES). Unset: no signing, and verification answers 422 signing_not_configured.",
    )
    signing_password_file: Path | None = Field(
        default=None, description="A file holding the PKCS#12 file's password (a docker secret, mode 0600)."
    )
    signing_trust_file: Path | None = Field(
        default=None,
        description="CA certificates (PEM) a verification trusts; unset: the CA certificates in the PKCS#12 file.",
    )


def awards_settings(settings: Settings) -> AwardsSettings:
    """``settings`` as the awards service's (plain kernel settings: its defaults)."""
    return settings if isinstance(settings, AwardsSettings) else AwardsSettings.model_construct()


def signer_of(settings: AwardsSettings) -> Signer | None:
    """The configured signer, loaded once at start (a bad file or password stops the service, saying which)."""
    if settings.signing_pkcs12_file is None:
        return None
    if settings.signing_password_file is None:
        raise ValueError("TDKT_SIGNING_PASSWORD_FILE is required with TDKT_SIGNING_PKCS12_FILE")
    return load_signer(settings.signing_pkcs12_file, settings.signing_password_file, settings.signing_trust_file)


def dossier_limits(settings: AwardsSettings) -> DossierLimits:
    """The dossiers' size limits."""
    return DossierLimits(max_file_bytes=settings.dossier_max_file_bytes, max_dossier_bytes=settings.dossier_max_bytes)
