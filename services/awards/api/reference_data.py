"""HTTP API of the workflow's reference data: public holidays (not working days) and quotas (hạn mức).

Both are kept by the emulation office; the commands run in
:class:`~services.awards.handlers.AwardsHandlers`, the SQL is
:mod:`services.awards.projections.reference`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from pydantic import Field, model_validator

from kernel.ids import SubjectId
from kernel.service import Service

from ..domain.base import DomainModel
from ..handlers import AwardsHandlers
from ..projections import reference
from ..workflow.commands import listed_once

class HolidayDay(DomainModel):
    """A public holiday: not a working day for the notice period."""

    day: date
    name: str = Field(min_length=1, max_length=255, description="e.g. 'Tết Nguyên đán'.")


class Holidays(DomainModel):
    """The public holidays of a year (Bộ luật Lao động 2019 Điều 112 and the Government's yearly swaps)."""

    days: list[HolidayDay] = Field(default_factory=list, max_length=60)

    @model_validator(mode="after")
    def _each_day_once(self) -> Holidays:
        listed_once([d.day.isoformat() for d in self.days])
        return self


class QuotaBody(DomainModel):
    """A cap on how many may receive a code in a year (hạn mức), in a unit's subtree or the whole Ministry."""

    unit_id: SubjectId | None = Field(default=None, description="Null: the whole Ministry.")
    max_count: int = Field(ge=0, le=100_000)
    label: str = Field(min_length=1, max_length=255, description="e.g. 'Chỉ tiêu Bằng khen 2024 của Vụ TCCB'.")


class QuotaView(QuotaBody):
    """A quota as recorded."""

    award_code: str
    year: int


def router(handlers: AwardsHandlers) -> APIRouter:
    """``PUT`` and ``GET /holidays/{year}``, ``PUT /quotas/{award_code}/{year}``, ``GET /quotas``."""
    api = APIRouter()

    # ------------------------------------------------------------------ reference data

    @api.put(
        "/holidays/{year}",
        tags=["reference data"],
        summary="Ngày nghỉ lễ — the public holidays of a year (not working days for the notice)",
        response_model=Holidays,
    )
    async def put_holidays(year: Annotated[int, Path(ge=2000, le=2100)], body: Holidays, request: Request) -> Holidays:
        await handlers.set_holidays(year, [(d.day, d.name) for d in body.days], Service.metadata(request))
        return body

    @api.get(
        "/holidays/{year}", tags=["reference data"], summary="Ngày nghỉ lễ của một năm", response_model=Holidays
    )
    async def get_holidays(year: Annotated[int, Path(ge=2000, le=2100)]) -> Holidays:
        days = await handlers.read(lambda conn: reference.holidays_of(conn, year))
        return Holidays(days=[HolidayDay(day=day, name=name) for day, name in days])

    @api.put(
        "/quotas/{award_code}/{year}",
        tags=["reference data"],
        summary="Hạn mức — cap how many may receive a code in a year, in a unit or the Ministry",
        description="Checked at every grant of the code and year (`quota_exceeded`); revoked awards free a place.",
        response_model=QuotaView,
    )
    async def put_quota(
        award_code: Annotated[str, Path(min_length=1, max_length=32)],
        year: Annotated[int, Path(ge=2000, le=2100)],
        body: QuotaBody,
        request: Request,
    ) -> QuotaView:
        await handlers.set_quota(award_code, year, body.unit_id, body.max_count, body.label, Service.metadata(request))
        return QuotaView(award_code=award_code, year=year, **body.model_dump())

    @api.get("/quotas", tags=["reference data"], summary="Hạn mức đã ghi nhận", response_model=list[QuotaView])
    async def get_quotas(
        award_code: Annotated[str | None, Query(max_length=32)] = None,
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    ) -> list[QuotaView]:
        found = await handlers.read(lambda conn: reference.quotas(conn, award_code, year))
        return [
            QuotaView(award_code=q.award_code, year=q.year, unit_id=q.unit_id, max_count=q.max_count, label=q.label)
            for q in found
        ]

    return api
