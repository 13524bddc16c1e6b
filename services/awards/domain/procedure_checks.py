"""Checks of the procedure that are law as data: a title's share quota, the council's quorum, the signer,
the documents a dossier must hold.

Pure functions over the catalogue; the workflow calls them and turns a refusal into its error. A check
whose rule is unconfirmed [U] never refuses alone: it answers ``met=False, refuses=False`` and the
workflow records a warning (issue #19.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from .catalogue import Catalogue, RuleSet, RuleVersion
from .sources import Citation
from .timespan import year_end
from .vocabulary import CommendationCategory, Confidence, IssuerKind


@dataclass(frozen=True, slots=True)
class ProcedureCheck:
    """The answer of one check: met or not, whether that refuses, and on what legal basis."""

    kind: str
    met: bool
    refuses: bool
    confirmed: bool
    confidence: Confidence
    limit: int | None
    actual: int | None
    detail_vi: str
    detail_en: str
    citation: Citation


def share_quota_checks(
    catalogue: Catalogue, version: RuleVersion, granted: int, holders: dict[str, int | None]
) -> list[ProcedureCheck]:
    """Each share quota of ``version`` against ``granted`` (all of the unit's grants of the code in the year,
    the ones being decided included) and ``holders`` (the unit's holders of each base code that year).

    e.g. before 2024 Chiến sĩ thi đua cơ sở: at most 15 % of the unit's Lao động tiên tiến, rounded down
    (NĐ 91/2017 Art. 9.3). A base code missing from ``holders`` is a caller's error (KeyError): the count
    must be known before a grant. A count of None (not known: e.g. none of the year's base titles recorded
    yet) leaves the check undetermined: it warns, never refuses.
    """
    checks = []
    for quota in version.quotas:
        base = holders[quota.of_code]
        percent = f"{quota.max_share * 100:g}"
        if base is None:
            limit, met, confirmed, confidence = None, False, False, Confidence.UNCONFIRMED
            detail_vi = (f"{version.code} {granted}: chưa có {quota.of_code} nào của đơn vị được ghi nhận, "
                         f"chưa kiểm tra được hạn mức {percent}%.")
            detail_en = (f"{version.code} {granted}: no {quota.of_code} of the unit recorded yet, the "
                         f"{percent}% cap could not be checked.")
        else:
            limit = math.floor(quota.max_share * base + 1e-9)  # 15 % of 20 is 3, not 2.9999
            met, confirmed, confidence = granted <= limit, quota.confirmed, quota.confidence
            head_vi = f"{version.code} {granted} / tối đa {limit} ({percent}% của {base} {quota.of_code})"
            head_en = f"{version.code} {granted} / at most {limit} ({percent}% of {base} {quota.of_code})"
            detail_vi = head_vi + (": đạt." if met else f": vượt {granted - limit}.")
            detail_en = head_en + (": within." if met else f": {granted - limit} over.")
        checks.append(
            ProcedureCheck(
                kind="share_quota",
                met=met,
                refuses=not met and confirmed,
                confirmed=confirmed,
                confidence=confidence,
                limit=limit,
                actual=granted,
                detail_vi=detail_vi,
                detail_en=detail_en,
                citation=catalogue.cite(quota.source),
            )
        )
    return checks


def quorum_check(
    catalogue: Catalogue, rule_set: RuleSet, members_total: int, present: int
) -> ProcedureCheck | None:
    """Whether ``present`` of the council's ``members_total`` members make its quorum under ``rule_set``;
    None when the regime records no quorum. Members voting in writing are not ``present``."""
    quorum = rule_set.council_quorum
    if quorum is None:
        return None
    if members_total < 1 or not 0 <= present <= members_total:
        raise ValueError(f"present ({present}) must lie between 0 and the council's {members_total} members")
    limit = -(-quorum.numerator * members_total // quorum.denominator)  # exact ceiling
    met = present >= limit
    fraction = f"{quorum.numerator}/{quorum.denominator}"
    return ProcedureCheck(
        kind="council_quorum",
        met=met,
        refuses=not met and quorum.confirmed,
        confirmed=quorum.confirmed,
        confidence=quorum.confidence,
        limit=limit,
        actual=present,
        detail_vi=f"{present}/{members_total} thành viên dự họp; cần ít nhất {limit} ({fraction})"
        + (": đủ." if met else ": không đủ số thành viên dự họp."),
        detail_en=f"{present} of {members_total} members attend; at least {limit} needed ({fraction})"
        + (": quorate." if met else ": no quorum."),
        citation=catalogue.cite(quorum.source),
    )


def issuer_check(
    catalogue: Catalogue, version: RuleVersion, issuer: IssuerKind | None
) -> ProcedureCheck | None:
    """Whether a head of kind ``issuer`` may sign ``version``'s award (e.g. Giấy khen: a unit with legal
    personality, an enterprise director or a board chair, Law 2022 Art. 75, 80); None when the version
    names no issuers (its ``authority`` signs). Refuses only when every issuer listed is confirmed.

    ``issuer`` None (the decision did not say which kind of head signs) cannot be checked: an unconfirmed
    outcome that warns, never refuses.
    """
    if not version.issuers:
        return None
    names_vi = "; ".join(i.kind.label_vi for i in version.issuers)
    names_en = ", ".join(i.kind.value for i in version.issuers)
    if issuer is None:
        return ProcedureCheck(
            kind="issuer",
            met=False,
            refuses=False,
            confirmed=False,
            confidence=Confidence.UNCONFIRMED,
            limit=None,
            actual=None,
            detail_vi=f"Chưa nêu người ký thuộc loại thủ trưởng nào: chưa kiểm tra được thẩm quyền (chỉ: {names_vi}).",
            detail_en=f"The kind of head who signs was not stated: competence not checked (only: {names_en}).",
            citation=catalogue.cite(version.issuers[0].source),
        )
    listed = next((i for i in version.issuers if i.kind is issuer), None)
    confirmed = all(i.confirmed for i in version.issuers)
    met = listed is not None
    if listed is not None:
        confidence = listed.confidence
    else:
        confidence = Confidence.CONFIRMED if confirmed else Confidence.UNCONFIRMED
    return ProcedureCheck(
        kind="issuer",
        met=met,
        refuses=not met and confirmed,
        confirmed=listed.confirmed if listed else confirmed,
        confidence=confidence,
        limit=None,
        actual=None,
        detail_vi=f"{issuer.label_vi}: " + ("được ký tặng." if met else f"không được ký tặng (chỉ: {names_vi})."),
        detail_en=f"{issuer.value}: " + ("may sign it." if met else f"may not sign it (only: {names_en})."),
        citation=catalogue.cite(listed.source if listed else version.source),
    )


@dataclass(frozen=True, slots=True)
class RequiredDocument:
    """One document a dossier must hold, with the rule that asks for it."""

    kind: str
    rule_id: str
    vi: str
    en: str
    confirmed: bool
    citation: Citation


def required_documents(
    catalogue: Catalogue, code: str, category: CommendationCategory, year: int, rules_day: date | None = None
) -> list[RequiredDocument]:
    """The documents a ``category`` dossier for ``code`` and achievement ``year`` must hold (Law 2022 Art. 84),
    under the rules of ``rules_day`` (the filing day; default 31 December of the year), one per document kind
    (the contracts' DossierDocument kinds), in the table's order.

    A kind several requirements ask for is listed once, under the first confirmed requirement that asks for it.
    """
    catalogue.entry(code)  # NotFound('unknown_award') for a code the catalogue lacks
    day = rules_day or year_end(year)
    found: dict[str, RequiredDocument] = {}
    for rule in catalogue.dossiers:
        if not rule.applies(code, category, day):
            continue
        known = found.get(rule.document)
        if known is None or (rule.confirmed and not known.confirmed):
            citation = catalogue.cite(rule.source)
            found[rule.document] = RequiredDocument(
                rule.document, rule.id, rule.label_vi, rule.label_en, rule.confirmed, citation
            )
    return list(found.values())
