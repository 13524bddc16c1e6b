"""HTTP API of the reporting service: queries on the read models, exports, the year-end summary,
the statistical report and rebuilds — one module per resource, every query in
:mod:`services.reporting.projections.queries`.

Every answer says how current it is (``as_of``: the last event applied, the
offsets, the lag). Every list takes ``limit``/``offset`` (the answer gives
``total``), ``sort`` (comma-separated fields, ``-`` for descending, from a
list per endpoint) and ``format=json|csv|xlsx``; CSV and XLSX export every
row that matches the filters, with Vietnamese headers.

Refusals answer ``{"code", "message", "details"}``: 422 ``year_out_of_range``,
``unknown_award_code``, ``unknown_unit``, ``unknown_authority``, ``unknown_flow``,
``unknown_recipient_kind``, ``unknown_status``, ``unknown_metric``,
``unknown_launcher``, ``unknown_sort_field``, ``unknown_group_by``,
``invalid_year_range``, ``unknown_form``, ``not_a_reference_form``, ``invalid_reference_data``,
``invalid_request`` (malformed parameters); 404
``unknown_read_model``, ``movement_not_found``, ``pledge_not_found``,
``person_not_found``, ``unit_not_found``, ``no_rebuild``, ``reference_not_recorded``; 409 ``rebuild_running``.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from kernel.limits import BUSY, Gate
from kernel.service import Service

from ..projections import Projection
from ..rebuilds import Rebuilds
from . import forms, history, movements, read_models, statistics, units
from .common import ReportingQueries, is_export


def router(service: Service, models: dict[str, Projection], rebuilds: Rebuilds) -> APIRouter:
    """The reporting API, closing over the service and its read models."""
    q = ReportingQueries(service, models)
    # An export carries every matching row (thousands, as XLSX): a few at a time, one per person.
    exports_gate = Gate("export", total=2, per_person=1)
    api = APIRouter(dependencies=[Depends(exports_gate.dependency(is_export))], responses=BUSY)
    for resource in (statistics.router(q), forms.router(q), history.router(q), movements.router(q), units.router(q),
                     read_models.router(q, rebuilds)):
        api.include_router(resource)
    return api
