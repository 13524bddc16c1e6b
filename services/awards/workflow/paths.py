"""The path each kind of commendation takes, and the procedure numbers the workflow applies.

Five kinds (``Category`` of the contracts), each a :class:`CommendationPath`:

- **merit** (khen thưởng công trạng và thành tích, the annual round): the
  normal path: full dossier (Law Art. 84.1), the engine's assessment, the
  public notice and the council vote where the rule requires them.
- **thematic** (theo chuyên đề): tied to a movement (``movement_id``
  required), reviewed at its sơ kết / tổng kết; otherwise as merit. Awarded
  with ``category = thematic`` so that it never serves as evidence for a merit
  award (NĐ 152/2025 Art. 4.3; the engine reads ``TitleRecord.category``).
- **one_off** (đột xuất, a single act): fast-tracked, see
  :data:`ONE_OFF_FAST_TRACK`; also no evidence for merit awards.
- **long_service** (quá trình cống hiến): the long-service codes (KNC) and
  the leader-tenure route of Huân chương Lao động hạng Ba (NĐ 152/2025 Art. 21).
- **foreign** (đối ngoại): the recipient is a foreign person or organisation,
  unknown to the units context: its ``subject_id`` is an external id. The
  engine's criteria (grades, titles, initiatives of civil servants) cannot
  apply, so the eligibility check is **limited**: the subject must be
  external, the code must be an award form given to that kind of recipient
  with a rule in force for the year, and the dossier must carry the
  achievement report the council judges. The assessment recorded says so and
  is flagged unconfirmed; the council's judgement is the real check.

Which codes may take which path (``category_not_allowed`` otherwise):

- titles (danh hiệu thi đua) are merit only, except the Ministry's emulation
  flag, which also crowns a thematic movement (rules.md §3b, TT 22/2023 Art. 6);
- award forms of the merit catalogue may be merit, thematic, one-off or foreign;
- long-service codes are long service or foreign; HCLĐ hạng Ba is also long
  service through its leader-tenure route.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from kernel.errors import DomainError
from tdkt_contracts.catalogue.awards import Category, DossierDocument
from tdkt_contracts.vocabulary import Authority, RecipientKind

from ..domain.catalogue import AwardEntry, Catalogue
from ..domain.engine import no_rule_for_year, procedure_of_version, rules_day
from ..domain.results import Procedure
from ..domain.timespan import year_end
from ..domain.vocabulary import AwardKind, CommendationCategory, DecisionRoute
from .codes import Code


@dataclass(frozen=True, slots=True)
class FastTrack:
    """A simplified procedure (thủ tục đơn giản): what it lets the office skip, and on what basis."""

    skips_council_vote: bool
    skips_public_notice: bool
    legal_basis_vi: str
    legal_basis_en: str
    confirmed: bool


ONE_OFF_FAST_TRACK = FastTrack(
    skips_council_vote=True,
    # A notice the law requires (Huân chương, State honorary titles) is kept: the
    # simplified procedure is about the dossier and the council, and keeping the
    # notice can never make an award unlawful.
    skips_public_notice=False,
    legal_basis_vi=(
        "Luật Thi đua, khen thưởng 2022, Điều 85 (khen thưởng theo thủ tục đơn giản: thành tích xuất sắc đột xuất; "
        "hồ sơ gồm tờ trình và báo cáo tóm tắt thành tích) — chưa đối chiếu văn bản"
    ),
    legal_basis_en=(
        "Law on Emulation and Commendation 2022, Art. 85 (simplified procedure for an outstanding one-off "
        "achievement; the file is the submission and a short achievement summary) — not checked against the text"
    ),
    confirmed=False,
)
"""Đột xuất awards skip registration (the engine's one-off route needs none) and the council vote.

[U] rules.md does not cover the simplified procedure; the article number and
whether it dispenses with the council vote were not read in the legal text.
"""

FULL_DOSSIER = frozenset({"submission_letter", "achievement_report", "review_minutes"})
"""Law Art. 84.1 [C S31]: tờ trình, báo cáo thành tích, biên bản bình xét."""

SHORT_DOSSIER = frozenset({"submission_letter", "achievement_report"})
"""The simplified dossier (tờ trình, tóm tắt thành tích) of one-off and foreign awards [U]."""

THEMATIC_TITLES = frozenset({"CO_TD_BO"})
"""Titles that may also crown a thematic movement (Cờ thi đua Bộ, TT 22/2023 Art. 6 [C S5])."""

LONG_SERVICE_ROUTES = frozenset({"HCLD_3"})
"""Merit codes with a long-service route (HCLĐ hạng Ba by leader tenure, NĐ 152/2025 Art. 21 [S S13])."""


@dataclass(frozen=True, slots=True)
class CommendationPath:
    """How one kind of commendation moves from nomination to decision."""

    category: Category
    label_vi: str
    required_documents: frozenset[str]
    needs_movement: bool = False
    external_subject: bool = False
    fast_track: FastTrack | None = None
    achievement_vi: str = "Đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {year}"

    @property
    def engine_assessed(self) -> bool:
        """False for foreign recipients: the engine's criteria do not apply to them."""
        return not self.external_subject

    @property
    def skips_council_vote(self) -> bool:
        """True when the fast track dispenses with the council vote."""
        return self.fast_track is not None and self.fast_track.skips_council_vote

    @property
    def skips_public_notice(self) -> bool:
        """True when the fast track dispenses with the public notice."""
        return self.fast_track is not None and self.fast_track.skips_public_notice

    def allows(self, entry: AwardEntry) -> bool:
        """Whether ``entry`` may be awarded along this path (see the module docstring)."""
        long_service = entry.category is CommendationCategory.LONG_SERVICE
        award_form = entry.kind is AwardKind.AWARD_FORM
        if self.category == "merit":
            return entry.category is CommendationCategory.MERIT
        if self.category == "thematic":
            return not long_service and (award_form or entry.code in THEMATIC_TITLES)
        if self.category == "one_off":
            return not long_service and award_form
        if self.category == "long_service":
            return long_service or entry.code in LONG_SERVICE_ROUTES
        return award_form  # foreign: award forms only; titles are for the Ministry's own staff and units

    def missing_documents(self, documents: list[DossierDocument]) -> list[str]:
        """Kinds of required documents the dossier lacks, sorted."""
        return sorted(self.required_documents - {d.kind for d in documents})


PATHS: Mapping[str, CommendationPath] = {
    "merit": CommendationPath("merit", "Khen thưởng theo công trạng và thành tích", FULL_DOSSIER),
    "thematic": CommendationPath(
        "thematic",
        "Khen thưởng theo chuyên đề",
        FULL_DOSSIER,
        needs_movement=True,
        achievement_vi="Đã có thành tích xuất sắc trong phong trào thi đua theo chuyên đề năm {year}",
    ),
    "one_off": CommendationPath(
        "one_off",
        "Khen thưởng đột xuất",
        SHORT_DOSSIER,
        fast_track=ONE_OFF_FAST_TRACK,
        achievement_vi="Đã có thành tích xuất sắc đột xuất năm {year}",
    ),
    "long_service": CommendationPath(
        "long_service",
        "Khen thưởng quá trình cống hiến",
        FULL_DOSSIER,
        achievement_vi=(
            "Đã có nhiều đóng góp trong quá trình công tác, cống hiến cho sự nghiệp phát triển ngành Công Thương"
        ),
    ),
    "foreign": CommendationPath(
        "foreign",
        "Khen thưởng đối ngoại",
        SHORT_DOSSIER,
        external_subject=True,
        achievement_vi="Đã có nhiều đóng góp tích cực cho quan hệ hợp tác với Bộ Công Thương Việt Nam",
    ),
}
"""Every path, by category."""


def path_for(category: str) -> CommendationPath:
    """The path of ``category`` (merit, thematic, one_off, long_service, foreign)."""
    return PATHS[category]


# --------------------------------------------------------------------------- procedure


Procedures = Procedure | Mapping[RecipientKind, Procedure]
"""What the decide functions take: one procedure for every candidate, or one per recipient kind.

A code has one rule version per recipient kind, so its decider, vote share
and notice can differ between a person and a collective.
"""

_RANK = {Authority.UNIT_HEAD: 0, Authority.MINISTER: 1, Authority.PRIME_MINISTER: 2, Authority.PRESIDENT: 3}
"""Order of the deciders within the State; another ministry stands outside it."""


def procedure_of(procedures: Procedures, kind: RecipientKind | str) -> Procedure:
    """The procedure for candidates of ``kind``; DomainError('no_rule_for_year') if none was given."""
    if isinstance(procedures, Procedure):
        return procedures
    found = procedures.get(RecipientKind(kind))
    if found is None:
        raise DomainError(
            Code.NO_RULE_FOR_YEAR,
            f"No procedure for {RecipientKind(kind).value} recipients was loaded for this award and year",
            recipient_kind=str(kind),
        )
    return found


def procedure_for(catalogue: Catalogue, code: str, year: int, recipient: RecipientKind) -> Procedure:
    """Who decides ``code`` for ``recipient`` in achievement ``year``, and the numbers the workflow applies.

    The same rule version the engine applies (in force on 31 December of the
    year), built by the engine's own :func:`procedure_of_version`, so the
    workflow and the assessment never disagree. Raises
    NotFound('unknown_award') or DomainError('no_rule_for_year').
    """
    entry = catalogue.entry(code)
    version = entry.rule_for(recipient, year_end(year))
    if version is None:
        raise no_rule_for_year(entry, year, recipient)
    return procedure_of_version(catalogue, version)


def procedures_for(
    catalogue: Catalogue, code: str, year: int, filed_on: date | None = None
) -> dict[RecipientKind, Procedure]:
    """:func:`procedure_for` for every recipient kind ``code`` has a rule for in ``year``, for a file filed on
    ``filed_on`` (the rules of its filing day where the transitional provisions say so, as the assessment)."""
    entry = catalogue.entry(code)
    day = rules_day(catalogue, year, filed_on)
    return {
        kind: procedure_of_version(catalogue, version)
        for kind in entry.recipients
        if (version := entry.rule_for(kind, day)) is not None
    }


def check_power(decider: Authority, procedure: Procedure, *, what: str, details: Mapping[str, object]) -> None:
    """Refuse unless ``decider`` is the authority the rule gives the decision to.

    ``beyond_power`` when the rule's decider is above ``decider`` or outside its
    line (another ministry), or when the route is a proposal upward (the
    Ministry then proposes, it never decides); ``wrong_authority`` when
    ``decider`` is above the competent one (the Minister does not sign what
    the law leaves to the head of a unit).
    """
    decider, required = Authority(decider), procedure.authority
    if decider is required and procedure.route is not DecisionRoute.PROPOSE_UPWARD:
        return
    if (
        procedure.route is DecisionRoute.PROPOSE_UPWARD
        or required is Authority.OTHER_MINISTRY
        or decider is Authority.OTHER_MINISTRY
        or _RANK[required] > _RANK[decider]
    ):
        raise DomainError(
            Code.BEYOND_POWER,
            f"{what} is decided by {required.label_vi} ({required.value}), beyond the power of "
            f"{decider.label_vi} ({decider.value})"
            + ("; the Ministry must forward it (trình)" if procedure.route is DecisionRoute.PROPOSE_UPWARD else ""),
            decider=decider.value,
            required_authority=required.value,
            route=procedure.route.value,
            **details,
        )
    raise DomainError(
        Code.WRONG_AUTHORITY,
        f"{what} is decided by {required.label_vi} ({required.value}), not by {decider.label_vi} ({decider.value})",
        decider=decider.value,
        required_authority=required.value,
        **details,
    )


def not_after(day: date, today: date, field: str) -> None:
    """DomainError('date_in_future') when ``day`` is after ``today``: acts are recorded once they happened."""
    if day > today:
        raise DomainError(
            Code.DATE_IN_FUTURE,
            f"{field} {day} is later than today ({today}); record it on or after that day",
            field=field,
            date=day.isoformat(),
            today=today.isoformat(),
        )
