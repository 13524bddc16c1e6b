"""Discipline and holds: what bars or suspends an award."""

from __future__ import annotations

from datetime import date

from ..context import EvalContext, Verdict, failed, missing, passed, unknown
from ..criteria import CriterionKind, NoDiscipline, NoPendingHold
from ..text import DISCIPLINE_EN
from ..timespan import overlaps, year_end, year_start
from ..vocabulary import DisciplineScope
from .registry import evaluator


def _scope(p: NoDiscipline, ctx: EvalContext) -> tuple[date, date] | None:
    """The period looked at; None when its start is unknown."""
    end = year_end(ctx.year)
    if p.scope is DisciplineScope.YEARS:
        return year_start(ctx.year - p.years + 1), end
    if p.scope is DisciplineScope.SERVICE:
        start = ctx.person.sector_joined_on
        return (start, end) if start else None
    posts = ctx.person.leader_posts
    return (min(post.start for post in posts), end) if posts else None


@evaluator(CriterionKind.NO_DISCIPLINE)
def no_discipline(p: NoDiscipline, ctx: EvalContext) -> Verdict:
    """No discipline at ``min_severity`` or heavier in force at any time in the scope."""
    records = ctx.person.disciplines
    if records is None:
        return missing("kỷ luật", "disciplines")
    period = _scope(p, ctx)
    if period is None:
        return unknown(
            "Chưa biết thời điểm bắt đầu thời gian được tính.",
            "The start of the counted period is unknown.",
            facts={"scope": p.scope.value},
        )
    start, end = period
    hits = [
        d
        for d in records
        if not d.annulled and d.form.severity >= p.min_severity.severity and overlaps(d.start, d.end, start, end)
    ]
    facts = {"period": [start.isoformat(), end.isoformat()], "disciplines": [f"{d.form.value} {d.start}" for d in hits]}
    where_vi = f"từ {start:%d/%m/%Y} đến {end:%d/%m/%Y}"
    where_en = f"from {start.isoformat()} to {end.isoformat()}"
    if hits:
        listed = "; ".join(
            f"{d.form.label_vi} ({d.start:%d/%m/%Y}–{d.end:%d/%m/%Y})"
            if d.end
            else f"{d.form.label_vi} ({d.start:%d/%m/%Y}–)"
            for d in hits
        )
        return failed(
            f"Bị kỷ luật {where_vi}: {listed}.",
            f"Disciplined {where_en}: {', '.join(DISCIPLINE_EN[d.form.value] for d in hits)}.",
            facts=facts,
        )
    return passed(
        f"Không bị kỷ luật từ {p.min_severity.label_vi.lower()} trở lên {where_vi}.",
        f"No {DISCIPLINE_EN[p.min_severity.value]} or heavier discipline {where_en}.",
        facts=facts,
    )


@evaluator(CriterionKind.NO_PENDING_HOLD)
def no_pending_hold(p: NoPendingHold, ctx: EvalContext) -> Verdict:
    """No review, investigation or complaint open on the date the file is considered."""
    holds = ctx.facts.holds
    if holds is None:
        return missing("xem xét kỷ luật, thanh tra, khiếu nại", "pending reviews, investigations or complaints")
    open_ = [h for h in holds if h.kind in p.kinds and h.open_on(ctx.as_of)]
    when_vi = f"ngày {ctx.as_of:%d/%m/%Y}" if ctx.as_of else "hiện tại"
    when_en = f"on {ctx.as_of.isoformat()}" if ctx.as_of else "now"
    facts = {
        "as_of": ctx.as_of.isoformat() if ctx.as_of else None,
        "open": [f"{h.kind.value} {h.opened_on}" for h in open_],
    }
    if open_:
        return failed(
            f"Đang có vụ việc chưa kết thúc {when_vi}: "
            + "; ".join(f"{h.kind.label_vi} (từ {h.opened_on:%d/%m/%Y})" for h in open_)
            + ".",
            f"Open {when_en}: " + "; ".join(f"{h.kind.value} since {h.opened_on.isoformat()}" for h in open_) + ".",
            facts=facts,
        )
    return passed(
        f"Không có vụ việc đang xem xét {when_vi}.",
        f"No pending review, investigation or complaint {when_en}.",
        facts=facts,
    )
