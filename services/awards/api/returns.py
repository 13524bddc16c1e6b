"""HTTP API of a whole dossier's return to its unit and its resubmission (trả lại / trình lại toàn bộ hồ sơ).

The office returns the nomination with one reason (every candidate returned,
one ``candidate-returned`` event each: :mod:`..workflow.returns` says why);
the unit's officer (for their units' nominations) or the office resubmits
every returned candidate at once, each assessed again. A single candidate
goes back and forth through ``…/candidates/{cid}/returns`` and ``…/resubmit``.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from kernel.service import Service

from ..handlers import AwardsHandlers, Handled
from ..workflow.returns import ResubmitDossier, ReturnDossier
from .dossiers import officer_unit
from .nominations import Id, NominationView, _errors, body_of, command, disclosed, nomination_view

ReturnDossierBody = body_of(ReturnDossier, "nomination_id")
ResubmitDossierBody = body_of(ResubmitDossier, "nomination_id")


def router(handlers: AwardsHandlers) -> APIRouter:
    """``POST /nominations/{id}/returns``, ``POST /nominations/{id}/resubmit``."""
    api = APIRouter()

    async def view(request: Request, outcome: Handled) -> NominationView:
        assert outcome.file is not None
        return await disclosed(request, nomination_view(handlers.catalogue, outcome.file, outcome.recorded))

    @api.post(
        "/nominations/{nomination_id}/returns",
        tags=["nominations"],
        summary="Trả lại toàn bộ hồ sơ — the office returns the whole nomination to its unit with a reason",
        description="Every candidate is `returned` with the reason among its `reasons` (one "
        "vn.tdkt.awards.nomination.candidate-returned event each, internal topic); the unit fixes the dossier and "
        "resubmits it whole (`…/resubmit`) or candidate by candidate. Every round stays in the history. A "
        "nomination with a decided candidate cannot go back whole (409 `candidate_already_decided`).",
        response_model=NominationView,
        responses=_errors("nomination_not_found", conflict="candidate_already_decided",
                          unprocessable="date_in_future, date_before_submission"),
    )
    async def return_dossier(
        nomination_id: Id, body: ReturnDossierBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(ReturnDossier, body, nomination_id=nomination_id)
        return await view(request, await handlers.return_dossier(cmd, Service.metadata(request)))

    @api.post(
        "/nominations/{nomination_id}/resubmit",
        tags=["nominations"],
        summary="Trình lại toàn bộ hồ sơ — every returned candidate comes back, assessed again on today's facts",
        description="By the unit's officer (their units' nominations only: 403 `outside_unit_scope` otherwise) or "
        "the office. The still ineligible are returned again with the engine's reasons.",
        response_model=NominationView,
        responses={**_errors("nomination_not_found, subject_not_found", conflict="candidate_already_decided",
                             unprocessable="candidate_not_returned (none is), date_in_future, "
                             "date_before_submission, candidate_outside_unit"),
                   403: {"description": "`outside_unit_scope`: a unit officer resubmits only their units' dossiers."}},
    )
    async def resubmit_dossier(
        nomination_id: Id, body: ResubmitDossierBody, request: Request,  # type: ignore[valid-type]
    ) -> NominationView:
        cmd = command(ResubmitDossier, body, nomination_id=nomination_id)
        return await view(request, await handlers.resubmit_dossier(
            cmd, Service.metadata(request), officer_unit=officer_unit(request)))

    return api


__all__ = ["router"]
