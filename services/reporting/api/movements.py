"""Emulation movements (phong trào thi đua): the dashboard list and one movement's dashboard, targets,
registrations and pledges."""

from __future__ import annotations

from collections import Counter
from typing import Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kernel.errors import NotFound
from kernel.ids import SubjectId

from ..answers import Answer, Page, answer, exportable
from ..exports import Column
from ..projections.queries import (
    movement,
    movement_counts,
    movement_records,
    movements_page,
    pledge,
    pledge_reviews,
    pledges_page,
    registrations_page,
    targets_page,
)
from .common import (
    FORMAT,
    LAUNCHERS_VI,
    LIMIT,
    METRICS_VI,
    OFFSET,
    STATUS_VI,
    Format,
    ReportingQueries,
    check_choice,
    check_year,
    day_of,
    in_year,
    json_answer,
    list_answer,
    paging,
    unit_name,
    vi,
)

TAG = "movements (phong trào thi đua)"

MOVEMENT_COLUMNS: tuple[Column, ...] = (
    Column("movement_id", "Mã phong trào", width=24),
    Column("title", "Tên phong trào thi đua", width=60),
    Column("launched_by", "Cấp phát động", vi(LAUNCHERS_VI), width=22),
    Column("kind", "Hình thức", vi({"thuong_xuyen": "Thường xuyên", "chuyen_de": "Chuyên đề"}), width=14),
    Column("period_start", "Từ ngày", width=12),
    Column("period_end", "Đến ngày", width=12),
    Column("status", "Trạng thái", vi(STATUS_VI), width=16),
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
    Column("metric", "Chỉ số", vi(METRICS_VI), width=40),
    Column("threshold_percent", "Mức phấn đấu (%)", width=12),
    Column("numerator", "Tử số", width=10),
    Column("denominator", "Mẫu số", width=10),
    Column("share_percent", "Tỷ lệ đạt (%)", width=12),
    Column("on_track", "Đang đạt", width=10),
    Column("status", "Kết quả", vi(STATUS_VI), width=14),
)

REGISTRATION_COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", width=8),
    Column("movement_id", "Phong trào", width=24),
    Column("unit_name", "Đơn vị", width=40),
    Column("collective_titles", "Danh hiệu tập thể đăng ký", width=30),
    Column("individual_count", "Số cá nhân đăng ký", width=12),
    Column("submitted_on", "Ngày đăng ký", width=12),
    Column("deadline", "Hạn đăng ký", width=12),
    Column("status", "Trạng thái", vi(STATUS_VI), width=14),
)

PLEDGE_COLUMNS: tuple[Column, ...] = (
    Column("year", "Năm", width=8),
    Column("title", "Tên giao ước thi đua", width=40),
    Column("party_names", "Các bên giao ước", width=50),
    Column("signed_on", "Ngày ký", width=12),
    Column("reviews", "Số lần đánh giá", width=10),
    Column("last_review_kind", "Đánh giá gần nhất", vi({"interim": "Sơ kết", "final": "Tổng kết"}), width=14),
    Column("achieved", "Đạt", width=8),
    Column("partly_achieved", "Đạt một phần", width=10),
    Column("not_achieved", "Không đạt", width=10),
)

NO_COUNTS = {"units_registered": 0, "individuals_registered": 0, "registrations_withdrawn": 0, "targets": 0,
             "targets_met": 0, "targets_missed": 0, "targets_on_track": 0, "reviews": 0, "last_reviewed_on": None}
"""A movement's counts when it has no registration, target or review (of the year)."""


def registrations_by_year(registrations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Registrations summed per year: units and individuals registered, withdrawals, titles registered."""
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
    return [
        {**y, "collective_titles": dict(sorted(y["collective_titles"].items())),
         "individual_titles": dict(sorted(y["individual_titles"].items()))}
        for _, y in sorted(by_year.items())
    ]


def targets_summary(targets: list[dict[str, Any]]) -> dict[str, int]:
    """How many targets there are, met, missed, open, and open and on track."""
    return {
        "total": len(targets),
        "met": sum(t["status"] == "met" for t in targets),
        "missed": sum(t["status"] == "missed" for t in targets),
        "open": sum(t["status"] == "open" for t in targets),
        "on_track": sum(bool(t["status"] == "open" and t["on_track"]) for t in targets),
    }


def with_reviews(row: dict[str, Any], reviews: list[dict[str, Any]]) -> None:
    """A pledge's row with its parties' names, its number of reviews and the result of the latest."""
    last = reviews[-1] if reviews else None
    row["party_names"] = "; ".join(p["name"] for p in row["parties"])
    row["reviews"] = len(reviews)
    row["last_review_kind"] = last["kind"] if last else None
    row["last_reviewed_on"] = last["reviewed_on"] if last else None
    row["final_reviewed"] = any(r["kind"] == "final" for r in reviews)
    for key in ("achieved", "partly_achieved", "not_achieved"):
        row[key] = last[key] if last else None


def router(q: ReportingQueries) -> APIRouter:
    """The movements routes."""
    api = APIRouter()

    @api.get("/movements", tags=[TAG],
             summary="Emulation movements with registrations, targets and reviews (dashboard list)",
             responses=exportable(Page))
    async def movements_list(
        year: int | None = Query(None, description="Movements running during that year; counts of that year."),
        status: str | None = Query(None, description="active or closed."),
        launched_by: str | None = Query(None), sort: str | None = Query(None),
        limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_choice(status, ("active", "closed"), "unknown_status", "status")
        check_choice(launched_by, LAUNCHERS_VI, "unknown_launcher", "launched_by")
        page_limit, page_offset = paging(format, limit, offset)
        found = await movements_page(q.reader, q.movements, year=year, status=status, launched_by=launched_by,
                                     sort=sort, limit=page_limit, offset=page_offset)
        counts = await movement_counts(q.reader, q.movements, [r["movement_id"] for r in found.items], year)
        for row in found.items:
            row.update({**NO_COUNTS, **counts[row["movement_id"]]})
        return await list_answer(
            format, found, limit=page_limit, offset=page_offset, as_of=await q.as_of(q.movements),
            columns=MOVEMENT_COLUMNS, filename=in_year("Phong trào thi đua", year), sheet_title="Phong trào",
        )

    @api.get("/movements/{movement_id}", tags=[TAG],
             summary="One movement's dashboard: targets and progress, registrations, pledges, reviews",
             responses=answer(Answer))
    async def movement_dashboard(
        movement_id: str = Path(..., min_length=1), year: int | None = Query(None)
    ) -> Response:
        check_year(year)
        found = await movement(q.reader, q.movements, movement_id)
        if found is None:
            raise NotFound("movement_not_found", f"no movement {movement_id!r} is known", movement_id=movement_id)
        records = await movement_records(q.reader, q.movements, movement_id, year)
        return json_answer({
            "movement": found,
            "targets": records.targets,
            "targets_summary": targets_summary(records.targets),
            "registrations": registrations_by_year(records.registrations),
            "reviews": records.reviews,
            "pledges": records.pledges,
            "as_of": await q.as_of(q.movements),
        })

    @api.get("/targets", tags=[TAG], summary="Targets (chỉ tiêu) and their progress",
             responses=exportable(Page))
    async def targets_list(
        year: int | None = Query(None), movement_id: str | None = Query(None),
        status: str | None = Query(None, description="open, met or missed."),
        metric: str | None = Query(None), sort: str | None = Query(None),
        limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_choice(status, ("open", "met", "missed"), "unknown_status", "status")
        check_choice(metric, METRICS_VI, "unknown_metric", "metric")
        page_limit, page_offset = paging(format, limit, offset)
        found = await targets_page(q.reader, q.movements, year=year, movement_id=movement_id, status=status,
                                   metric=metric, sort=sort, limit=page_limit, offset=page_offset)
        return await list_answer(
            format, found, limit=page_limit, offset=page_offset, as_of=await q.as_of(q.movements),
            columns=TARGET_COLUMNS, filename=in_year("Chỉ tiêu thi đua", year), sheet_title="Chỉ tiêu",
        )

    @api.get("/registrations", tags=[TAG],
             summary="Registrations (đăng ký thi đua) by movement, year and unit",
             responses=exportable(Page))
    async def registrations_list(
        year: int | None = Query(None), movement_id: str | None = Query(None), unit_id: SubjectId | None = Query(None),
        include_sub_units: bool = Query(True), status: str | None = Query(None, description="submitted or withdrawn."),
        sort: str | None = Query(None),
        limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_choice(status, ("submitted", "withdrawn"), "unknown_status", "status")
        tree = await q.tree()
        units = await q.unit_scope(tree, unit_id, include_sub_units, day_of(year))
        page_limit, page_offset = paging(format, limit, offset)
        found = await registrations_page(q.reader, q.movements, year=year, movement_id=movement_id, units=units,
                                         status=status, sort=sort, limit=page_limit, offset=page_offset)
        for row in found.items:
            row["unit_name"] = unit_name(tree, row["unit_id"], row["year"])
        return await list_answer(
            format, found, limit=page_limit, offset=page_offset, as_of=await q.as_of(q.movements),
            columns=REGISTRATION_COLUMNS, filename=in_year("Đăng ký thi đua", year), sheet_title="Đăng ký",
        )

    @api.get("/pledges", tags=[TAG],
             summary="Emulation pledges (giao ước thi đua) and the result of their latest review",
             responses=exportable(Page))
    async def pledges_list(
        year: int | None = Query(None), movement_id: str | None = Query(None), sort: str | None = Query(None),
        limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        check_year(year)
        page_limit, page_offset = paging(format, limit, offset)
        found = await pledges_page(q.reader, q.movements, year=year, movement_id=movement_id, sort=sort,
                                   limit=page_limit, offset=page_offset)
        reviews = await pledge_reviews(q.reader, q.movements, [r["pledge_id"] for r in found.items])
        for row in found.items:
            with_reviews(row, reviews[row["pledge_id"]])
        return await list_answer(
            format, found, limit=page_limit, offset=page_offset, as_of=await q.as_of(q.movements),
            columns=PLEDGE_COLUMNS, filename=in_year("Giao ước thi đua", year), sheet_title="Giao ước",
        )

    @api.get("/pledges/{pledge_id}", tags=[TAG],
             summary="One pledge with each review's clause assessments",
             responses=answer(Answer))
    async def pledge_detail(pledge_id: str = Path(..., min_length=1)) -> Response:
        found = await pledge(q.reader, q.movements, pledge_id)
        if found is None:
            raise NotFound("pledge_not_found", f"no pledge {pledge_id!r} is known", pledge_id=pledge_id)
        reviews = (await pledge_reviews(q.reader, q.movements, [pledge_id]))[pledge_id]
        return json_answer({"pledge": found, "reviews": reviews, "as_of": await q.as_of(q.movements)})

    return api
