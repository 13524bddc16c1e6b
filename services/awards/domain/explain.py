"""Turns results into sentences a council secretary can paste into the minutes."""

from __future__ import annotations

from collections.abc import Iterable

from .catalogue import AwardEntry, RuleSet, RuleVersion
from .results import CriterionResult, UnconfirmedItem
from .sources import Citation
from .vocabulary import Outcome, Status

_STATUS_EN = {Status.PASSED: "passed", Status.FAILED: "failed", Status.UNKNOWN: "unknown"}
_OUTCOME_EN = {
    Outcome.ELIGIBLE: "ELIGIBLE",
    Outcome.INELIGIBLE: "NOT ELIGIBLE",
    Outcome.UNDETERMINED: "UNDETERMINED (facts missing)",
}


def criterion_line(
    status: Status,
    requirement: tuple[str, str],
    detail: tuple[str, str],
    citation: Citation,
    confirmed: bool,
    assumptions: Iterable[tuple[str, str]],
) -> tuple[str, str]:
    """'[Đạt] requirement — detail Căn cứ: citation.' in Vietnamese and English."""
    extra = list(assumptions)
    vi = f"[{status.label_vi}] {requirement[0]} — {detail[0]} Căn cứ: {citation.text_vi}."
    en = f"[{_STATUS_EN[status]}] {requirement[1]} — {detail[1]} Source: {citation.text_en}."
    if extra:
        vi += " " + " ".join(a[0] for a in extra)
        en += " " + " ".join(a[1] for a in extra)
    if not confirmed:
        vi += " (Quy định chưa được xác nhận.)"
        en += " (Unconfirmed rule.)"
    return vi, en


def _lines(results: Iterable[CriterionResult], depth: int = 0) -> tuple[list[str], list[str]]:
    vi, en = [], []
    for result in results:
        pad = "  " * depth + "- "
        mark = "" if result.decisive else " (phương án khác)"
        mark_en = "" if result.decisive else " (alternative not taken)"
        vi.append(pad + result.explanation_vi + mark)
        en.append(pad + result.explanation_en + mark_en)
        sub_vi, sub_en = _lines(result.children, depth + 1)
        vi += sub_vi
        en += sub_en
    return vi, en


def assessment_text(
    entry: AwardEntry,
    version: RuleVersion,
    rule_set: RuleSet,
    year: int,
    subject_name: str,
    outcome: Outcome,
    results: tuple[CriterionResult, ...],
    unconfirmed: tuple[UnconfirmedItem, ...],
    consumes: tuple[str, ...],
    main_citation: Citation,
) -> tuple[str, str]:
    """The whole explanation: verdict, rule applied, one line per criterion, warnings."""
    until = version.valid_to.strftime("%d/%m/%Y") if version.valid_to else "nay"
    until_en = version.valid_to.isoformat() if version.valid_to else "open"
    vi = [
        f"{entry.name_vi} ({entry.code}) năm {year} — {subject_name}: {outcome.label_vi.upper()}.",
        f"Quy định áp dụng: {version.id}, hiệu lực {version.valid_from:%d/%m/%Y}–{until} "
        f"({rule_set.name_vi}); căn cứ chính: {main_citation.text_vi}.",
    ]
    en = [
        f"{entry.name_en} ({entry.code}) {year} — {subject_name}: {_OUTCOME_EN[outcome]}.",
        f"Rule applied: {version.id}, valid {version.valid_from.isoformat()} to {until_en} "
        f"({rule_set.name_en}); main basis: {main_citation.text_en}.",
    ]
    body_vi, body_en = _lines(results)
    vi += body_vi
    en += body_en
    if unconfirmed:
        vi.append("Lưu ý — áp dụng quy định chưa được xác nhận: " + "; ".join(i.ref for i in unconfirmed) + ".")
        en.append("Note — unconfirmed rules applied: " + "; ".join(i.ref for i in unconfirmed) + ".")
    if consumes:
        vi.append("Sáng kiến, đề tài sẽ được ghi nhận đã dùng làm căn cứ: " + ", ".join(consumes) + ".")
        en.append("Initiatives to be recorded as used as evidence: " + ", ".join(consumes) + ".")
    return "\n".join(vi), "\n".join(en)
