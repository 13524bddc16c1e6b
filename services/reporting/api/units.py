"""The unit tree of a year with headcounts: as a list, nested, and one unit's year by year."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from kernel.clock import business_today
from kernel.collation import vietnamese_key
from kernel.errors import DomainError, NotFound
from kernel.ids import SubjectId

from ..answers import Answer, Page, answer, exportable
from ..exports import Column
from ..projections.queries import Found, graded_in_year, placed_in_year
from ..tree import Tree, headcounts, year_end
from .common import (
    FORMAT,
    LIMIT,
    MIN_YEAR,
    OFFSET,
    STATUS_VI,
    Format,
    ReportingQueries,
    check_year,
    json_answer,
    list_answer,
    paging,
    vi,
)

TAG = "unit tree (cây đơn vị)"

UNIT_COLUMNS: tuple[Column, ...] = (
    Column("code", "Mã đơn vị", width=14),
    Column("indented_name", "Tên đơn vị", width=60),
    Column("level", "Cấp", width=6),
    Column("status", "Trạng thái", vi({**STATUS_VI, "active": "Đang hoạt động"}), width=16),
    Column("headcount", "Số người (đơn vị)", width=12),
    Column("headcount_total", "Số người (cả đơn vị trực thuộc)", width=14),
)

UNIT_SORT = {"path": lambda r: r["path"], "code": lambda r: r["code"], "name": lambda r: vietnamese_key(r["name"]),
             "headcount": lambda r: r["headcount"], "headcount_total": lambda r: r["headcount_total"]}
"""Fields a unit list sorts by (in memory: the list is the whole tree, hundreds of rows)."""


def sorted_units(rows: list[dict[str, Any]], sort: str | None) -> list[str]:
    """Sort ``rows`` in place by ``a,-b`` (tree order by default); the fields as given; 422 for an unknown one."""
    fields = [f.strip() for f in sort.split(",") if f.strip()] if sort else ["path"]
    for field in reversed(fields):
        name = field.lstrip("-+")
        if name not in UNIT_SORT:
            raise DomainError("unknown_sort_field", f"cannot sort by {name!r}", field=name, allowed=sorted(UNIT_SORT))
        rows.sort(key=UNIT_SORT[name], reverse=field.startswith("-"))
    return fields


def check_on(on: date | None) -> None:
    """Refuse a day outside the years a query may name."""
    if on is not None:
        check_year(on.year, "on")


def router(q: ReportingQueries) -> APIRouter:
    """The unit tree routes."""
    api = APIRouter()

    async def own_headcounts(tree: Tree, year: int) -> dict[str, int]:
        placed = await placed_in_year(q.reader, q.tree_model, year)
        graded = await graded_in_year(q.reader, q.tree_model, year)
        return headcounts(tree, year, placed, graded)

    async def listing(year: int, on: date | None) -> tuple[Tree, list[dict[str, Any]], date]:
        tree = await q.tree()
        day = on or year_end(year)
        rows = [r.as_dict() for r in tree.listing(day, await own_headcounts(tree, year))]
        for r in rows:
            r["indented_name"] = "    " * r["level"] + r["name"]
        return tree, rows, day

    @api.get("/units", tags=[TAG],
             summary="The unit tree of a year as a list, with headcounts (own and with sub-units)",
             description="The tree on 31 December of `year` (or on `on`), in tree order; headcounts of `year` by "
             "the counting rule of the units contract (the unit on 31 December, or on the last day for someone who "
             "left; merges followed).",
             responses=exportable(Page))
    async def units_list(
        year: int | None = Query(None, description="Headcount year [this year]."),
        on: date | None = Query(None, description="Day of the tree [31 December of year]."),
        unit_id: SubjectId | None = Query(None, description="Only this unit and its sub-units."),
        sort: str | None = Query(None, description="path (tree order), code, name, headcount, headcount_total."),
        limit: int = LIMIT, offset: int = OFFSET, format: Format = FORMAT,  # noqa: A002
    ) -> Response:
        check_year(year)
        check_on(on)
        year = year or (on.year if on else business_today().year)
        tree, rows, day = await listing(year, on)
        if unit_id is not None:
            if unit_id not in tree:
                raise DomainError("unknown_unit", f"no unit {unit_id!r} is known", unit_id=unit_id)
            keep = tree.subtree(unit_id, day)
            rows = [r for r in rows if r["unit_id"] in keep]
        fields = sorted_units(rows, sort)
        page_limit, page_offset = paging(format, limit, offset)
        page = rows[page_offset: page_offset + page_limit] if page_limit is not None else rows
        return await list_answer(
            format, Found(page, len(rows), fields), limit=page_limit, offset=page_offset,
            as_of=await q.as_of(q.tree_model), columns=UNIT_COLUMNS, filename=f"Cây đơn vị năm {year}",
            sheet_title=f"Đơn vị {year}", extra={"year": year, "on": day},
        )

    @api.get("/units/tree", tags=[TAG], summary="The unit tree of a year, nested, with headcounts",
             responses=answer(Answer))
    async def units_tree(year: int | None = Query(None), on: date | None = Query(None)) -> Response:
        check_year(year)
        check_on(on)
        year = year or (on.year if on else business_today().year)
        _tree, rows, day = await listing(year, on)
        nodes = {r["unit_id"]: {**r, "children": []} for r in rows}
        roots = []
        for r in rows:
            parent = nodes.get(r["parent_id"]) if r["parent_id"] else None
            (parent["children"] if parent else roots).append(nodes[r["unit_id"]])
        return json_answer({"year": year, "on": day, "roots": roots, "as_of": await q.as_of(q.tree_model)})

    @api.get("/units/{unit_id}/headcounts", tags=[TAG],
             summary="A unit's headcount year by year (own and with its sub-units)",
             responses=answer(Answer))
    async def unit_headcounts(
        unit_id: SubjectId = Path(...),
        from_year: int | None = Query(None), to_year: int | None = Query(None),
    ) -> Response:
        check_year(from_year, "from_year")
        check_year(to_year, "to_year")
        tree = await q.tree()
        if unit_id not in tree:
            raise NotFound("unit_not_found", f"no unit {unit_id!r} is known", unit_id=unit_id)
        first = from_year or max(MIN_YEAR, tree.units[unit_id].established_on.year)
        last = to_year or business_today().year
        if first > last or last - first > 50:
            raise DomainError("invalid_year_range", f"from_year {first} to to_year {last} is not a range of at most "
                              "50 years", from_year=first, to_year=last)
        series = []
        for year in range(first, last + 1):
            own = await own_headcounts(tree, year)
            day = year_end(year)
            series.append({
                "year": year,
                "name": tree.name_on(unit_id, day),
                "status": tree.status_on(unit_id, day),
                "headcount": own.get(unit_id, 0),
                "headcount_total": sum(own.get(u, 0) for u in tree.subtree(unit_id, day)),
            })
        return json_answer({"unit_id": unit_id, "years": series, "as_of": await q.as_of(q.tree_model)})

    return api
