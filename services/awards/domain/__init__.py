"""Awards domain: the catalogue of titles and award forms as versioned rule data, and a pure
eligibility engine that explains itself with legal citations.

Where things live:

- the law, as data: ``services/awards/catalogue/<code>.yaml`` (one file per code,
  every rule version with its validity window and citations); shared pieces in
  ``_documents.yaml``, ``_rule_sets.yaml`` and ``_shared_criteria.yaml``;
- what facts make each code pass: ``README.md`` next to this file;
- the criterion kinds and their parameters: :mod:`.criteria`;
- how each kind is checked: :mod:`.evaluators`;
- rule selection, combination and the result: :mod:`.engine`;
- the facts a candidate brings: :mod:`.facts`.
"""

from .catalogue import AwardEntry, Catalogue, RuleSet, RuleVersion
from .criteria import CriterionKind, CriterionSpec
from .engine import (
    assess,
    assess_many,
    assess_request,
    check_recipient,
    no_rule_for_year,
    procedure_of_version,
    rule_in_force,
)
from .facts import (
    AnyFacts,
    AssessmentRequest,
    Attestation,
    DisciplineRecord,
    EvidenceUse,
    Facts,
    HoldRecord,
    HouseholdContribution,
    HouseholdFacts,
    InitiativeRecord,
    LeaderPost,
    MemberSummary,
    PersonFacts,
    Registration,
    TitleRecord,
    UnitFacts,
)
from .forecast import ForecastCandidate, ForecastGap, forecast, project
from .loader import CatalogueError, default_catalogue, load_catalogue, parse_catalogue
from .results import Assessment, CriterionResult, Note, Procedure, RuleApplied, UnconfirmedItem
from .sources import Citation, LegalDocument, LegalSource
from .vocabulary import (
    AwardKind,
    CommendationCategory,
    Confidence,
    DecisionRoute,
    HoldKind,
    LeaderPosition,
    Outcome,
    Recurrence,
    Status,
)

__all__ = [
    "check_recipient",
    "no_rule_for_year",
    "procedure_of_version",
    "rule_in_force",
    "Assessment",
    "AssessmentRequest",
    "Attestation",
    "AwardEntry",
    "AwardKind",
    "Catalogue",
    "CatalogueError",
    "Citation",
    "CommendationCategory",
    "Confidence",
    "CriterionKind",
    "CriterionResult",
    "CriterionSpec",
    "DecisionRoute",
    "DisciplineRecord",
    "EvidenceUse",
    "AnyFacts",
    "Facts",
    "HouseholdContribution",
    "HouseholdFacts",
    "ForecastCandidate",
    "ForecastGap",
    "HoldKind",
    "HoldRecord",
    "InitiativeRecord",
    "LeaderPosition",
    "LeaderPost",
    "LegalDocument",
    "LegalSource",
    "MemberSummary",
    "Note",
    "Outcome",
    "PersonFacts",
    "Procedure",
    "Recurrence",
    "Registration",
    "RuleApplied",
    "RuleSet",
    "RuleVersion",
    "Status",
    "TitleRecord",
    "UnconfirmedItem",
    "UnitFacts",
    "assess",
    "assess_many",
    "assess_request",
    "default_catalogue",
    "forecast",
    "load_catalogue",
    "parse_catalogue",
    "project",
]
