"""Wiring of the reporting service on the shared kernel (see docs/kernel.md).

The service publishes nothing: it consumes the public events of the units,
campaigns and awards contexts into four read models, each in a schema of its
own so that it can be rebuilt beside the live one and swapped in.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from kernel.auth import Access, AccessTable, Role, rule
from kernel.http import create_app
from kernel.service import Service
from kernel.settings import Settings

from .api import router
from .office import OFFICE_DDL
from .projections import read_models
from .rebuilds import Rebuilds

DESCRIPTION = """\
Read models of the thi đua – khen thưởng system, built from events only:
award statistics by year × title or award × individual / collective × unit ×
deciding authority (what the Ministry granted, what it proposed — trình — to
the Prime Minister, the President or another ministry, and what they
conferred); each person's and unit's award history; movement dashboards
(targets and progress, registrations, pledges and reviews); the unit tree with
headcounts by year. The year-end summary and its Vietnamese paragraph, the
statistical report, exports to CSV and Excel with Vietnamese headers.

Every answer carries `as_of`: the last event applied, the offsets applied and
the lag. A read model can be rebuilt from the topics (`POST
/read-models/{name}/rebuild` or `tdkt rebuild`) while the service keeps
answering from the live tables.

Errors: `{"code", "message", "details"}` with a stable `code`.
"""


ACCESS = AccessTable({
    "POST /read-models/{name}/rebuild": rule(),
    "PUT /forms/{form}/{year}/reference": rule(Role.EMULATION_OFFICE),
})
"""Queries are open to every role; rebuilding a read model is the administrator's; the office's reference
data for forms 0604/0605 is the emulation office's."""


def build(settings: Settings) -> tuple[FastAPI, Service]:
    """The reporting service: its app (HTTP API) and its Service (pool, consumers; no relay)."""
    models = read_models(settings.database_schema)
    service = Service(context="reporting", settings=settings, publishes=False, handlers=list(models.values()),
                      migrations=[OFFICE_DDL])
    rebuilds = Rebuilds(service, models)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with service.lifespan(app):
            try:
                yield
            finally:
                await rebuilds.stop()  # before the pool closes under a running rebuild

    app = create_app(
        title="tdkt reporting — thống kê, báo cáo thi đua, khen thưởng",
        description=DESCRIPTION,
        health=service.health,
        access=Access.from_settings(settings, ACCESS),
        lifespan=lifespan,
        pool=lambda: service.pool,
    )
    app.include_router(router(service, models, rebuilds))
    return app, service
