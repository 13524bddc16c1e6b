"""Registration, attested findings, conferral cycles, bloc leadership and conferral after death."""

from __future__ import annotations

from ..context import EvalContext, Verdict, failed, missing, passed
from ..criteria import Attested, BlocLeader, ConferralCycle, CriterionKind, Posthumous, RegistrationExists
from .registry import evaluator


@evaluator(CriterionKind.REGISTRATION_EXISTS)
def registration_exists(p: RegistrationExists, ctx: EvalContext) -> Verdict:
    """Registered for one of the codes at the start of the year."""
    regs = ctx.facts.registrations
    if regs is None:
        return missing("đăng ký thi đua", "emulation registrations")
    found = [r.code for r in regs if r.year == ctx.year and r.code in p.codes]
    facts = {"year": ctx.year, "registered": found}
    if found:
        return passed(
            f"Đã đăng ký {', '.join(found)} năm {ctx.year}.",
            f"Registered {', '.join(found)} for {ctx.year}.",
            facts=facts,
        )
    return failed(
        f"Không đăng ký {' / '.join(p.codes)} năm {ctx.year}.",
        f"No registration for {' / '.join(p.codes)} in {ctx.year}.",
        facts=facts,
    )


@evaluator(CriterionKind.ATTESTED)
def attested(p: Attested, ctx: EvalContext) -> Verdict:
    """The file attests one of the findings for the year."""
    found_all = ctx.facts.attestations
    if found_all is None:
        return missing("xác nhận thành tích trong hồ sơ", "attested findings in the file")
    found = [a for a in found_all if a.year == ctx.year and a.key in p.keys]
    facts = {"year": ctx.year, "attested": [a.key for a in found]}
    if found:
        refs = ", ".join(f"{a.key}" + (f" ({a.reference})" if a.reference else "") for a in found)
        return passed(f"Hồ sơ xác nhận: {refs}.", f"The file attests: {refs}.", facts=facts)
    return failed(
        f"Hồ sơ không xác nhận thành tích ({', '.join(p.keys)}) năm {ctx.year}.",
        f"The file attests none of {', '.join(p.keys)} for {ctx.year}.",
        facts=facts,
    )


@evaluator(CriterionKind.CONFERRAL_CYCLE)
def conferral_cycle(p: ConferralCycle, ctx: EvalContext) -> Verdict:
    """The year is a conferral year of the cycle."""
    ok = (ctx.year - p.base_year) % p.every == 0
    before = ctx.year - (ctx.year - p.base_year) % p.every
    upcoming = before if ok else before + p.every
    facts = {"year": ctx.year, "next_conferral_year": upcoming}
    vi = f"Xét tặng {p.every} năm một lần (các năm {p.base_year}, {p.base_year + p.every}, …)"
    en = f"Conferred every {p.every} years ({p.base_year}, {p.base_year + p.every}, …)"
    if ok:
        return passed(vi + f"; {ctx.year} là năm xét tặng.", en + f"; {ctx.year} is a conferral year.", facts=facts)
    return failed(vi + f"; đợt tới: {upcoming}.", en + f"; next round: {upcoming}.", facts=facts)


@evaluator(CriterionKind.BLOC_LEADER)
def bloc_leader(p: BlocLeader, ctx: EvalContext) -> Verdict:
    """Voted leader of its bloc or cluster in the year."""
    years = ctx.unit.bloc_leader_years
    if years is None:
        return missing("kết quả bình xét khối, cụm thi đua", "bloc or cluster results")
    facts = {"year": ctx.year, "bloc_leader_years": sorted(years)}
    if ctx.year in years:
        return passed(
            f"Được khối/cụm thi đua suy tôn dẫn đầu năm {ctx.year}.",
            f"Voted leader of its bloc in {ctx.year}.",
            facts=facts,
        )
    return failed(
        f"Không dẫn đầu khối/cụm thi đua năm {ctx.year}.", f"Did not lead its bloc in {ctx.year}.", facts=facts
    )


@evaluator(CriterionKind.POSTHUMOUS)
def posthumous(p: Posthumous, ctx: EvalContext) -> Verdict:
    """A deceased person: passed where the rule provides for conferral after death, failed otherwise."""
    died = ctx.person.deceased_on
    facts = {"deceased_on": died.isoformat() if died else None, "posthumous": ctx.version.posthumous is not None}
    if ctx.version.posthumous is not None:
        return passed(
            f"Đã mất ngày {died:%d/%m/%Y}: được truy tặng.", f"Died on {died:%d/%m/%Y}: may be conferred posthumously.",
            facts=facts,
        )
    return failed(
        f"Đã mất ngày {died:%d/%m/%Y}: quy định không ghi việc truy tặng hình thức này.",
        f"Died on {died:%d/%m/%Y}: the rule records no posthumous conferral of it.",
        facts=facts,
    )
