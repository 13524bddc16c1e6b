"""HTTP API of the emulation and commendation council (Hội đồng Thi đua – Khen thưởng): its members over time.

A council is established, and later recomposed, by a decision (quyết định
thành lập / kiện toàn Hội đồng); each ``PUT /councils/{id}`` records one
composition from its ``effective_on`` (idempotent: the same PUT again changes
nothing). Why this is reference data and how a vote uses it:
:mod:`services.awards.projections.reference`; the command runs in
:meth:`~services.awards.handlers.AwardsHandlers.set_council`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field

from kernel.service import Service

from ..domain.base import DomainModel
from ..handlers import AwardsHandlers
from ..projections import reference
from ..workflow import CouncilMember, SetCouncil


class CompositionView(DomainModel):
    """One composition of a council and the dates it applies to."""

    council_id: str
    name: str
    effective_on: date
    decision_number: str | None
    default_share: float
    members_total: int = Field(description="The base of every vote share (tổng số thành viên).")
    members: list[CouncilMember]


class CouncilView(DomainModel):
    """A council: the composition in force on ``on`` and every composition recorded."""

    council_id: str
    on: date = Field(description="The day asked.")
    current: CompositionView | None = Field(description="In force on ``on``; null before its first decision.")
    history: list[CompositionView] = Field(description="Every composition, oldest first.")


def council_view(council_id: str, compositions: list[reference.Composition], on: date) -> CouncilView:
    """Every composition of a council, and the one in force on ``on``."""
    history = [
        CompositionView(
            council_id=c.council_id,
            name=c.name,
            effective_on=c.effective_on,
            decision_number=c.decision_number,
            default_share=c.default_share,
            members_total=len(c.members),
            members=list(c.members),
        )
        for c in compositions
    ]
    current = next((c for c in reversed(history) if c.effective_on <= on), None)
    return CouncilView(council_id=council_id, on=on, current=current, history=history)


CouncilId = Annotated[
    str, Path(min_length=1, max_length=64, pattern=r"^[^\s/]+$", description="e.g. 'hd-tdkt-bct'.")
]


def router(handlers: AwardsHandlers) -> APIRouter:
    """``PUT /councils/{id}`` and ``GET /councils/{id}``; the handlers' business date is the default of ``on``."""
    api = APIRouter(tags=["councils"])

    @api.put(
        "/councils/{council_id}",
        summary="Thành lập / kiện toàn Hội đồng — set the council's members from a date",
        description=(
            "Records the council's composition in force from `effective_on` (the decision establishing or "
            "recomposing it). A vote is counted against the composition in force on the meeting day: "
            "its members are the base of the share (of ALL members, NĐ 98/2023 Điều 30 khoản 7), and a "
            "ballot from anyone else is refused (`voter_not_on_council`). Putting the same date again "
            "replaces that composition; votes already recorded keep their counts."
        ),
        response_model=CouncilView,
    )
    async def put_council(council_id: CouncilId, body: SetCouncil, request: Request) -> CouncilView:
        compositions = await handlers.set_council(council_id, body, Service.metadata(request))
        return council_view(council_id, compositions, body.effective_on)

    @api.get(
        "/councils/{council_id}",
        summary="Hội đồng Thi đua – Khen thưởng — the council's members on a day, and its history",
        response_model=CouncilView,
        responses={404: {"description": "`council_not_found`"}},
    )
    async def get_council(
        council_id: CouncilId,
        on: Annotated[date | None, Query(description="The day asked; default today.")] = None,
    ) -> CouncilView:
        compositions = await handlers.read(lambda conn: reference.compositions(conn, council_id))
        return council_view(council_id, compositions, on or handlers.today())

    return api
