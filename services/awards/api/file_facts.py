"""HTTP API of the facts the office enters from nomination files: service years, findings, awards held.

No other context publishes these; the awards service is their system of
record (see :mod:`services.awards.projections.history`); the commands are
:mod:`services.awards.workflow.file_facts` and :mod:`services.awards.workflow.prior`,
run by :class:`~services.awards.handlers.AwardsHandlers`:

- ``PUT /people/{person_id}/supplements``: years of teaching, of hazardous
  work, in extremely disadvantaged areas, the date one joined education, as
  a file certifies them (Nhà giáo, Kỷ niệm chương); the recruitment date and
  the periods away from work (Lao động tiên tiến's working time: maternity
  leave counts) and the date of death (truy tặng). Reference data kept in
  ``person_supplements`` like the council and the holidays: personal data
  that no other system reacts to, so it is not published;
- ``POST /attestations``: a finding only a person can make for a year
  (outstanding in a movement, a one-off achievement), attested in the file;
  idempotent on (recipient, key, year);
- ``POST /held-awards``: a title or award decided outside the workflow
  (:mod:`services.awards.workflow.prior`), an event on its own award stream like any grant.

Each refuses a subject the units context never published
(``subject_not_found``): the replica may lag a moment behind an import, and
a retry then succeeds.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from kernel.ids import SubjectId
from kernel.service import Service

from ..handlers import AwardsHandlers
from ..projections import history
from ..workflow import (
    UNKNOWN_ATTESTATION_KEY,
    HistoryEntry,
    RecordAttestation,
    RecordPriorAward,
    RecordSupplements,
)


class SupplementsView(RecordSupplements):
    """The supplements recorded for a person."""

    person_id: str


def router(handlers: AwardsHandlers) -> APIRouter:
    """The routes entering file facts."""
    api = APIRouter()

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
    async def put_supplements(
        person_id: Annotated[SubjectId, Path()], body: RecordSupplements, request: Request
    ) -> SupplementsView:
        await handlers.record_supplements(person_id, body, Service.metadata(request))
        return SupplementsView(person_id=person_id, **body.model_dump())

    @api.get(
        "/people/{person_id}/supplements",
        tags=["file facts"],
        summary="Thời gian công tác đã ghi nhận",
        response_model=SupplementsView,
        responses={404: {"description": "supplements_not_found"}},
    )
    async def get_supplements(person_id: Annotated[SubjectId, Path()]) -> SupplementsView:
        found = await handlers.read(lambda conn: history.supplements_of(conn, person_id))
        return SupplementsView.model_validate(found)

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
        response_model=RecordAttestation,
        responses={404: {"description": "subject_not_found"}, 422: {"description": UNKNOWN_ATTESTATION_KEY}},
    )
    async def post_attestation(body: RecordAttestation, request: Request) -> RecordAttestation:
        await handlers.record_attestation(body, Service.metadata(request))
        return body

    @api.get(
        "/attestations",
        tags=["file facts"],
        summary="Xác nhận thành tích đã ghi nhận của một cá nhân, tập thể",
        response_model=list[RecordAttestation],
    )
    async def get_attestations(
        subject_id: Annotated[SubjectId, Query()],
        year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    ) -> list[RecordAttestation]:
        found = await handlers.read(lambda conn: history.attestations_of(conn, subject_id, year))
        return [RecordAttestation.model_validate(r) for r in found]

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
        return await handlers.record_prior_award(body, Service.metadata(request))

    return api
