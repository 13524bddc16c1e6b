"""Emulation clusters and blocs (cụm, khối thi đua): membership per year, the
rotating lead unit (cụm trưởng, khối trưởng), and the year's scoring and ranking
of the members — the basis on which the bloc votes (suy tôn) the member it
proposes for the Ministry's Cờ thi đua (TT 22/2023/TT-BCT Art. 6; rules.md §3b, §5).

Stream: one per cluster, id ``cluster_id``.

Membership is kept per year: a change takes effect from its ``year`` on, and
changes are recorded in year order (``membership_year_before_last_change``). A
cluster has at least two members (``cluster_needs_members``). A year that is
scored is frozen: no membership change can reach back into it
(``cluster_year_scored``).

Lead: a member of that year (``lead_not_member``). With ``rotate_lead`` (the
default) no unit leads two years running (``lead_not_rotated``);
:func:`next_lead_in_rotation` proposes the next one in membership order.
Re-assigning the same lead is a no-op; assigning another one replaces it.

Scoring: every member of the year gets exactly one score (``member_not_scored``,
``duplicate_score``, ``not_a_member``); a year is scored once
(``cluster_year_scored``; a correction would be a new event type). The ranking
(:func:`rank_members`) is by score, highest first. **Ties:** NĐ 152/2025 Art. 4.6
(rules.md §2) prefers, on equal achievements, collectives with at least 70% women;
we apply it to equal scores, using ``women_share_percent`` when the scoring
gives it — a member without it is treated as not qualifying. Members still equal
share a rank (1, 2, 2, 4) and are listed by unit id. Applying Art. 4.6 to bloc
ranking is our reading, not a quoted rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Protocol

from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.campaigns import (
    ClusterFormed,
    ClusterKind,
    ClusterLeadAssigned,
    ClusterMembershipChanged,
    ClusterScored,
    RankedScore,
)

from kernel.aggregate import fold
from kernel.errors import Conflict, DomainError, NotFound

from .commands import AssignClusterLead, ChangeClusterMembership, FormCluster, ScoreCluster

WOMEN_PREFERENCE_PERCENT = Decimal(70)
"""Collectives with at least this share of women are preferred on ties (NĐ 152/2025 Art. 4.6)."""


@dataclass(frozen=True, slots=True)
class ClusterState:
    """A cluster folded from its events; ``exists`` is false before it is formed."""

    cluster_id: str = ""
    exists: bool = False
    name: str = ""
    kind: ClusterKind | None = None
    from_year: int = 0
    formed_on: date | None = None
    rotate_lead: bool = True
    membership: tuple[tuple[int, tuple[str, ...]], ...] = ()
    """(from year, members) in year order."""
    leads: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    rankings: Mapping[int, tuple[RankedScore, ...]] = field(default_factory=lambda: MappingProxyType({}))
    scored_on: Mapping[int, date] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def replay(cls, events: Iterable[EventPayload]) -> ClusterState:
        return fold(cls(), events)

    def apply(self, event: EventPayload) -> ClusterState:
        if isinstance(event, ClusterFormed):
            return replace(
                self,
                cluster_id=event.cluster_id,
                exists=True,
                name=event.name,
                kind=event.kind,
                from_year=event.from_year,
                formed_on=event.formed_on,
                rotate_lead=event.rotate_lead,
                membership=((event.from_year, tuple(event.members)),),
            )
        if isinstance(event, ClusterMembershipChanged):
            kept = [(y, m) for y, m in self.membership if y != event.year]
            kept.append((event.year, tuple(event.members)))
            return replace(self, membership=tuple(sorted(kept)))
        if isinstance(event, ClusterLeadAssigned):
            leads = dict(self.leads)
            leads[event.year] = event.unit_id
            return replace(self, leads=MappingProxyType(leads))
        if isinstance(event, ClusterScored):
            rankings = dict(self.rankings)
            rankings[event.year] = tuple(event.ranking)
            dates = dict(self.scored_on)
            dates[event.year] = event.scored_on
            return replace(self, rankings=MappingProxyType(rankings), scored_on=MappingProxyType(dates))
        return self

    def members_in(self, year: int) -> tuple[str, ...]:
        """The members in ``year`` (empty before the cluster's first year)."""
        current: tuple[str, ...] = ()
        for since, members in self.membership:
            if since <= year:
                current = members
        return current


def _require_cluster(state: ClusterState, cluster_id: str) -> None:
    if not state.exists:
        raise NotFound("cluster_not_found", f"Cluster {cluster_id!r} does not exist.", cluster_id=cluster_id)


def _require_year(state: ClusterState, year: int) -> None:
    if year < state.from_year:
        raise DomainError(
            "year_before_cluster_formed",
            f"{state.name!r} starts in {state.from_year}; it has no year {year}.",
            year=year,
        )


def _needs_two(members: list[str] | tuple[str, ...]) -> None:
    if len(members) < 2:
        raise DomainError(
            "cluster_needs_members",
            f"A cluster or bloc (cụm, khối thi đua) has at least two members; {len(members)} would remain.",
            members=len(members),
        )


# -- decisions ---------------------------------------------------------------------


def decide_form_cluster(state: ClusterState, cmd: FormCluster) -> list[EventPayload]:
    """Form. Load: the cluster's stream."""
    if state.exists:
        raise Conflict("cluster_exists", f"Cluster {cmd.cluster_id!r} already exists.", cluster_id=cmd.cluster_id)
    repeated = sorted({m for m in cmd.members if cmd.members.count(m) > 1})
    if repeated:
        raise DomainError("duplicate_member", f"Listed twice: {', '.join(repeated)}.", unit_ids=repeated)
    _needs_two(cmd.members)
    return [ClusterFormed(**cmd.model_dump())]


def decide_change_cluster_membership(state: ClusterState, cmd: ChangeClusterMembership) -> list[EventPayload]:
    """Add or remove members from ``cmd.year`` on. Load: the cluster's stream."""
    _require_cluster(state, cmd.cluster_id)
    _require_year(state, cmd.year)
    last_change = state.membership[-1][0]
    if cmd.year < last_change:
        raise DomainError(
            "membership_year_before_last_change",
            f"Membership already changes in {last_change}; record changes in year order.",
            year=cmd.year,
            last_change_year=last_change,
        )
    scored = sorted(y for y in state.rankings if y >= cmd.year)
    if scored:
        raise Conflict(
            "cluster_year_scored",
            f"{cmd.year} or a later year ({scored[0]}) is already scored; its membership is final.",
            year=scored[0],
        )
    add, remove = list(dict.fromkeys(cmd.add)), list(dict.fromkeys(cmd.remove))
    if not add and not remove:
        raise DomainError("nothing_to_change", "Neither units to add nor units to remove.")
    both = sorted(set(add) & set(remove))
    if both:
        raise DomainError("add_and_remove_same_unit", f"Both added and removed: {', '.join(both)}.", unit_ids=both)
    current = state.members_in(cmd.year)
    already = [u for u in add if u in current]
    if already:
        raise Conflict("already_member", f"Already members: {', '.join(already)}.", unit_ids=already)
    strangers = [u for u in remove if u not in current]
    if strangers:
        raise DomainError("not_a_member", f"Not members in {cmd.year}: {', '.join(strangers)}.", unit_ids=strangers)
    leading = [u for u in remove if any(y >= cmd.year and lead == u for y, lead in state.leads.items())]
    if leading:
        raise DomainError(
            "cannot_remove_lead",
            f"{', '.join(leading)} leads the cluster in {cmd.year} or later; assign another lead first.",
            unit_ids=leading,
        )
    members = [u for u in current if u not in remove] + add
    _needs_two(members)
    return [
        ClusterMembershipChanged(
            cluster_id=cmd.cluster_id,
            year=cmd.year,
            added=add,
            removed=remove,
            members=members,
            changed_on=cmd.changed_on,
            reason=cmd.reason,
        )
    ]


def decide_assign_cluster_lead(state: ClusterState, cmd: AssignClusterLead) -> list[EventPayload]:
    """Assign the lead of a year. Load: the cluster's stream."""
    _require_cluster(state, cmd.cluster_id)
    _require_year(state, cmd.year)
    if cmd.unit_id not in state.members_in(cmd.year):
        raise DomainError(
            "lead_not_member",
            f"{cmd.unit_id!r} is not a member of {state.name!r} in {cmd.year}.",
            unit_id=cmd.unit_id,
        )
    previous = state.leads.get(cmd.year)
    if previous == cmd.unit_id:
        return []
    if state.rotate_lead:
        for neighbour in (cmd.year - 1, cmd.year + 1):
            if state.leads.get(neighbour) == cmd.unit_id:
                raise DomainError(
                    "lead_not_rotated",
                    f"{cmd.unit_id!r} leads {state.name!r} in {neighbour}; the lead rotates (luân phiên) every year.",
                    unit_id=cmd.unit_id,
                    year=neighbour,
                )
    return [
        ClusterLeadAssigned(
            cluster_id=cmd.cluster_id,
            year=cmd.year,
            unit_id=cmd.unit_id,
            previous_unit_id=previous,
            assigned_on=cmd.assigned_on,
        )
    ]


def next_lead_in_rotation(state: ClusterState, year: int) -> str | None:
    """The member after last year's lead, in membership order (wrapping round); the
    first member if last year had no lead or it left. None if the year has no members."""
    members = state.members_in(year)
    if not members:
        return None
    previous = state.leads.get(year - 1)
    if previous not in members:
        return members[0]
    return members[(members.index(previous) + 1) % len(members)]


class _Scored(Protocol):
    unit_id: str
    score: Decimal
    women_share_percent: Decimal | None


def _prefers_women(entry: _Scored) -> bool:
    return entry.women_share_percent is not None and entry.women_share_percent >= WOMEN_PREFERENCE_PERCENT


def rank_members(scores: Iterable[_Scored]) -> list[RankedScore]:
    """Rank by score (highest first); on equal scores a collective with ≥70% women
    comes first; members still equal share a rank and are listed by unit id."""
    entries = list(scores)

    def key(entry: _Scored) -> tuple[Decimal, int]:
        return (-entry.score, 0 if _prefers_women(entry) else 1)

    ordered = sorted(entries, key=lambda e: (key(e), e.unit_id))
    ranked = []
    for entry in ordered:
        rank = 1 + sum(1 for other in entries if key(other) < key(entry))
        preferred = _prefers_women(entry) and any(
            other.score == entry.score and not _prefers_women(other) for other in entries
        )
        ranked.append(
            RankedScore(
                rank=rank,
                unit_id=entry.unit_id,
                score=entry.score,
                women_share_percent=entry.women_share_percent,
                women_preferred=preferred,
            )
        )
    return ranked


def decide_score_cluster(state: ClusterState, cmd: ScoreCluster) -> list[EventPayload]:
    """Record the year's scores and their ranking. Load: the cluster's stream."""
    _require_cluster(state, cmd.cluster_id)
    _require_year(state, cmd.year)
    if cmd.year in state.rankings:
        raise Conflict(
            "cluster_year_scored",
            f"{state.name!r} was already scored for {cmd.year} on {state.scored_on[cmd.year]}.",
            year=cmd.year,
        )
    members = state.members_in(cmd.year)
    units = [s.unit_id for s in cmd.scores]
    repeated = sorted({u for u in units if units.count(u) > 1})
    if repeated:
        raise DomainError("duplicate_score", f"Scored twice: {', '.join(repeated)}.", unit_ids=repeated)
    strangers = [u for u in units if u not in members]
    if strangers:
        raise DomainError("not_a_member", f"Not members in {cmd.year}: {', '.join(strangers)}.", unit_ids=strangers)
    missing = [u for u in members if u not in units]
    if missing:
        raise DomainError(
            "member_not_scored",
            f"Every member is scored; missing: {', '.join(missing)}.",
            unit_ids=missing,
        )
    return [
        ClusterScored(
            cluster_id=cmd.cluster_id,
            year=cmd.year,
            scored_on=cmd.scored_on,
            ranking=rank_members(cmd.scores),
        )
    ]
