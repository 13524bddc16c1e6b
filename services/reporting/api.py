"""HTTP API of the reporting service: queries on the read models, exports, the year-end summary,
the statistical report and rebuilds.

Every answer says how current it is (``as_of``: the last event applied, the
offsets, the lag). Every list takes ``limit``/``offset`` (the answer gives
``total``), ``sort`` (comma-separated fields, ``-`` for descending, from a
list per endpoint) and ``format=json|csv|xlsx``; CSV and XLSX export every
row that matches the filters, with Vietnamese headers.

Refusals answer ``{"code", "message", "details"}``: 422 ``year_out_of_range``,
``unknown_award_code``, ``unknown_unit``, ``unknown_authority``, ``unknown_flow``,
``unknown_recipient_kind``, ``unknown_status``, ``unknown_metric``,
``unknown_launcher``, ``unknown_sort_field``, ``unknown_group_by``,
``invalid_year_range``, ``invalid_request`` (malformed parameters); 404
``unknown_read_model``, ``movement_not_found``, ``pledge_not_found``,
``person_not_found``, ``unit_not_found``, ``no_rebuild``; 409 ``rebuild_running``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from tdkt_contracts.catalogue.campaigns import Launcher, TargetMetric
from tdkt_contracts.vocabulary import Authority, RecipientKind

from kernel.errors import DomainError, NotFound
from kernel.limits import BUSY, Gate, off_loop
from kernel.service import Service

from . import exports, queries, report_forms
from .answers import Answer, Document, Page, answer, exportable
from .exports import Column
from .projections import Projection, qualified, table_checksums
from .projections.award_stats import DIMENSIONS, FLOW_LABELS_VI, FLOWS
from .queries import Reader, Where
from .rebuilds import Rebuilds
from .summary import AwardOrder, load_award_order, year_summary
from .tree import Tree, headcounts, year_end

MIN_YEAR = 2000
Format = Literal["json", "csv", "xlsx"]
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

RECIPIENT_KINDS_VI = {k.value: k.label_vi for k in RecipientKind}
AUTHORITIES_VI = {a.value: a.label_vi for a in Authority}
OUTCOMES_VI = {"pending": "Chờ quyết định", "conferred": "Được tặng", "declined": "Không được tặng"}
STATUS_VI = {"active": "Đang triển khai", "closed": "Đã kết thúc", "open": "Đang theo dõi", "met": "Đạt",
             "missed": "Không đạt", "submitted": "Đã đăng ký", "withdrawn": "Đã rút", "merged": "Đã sáp nhập",
             "dissolved": "Đã giải thể"}
METRICS_VI = {m.value: m.label_vi for m in TargetMetric}
LAUNCHERS_VI = {launcher.value: launcher.label_vi for launcher in Launcher}


# --------------------------------------------------------------------------- validation


def max_year() -> int:
    """The latest year a query may name: next year (plans and targets are set ahead)."""
    return date.today().year + 1


def check_year(year: int | None, name: str = "year") -> int | None:
    """Refuse a year outside [2000, next year] with 422 ``year_out_of_range``."""
    if year is not None and not MIN_YEAR <= year <= max_year():
        raise DomainError(
            "year_out_of_range",
            f"{name} must be between {MIN_YEAR} and {max_year()}, got {year}",
            parameter=name, value=year, min=MIN_YEAR, max=max_year(),
        )
    return year


def check_choice(value: str | None, allowed: Sequence[str] | Mapping[str, Any], code: str, name: str) -> str | None:
    """Refuse a value outside a closed list with 422 and the list."""
    if value is not None and value not in allowed:
        raise DomainError(code, f"unknown {name} {value!r}", parameter=name, value=value, allowed=sorted(allowed))
    return value


SortExpr = str | tuple[str, ...]


def parse_sort(sort: str | None, allowed: Mapping[str, SortExpr], default: Sequence[str]) -> tuple[str, list[str]]:
    """(ORDER BY clause, fields as given) from ``a,-b``; an unknown field is refused with 422.

    A field may stand for several expressions (an award's configured rank, then
    its code); the direction applies to each. The default fields not named are
    appended as tie-breakers, so pages are stable.
    """
    fields = [f.strip() for f in sort.split(",") if f.strip()] if sort else list(default)
    parts: list[str] = []
    used: set[str] = set()

    def order(name: str, direction: str) -> list[str]:
        exprs = allowed[name]
        return [f"{e} {direction} NULLS LAST" for e in ((exprs,) if isinstance(exprs, str) else exprs)]

    for field in fields:
        name = field.lstrip("-+")
        if name not in allowed:
            raise DomainError(
                "unknown_sort_field", f"cannot sort by {name!r}", field=name, allowed=sorted(allowed)
            )
        parts += order(name, "DESC" if field.startswith("-") else "ASC")
        used.add(name)
    for name in default:
        if name not in used:
            parts += order(name, "ASC")
    return ", ".join(parts), fields


def award_rank_sql(order: AwardOrder) -> str:
    """SQL for the configured rank of ``award_code`` (codes come from our YAML; quoted anyway)."""
    codes = ", ".join("'" + e.code.replace("'", "''") + "'" for e in order.entries)
    return f"coalesce(array_position(ARRAY[{codes}]::text[], award_code), 10000)"


# --------------------------------------------------------------------------- answers


def _export_headers(as_of: Mapping[str, Any]) -> dict[str, str]:
    # An export's body cannot carry as_of: its headers do.
    headers = {"X-Read-Model": str(as_of.get("read_model"))}
    if as_of.get("last_event_at"):
        headers["X-Last-Event-At"] = str(as_of["last_event_at"])
    if as_of.get("lag_seconds") is not None:
        headers["X-Lag-Seconds"] = str(as_of["lag_seconds"])
    return headers


async def list_answer(
    fmt: str,
    *,
    items: list[dict[str, Any]],
    total: int,
    limit: int | None,
    offset: int,
    sort: list[str],
    as_of: dict[str, Any],
    columns: Sequence[Column],
    filename: str,
    sheet_title: str,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """A list as JSON (page, total, as_of) or as a CSV / XLSX export of its rows."""
    if fmt == "json":
        body = {"items": items, "total": total, "limit": limit, "offset": offset, "sort": sort, **(extra or {}),
                "as_of": as_of}
        return JSONResponse(jsonable_encoder(body))
    # Every matching row as a workbook is seconds of CPU: rendered off the event loop.
    content, media_type, disposition = await off_loop(
        exports.render, fmt, columns, items, filename, sheet_title=sheet_title
    )
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": disposition, **_export_headers(as_of)})


def json_answer(body: Mapping[str, Any]) -> JSONResponse:
    """A JSON answer (dates and decimals encoded)."""
    return JSONResponse(jsonable_encoder(body))


def is_export(request: Request) -> bool:
    """The request asks for a CSV or XLSX export (every matching row), not a JSON page."""
    return request.query_params.get("format") in ("csv", "xlsx")


def _paging(fmt: str, limit: int, offset: int) -> tuple[int | None, int]:
    # Exports carry every matching row: a page of a spreadsheet is rarely what anyone wants.
    return (None, 0) if fmt != "json" else (limit, offset)


# --------------------------------------------------------------------------- export columns


def _vi(mapping: Mapping[str, str]) -> Callable[[Any], Any]:
    return lambda value: mapping.get(value, value) if value is not None else ""


STATS_COLUMNS: dict[str, Column] = {
    "year": Column("year", "Năm", width=8),
    "flow": Column("flow", "Phân loại", _vi(FLOW_LABELS_VI), width=20),
    "award_code": Column("award_code", "Mã", width=12),
    "award_kind": Column("award_kind", "Loại", _vi({"title": "Danh hiệu", "award": "Hình thức khen thưởng"})),
    "recipient_kind": Column("recipient_kind", "Cá nhân / Tập thể", _vi(RECIPIENT_KINDS_VI), width=16),
    "unit_id": Column("unit_name", "Đơn vị", width=40),
    "authority": Column("authority", "Cấp quyết định", _vi(AUTHORITIES_VI), width=24),
    "to_body": Column("to_body", "Cơ quan trình", width=36),
}
AWARD_NAME_COLUMN = Column("award_name", "Danh hiệu / Hình thức", width=50)
COUNT_COLUMNS = (Column("count", "Số lượng", width=10), Column("revoked", "Bị thu hồi", width=10))

HISTORY_COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", width=8),
    Column("display_name", "Họ và tên / Tên tập thể", width=36),
    Column("recipient_kind", "Cá nhân / Tập thể", _vi(RECIPIENT_KINDS_VI), width=16),
    Column("unit_name", "Đơn vị", width=36),
    Column("award_name", "Danh hiệu / Hình thức", width=50),
    Column("authority", "Cấp quyết định", _vi(AUTHORITIES_VI), width=24),
    Column("flow", "Phân loại", _vi(FLOW_LABELS_VI), width=20),
    Column("decision_number", "Số quyết định", width=18),
    Column("decision_date", "Ngày quyết định", width=14),
    Column("submission_number", "Số tờ trình", width=18),
    Column("outcome", "Kết quả đề nghị", _vi(OUTCOMES_VI), width=18),
    Column("revoked", "Bị thu hồi", width=10),
)

MOVEMENT_COLUMNS: tuple[Column, ...] = (
    Column("movement_id", "Mã phong trào", width=24),
    Column("title", "Tên phong trào thi đua", width=60),
    Column("launched_by", "Cấp phát động", _vi(LAUNCHERS_VI), width=22),
    Column("kind", "Hình thức", _vi({"thuong_xuyen": "Thường xuyên", "chuyen_de": "Chuyên đề"}), width=14),
    Column("period_start", "Từ ngày", width=12),
    Column("period_end", "Đến ngày", width=12),
    Column("status", "Trạng thái", _vi(STATUS_VI), width=16),
    Column("units_registered", "Số đơn vị đăng ký", width=12),
    Column("individuals_registered", "Số cá nhân đăng ký", width=12),
    Column("targets", "Số chỉ tiêu", width=10),
    Column("targets_met", "Chỉ tiêu đạt", width=10),
    Column("targets_missed", "Chỉ tiêu không đạt", width=10),
    Column("reviews", "Số lần sơ kết, tổng kết", width=12),
)

TARGET_COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", width=8),
    Column("target_id", "Mã chỉ tiêu", width=24),
    Column("movement_id", "Phong trào", width=24),
    Column("description", "Nội dung chỉ tiêu", width=60),
    Column("metric", "Chỉ số", _vi(METRICS_VI), width=40),
    Column("threshold_percent", "Mức phấn đấu (%)", width=12),
    Column("numerator", "Tử số", width=10),
    Column("denominator", "Mẫu số", width=10),
    Column("share_percent", "Tỷ lệ đạt (%)", width=12),
    Column("on_track", "Đang đạt", width=10),
    Column("status", "Kết quả", _vi(STATUS_VI), width=14),
)

REGISTRATION_COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", width=8),
    Column("movement_id", "Phong trào", width=24),
    Column("unit_name", "Đơn vị", width=40),
    Column("collective_titles", "Danh hiệu tập thể đăng ký", width=30),
    Column("individual_count", "Số cá nhân đăng ký", width=12),
    Column("submitted_on", "Ngày đăng ký", width=12),
    Column("deadline", "Hạn đăng ký", width=12),
    Column("status", "Trạng thái", _vi(STATUS_VI), width=14),
)

PLEDGE_COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", width=8),
    Column("title", "Tên giao ước thi đua", width=40),
    Column("party_names", "Các bên giao ước", width=50),
    Column("signed_on", "Ngày ký", width=12),
    Column("reviews", "Số lần đánh giá", width=10),
    Column("last_review_kind", "Đánh giá gần nhất", _vi({"interim": "Sơ kết", "final": "Tổng kết"}), width=14),
    Column("achieved", "Đạt", width=8),
    Column("partly_achieved", "Đạt một phần", width=10),
    Column("not_achieved", "Không đạt", width=10),
)

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã đơn vị", width=14),
    Column("indented_name", "Tên đơn vị", width=60),
    Column("level", "Cấp", width=6),
    Column("status", "Trạng thái", _vi({**STATUS_VI, "active": "Đang hoạt động"}), width=16),
    Column("headcount", "Số người (đơn vị)", width=12),
    Column("headcount_total", "Số người (cả đơn vị trực thuộc)", width=14),
)


# --------------------------------------------------------------------------- the router


class ReportingQueries:
    """What the routes share: the read models, the reader, the award order."""

    def __init__(self, service: Service, models: dict[str, Projection]) -> None:
        self.service = service
        self.models = models
        self.reader = Reader(lambda: service.pool)
        self.order = load_award_order()

    @property
    def stats(self) -> Projection:
        return self.models["award_stats"]

    @property
    def history(self) -> Projection:
        return self.models["award_history"]

    @property
    def movements(self) -> Projection:
        return self.models["movements"]

    @property
    def tree_model(self) -> Projection:
        return self.models["unit_tree"]

    async def as_of(self, model: Projection) -> dict[str, Any]:
        """The currency of one read model."""
        return await queries.currency(self.reader, model, self.service.consumer_lag)

    async def tree(self) -> Tree:
        """The unit tree as the read model holds it now."""
        return await queries.load_tree(self.reader, self.tree_model)

    async def unit_scope(
        self,
        tree: Tree,
        unit_id: str | None,
        include_sub_units: bool,
        day: date,
        also_known: Callable[[str], Awaitable[bool]] | None = None,
    ) -> list[str] | None:
        """The units a ``unit_id`` filter stands for (with its sub-units on ``day``); 422 if unknown."""
        if unit_id is None:
            return None
        if unit_id not in tree:
            if also_known is not None and await also_known(unit_id):
                return [unit_id]  # seen in this read model, but its unit events have not arrived (yet)
            raise DomainError("unknown_unit", f"no unit {unit_id!r} is known", unit_id=unit_id)
        return sorted(tree.subtree(unit_id, day)) if include_sub_units else [unit_id]

    async def check_award_code(self, code: str | None, known_in_model: Callable[[], Awaitable[set[str]]]) -> None:
        """An award code must be in the configured list or seen in the read model; else 422."""
        if code is None or code in self.order.codes:
            return
        known = await known_in_model()
        if code not in known:
            raise DomainError(
                "unknown_award_code", f"unknown award or title code {code!r}", award_code=code,
                known=sorted(self.order.codes | known),
            )

    def award_name(self, code: str, names: Mapping[str, str]) -> str:
        return self.order.name(code, names.get(code))


def _unit_name(tree: Tree, unit_id: str | None, year: int | None) -> str | None:
    if not unit_id:
        return None
    day = year_end(year) if year else date.today()
    return tree.name_on(unit_id, day) or unit_id


def router(service: Service, models: dict[str, Projection], rebuilds: Rebuilds) -> APIRouter:
    """The reporting API, closing over the service and its read models."""
    q = ReportingQueries(service, models)
    # An export carries every matching row (thousands, as XLSX): a few at a time, one per person.
    exports_gate = Gate("export", total=2, per_person=1)
    api = APIRouter(dependencies=[Depends(exports_gate.dependency(is_export))], responses=BUSY)
    paging = {
        "limit": Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Page size (ignored by exports)."),
        "offset": Query(0, ge=0, description="Rows to skip (ignored by exports)."),
    }
    fmt_query = Query("json", description="json (a page), or csv / xlsx (every matching row, Vietnamese headers).")

    # ------------------------------------------------------------------ award statistics

    @api.get(
        "/statistics/awards", tags=["awards statistics (thống kê khen thưởng)"],
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
        unit_id: str | None = Query(None, description="A unit (with its sub-units by default)."),
        include_sub_units: bool = Query(True),
        group_by: str | None = Query(
            None, description=f"Comma-separated dimensions to keep, from {', '.join(DIMENSIONS)} "
            "[year,flow,award_code,recipient_kind,unit_id,authority]."
        ),
        sort: str | None = Query(None, description="e.g. -count,year; fields: the dimensions kept, count, revoked."),
        limit: int = paging["limit"],
        offset: int = paging["offset"],
        format: Format = fmt_query,  # noqa: A002  (the parameter's public name)
    ) -> Response:
        check_year(year)
        check_choice(flow, FLOWS, "unknown_flow", "flow")
        check_choice(recipient_kind, RECIPIENT_KINDS_VI, "unknown_recipient_kind", "recipient_kind")
        check_choice(authority, AUTHORITIES_VI, "unknown_authority", "authority")
        await q.check_award_code(award_code, lambda: queries.known_values(q.reader, q.stats, "award_code"))
        dims = (
            [d.strip() for d in group_by.split(",") if d.strip()] if group_by is not None
            else ["year", "flow", "award_code", "recipient_kind", "unit_id", "authority"]
        )
        for d in dims:
            if d not in DIMENSIONS:
                raise DomainError("unknown_group_by", f"cannot group by {d!r}", field=d, allowed=list(DIMENSIONS))
        dims = [d for d in DIMENSIONS if d in dims]  # canonical order, no duplicates
        tree = await q.tree()
        day = year_end(year) if year else date.today()

        async def unit_in_stats(u: str) -> bool:
            return u in await queries.known_values(q.reader, q.stats, "unit_id")

        units = await q.unit_scope(tree, unit_id, include_sub_units, day, unit_in_stats)
        where = Where.empty()
        if year is not None:
            where.add("year = {}", year)
        if flow:
            where.add("flow = {}", flow)
        if award_code:
            where.add("award_code = {}", award_code)
        if recipient_kind:
            where.add("recipient_kind = {}", recipient_kind)
        if authority:
            where.add("authority = {}", authority)
        if units is not None:
            where.add("unit_id = ANY({}::text[])", units)
        allowed: dict[str, SortExpr] = {
            d: ((award_rank_sql(q.order), "award_code") if d == "award_code" else d) for d in dims
        }
        allowed |= {"count": "count", "revoked": "revoked"}
        default = [d for d in ("year", "flow", "award_code", "recipient_kind", "unit_id", "authority", "award_kind",
                               "to_body") if d in dims]
        order_by, sort_fields = parse_sort(sort, allowed, default)
        page_limit, page_offset = _paging(format, limit, offset)
        rows, total = await queries.grouped_stats(
            q.reader, q.stats, where=where, dims=dims, order_by=order_by, limit=page_limit, offset=page_offset,
        )
        names = await queries.award_names(q.reader, q.stats)
        for row in rows:
            if "award_code" in row:
                row["award_name"] = q.award_name(row["award_code"], names)
            if "unit_id" in row:
                row["unit_id"] = row["unit_id"] or None
                row["unit_name"] = _unit_name(tree, row["unit_id"], row.get("year") or year)
            if "to_body" in row:
                row["to_body"] = row["to_body"] or None
        columns = [STATS_COLUMNS[d] for d in dims if d != "award_code"]
        if "award_code" in dims:
            at = dims.index("award_code")
            columns[at:at] = [STATS_COLUMNS["award_code"], AWARD_NAME_COLUMN]
        columns += list(COUNT_COLUMNS)
        return await list_answer(
            format, items=rows, total=total, limit=page_limit, offset=page_offset, sort=sort_fields,
            as_of=await q.as_of(q.stats), columns=columns,
            filename=f"Thống kê khen thưởng{' năm ' + str(year) if year else ''}", sheet_title="Thống kê",
            extra={"group_by": dims},
        )

    @api.get(
        "/summaries/{year}", tags=["awards statistics (thống kê khen thưởng)"],
        summary="Year-end summary: the figures and the paragraph of the Ministry's report",
        description="What the Ministry proposed to other authorities (`proposed`, by `to_authority`), what it "
        "granted itself (`granted`) and what the other authorities conferred (`conferred_by_higher`), each with "
        "individuals and collectives, and `paragraph_vi`: the same figures as the year-end report writes them "
        "(\"Năm 2023, Bộ đã trình xét tặng danh hiệu Nhà giáo nhân dân cho 2 cá nhân, …\").",
        responses=answer(Answer),
    )
    async def summary(year: int = Path(..., description="The year (năm thành tích).")) -> Response:
        check_year(year)
        rows = await queries.stat_rows(q.reader, q.stats, year)
        names = await queries.award_names(q.reader, q.stats)
        body = year_summary(year, rows, names, q.order)
        body["as_of"] = await q.as_of(q.stats)
        return json_answer(body)

    @api.get(
        "/reports/annual/{year}", tags=["awards statistics (thống kê khen thưởng)"],
        summary="The periodic statistical report on emulation and commendation (documented equivalent)",
        description="By year × title or award × deciding authority × individual/collective, with subtotals: "
        "A. decided by the Ministry, B. proposed to higher authorities, C. conferred by them. The layout of the "
        "forms of Thông tư 02/2023/TT-BNV could not be confirmed, so this is an equivalent (see the README).",
        responses=exportable(Answer),
    )
    async def annual_report(
        year: int = Path(...),
        format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        check_year(year)
        rows = await queries.stat_rows(q.reader, q.stats, year)
        names = await queries.award_names(q.reader, q.stats)
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
                                                            **_export_headers(as_of)})

    # ------------------------------------------------------------------ award history

    history_sort = {
        "year": "year", "award_code": "award_code", "decision_date": "decision_date", "display_name": "display_name",
        "flow": "flow", "forwarded_on": "forwarded_on", "entry_id": "entry_id",
    }

    async def history_list(
        where: Where, *, year: int | None, sort: str | None, limit: int, offset: int, fmt: str, filename: str,
        extra: Mapping[str, Any] | None = None,
    ) -> Response:
        order_by, sort_fields = parse_sort(sort, history_sort, ["year", "award_code", "display_name", "entry_id"])
        page_limit, page_offset = _paging(fmt, limit, offset)
        rows, total = await queries.page_of(
            q.reader, qualified(q.history.live_schema, "award_history"), columns="*", where=where,
            order_by=order_by, limit=page_limit, offset=page_offset,
        )
        tree = await q.tree()
        for row in rows:
            # award_name stays as the decision wrote it: this is the record of one decision.
            row["unit_name"] = _unit_name(tree, row["unit_id"], row["year"])
        return await list_answer(
            fmt, items=rows, total=total, limit=page_limit, offset=page_offset, sort=sort_fields,
            as_of=await q.as_of(q.history), columns=HISTORY_COLUMNS, filename=filename, sheet_title="Khen thưởng",
            extra=extra,
        )

    def history_filters(
        where: Where, year: int | None, flow: str | None, award_code: str | None, recipient_kind: str | None,
        authority: str | None, outcome: str | None, revoked: bool | None,
    ) -> None:
        if year is not None:
            where.add("year = {}", year)
        if flow:
            where.add("flow = {}", flow)
        if award_code:
            where.add("award_code = {}", award_code)
        if recipient_kind:
            where.add("recipient_kind = {}", recipient_kind)
        if authority:
            where.add("authority = {}", authority)
        if outcome:
            where.add("outcome = {}", outcome)
        if revoked is not None:
            where.add("revoked = {}", revoked)

    async def in_history(u: str) -> bool:
        return bool(await q.reader.fetchval(
            f"SELECT EXISTS (SELECT 1 FROM {qualified(q.history.live_schema, 'award_history')} "
            "WHERE subject_id = $1 OR unit_id = $1)", u,
        ))

    async def history_codes() -> set[str]:
        rows = await q.reader.fetch(
            f"SELECT DISTINCT award_code FROM {qualified(q.history.live_schema, 'award_history')}"
        )
        return {r["award_code"] for r in rows}

    def validate_history(
        year: int | None, flow: str | None, recipient_kind: str | None, authority: str | None, outcome: str | None
    ) -> None:
        check_year(year)
        check_choice(flow, FLOWS, "unknown_flow", "flow")
        check_choice(recipient_kind, RECIPIENT_KINDS_VI, "unknown_recipient_kind", "recipient_kind")
        check_choice(authority, AUTHORITIES_VI, "unknown_authority", "authority")
        check_choice(outcome, OUTCOMES_VI, "unknown_outcome", "outcome")

    @api.get(
        "/awards", tags=["award history (lịch sử khen thưởng)"],
        summary="Titles and awards conferred, and recipients proposed upward, one row each",
        responses=exportable(Page),
    )
    async def awards_list(
        year: int | None = Query(None), flow: str | None = Query(None), award_code: str | None = Query(None),
        recipient_kind: str | None = Query(None), authority: str | None = Query(None),
        unit_id: str | None = Query(None), include_sub_units: bool = Query(True),
        outcome: str | None = Query(None, description="For proposals: pending, conferred or declined."),
        revoked: bool | None = Query(None), sort: str | None = Query(None),
        limit: int = paging["limit"], offset: int = paging["offset"], format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        validate_history(year, flow, recipient_kind, authority, outcome)
        await q.check_award_code(award_code, history_codes)
        where = Where.empty()
        history_filters(where, year, flow, award_code, recipient_kind, authority, outcome, revoked)
        if unit_id is not None:
            tree = await q.tree()
            units = await q.unit_scope(tree, unit_id, include_sub_units, year_end(year) if year else date.today(),
                                       in_history)
            where.add("unit_id = ANY({}::text[])", units)
        return await history_list(where, year=year, sort=sort, limit=limit, offset=offset, fmt=format,
                                  filename=f"Danh sách khen thưởng{' năm ' + str(year) if year else ''}")

    @api.get(
        "/people/{person_id}/awards", tags=["award history (lịch sử khen thưởng)"],
        summary="A person's titles, awards and proposals (lịch sử khen thưởng cá nhân)",
        responses=exportable(Page),
    )
    async def person_awards(
        person_id: str = Path(..., min_length=1, max_length=64),
        year: int | None = Query(None), flow: str | None = Query(None), award_code: str | None = Query(None),
        sort: str | None = Query(None), limit: int = paging["limit"], offset: int = paging["offset"],
        format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        validate_history(year, flow, None, None, None)
        await q.check_award_code(award_code, history_codes)
        if not await queries.person_known(q.reader, q.tree_model, q.history, person_id):
            raise NotFound("person_not_found", f"no person {person_id!r} is known", person_id=person_id)
        where = Where.empty().add("subject_id = {}", person_id).add("recipient_kind = {}", "individual")
        history_filters(where, year, flow, award_code, None, None, None, None)
        return await history_list(where, year=year, sort=sort, limit=limit, offset=offset, fmt=format,
                                  filename=f"Khen thưởng cá nhân {person_id}", extra={"person_id": person_id})

    @api.get(
        "/units/{unit_id}/awards", tags=["award history (lịch sử khen thưởng)"],
        summary="A unit's titles, awards and proposals (lịch sử khen thưởng tập thể)",
        description="The unit's own (collective) titles and awards; with `include_sub_units` those of the units "
        "under it; with `include_members` also those of the people in them.",
        responses=exportable(Page),
    )
    async def unit_awards(
        unit_id: str = Path(..., min_length=1, max_length=64),
        include_sub_units: bool = Query(False), include_members: bool = Query(False),
        year: int | None = Query(None), flow: str | None = Query(None), award_code: str | None = Query(None),
        sort: str | None = Query(None), limit: int = paging["limit"], offset: int = paging["offset"],
        format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        validate_history(year, flow, None, None, None)
        await q.check_award_code(award_code, history_codes)
        tree = await q.tree()
        if unit_id not in tree and not await in_history(unit_id):
            raise NotFound("unit_not_found", f"no unit {unit_id!r} is known", unit_id=unit_id)
        units = await q.unit_scope(tree, unit_id, include_sub_units, year_end(year) if year else date.today(),
                                   in_history) or [unit_id]
        where = Where.empty()
        if include_members:
            where.add("(subject_id = ANY({0}::text[]) OR unit_id = ANY({0}::text[]))", units)
        else:
            where.add("subject_id = ANY({}::text[])", units).add("recipient_kind = {}", "collective")
        history_filters(where, year, flow, award_code, None, None, None, None)
        return await history_list(where, year=year, sort=sort, limit=limit, offset=offset, fmt=format,
                                  filename=f"Khen thưởng đơn vị {unit_id}", extra={"unit_id": unit_id})

    # ------------------------------------------------------------------ movements

    def movements_table(name: str) -> str:
        return qualified(q.movements.live_schema, name)

    async def movement_counts(ids: list[str], year: int | None) -> dict[str, dict[str, int]]:
        counts: dict[str, dict[str, int]] = {i: {} for i in ids}
        if not ids:
            return counts
        year_clause = "AND year = $2" if year is not None else ""
        args: list[Any] = [ids] + ([year] if year is not None else [])
        for r in await q.reader.fetch(
            f"SELECT movement_id, count(DISTINCT unit_id) FILTER (WHERE status = 'submitted') AS units_registered, "
            f"coalesce(sum(individual_count) FILTER (WHERE status = 'submitted'), 0)::int AS individuals_registered, "
            f"count(*) FILTER (WHERE status = 'withdrawn') AS registrations_withdrawn "
            f"FROM {movements_table('registrations')} WHERE movement_id = ANY($1::text[]) {year_clause} "
            f"GROUP BY movement_id", *args,
        ):
            counts[r["movement_id"]].update({k: r[k] for k in r.keys() if k != "movement_id"})
        for r in await q.reader.fetch(
            f"SELECT movement_id, count(*) AS targets, count(*) FILTER (WHERE status = 'met') AS targets_met, "
            f"count(*) FILTER (WHERE status = 'missed') AS targets_missed, "
            f"count(*) FILTER (WHERE status = 'open' AND on_track) AS targets_on_track "
            f"FROM {movements_table('targets')} WHERE movement_id = ANY($1::text[]) {year_clause} "
            f"GROUP BY movement_id", *args,
        ):
            counts[r["movement_id"]].update({k: r[k] for k in r.keys() if k != "movement_id"})
        review_year = "AND extract(year FROM reviewed_on) = $2" if year is not None else ""
        for r in await q.reader.fetch(
            f"SELECT movement_id, count(*) AS reviews, max(reviewed_on) AS last_reviewed_on "
            f"FROM {movements_table('movement_reviews')} WHERE movement_id = ANY($1::text[]) {review_year} "
            f"GROUP BY movement_id", *args,
        ):
            counts[r["movement_id"]].update({"reviews": r["reviews"], "last_reviewed_on": r["last_reviewed_on"]})
        return counts

    @api.get("/movements", tags=["movements (phong trào thi đua)"],
             summary="Emulation movements with registrations, targets and reviews (dashboard list)",
             responses=exportable(Page))
    async def movements_list(
        year: int | None = Query(None, description="Movements running during that year; counts of that year."),
        status: str | None = Query(None, description="active or closed."),
        launched_by: str | None = Query(None), sort: str | None = Query(None),
        limit: int = paging["limit"], offset: int = paging["offset"], format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_choice(status, ("active", "closed"), "unknown_status", "status")
        check_choice(launched_by, LAUNCHERS_VI, "unknown_launcher", "launched_by")
        where = Where.empty()
        if year is not None:
            where.add("period_start <= {}", date(year, 12, 31))
            where.add("(period_end IS NULL OR period_end >= {})", date(year, 1, 1))
        if status:
            where.add("status = {}", status)
        if launched_by:
            where.add("launched_by = {}", launched_by)
        order_by, sort_fields = parse_sort(
            sort, {"launched_on": "launched_on", "period_start": "period_start", "title": "title",
                   "movement_id": "movement_id", "status": "status"},
            ["launched_on", "movement_id"],
        )
        page_limit, page_offset = _paging(format, limit, offset)
        rows, total = await queries.page_of(
            q.reader, movements_table("movements"), columns="*", where=where, order_by=order_by,
            limit=page_limit, offset=page_offset,
        )
        counts = await movement_counts([r["movement_id"] for r in rows], year)
        zero = {"units_registered": 0, "individuals_registered": 0, "registrations_withdrawn": 0, "targets": 0,
                "targets_met": 0, "targets_missed": 0, "targets_on_track": 0, "reviews": 0, "last_reviewed_on": None}
        for row in rows:
            row.update({**zero, **counts[row["movement_id"]]})
        return await list_answer(
            format, items=rows, total=total, limit=page_limit, offset=page_offset, sort=sort_fields,
            as_of=await q.as_of(q.movements), columns=MOVEMENT_COLUMNS,
            filename=f"Phong trào thi đua{' năm ' + str(year) if year else ''}", sheet_title="Phong trào",
        )

    @api.get("/movements/{movement_id}", tags=["movements (phong trào thi đua)"],
             summary="One movement's dashboard: targets and progress, registrations, pledges, reviews",
             responses=answer(Answer))
    async def movement_dashboard(
        movement_id: str = Path(..., min_length=1), year: int | None = Query(None)
    ) -> Response:
        check_year(year)
        movement = await q.reader.fetchrow(
            f"SELECT * FROM {movements_table('movements')} WHERE movement_id = $1", movement_id
        )
        if movement is None:
            raise NotFound("movement_not_found", f"no movement {movement_id!r} is known", movement_id=movement_id)
        year_clause, args = ("AND year = $2", [movement_id, year]) if year is not None else ("", [movement_id])
        targets = await q.reader.fetch(
            f"SELECT * FROM {movements_table('targets')} WHERE movement_id = $1 {year_clause} ORDER BY year, target_id",
            *args,
        )
        registrations = await q.reader.fetch(
            f"SELECT * FROM {movements_table('registrations')} WHERE movement_id = $1 {year_clause} "
            "ORDER BY year, unit_id", *args,
        )
        reviews = await q.reader.fetch(
            f"SELECT kind, reviewed_on, summary, document_ref FROM {movements_table('movement_reviews')} "
            "WHERE movement_id = $1 ORDER BY reviewed_on, kind, summary", movement_id,
        )
        pledges = await q.reader.fetch(
            f"SELECT pledge_id, title, year, signed_on FROM {movements_table('pledges')} WHERE movement_id = $1 "
            "ORDER BY year, pledge_id", movement_id,
        )
        by_year: dict[int, dict[str, Any]] = {}
        for r in registrations:
            y = by_year.setdefault(r["year"], {"year": r["year"], "units_registered": 0, "individuals_registered": 0,
                                               "withdrawn": 0, "collective_titles": Counter(),
                                               "individual_titles": Counter()})
            if r["status"] == "withdrawn":
                y["withdrawn"] += 1
                continue
            y["units_registered"] += 1
            y["individuals_registered"] += r["individual_count"]
            y["collective_titles"].update(r["collective_titles"])
            for person in r["individuals"]:
                y["individual_titles"].update(person.get("titles", []))
        summary = [
            {**y, "collective_titles": dict(sorted(y["collective_titles"].items())),
             "individual_titles": dict(sorted(y["individual_titles"].items()))}
            for _, y in sorted(by_year.items())
        ]
        target_list = [dict(t) for t in targets]
        return json_answer({
            "movement": dict(movement),
            "targets": target_list,
            "targets_summary": {
                "total": len(target_list),
                "met": sum(t["status"] == "met" for t in target_list),
                "missed": sum(t["status"] == "missed" for t in target_list),
                "open": sum(t["status"] == "open" for t in target_list),
                "on_track": sum(bool(t["status"] == "open" and t["on_track"]) for t in target_list),
            },
            "registrations": summary,
            "reviews": [dict(r) for r in reviews],
            "pledges": [dict(p) for p in pledges],
            "as_of": await q.as_of(q.movements),
        })

    @api.get("/targets", tags=["movements (phong trào thi đua)"], summary="Targets (chỉ tiêu) and their progress",
             responses=exportable(Page))
    async def targets_list(
        year: int | None = Query(None), movement_id: str | None = Query(None),
        status: str | None = Query(None, description="open, met or missed."),
        metric: str | None = Query(None), sort: str | None = Query(None),
        limit: int = paging["limit"], offset: int = paging["offset"], format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_choice(status, ("open", "met", "missed"), "unknown_status", "status")
        check_choice(metric, METRICS_VI, "unknown_metric", "metric")
        where = Where.empty()
        if year is not None:
            where.add("year = {}", year)
        if movement_id:
            where.add("movement_id = {}", movement_id)
        if status:
            where.add("status = {}", status)
        if metric:
            where.add("metric = {}", metric)
        order_by, sort_fields = parse_sort(
            sort, {"year": "year", "target_id": "target_id", "share_percent": "share_percent", "status": "status",
                   "movement_id": "movement_id"},
            ["year", "target_id"],
        )
        page_limit, page_offset = _paging(format, limit, offset)
        rows, total = await queries.page_of(
            q.reader, movements_table("targets"), columns="*", where=where, order_by=order_by, limit=page_limit,
            offset=page_offset,
        )
        return await list_answer(
            format, items=rows, total=total, limit=page_limit, offset=page_offset, sort=sort_fields,
            as_of=await q.as_of(q.movements), columns=TARGET_COLUMNS,
            filename=f"Chỉ tiêu thi đua{' năm ' + str(year) if year else ''}", sheet_title="Chỉ tiêu",
        )

    @api.get("/registrations", tags=["movements (phong trào thi đua)"],
             summary="Registrations (đăng ký thi đua) by movement, year and unit",
             responses=exportable(Page))
    async def registrations_list(
        year: int | None = Query(None), movement_id: str | None = Query(None), unit_id: str | None = Query(None),
        include_sub_units: bool = Query(True), status: str | None = Query(None, description="submitted or withdrawn."),
        sort: str | None = Query(None),
        limit: int = paging["limit"], offset: int = paging["offset"], format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_choice(status, ("submitted", "withdrawn"), "unknown_status", "status")
        tree = await q.tree()
        units = await q.unit_scope(tree, unit_id, include_sub_units, year_end(year) if year else date.today())
        where = Where.empty()
        if year is not None:
            where.add("year = {}", year)
        if movement_id:
            where.add("movement_id = {}", movement_id)
        if units is not None:
            where.add("unit_id = ANY({}::text[])", units)
        if status:
            where.add("status = {}", status)
        order_by, sort_fields = parse_sort(
            sort, {"year": "year", "movement_id": "movement_id", "unit_id": "unit_id", "submitted_on": "submitted_on",
                   "individual_count": "individual_count", "registration_id": "registration_id"},
            ["year", "movement_id", "unit_id", "registration_id"],
        )
        page_limit, page_offset = _paging(format, limit, offset)
        rows, total = await queries.page_of(
            q.reader, movements_table("registrations"), columns="*", where=where, order_by=order_by,
            limit=page_limit, offset=page_offset,
        )
        for row in rows:
            row["unit_name"] = _unit_name(tree, row["unit_id"], row["year"])
        return await list_answer(
            format, items=rows, total=total, limit=page_limit, offset=page_offset, sort=sort_fields,
            as_of=await q.as_of(q.movements), columns=REGISTRATION_COLUMNS,
            filename=f"Đăng ký thi đua{' năm ' + str(year) if year else ''}", sheet_title="Đăng ký",
        )

    async def pledge_reviews(ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
        if ids:
            for r in await q.reader.fetch(
                f"SELECT * FROM {movements_table('pledge_reviews')} WHERE pledge_id = ANY($1::text[]) "
                "ORDER BY pledge_id, review_no", ids,
            ):
                found[r["pledge_id"]].append(dict(r))
        return found

    @api.get("/pledges", tags=["movements (phong trào thi đua)"],
             summary="Emulation pledges (giao ước thi đua) and the result of their latest review",
             responses=exportable(Page))
    async def pledges_list(
        year: int | None = Query(None), movement_id: str | None = Query(None), sort: str | None = Query(None),
        limit: int = paging["limit"], offset: int = paging["offset"], format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        check_year(year)
        where = Where.empty()
        if year is not None:
            where.add("year = {}", year)
        if movement_id:
            where.add("movement_id = {}", movement_id)
        order_by, sort_fields = parse_sort(
            sort, {"year": "year", "signed_on": "signed_on", "title": "title", "pledge_id": "pledge_id"},
            ["year", "signed_on", "pledge_id"],
        )
        page_limit, page_offset = _paging(format, limit, offset)
        rows, total = await queries.page_of(
            q.reader, movements_table("pledges"), columns="*", where=where, order_by=order_by, limit=page_limit,
            offset=page_offset,
        )
        reviews = await pledge_reviews([r["pledge_id"] for r in rows])
        for row in rows:
            mine = reviews[row["pledge_id"]]
            last = mine[-1] if mine else None
            row["party_names"] = "; ".join(p["name"] for p in row["parties"])
            row["reviews"] = len(mine)
            row["last_review_kind"] = last["kind"] if last else None
            row["last_reviewed_on"] = last["reviewed_on"] if last else None
            row["final_reviewed"] = any(r["kind"] == "final" for r in mine)
            for key in ("achieved", "partly_achieved", "not_achieved"):
                row[key] = last[key] if last else None
        return await list_answer(
            format, items=rows, total=total, limit=page_limit, offset=page_offset, sort=sort_fields,
            as_of=await q.as_of(q.movements), columns=PLEDGE_COLUMNS,
            filename=f"Giao ước thi đua{' năm ' + str(year) if year else ''}", sheet_title="Giao ước",
        )

    @api.get("/pledges/{pledge_id}", tags=["movements (phong trào thi đua)"],
             summary="One pledge with each review's clause assessments",
             responses=answer(Answer))
    async def pledge_detail(pledge_id: str = Path(..., min_length=1)) -> Response:
        pledge = await q.reader.fetchrow(f"SELECT * FROM {movements_table('pledges')} WHERE pledge_id = $1", pledge_id)
        if pledge is None:
            raise NotFound("pledge_not_found", f"no pledge {pledge_id!r} is known", pledge_id=pledge_id)
        reviews = (await pledge_reviews([pledge_id]))[pledge_id]
        return json_answer({"pledge": dict(pledge), "reviews": reviews, "as_of": await q.as_of(q.movements)})

    # ------------------------------------------------------------------ unit tree and headcounts

    async def listing(year: int, on: date | None) -> tuple[Tree, list[dict[str, Any]], date]:
        tree = await q.tree()
        day = on or year_end(year)
        placed = await queries.placed_in_year(q.reader, q.tree_model, year)
        graded = await queries.graded_in_year(q.reader, q.tree_model, year)
        own = headcounts(tree, year, placed, graded)
        rows = [r.as_dict() for r in tree.listing(day, own)]
        for r in rows:
            r["indented_name"] = "    " * r["level"] + r["name"]
        return tree, rows, day

    def check_on(on: date | None) -> None:
        if on is not None:
            check_year(on.year, "on")

    @api.get("/units", tags=["unit tree (cây đơn vị)"],
             summary="The unit tree of a year as a list, with headcounts (own and with sub-units)",
             description="The tree on 31 December of `year` (or on `on`), in tree order; headcounts of `year` by "
             "the counting rule of the units contract (the unit on 31 December, or on the last day for someone who "
             "left; merges followed).",
             responses=exportable(Page))
    async def units_list(
        year: int | None = Query(None, description="Headcount year [this year]."),
        on: date | None = Query(None, description="Day of the tree [31 December of year]."),
        unit_id: str | None = Query(None, description="Only this unit and its sub-units."),
        sort: str | None = Query(None, description="path (tree order), code, name, headcount, headcount_total."),
        limit: int = paging["limit"], offset: int = paging["offset"], format: Format = fmt_query,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_on(on)
        year = year or (on.year if on else date.today().year)
        tree, rows, day = await listing(year, on)
        if unit_id is not None:
            if unit_id not in tree:
                raise DomainError("unknown_unit", f"no unit {unit_id!r} is known", unit_id=unit_id)
            keep = tree.subtree(unit_id, day)
            rows = [r for r in rows if r["unit_id"] in keep]
        keys = {"path": lambda r: r["path"], "code": lambda r: r["code"], "name": lambda r: r["name"],
                "headcount": lambda r: r["headcount"], "headcount_total": lambda r: r["headcount_total"]}
        fields = [f.strip() for f in sort.split(",") if f.strip()] if sort else ["path"]
        for field in reversed(fields):
            name = field.lstrip("-+")
            if name not in keys:
                raise DomainError("unknown_sort_field", f"cannot sort by {name!r}", field=name, allowed=sorted(keys))
            rows.sort(key=keys[name], reverse=field.startswith("-"))
        total = len(rows)
        page_limit, page_offset = _paging(format, limit, offset)
        page = rows[page_offset: page_offset + page_limit] if page_limit is not None else rows
        return await list_answer(
            format, items=page, total=total, limit=page_limit, offset=page_offset, sort=fields,
            as_of=await q.as_of(q.tree_model), columns=UNIT_COLUMNS, filename=f"Cây đơn vị năm {year}",
            sheet_title=f"Đơn vị {year}", extra={"year": year, "on": day},
        )

    @api.get("/units/tree", tags=["unit tree (cây đơn vị)"], summary="The unit tree of a year, nested, with headcounts",
             responses=answer(Answer))
    async def units_tree(year: int | None = Query(None), on: date | None = Query(None)) -> Response:
        check_year(year)
        check_on(on)
        year = year or (on.year if on else date.today().year)
        _tree, rows, day = await listing(year, on)
        nodes = {r["unit_id"]: {**r, "children": []} for r in rows}
        roots = []
        for r in rows:
            parent = nodes.get(r["parent_id"]) if r["parent_id"] else None
            (parent["children"] if parent else roots).append(nodes[r["unit_id"]])
        return json_answer({"year": year, "on": day, "roots": roots, "as_of": await q.as_of(q.tree_model)})

    @api.get("/units/{unit_id}/headcounts", tags=["unit tree (cây đơn vị)"],
             summary="A unit's headcount year by year (own and with its sub-units)",
             responses=answer(Answer))
    async def unit_headcounts(
        unit_id: str = Path(..., min_length=1, max_length=64),
        from_year: int | None = Query(None), to_year: int | None = Query(None),
    ) -> Response:
        check_year(from_year, "from_year")
        check_year(to_year, "to_year")
        tree = await q.tree()
        if unit_id not in tree:
            raise NotFound("unit_not_found", f"no unit {unit_id!r} is known", unit_id=unit_id)
        first = from_year or max(MIN_YEAR, tree.units[unit_id].established_on.year)
        last = to_year or date.today().year
        if first > last or last - first > 50:
            raise DomainError("invalid_year_range", f"from_year {first} to to_year {last} is not a range of at most "
                              "50 years", from_year=first, to_year=last)
        series = []
        for year in range(first, last + 1):
            placed = await queries.placed_in_year(q.reader, q.tree_model, year)
            graded = await queries.graded_in_year(q.reader, q.tree_model, year)
            own = headcounts(tree, year, placed, graded)
            day = year_end(year)
            series.append({
                "year": year,
                "name": tree.name_on(unit_id, day),
                "status": tree.status_on(unit_id, day),
                "headcount": own.get(unit_id, 0),
                "headcount_total": sum(own.get(u, 0) for u in tree.subtree(unit_id, day)),
            })
        return json_answer({"unit_id": unit_id, "years": series, "as_of": await q.as_of(q.tree_model)})

    # ------------------------------------------------------------------ read models and rebuilds

    def model_named(name: str) -> Projection:
        if name not in models:
            raise NotFound("unknown_read_model", f"no read model {name!r}", read_model=name, known=sorted(models))
        return models[name]

    @api.get("/read-models", tags=["operations"], summary="The read models: schema, currency, rows, rebuilds",
             responses=answer(Document))
    async def read_models_list(checksums: bool = Query(False, description="Also an md5 of each table.")) -> Response:
        answer = []
        for name, model in models.items():
            item: dict[str, Any] = {"read_model": name, "consumer": model.name, "schema": model.live_schema,
                                    "topics": list(model.topics), "as_of": await q.as_of(model)}
            async with q.reader.pool.acquire() as conn:
                sums = await table_checksums(conn, model.live_schema, model.TABLES) if checksums else None
                if sums is None:
                    item["rows"] = {
                        t: await conn.fetchval(f"SELECT count(*) FROM {qualified(model.live_schema, t)}")
                        for t in model.TABLES
                    }
                else:
                    item["rows"] = {t: n for t, (_s, n) in sums.items()}
                    item["checksums"] = {t: s for t, (s, _n) in sums.items()}
            job = rebuilds.jobs.get(name)
            item["last_rebuild"] = job.as_dict() if job else None
            answer.append(item)
        return json_answer({"read_models": answer})

    @api.post("/read-models/{name}/rebuild", status_code=202, tags=["operations"],
              summary="Rebuild a read model from the beginning of its topics, then swap it in",
              description="Runs in the background; queries keep answering from the live tables until the swap. "
              "Follow it with GET on the same path. 409 rebuild_running while one runs.",
              responses=answer(Document, 202))
    async def start_rebuild(name: str = Path(...)) -> Response:
        model_named(name)
        job = rebuilds.start(name)
        return JSONResponse(status_code=202, content=jsonable_encoder(job.as_dict()))

    @api.get("/read-models/{name}/rebuild", tags=["operations"], summary="The latest rebuild of a read model",
             responses=answer(Document))
    async def rebuild_status(name: str = Path(...)) -> Response:
        model_named(name)
        job = rebuilds.jobs.get(name)
        if job is None:
            raise NotFound("no_rebuild", f"no rebuild of {name} since the service started", read_model=name)
        return json_answer(job.as_dict())

    return api
