"""HTTP API of the nomination rounds (đợt xét khen thưởng).

The office records a round's dates per achievement year and path
(``PUT /rounds/{year}/{category}``); a submission after the deadline is
refused or flagged as the round says (:mod:`..workflow.deadlines`). The
nomination's answer (``GET /nominations/{id}``, field ``deadlines``,
:mod:`.deadlines`) shows its round and whether it arrived late.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, Field
from tdkt_contracts.catalogue.awards import Category, LateRule

from kernel.service import Service

from ..handlers import AwardsHandlers
from ..workflow import Command
from .deadlines import RoundView, round_view
from .nominations import RecordedView, recorded_view

Year = Annotated[int, Path(ge=2000, le=2100)]


class RoundBody(Command):
    """A round's dates."""

    title: str = Field(min_length=1, max_length=255, description="e.g. 'Xét khen thưởng tổng kết năm 2023'.")
    submission_deadline: date = Field(description="The last day a unit's dossier is received (hạn nộp hồ sơ).")
    late_rule: LateRule = Field(description="refuse: a later dossier is refused (422 submission_deadline_passed); "
                                "flag: accepted and flagged late on the nomination.")
    council_meeting_on: date | None = Field(default=None, description="The day the council is to meet.")


class ScheduledView(RoundView):
    """A round and what scheduling it recorded (nothing when the dates were already these)."""

    recorded: list[RecordedView]


def router(handlers: AwardsHandlers) -> APIRouter:
    """``PUT /rounds/{year}/{category}``, ``GET /rounds/{year}``."""
    api = APIRouter()

    @api.put(
        "/rounds/{year}/{category}",
        tags=["reference data"],
        summary="Đợt xét khen thưởng — a round's submission deadline, late rule and council meeting",
        description="One round per achievement year and path (merit: the annual round). A submission received "
        "after `submission_deadline` is refused (422 `submission_deadline_passed`, the date in dd/mm/yyyy) or "
        "accepted flagged late (event vn.tdkt.awards.nomination.flagged-late), as `late_rule` says; moving the "
        "deadline never changes what was already received. Event vn.tdkt.awards.round.scheduled.",
        response_model=ScheduledView,
        responses={409: {"description": "`concurrency_conflict`."},
                   422: {"description": "`deadline_before_year`, `meeting_before_deadline`; `invalid_request`."}},
    )
    async def put_round(year: Year, category: Category, body: RoundBody, request: Request) -> ScheduledView:
        found, recorded = await handlers.schedule_round(
            year, category, body.title, body.submission_deadline, body.late_rule, body.council_meeting_on,
            Service.metadata(request),
        )
        return ScheduledView(**round_view(found).model_dump(), recorded=recorded_view(recorded))

    @api.get(
        "/rounds/{year}",
        tags=["reference data"],
        summary="Các đợt xét khen thưởng của một năm",
        response_model=list[RoundView],
    )
    async def get_rounds(year: Year) -> list[RoundView]:
        return [round_view(r) for r in await handlers.rounds(year)]

    return api


__all__ = ["router"]
