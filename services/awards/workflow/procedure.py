"""The procedure checks the law sets, applied by the council's vote and the grant (issue #19 points 12, 14).

The checks themselves are pure catalogue data read by :mod:`..domain.procedure_checks` (the council's
quorum, a title's share quota, who may sign a Giấy khen); this module turns their answers into the
workflow's refusals and the outcomes the events record. A failed check whose rule is confirmed ([C] or
[S]) refuses the act with a 422 naming the article; a failed unconfirmed [U] one is recorded and warns,
never refusing alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from kernel.errors import DomainError
from tdkt_contracts.catalogue.awards import ProcedureCheckOutcome
from tdkt_contracts.vocabulary import RecipientKind

from ..domain.catalogue import Catalogue, RuleVersion
from ..domain.engine import rules_day
from ..domain.procedure_checks import ProcedureCheck, issuer_check, quorum_check, share_quota_checks
from ..domain.vocabulary import IssuerKind
from .codes import Code
from .commands import Ballot
from .nomination import CandidateState, NominationState


@dataclass(frozen=True, slots=True)
class UnitShares:
    """What a share quota counts in the submitting unit (and the units under it) for the year.

    ``already_granted``: the unit's awards of the nomination's code still held; ``holders``: the unit's
    holders of each base code of the quotas (e.g. ``{"LDTT": 20}``); ``unit_ids``: the scope, so the
    candidates being decided are counted when they belong to it.
    """

    unit_ids: frozenset[str]
    already_granted: int
    holders: dict[str, int]


def outcome_of(check: ProcedureCheck) -> ProcedureCheckOutcome:
    """A check's answer as the events record it."""
    return ProcedureCheckOutcome(
        kind=check.kind,  # type: ignore[arg-type]  # the domain's kinds are the contract's
        met=check.met,
        confidence=check.confidence.value,  # type: ignore[arg-type]
        limit=check.limit,
        actual=check.actual,
        detail_vi=check.detail_vi,
        detail_en=check.detail_en,
        citation=check.citation.text_vi,
    )


def _refusal(code: Code, check: ProcedureCheck, **details: object) -> DomainError:
    return DomainError(
        code,
        f"{check.detail_en} ({check.citation.text_en}; {check.detail_vi})",
        kind=check.kind,
        limit=check.limit,
        actual=check.actual,
        citation=check.citation.text_vi,
        confidence=check.confidence.value,
        **details,
    )


def quorum_outcome(
    law: Catalogue, meeting_on: date, members_total: int, ballots: Sequence[Ballot], candidate_id: str
) -> list[ProcedureCheckOutcome]:
    """The council's quorum on the meeting day: members present (ballots not sent in writing) against
    all members, under the regime in force that day. DomainError('no_quorum') when a confirmed rule is
    not met; an unconfirmed one (today's two thirds is [U]) is only recorded."""
    rule_set = law.rule_set_at(meeting_on)
    if rule_set is None:
        return []
    present = sum(not b.in_writing for b in ballots)
    check = quorum_check(law, rule_set, members_total, present)
    if check is None:
        return []
    if check.refuses:
        raise _refusal(Code.NO_QUORUM, check, candidate_id=candidate_id, present=present, members_total=members_total)
    return [outcome_of(check)]


def rule_versions(law: Catalogue, state: NominationState, candidates: Sequence[CandidateState]) -> list[RuleVersion]:
    """The rule version of each recipient kind among ``candidates`` for the nomination's code and year, the
    same :func:`~.paths.procedures_for` reads (31 December of the year, or the filing day where it decides)."""
    entry = law.entry(state.award_code)
    day = rules_day(law, state.year, state.submitted_on)
    kinds: list[RecipientKind] = sorted({c.candidate.recipient_kind for c in candidates})
    return [v for kind in kinds if (v := entry.rule_for(kind, day)) is not None]


def share_quota_bases(law: Catalogue, state: NominationState, candidates: Sequence[CandidateState]) -> list[str]:
    """The base codes the share quotas of a grant count (e.g. ``["LDTT"]`` for CSTĐ cơ sở before 2024):
    what the handler must load and lock before it decides."""
    return sorted({q.of_code for v in rule_versions(law, state, candidates) for q in v.quotas})


def grant_outcomes(
    law: Catalogue,
    state: NominationState,
    candidates: Sequence[CandidateState],
    *,
    issuer: IssuerKind | None,
    shares: UnitShares | None,
) -> list[ProcedureCheckOutcome]:
    """The share quotas and the signer of a grant. Refuses (DomainError 'quota_exceeded' or
    'issuer_not_competent') when a confirmed check fails; returns every outcome otherwise.

    A version with share quotas needs ``shares`` (the handler counts them in the command's transaction):
    without them the grant cannot be checked, a caller's error (ValueError).
    """
    outcomes: list[ProcedureCheckOutcome] = []
    for version in rule_versions(law, state, candidates):
        mine = [c for c in candidates if c.candidate.recipient_kind is version.recipient]
        if version.quotas:
            if shares is None:
                raise ValueError(f"{version.code} has share quotas: the unit's counts must be loaded")
            counted = sum(1 for c in mine if c.candidate.unit_id in shares.unit_ids)
            # None of the year's base titles recorded in the unit: the base is not known yet (the titles may
            # come in a later decision, or from the files), so the cap warns instead of refusing everything.
            holders: dict[str, int | None] = {code: n or None for code, n in shares.holders.items()}
            for check in share_quota_checks(law, version, shares.already_granted + counted, holders):
                if check.refuses:
                    raise _refusal(
                        Code.QUOTA_EXCEEDED, check, award_code=state.award_code, year=state.year,
                        already_granted=shares.already_granted, requested=counted,
                    )
                outcomes.append(outcome_of(check))
        signer = issuer_check(law, version, issuer)
        if signer is not None:
            if signer.refuses:
                raise _refusal(Code.ISSUER_NOT_COMPETENT, signer, issuer=issuer.value if issuer else None)
            outcomes.append(outcome_of(signer))
    return outcomes
