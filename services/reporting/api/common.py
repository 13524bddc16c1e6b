"""What the reporting routes share: parameters, their validation, the answer shapes, the read models.

A route parses its parameters (FastAPI), checks them here (422 with the
allowed values), calls one function of :mod:`..projections.queries` and shapes
the answer with :func:`list_answer` or :func:`json_answer`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from typing import Any, Literal

from fastapi import Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse, Response
from tdkt_contracts.catalogue.campaigns import Launcher, TargetMetric
from tdkt_contracts.vocabulary import Authority, RecipientKind

from kernel.clock import business_today
from kernel.errors import DomainError
from kernel.limits import off_loop
from kernel.service import Service

from .. import exports
from ..exports import Column
from ..projections import Projection
from ..projections.queries import Found, Reader, currency, load_tree
from ..summary import load_award_order
from ..tree import Tree, year_end

MIN_YEAR = 2000
Format = Literal["json", "csv", "xlsx"]
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000

LIMIT = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Page size (ignored by exports).")
OFFSET = Query(0, ge=0, description="Rows to skip (ignored by exports).")
FORMAT = Query("json", description="json (a page), or csv / xlsx (every matching row, Vietnamese headers).")

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
    return business_today().year + 1


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


def paging(fmt: str, limit: int, offset: int) -> tuple[int | None, int]:
    """(limit, offset) of the rows to read; an export reads every matching row (a page of a spreadsheet is
    rarely what anyone wants)."""
    return (None, 0) if fmt != "json" else (limit, offset)


def is_export(request: Request) -> bool:
    """The request asks for a CSV, XLSX or PDF export (every matching row, or a form), not a JSON page."""
    return request.query_params.get("format") in ("csv", "xlsx", "pdf")


def in_year(what: str, year: int | None) -> str:
    """An export's file name: ``what`` and, for one year, `` năm <year>``."""
    return f"{what}{' năm ' + str(year) if year else ''}"


# --------------------------------------------------------------------------- answers


def export_headers(as_of: Mapping[str, Any]) -> dict[str, str]:
    """The headers that carry ``as_of`` in an export (its body cannot)."""
    headers = {"X-Read-Model": str(as_of.get("read_model"))}
    if as_of.get("last_event_at"):
        headers["X-Last-Event-At"] = str(as_of["last_event_at"])
    if as_of.get("lag_seconds") is not None:
        headers["X-Lag-Seconds"] = str(as_of["lag_seconds"])
    return headers


async def list_answer(
    fmt: str,
    found: Found,
    *,
    limit: int | None,
    offset: int,
    as_of: dict[str, Any],
    columns: Sequence[Column],
    filename: str,
    sheet_title: str,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """A list as JSON (page, total, as_of) or as a CSV / XLSX export of its rows."""
    if fmt == "json":
        body = {"items": found.items, "total": found.total, "limit": limit, "offset": offset, "sort": found.sort,
                **(extra or {}), "as_of": as_of}
        return JSONResponse(jsonable_encoder(body))
    # Every matching row as a workbook is seconds of CPU: rendered off the event loop.
    content, media_type, disposition = await off_loop(
        exports.render, fmt, columns, found.items, filename, sheet_title=sheet_title
    )
    return Response(content, media_type=media_type,
                    headers={"Content-Disposition": disposition, **export_headers(as_of)})


def json_answer(body: Mapping[str, Any]) -> JSONResponse:
    """A JSON answer (dates and decimals encoded)."""
    return JSONResponse(jsonable_encoder(body))


def vi(mapping: Mapping[str, str]) -> Callable[[Any], Any]:
    """An export column's format: the Vietnamese label of a code (the code itself if it has none)."""
    return lambda value: mapping.get(value, value) if value is not None else ""


# --------------------------------------------------------------------------- the read models


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
        return await currency(self.reader, model, self.service.consumer_lag)

    async def tree(self) -> Tree:
        """The unit tree as the read model holds it now."""
        return await load_tree(self.reader, self.tree_model)

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
        """The configured name of an award code, else the name its events carry."""
        return self.order.name(code, names.get(code))


def day_of(year: int | None) -> date:
    """The day a unit is looked at for ``year``: 31 December of it, or today."""
    return year_end(year) if year else business_today()


def unit_name(tree: Tree, unit_id: str | None, year: int | None) -> str | None:
    """A unit's name on 31 December of ``year`` (or today), its id if the tree does not know it."""
    if not unit_id:
        return None
    return tree.name_on(unit_id, day_of(year)) or unit_id
