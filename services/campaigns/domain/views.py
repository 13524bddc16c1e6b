"""Read models of the campaigns context, as pure functions of aggregate states.

* :func:`movement_dashboard` — a movement with its targets and their progress,
  the registrations by unit, and the status of its pledges;
* :func:`unit_overview` — one unit's registrations and pledges;
* :func:`cluster_ranking` — a cluster's members, lead and ranking for a year.

The query side passes the states it holds (folded from the events, or rebuilt
from its tables); these functions filter, group and count, and never fail on
missing data. Targets show the last *published* numbers (``target.progressed``
or the final outcome); a target whose progress is still unknown shows nulls.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict
from tdkt_contracts.catalogue.campaigns import (
    ClauseResult,
    ClusterKind,
    IndividualRegistration,
    Launcher,
    MovementKind,
    Percent,
    RankedScore,
    ReviewKind,
    TargetMetric,
)

from kernel.errors import NotFound

from .clusters import ClusterState
from .movement import MovementState
from .pledges import PledgeState
from .registrations import RegistrationState
from .targets import TargetState


class View(BaseModel):
    model_config = ConfigDict(frozen=True)


class TargetView(View):
    target_id: str
    description: str
    year: int
    metric: TargetMetric | None
    threshold_percent: Percent
    numerator: int | None
    denominator: int | None
    share_percent: Percent | None
    on_track: bool | None
    """Whether the threshold is reached with the last numbers (None if unknown)."""
    outcome: Literal["met", "missed"] | None
    decided_on: date | None


class RegistrationView(View):
    registration_id: str
    movement_id: str
    unit_id: str
    year: int
    collective_titles: list[str]
    individuals: list[IndividualRegistration]
    submitted_on: date | None
    deadline: date | None


class UnitRegistrations(View):
    unit_id: str
    registrations: list[RegistrationView]


class RegistrationSummary(View):
    units_registered: int
    units_not_registered: list[str] | None
    """Units of a listed scope without an active registration (None for an all-units scope)."""
    people_registered: int
    collective_title_counts: dict[str, int]
    individual_title_counts: dict[str, int]


class ClauseStatus(View):
    number: int
    text: str
    result: ClauseResult | None
    comment: str | None


class PledgeStatus(View):
    pledge_id: str
    title: str
    year: int
    parties: list[str]
    signed_on: date | None
    status: Literal["signed", "interim_reviewed", "final_reviewed"]
    reviews: int
    last_reviewed_on: date | None
    clauses: list[ClauseStatus]
    result_counts: dict[str, int]
    """achieved / partly_achieved / not_achieved in the latest review."""


class ReviewView(View):
    kind: ReviewKind
    reviewed_on: date
    summary: str


class MovementDashboard(View):
    movement_id: str
    title: str
    kind: MovementKind | None
    launched_by: Launcher | None
    status: Literal["open", "closed"]
    period_start: date | None
    period_end: date | None
    reviews: list[ReviewView]
    targets: list[TargetView]
    registrations_by_unit: list[UnitRegistrations]
    registration_summary: RegistrationSummary
    pledges: list[PledgeStatus]


class UnitOverview(View):
    unit_id: str
    registrations: list[RegistrationView]
    pledges: list[PledgeStatus]


class ClusterRanking(View):
    cluster_id: str
    name: str
    kind: ClusterKind | None
    year: int
    members: list[str]
    lead_unit_id: str | None
    scored: bool
    scored_on: date | None
    ranking: list[RankedScore]
    leaders: list[str]
    """Members ranked first: the cluster's candidate(s) for the Cờ thi đua, before its vote."""


# -- builders ---------------------------------------------------------------------


def target_view(target: TargetState) -> TargetView:
    progress = target.last_progress
    return TargetView(
        target_id=target.target_id,
        description=target.description,
        year=target.year,
        metric=target.metric,
        threshold_percent=target.threshold_percent,
        numerator=target.numerator,
        denominator=target.denominator,
        share_percent=progress.share_percent if progress else None,
        on_track=progress.met if progress and progress.known else None,
        outcome=target.outcome,  # type: ignore[arg-type]
        decided_on=target.decided_on,
    )


def registration_view(registration: RegistrationState) -> RegistrationView:
    return RegistrationView(
        registration_id=registration.registration_id,
        movement_id=registration.movement_id,
        unit_id=registration.unit_id,
        year=registration.year,
        collective_titles=list(registration.collective_titles),
        individuals=list(registration.individuals),
        submitted_on=registration.submitted_on,
        deadline=registration.deadline,
    )


def pledge_status(pledge: PledgeState) -> PledgeStatus:
    review = pledge.latest_review
    by_clause = {a.clause_number: a for a in review.assessments} if review else {}
    if review is None:
        status = "signed"
    elif pledge.final_reviewed:
        status = "final_reviewed"
    else:
        status = "interim_reviewed"
    counts = Counter(a.result.value for a in by_clause.values())
    return PledgeStatus(
        pledge_id=pledge.pledge_id,
        title=pledge.title,
        year=pledge.year,
        parties=[p.name for p in pledge.parties],
        signed_on=pledge.signed_on,
        status=status,  # type: ignore[arg-type]
        reviews=len(pledge.reviews),
        last_reviewed_on=review.reviewed_on if review else None,
        clauses=[
            ClauseStatus(
                number=c.number,
                text=c.text,
                result=by_clause[c.number].result if c.number in by_clause else None,
                comment=by_clause[c.number].comment if c.number in by_clause else None,
            )
            for c in pledge.clauses
        ],
        result_counts={r.value: counts.get(r.value, 0) for r in ClauseResult},
    )


def movement_dashboard(
    movement: MovementState,
    *,
    targets: Iterable[TargetState] = (),
    registrations: Iterable[RegistrationState] = (),
    pledges: Iterable[PledgeState] = (),
    year: int | None = None,
) -> MovementDashboard:
    """The movement's dashboard. States of other movements are ignored; ``year``
    restricts targets and registrations to one year."""
    if not movement.exists:
        raise NotFound("movement_not_found", f"Movement {movement.movement_id!r} does not exist.")
    mid = movement.movement_id
    own_targets = sorted(
        (t for t in targets if t.exists and t.movement_id == mid and (year is None or t.year == year)),
        key=lambda t: (t.year, t.target_id),
    )
    active = sorted(
        (r for r in registrations if r.active and r.movement_id == mid and (year is None or r.year == year)),
        key=lambda r: (r.unit_id, r.year),
    )
    by_unit: dict[str, list[RegistrationView]] = {}
    for r in active:
        by_unit.setdefault(r.unit_id, []).append(registration_view(r))
    collective = Counter(code for r in active for code in r.collective_titles)
    individual = Counter(code for r in active for entry in r.individuals for code in entry.titles)
    scope = movement.scope
    not_registered = (
        [u for u in scope.unit_ids if u not in by_unit] if scope is not None and not scope.all_units else None
    )
    own_pledges = sorted((p for p in pledges if p.exists and p.movement_id == mid), key=lambda p: p.pledge_id)
    return MovementDashboard(
        movement_id=mid,
        title=movement.title,
        kind=movement.kind,
        launched_by=movement.launched_by,
        status="closed" if movement.closed else "open",
        period_start=movement.period_start,
        period_end=movement.period_end,
        reviews=[ReviewView(kind=k, reviewed_on=d, summary=s) for k, d, s in movement.reviews],
        targets=[target_view(t) for t in own_targets],
        registrations_by_unit=[UnitRegistrations(unit_id=u, registrations=v) for u, v in by_unit.items()],
        registration_summary=RegistrationSummary(
            units_registered=len(by_unit),
            units_not_registered=not_registered,
            people_registered=len({e.person_id for r in active for e in r.individuals}),
            collective_title_counts=dict(sorted(collective.items())),
            individual_title_counts=dict(sorted(individual.items())),
        ),
        pledges=[pledge_status(p) for p in own_pledges],
    )


def unit_overview(
    unit_id: str,
    *,
    registrations: Iterable[RegistrationState] = (),
    pledges: Iterable[PledgeState] = (),
    clusters: Iterable[ClusterState] = (),
) -> UnitOverview:
    """A unit's active registrations (every movement) and the pledges it is party
    to: a party naming the unit, or a pledge of a cluster the unit belongs to that
    year (when the clusters are given)."""
    member_of = {c.cluster_id: c for c in clusters if c.exists}
    own = sorted((r for r in registrations if r.active and r.unit_id == unit_id), key=lambda r: (r.year, r.movement_id))

    def concerns(pledge: PledgeState) -> bool:
        if any(p.unit_id == unit_id for p in pledge.parties):
            return True
        cluster = member_of.get(pledge.cluster_id or "")
        return cluster is not None and unit_id in cluster.members_in(pledge.year)

    own_pledges = sorted((p for p in pledges if p.exists and concerns(p)), key=lambda p: (p.year, p.pledge_id))
    return UnitOverview(
        unit_id=unit_id,
        registrations=[registration_view(r) for r in own],
        pledges=[pledge_status(p) for p in own_pledges],
    )


def cluster_ranking(cluster: ClusterState, year: int) -> ClusterRanking:
    """A cluster's members, lead and ranking for ``year`` (ranking empty until scored)."""
    if not cluster.exists:
        raise NotFound("cluster_not_found", f"Cluster {cluster.cluster_id!r} does not exist.")
    ranking = list(cluster.rankings.get(year, ()))
    return ClusterRanking(
        cluster_id=cluster.cluster_id,
        name=cluster.name,
        kind=cluster.kind,
        year=year,
        members=list(cluster.members_in(year)),
        lead_unit_id=cluster.leads.get(year),
        scored=year in cluster.rankings,
        scored_on=cluster.scored_on.get(year),
        ranking=ranking,
        leaders=[r.unit_id for r in ranking if r.rank == 1],
    )
