"""The eligibility engine: applies the rule in force to a candidate's facts and explains why.

Nothing here knows any particular award. The catalogue says what each code
requires; the evaluators know how to check each kind of criterion; this
module selects the rule, walks its criteria (any_of / all_of /
meets_criteria_of recursively), combines three-valued statuses and builds
the :class:`Assessment`.

Statuses combine like Kleene logic: all_of fails if any child fails and
passes only if all pass; any_of passes if any child passes (the first one,
in the order the catalogue lists them, is the route taken) and fails only if
all fail; otherwise the result is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from tdkt_contracts.vocabulary import RecipientKind, Sex

from kernel.errors import DomainError

from .catalogue import AwardEntry, Catalogue, RuleVersion, Sourced
from .sources import LegalSource
from .context import EvalContext, Verdict
from .criteria import EVIDENCE, CriterionKind, CriterionSpec, MeetsCriteriaOf, Posthumous
from .evaluators import EVALUATORS
from .explain import assessment_text, criterion_line
from .facts import AnyFacts, AssessmentRequest, PersonFacts, UnitFacts
from .results import Assessment, CriterionResult, Note, Procedure, ProcedureRequirement, RuleApplied, UnconfirmedItem
from .timespan import year_end
from .vocabulary import Confidence, DecisionRoute, Outcome, Status

MAX_DEPTH = 5
UNCONFIRMED_NOT_MET = "unconfirmed_not_met"
"""Fact key and assessment flag: a [U] requirement failed, so the outcome is left undetermined."""


def assess(
    catalogue: Catalogue,
    code: str,
    year: int,
    facts: AnyFacts,
    *,
    as_of: date | None = None,
    filed_on: date | None = None,
) -> Assessment:
    """Assess one candidate for ``code`` and achievement ``year`` under the rule in force on 31 December of it.

    Raises NotFound('unknown_award') for a code the catalogue lacks,
    DomainError('wrong_recipient_kind') when the code is not given to this kind of
    recipient, and DomainError('no_rule_for_year') when no rule is in force for the year.
    ``as_of`` is the date the file is considered: holds open on it block the award.
    ``filed_on`` is the date the file was filed: where a later regime's transitional
    provisions say the filing date decides, its rules apply; a file judged across a
    regime change carries the flag ``regime_change``.
    """
    entry = catalogue.entry(code)
    recipient = facts.recipient
    check_recipient(entry, recipient)
    day, regime_change = _rules_day(catalogue, year_end(year), filed_on)
    version = entry.rule_for(recipient, day)
    rule_set = catalogue.rule_set_at(day)
    if version is None or rule_set is None:
        raise no_rule_for_year(entry, year, recipient)
    ctx = EvalContext(catalogue, entry, version, rule_set, year, facts, as_of, rule_day=day)
    specs = (*version.criteria, *_posthumous_spec(version, facts))
    results = tuple(_evaluate(spec, ctx, "") for spec in specs)
    return _assessment(ctx, results, regime_change)


def _posthumous_spec(version: RuleVersion, facts: AnyFacts) -> tuple[CriterionSpec, ...]:
    """For a deceased person, the conferral-after-death criterion: the version's basis, or [U] without one
    (a code whose rule records no posthumous conferral leaves the outcome undetermined, never refuses)."""
    if not isinstance(facts, PersonFacts) or facts.deceased_on is None:
        return ()
    basis = version.posthumous
    return (
        CriterionSpec(
            id="posthumous",
            kind=CriterionKind.POSTHUMOUS,
            params=Posthumous(),
            source=basis.source if basis else version.source,
            confidence=basis.confidence if basis else Confidence.UNCONFIRMED,
            vi="Truy tặng cho người đã mất chỉ khi quy định cho phép",
            en="Conferred after death only where the rule provides for it",
        ),
    )


def rule_in_force(catalogue: Catalogue, code: str, year: int, recipient: RecipientKind) -> RuleVersion:
    """The version :func:`assess` applies to ``recipient`` for ``year`` (filed in the year), or its refusal.

    The same checks, raised the same way, so a query can refuse before it reads any fact:
    NotFound('unknown_award'), DomainError('wrong_recipient_kind'), DomainError('no_rule_for_year').
    """
    entry = catalogue.entry(code)
    check_recipient(entry, recipient)
    day = year_end(year)
    version = entry.rule_for(recipient, day)
    if version is None or catalogue.rule_set_at(day) is None:
        raise no_rule_for_year(entry, year, recipient)
    return version


def check_recipient(entry: AwardEntry, recipient: RecipientKind, **details: object) -> None:
    """DomainError('wrong_recipient_kind') unless ``entry`` is given to ``recipient`` (``details`` name the
    candidate in the refusal)."""
    if recipient not in entry.recipients:
        raise DomainError(
            "wrong_recipient_kind",
            f"{entry.code} is not awarded to {recipient.value} recipients "
            f"(không xét tặng cho {recipient.label_vi.lower()})",
            award_code=entry.code,
            recipient_kind=recipient.value,
            allowed=[k.value for k in entry.recipients],
            **details,
        )


def no_rule_for_year(entry: AwardEntry, year: int, recipient: RecipientKind) -> DomainError:
    """The refusal when no rule version of ``entry`` for ``recipient`` is in force for achievement ``year``."""
    return DomainError(
        "no_rule_for_year",
        f"No rule for {entry.code} ({recipient.value}) is in force for achievement year {year} "
        f"(không có quy định áp dụng cho năm {year})",
        award_code=entry.code,
        year=year,
        recipient_kind=recipient.value,
        windows=[f"{r.valid_from}..{r.valid_to or ''}" for r in entry.rules_for(recipient)],
    )


def procedure_of_version(catalogue: Catalogue, version: RuleVersion) -> Procedure:
    """Who decides under ``version`` and the numbers the workflow applies (vote share, notice days, cash)."""

    def requirement(item: Sourced, value: float) -> ProcedureRequirement:
        return ProcedureRequirement(value=value, citation=catalogue.cite(item.source), confirmed=item.confirmed)

    return Procedure(
        authority=version.authority,
        authority_vi=version.authority.label_vi,
        route=version.route,
        ministry_decides=version.route is not DecisionRoute.PROPOSE_UPWARD,
        submit_to_vi=version.submit_to_vi,
        submit_to_en=version.submit_to_en,
        council_vote_share=requirement(version.council_vote, version.council_vote.share)
        if version.council_vote
        else None,
        public_notice_working_days=(
            requirement(version.public_notice, version.public_notice.working_days) if version.public_notice else None
        ),
        cash_multiple=requirement(version.cash, version.cash.multiple) if version.cash else None,
    )


def rules_day(catalogue: Catalogue, year: int, filed_on: date | None) -> date:
    """The day whose rules judge a file of achievement ``year`` filed on ``filed_on`` (31 December of the year,
    or the filing day where the later regime's transitional provisions say so): the procedure follows it too."""
    return _rules_day(catalogue, year_end(year), filed_on)[0]


def _rules_day(catalogue: Catalogue, year_end_day: date, filed_on: date | None) -> tuple[date, Note | None]:
    """The day whose rules apply, and the note for a file judged across a regime change.

    31 December of the achievement year, unless the file was filed under a later regime whose
    transitional provisions say the filing date decides (``filing_date_decides``).
    """
    if filed_on is None or filed_on <= year_end_day:
        return year_end_day, None
    at_year_end, at_filing = catalogue.rule_set_at(year_end_day), catalogue.rule_set_at(filed_on)
    if at_year_end is None or at_filing is None or at_year_end.id == at_filing.id:
        return year_end_day, None
    decides = at_filing.filing_date_decides
    applied = at_filing if decides is not None else at_year_end
    # without a transitional clause, the year-end regime stays; its decree is what is cited
    source = decides.source if decides is not None else LegalSource(doc=at_year_end.decree, article="(toàn văn)")
    note = Note(
        text_vi=(
            f"Hồ sơ nộp ngày {filed_on:%d/%m/%Y} ({at_filing.name_vi}) cho thành tích năm {year_end_day.year} "
            f"({at_year_end.name_vi}): xét theo {applied.name_vi}."
        ),
        text_en=(
            f"Filed on {filed_on.isoformat()} ({at_filing.name_en}) for achievement year {year_end_day.year} "
            f"({at_year_end.name_en}): judged under {applied.name_en}."
        ),
        citation=catalogue.cite(source),
        confirmed=decides.confirmed if decides is not None else False,
    )
    return (filed_on if decides is not None else year_end_day), note



def assess_request(catalogue: Catalogue, request: AssessmentRequest) -> Assessment:
    """:func:`assess` for an HTTP request body."""
    return assess(
        catalogue, request.code, request.year, request.recipient, as_of=request.as_of, filed_on=request.filed_on
    )


def assess_many(
    catalogue: Catalogue,
    code: str,
    year: int,
    candidates: Iterable[AnyFacts],
    *,
    as_of: date | None = None,
    filed_on: date | None = None,
) -> list[Assessment]:
    """Assess every candidate (e.g. everyone in a unit) for the same code and year, in input order, the file
    filed on ``filed_on`` (see :func:`assess`: where the transitional provisions say so, its day's rules apply).

    Filter on ``eligible`` for "who qualifies"; the errors of :func:`assess` are raised as is.
    """
    return [assess(catalogue, code, year, facts, as_of=as_of, filed_on=filed_on) for facts in candidates]


def _evaluate(spec: CriterionSpec, ctx: EvalContext, parent: str) -> CriterionResult:
    path = f"{parent}.{spec.id}" if parent else spec.id
    if spec.kind is CriterionKind.ANY_OF:
        return _any_of(spec, ctx, path)
    if spec.kind is CriterionKind.ALL_OF:
        children = tuple(_evaluate(child, ctx, path) for child in spec.criteria)
        status = _all(children)
        done = sum(c.status is Status.PASSED for c in children)
        verdict = Verdict(
            status, f"Đạt {done}/{len(children)} yêu cầu.", f"{done} of {len(children)} requirements met."
        )
        return _result(spec, ctx, path, verdict, children)
    if spec.kind is CriterionKind.MEETS_CRITERIA_OF:
        return _meets(spec, ctx, path)
    verdict = EVALUATORS[spec.kind](spec.params, ctx)
    if verdict.status is Status.PASSED:
        ctx.ledger.claim(verdict.consumes)
    if verdict.status is Status.FAILED and not spec.confirmed:
        verdict = _unconfirmed_not_met(verdict)
    return _result(spec, ctx, path, verdict)


def _unconfirmed_not_met(verdict: Verdict) -> Verdict:
    """A failed [U] requirement leaves the outcome undetermined: an unread rule never refuses alone."""
    return Verdict(
        Status.UNKNOWN,
        verdict.detail_vi + " Chưa đạt một yêu cầu chưa được xác nhận [U]: không tự mình loại ứng viên.",
        verdict.detail_en + " An unconfirmed [U] requirement is not met: it does not refuse the candidate alone.",
        facts={**verdict.facts, UNCONFIRMED_NOT_MET: True},
        assumptions=verdict.assumptions,
    )


def _any_of(spec: CriterionSpec, ctx: EvalContext, path: str) -> CriterionResult:
    children: list[CriterionResult] = []
    chosen: int | None = None
    for index, child in enumerate(spec.criteria):
        fork = ctx.fork()
        result = _evaluate(child, fork, path)
        if chosen is None and result.status is Status.PASSED:
            chosen = index
            ctx.ledger.claim(fork.ledger.claimed)
        children.append(result)
    if chosen is not None:
        taken = children[chosen]
        children = [c if i == chosen else _not_decisive(c) for i, c in enumerate(children)]
        verdict = Verdict(
            Status.PASSED,
            f"Đạt theo phương án: {taken.requirement_vi}.",
            f"Met through: {taken.requirement_en}.",
        )
    elif all(c.status is Status.FAILED for c in children):
        verdict = Verdict(Status.FAILED, "Không phương án nào đạt.", "No alternative is met.")
    else:
        verdict = Verdict(
            Status.UNKNOWN, "Chưa xác định được phương án nào đạt.", "No alternative can be confirmed yet."
        )
    return _result(spec, ctx, path, verdict, tuple(children))


def _meets(spec: CriterionSpec, ctx: EvalContext, path: str) -> CriterionResult:
    params = spec.params
    if not isinstance(params, MeetsCriteriaOf):
        raise TypeError(f"{spec.id}: meets_criteria_of without its params")
    target = ctx.catalogue.entry(params.code)
    held = ctx.titles((params.code,), EVIDENCE) or []  # thematic / one-off awards are no basis (Art. 4.3)
    match = next((t for t in held if t.year == ctx.year), None)
    if match is not None:
        ref = f" ({match.decision_number})" if match.decision_number else ""
        verdict = Verdict(
            Status.PASSED,
            f"Đã được công nhận {target.name_vi} năm {ctx.year}{ref}.",
            f"Already holds {target.name_en} for {ctx.year}{ref}.",
            facts={"held": match.model_dump(mode="json")},
        )
        return _result(spec, ctx, path, verdict)
    version = target.rule_for(ctx.facts.recipient, ctx.rules_day)
    if version is None or ctx.depth >= MAX_DEPTH:
        verdict = Verdict(
            Status.UNKNOWN,
            f"Không có quy định {target.code} áp dụng cho năm {ctx.year}.",
            f"No {target.code} rule in force for {ctx.year}.",
        )
        return _result(spec, ctx, path, verdict)
    sub = ctx.within(version)
    children = tuple(_evaluate(child, sub, path) for child in version.criteria)
    status = _all(children)
    assumptions = (
        ()
        if version.confirmed
        else ((f"Quy định {version.id} chưa được xác nhận.", f"Rule {version.id} is unconfirmed."),)
    )
    verdict = Verdict(
        status,
        f"Xét theo tiêu chuẩn {target.name_vi} ({version.id}).",
        f"Checked against the {target.name_en} rule ({version.id}).",
        assumptions=assumptions,
    )
    if status is Status.FAILED and not spec.confirmed:
        verdict = _unconfirmed_not_met(verdict)  # that this rule is required at all is unread
    return _result(spec, ctx, path, verdict, children)


def _result(
    spec: CriterionSpec,
    ctx: EvalContext,
    path: str,
    verdict: Verdict,
    children: tuple[CriterionResult, ...] = (),
) -> CriterionResult:
    citation = ctx.catalogue.cite(spec.source)
    confirmed = spec.confirmed and not verdict.assumptions
    explanation_vi, explanation_en = criterion_line(
        verdict.status,
        (spec.vi, spec.en),
        (verdict.detail_vi, verdict.detail_en),
        citation,
        confirmed,
        verdict.assumptions,
    )
    consumes = verdict.consumes or tuple(i for c in children if c.decisive for i in c.consumes)
    return CriterionResult(
        id=path,
        kind=spec.kind,
        status=verdict.status,
        requirement_vi=spec.vi,
        requirement_en=spec.en,
        detail_vi=verdict.detail_vi,
        detail_en=verdict.detail_en,
        explanation_vi=explanation_vi,
        explanation_en=explanation_en,
        citation=citation,
        confidence=spec.confidence,
        confirmed=confirmed,
        assumptions_vi=tuple(a[0] for a in verdict.assumptions),
        assumptions_en=tuple(a[1] for a in verdict.assumptions),
        facts_used=verdict.facts,
        consumes=consumes,
        children=children,
    )


def _not_decisive(result: CriterionResult) -> CriterionResult:
    return result.model_copy(update={"decisive": False, "children": tuple(_not_decisive(c) for c in result.children)})


def _all(results: Iterable[CriterionResult]) -> Status:
    statuses = [r.status for r in results]
    if Status.FAILED in statuses:
        return Status.FAILED
    return Status.PASSED if all(s is Status.PASSED for s in statuses) else Status.UNKNOWN


def _unconfirmed(version: RuleVersion, results: tuple[CriterionResult, ...]) -> tuple[UnconfirmedItem, ...]:
    items: list[UnconfirmedItem] = []
    if not version.confirmed:
        items.append(
            UnconfirmedItem(
                scope="rule",
                ref=version.id,
                text_vi=version.note or version.description_vi,
                text_en=version.description_en,
            )
        )
    for top in results:
        for result in top.walk():
            if result.decisive and not result.confirmed:
                items.append(
                    UnconfirmedItem(
                        scope="criterion",
                        ref=result.id,
                        text_vi=" ".join((result.requirement_vi, *result.assumptions_vi)),
                        text_en=" ".join((result.requirement_en, *result.assumptions_en)),
                    )
                )
    for name, item, vi, en in (
        ("council_vote", version.council_vote, "Tỷ lệ phiếu của Hội đồng", "Council vote share"),
        ("public_notice", version.public_notice, "Thời hạn công khai", "Public notice period"),
        ("cash", version.cash, "Mức tiền thưởng", "Cash multiple"),
    ):
        if item is not None and not item.confirmed:
            items.append(UnconfirmedItem(scope="procedure", ref=f"{version.id}:{name}", text_vi=vi, text_en=en))
    return tuple(items)


def _flags(unconfirmed: tuple[UnconfirmedItem, ...], results: tuple[CriterionResult, ...]) -> tuple[str, ...]:
    not_met = any(r.decisive and r.facts_used.get(UNCONFIRMED_NOT_MET) for top in results for r in top.walk())
    return (*(("unconfirmed",) if unconfirmed else ()), *((UNCONFIRMED_NOT_MET,) if not_met else ()))


def _tie_priority(ctx: EvalContext) -> Note | None:
    """The regime's priority on ties, when the candidate has it: a woman, or a collective whose members were at
    least the share of women the rule names that year. Unknown sex or share: no priority is claimed."""
    rule = ctx.rule_set.tie_priority
    if rule is None:
        return None
    facts = ctx.facts
    if isinstance(facts, PersonFacts):
        if facts.sex is not Sex.FEMALE:
            return None
        vi, en = "cá nhân nữ", "a woman"
    elif not isinstance(facts, UnitFacts):
        return None  # a household has no members whose share of women the rule could read
    else:
        summary = next((m for m in facts.members if m.year == ctx.year), None)
        share = summary.women_share if summary else None
        if share is None or share < rule.collective_women_share - 1e-9:
            return None
        vi = f"tập thể có {share:.0%} thành viên là nữ (từ {rule.collective_women_share:.0%})"
        en = f"a collective with {share:.0%} women members ({rule.collective_women_share:.0%} or more)"
    return Note(
        text_vi=f"Được ưu tiên khi có nhiều trường hợp thành tích như nhau: {vi}.",
        text_en=f"Comes first among equal achievements: {en}.",
        citation=ctx.catalogue.cite(rule.source),
        confirmed=rule.confirmed,
    )


def _assessment(ctx: EvalContext, results: tuple[CriterionResult, ...], regime_change: Note | None) -> Assessment:
    entry, version, catalogue = ctx.entry, ctx.version, ctx.catalogue
    status = _all(results)
    outcome = {
        Status.PASSED: Outcome.ELIGIBLE,
        Status.FAILED: Outcome.INELIGIBLE,
        Status.UNKNOWN: Outcome.UNDETERMINED,
    }[status]
    eligible = outcome is Outcome.ELIGIBLE
    consumes = tuple(dict.fromkeys(i for r in results for i in r.consumes)) if eligible else ()
    unconfirmed = _unconfirmed(version, results)
    citation = catalogue.cite(version.source)
    explanation_vi, explanation_en = assessment_text(
        entry,
        version,
        ctx.rule_set,
        ctx.year,
        ctx.facts.subject_name,
        outcome,
        results,
        unconfirmed,
        consumes,
        citation,
    )
    notes = [
        Note(text_vi=n.vi, text_en=n.en, citation=catalogue.cite(n.source), confirmed=n.confirmed)
        for n in version.council_checks
    ]
    quotas = [
        Note(text_vi=q.vi, text_en=q.en, citation=catalogue.cite(q.source), confirmed=q.confirmed)
        for q in version.quotas
    ]
    return Assessment(
        code=entry.code,
        name_vi=entry.name_vi,
        name_en=entry.name_en,
        award_kind=entry.kind,
        category=entry.category,
        year=ctx.year,
        recipient_kind=version.recipient,
        subject_id=ctx.facts.subject_id,
        subject_name=ctx.facts.subject_name,
        as_of=ctx.as_of,
        outcome=outcome,
        eligible=eligible,
        rule=RuleApplied(
            rule_id=version.id,
            valid_from=version.valid_from,
            valid_to=version.valid_to,
            confidence=version.confidence,
            rule_set_id=ctx.rule_set.id,
            rule_set_vi=ctx.rule_set.name_vi,
            rule_set_en=ctx.rule_set.name_en,
            citation=citation,
            description_vi=version.description_vi,
            description_en=version.description_en,
            selected_on=ctx.rules_day,
            selected_by="filing_date" if ctx.rules_day != ctx.reference_date else "year_end",
        ),
        criteria=results,
        initiatives_to_consume=consumes,
        unconfirmed=bool(unconfirmed),
        unconfirmed_items=unconfirmed,
        flags=(*_flags(unconfirmed, results), *(("regime_change",) if regime_change else ())),
        procedure=procedure_of_version(ctx.catalogue, ctx.version),
        council_checks=tuple(notes),
        quota_notes=tuple(quotas),
        regime_change=regime_change,
        tie_priority=_tie_priority(ctx),
        facts_used={r.id: r.facts_used for top in results for r in top.walk() if r.decisive and not r.children},
        explanation_vi=explanation_vi,
        explanation_en=explanation_en,
    )
