"""Length of service: sector service by sex, leadership tenure, teaching years."""

from __future__ import annotations

from datetime import date, timedelta

from tdkt_contracts.vocabulary import Sex

from ..context import EvalContext, Verdict, failed, missing, passed, unknown
from ..facts import PersonFacts
from ..criteria import CriterionKind, LeaderTenure, ServiceYearsBySex, TeachingYears, WorkingTimeInYear
from ..text import num_en, num_vi
from ..timespan import (
    DAYS_PER_YEAR,
    add_months,
    calendar_span,
    covered_days,
    merged_periods,
    span_en,
    span_vi,
    year_end,
    years_between,
)
from ..vocabulary import ServiceBasis, Status
from .registry import evaluator

EPSILON = 1e-9  # float sums of day counts must not miss an exact threshold


def _reached_on(start: date, years: float, excluded: tuple[int, int]) -> date:
    """The day after service reaches ``years``: the start moved by those calendar years (in whole months)
    and by the calendar length of every period not counted, ``excluded`` = (months, days)."""
    return add_months(start, round(years * 12) + excluded[0]) + timedelta(days=excluded[1])


def _excluded(periods: list[tuple[date, date]]) -> tuple[int, int]:
    """Calendar length of the periods not counted, summed as (months, days): a two-year reprimand is
    24 months whether or not it holds a 29 February."""
    months = days = 0
    for lo, hi in periods:
        y, m, d = calendar_span(lo, hi + timedelta(days=1))
        months, days = months + 12 * y + m, days + d
    return months, days


@evaluator(CriterionKind.SERVICE_YEARS_BY_SEX)
def service_years_by_sex(p: ServiceYearsBySex, ctx: EvalContext) -> Verdict:
    """Service to the reference date, less discipline periods, against the threshold for the sex.

    The reference date is the date the file is considered (``as_of``), or 31 December of the year when
    none is given. Service and deductions are counted in one unit, days, and a shortfall is printed
    exactly in years, months and days.
    """
    person = ctx.person
    outside = _outside_sector(p, ctx)
    if outside is not None and outside.status is Status.PASSED:
        return outside
    start = person.sector_joined_on if p.basis is ServiceBasis.SECTOR else person.education_joined_on
    if start is None:
        return missing(f"ngày bắt đầu tính ({p.basis.label_vi.lower()})", f"the service start date ({p.basis.value})")
    if person.sex is None:
        return missing("giới tính", "sex")
    until = ctx.as_of or year_end(ctx.year)
    end = until + timedelta(days=1)
    excluded, discipline_known = (0, 0), True
    if p.exclude_discipline_from is not None:
        if person.disciplines is None:
            discipline_known = False
        else:
            periods = [
                (d.start, d.end)
                for d in person.disciplines
                if not d.annulled and d.form.severity >= p.exclude_discipline_from.severity
            ]
            excluded = _excluded(merged_periods(periods, start, until))
    net = calendar_span(add_months(start, excluded[0]) + timedelta(days=excluded[1]), end)
    excluded_span = (excluded[0] // 12, excluded[0] % 12, excluded[1])
    female = person.sex is Sex.FEMALE
    required = p.women if female else p.men
    notes_vi, notes_en, open_routes = [], [], []
    if female and p.women_leader_reduction and person.is_leader:
        required *= 1 - p.women_leader_reduction
        notes_vi.append("giảm cho nữ lãnh đạo")
        notes_en.append("reduced for a woman leader")
    elif female and p.women_leader_reduction and person.is_leader is None:
        open_routes.append(required * (1 - p.women_leader_reduction))
    if p.area_reduction is not None:
        area = person.disadvantaged_area_years
        if area is None:
            open_routes.append(required - p.area_reduction.reduce_by)
        elif area >= p.area_reduction.min_area_years:
            required -= p.area_reduction.reduce_by
            notes_vi.append(f"giảm {num_vi(p.area_reduction.reduce_by)} năm do công tác ở vùng đặc biệt khó khăn")
            notes_en.append(f"reduced by {num_en(p.area_reduction.reduce_by)} for extremely disadvantaged areas")
    reached = _reached_on(start, required, excluded)
    shortfall = calendar_span(end, reached)
    facts = {
        "start": start.isoformat(),
        "until": until.isoformat(),
        "reference": "as_of" if ctx.as_of else "year_end",
        "sex": person.sex.value,
        "gross_years": round(years_between(start, until), 2),
        "excluded_discipline": list(excluded_span) if discipline_known else None,
        "net_service": list(net),
        "required_years": round(required, 2),
        "reached_on": (reached - timedelta(days=1)).isoformat(),  # the last day of service needed
        "shortfall": list(shortfall),
        "hazardous_service_years": person.hazardous_service_years,
    }
    hazardous = person.hazardous_service_years
    hazardous_vi = num_vi(hazardous) if hazardous is not None else "chưa rõ"
    hazardous_en = num_en(hazardous) if hazardous is not None else "unknown"
    note_vi = f" ({'; '.join(notes_vi)})" if notes_vi else ""
    note_en = f" ({'; '.join(notes_en)})" if notes_en else ""
    sex_vi = "nữ" if female else "nam"
    excluded_vi = span_vi(excluded_span) if discipline_known else "chưa rõ"
    excluded_en = span_en(excluded_span) if discipline_known else "unknown"
    ref_vi = "ngày xét" if ctx.as_of else "ngày 31/12"
    ref_en = "the date considered" if ctx.as_of else "31 December"
    vi = (
        f"Cần {num_vi(required)} năm ({sex_vi}){note_vi}; công tác từ {start:%d/%m/%Y} đến {until:%d/%m/%Y} "
        f"({ref_vi}), trừ thời gian kỷ luật {excluded_vi}, được tính {span_vi(net)}"
    )
    en = (
        f"Needs {num_en(required)} years ({person.sex.value}){note_en}; service {start.isoformat()} to "
        f"{until.isoformat()} ({ref_en}), less {excluded_en} under discipline: {span_en(net)} counted"
    )
    if reached > end:
        vi += f"; còn thiếu {span_vi(shortfall)} (đủ vào ngày {reached - timedelta(days=1):%d/%m/%Y})"
        en += f"; short by {span_en(shortfall)} (reached on {(reached - timedelta(days=1)).isoformat()})"
    if p.hazardous is not None:
        vi += f"; hoặc {num_vi(p.hazardous)} năm làm nghề nặng nhọc, độc hại, nguy hiểm (có: {hazardous_vi})"
        en += f"; or {num_en(p.hazardous)} years of hazardous work (has: {hazardous_en})"
    if reached <= end:
        if discipline_known:
            return passed(vi + ".", en + ".", facts=facts)
        return unknown(vi + "; chưa có dữ liệu kỷ luật.", en + "; disciplines unknown.", facts=facts)
    if p.hazardous is not None and hazardous is not None and hazardous + EPSILON >= p.hazardous:
        return passed(vi + ".", en + ".", facts=facts)
    if p.hazardous is not None and hazardous is None:
        return unknown(vi + "; chưa có số năm làm nghề độc hại.", en + "; hazardous years unknown.", facts=facts)
    if any(_reached_on(start, alt, excluded) <= end for alt in open_routes):
        return unknown(vi + "; thiếu dữ liệu để tính mức giảm.", en + "; data for a reduction is missing.", facts=facts)
    if outside is not None:
        vi, en = f"{vi}; {outside.detail_vi}", f"{en}; {outside.detail_en}"
        if outside.status is Status.UNKNOWN:
            return unknown(vi, en, facts=facts)
    return failed(vi + ".", en + ".", facts=facts)


def _outside_sector(p: ServiceYearsBySex, ctx: EvalContext) -> Verdict | None:
    """The route for people outside the sector: a finding the file attests for the year (None: no such route).

    Passed when attested; failed when the file's findings are known and hold none; unknown when not loaded.
    """
    if not p.outside_sector_keys:
        return None
    keys = ", ".join(p.outside_sector_keys)
    if ctx.facts.attestations is None:
        return unknown(
            f"chưa có dữ liệu xác nhận cho cá nhân ngoài ngành ({keys})",
            f"no data on the findings for people outside the sector ({keys})",
        )
    found = [a for a in ctx.facts.attestations if a.year == ctx.year and a.key in p.outside_sector_keys]
    if found:
        refs = ", ".join(a.key + (f" ({a.reference})" if a.reference else "") for a in found)
        return passed(
            f"Cá nhân ngoài ngành: hồ sơ xác nhận {refs} năm {ctx.year}, không cần thời gian công tác trong ngành.",
            f"Outside the sector: the file attests {refs} for {ctx.year}; no sector service needed.",
            facts={"outside_sector": [a.key for a in found], "year": ctx.year},
        )
    return failed(
        f"hồ sơ không xác nhận là cá nhân ngoài ngành có đóng góp ({keys}) năm {ctx.year}",
        f"the file does not attest a contribution from outside the sector ({keys}) for {ctx.year}",
    )


def _range_vi(low: float, high: float | None) -> str:
    if high is None:
        return f"cần {num_vi(low)}"
    if high - low < EPSILON:  # an empty range: that tenure at this post is for a higher class
        return f"từ {num_vi(low)} năm: hạng cao hơn"
    return f"cần {num_vi(low)} đến dưới {num_vi(high)}"


def _range_en(low: float, high: float | None) -> str:
    if high is None:
        return f"needs {num_en(low)}"
    if high - low < EPSILON:
        return f"from {num_en(low)}: a higher class"
    return f"needs {num_en(low)} to under {num_en(high)}"


def _tenure_verdict(p: LeaderTenure, ctx: EvalContext, reduced: bool) -> tuple[bool, list[tuple], str, str]:
    """Whether the tenure falls in its range, with or without the women's reduction, and the rows shown."""
    person = ctx.person
    until = year_end(ctx.year)
    factor = 1 - p.women_reduction if (reduced and p.women_reduction) else 1.0
    rows = []
    for threshold in sorted(p.thresholds, key=lambda t: t.position.rank):
        posts = [(x.start, x.end) for x in person.leader_posts or [] if x.position.rank <= threshold.position.rank]
        earliest = min((s for s, _ in posts), default=until)
        tenure = covered_days(posts, earliest, until) / DAYS_PER_YEAR
        low = threshold.years * factor
        high = threshold.below_years * factor if threshold.below_years is not None else None
        rows.append((threshold, tenure, low, high))
    # the highest post whose lower bound is reached decides; beyond its range is a higher class
    decisive = next((r for r in rows if r[1] + EPSILON >= r[2]), None)
    ok = decisive is not None and (decisive[3] is None or decisive[1] < decisive[3] - EPSILON)
    shown_vi = "; ".join(f"{t.position.label_vi}: {num_vi(ten)} năm ({_range_vi(lo, hi)})" for t, ten, lo, hi in rows)
    shown_en = "; ".join(f"{t.position.value}: {num_en(ten)} years ({_range_en(lo, hi)})" for t, ten, lo, hi in rows)
    if decisive is not None and not ok:
        shown_vi += f". Thời gian giữ chức {decisive[0].position.label_vi} vượt khoảng quy định: xét hạng cao hơn"
        shown_en += f". Tenure as {decisive[0].position.value} is beyond the range: a higher class applies"
    return ok, rows, shown_vi, shown_en


@evaluator(CriterionKind.LEADER_TENURE)
def leader_tenure(p: LeaderTenure, ctx: EvalContext) -> Verdict:
    """Tenure at each threshold's post or higher, to 31 December of the year; overlapping posts count once.

    The women's reduction applies to a woman, except (with ``later_retirement_exception``) one in the
    later-retirement group; when sex or that group is unknown and the answer depends on it, unknown.
    """
    person = ctx.person
    if person.leader_posts is None:
        return missing("chức vụ lãnh đạo", "leadership posts")
    options = _reduction_options(p, person)
    verdicts = {reduced: _tenure_verdict(p, ctx, reduced) for reduced in options}
    ok, rows, shown_vi, shown_en = verdicts[max(options)]
    facts = {
        r[0].position.value: {
            "tenure_years": round(r[1], 2),
            "required_years": round(r[2], 2),
            "below_years": round(r[3], 2) if r[3] is not None else None,
        }
        for r in rows
    }
    facts["reduction"] = sorted(options)
    if len({v[0] for v in verdicts.values()}) > 1:
        return unknown(
            f"Chưa biết giới tính hoặc diện nghỉ hưu ở tuổi cao hơn để áp dụng mức giảm: {shown_vi}.",
            f"Sex or the later-retirement group unknown for the reduction: {shown_en}.",
            facts=facts,
        )
    cut_vi = " (đã giảm 1/3 cho nữ)" if options == {True} else ""
    cut_en = " (reduced for a woman)" if options == {True} else ""
    if ok:
        return passed(
            f"Đủ thời gian giữ chức vụ{cut_vi}: {shown_vi}.", f"Tenure reached{cut_en}: {shown_en}.", facts=facts
        )
    return failed(
        f"Thời gian giữ chức vụ không thuộc khoảng quy định{cut_vi}: {shown_vi}.",
        f"Tenure not within the range{cut_en}: {shown_en}.",
        facts=facts,
    )


def _reduction_options(p: LeaderTenure, person: PersonFacts) -> set[bool]:
    """Whether the women's reduction applies: {True}, {False}, or both when a fact it depends on is unknown."""
    if not p.women_reduction or person.sex is Sex.MALE:
        return {False}
    female = {True, False} if person.sex is None else {True}
    if not p.later_retirement_exception or person.later_retirement is False:
        return female
    if person.later_retirement is True:
        return {False}
    return female | {False}


@evaluator(CriterionKind.TEACHING_YEARS)
def teaching_years(p: TeachingYears, ctx: EvalContext) -> Verdict:
    """Years of direct teaching against the minimum."""
    years = ctx.person.teaching_years
    if years is None:
        return missing("số năm trực tiếp giảng dạy", "teaching years")
    facts = {"teaching_years": years, "required_years": p.min_years}
    vi = f"Cần {num_vi(p.min_years)} năm trực tiếp giảng dạy; có {num_vi(years)} năm."
    en = f"Needs {num_en(p.min_years)} years of direct teaching; has {num_en(years)}."
    return passed(vi, en, facts=facts) if years + EPSILON >= p.min_years else failed(vi, en, facts=facts)


@evaluator(CriterionKind.WORKING_TIME_IN_YEAR)
def working_time_in_year(p: WorkingTimeInYear, ctx: EvalContext) -> Verdict:
    """Working time from recruitment to 31 December against ``min_months``, in calendar months.

    The recruitment date is ``recruited_on``, else the sector start the units context records. Leave of
    a kind the rule does not count as working time moves the day the requirement is reached by its
    calendar length; maternity leave counts as working time where the rule says so. Leave is a file
    fact: when the file records none, none is deducted, and the detail says so.
    """
    person = ctx.person
    start = person.recruited_on or person.sector_joined_on
    if start is None:
        return missing("ngày tuyển dụng", "the recruitment date")
    last_day = year_end(ctx.year)
    away = [(a.start, a.end) for a in (person.absences or []) if a.kind not in p.counted_as_work]
    not_counted = merged_periods(away, start, last_day)
    reached = _reached_on(start, p.min_months / 12, _excluded(not_counted))
    end = last_day + timedelta(days=1)
    facts = {
        "recruited_on": start.isoformat(),
        "required_months": p.min_months,
        "leave_not_counted_days": covered_days(not_counted, start, last_day),
        "counted_as_work": [k.value for k in p.counted_as_work],
        "leave_recorded": person.absences is not None,
    }
    basis_vi = "ngày tuyển dụng" if person.recruited_on else "ngày vào ngành (thay cho ngày tuyển dụng)"
    basis_en = "recruitment date" if person.recruited_on else "sector start (for the recruitment date)"
    leave_vi = "" if person.absences is not None else " Hồ sơ chưa ghi thời gian nghỉ việc: chưa trừ."
    leave_en = "" if person.absences is not None else " The file records no leave: none deducted."
    head_vi = f"Từ {basis_vi} {start:%d/%m/%Y} đến 31/12/{ctx.year}, cần {p.min_months} tháng công tác"
    head_en = f"From the {basis_en} {start:%d/%m/%Y} to 31/12/{ctx.year}, {p.min_months} months of work needed"
    if start > last_day:
        return failed(head_vi + "; chưa được tuyển dụng trong năm." + leave_vi,
                      head_en + "; not yet recruited in the year." + leave_en, facts=facts)
    if reached <= end:
        return passed(
            f"{head_vi}: đủ (tính đến {reached - timedelta(days=1):%d/%m/%Y}).{leave_vi}",
            f"{head_en}: met (reached by {reached - timedelta(days=1):%d/%m/%Y}).{leave_en}",
            facts=facts,
        )
    short = calendar_span(end, reached)
    return failed(
        f"{head_vi}: còn thiếu {span_vi(short)} (đủ vào ngày {reached - timedelta(days=1):%d/%m/%Y}).{leave_vi}",
        f"{head_en}: short by {span_en(short)} (met on {reached - timedelta(days=1):%d/%m/%Y}).{leave_en}",
        facts=facts,
    )
