"""Initiatives and research works, each usable once as evidence (CV 5007/BNV-TĐKT/2023)."""

from __future__ import annotations

from ..context import EvalContext, Verdict, failed, missing, passed
from ..criteria import CriterionKind, InitiativeOrResearch
from ..facts import InitiativeRecord
from ..text import INITIATIVE_EN, LEVEL_EN
from ..timespan import span_text, window
from ..vocabulary import LEVEL_RANK, ReusePolicy
from .registry import evaluator


def _blocked_by(item: InitiativeRecord, p: InitiativeOrResearch, ctx: EvalContext) -> tuple[str, str] | None:
    """Why ``item`` cannot serve this award, or None when it can."""
    if item.initiative_id in ctx.ledger.claimed:
        return ("đã dùng cho tiêu chí khác của hồ sơ này", "already counted by another criterion of this file")
    use = item.used_for
    if use is None or (use.code == ctx.entry.code and use.year == ctx.year):
        return None  # unused, or used for this very award: a re-assessment
    other = ctx.catalogue.entries.get(use.code)
    if p.reuse is ReusePolicy.ACROSS_KIND_ONLY and other is not None and other.kind is ctx.entry.kind:
        return None
    return (f"đã làm căn cứ cho {use.code} năm {use.year}", f"already evidence for {use.code} {use.year}")


@evaluator(CriterionKind.INITIATIVE_OR_RESEARCH)
def initiative_or_research(p: InitiativeOrResearch, ctx: EvalContext) -> Verdict:
    """Pick the lowest-level usable initiatives first, keeping higher ones for higher awards."""
    items = ctx.person.initiatives
    if items is None:
        return missing("sáng kiến, đề tài", "initiatives and research")
    years = window(ctx.year - p.end_offset, p.within_years)
    eligible = [
        i for i in items if i.kind in p.kinds and LEVEL_RANK[i.level] >= LEVEL_RANK[p.min_level] and i.year in years
    ]
    usable: list[InitiativeRecord] = []
    blocked: list[tuple[InitiativeRecord, tuple[str, str]]] = []
    for item in sorted(eligible, key=lambda i: (LEVEL_RANK[i.level], i.year, i.initiative_id)):
        reason = _blocked_by(item, p, ctx)
        if reason:
            blocked.append((item, reason))
        else:
            usable.append(item)
    chosen = tuple(i.initiative_id for i in usable[: p.count])
    kinds = "/".join(k.label_vi.lower() for k in p.kinds)
    facts = {
        "window": [years[0], years[-1]],
        "usable": [i.initiative_id for i in usable],
        "already_used": {i.initiative_id: r[1] for i, r in blocked},
    }
    kinds_en = " or ".join(INITIATIVE_EN[k.value] for k in p.kinds)
    span = span_text(years)
    vi = (
        f"Cần {p.count} {kinds} từ {p.min_level.label_vi.lower()} trở lên trong {span}, "
        f"chưa dùng làm căn cứ; có {len(usable)}"
    )
    en = (
        f"Needs {p.count} {kinds_en} at {LEVEL_EN[p.min_level.value]} level or higher in {span}, "
        f"not yet used as evidence; {len(usable)} usable"
    )
    if blocked:
        vi += "; không dùng được: " + "; ".join(f"{i.initiative_id} ({r[0]})" for i, r in blocked)
        en += "; not usable: " + "; ".join(f"{i.initiative_id} ({r[1]})" for i, r in blocked)
    if len(usable) >= p.count:
        return passed(
            vi + f". Dùng làm căn cứ: {', '.join(chosen)}.",
            en + f". Evidence: {', '.join(chosen)}.",
            facts=facts,
            consumes=chosen,
        )
    return failed(vi + ".", en + ".", facts=facts)
