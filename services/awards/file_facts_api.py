"""Facts the office enters from nomination files: service years, attested findings, awards decided elsewhere.

No other context publishes these; the awards service is their system of
record (see :mod:`.projections.history`):

- ``PUT /people/{person_id}/supplements``: years of teaching, of hazardous
  work, in extremely disadvantaged areas, the date one joined education, as
  a file certifies them (Nhà giáo, Kỷ niệm chương). Reference data kept in
  ``person_supplements`` like the council and the holidays: personal data
  that no other system reacts to, so it is not published;
- ``POST /attestations``: a finding only a person can make for a year
  (outstanding in a movement, a one-off achievement), attested in the file;
  idempotent on (recipient, key, year);
- ``POST /held-awards``: a title or award decided outside the workflow
  (:mod:`.workflow.prior`), an event on its own award stream like any grant.

Each refuses a subject the units context never published
(``subject_not_found``): the replica may lag a moment behind an import, and
a retry then succeeds.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import asyncpg
from fastapi import APIRouter, Query, Request
from pydantic import Field
from tdkt_contracts.catalogue.awards import Recipient
from tdkt_contracts.vocabulary import RecipientKind

from kernel.errors import DomainError, NotFound
from kernel.service import Service

from .domain import Catalogue
from .domain.criteria import Attested
from .facts_loader import PersonBundle
from .projections.history import record_attestation, record_supplements
from .workflow import (
    Code,
    Command,
    HistoryEntry,
    RecordPriorAward,
    decide_record_prior,
    prior_award_id,
    title_and_award_history,
)
from .workflow.commands import Id, Year
from .workflow.paths import not_after
from .workflow_handlers import WorkflowHandlers, read_streams, subject_key

UNKNOWN_ATTESTATION_KEY = "unknown_attestation_key"
"""An attested finding no criterion of the catalogue reads (HTTP 422)."""

Years = Annotated[float | None, Field(ge=0, le=60)]


class Supplements(Command):
    """Service facts a nomination file certifies for a person; a null leaves the fact unknown."""

    education_joined_on: date | None = Field(default=None, description="Ngày vào ngành giáo dục.")
    teaching_years: Years = Field(default=None, description="Số năm trực tiếp giảng dạy.")
    hazardous_service_years: Years = Field(
        default=None, description="Số năm làm nghề, công việc nặng nhọc, độc hại, nguy hiểm."
    )
    disadvantaged_area_years: Years = Field(
        default=None, description="Số năm công tác ở vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn."
    )
    recorded_on: date = Field(description="The date of the certifying file (no later than today).")
    reference: str | None = Field(default=None, max_length=500, description="The file, e.g. 'Hồ sơ đề nghị …'.")


class SupplementsView(Supplements):
    """The supplements recorded for a person."""

    person_id: str


class AttestationBody(Command):
    """A finding the file attests for a recipient and a year, e.g. ``outstanding_in_movement``."""

    recipient_kind: RecipientKind
    subject_id: Id
    key: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    year: Year
    reference: str | None = Field(default=None, max_length=500, description="e.g. 'Tờ trình 12/TTr-VTCCB'.")


def attestation_keys(catalogue: Catalogue) -> frozenset[str]:
    """Every finding some criterion of the catalogue reads."""
    return frozenset(
        key
        for entry in catalogue.entries.values()
        for version in entry.rules
        for spec in version.all_criteria()
        if isinstance(spec.params, Attested)
        for key in spec.params.keys
    )


def router(handlers: WorkflowHandlers) -> APIRouter:
    """The routes entering file facts, closing over the workflow's handlers (pool, store, clock, replica)."""
    api = APIRouter()
    keys = attestation_keys(handlers.catalogue)

    async def require_person(conn: asyncpg.Connection, person_id: str) -> PersonBundle:
        people = await handlers.loader.people(conn, [person_id])
        if not people:
            raise NotFound(
                Code.SUBJECT_NOT_FOUND, f"No person {person_id!r} is known to the awards service", person_id=person_id
            )
        return people[0]

    async def require_subject(conn: asyncpg.Connection, kind: RecipientKind, subject_id: str, on: date) -> Recipient:
        """The subject's name of record and unit on ``on`` (NotFound if the units context never published it)."""
        chart = await handlers.loader.chart(conn)
        if kind is RecipientKind.COLLECTIVE:
            unit = chart.get(subject_id)
            if unit is None:
                raise NotFound(
                    Code.SUBJECT_NOT_FOUND, f"No unit {subject_id!r} is known to the awards service", unit_id=subject_id
                )
            name, unit_id = unit.name_on(on), subject_id
        else:
            bundle = await require_person(conn, subject_id)
            # The unit of the year, else (an award older than the person's first posting here) their first unit.
            name = bundle.full_name
            unit_id = handlers.person_unit(bundle, on.year, chart) or next(
                (p.unit_id for p in bundle.postings if p.unit_id), None
            )
        return Recipient(
            candidate_id=subject_id, recipient_kind=kind, subject_id=subject_id, display_name=name, unit_id=unit_id
        )

    @api.put(
        "/people/{person_id}/supplements",
        tags=["file facts"],
        summary="Thời gian công tác theo hồ sơ — service years a file certifies for a person",
        description=(
            "Replaces what was recorded for the person (the latest file wins). Read by Nhà giáo nhân dân / ưu "
            "tú (teaching years), Kỷ niệm chương (years in education or in the sector, hazardous work). "
            "Refused: an unknown person (`subject_not_found`), a file dated after today (`date_in_future`)."
        ),
        response_model=SupplementsView,
        responses={404: {"description": "subject_not_found"}, 422: {"description": "date_in_future"}},
    )
    async def put_supplements(person_id: Id, body: Supplements) -> SupplementsView:
        not_after(body.recorded_on, handlers.today(), "recorded_on")

        async def work(conn: asyncpg.Connection) -> None:
            await require_person(conn, person_id)
            await record_supplements(conn, person_id, **body.model_dump())

        await handlers.transact(work)
        return SupplementsView(person_id=person_id, **body.model_dump())

    @api.get(
        "/people/{person_id}/supplements",
        tags=["file facts"],
        summary="Thời gian công tác đã ghi nhận",
        response_model=SupplementsView,
        responses={404: {"description": "supplements_not_found"}},
    )
    async def get_supplements(person_id: Id) -> SupplementsView:
        row = await handlers.read(
            lambda conn: conn.fetchrow("SELECT * FROM person_supplements WHERE person_id = $1", person_id)
        )
        if row is None:
            raise NotFound(
                "supplements_not_found", f"No file facts are recorded for {person_id!r}", person_id=person_id
            )
        return SupplementsView.model_validate(dict(row))

    @api.post(
        "/attestations",
        status_code=201,
        tags=["file facts"],
        summary="Xác nhận thành tích trong hồ sơ — a finding the file attests for a year",
        description=(
            "Idempotent on (recipient, key, year): the same attestation again keeps one record (the latest "
            "reference). `key`: a finding some criterion reads, e.g. `outstanding_in_movement`, "
            "`one_off_achievement` (`unknown_attestation_key` lists them)."
        ),
        response_model=AttestationBody,
        responses={404: {"description": "subject_not_found"}, 422: {"description": UNKNOWN_ATTESTATION_KEY}},
    )
    async def post_attestation(body: AttestationBody) -> AttestationBody:
        if body.key not in keys:
            raise DomainError(
                UNKNOWN_ATTESTATION_KEY,
                f"No criterion reads the finding {body.key!r}; known: {', '.join(sorted(keys))}",
                key=body.key,
                known=sorted(keys),
            )

        async def work(conn: asyncpg.Connection) -> None:
            await require_subject(conn, body.recipient_kind, body.subject_id, date(body.year, 12, 31))
            await record_attestation(
                conn, recipient_kind=body.recipient_kind.value, subject_id=body.subject_id, key=body.key,
                year=body.year, reference=body.reference,
            )

        await handlers.transact(work)
        return body

    @api.get(
        "/attestations",
        tags=["file facts"],
        summary="Xác nhận thành tích đã ghi nhận của một cá nhân, tập thể",
        response_model=list[AttestationBody],
    )
    async def get_attestations(
        subject_id: Annotated[str, Query(min_length=1, max_length=64)],
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    ) -> list[AttestationBody]:
        rows = await handlers.read(
            lambda conn: conn.fetch(
                "SELECT * FROM attestations WHERE subject_id = $1 AND ($2::int IS NULL OR year = $2) "
                "ORDER BY year, key",
                subject_id,
                year,
            )
        )
        return [AttestationBody.model_validate(dict(r)) for r in rows]

    @api.post(
        "/held-awards",
        status_code=201,
        tags=["file facts"],
        summary="Vào sổ khen thưởng — a title or award decided outside the workflow, from the file",
        description=(
            "An award the recipient already holds, decided before this system was used or without a proposal "
            "through it (e.g. the Prime Minister's certificate a Labour Order rests on). Recorded as the "
            "decision states it, not judged by the engine: `AwardGranted` / `TitleConferred` with no "
            "nomination, on its own award stream. Once per recipient, code and year "
            "(`award_already_recorded`)."
        ),
        response_model=HistoryEntry,
        responses={
            404: {"description": "unknown_award, subject_not_found"},
            409: {"description": "award_already_recorded"},
            422: {"description": "wrong_recipient_kind, date_in_future, invalid_request"},
        },
    )
    async def post_held_award(body: RecordPriorAward, request: Request) -> HistoryEntry:
        entry = handlers.catalogue.entry(body.award_code)  # NotFound('unknown_award')
        award_id = prior_award_id(body.recipient_kind, body.subject_id, entry.code, body.year)

        async def work(conn: asyncpg.Connection) -> HistoryEntry:
            await handlers.lock(conn, [subject_key(body.recipient_kind.value, body.subject_id)])
            recipient = await require_subject(conn, body.recipient_kind, body.subject_id, body.decision_date)
            stream = (await read_streams(conn, [award_id]))[award_id]
            events = decide_record_prior(
                body,
                entry=entry,
                recipient=recipient,
                stream_version=stream.version,
                held=[
                    h for h in await handlers.history(conn, subject_ids=[body.subject_id])
                    if h.subject_id == body.subject_id and h.recipient_kind is body.recipient_kind
                ],
                today=handlers.today(),
            )
            await handlers.append(conn, {award_id: stream.version}, events, Service.metadata(request))
            return title_and_award_history(events)[0]

        return await handlers.transact(work)

    return api
