"""Settings of the awards service: the kernel's, plus the dossiers' size limits."""

from __future__ import annotations

from datetime import date

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

    dossier_files_required_from: date = Field(
        default=date(2026, 1, 1),
        description="Nominations received from this day on must carry their files before the public notice and "
        "the council; earlier ones were paper dossiers (what they lack is reported, not enforced).",
    )


def awards_settings(settings: Settings) -> AwardsSettings:
    """``settings`` as the awards service's (plain kernel settings: its defaults)."""
    return settings if isinstance(settings, AwardsSettings) else AwardsSettings.model_construct()


def dossier_limits(settings: AwardsSettings) -> DossierLimits:
    """The dossiers' size limits."""
    return DossierLimits(max_file_bytes=settings.dossier_max_file_bytes, max_dossier_bytes=settings.dossier_max_bytes)
