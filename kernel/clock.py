"""One business day for the whole system: the ministry's calendar, and the demo's way to move it.

Every service dates its acts by the calendar day in Việt Nam (UTC+7, no daylight
saving): a decision signed in Hà Nội at 06:00 is dated that day, not the day
before as the server's UTC clock would say, and a deadline of 31 March ends at
midnight in Hà Nội. Only a demo or test stack may move the day, through the
``X-Tdkt-Today`` header from an administrator (``TDKT_ALLOW_TODAY_HEADER``);
the audit trail records the date a request set (:func:`kernel.http.today_dependency`).
Pure: domain code may import it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Indochina Time: the ministry's calendar day."""

TODAY_HEADER = "X-Tdkt-Today"


def business_today() -> date:
    """Today's date in Việt Nam."""
    return datetime.now(VIETNAM).date()
