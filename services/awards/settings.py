"""Settings of the awards service: the kernel's, plus the dossiers' size limits."""

from __future__ import annotations

from pydantic import Field

from kernel.settings import Settings

from .workflow.dossier import DossierLimits


class AwardsSettings(Settings):
    """Environment variables ``TDKT_*``; see :class:`kernel.settings.Settings` for the rest."""

    dossier_max_file_bytes: int = Field(
        default=20 * 2**20, ge=1, description="Largest file a dossier takes (bytes): a scanned report, a minute."
    )
    dossier_max_bytes: int = Field(
        default=100 * 2**20, ge=1, description="Most a dossier holds (bytes), every version of every file counted."
    )


def dossier_limits(settings: Settings) -> DossierLimits:
    """The limits of ``settings`` (plain kernel settings: the defaults)."""
    found = settings if isinstance(settings, AwardsSettings) else AwardsSettings.model_construct()
    return DossierLimits(max_file_bytes=found.dossier_max_file_bytes, max_dossier_bytes=found.dossier_max_bytes)
