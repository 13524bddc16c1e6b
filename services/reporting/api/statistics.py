"""Award statistics: the counts by year × award × recipient kind × unit × authority, the year-end summary and
the statistical report."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kernel.errors import DomainError
from kernel.ids import SubjectId
from kernel.limits import off_loop

from .. import exports, report_forms
from ..answers import Answer, Page, answer, exportable
from ..exports import Column
from ..projections.award_stats import DIMENSIONS, FLOW_LABELS_VI, FLOWS
from ..projections.queries import StatsFilter, award_names, grouped_stats, known_values, stat_rows
from ..summary import year_summary
from .common import (
    AUTHORITIES_VI,
    FORMAT,
    LIMIT,
    OFFSET,
    RECIPIENT_KINDS_VI,
    Format,
    ReportingQueries,
    check_choice,
    check_year,
    day_of,
    export_headers,
    in_year,
    json_answer,
    list_answer,
    paging,
    unit_name,
    vi,
)

TAG = "awards statistics (thống kê khen thưởng)"
DEFAULT_GROUP_BY = ("year", "flow", "award_code", "recipient_kind", "unit_id", "authority")

STATS_COLUMNS: dict[str, Column] = {
    "year": Column("year", "Năm", width=8),
    "flow": Column("flow", "Phân loại", vi(FLOW_LABELS_VI), width=20),
    "award_code": Column("award_code", "Mã", width=12),
    "award_kind": Column("award_kind", "Loại", vi({"title": "Danh hiệu", "award": "Hình thức khen thưởng"})),
    "recipient_kind": Column("recipient_kind", "Cá nhân / Tập thể", vi(RECIPIENT_KINDS_VI), width=16),
    "unit_id": Column("unit_name", "Đơn vị", width=40),
    "authority": Column("authority", "Cấp quyết định", vi(AUTHORITIES_VI), width=24),
    "to_body": Column("to_body", "Cơ quan trình", width=36),
}
AWARD_NAME_COLUMN = Column("award_name", "Danh hiệu / Hình thức", width=50)
COUNT_COLUMNS = (Column("count", "Số lượng", width=10), Column("revoked", "Bị thu hồi", width=10))


def group_by_dimensions(group_by: str | None) -> list[str]:
    """The dimensions kept, in their canonical order, from ``a,b``; an unknown one is refused with 422."""
    dims = [d.strip() for d in group_by.split(",") if d.strip()] if group_by is not None else list(DEFAULT_GROUP_BY)
    for d in dims:
        if d not in DIMENSIONS:
            raise DomainError("unknown_group_by", f"cannot group by {d!r}", field=d, allowed=list(DIMENSIONS))
    return [d for d in DIMENSIONS if d in dims]  # canonical order, no duplicates


def stats_columns(dims: list[str]) -> list[Column]:
    """The export's columns: the dimensions kept (an award's code followed by its name), then the counts."""
    columns = [STATS_COLUMNS[d] for d in dims if d != "award_code"]
    if "award_code" in dims:
        at = dims.index("award_code")
        columns[at:at] = [STATS_COLUMNS["award_code"], AWARD_NAME_COLUMN]
    return columns + list(COUNT_COLUMNS)


def router(q: ReportingQueries) -> APIRouter:
    """The statistics routes."""
    api = APIRouter()

    @api.get(
        "/statistics/awards", tags=[TAG],
        summary="Award statistics by year × award × individual/collective × unit × authority",
        description="Counts of titles and awards in three flows kept apart: `granted` (the Ministry decided), "
        "`proposed` (forwarded to the Prime Minister, the President, another ministry: trình), `conferred` "
        "(decided by those authorities). Summed over the dimensions not in `group_by`. `unit_id` selects the "
        "unit and, unless `include_sub_units=false`, its sub-units (as of 31 December of `year`, or today).",
        responses=exportable(Page),
    )
    async def award_statistics(
        year: int | None = Query(None, description="Achievement year (năm thành tích)."),
        flow: str | None = Query(None, description="granted, proposed or conferred."),
        award_code: str | None = Query(None, description="Award or title code, e.g. BK_BT."),
        recipient_kind: str | None = Query(None, description="individual or collective."),
        authority: str | None = Query(None, description="Deciding authority (for proposals: the one addressed)."),
        unit_id: SubjectId | None = Query(None, description="A unit (with its sub-units by default)."),
        include_sub_units: bool = Query(True),
        group_by: str | None = Query(
            None, description=f"Comma-separated dimensions to keep, from {', '.join(DIMENSIONS)} "
            "[year,flow,award_code,recipient_kind,unit_id,authority]."
        ),
        sort: str | None = Query(None, description="e.g. -count,year; fields: the dimensions kept, count, revoked."),
        limit: int = LIMIT,
        offset: int = OFFSET,
        format: Format = FORMAT,  # noqa: A002  (the parameter's public name)
    ) -> Response:
        check_year(year)
        check_choice(flow, FLOWS, "unknown_flow", "flow")
        check_choice(recipient_kind, RECIPIENT_KINDS_VI, "unknown_recipient_kind", "recipient_kind")
        check_choice(authority, AUTHORITIES_VI, "unknown_authority", "authority")
        await q.check_award_code(award_code, lambda: known_values(q.reader, q.stats, "award_code"))
        dims = group_by_dimensions(group_by)
        tree = await q.tree()

        async def unit_in_stats(u: str) -> bool:
            return u in await known_values(q.reader, q.stats, "unit_id")

        units = await q.unit_scope(tree, unit_id, include_sub_units, day_of(year), unit_in_stats)
        filters = StatsFilter(year, flow, award_code, recipient_kind, authority, units)
        page_limit, page_offset = paging(format, limit, offset)
        found = await grouped_stats(q.reader, q.stats, filters, dims=dims, sort=sort, order=q.order,
                                    limit=page_limit, offset=page_offset)
        names = await award_names(q.reader, q.stats)
        for row in found.items:
            if "award_code" in row:
                row["award_name"] = q.award_name(row["award_code"], names)
            if "unit_id" in row:
                row["unit_id"] = row["unit_id"] or None
                row["unit_name"] = unit_name(tree, row["unit_id"], row.get("year") or year)
            if "to_body" in row:
                row["to_body"] = row["to_body"] or None
        return await list_answer(
            format, found, limit=page_limit, offset=page_offset, as_of=await q.as_of(q.stats),
            columns=stats_columns(dims), filename=in_year("Thống kê khen thưởng", year), sheet_title="Thống kê",
            extra={"group_by": dims},
        )

    @api.get(
        "/summaries/{year}", tags=[TAG],
        summary="Year-end summary: the figures and the paragraph of the Ministry's report",
        description="What the Ministry proposed to other authorities (`proposed`, by `to_authority`), what it "
        "granted itself (`granted`) and what the other authorities conferred (`conferred_by_higher`), each with "
        "individuals, collectives and households, and `paragraph_vi`: the same figures as the year-end report "
        "writes them (\"Năm 2023, Bộ đã trình xét tặng danh hiệu Nhà giáo nhân dân cho 2 cá nhân, …\").",
        responses=answer(Answer),
    )
    async def summary(year: int = Path(..., description="The year (năm thành tích).")) -> Response:
        check_year(year)
        rows = await stat_rows(q.reader, q.stats, year)
        names = await award_names(q.reader, q.stats)
        body = year_summary(year, rows, names, q.order)
        body["as_of"] = await q.as_of(q.stats)
        return json_answer(body)

    @api.get(
        "/reports/annual/{year}", tags=[TAG],
        summary="The periodic statistical report on emulation and commendation (documented equivalent)",
        description="By year × title or award × deciding authority × individual/collective, with subtotals: "
        "A. decided by the Ministry, B. proposed to higher authorities, C. conferred by them. The layout of the "
        "forms of Thông tư 02/2023/TT-BNV could not be confirmed, so this is an equivalent (see the README).",
        responses=exportable(Answer),
    )
    async def annual_report(
        year: int = Path(...),
        format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        check_year(year)
        rows = await stat_rows(q.reader, q.stats, year)
        names = await award_names(q.reader, q.stats)
        report = report_forms.annual_report(year, rows, names, q.order)
        as_of = await q.as_of(q.stats)
        if format == "json":
            report["as_of"] = as_of
            return json_answer(report)
        filename = f"Báo cáo thống kê thi đua khen thưởng năm {year}"
        if format == "csv":
            content = await off_loop(exports.to_csv, report_forms.COLUMNS, report["rows"])
            media, disposition = exports.CSV_MEDIA_TYPE, exports.content_disposition(f"{filename}.csv")
        else:
            content = await off_loop(
                exports.to_xlsx,
                report_forms.COLUMNS, report["rows"], sheet_title=f"Năm {year}", title=report["title"],
                notes=[report["note"], f"Số liệu đến sự kiện lúc {as_of['last_event_at'] or '—'}"],
                bold_rows=report_forms.is_bold,
            )
            media, disposition = exports.XLSX_MEDIA_TYPE, exports.content_disposition(f"{filename}.xlsx")
        return Response(content, media_type=media, headers={"Content-Disposition": disposition,
                                                            **export_headers(as_of)})

    return api
