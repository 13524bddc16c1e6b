"""Command handlers of the awards workflow: load, decide, append, project — one transaction each.

Every handler runs in one transaction:

1. takes the advisory locks the decision needs (below);
2. loads the nomination's stream and its linked streams — proposals
   ``proposal_id_for(nid, 1, 2, …)`` up to the first empty one, then the
   candidates' award streams ``award_id_for(nid, cid)`` — and folds them in
   that order (``services/awards/workflow/README.md``);
3. loads from the service's tables whatever else the ``decide_*`` function
   takes: the engine's facts (:class:`~.facts_loader.FactsLoader`) and
   assessments, the catalogue's procedures, the council as composed on the
   meeting day (:mod:`.councils`), the candidates' title and award history,
   quotas and public holidays;
4. calls the pure ``decide_*`` with ``today``;
5. appends every resulting event with ``store.append_batch``, grouped by
   its own stream (``event.subject()``) at the version read (0 for a new
   award or proposal stream), all or nothing;
6. updates ``held_awards`` (:func:`~.projections.project_history`): a
   conferral records the award *and* marks the initiatives it used as
   evidence (they are its ``initiative_ids``), a revocation marks it
   revoked — in the same transaction, so the next assessment sees them.

A refusal (``DomainError``) rolls everything back: nothing is written.

**Why the locks.** The expected versions protect each stream, but some rules
read state that other streams' writers change:

- *per nomination* (every command on it): a rejection appends to the
  nomination stream and a grant to the award streams only, so without a lock
  a candidate could be rejected and granted at once;
- *per subject* (grant, higher decision, revocation): the one-achievement-
  one-award check and the initiatives still unused read the subject's held
  awards, which another nomination's grant may be writing;
- *per code and year* (grant): a quota counts every award of the code in
  the year, whoever receives it.

Locks are always taken in the order nomination → quota → subjects (sorted),
so two handlers never wait on each other in a cycle. A lost race on a stream
(``ConcurrencyError``) is retried on fresh state.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import NoReturn, TypeVar

import asyncpg
from tdkt_contracts import EventPayload, parse
from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    AwardRevoked,
    HigherDecisionRecorded,
    ProposalForwarded,
    TitleConferred,
)
from tdkt_contracts.vocabulary import RecipientKind

from kernel.aggregate import fold
from kernel.errors import DomainError, NotFound
from kernel.eventstore import ConcurrencyError, EventStore, Metadata, RecordedEvent
from kernel.service import Service

from .councils import council_on, lock_council
from .domain import Assessment, Catalogue, PersonFacts, UnitFacts, assess_many
from .domain.timespan import year_end
from .facts_loader import FactsLoader, OrgChart, PersonBundle
from .projections import project_history
from .workflow import (
    AwardState,
    ClosePublicNotice,
    RecordCommentResult,
    Code,
    ForwardProposal,
    GrantAwards,
    HistoryEntry,
    NominationState,
    OpenPublicNotice,
    ProposalState,
    QuotaLimit,
    RecordCouncilVote,
    RecordHigherDecision,
    RejectCandidates,
    ResubmitCandidate,
    RevokeAward,
    SubmitNomination,
    decide_close_notice,
    decide_comment_result,
    decide_forward,
    decide_grant,
    decide_open_notice,
    decide_record_higher_decision,
    decide_reject,
    decide_resubmit,
    decide_revoke,
    decide_submit,
    decide_vote,
    path_for,
    procedures_for,
    proposal_id_for,
    title_and_award_history,
)
from .workflow.nomination import CandidateState, CandidateStatus
from .workflow.paths import Procedures

T = TypeVar("T")

WORKFLOW_SQL = """
CREATE TABLE IF NOT EXISTS award_quotas (
    award_code text NOT NULL,
    year       integer NOT NULL,
    scope      text NOT NULL,
    unit_id    text,
    max_count  integer NOT NULL CHECK (max_count >= 0),
    label      text NOT NULL,
    PRIMARY KEY (award_code, year, scope)
);
CREATE TABLE IF NOT EXISTS public_holidays (
    day  date PRIMARY KEY,
    name text NOT NULL
);
CREATE INDEX IF NOT EXISTS held_awards_decision ON held_awards (decision_number);
"""
"""The workflow's own reference data: quotas (hạn mức) and public holidays (ngày nghỉ lễ, for working days).

``award_quotas.scope`` is the unit id, or ``'*'`` for the whole Ministry
(a primary key cannot hold a null). Needs :data:`~.projections.HISTORY_SQL`
first (the index on ``held_awards``).
"""

MINISTRY_SCOPE = "*"

UNIT_NOT_FOUND = "unit_not_found"
"""The submitting unit (or a quota's unit) is unknown to the units replica (HTTP 404)."""

VIETNAM = timezone(timedelta(hours=7), "ICT")
"""Indochina Time, no daylight saving: the Ministry's calendar day."""


def business_today() -> date:
    """Today in Việt Nam: an act signed in Hà Nội at 06:00 is dated that day, not the day before (UTC)."""
    return datetime.now(VIETNAM).date()


_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':awards:' || $1, 0))"


def nomination_key(nomination_id: str) -> str:
    """Lock key of a nomination (taken first)."""
    return f"1:nomination:{nomination_id}"


def quota_key(award_code: str, year: int) -> str:
    """Lock key of the quotas of a code and year (taken second)."""
    return f"2:quota:{award_code}:{year}"


def subject_key(recipient_kind: str, subject_id: str) -> str:
    """Lock key of a recipient's held awards (taken last, sorted)."""
    return f"3:subject:{recipient_kind}:{subject_id}"


# =========================================================================== streams


@dataclass(frozen=True)
class Stream:
    """One stream as read: its version and its events as models."""

    stream_id: str
    version: int
    events: list[EventPayload]


async def read_streams(conn: asyncpg.Connection, stream_ids: Iterable[str]) -> dict[str, Stream]:
    """Several streams in one query; absent streams come back empty (version 0)."""
    ids = list(dict.fromkeys(stream_ids))
    rows = await conn.fetch(
        "SELECT stream_id, stream_version, event_type, schema_version, payload FROM events "
        "WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version",
        ids,
    )
    found: dict[str, list[asyncpg.Record]] = {i: [] for i in ids}
    for row in rows:
        found[row["stream_id"]].append(row)
    return {
        sid: Stream(
            sid,
            rs[-1]["stream_version"] if rs else 0,
            [parse(r["event_type"], r["schema_version"], r["payload"]) for r in rs],
        )
        for sid, rs in found.items()
    }


@dataclass(frozen=True)
class NominationFile:
    """A nomination folded with its linked streams, and the version of every stream read."""

    state: NominationState
    proposals: dict[str, ProposalState]
    awards: dict[str, AwardState]
    versions: dict[str, int]

    def with_events(self, events: Sequence[EventPayload]) -> NominationFile:
        """The file after ``events`` were appended (to answer without reading again)."""
        state, proposals, awards = self.state, dict(self.proposals), dict(self.awards)
        for event in events:
            state = state.apply(event)
            sid = event.subject()
            if isinstance(event, ProposalForwarded | HigherDecisionRecorded):
                proposals[sid] = proposals.get(sid, ProposalState.initial(sid)).apply(event)
            elif isinstance(event, AwardGranted | TitleConferred | AwardRevoked):
                awards[sid] = awards.get(sid, AwardState.initial(sid)).apply(event)
        return replace(self, state=state, proposals=proposals, awards=awards)


@dataclass(frozen=True)
class Outcome:
    """What a command did: the events recorded and the nomination (or award) as it now stands."""

    recorded: list[RecordedEvent]
    file: NominationFile | None = None
    award: AwardState | None = None
    proposal: ProposalState | None = None


# =========================================================================== handlers


@dataclass
class WorkflowHandlers:
    """The awards workflow's commands and queries over the service's pool, store, catalogue and facts."""

    service: Service
    catalogue: Catalogue
    loader: FactsLoader
    today: Callable[[], date] = business_today
    attempts: int = 3

    @property
    def pool(self) -> asyncpg.Pool:
        assert self.service.pool is not None, "the service is not started"
        return self.service.pool

    @property
    def store(self) -> EventStore:
        return self.service.store

    # ------------------------------------------------------------------ plumbing

    async def transact(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """Run ``work`` in one transaction, again on fresh state if it lost a race on a stream."""
        for attempt in range(1, self.attempts + 1):
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    return await work(conn)
            except ConcurrencyError:
                if attempt == self.attempts:
                    raise
        raise AssertionError("unreachable")

    async def read(self, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """Run a query in one consistent snapshot (streams and tables seen at the same instant)."""
        async with self.pool.acquire() as conn, conn.transaction(isolation="repeatable_read", readonly=True):
            return await work(conn)

    @staticmethod
    async def lock(conn: asyncpg.Connection, keys: Iterable[str]) -> None:
        """Take these advisory locks in sorted order (the keys' prefixes give the global order)."""
        for key in sorted(set(keys)):
            await conn.execute(_LOCK_SQL, key)

    async def load(self, conn: asyncpg.Connection, nomination_id: str) -> NominationFile:
        """The nomination, then its proposals 1, 2, … (to the first empty one), then its award streams."""
        own = await read_streams(conn, [nomination_id])
        state = NominationState.replay(own[nomination_id].events, nomination_id)
        # Each proposal forwards at least one candidate, and a candidate is forwarded once:
        # there are at most as many proposals as candidates, so one query reads them all.
        proposal_ids = [proposal_id_for(nomination_id, n) for n in range(1, len(state.candidates) + 2)]
        award_ids = state.award_stream_ids()
        linked = await read_streams(conn, [*proposal_ids, *award_ids])
        proposals: dict[str, ProposalState] = {}
        for pid in proposal_ids:
            events = linked[pid].events
            if not events:
                break
            state = fold(state, events)
            proposals[pid] = ProposalState.replay(events, pid)
        awards: dict[str, AwardState] = {}
        for aid in award_ids:
            events = linked[aid].events
            state = fold(state, events)
            if events:
                awards[aid] = AwardState.replay(events, aid)
        versions = {sid: s.version for sid, s in {**own, **linked}.items()}
        return NominationFile(state, proposals, awards, versions)

    async def append(
        self,
        conn: asyncpg.Connection,
        versions: dict[str, int],
        events: Sequence[EventPayload],
        metadata: Metadata,
    ) -> list[RecordedEvent]:
        """Append each event to its own stream at the version read (0 if never read: a new stream)."""
        groups: dict[str, list[EventPayload]] = {}
        for event in events:
            groups.setdefault(event.subject(), []).append(event)
        recorded = await self.store.append_batch(
            conn, [(sid, versions.get(sid, 0), group) for sid, group in groups.items()], metadata
        )
        # Conferrals and revocations reach held_awards (and mark initiatives used) in this transaction.
        await project_history(conn, recorded)
        return recorded

    @staticmethod
    def require_nomination(state: NominationState, nomination_id: str) -> None:
        """NotFound('nomination_not_found') unless the nomination was submitted.

        The decide_* functions refuse the same way; checked first here because
        their inputs (procedures, facts) cannot be loaded for a nomination that
        does not exist.
        """
        if not state.exists:
            raise NotFound(
                Code.NOMINATION_NOT_FOUND, f"Nomination {nomination_id!r} does not exist", nomination_id=nomination_id
            )

    def _procedures(self, state: NominationState) -> Procedures:
        return procedures_for(self.catalogue, state.award_code, state.year)

    # ------------------------------------------------------------------ reference data

    @staticmethod
    async def holidays(conn: asyncpg.Connection) -> frozenset[date]:
        """Every public holiday recorded (a few a year: read them all)."""
        return frozenset(r["day"] for r in await conn.fetch("SELECT day FROM public_holidays"))

    async def quotas(self, conn: asyncpg.Connection, chart: OrgChart, award_code: str, year: int) -> list[QuotaLimit]:
        """The quotas of a code and year, each with what its scope already holds (revoked awards free a place)."""
        rows = await conn.fetch(
            "SELECT unit_id, max_count, label FROM award_quotas WHERE award_code = $1 AND year = $2", award_code, year
        )
        limits = []
        for row in rows:
            scope = frozenset(chart.subtree(row["unit_id"], year_end(year))) if row["unit_id"] else None
            granted = await conn.fetchval(
                "SELECT count(*) FROM held_awards WHERE award_code = $1 AND year = $2 AND revoked_on IS NULL "
                "AND ($3::text[] IS NULL OR unit_id = ANY($3::text[]) OR subject_id = ANY($3::text[]))",
                award_code,
                year,
                sorted(scope) if scope is not None else None,
            )
            limits.append(
                QuotaLimit(award_code, year, row["max_count"], granted, scope, row["label"])
            )
        return limits

    # ------------------------------------------------------------------ facts

    def _subtree(self, chart: OrgChart, unit_id: str, year: int, today: date) -> set[str]:
        """The submitting unit and the units under it, for the achievement year and now.

        A person counts in the unit of the year (resolved through merges on
        that day), so the subtree at the end of the year; and a unit that was
        since merged into the submitting unit's subtree is its own too.
        """
        if unit_id not in chart:
            raise NotFound(
                UNIT_NOT_FOUND,
                f"No unit {unit_id!r} is known to the awards service (đơn vị chưa được ghi nhận)",
                unit_id=unit_id,
            )
        units = set(chart.subtree(unit_id, year_end(year))) | set(chart.subtree(unit_id, today))
        now = set(chart.subtree(unit_id, today))
        units |= {u.unit_id for u in chart.units() if chart.resolve(u.unit_id, today) in now}
        return units

    @staticmethod
    def person_unit(bundle: PersonBundle, year: int, chart: OrgChart) -> str | None:
        """The unit a person counts in for the year; for one no longer on the staff, their last unit."""
        membership = bundle.membership(year, chart)
        if membership is not None:
            return membership.unit_id
        earlier = [p for p in bundle.postings if p.unit_id and p.effective_on <= year_end(year)]
        if not earlier:
            return None
        last = max(earlier, key=lambda p: (p.effective_on, p.seq))
        return chart.resolve(last.unit_id, last.effective_on)  # type: ignore[arg-type]

    async def subject_facts(
        self,
        conn: asyncpg.Connection,
        chart: OrgChart,
        year: int,
        subjects: Sequence[tuple[str, RecipientKind, str]],
    ) -> tuple[dict[str, PersonFacts | UnitFacts], dict[str, str | None]]:
        """For each (candidate id, kind, subject id): the engine's facts and the unit in the replica.

        Subjects unknown to the replica get no facts and unit None (the
        decision refuses them, or, on the foreign path, requires exactly that).
        """
        people_ids = [s for _, k, s in subjects if k is RecipientKind.INDIVIDUAL]
        unit_ids = [s for _, k, s in subjects if k is RecipientKind.COLLECTIVE and s in chart]
        bundles = {b.person_id: b for b in await self.loader.people(conn, people_ids)} if people_ids else {}
        collectives = (
            {f.unit_id: f for f in await self.loader.collective_facts(conn, chart, unit_ids, year)} if unit_ids else {}
        )
        facts: dict[str, PersonFacts | UnitFacts] = {}
        units: dict[str, str | None] = {}
        for cid, kind, subject in subjects:
            if kind is RecipientKind.INDIVIDUAL and subject in bundles:
                facts[cid] = bundles[subject].facts(year, chart)
                units[cid] = self.person_unit(bundles[subject], year, chart)
            elif kind is RecipientKind.COLLECTIVE and subject in collectives:
                facts[cid] = collectives[subject]
                units[cid] = subject
            else:
                units[cid] = None
        return facts, units

    async def assess(
        self, code: str, year: int, facts: dict[str, PersonFacts | UnitFacts], today: date
    ) -> dict[str, Assessment]:
        """The engine on each candidate's facts, as of today (pure CPU work: off the event loop)."""
        if not facts:
            return {}
        ids = list(facts)
        found = await asyncio.to_thread(
            assess_many, self.catalogue, code, year, [facts[i] for i in ids], as_of=today
        )
        return dict(zip(ids, found, strict=True))

    async def history(
        self, conn: asyncpg.Connection, *, subject_ids: Sequence[str] = (), unit_ids: Sequence[str] = ()
    ) -> list[HistoryEntry]:
        """Title and award history of these subjects (and of the people of these units), from the award streams.

        ``held_awards`` finds the streams (indexed by subject); the entries are
        folded from the events themselves, so they carry the signer and the
        revocation as decided.
        """
        rows = await conn.fetch(
            "SELECT award_id FROM held_awards WHERE subject_id = ANY($1::text[]) OR unit_id = ANY($2::text[])",
            list(subject_ids),
            list(unit_ids),
        )
        streams = await read_streams(conn, [r["award_id"] for r in rows])
        return title_and_award_history(e for s in streams.values() for e in s.events)

    async def award_events(self, conn: asyncpg.Connection, award_ids: Sequence[str]) -> list[EventPayload]:
        """Every event of these award streams."""
        streams = await read_streams(conn, award_ids)
        return [e for sid in award_ids for e in streams[sid].events]

    # ------------------------------------------------------------------ nomination commands

    async def submit(self, cmd: SubmitNomination, metadata: Metadata) -> Outcome:
        """Receive a nomination: every candidate is assessed on arrival; the ineligible are returned with reasons."""
        entry = self.catalogue.entry(cmd.award_code)  # NotFound('unknown_award') before anything is read

        async def work(conn: asyncpg.Connection) -> Outcome:
            await self.lock(conn, [nomination_key(cmd.nomination_id)])
            file = await self.load(conn, cmd.nomination_id)
            today = self.today()
            assessments: dict[str, Assessment] = {}
            units: dict[str, str | None] = {}
            subtree: set[str] = set()
            known: set[str] = set()
            if not file.state.exists:  # a second submission is refused by the decision, before any input is read
                chart = await self.loader.chart(conn)
                subtree = self._subtree(chart, cmd.submitting_unit_id, cmd.year, today)
                facts, units = await self.subject_facts(
                    conn, chart, cmd.year, [(n.candidate_id, n.recipient_kind, n.subject_id) for n in cmd.candidates]
                )
                if path_for(cmd.category).external_subject:
                    known = await self.loader.known_subjects(conn, [n.subject_id for n in cmd.candidates])
                if path_for(cmd.category).engine_assessed:
                    # Only the kinds the code is given to: the decision names a wrong kind itself.
                    wanted = {cid: f for cid, f in facts.items() if f.recipient in entry.recipients}
                    assessments = await self.assess(cmd.award_code, cmd.year, wanted, today)
            events = decide_submit(
                file.state,
                cmd,
                entry=entry,
                assessments=assessments,
                candidate_units=units,
                unit_subtree=subtree,
                today=today,
                known_subjects=known,
            )
            recorded = await self.append(conn, file.versions, events, metadata)
            return Outcome(recorded, file.with_events(events))

        return await self.transact(work)

    async def resubmit(self, cmd: ResubmitCandidate, metadata: Metadata) -> Outcome:
        """A returned candidate comes back once its unit fixed the facts: assessed again on today's facts."""

        async def work(conn: asyncpg.Connection) -> Outcome:
            await self.lock(conn, [nomination_key(cmd.nomination_id)])
            file = await self.load(conn, cmd.nomination_id)
            state = file.state
            self.require_nomination(state, cmd.nomination_id)
            today = self.today()
            cand = state.candidate(cmd.candidate_id)
            chart = await self.loader.chart(conn)
            subtree = self._subtree(chart, state.submitting_unit_id, state.year, today)
            assessment: Assessment | None = None
            unit: str | None = None
            if cand is not None:
                c = cand.candidate
                facts, units = await self.subject_facts(
                    conn, chart, state.year, [(c.candidate_id, c.recipient_kind, c.subject_id)]
                )
                unit = units[c.candidate_id]
                assessment = (await self.assess(state.award_code, state.year, facts, today)).get(c.candidate_id)
            if assessment is None:
                # decide_resubmit needs an assessment, and there is none without facts: an unknown
                # candidate, or a foreign recipient (never returned). Refuse as the decision would.
                _not_resubmittable(cmd, cand)
            events = decide_resubmit(
                state, cmd, assessment=assessment, candidate_unit=unit, unit_subtree=subtree, today=today
            )
            recorded = await self.append(conn, file.versions, events, metadata)
            return Outcome(recorded, file.with_events(events))

        return await self.transact(work)

    async def _on_nomination(
        self,
        nomination_id: str,
        metadata: Metadata,
        decide: Callable[[asyncpg.Connection, NominationFile], Awaitable[list[EventPayload]]],
        *,
        require: bool = True,
    ) -> Outcome:
        """A command on one nomination: lock it, fold its file, decide, append; one transaction."""

        async def work(conn: asyncpg.Connection) -> Outcome:
            await self.lock(conn, [nomination_key(nomination_id)])
            file = await self.load(conn, nomination_id)
            if require:
                self.require_nomination(file.state, nomination_id)
            events = await decide(conn, file)
            recorded = await self.append(conn, file.versions, events, metadata)
            return Outcome(recorded, file.with_events(events))

        return await self.transact(work)

    async def open_notice(self, cmd: OpenPublicNotice, metadata: Metadata) -> Outcome:
        """Publish candidates for comment; the notice's length comes from the rule and the holidays."""

        async def decide(conn: asyncpg.Connection, file: NominationFile) -> list[EventPayload]:
            return decide_open_notice(
                file.state, cmd, procedures=self._procedures(file.state), today=self.today(),
                holidays=await self.holidays(conn),
            )

        return await self._on_nomination(cmd.nomination_id, metadata, decide)

    async def close_notice(self, cmd: ClosePublicNotice, metadata: Metadata) -> Outcome:
        """Close the open notice with the comments received."""

        async def decide(_conn: asyncpg.Connection, file: NominationFile) -> list[EventPayload]:
            return decide_close_notice(file.state, cmd, today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide, require=False)

    async def comment_result(self, cmd: RecordCommentResult, metadata: Metadata) -> Outcome:
        """Record the result of verifying a comment received during a notice; it lifts (or keeps) the hold."""

        async def decide(_conn: asyncpg.Connection, file: NominationFile) -> list[EventPayload]:
            return decide_comment_result(file.state, cmd, today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide, require=False)

    async def vote(self, cmd: RecordCouncilVote, metadata: Metadata) -> Outcome:
        """Record the council's vote, counted against its composition on the meeting day."""

        async def work(conn: asyncpg.Connection) -> Outcome:
            await self.lock(conn, [nomination_key(cmd.nomination_id)])
            file = await self.load(conn, cmd.nomination_id)
            self.require_nomination(file.state, cmd.nomination_id)
            await lock_council(conn, cmd.council_id, exclusive=False)
            council = await council_on(conn, cmd.council_id, cmd.voted_on)
            events = decide_vote(
                file.state,
                cmd,
                council=council,
                procedures=self._procedures(file.state),
                today=self.today(),
                holidays=await self.holidays(conn),
            )
            recorded = await self.append(conn, file.versions, events, metadata)
            return Outcome(recorded, file.with_events(events))

        return await self.transact(work)

    async def grant(self, cmd: GrantAwards, metadata: Metadata) -> Outcome:
        """The Minister (or a unit head) grants: the award events, held_awards and the initiatives used."""

        async def work(conn: asyncpg.Connection) -> Outcome:
            await self.lock(conn, [nomination_key(cmd.nomination_id)])
            file = await self.load(conn, cmd.nomination_id)
            state = file.state
            self.require_nomination(state, cmd.nomination_id)
            chosen = [c for cid in cmd.candidate_ids if (c := state.candidate(cid)) is not None]
            await self.lock(
                conn,
                [
                    quota_key(state.award_code, state.year),
                    *(subject_key(c.candidate.recipient_kind.value, c.candidate.subject_id) for c in chosen),
                ],
            )
            today = self.today()
            chart = await self.loader.chart(conn)
            subjects = [c.candidate.subject_id for c in chosen]
            current: dict[str, Assessment] | None = None
            if state.path.engine_assessed:
                # Re-run today, under the subjects' locks: a hold opened since the submission, or an
                # initiative another award has used meanwhile, stops the grant (no_longer_eligible).
                open_ones = [c for c in chosen if c.status is CandidateStatus.ELIGIBLE]
                facts, _ = await self.subject_facts(
                    conn,
                    chart,
                    state.year,
                    [(c.candidate_id, c.candidate.recipient_kind, c.candidate.subject_id) for c in open_ones],
                )
                current = await self.assess(state.award_code, state.year, facts, today)
            events = decide_grant(
                state,
                cmd,
                procedures=self._procedures(state),
                held_awards=await self.history(conn, subject_ids=subjects),
                today=today,
                quotas=await self.quotas(conn, chart, state.award_code, state.year),
                current_assessments=current,
                holidays=await self.holidays(conn),
            )
            recorded = await self.append(conn, file.versions, events, metadata)
            return Outcome(recorded, file.with_events(events))

        return await self.transact(work)

    async def reject(self, cmd: RejectCandidates, metadata: Metadata) -> Outcome:
        """The decider declines candidates (không khen thưởng), with the reason."""

        async def decide(_conn: asyncpg.Connection, file: NominationFile) -> list[EventPayload]:
            return decide_reject(file.state, cmd, procedures=self._procedures(file.state), today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide)

    async def forward(self, cmd: ForwardProposal, metadata: Metadata) -> Outcome:
        """Forward candidates to the competent authority (trình): a new proposal stream."""

        async def work(conn: asyncpg.Connection) -> Outcome:
            await self.lock(conn, [nomination_key(cmd.nomination_id)])
            file = await self.load(conn, cmd.nomination_id)
            self.require_nomination(file.state, cmd.nomination_id)
            events = decide_forward(
                file.state,
                cmd,
                procedures=self._procedures(file.state),
                today=self.today(),
                holidays=await self.holidays(conn),
            )
            recorded = await self.append(conn, file.versions, events, metadata)
            after = file.with_events(events)
            return Outcome(recorded, after, proposal=after.proposals.get(events[0].subject()))

        return await self.transact(work)

    async def record_higher_decision(self, cmd: RecordHigherDecision, metadata: Metadata) -> Outcome:
        """The Prime Minister's, the President's or another ministry's decision came back: record its awards."""

        async def work(conn: asyncpg.Connection) -> Outcome:
            # The proposal names its nomination; read it first to know which lock to take, then again under it.
            head = (await read_streams(conn, [cmd.proposal_id]))[cmd.proposal_id]
            proposal = ProposalState.replay(head.events, cmd.proposal_id)
            if not proposal.exists:
                decide_record_higher_decision(proposal, cmd, today=self.today())  # raises proposal_not_found
            await self.lock(conn, [nomination_key(proposal.nomination_id)])
            file = await self.load(conn, proposal.nomination_id)
            proposal = file.proposals.get(cmd.proposal_id, proposal)
            await self.lock(conn, [subject_key(r.recipient_kind.value, r.subject_id) for r in proposal.recipients])
            procedures = self._procedures(file.state) if file.state.exists else None
            events = decide_record_higher_decision(
                proposal, cmd, today=self.today(), nomination=file.state, procedures=procedures
            )
            # The versions read under the lock win over the first, unlocked read.
            recorded = await self.append(conn, {cmd.proposal_id: head.version, **file.versions}, events, metadata)
            after = file.with_events(events)
            return Outcome(recorded, after, proposal=after.proposals.get(cmd.proposal_id))

        return await self.transact(work)

    async def revoke(self, cmd: RevokeAward, metadata: Metadata) -> Outcome:
        """Revoke a conferred title or award: it stays in the history, marked revoked, and counts no more."""

        async def work(conn: asyncpg.Connection) -> Outcome:
            stream = (await read_streams(conn, [cmd.award_id]))[cmd.award_id]
            award = AwardState.replay(stream.events, cmd.award_id)
            if award.exists and award.recipient is not None:
                await self.lock(conn, [subject_key(award.recipient.recipient_kind.value, award.recipient.subject_id)])
                stream = (await read_streams(conn, [cmd.award_id]))[cmd.award_id]
                award = AwardState.replay(stream.events, cmd.award_id)
            events = decide_revoke(award, cmd, today=self.today())
            recorded = await self.append(conn, {cmd.award_id: stream.version}, events, metadata)
            for event in events:
                award = award.apply(event)
            return Outcome(recorded, award=award)

        return await self.transact(work)

    # ------------------------------------------------------------------ reference data commands

    async def set_holidays(self, year: int, days: Sequence[tuple[date, str]]) -> None:
        """Replace the public holidays of a year (Tết and the Government's yearly days off)."""

        async def work(conn: asyncpg.Connection) -> None:
            await conn.execute(
                "DELETE FROM public_holidays WHERE day BETWEEN $1 AND $2", date(year, 1, 1), date(year, 12, 31)
            )
            await conn.executemany("INSERT INTO public_holidays (day, name) VALUES ($1, $2)", list(days))

        await self.transact(work)

    async def set_quota(self, award_code: str, year: int, unit_id: str | None, max_count: int, label: str) -> None:
        """Record (or replace) a quota; taken under the quota's lock so no grant counts half of it."""
        self.catalogue.entry(award_code)  # NotFound('unknown_award')

        async def work(conn: asyncpg.Connection) -> None:
            if unit_id is not None and unit_id not in await self.loader.chart(conn):
                raise NotFound(UNIT_NOT_FOUND, f"No unit {unit_id!r} is known to the awards service", unit_id=unit_id)
            await self.lock(conn, [quota_key(award_code, year)])
            await conn.execute(
                "INSERT INTO award_quotas (award_code, year, scope, unit_id, max_count, label) "
                "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (award_code, year, scope) DO UPDATE SET "
                "max_count = excluded.max_count, label = excluded.label",
                award_code, year, unit_id or MINISTRY_SCOPE, unit_id, max_count, label,
            )

        await self.transact(work)


def _not_resubmittable(cmd: ResubmitCandidate, cand: CandidateState | None) -> NoReturn:
    """The refusal of a resubmission that cannot be assessed (same codes as :func:`decide_resubmit`)."""
    if cand is None:
        raise NotFound(
            Code.UNKNOWN_CANDIDATE,
            f"Candidate {cmd.candidate_id!r} is not in nomination {cmd.nomination_id!r}",
            nomination_id=cmd.nomination_id,
            candidate_id=cmd.candidate_id,
        )
    if cand.status is not CandidateStatus.RETURNED:
        raise DomainError(
            Code.CANDIDATE_NOT_RETURNED,
            f"{cand.candidate.display_name} ({cand.candidate_id}) was not returned; "
            "only a returned candidate is resubmitted",
            candidate_id=cand.candidate_id,
            status=cand.status.value,
        )
    raise NotFound(
        Code.SUBJECT_NOT_FOUND,
        f"{cand.candidate.subject_id!r} (candidate {cand.candidate_id!r}) is not known to the units context",
        candidate_id=cand.candidate_id,
        subject_id=cand.candidate.subject_id,
    )


__all__ = [
    "MINISTRY_SCOPE",
    "UNIT_NOT_FOUND",
    "VIETNAM",
    "WORKFLOW_SQL",
    "NominationFile",
    "Outcome",
    "Stream",
    "WorkflowHandlers",
    "business_today",
    "nomination_key",
    "quota_key",
    "read_streams",
    "subject_key",
]
