"""Annual grades (xếp loại chất lượng)."""

from __future__ import annotations

from ..context import EvalContext, Verdict, failed, passed, unknown
from ..criteria import CriterionKind, GradeAtLeast
from ..timespan import span_text, window
from ..vocabulary import grade_meets as meets
from .registry import evaluator


@evaluator(CriterionKind.GRADE_AT_LEAST)
def grade_at_least(p: GradeAtLeast, ctx: EvalContext) -> Verdict:
    """Count the years of the window graded at least ``p.grade``; a missing year is unknown."""
    years = window(ctx.year - p.end_offset, p.years)
    seen = {y: ctx.facts.grades.get(y) for y in years}
    good = [y for y, g in seen.items() if meets(g, p.grade)]
    absent = [y for y, g in seen.items() if g is None]
    need = p.min_count or p.years
    shown = ", ".join(f"{y}: {g.value if g else '?'}" for y, g in seen.items())
    facts = {"grades": {str(y): (g.value if g else None) for y, g in seen.items()}}
    if len(years) == 1:
        vi = f"Cần xếp loại {p.grade.value} trở lên năm {years[0]}; năm {shown}."
        en = f"Needs {p.grade.value} or better in {years[0]}; {shown}."
    else:
        span = span_text(years)
        vi = f"Cần {need}/{len(years)} năm ({span}) xếp loại {p.grade.value} trở lên; có {len(good)} năm ({shown})."
        en = f"Needs {need} of {len(years)} years ({span}) graded {p.grade.value} or better; {len(good)} found ({shown})."
    if len(good) >= need:
        return passed(vi, en, facts=facts)
    if len(good) + len(absent) >= need:
        return unknown(
            vi + f" Thiếu xếp loại năm {', '.join(map(str, absent))}.",
            en + f" Grade missing for {', '.join(map(str, absent))}.",
            facts=facts,
        )
    return failed(vi, en, facts=facts)
