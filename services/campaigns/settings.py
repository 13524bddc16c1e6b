"""Settings of the campaigns service: the kernel's, plus the business clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from pydantic import Field

from kernel.settings import Settings

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Indochina Time, UTC+7, no daylight saving: the ministry's calendar day. A deadline of
31 March ends at midnight in Hà Nội, not in UTC (seven hours later)."""


class CampaignsSettings(Settings):
    """Environment variables ``TDKT_*``; see :class:`kernel.settings.Settings` for the rest."""

    allow_today_header: bool = Field(
        default=False,
        description=(
            "Let requests set the business date with the X-Tdkt-Today header (YYYY-MM-DD), for tests "
            "and demos that replay a past year. Off in production: a request carrying the header "
            "is then refused (403), never silently dated today."
        ),
    )


def business_today() -> date:
    """Today's date in Việt Nam."""
    return datetime.now(VIETNAM).date()
