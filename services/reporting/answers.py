"""What reporting's answers look like, for its OpenAPI document (the routes build plain dicts).

Every JSON answer carries ``as_of`` (:class:`AsOf`); a list is a :class:`Page`;
a list or report that takes ``?format=`` also answers CSV or XLSX, which
:func:`exportable` declares with the headers that carry ``as_of`` there. The
models leave extra fields open: they document the shape, the queries own it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE


class AsOf(BaseModel):
    """How current the read model behind an answer is (see ``projections.queries.currency``)."""

    model_config = ConfigDict(extra="allow")

    read_model: str
    last_event_at: str | None = Field(description="Occurred time of the last event applied (ISO 8601).")
    last_event_id: str | None
    last_event_type: str | None
    events_applied: int
    applied_offsets: dict[str, int] = Field(description="Last offset applied per `topic/partition`.")
    last_applied_at: str | None
    lag_seconds: float | None = Field(description="Now − `last_event_at`.")
    lag_messages: int | None = Field(description="Messages not yet applied (None before the first measurement).")
    rebuilding: bool
    answered_at: str


class Answer(BaseModel):
    """A JSON answer of a read model: its fields, and how current it is."""

    model_config = ConfigDict(extra="allow")

    as_of: AsOf


class Page(Answer):
    """A page of a list: its rows, how many match, the paging and sort applied."""

    items: list[dict[str, Any]]
    total: int = Field(description="Rows matching the filters (all pages).")
    limit: int
    offset: int
    sort: list[str] = Field(description="The sort applied, e.g. `-count`, `year`.")


class Document(BaseModel):
    """A JSON answer with no read-model currency of its own (read models list, a rebuild)."""

    model_config = ConfigDict(extra="allow")


class OfficeReference(Document):
    """The office's reference data for form 0604 or 0605 of a year, as recorded (not a read model)."""

    form: str
    year: int
    body: dict[str, Any] = Field(description="`{units: {row: n}}` (0604) or `{civil_servants: [...]}` (0605).")
    recorded_at: str = Field(description="When it was last recorded (ISO 8601).")


_EXPORT_HEADERS = {
    "Content-Disposition": {"description": "attachment, with the file's Vietnamese name (RFC 6266).",
                            "schema": {"type": "string"}},
    "X-Read-Model": {"description": "The read model answered from.", "schema": {"type": "string"}},
    "X-Last-Event-At": {"description": "`as_of.last_event_at` (absent before the first event).",
                        "schema": {"type": "string"}},
    "X-Lag-Seconds": {"description": "`as_of.lag_seconds` (absent before the first event).",
                      "schema": {"type": "number"}},
}


def answer(model: type[BaseModel], status: int = 200) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` entry of a JSON-only route answering ``model``."""
    return {status: {"model": model}}


def exportable(model: type[BaseModel]) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry of a route taking ``?format=``: ``model`` as JSON, or every row as CSV / XLSX."""
    return {200: {
        "model": model,
        "description": "`format=json`: the JSON answer; `csv`: UTF-8 CSV with a BOM; `xlsx`: an Excel workbook. "
                       "Exports carry every matching row, with Vietnamese headers, and `as_of` in headers.",
        "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}},
                    XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
        "headers": _EXPORT_HEADERS,
    }}
