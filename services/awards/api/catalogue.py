"""HTTP queries of the catalogue: the titles and award forms, every rule version and its legal sources.

The catalogue is fixed for the process's life (a broken one stops the service
at start): the answers are built from :mod:`services.awards.domain` once.
404 ``unknown_award`` for a code the catalogue lacks.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field
from tdkt_contracts.vocabulary import RecipientKind

from ..domain import AwardEntry, Catalogue, Citation, CriterionSpec, LegalDocument, RuleVersion
from . import ErrorBody

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
    recipients: list[RecipientKind] = Field(
        description="individual (cá nhân), collective (tập thể), household (hộ gia đình)."
    )
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


# =========================================================================== views


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


# =========================================================================== routes


def router(catalogue: Catalogue) -> APIRouter:
    """``GET /catalogue`` and ``GET /catalogue/{code}``."""
    api = APIRouter()
    whole_catalogue = catalogue_view(catalogue)  # the catalogue is fixed for the process's life

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

    return api
