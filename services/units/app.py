"""Wiring of the units service on the shared kernel (see docs/kernel.md)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from kernel import audit
from kernel.auth import Access
from kernel.http import create_app, error_response
from kernel.service import Service
from kernel.settings import Settings

from .access import ACCESS, TreeScope
from .api import router
from .domain import validation_error
from .handlers import UnitsHandlers
from .projections import TABLES_SQL

DESCRIPTION = """\
The organisation tree of the ministry (cây tổ chức: đơn vị), the people in it
(cán bộ, công chức, viên chức, người lao động), their annual grades (xếp loại
chất lượng hằng năm) with corrections, discipline (kỷ luật) and recognised
initiatives (sáng kiến, đề tài). Every change is an event, published on Kafka
(`tdkt.units.events`; discipline on `tdkt.units.internal` only).

Queries: the tree as of a date, a unit, a person's full record, headcount and
grades by unit and year. Bulk import of units, people and past grades from CSV
or Excel, with a dry run.

Errors: `{"code", "message", "details"}` with a stable `code`; nothing is
written when a command is refused.
"""


def build(settings: Settings) -> tuple[FastAPI, Service]:
    """The units service: its app (HTTP API) and its Service (pool, store, relay)."""
    service = Service(context="units", settings=settings, migrations=[TABLES_SQL], handlers=[])
    app = create_app(
        title="tdkt units — đơn vị, cán bộ",
        description=DESCRIPTION,
        health=service.health,
        access=Access.from_settings(settings, ACCESS, TreeScope(service)),
        lifespan=service.lifespan,
        pool=lambda: service.pool,
    )
    app.include_router(audit.router(lambda: service.pool))  # type: ignore[arg-type, return-value]
    kernel_invalid_request = app.exception_handlers[RequestValidationError]

    async def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        # A malformed command body gets the domain's code (invalid_text, invalid_name…), like an
        # imported row would; bad query or path parameters keep the kernel's invalid_request.
        errors = list(error.errors())
        if errors and all((e.get("loc") or ("",))[0] == "body" for e in errors):
            refused = validation_error(errors)
            return error_response(refused.status, refused.code, refused.message, refused.details)
        return await kernel_invalid_request(request, error)

    app.add_exception_handler(RequestValidationError, invalid_request)
    app.include_router(router(service, UnitsHandlers(service)))
    return app, service
