"""Registration, attested findings, conferral cycles, bloc leadership, conferral after death and a household's
contributions."""

from __future__ import annotations

from ..context import EvalContext, Verdict, failed, missing, passed, unknown
from ..criteria import (
    Attested,
    BlocLeader,
    ConferralCycle,
    CriterionKind,
    HouseholdContributionParams,
    Posthumous,
    RegistrationExists,
)
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


def _dong(value: int) -> str:
    """An amount as Vietnamese write it: 40.000.000 đồng."""
    return f"{value:,}".replace(",", ".") + " đồng"


@evaluator(CriterionKind.HOUSEHOLD_CONTRIBUTION)
def household_contribution(p: HouseholdContributionParams, ctx: EvalContext) -> Verdict:
    """The household's contributions of the year, each reported; passed when enough of the kinds (and value)."""
    stated = ctx.household.contributions
    if stated is None:
        return missing("đóng góp của hộ gia đình (công sức, đất đai, tài sản)", "the household's contributions")
    found = [c for c in stated if c.year == ctx.year and c.kind in p.kinds]
    total = sum(c.value_vnd or 0 for c in found)
    valued = all(c.value_vnd is not None for c in found)
    facts = {
        "year": ctx.year,
        "contributions": [c.model_dump(mode="json") for c in found],
        "total_value_vnd": total,
    }
    listed_vi = "; ".join(
        f"{c.kind.label_vi}: {c.description}" + (f" ({_dong(c.value_vnd)})" if c.value_vnd is not None else "")
        for c in found
    )
    listed_en = "; ".join(
        f"{c.kind.value}: {c.description}" + (f" ({c.value_vnd:,} VND)" if c.value_vnd is not None else "")
        for c in found
    )
    kinds_vi = ", ".join(k.label_vi.lower() for k in p.kinds)
    if len(found) < p.min_count:
        return failed(
            f"Hồ sơ không nêu đủ {p.min_count} đóng góp về {kinds_vi} năm {ctx.year}"
            + (f" (có: {listed_vi})." if found else "."),
            f"The file states fewer than {p.min_count} contributions ({', '.join(k.value for k in p.kinds)}) "
            f"in {ctx.year}" + (f" ({listed_en})." if found else "."),
            facts=facts,
        )
    if p.min_value_vnd is not None and total < p.min_value_vnd:
        if not valued:  # a contribution without a value may make up the difference: unknown, not refused
            return unknown(
                f"Đóng góp năm {ctx.year}: {listed_vi}; chưa đủ giá trị để xác định mức {_dong(p.min_value_vnd)}.",
                f"Contributions in {ctx.year}: {listed_en}; not all valued, the {p.min_value_vnd:,} VND threshold "
                "cannot be checked.",
                facts=facts,
            )
        return failed(
            f"Đóng góp năm {ctx.year}: {listed_vi}; tổng {_dong(total)}, cần từ {_dong(p.min_value_vnd)}.",
            f"Contributions in {ctx.year}: {listed_en}; {total:,} VND in all, {p.min_value_vnd:,} required.",
            facts=facts,
        )
    return passed(f"Đóng góp năm {ctx.year}: {listed_vi}.", f"Contributions in {ctx.year}: {listed_en}.", facts=facts)
