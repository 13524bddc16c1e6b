"""HTTP queries of the awards service: the catalogue, eligibility assessments and forecasts.

Every answer comes from the pure engine (:mod:`services.awards.domain`) applied
to facts read from the service's local tables (:mod:`services.awards.facts_loader`);
nothing here decides eligibility itself. Refusals answer ``{"code", "message",
"details"}``:

- 404 ``unknown_award``: the code is not in the catalogue;
- 404 ``candidate_not_found``: no such person or unit in the replica;
- 404 ``unit_not_found``: the unit of a unit-wide query is unknown;
- 422 ``no_rule_for_year``: no rule version is in force for the achievement year;
- 422 ``wrong_recipient_kind``: e.g. a collective title asked for a person;
- 422 ``invalid_candidate``: neither or both of ``person_id`` and ``unit_id``;
- 422 ``invalid_request``: a malformed parameter (e.g. a year outside 1945–2100).

The request is checked against the catalogue before any fact is read, so an
unknown award or a year without a rule is reported as such whoever the
candidate is.
"""

from __future__ import annotations

import asyncio
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import asyncpg
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, Field
from tdkt_contracts.vocabulary import RecipientKind

from kernel.errors import DomainError
from kernel.limits import BUSY, Gate, json_off_loop
from kernel.privacy import Disclosure
from kernel.service import Service

from .domain import (
    Assessment,
    AwardEntry,
    Catalogue,
    Citation,
    CriterionSpec,
    ForecastCandidate,
    LegalDocument,
    RuleVersion,
    assess,
    assess_many,
    forecast,
)
from .domain.timespan import year_end
from .domain.vocabulary import Outcome, Status
from .facts_loader import FactsLoader
from .personal_data import withhold, withhold_forecast

# =========================================================================== answers


class RuleSetView(BaseModel):
    """A legal regime (law + decree) and its period."""

    rule_set_id: str = Field(description="e.g. LAW2022_ND98.")
    name_vi: str
    name_en: str
    valid_from: date
    valid_to: date | None = Field(description="Last day in force; null: still in force.")


class ProcedureItemView(BaseModel):
    """A number the procedure applies (vote share, notice days, cash multiple), with its source."""

    value: float
    citation: Citation
    confirmed: bool


class NoteView(BaseModel):
    """A council check (judged by the Hội đồng, not computed) or a quota."""

    text_vi: str
    text_en: str
    citation: Citation
    confirmed: bool


class CriterionView(BaseModel):
    """One criterion of a rule version as the catalogue states it, children included."""

    id: str
    kind: str = Field(description="Criterion kind, e.g. consecutive_titles, initiative_or_research, any_of.")
    requirement_vi: str
    requirement_en: str
    params: dict[str, Any] = Field(description="The kind's parameters, as in the catalogue YAML.")
    citation: Citation
    confidence: str = Field(description="C: legal text read; S: secondary source; U: unconfirmed.")
    confirmed: bool
    note: str | None = None
    criteria: list[CriterionView] = Field(default_factory=list, description="Children of any_of / all_of.")


class RuleVersionView(BaseModel):
    """One rule version: what the code requires of one recipient kind during a validity window."""

    rule_id: str = Field(description="e.g. 'CSTDCS.individual.2024-01-01'.")
    recipient_kind: RecipientKind
    valid_from: date
    valid_to: date | None = Field(description="Last day in force; null: still in force.")
    confidence: str = Field(description="Of the version as a whole: C, S or U.")
    confirmed: bool = Field(description="False when the version as a whole is marked [U] (chưa được xác nhận).")
    authority: str = Field(description="Who decides: unit_head, minister, prime_minister, president, other_ministry.")
    authority_vi: str = Field(description="Cấp quyết định, e.g. 'Bộ trưởng'.")
    route: str = Field(description="unit_decides, ministry_decides or propose_upward (Bộ trình cấp trên).")
    submit_to_vi: str | None = None
    description_vi: str
    description_en: str
    citation: Citation = Field(description="The main legal basis (căn cứ pháp lý).")
    note: str | None = None


class RuleDetailView(RuleVersionView):
    """A rule version with its criteria and procedure."""

    criteria: list[CriterionView]
    council_vote_share: ProcedureItemView | None = Field(
        default=None, description="Share of ALL council members that must approve (tỷ lệ phiếu Hội đồng)."
    )
    public_notice_working_days: ProcedureItemView | None = Field(
        default=None, description="Working days of public notice before the council meets (công khai)."
    )
    cash_multiple: ProcedureItemView | None = Field(default=None, description="Tiền thưởng, × mức lương cơ sở.")
    council_checks: list[NoteView] = Field(description="Qualitative requirements the council judges.")
    quotas: list[NoteView] = Field(description="Caps on numbers (hạn mức), never eligibility criteria.")


class AwardView(BaseModel):
    """A title (danh hiệu thi đua) or award form (hình thức khen thưởng) of the catalogue."""

    code: str = Field(description="Catalogue code, e.g. CSTDCS.")
    name_vi: str
    name_en: str
    kind: str = Field(description="title (danh hiệu thi đua) or award_form (hình thức khen thưởng).")
    kind_vi: str
    category: str = Field(description="merit, thematic, one_off, long_service, foreign.")
    category_vi: str
    recurrence: str = Field(description="annual, multi_year, cycle, once, repeatable.")
    recurrence_vi: str
    recipients: list[RecipientKind] = Field(description="individual (cá nhân) and/or collective (tập thể).")
    authorities: list[str] = Field(description="Who decides, over all versions (cấp quyết định).")
    confirmed: bool = Field(description="False if any version, criterion or procedural number relied on is [U].")
    documents: list[str] = Field(description="Ids of the legal documents its versions cite (see /catalogue documents).")
    rules: list[RuleVersionView]


class AwardDetail(AwardView):
    """A catalogue entry with every rule version in full and the documents it cites."""

    rules: list[RuleDetailView]  # type: ignore[assignment]
    cited_documents: list[LegalDocument]


class CatalogueView(BaseModel):
    """The catalogue: legal regimes, the documents rules cite, and every code."""

    rule_sets: list[RuleSetView]
    documents: list[LegalDocument] = Field(description="Legal sources (văn bản pháp luật) with confidence marks.")
    awards: list[AwardView]


class CriterionLine(BaseModel):
    """One criterion of an assessment, flattened: status, the article applied and why."""

    id: str = Field(description="Path in the rule, e.g. 'route.htxs'.")
    status: Status
    decisive: bool = Field(description="False for an alternative of an any_of that was not the route taken.")
    citation_vi: str = Field(description="The article applied (căn cứ), e.g. 'Luật Thi đua, khen thưởng 2022, Điều 23'.")
    citation_en: str
    explanation_vi: str
    explanation_en: str


class CandidateView(BaseModel):
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
    candidates: list[CandidateView]


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


class ErrorBody(BaseModel):
    """Every refusal: a stable machine-readable code, a message naming what is wrong, and details."""

    code: str = Field(description="e.g. unknown_award, candidate_not_found, no_rule_for_year, wrong_recipient_kind.")
    message: str = Field(description="What is wrong, in English with the Vietnamese term.")
    details: dict[str, Any] = Field(description="The offending values, e.g. {'award_code': 'CSTD_XYZ'}.")


def _errors(not_found: str, unprocessable: str) -> dict[int | str, dict[str, Any]]:
    return {
        404: {"model": ErrorBody, "description": not_found},
        422: {"model": ErrorBody, "description": unprocessable},
    }


_QUERY_422 = "`no_rule_for_year`, `wrong_recipient_kind`, or `invalid_request` (a malformed parameter)."


class Detail(StrEnum):
    """How much of each candidate's assessment a unit-wide answer carries."""

    SUMMARY = "summary"
    FULL = "full"


# =========================================================================== pure helpers


def rule_in_force(catalogue: Catalogue, code: str, year: int, recipient: RecipientKind) -> RuleVersion:
    """The version the engine will apply, or the engine's own refusal (checked before reading facts)."""
    entry = catalogue.entry(code)  # NotFound('unknown_award')
    if recipient not in entry.recipients:
        raise DomainError(
            "wrong_recipient_kind",
            f"{code} is not awarded to {recipient.value} recipients (không xét tặng cho {recipient.label_vi.lower()})",
            award_code=code,
            recipient_kind=recipient.value,
            allowed=[k.value for k in entry.recipients],
        )
    day = year_end(year)
    version = entry.rule_for(recipient, day)
    if version is None or catalogue.rule_set_at(day) is None:
        raise DomainError(
            "no_rule_for_year",
            f"No rule for {code} ({recipient.value}) is in force for achievement year {year} "
            f"(không có quy định áp dụng cho năm {year})",
            award_code=code,
            year=year,
            recipient_kind=recipient.value,
            windows=[f"{r.valid_from}..{r.valid_to or ''}" for r in entry.rules_for(recipient)],
        )
    return version


def default_recipient(entry: AwardEntry, asked: RecipientKind | None) -> RecipientKind:
    """The kind asked for, or the only one the code has (individual when it has both)."""
    if asked is not None:
        return asked
    return RecipientKind.INDIVIDUAL if RecipientKind.INDIVIDUAL in entry.recipients else RecipientKind.COLLECTIVE


def criterion_view(catalogue: Catalogue, spec: CriterionSpec) -> CriterionView:
    """A catalogue criterion with its citation rendered."""
    return CriterionView(
        id=spec.id,
        kind=spec.kind.value,
        requirement_vi=spec.vi,
        requirement_en=spec.en,
        params=spec.params.model_dump(mode="json"),
        citation=catalogue.cite(spec.source),
        confidence=spec.confidence.value,
        confirmed=spec.confirmed,
        note=spec.note,
        criteria=[criterion_view(catalogue, c) for c in spec.criteria],
    )


def _version_fields(catalogue: Catalogue, v: RuleVersion) -> dict[str, Any]:
    return {
        "rule_id": v.id,
        "recipient_kind": v.recipient,
        "valid_from": v.valid_from,
        "valid_to": v.valid_to,
        "confidence": v.confidence.value,
        "confirmed": v.confirmed,
        "authority": v.authority.value,
        "authority_vi": v.authority.label_vi,
        "route": v.route.value,
        "submit_to_vi": v.submit_to_vi,
        "description_vi": v.description_vi,
        "description_en": v.description_en,
        "citation": catalogue.cite(v.source),
        "note": v.note,
    }


def _fully_confirmed(v: RuleVersion) -> bool:
    items = [v, *v.all_criteria(), *(i for i in (v.council_vote, v.public_notice, v.cash) if i is not None)]
    return all(i.confirmed for i in items)


def award_view(catalogue: Catalogue, entry: AwardEntry, *, detail: bool = False) -> AwardView | AwardDetail:
    """A catalogue entry as the API shows it."""
    docs = sorted({s.doc for v in entry.rules for s in v.sources()})
    base: dict[str, Any] = {
        "code": entry.code,
        "name_vi": entry.name_vi,
        "name_en": entry.name_en,
        "kind": entry.kind.value,
        "kind_vi": entry.kind.label_vi,
        "category": entry.category.value,
        "category_vi": entry.category.label_vi,
        "recurrence": entry.recurrence.value,
        "recurrence_vi": entry.recurrence.label_vi,
        "recipients": entry.recipients,
        "authorities": sorted({v.authority.value for v in entry.rules}),
        "confirmed": all(_fully_confirmed(v) for v in entry.rules),
        "documents": docs,
    }
    ordered = sorted(entry.rules, key=lambda v: (v.recipient.value, v.valid_from))
    if not detail:
        return AwardView(**base, rules=[RuleVersionView(**_version_fields(catalogue, v)) for v in ordered])

    def item(x: Any, value: float) -> ProcedureItemView:
        return ProcedureItemView(value=value, citation=catalogue.cite(x.source), confirmed=x.confirmed)

    def note(x: Any) -> NoteView:
        return NoteView(text_vi=x.vi, text_en=x.en, citation=catalogue.cite(x.source), confirmed=x.confirmed)

    rules = [
        RuleDetailView(
            **_version_fields(catalogue, v),
            criteria=[criterion_view(catalogue, c) for c in v.criteria],
            council_vote_share=item(v.council_vote, v.council_vote.share) if v.council_vote else None,
            public_notice_working_days=item(v.public_notice, v.public_notice.working_days) if v.public_notice else None,
            cash_multiple=item(v.cash, v.cash.multiple) if v.cash else None,
            council_checks=[note(c) for c in v.council_checks],
            quotas=[note(q) for q in v.quotas],
        )
        for v in ordered
    ]
    return AwardDetail(**base, rules=rules, cited_documents=[catalogue.documents[d] for d in docs])


def catalogue_view(catalogue: Catalogue) -> CatalogueView:
    """The whole catalogue as the API shows it."""
    return CatalogueView(
        rule_sets=[
            RuleSetView(rule_set_id=s.id, name_vi=s.name_vi, name_en=s.name_en, valid_from=s.valid_from,
                        valid_to=s.valid_to)
            for s in sorted(catalogue.rule_sets, key=lambda s: s.valid_from)
        ],
        documents=[catalogue.documents[d] for d in sorted(catalogue.documents)],
        awards=[award_view(catalogue, catalogue.entries[c]) for c in catalogue.codes],  # type: ignore[misc]
    )


def candidate_view(assessment: Assessment, unit_id: str | None, *, full: bool) -> CandidateView:
    """One candidate's assessment, flattened for a unit-wide answer."""
    return CandidateView(
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


def router(service: Service, catalogue: Catalogue, loader: FactsLoader) -> APIRouter:
    """The awards service's query routes, closing over its pool, catalogue and facts loader."""
    api = APIRouter()
    whole_catalogue = catalogue_view(catalogue)  # the catalogue is fixed for the process's life
    # Unit-wide assessments and forecasts assess thousands of people each: a few at a time, one per person.
    unit_wide = Gate("unit-wide assessment", total=2, per_person=1)

    def pool() -> asyncpg.Pool:
        assert service.pool is not None, "the service is not started"
        return service.pool

    @api.get(
        "/catalogue",
        tags=["catalogue"],
        summary="Danh mục danh hiệu, hình thức khen thưởng — the catalogue with its legal sources",
        description=(
            "Every title (danh hiệu thi đua) and award form (hình thức khen thưởng) the engine knows: names, "
            "kind, who decides (cấp quyết định), each rule version with its validity window (hiệu lực) and legal "
            "basis (căn cứ pháp lý), and whether it is confirmed. Also the legal regimes (Luật 2013 + NĐ 91, "
            "Luật 2022 + NĐ 98, NĐ 152) and the documents cited, with their confidence marks "
            "(C: văn bản đã đối chiếu, S: nguồn thứ cấp, U: chưa xác nhận)."
        ),
        response_model=CatalogueView,
    )
    async def get_catalogue() -> CatalogueView:
        return whole_catalogue

    @api.get(
        "/catalogue/{code}",
        tags=["catalogue"],
        summary="Một danh hiệu / hình thức khen thưởng — one code with every rule version in full",
        description=(
            "The rule versions of one code with their criteria (tiêu chuẩn) as a tree, each with the article it "
            "comes from, the council vote share (tỷ lệ phiếu Hội đồng Thi đua – Khen thưởng), public-notice days, "
            "the cash multiple (mức tiền thưởng), council checks and quotas. 404 `unknown_award` for an unknown code."
        ),
        response_model=AwardDetail,
        responses={404: {"model": ErrorBody, "description": "`unknown_award`: no such code in the catalogue."}},
    )
    async def get_award(
        code: Annotated[str, Path(min_length=1, max_length=32, description="Catalogue code, e.g. CSTD_BO.")],
    ) -> AwardDetail:
        return award_view(catalogue, catalogue.entry(code), detail=True)  # type: ignore[return-value]

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
        person_id: Annotated[str | None, Query(max_length=64, description="The person (cá nhân) to assess.")] = None,
        unit_id: Annotated[str | None, Query(max_length=64, description="The collective (tập thể) to assess.")] = None,
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
        async with pool().acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            if person_id is not None:
                facts: Any = await loader.person(conn, person_id, year)
            else:
                facts = await loader.unit(conn, unit_id, year)  # type: ignore[arg-type]
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
        unit_id: Annotated[str, Path(min_length=1, max_length=64, description="The unit (đơn vị).")],
        code: Code,
        year: Year,
        include_subunits: Annotated[
            bool, Query(description="Also the people (or, for collective awards, the units) under this unit.")
        ] = False,
        recipient_kind: Annotated[
            RecipientKind | None, Query(description="individual or collective, for codes given to both.")
        ] = None,
        outcome: Annotated[Outcome | None, Query(description="Only candidates with this outcome.")] = None,
        detail: Annotated[Detail, Query(description="summary, or full: each candidate's whole assessment.")] = (
            Detail.SUMMARY
        ),
        as_of: AsOf = None,
    ) -> UnitAssessments:
        recipient = default_recipient(catalogue.entry(code), recipient_kind)
        version = rule_in_force(catalogue, code, year, recipient)
        async with pool().acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            chart = await loader.unit_chart(conn, unit_id)
            if recipient is RecipientKind.INDIVIDUAL:
                candidates: list[Any] = await loader.people_of(
                    conn, chart, unit_id, year, include_subunits=include_subunits
                )
            else:
                candidates = await loader.collectives_of(conn, chart, unit_id, year, include_subunits=include_subunits)
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
        unit_id: Annotated[str | None, Query(max_length=64, description="Limit to this unit (đơn vị).")] = None,
        include_subunits: Annotated[bool, Query(description="Also the people or units under unit_id.")] = True,
        recipient_kind: Annotated[
            RecipientKind | None, Query(description="individual or collective, for codes given to both.")
        ] = None,
        max_unmet: Annotated[int, Query(ge=0, le=5, description="Criteria still allowed unmet after the trend.")] = 0,
        as_of: AsOf = None,
    ) -> ForecastView:
        recipient = default_recipient(catalogue.entry(code), recipient_kind)
        rule_in_force(catalogue, code, year, recipient)
        async with pool().acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            chart = await (loader.unit_chart(conn, unit_id) if unit_id is not None else loader.chart(conn))
            if recipient is RecipientKind.INDIVIDUAL:
                candidates: list[Any] = await loader.people_of(
                    conn, chart, unit_id, year, include_subunits=include_subunits
                )
            else:
                candidates = await loader.collectives_of(conn, chart, unit_id, year, include_subunits=include_subunits)
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
