"""One business day for the whole system: the ministry's calendar, and the demo's way to move it.

Every service dates its acts by the calendar day in Việt Nam (UTC+7, no daylight
saving): a decision signed in Hà Nội at 06:00 is dated that day, not the day
before as the server's UTC clock would say, and a deadline of 31 March ends at
midnight in Hà Nội. Only a demo or test stack may move the day, through the
``X-Tdkt-Today`` header from an administrator (``TDKT_ALLOW_TODAY_HEADER``);
the audit trail records the date a request set.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta, timezone
from typing import Annotated

from fastapi import Header, Request

from .auth import Role
from .errors import Forbidden

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Indochina Time: the ministry's calendar day."""

TODAY_HEADER = "X-Tdkt-Today"


def business_today() -> date:
    """Today's date in Việt Nam."""
    return datetime.now(VIETNAM).date()


def today_dependency(
    allow_header: bool, clock: Callable[[], date] = business_today
) -> Callable[..., Awaitable[date]]:
    """A FastAPI dependency giving the request's business date: ``clock()``, or ``X-Tdkt-Today``.

    The header is refused (403 ``today_header_not_allowed``) unless the stack
    allows it and the caller is an administrator, so a unit officer can never
    date a registration before its deadline; a refused header is never
    silently replaced by today.
    """

    async def today(
        request: Request,
        value: Annotated[
            date | None,
            Header(
                alias=TODAY_HEADER,
                description="Demo and test stacks only (TDKT_ALLOW_TODAY_HEADER=true), from an administrator: "
                "the date to take as today, YYYY-MM-DD; the audit trail records it. Refused (403) otherwise.",
            ),
        ] = None,
    ) -> date:
        if value is None:
            return clock()
        if not allow_header:
            raise Forbidden(
                "today_header_not_allowed",
                f"This service takes today's date from its clock; {TODAY_HEADER} is honoured only where "
                "TDKT_ALLOW_TODAY_HEADER is set (tests, demos).",
            )
        principal = getattr(request.state, "principal", None)
        if Role.ADMINISTRATOR not in getattr(principal, "roles", ()):
            raise Forbidden(
                "today_header_not_allowed",
                f"Only an administrator may set the business date ({TODAY_HEADER}), and only on a demo stack: "
                "a unit officer cannot date a registration before its deadline.",
                roles=sorted(getattr(principal, "roles", ())),
            )
        request.state.business_date = value  # recorded with the events (Service.metadata)
        return value

    return today
