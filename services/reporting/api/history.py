"""Award history: the titles and awards conferred and the recipients proposed upward, one row each; a person's
and a unit's."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kernel.errors import NotFound
from kernel.ids import SubjectId

from ..answers import Page, exportable
from ..exports import Column
from ..projections.award_stats import FLOW_LABELS_VI, FLOWS
from ..projections.queries import HistoryFilter, history_codes, history_page, in_history, person_known
from .common import (
    AUTHORITIES_VI,
    FORMAT,
    LIMIT,
    OFFSET,
    OUTCOMES_VI,
    RECIPIENT_KINDS_VI,
    Format,
    ReportingQueries,
    check_choice,
    check_year,
    day_of,
    in_year,
    list_answer,
    paging,
    unit_name,
    vi,
)

TAG = "award history (lịch sử khen thưởng)"

HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", width=8),
    Column("display_name", "Họ và tên / Tên tập thể", width=36),
    Column("recipient_kind", "Cá nhân / Tập thể", vi(RECIPIENT_KINDS_VI), width=16),
    Column("unit_name", "Đơn vị", width=36),
    Column("award_name", "Danh hiệu / Hình thức", width=50),
    Column("authority", "Cấp quyết định", vi(AUTHORITIES_VI), width=24),
    Column("flow", "Phân loại", vi(FLOW_LABELS_VI), width=20),
    Column("decision_number", "Số quyết định", width=18),
    Column("decision_date", "Ngày quyết định", width=14),
    Column("submission_number", "Số tờ trình", width=18),
    Column("outcome", "Kết quả đề nghị", vi(OUTCOMES_VI), width=18),
    Column("revoked", "Bị thu hồi", width=10),
)


def validate_history(
    year: int | None, flow: str | None, recipient_kind: str | None, authority: str | None, outcome: str | None
) -> None:
    """Refuse a history filter outside its list with 422."""
    check_year(year)
    check_choice(flow, FLOWS, "unknown_flow", "flow")
    check_choice(recipient_kind, RECIPIENT_KINDS_VI, "unknown_recipient_kind", "recipient_kind")
    check_choice(authority, AUTHORITIES_VI, "unknown_authority", "authority")
    check_choice(outcome, OUTCOMES_VI, "unknown_outcome", "outcome")


def router(q: ReportingQueries) -> APIRouter:
    """The award history routes."""
    api = APIRouter()

    async def known_in_history(subject_or_unit: str) -> bool:
        return await in_history(q.reader, q.history, subject_or_unit)

    async def codes_in_history() -> set[str]:
        return await history_codes(q.reader, q.history)

    async def history_list(
        filters: HistoryFilter, *, sort: str | None, limit: int, offset: int, fmt: str, filename: str,
        extra: Mapping[str, Any] | None = None,
    ) -> Response:
        page_limit, page_offset = paging(fmt, limit, offset)
        found = await history_page(q.reader, q.history, filters, sort=sort, limit=page_limit, offset=page_offset)
        tree = await q.tree()
        for row in found.items:
            # award_name stays as the decision wrote it: this is the record of one decision.
            row["unit_name"] = unit_name(tree, row["unit_id"], row["year"])
        return await list_answer(
            fmt, found, limit=page_limit, offset=page_offset, as_of=await q.as_of(q.history),
            columns=HISTORY_COLUMNS, filename=filename, sheet_title="Khen thưởng", extra=extra,
        )

    @api.get(
        "/awards", tags=[TAG],
        summary="Titles and awards conferred, and recipients proposed upward, one row each",
        responses=exportable(Page),
    )
    async def awards_list(
        year: int | None = Query(None), flow: str | None = Query(None), award_code: str | None = Query(None),
        recipient_kind: str | None = Query(None), authority: str | None = Query(None),
        unit_id: SubjectId | None = Query(None), include_sub_units: bool = Query(True),
        outcome: str | None = Query(None, description="For proposals: pending, conferred or declined."),
        revoked: bool | None = Query(None), sort: str | None = Query(None),
        limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        validate_history(year, flow, recipient_kind, authority, outcome)
        await q.check_award_code(award_code, codes_in_history)
        units = None
        if unit_id is not None:
            units = await q.unit_scope(await q.tree(), unit_id, include_sub_units, day_of(year), known_in_history)
        filters = HistoryFilter(year, flow, award_code, recipient_kind, authority, units, outcome=outcome,
                                revoked=revoked)
        return await history_list(filters, sort=sort, limit=limit, offset=offset, fmt=format,
                                  filename=in_year("Danh sách khen thưởng", year))

    @api.get(
        "/people/{person_id}/awards", tags=[TAG],
        summary="A person's titles, awards and proposals (lịch sử khen thưởng cá nhân)",
        responses=exportable(Page),
    )
    async def person_awards(
        person_id: SubjectId = Path(...),
        year: int | None = Query(None), flow: str | None = Query(None), award_code: str | None = Query(None),
        sort: str | None = Query(None), limit: int = LIMIT, offset: int = OFFSET,
        format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        validate_history(year, flow, None, None, None)
        await q.check_award_code(award_code, codes_in_history)
        if not await person_known(q.reader, q.tree_model, q.history, person_id):
            raise NotFound("person_not_found", f"no person {person_id!r} is known", person_id=person_id)
        filters = HistoryFilter(year, flow, award_code, recipient_kind="individual", subject=person_id)
        return await history_list(filters, sort=sort, limit=limit, offset=offset, fmt=format,
                                  filename=f"Khen thưởng cá nhân {person_id}", extra={"person_id": person_id})

    @api.get(
        "/units/{unit_id}/awards", tags=[TAG],
        summary="A unit's titles, awards and proposals (lịch sử khen thưởng tập thể)",
        description="The unit's own (collective) titles and awards; with `include_sub_units` those of the units "
        "under it; with `include_members` also those of the people in them.",
        responses=exportable(Page),
    )
    async def unit_awards(
        unit_id: SubjectId = Path(...),
        include_sub_units: bool = Query(False), include_members: bool = Query(False),
        year: int | None = Query(None), flow: str | None = Query(None), award_code: str | None = Query(None),
        sort: str | None = Query(None), limit: int = LIMIT, offset: int = OFFSET,
        format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        validate_history(year, flow, None, None, None)
        await q.check_award_code(award_code, codes_in_history)
        tree = await q.tree()
        if unit_id not in tree and not await known_in_history(unit_id):
            raise NotFound("unit_not_found", f"no unit {unit_id!r} is known", unit_id=unit_id)
        units = await q.unit_scope(tree, unit_id, include_sub_units, day_of(year), known_in_history) or [unit_id]
        filters = (
            HistoryFilter(year, flow, award_code, members_of=units) if include_members
            else HistoryFilter(year, flow, award_code, recipient_kind="collective", subjects=units)
        )
        return await history_list(filters, sort=sort, limit=limit, offset=offset, fmt=format,
                                  filename=f"Khen thưởng đơn vị {unit_id}", extra={"unit_id": unit_id})

    return api
