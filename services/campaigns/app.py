"""The campaigns service on the shared kernel: ``build(settings) -> (app, service)``."""

from __future__ import annotations

from fastapi import FastAPI

from kernel import audit
from kernel.auth import Access
from kernel.http import create_app
from kernel.service import Service
from kernel.settings import Settings

from .access import ACCESS, ReplicaScope
from .api import OPENAPI_TAGS, router
from .handlers import CampaignsHandlers
from .projections import QUERY_TABLES_SQL
from .subscribers import UnitsReplica

DESCRIPTION = """\
Phong trào thi đua của Bộ: movements launched by the Government, the Ministry or its
trade union (phát động phong trào thi đua), their measurable targets (chỉ tiêu) and
progress, the units' yearly registrations (đăng ký thi đua), signed pledges (giao ước
thi đua), and emulation clusters and blocs (cụm, khối thi đua) with their ranking.

Publishes `tdkt.campaigns.events` (CloudEvents on Kafka, key = aggregate id).
Consumes `tdkt.units.events` (units, people, grades) for target progress.
Business date: today in Việt Nam (UTC+7); see `X-Tdkt-Today` for tests and demos.
"""


def build(settings: Settings) -> tuple[FastAPI, Service]:
    """The campaigns API and the service behind it (pool, event store, relay, consumer).

    ``X-Tdkt-Today`` is honoured only where ``settings.allow_today_header`` is set (kernel/clock.py).
    """
    service = Service(context="campaigns", settings=settings, migrations=[QUERY_TABLES_SQL])
    # The handler needs the service (store, to append target.progressed), the service
    # its handlers: set after construction.
    service.handlers = [UnitsReplica(service)]
    app = create_app(
        title="tdkt – campaigns (phong trào thi đua)",
        description=DESCRIPTION,
        health=service.health,
        access=Access.from_settings(settings, ACCESS, ReplicaScope(service)),
        lifespan=service.lifespan,
        pool=lambda: service.pool,
    )
    app.openapi_tags = OPENAPI_TAGS
    app.include_router(audit.router(lambda: service.pool))  # type: ignore[arg-type, return-value]
    app.include_router(router(service, CampaignsHandlers(service), allow_today_header=settings.allow_today_header))
    return app, service
