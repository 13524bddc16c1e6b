"""The catalogue: titles and award forms, each with rule versions valid for a period.

A :class:`RuleVersion` is what the law requires of one recipient kind
(individual or collective) for one code during ``[valid_from, valid_to]``.
The version applied to a case is the one in force on 31 December of the
achievement year. Versions of the same code and recipient kind never overlap.

Codes exist once for both recipient kinds (e.g. ``BK_BT``); each version
says which kind it is for, so criteria can differ between a person and a
collective while decisions and citations name one code.
"""

from __future__ import annotations

from datetime import date
from itertools import pairwise
from typing import Any, get_args

from kernel.errors import NotFound
from pydantic import Field, model_validator
from tdkt_contracts.catalogue.awards import DossierDocument
from tdkt_contracts.vocabulary import Authority, RecipientKind

from .base import DomainModel
from .criteria import CriterionSpec, MeetsCriteriaOf
from .sources import Citation, LegalDocument, LegalSource, cite
from .vocabulary import AwardKind, CommendationCategory, Confidence, DecisionRoute, IssuerKind, Recurrence

_ROUTE_OF_AUTHORITY = {
    Authority.UNIT_HEAD: DecisionRoute.UNIT_DECIDES,
    Authority.MINISTER: DecisionRoute.MINISTRY_DECIDES,
    Authority.PRIME_MINISTER: DecisionRoute.PROPOSE_UPWARD,
    Authority.PRESIDENT: DecisionRoute.PROPOSE_UPWARD,
    Authority.OTHER_MINISTRY: DecisionRoute.PROPOSE_UPWARD,
}


class Sourced(DomainModel):
    """A catalogue item with its legal source and confidence mark."""

    source: LegalSource
    confidence: Confidence

    @property
    def confirmed(self) -> bool:
        """False for a rule marked [U]."""
        return self.confidence is not Confidence.UNCONFIRMED


class CouncilVote(Sourced):
    """Share of ALL council members (absent ones vote in writing) that must approve."""

    share: float = Field(gt=0, le=1)


class PublicNotice(Sourced):
    """Names published in the Ministry's media before its council meets."""

    working_days: int = Field(ge=1, le=60)


class CashAward(Sourced):
    """Cash as a multiple of the base salary (mức lương cơ sở)."""

    multiple: float = Field(ge=0, le=100)


class CouncilCheck(Sourced):
    """A qualitative requirement the council judges; listed, not computed."""

    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Quota(Sourced):
    """A cap on how many may receive it: a quota for the unit, never an eligibility criterion."""

    max_share: float = Field(gt=0, le=1)
    of_code: str = Field(description="The share is of the holders of this code in the unit.")
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Issuer(Sourced):
    """A kind of head who may sign it, on this legal basis."""

    kind: IssuerKind


class RuleVersion(DomainModel):
    """What one code requires of one recipient kind during a validity window."""

    code: str
    recipient: RecipientKind
    valid_from: date
    valid_to: date | None = None
    confidence: Confidence = Field(
        description="Of the rule as a whole, e.g. [U] when the document's validity is unknown."
    )
    source: LegalSource = Field(description="The main legal basis.")
    authority: Authority
    route: DecisionRoute
    submit_to_vi: str | None = Field(default=None, description="Where the Ministry submits (trình) the file.")
    submit_to_en: str | None = None
    description_vi: str = Field(min_length=1)
    description_en: str = Field(min_length=1)
    criteria: tuple[CriterionSpec, ...] = Field(min_length=1)
    council_vote: CouncilVote | None = None
    public_notice: PublicNotice | None = None
    cash: CashAward | None = None
    council_checks: tuple[CouncilCheck, ...] = ()
    quotas: tuple[Quota, ...] = ()
    issuers: tuple[Issuer, ...] = Field(
        default=(), description="Who may sign it, where the law names several kinds of head; empty: the authority."
    )
    posthumous: Sourced | None = Field(
        default=None, description="The basis for conferring it after death (truy tặng); None: none recorded."
    )
    note: str | None = None

    @model_validator(mode="after")
    def _coherent(self) -> RuleVersion:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"{self.id}: valid_to is before valid_from")
        if _ROUTE_OF_AUTHORITY[self.authority] is not self.route:
            raise ValueError(f"{self.id}: route {self.route} does not fit authority {self.authority}")
        if self.route is DecisionRoute.PROPOSE_UPWARD and not self.submit_to_vi:
            raise ValueError(f"{self.id}: a proposal upward names where it is submitted (submit_to_vi)")
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError(f"{self.id}: criterion ids must be unique")
        return self

    @property
    def id(self) -> str:
        """Stable id, e.g. 'CSTDCS.individual.2024-01-01'."""
        return f"{self.code}.{self.recipient.value}.{self.valid_from.isoformat()}"

    @property
    def confirmed(self) -> bool:
        """False for a rule marked [U] as a whole."""
        return self.confidence is not Confidence.UNCONFIRMED

    def in_force(self, day: date) -> bool:
        """Whether this version applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def all_criteria(self) -> list[CriterionSpec]:
        """Every criterion, children included."""
        return [spec for top in self.criteria for spec in top.walk()]

    def sources(self) -> list[LegalSource]:
        """Every source this version cites."""
        found = [self.source, *(c.source for c in self.all_criteria())]
        found += [
            item.source
            for item in (self.council_vote, self.public_notice, self.cash, self.posthumous)
            if item is not None
        ]
        found += [item.source for item in (*self.council_checks, *self.quotas, *self.issuers)]
        return found


class AwardEntry(DomainModel):
    """A title or award form and all its rule versions."""

    code: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: AwardKind
    category: CommendationCategory
    recurrence: Recurrence
    rules: tuple[RuleVersion, ...] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _rules_know_their_code(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("rules"), list):
            rules = [{**r, "code": data.get("code")} if isinstance(r, dict) else r for r in data["rules"]]
            data = {**data, "rules": rules}
        return data

    @model_validator(mode="after")
    def _windows_do_not_overlap(self) -> AwardEntry:
        for kind in self.recipients:
            versions = sorted(self.rules_for(kind), key=lambda r: r.valid_from)
            for earlier, later in pairwise(versions):
                if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                    raise ValueError(f"{self.code}/{kind.value}: {earlier.id} overlaps {later.id}")
        return self

    @property
    def recipients(self) -> list[RecipientKind]:
        """Recipient kinds some version is for."""
        return sorted({r.recipient for r in self.rules}, key=list(RecipientKind).index)

    def rules_for(self, recipient: RecipientKind) -> list[RuleVersion]:
        """Versions for ``recipient``."""
        return [r for r in self.rules if r.recipient is recipient]

    def rule_for(self, recipient: RecipientKind, day: date) -> RuleVersion | None:
        """The version for ``recipient`` in force on ``day``, if any."""
        return next((r for r in self.rules_for(recipient) if r.in_force(day)), None)


class CouncilQuorum(Sourced):
    """Share of ALL council members who must attend for its conclusions to stand, as an exact fraction
    (two thirds of nine is six); written votes are not attendance."""

    numerator: int = Field(ge=1)
    denominator: int = Field(ge=1)

    @model_validator(mode="after")
    def _a_share(self) -> CouncilQuorum:
        if self.numerator > self.denominator:
            raise ValueError("a quorum is at most all members")
        return self


class TiePriority(Sourced):
    """Who comes first among candidates with equal achievements (a ranking, never eligibility): women, and
    collectives whose members are at least ``collective_women_share`` women (NĐ 152/2025 Art. 4.6)."""

    collective_women_share: float = Field(gt=0, le=1)


class RuleSet(DomainModel):
    """A legal regime (law + decree) in force for a period; reported with each assessment."""

    id: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    law: str = Field(description="Document id of the law; evidence from a regime under another law is flagged.")
    decree: str
    valid_from: date
    valid_to: date | None = None
    note: str | None = None
    council_quorum: CouncilQuorum | None = Field(
        default=None, description="The council's quorum under this regime; None: no quorum rule recorded."
    )
    tie_priority: TiePriority | None = Field(
        default=None, description="The priority on ties under this regime; None: none recorded."
    )
    filing_date_decides: Sourced | None = Field(
        default=None,
        description="Its transitional provisions: a file filed while it is in force is judged under it, "
        "even for an achievement year that ended under the previous regime.",
    )

    def in_force(self, day: date) -> bool:
        """Whether this regime applies on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


DOCUMENT_KINDS = frozenset(get_args(DossierDocument.model_fields["kind"].annotation))
"""The kinds of dossier document the contracts know (tờ trình, báo cáo thành tích, biên bản, xác nhận, …)."""


class DossierRequirement(Sourced):
    """One document a dossier must hold (Law 2022 Art. 84), for some commendation categories and codes, during
    a validity window (``catalogue/_dossier_requirements.yaml``: the one table the workflow's completeness check
    and :func:`~.procedure_checks.required_documents` both read)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: str = Field(min_length=1, description="The file kind attached to the dossier (the workflow checks it).")
    document: str = Field(description="The contracts' DossierDocument kind naming the same paper.")
    label_vi: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    categories: tuple[CommendationCategory, ...] = Field(min_length=1)
    award_codes: tuple[str, ...] = Field(default=(), description="Empty: every code of the categories.")
    per_candidate: bool = Field(description="One file per candidate still in play, or one for the dossier.")
    valid_from: date
    valid_to: date | None = None

    @model_validator(mode="after")
    def _known_document(self) -> DossierRequirement:
        if self.document not in DOCUMENT_KINDS:
            raise ValueError(f"dossier requirement {self.id}: unknown document kind {self.document!r}")
        return self

    def applies(self, code: str, category: CommendationCategory, day: date) -> bool:
        """Whether a ``category`` dossier for ``code`` filed under the rules of ``day`` needs this document."""
        in_force = self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)
        return in_force and category in self.categories and (not self.award_codes or code in self.award_codes)


class Catalogue(DomainModel):
    """Every code, document and regime; validated as a whole when built."""

    documents: dict[str, LegalDocument]
    rule_sets: tuple[RuleSet, ...] = Field(min_length=1)
    entries: dict[str, AwardEntry] = Field(min_length=1)
    dossiers: tuple[DossierRequirement, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Catalogue:
        self._check_keys()
        self._check_rule_sets()
        for entry in self.entries.values():
            for version in entry.rules:
                self._check_version(version)
        self._check_no_cycles()
        self._check_dossiers()
        return self

    def _check_dossiers(self) -> None:
        ids = [rule.id for rule in self.dossiers]
        if len(ids) != len(set(ids)):
            raise ValueError("dossier requirement ids must be unique")
        for rule in self.dossiers:
            if rule.source.doc not in self.documents:
                raise ValueError(f"dossier requirement {rule.id}: unknown legal document {rule.source.doc!r}")
            for code in rule.award_codes:
                if code not in self.entries:
                    raise ValueError(f"dossier requirement {rule.id}: unknown code {code!r}")

    def _check_keys(self) -> None:
        for key, doc in self.documents.items():
            if key != doc.id:
                raise ValueError(f"document key {key} differs from its id {doc.id}")
        for key, entry in self.entries.items():
            if key != entry.code:
                raise ValueError(f"entry key {key} differs from its code {entry.code}")

    def _check_rule_sets(self) -> None:
        ordered = sorted(self.rule_sets, key=lambda s: s.valid_from)
        for earlier, later in pairwise(ordered):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise ValueError(f"rule sets {earlier.id} and {later.id} overlap")
        for rule_set in ordered:
            for doc in (rule_set.law, rule_set.decree):
                if doc not in self.documents:
                    raise ValueError(f"rule set {rule_set.id} names unknown document {doc}")
            quorum = rule_set.council_quorum
            if quorum is not None and quorum.source.doc not in self.documents:
                raise ValueError(f"rule set {rule_set.id}: quorum cites unknown document {quorum.source.doc!r}")

    def _check_version(self, version: RuleVersion) -> None:
        for source in version.sources():
            if source.doc not in self.documents:
                raise ValueError(f"{version.id}: unknown legal document {source.doc!r}")
        for spec in version.all_criteria():
            if version.recipient not in spec.params.subjects:
                raise ValueError(f"{version.id}: {spec.kind} does not apply to {version.recipient.value} recipients")
            for code in spec.params.referenced_codes():
                if code not in self.entries:
                    raise ValueError(f"{version.id}: criterion {spec.id} names unknown code {code!r}")
            params = spec.params
            if isinstance(params, MeetsCriteriaOf) and not self.entries[params.code].rules_for(version.recipient):
                raise ValueError(f"{version.id}: {params.code} has no rule for {version.recipient.value}")
        for quota in version.quotas:
            if quota.of_code not in self.entries:
                raise ValueError(f"{version.id}: quota names unknown code {quota.of_code!r}")

    def _check_no_cycles(self) -> None:
        graph = {
            code: {
                spec.params.code
                for version in entry.rules
                for spec in version.all_criteria()
                if isinstance(spec.params, MeetsCriteriaOf)
            }
            for code, entry in self.entries.items()
        }

        def visit(code: str, trail: tuple[str, ...]) -> None:
            if code in trail:
                raise ValueError(f"meets_criteria_of cycle: {' -> '.join((*trail, code))}")
            for target in graph.get(code, ()):
                visit(target, (*trail, code))

        for code in graph:
            visit(code, ())

    def entry(self, code: str) -> AwardEntry:
        """The entry for ``code``; NotFound(code='unknown_award') when the catalogue lacks it."""
        try:
            return self.entries[code]
        except KeyError:
            raise NotFound(
                "unknown_award", f"No title or award with code {code!r} in the catalogue", award_code=code
            ) from None

    def rule_set_at(self, day: date) -> RuleSet | None:
        """The legal regime in force on ``day``."""
        return next((s for s in self.rule_sets if s.in_force(day)), None)

    def cite(self, source: LegalSource) -> Citation:
        """Render a source of this catalogue."""
        return cite(source, self.documents[source.doc])

    @property
    def codes(self) -> list[str]:
        """Every code, sorted."""
        return sorted(self.entries)
