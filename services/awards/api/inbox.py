"""``GET /nominations``: the nominations by stage, for the office's inbox, with the counts per stage.

Open like ``GET /nominations/{id}`` (queries are open to every role); it names units and awards, no person.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from kernel.ids import SubjectId

from ..handlers import AwardsHandlers
from ..projections import inbox as inbox_rows
from ..workflow.inbox import STAGES, Stage

STAGE_VI: dict[str, str] = {
    "received": "Đã tiếp nhận", "incomplete": "Hồ sơ chưa đủ", "returned": "Đã trả lại đơn vị",
    "on_notice": "Đang lấy ý kiến công khai", "awaiting_council": "Chờ Hội đồng xét",
    "awaiting_decision": "Chờ quyết định", "proposed_upward": "Đã trình cấp trên", "decided": "Đã quyết định",
}


class InboxItem(BaseModel):
    """One nomination in the list."""

    nomination_id: str
    year: int
    award_code: str
    award_name: str
    submitting_unit_id: str
    submitted_on: date | None
    stage: Stage = Field(description="Where it stands: " + ", ".join(STAGES) + ".")
    stage_vi: str = Field(description="The stage in Vietnamese.")
    candidates: int = Field(description="How many candidates it has.")
    returned: int = Field(description="How many of them are returned to the unit.")
    deadline: date | None = Field(description="What the next step waits for, if dated: the open notice's end.")
    assignee_id: str | None = Field(description="The office's specialist in charge, if assigned.")
    assignee_name: str | None


class InboxView(BaseModel):
    """A page of the list, and how many nominations the filters (other than ``state``) select per stage."""

    counts: dict[str, int] = Field(description="Per stage, every stage listed (0 when none).")
    total: int = Field(description="How many match every filter (the page may hold fewer).")
    items: list[InboxItem]


def router(handlers: AwardsHandlers) -> APIRouter:
    """The inbox route, closing over the handlers."""
    api = APIRouter()

    @api.get(
        "/nominations",
        tags=["nominations"],
        summary="Danh sách đề nghị khen thưởng — nominations by stage, with the counts per stage",
        description="Filters: `year`, `state` (a stage), `unit_id` (the submitting unit and the units under it, "
        "today's tree), `assigned_to` (the specialist's subject). Latest submitted first.",
        response_model=InboxView,
    )
    async def list_nominations(
        year: Annotated[int | None, Query(ge=2000, le=2100, description="Achievement year.")] = None,
        state: Annotated[Literal[STAGES] | None, Query(description="One stage.")] = None,  # type: ignore[valid-type]
        unit_id: Annotated[SubjectId | None, Query(description="Submitting unit.")] = None,
        assigned_to: Annotated[str | None, Query(min_length=1, max_length=200, description="Assignee.")] = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> InboxView:
        async def query(conn):  # type: ignore[no-untyped-def]
            units = None
            if unit_id is not None:
                chart = await handlers.loader.chart(conn)
                units = sorted(chart.subtree(unit_id, handlers.today())) if unit_id in chart else [unit_id]
            return await inbox_rows.inbox(conn, year=year, stage=state, unit_ids=units, assigned_to=assigned_to,
                                          files_required_from=handlers.files_required_from, limit=limit,
                                          offset=offset)

        page = await handlers.read(query)
        return InboxView(counts=page.counts, total=page.total, items=[
            InboxItem(**{k: r[k] for k in ("nomination_id", "year", "award_code", "award_name", "submitting_unit_id",
                                           "submitted_on", "stage", "candidates", "returned", "assignee_id",
                                           "assignee_name")},
                      stage_vi=STAGE_VI[r["stage"]], deadline=r["notice_closes_on"])
            for r in page.rows])

    return api
