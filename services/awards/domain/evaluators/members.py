"""A collective's members in the year: title shares, completion, discipline."""

from __future__ import annotations

from ..context import EvalContext, Verdict, failed, passed, unknown
from ..criteria import (
    AtLeastNMembersWithTitle,
    CriterionKind,
    MembersAllCompleted,
    MembersShareWithTitle,
    NoMemberDisciplinedAtOrAbove,
)
from ..facts import MemberSummary
from ..text import DISCIPLINE_EN, pct_en, pct_vi
from .registry import evaluator


def _summary(ctx: EvalContext) -> MemberSummary | Verdict:
    summary = ctx.unit.member_summary(ctx.year)
    if summary is None or summary.member_count is None:
        return unknown(
            f"Chưa có số liệu thành viên năm {ctx.year}.",
            f"No member figures for {ctx.year}.",
            facts={"year": ctx.year},
        )
    return summary


def _count(summary: MemberSummary, code: str, year: int) -> int | Verdict:
    if code not in summary.titled:
        return unknown(
            f"Chưa có số thành viên đạt {code} năm {year}.",
            f"Number of members with {code} in {year} unknown.",
            facts={"year": year, "member_count": summary.member_count},
        )
    return summary.titled[code]


@evaluator(CriterionKind.MEMBERS_SHARE_WITH_TITLE)
def members_share_with_title(p: MembersShareWithTitle, ctx: EvalContext) -> Verdict:
    """Share of members with the title against the threshold (≥, or > when strict)."""
    summary = _summary(ctx)
    if isinstance(summary, Verdict):
        return summary
    count = _count(summary, p.code, ctx.year)
    if isinstance(count, Verdict):
        return count
    total = summary.member_count or 0
    share = count / total if total else 0.0
    ok = share > p.min_share if p.strict else share >= p.min_share
    sign = ">" if p.strict else "≥"
    facts = {"year": ctx.year, "member_count": total, "with_title": count, "share": round(share, 4)}
    vi = f"Cần {sign} {pct_vi(p.min_share)} thành viên đạt {p.code}; có {count}/{total} ({pct_vi(share)})."
    en = f"Needs {sign} {pct_en(p.min_share)} of members with {p.code}; {count}/{total} ({pct_en(share)})."
    return passed(vi, en, facts=facts) if ok else failed(vi, en, facts=facts)


@evaluator(CriterionKind.AT_LEAST_N_MEMBERS_WITH_TITLE)
def at_least_n_members_with_title(p: AtLeastNMembersWithTitle, ctx: EvalContext) -> Verdict:
    """Number of members with the title against ``n``."""
    summary = _summary(ctx)
    if isinstance(summary, Verdict):
        return summary
    count = _count(summary, p.code, ctx.year)
    if isinstance(count, Verdict):
        return count
    facts = {"year": ctx.year, "with_title": count}
    vi = f"Cần ít nhất {p.n} thành viên đạt {p.code}; có {count}."
    en = f"Needs at least {p.n} members with {p.code}; {count} found."
    return passed(vi, en, facts=facts) if count >= p.n else failed(vi, en, facts=facts)


@evaluator(CriterionKind.MEMBERS_ALL_COMPLETED)
def members_all_completed(p: MembersAllCompleted, ctx: EvalContext) -> Verdict:
    """Every member graded 'completed' or better."""
    summary = _summary(ctx)
    if isinstance(summary, Verdict):
        return summary
    if summary.completed_duties is None:
        return unknown(
            f"Chưa có số thành viên hoàn thành nhiệm vụ năm {ctx.year}.",
            f"Members completing duties in {ctx.year} unknown.",
        )
    facts = {"year": ctx.year, "member_count": summary.member_count, "completed": summary.completed_duties}
    vi = f"Cần 100% thành viên hoàn thành nhiệm vụ; có {summary.completed_duties}/{summary.member_count}."
    en = f"Needs all members to complete their duties; {summary.completed_duties}/{summary.member_count}."
    ok = summary.completed_duties == summary.member_count
    return passed(vi, en, facts=facts) if ok else failed(vi, en, facts=facts)


@evaluator(CriterionKind.NO_MEMBER_DISCIPLINED_AT_OR_ABOVE)
def no_member_disciplined_at_or_above(p: NoMemberDisciplinedAtOrAbove, ctx: EvalContext) -> Verdict:
    """The heaviest member discipline of the year is lighter than ``min_severity``."""
    summary = ctx.unit.member_summary(ctx.year)
    if summary is None or summary.max_discipline is None:
        return unknown(
            f"Chưa có dữ liệu kỷ luật thành viên năm {ctx.year}.", f"Member disciplines in {ctx.year} unknown."
        )
    worst = summary.max_discipline
    facts = {"year": ctx.year, "max_discipline": worst if worst == "none" else worst.value}
    if worst != "none" and worst.severity >= p.min_severity.severity:
        return failed(
            f"Có thành viên bị kỷ luật {worst.label_vi.lower()} (từ {p.min_severity.label_vi.lower()} trở lên).",
            f"A member was disciplined ({DISCIPLINE_EN[worst.value]}, "
            f"at or above {DISCIPLINE_EN[p.min_severity.value]}).",
            facts=facts,
        )
    return passed(
        f"Không có thành viên bị kỷ luật từ {p.min_severity.label_vi.lower()} trở lên.",
        f"No member disciplined at {DISCIPLINE_EN[p.min_severity.value]} or above.",
        facts=facts,
    )
