"""Wiring of the awards service on the shared kernel (see docs/kernel.md)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from fastapi import FastAPI

from kernel import audit
from kernel.auth import Access
from kernel.http import create_app
from kernel.service import Service
from kernel.settings import Settings

from .access import ACCESS, ChartScope
from .api import (
    assessments,
    catalogue,
    councils,
    documents,
    dossiers,
    file_facts,
    inbox,
    nominations,
    reference_data,
    returns,
    rounds,
)
from .api import certificates as certificate_routes
from .api import signatures as signature_routes
from .domain import default_catalogue
from .domain.bundles import member_title_codes
from .handlers import AwardsHandlers
from .projections import DOSSIER_SQL, INBOX_SQL, TABLES_SQL, CampaignsReplica, UnitsReplica, replica_schemas
from .projections.certificate_layouts import CERTIFICATE_LAYOUTS_SQL
from .projections.signatures import SIGNATURES_SQL
from .projections.facts import FactsLoader
from .settings import awards_settings, dossier_limits, signing_keys
from .signatures import DecisionSignatures
from .signing import SigningKeys

DESCRIPTION = """\
Eligibility for emulation titles and commendations (xét điều kiện danh hiệu thi
đua, hình thức khen thưởng) under the Law on Emulation and Commendation and its
decrees, for the Ministry of Industry and Trade (Bộ Công Thương).

**What it answers.** The catalogue of titles and award forms with every rule
version, its validity window and legal source; whether a person (cá nhân) or a
collective (tập thể) meets a code's criteria for an achievement year, criterion
by criterion — passed, failed or unknown, never a guess — each with the article
applied (căn cứ) and an explanation in Vietnamese and English; who in a unit
qualifies; and who would qualify next year if the trend holds (dự báo).

**Where the facts come from.** Replicas kept from Kafka: the units context's
people, tree, grades (xếp loại), discipline (kỷ luật, from `tdkt.units.internal`)
and initiatives (sáng kiến, đề tài); the campaigns context's registrations
(đăng ký thi đua) and bloc rankings. Titles and awards held come from this
context's own decisions. A fact not yet replicated is reported as unknown.

**Rules marked [U]** (chưa được xác nhận) are applied but flagged: read
`unconfirmed_items` before relying on such an answer.

Errors: `{"code", "message", "details"}` with a stable `code`.
"""

TAGS = [
    {"name": "catalogue", "description": "Danh mục: titles, award forms, rule versions and legal sources."},
    {"name": "assessments", "description": "Xét điều kiện: one candidate, or everyone in a unit."},
    {"name": "forecasts", "description": "Dự báo: who becomes eligible next year if the trend holds."},
    {"name": "nominations", "description": "Đề nghị khen thưởng: submission, notice, council vote, decision."},
    {"name": "proposals", "description": "Trình cấp trên: forwarded proposals and the higher decisions recorded."},
    {"name": "awards", "description": "Danh hiệu, hình thức khen thưởng đã tặng; thu hồi."},
    {"name": "history", "description": "Quá trình khen thưởng của cá nhân, tập thể."},
    {"name": "councils", "description": "Hội đồng Thi đua – Khen thưởng: members over time."},
    {"name": "dossiers", "description": "Hồ sơ: the files of a nomination (PDF, DOCX, PNG, JPEG), every version kept."},
    {"name": "documents", "description": "Dự thảo quyết định, quyết định (DOCX, PDF) và bằng khen (DOCX)."},
    {"name": "reference data", "description": "Ngày nghỉ lễ, hạn mức."},
    {"name": "file facts", "description": "Từ hồ sơ: thời gian công tác, xác nhận thành tích, khen thưởng đã có."},
    {"name": "operations", "description": "Health and metrics."},
]


def build(settings: Settings) -> tuple[FastAPI, Service]:
    """The awards service: its app (HTTP API) and its Service (pool, replicas' consumers, relay)."""
    rules = default_catalogue()  # a broken catalogue stops the service at start, naming the file
    units_schema, campaigns_schema = replica_schemas(settings.database_schema)
    service = Service(
        context="awards",
        settings=settings,
        migrations=[TABLES_SQL, DOSSIER_SQL, INBOX_SQL, SIGNATURES_SQL, CERTIFICATE_LAYOUTS_SQL],
        handlers=[UnitsReplica(units_schema), CampaignsReplica(campaigns_schema)],
    )
    loader = FactsLoader(
        service_schema=settings.database_schema,
        units_schema=units_schema,
        campaigns_schema=campaigns_schema,
        member_codes=member_title_codes(rules),
    )
    extras = awards_settings(settings)
    keys = signing_keys(extras)  # settings that cannot work stop the service here, saying which
    app = create_app(
        title="tdkt awards — thi đua, khen thưởng",
        description=DESCRIPTION,
        health=service.health,
        access=Access.from_settings(settings, ACCESS),
        lifespan=_releasing(service),
        pool=lambda: service.pool,
    )
    app.openapi_tags = TAGS
    app.state.signing_keys = keys  # released at the stop (a token's session)
    handlers = AwardsHandlers(
        service, rules, loader, dossier_limits=dossier_limits(extras),
        files_required_from=extras.dossier_files_required_from,
    )
    app.state.access.scope = ChartScope(handlers)  # the handlers' clock and snapshot reads
    app.include_router(catalogue.router(rules))
    app.include_router(assessments.router(handlers))
    app.include_router(inbox.router(handlers))
    app.include_router(nominations.router(handlers))
    app.include_router(councils.router(handlers))
    app.include_router(documents.router(handlers))
    app.include_router(certificate_routes.router(handlers))
    app.include_router(signature_routes.router(DecisionSignatures(handlers, keys)))
    app.include_router(dossiers.router(handlers))
    app.include_router(file_facts.router(handlers))
    app.include_router(reference_data.router(handlers))
    app.include_router(rounds.router(handlers))
    app.include_router(returns.router(handlers))
    app.include_router(audit.router(lambda: service.pool))  # type: ignore[arg-type, return-value]
    return app, service


def _releasing(service: Service) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    """The service's lifespan, then the signing key released (a token's session closed; reopened if needed)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            async with service.lifespan(app):
                yield
        finally:
            keys: SigningKeys | None = app.state.signing_keys
            if keys is not None:
                keys.close()

    return lifespan
