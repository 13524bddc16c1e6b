"""HTTP queries of eligibility: one candidate, everyone in a unit, and who qualifies next year (dự báo).

Every answer comes from the pure engine (:mod:`services.awards.domain`) applied
to facts read from the service's local tables (:mod:`services.awards.projections.facts`);
nothing here decides eligibility itself. Refusals answer ``{"code", "message",
"details"}``:

- 404 ``unknown_award``: the code is not in the catalogue;
- 404 ``candidate_not_found``: no such person or unit in the replica;
- 404 ``unit_not_found``: the unit of a unit-wide query is unknown;
- 422 ``no_rule_for_year``: no rule version is in force for the achievement year;
- 422 ``wrong_recipient_kind``: e.g. a collective title asked for a person;
- 422 ``invalid_candidate``: neither or both of ``person_id`` and ``unit_id``;
- 422 ``households_not_listed``: a unit-wide query for households, which no unit lists;
- 422 ``invalid_request``: a malformed parameter (e.g. a year outside 1945–2100).

The request is checked against the catalogue (:func:`~services.awards.domain.rule_in_force`,
the engine's own check) before any fact is read, so an unknown award or a year
without a rule is reported as such whoever the candidate is.
"""

from __future__ import annotations

import asyncio
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from tdkt_contracts.vocabulary import RecipientKind

from kernel.errors import DomainError
from kernel.ids import SubjectId
from kernel.limits import BUSY, Gate, json_off_loop
from kernel.privacy import Disclosure

from ..domain import Assessment, AwardEntry, ForecastCandidate, assess, assess_many, forecast, rule_in_force
from ..domain.timespan import year_end
from ..domain.vocabulary import Outcome, Status
from ..handlers import AwardsHandlers
from ..personal_data import withhold, withhold_forecast
from . import ErrorBody

# =========================================================================== answers


class CriterionLine(BaseModel):
    """One criterion of an assessment, flattened: status, the article applied and why."""

    id: str = Field(description="Path in the rule, e.g. 'route.htxs'.")
    status: Status
    decisive: bool = Field(description="False for an alternative of an any_of that was not the route taken.")
    citation_vi: str = Field(description="The article applied (căn cứ), e.g. 'Luật Thi đua, khen thưởng 2022, Điều 23'.")
    citation_en: str
    explanation_vi: str
    explanation_en: str


class AssessedCandidate(BaseModel):
    """One candidate of a unit-wide assessment."""

    subject_id: str = Field(description="Person id or unit id.")
    subject_name: str
    unit_id: str | None = Field(description="For a person: the unit they count in that year; for a unit: itself.")
    outcome: Outcome
    outcome_vi: str
    eligible: bool
    unconfirmed: bool = Field(description="An unconfirmed [U] rule was relied on.")
    failing: list[str] = Field(description="Decisive criteria that failed.")
    unknown: list[str] = Field(description="Decisive criteria whose facts are missing.")
    initiatives_to_consume: list[str]
    explanation_vi: str
    explanation_en: str
    criteria: list[CriterionLine] = Field(description="Every criterion, children included, with its citation.")
    assessment: Assessment | None = Field(default=None, description="The full assessment, with detail=full.")


class UnitAssessments(BaseModel):
    """Who in a unit qualifies for a code in a year."""

    unit_id: str
    unit_name: str = Field(description="The unit's name at the end of the year.")
    code: str
    name_vi: str
    year: int
    recipient_kind: RecipientKind
    include_subunits: bool
    rule_id: str = Field(description="The rule version in force on 31 December of the year.")
    counts: dict[str, int] = Field(description="Candidates by outcome: eligible, ineligible, undetermined.")
    eligible: list[str] = Field(description="Ids of the eligible candidates (đủ điều kiện).")
    candidates: list[AssessedCandidate]


class ForecastView(BaseModel):
    """Who would qualify in ``year`` if last year's results repeat."""

    code: str
    name_vi: str
    year: int = Field(description="The target year.")
    based_on_year: int = Field(description="The year whose grades, annual titles and registrations are repeated.")
    unit_id: str | None
    recipient_kind: RecipientKind
    max_unmet: int
    candidates: list[ForecastCandidate]


def _errors(not_found: str, unprocessable: str) -> dict[int | str, dict[str, Any]]:
    return {
        404: {"model": ErrorBody, "description": not_found},
        422: {"model": ErrorBody, "description": unprocessable},
    }


_QUERY_422 = (
    "`no_rule_for_year`, `wrong_recipient_kind`, `households_not_listed`, or `invalid_request` (a malformed parameter)."
)


class Detail(StrEnum):
    """How much of each candidate's assessment a unit-wide answer carries."""

    SUMMARY = "summary"
    FULL = "full"


# =========================================================================== views


HOUSEHOLDS_NOT_LISTED = "households_not_listed"
"""A unit-wide query asked for households, which the units context does not hold (HTTP 422)."""


def default_recipient(entry: AwardEntry, asked: RecipientKind | None) -> RecipientKind:
    """The kind asked for, or the only one the code has (individual when it has both); a unit lists people and
    collectives only: DomainError('households_not_listed') for households."""
    if asked is RecipientKind.HOUSEHOLD:
        raise DomainError(
            HOUSEHOLDS_NOT_LISTED,
            "A unit lists its people and collectives; a household is not in the units context: assess it on the "
            "facts its nomination states (POST /assessments with recipient_kind household, or POST /nominations)",
            award_code=entry.code,
            recipient_kind=asked.value,
        )
    if asked is not None:
        return asked
    return RecipientKind.INDIVIDUAL if RecipientKind.INDIVIDUAL in entry.recipients else RecipientKind.COLLECTIVE


def candidate_view(assessment: Assessment, unit_id: str | None, *, full: bool) -> AssessedCandidate:
    """One candidate's assessment, flattened for a unit-wide answer."""
    return AssessedCandidate(
        subject_id=assessment.subject_id,
        subject_name=assessment.subject_name,
        unit_id=unit_id,
        outcome=assessment.outcome,
        outcome_vi=assessment.outcome.label_vi,
        eligible=assessment.eligible,
        unconfirmed=assessment.unconfirmed,
        failing=assessment.failing(),
        unknown=assessment.unknown(),
        initiatives_to_consume=list(assessment.initiatives_to_consume),
        explanation_vi=assessment.explanation_vi,
        explanation_en=assessment.explanation_en,
        criteria=[
            CriterionLine(
                id=r.id,
                status=r.status,
                decisive=r.decisive,
                citation_vi=r.citation.text_vi,
                citation_en=r.citation.text_en,
                explanation_vi=r.explanation_vi,
                explanation_en=r.explanation_en,
            )
            for r in assessment.results()
        ],
        assessment=assessment if full else None,
    )


# =========================================================================== routes

Code = Annotated[str, Query(min_length=1, max_length=32, description="Catalogue code, e.g. CSTDCS, CSTD_BO, KNC_CT.")]
Year = Annotated[
    int,
    Query(ge=1945, le=2100, description="Achievement year (năm thành tích); the rule in force on 31 December applies."),
]
AsOf = Annotated[
    date | None,
    Query(description="Date the file is considered (ngày xét); holds open on it block the award. Default: any open hold."),
]
FiledOn = Annotated[
    date | None,
    Query(
        description="Date the file was filed (ngày nộp hồ sơ): where a later regime's transitional provisions say "
        "so, its rules apply; a file across a regime change is flagged 'regime_change'. Default: 31 December rules."
    ),
]


def router(handlers: AwardsHandlers) -> APIRouter:
    """The assessment and forecast routes, over the handlers' snapshot reads, catalogue and facts loader."""
    api = APIRouter()
    catalogue, loader = handlers.catalogue, handlers.loader
    # Unit-wide assessments and forecasts assess thousands of people each: a few at a time, one per person.
    unit_wide = Gate("unit-wide assessment", total=2, per_person=1)

    @api.get(
        "/assessments",
        tags=["assessments"],
        summary="Xét điều kiện một ứng viên — assess one candidate for one award and year",
        description=(
            "Applies the rule in force on 31 December of `year` to what the service knows about one person "
            "(`person_id`, cá nhân) or one collective (`unit_id`, tập thể): grades (xếp loại), titles held, "
            "initiatives (sáng kiến, đề tài) not yet used as evidence, discipline (kỷ luật), registrations "
            "(đăng ký thi đua), member figures for a collective. Each criterion answers passed / failed / "
            "unknown (a missing fact is never a pass) with the facts used, the article applied (căn cứ) and "
            "an explanation in Vietnamese and English; `unconfirmed` flags reliance on a rule marked [U].\n\n"
            "Errors: 404 `unknown_award`, 404 `candidate_not_found`, 422 `no_rule_for_year`, "
            "422 `wrong_recipient_kind`, 422 `invalid_candidate` (give exactly one of person_id, unit_id)."
        ),
        response_model=Assessment,
        responses=_errors("`unknown_award` or `candidate_not_found`.", _QUERY_422 + " Also `invalid_candidate`."),
    )
    async def get_assessment(
        request: Request,
        code: Code,
        year: Year,
        person_id: Annotated[SubjectId | None, Query(description="The person (cá nhân) to assess.")] = None,
        unit_id: Annotated[SubjectId | None, Query(description="The collective (tập thể) to assess.")] = None,
        as_of: AsOf = None,
        filed_on: FiledOn = None,
    ) -> Assessment:
        if (person_id is None) == (unit_id is None):
            raise DomainError(
                "invalid_candidate",
                "Give exactly one of person_id (cá nhân) or unit_id (tập thể)",
                person_id=person_id,
                unit_id=unit_id,
            )
        recipient = RecipientKind.INDIVIDUAL if person_id is not None else RecipientKind.COLLECTIVE
        rule_in_force(catalogue, code, year, recipient)
        if person_id is not None:
            facts: Any = await handlers.read(lambda conn: loader.person(conn, person_id, year))
        else:
            facts = await handlers.read(lambda conn: loader.unit(conn, unit_id, year))  # type: ignore[arg-type]
        seen = await Disclosure.of(request).for_unit(facts.unit_id if person_id is not None else unit_id)
        return withhold(assess(catalogue, code, year, facts, as_of=as_of, filed_on=filed_on), seen)

    @api.get(
        "/units/{unit_id}/assessments",
        tags=["assessments"],
        summary="Xét điều kiện cả đơn vị — who in this unit qualifies for an award in a year",
        description=(
            "Every person counted in the unit for the year (the unit on 31 December, or on their last day if "
            "they left, merges followed) — or, for a collective award, the unit itself — is assessed; "
            "`include_subunits` adds the people (or the units) under it. For a code given to both kinds "
            "(e.g. BK_BT) `recipient_kind` chooses; people by default. Each candidate carries its outcome, "
            "every criterion with its citation, and with `detail=full` the whole assessment. "
            "`outcome=eligible` keeps only those who qualify (đủ điều kiện).\n\n"
            "Errors: 404 `unknown_award`, 404 `unit_not_found`, 422 `no_rule_for_year`, 422 `wrong_recipient_kind`."
        ),
        response_model=UnitAssessments,
        responses=_errors("`unknown_award` or `unit_not_found`.", _QUERY_422) | BUSY,
        dependencies=[Depends(unit_wide.dependency())],
    )
    async def get_unit_assessments(
        request: Request,
        unit_id: Annotated[SubjectId, Path(description="The unit (đơn vị).")],
        code: Code,
        year: Year,
        include_subunits: Annotated[
            bool, Query(description="Also the people (or, for collective awards, the units) under this unit.")
        ] = False,
        recipient_kind: Annotated[
            RecipientKind | None,
            Query(description="individual or collective, for codes given to both (a household is not listed: "
                  "households_not_listed)."),
        ] = None,
        outcome: Annotated[Outcome | None, Query(description="Only candidates with this outcome.")] = None,
        detail: Annotated[Detail, Query(description="summary, or full: each candidate's whole assessment.")] = (
            Detail.SUMMARY
        ),
        as_of: AsOf = None,
    ) -> UnitAssessments:
        recipient = default_recipient(catalogue.entry(code), recipient_kind)
        version = rule_in_force(catalogue, code, year, recipient)
        chart, candidates = await handlers.read(
            lambda conn: loader.candidates_of(conn, recipient, unit_id, year, include_subunits=include_subunits)
        )
        # The engine is pure CPU work: keep the event loop (relay, consumers) free meanwhile.
        results = await asyncio.to_thread(assess_many, catalogue, code, year, candidates, as_of=as_of)
        units_of = {c.subject_id: c.unit_id for c in candidates}
        disclosure = Disclosure.of(request)
        results = [withhold(r, await disclosure.for_unit(units_of.get(r.subject_id))) for r in results]
        counts = {o.value: sum(r.outcome is o for r in results) for o in Outcome}
        shown = [r for r in results if outcome is None or r.outcome is outcome]
        unit = chart.get(unit_id)
        assert unit is not None

        def answer() -> UnitAssessments:
            return UnitAssessments(
                unit_id=unit_id,
                unit_name=unit.name_on(year_end(year)),
                code=code,
                name_vi=catalogue.entry(code).name_vi,
                year=year,
                recipient_kind=recipient,
                include_subunits=include_subunits,
                rule_id=version.id,
                counts=counts,
                eligible=[r.subject_id for r in results if r.eligible],
                candidates=[candidate_view(r, units_of.get(r.subject_id), full=detail is Detail.FULL) for r in shown],
            )

        # 3,000 full assessments are tens of MB of JSON: built and serialised off the event loop too.
        return await json_off_loop(answer)  # type: ignore[return-value]

    @api.get(
        "/forecasts",
        tags=["forecasts"],
        summary="Dự báo đủ điều kiện năm sau — who becomes eligible next year if the current trend holds",
        description=(
            "Candidates not eligible for `code` in `year` today who would be if last year's grade, annual "
            "titles (LĐTT, CSTĐCS, TTLĐXS …), registrations and member figures repeat — e.g. those with "
            "two of the three consecutive CSTĐCS a CSTĐ Bộ needs. Nothing else is invented: initiatives, "
            "prior awards, service and discipline stay as recorded. `max_unmet` > 0 also lists those still "
            "short by that many criteria. Each candidate says what is missing and what the projection assumed.\n\n"
            "Scope: the people (or units) of `unit_id` (with `include_subunits`), or everyone on the staff. "
            "Errors as for assessments."
        ),
        response_model=ForecastView,
        responses=_errors("`unknown_award` or `unit_not_found`.", _QUERY_422) | BUSY,
        dependencies=[Depends(unit_wide.dependency())],
    )
    async def get_forecast(
        request: Request,
        code: Code,
        year: Annotated[int, Query(ge=1946, le=2100, description="The target year (năm dự kiến xét).")],
        unit_id: Annotated[SubjectId | None, Query(description="Limit to this unit (đơn vị).")] = None,
        include_subunits: Annotated[bool, Query(description="Also the people or units under unit_id.")] = True,
        recipient_kind: Annotated[
            RecipientKind | None,
            Query(description="individual or collective, for codes given to both (a household is not listed: "
                  "households_not_listed)."),
        ] = None,
        max_unmet: Annotated[int, Query(ge=0, le=5, description="Criteria still allowed unmet after the trend.")] = 0,
        as_of: AsOf = None,
    ) -> ForecastView:
        recipient = default_recipient(catalogue.entry(code), recipient_kind)
        rule_in_force(catalogue, code, year, recipient)
        _, candidates = await handlers.read(
            lambda conn: loader.candidates_of(conn, recipient, unit_id, year, include_subunits=include_subunits)
        )
        found = await asyncio.to_thread(
            forecast, catalogue, code, year, candidates, as_of=as_of, max_unmet=max_unmet
        )
        units_of = {c.subject_id: c.unit_id for c in candidates}
        disclosure = Disclosure.of(request)
        found = [withhold_forecast(f, await disclosure.for_unit(units_of.get(f.subject_id))) for f in found]
        return ForecastView(
            code=code,
            name_vi=catalogue.entry(code).name_vi,
            year=year,
            based_on_year=year - 1,
            unit_id=unit_id,
            recipient_kind=recipient,
            max_unmet=max_unmet,
            candidates=found,
        )

    return api
