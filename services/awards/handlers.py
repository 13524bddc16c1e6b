"""Command handlers of the awards service: load, decide, append, project — one transaction each.

Every command of the service runs here — the workflow's (nominations …
revocations), the file facts (service years, attestations, awards decided
elsewhere), the reference data (holidays, quotas, the council's
compositions) — and so do the reads that fold streams (a nomination's file,
a history, a decision's documents, a proposal's tờ trình). The routes (:mod:`.api`) only parse and
answer; the SQL is in :mod:`.projections`.

Every command runs in the kernel's unit of work (:mod:`kernel.unit_of_work`:
one transaction, retried on fresh state after a lost race), and each is a
declaration of what it locks and loads and which ``decide_*`` it calls. A
command on a nomination:

1. takes the advisory locks the decision needs (below);
2. loads the nomination's stream and its linked streams — proposals
   ``proposal_id_for(nid, 1, 2, …)`` up to the first empty one, then the
   candidates' award streams ``award_id_for(nid, cid)`` — and folds them in
   that order (:class:`~.workflow.file.NominationFile`);
3. loads from the service's tables whatever else the ``decide_*`` function
   takes: the engine's facts (:class:`~.projections.facts.FactsLoader`) and
   assessments, the catalogue's procedures, the council as composed on the
   meeting day (:func:`~.projections.reference.council_on`), the candidates' title and award history,
   quotas and public holidays;
4. calls the pure ``decide_*`` with ``today``;
5. appends every resulting event (``uow.append``: grouped by its own
   stream, ``event.subject()``, at the version read — 0 for a new award or
   proposal stream — all or nothing);
6. which updates ``held_awards`` (:func:`~.projections.project_history`): a
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
  the year, whoever receives it;
- *per council* (vote shared, recomposition exclusive): a vote never counts
  against a composition being replaced in the same instant;
- *per round* (submission shared, scheduling exclusive): a dossier is never
  checked against a deadline being moved.

Locks are always taken in the order nomination → quota, council or round → subjects
(sorted: the keys' prefixes give the order), so two handlers never wait on
each other in a cycle. Reads that fold streams run the same way on a
read-only snapshot (:meth:`AwardsHandlers.look`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import IO, TypeVar, get_args

import asyncpg
from tdkt_contracts import EventPayload
from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    Category,
    LateRule,
    NominationFlaggedLate,
    Recipient,
    TitleConferred,
)
from tdkt_contracts.vocabulary import Authority, RecipientKind

from kernel.clock import business_today
from kernel.collation import by_given_name
from kernel.errors import DomainError, Forbidden, NotFound
from kernel.limits import distinct_capped
from kernel.eventstore import Metadata, RecordedEvent
from kernel.service import Service
from kernel.unit_of_work import Transactions, UnitOfWork

from .domain import AnyFacts, Assessment, Catalogue, assess_many
from .domain.bundles import OrgChart, PersonBundle
from .domain.timespan import year_end
from .projections import dossier, history, project, reference
from .projections.facts import FactsLoader
from .workflow import (
    MINISTRY,
    AwardState,
    ClosePublicNotice,
    Code,
    DecisionDocument,
    ForwardProposal,
    GrantAwards,
    HistoryEntry,
    NominationFile,
    NominationState,
    OpenPublicNotice,
    ProposalState,
    QuotaLimit,
    RecipientDetails,
    RecordAttestation,
    RecordCommentResult,
    RecordCouncilVote,
    RecordHigherDecision,
    RecordPriorAward,
    RecordSupplements,
    RejectCandidates,
    ResubmitCandidate,
    RevokeAward,
    SetCouncil,
    SubmitNomination,
    attestation_keys,
    check_attestation_key,
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
    decide_record_prior,
    decide_vote,
    decision_from_awards,
    decision_from_nomination,
    honorific,
    linked_stream_ids,
    path_for,
    prior_award_id,
    procedures_for,
    title_and_award_history,
    unit_issuer,
)
from .workflow.commands import MAX_CANDIDATES, ReturnCandidate
from .workflow.decision_ref import ref_or_none
from .workflow.household import household_facts
from .workflow.person_category import with_person_categories
from .workflow.submission import SubmissionDocument, submission_from_proposal
from .workflow.dossier import (
    AttachFile,
    DocumentCorrupted,
    DossierLimits,
    DossierState,
    StoredVersion,
    decide_assign,
    decide_attach,
    decide_override,
    dossier_id_for,
)
from .workflow.deadlines import (
    LawDeadline,
    Round,
    UpwardDeadline,
    decide_schedule_round,
    decide_submission_deadline,
    late_flag,
    load_law_deadlines,
    round_id_for,
    upward_deadlines,
)
from .workflow.dossier_requirements import Completeness, Requirement, completeness, load_requirements, require_complete
from .workflow.nomination import CandidateStatus
from .workflow.nomination_steps import decide_return
from .workflow.procedure import UnitShares, share_quota_bases
from .workflow.paths import Procedures, not_after
from .workflow.returns import (
    ResubmitDossier,
    ReturnDossier,
    decide_resubmit_dossier,
    decide_return_dossier,
    returned_candidates,
)

T = TypeVar("T")

UNIT_NOT_FOUND = "unit_not_found"
"""The submitting unit (or a quota's unit) is unknown to the units replica (HTTP 404)."""

NOT_MINISTRY_DECISION = "not_ministry_decision"
DECISION_AMBIGUOUS = "decision_ambiguous"
NOTHING_TO_DECIDE = "nothing_to_decide"

def nomination_key(nomination_id: str) -> str:
    """Lock key of a nomination (taken first)."""
    return f"1:nomination:{nomination_id}"


def quota_key(award_code: str, year: int) -> str:
    """Lock key of the quotas of a code and year (taken second)."""
    return f"2:quota:{award_code}:{year}"


def council_key(council_id: str) -> str:
    """Lock key of a council's compositions (taken second: a vote holds it shared, a recomposition exclusively)."""
    return f"2:council:{council_id}"


def round_key(round_id: str) -> str:
    """Lock key of a nomination round's dates (taken second: a submission holds it shared, a rescheduling
    exclusively, so a dossier is never checked against a deadline being moved)."""
    return f"2:round:{round_id}"


def subject_key(recipient_kind: str, subject_id: str) -> str:
    """Lock key of a recipient's held awards (taken last, sorted)."""
    return f"3:subject:{recipient_kind}:{subject_id}"


@dataclass(frozen=True)
class Handled:
    """What a command did: the events recorded and the nomination (or award) as it now stands."""

    recorded: list[RecordedEvent]
    file: NominationFile | None = None
    award: AwardState | None = None
    proposal: ProposalState | None = None


# =========================================================================== handlers


@dataclass
class AwardsHandlers:
    """The awards service's commands and queries over its pool, store, catalogue and facts."""

    service: Service
    catalogue: Catalogue
    loader: FactsLoader
    today: Callable[[], date] = business_today
    attempts: int = 3
    dossier_limits: DossierLimits = DossierLimits(max_file_bytes=20 * 2**20, max_dossier_bytes=100 * 2**20)
    files_required_from: date = date(2026, 1, 1)
    """Dossiers received from this day on are electronic: their files are required before the notice and the
    council. Those received before were paper files: what they lack is reported, never enforced."""
    requirements: tuple[Requirement, ...] = field(init=False)
    """The dossier's requirements, from the catalogue's one table (``_dossier_requirements.yaml``)."""
    law_deadlines: tuple[LawDeadline, ...] = field(default_factory=load_law_deadlines)
    attestation_keys: frozenset[str] = field(init=False)
    """Every finding some criterion of the catalogue reads (fixed with the catalogue)."""
    transactions: Transactions = field(init=False)
    """The kernel's unit of work: one transaction with retry; appends projected onto held_awards in it."""

    def __post_init__(self) -> None:
        self.attestation_keys = attestation_keys(self.catalogue)
        self.requirements = load_requirements(self.catalogue)
        # Conferrals and revocations reach held_awards (and mark initiatives used) in the command's transaction.
        self.transactions = Transactions(
            self.service.running_pool, self.service.store, project=project, attempts=self.attempts
        )

    # ------------------------------------------------------------------ plumbing

    async def read(self, query: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
        """Run a query in one consistent snapshot (tables seen at the same instant)."""
        return await self.transactions.read(query)

    async def look(self, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
        """Run a read that folds streams on one consistent, read-only snapshot (through a unit of work)."""
        return await self.transactions.snapshot(work, Metadata())

    async def load(self, uow: UnitOfWork, nomination_id: str) -> NominationFile:
        """The nomination and its linked streams, folded in the file's order (:mod:`.workflow.file`)."""
        own = (await uow.streams([nomination_id]))[nomination_id].events
        linked = await uow.streams(linked_stream_ids(NominationState.replay(own, nomination_id)))
        return NominationFile.fold(nomination_id, own, {sid: s.events for sid, s in linked.items()})

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
        return procedures_for(self.catalogue, state.award_code, state.year, state.submitted_on)

    # ------------------------------------------------------------------ reference data

    async def quotas(self, conn: asyncpg.Connection, chart: OrgChart, award_code: str, year: int) -> list[QuotaLimit]:
        """The quotas of a code and year, each with what its scope already holds (revoked awards free a place)."""
        limits = []
        for quota in await reference.quotas(conn, award_code, year):
            scope = frozenset(chart.subtree(quota.unit_id, year_end(year))) if quota.unit_id else None
            granted = await history.granted_count(conn, award_code, year, sorted(scope) if scope is not None else None)
            limits.append(QuotaLimit(award_code, year, quota.max_count, granted, scope, quota.label))
        return limits

    async def unit_shares(
        self, conn: asyncpg.Connection, chart: OrgChart, state: NominationState, bases: Sequence[str]
    ) -> UnitShares:
        """What a share quota counts (e.g. CSTĐ cơ sở: the unit's LĐTT of the year), in the submitting unit and
        the units under it at the end of the year, read in the command's transaction (revoked awards free a place)."""
        scope = sorted(chart.subtree(state.submitting_unit_id, year_end(state.year)))
        return UnitShares(
            unit_ids=frozenset(scope),
            already_granted=await history.granted_count(conn, state.award_code, state.year, scope),
            holders={code: await history.granted_count(conn, code, state.year, scope) for code in bases},
        )

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
    ) -> tuple[dict[str, AnyFacts], dict[str, str | None]]:
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
        facts: dict[str, AnyFacts] = {}
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
        self, code: str, year: int, facts: dict[str, AnyFacts], today: date,
        filed_on: date | None = None,
    ) -> dict[str, Assessment]:
        """The engine on each candidate's facts, as of today, for a file filed on ``filed_on`` (the rule set is
        the filing day's where the transitional provisions say so, issue #19.13); pure CPU work: off the loop."""
        if not facts:
            return {}
        ids = list(facts)
        found = await asyncio.to_thread(
            assess_many, self.catalogue, code, year, [facts[i] for i in ids], as_of=today, filed_on=filed_on
        )
        return dict(zip(ids, found, strict=True))

    async def history(
        self, uow: UnitOfWork, *, subject_ids: Sequence[str] = (), unit_ids: Sequence[str] = ()
    ) -> list[HistoryEntry]:
        """Title and award history of these subjects (and of the people of these units), from the award streams.

        ``held_awards`` finds the streams (indexed by subject); the entries are
        folded from the events themselves, so they carry the signer and the
        revocation as decided.
        """
        award_ids = await history.award_ids_of(uow.conn, subject_ids=subject_ids, unit_ids=unit_ids)
        streams = await uow.streams(award_ids)
        return title_and_award_history(e for s in streams.values() for e in s.events)

    async def award_events(self, uow: UnitOfWork, award_ids: Sequence[str]) -> list[EventPayload]:
        """Every event of these award streams."""
        streams = await uow.streams(award_ids)
        return [e for sid in award_ids for e in streams[sid].events]

    # ------------------------------------------------------------------ nomination commands

    async def submit(self, cmd: SubmitNomination, metadata: Metadata) -> Handled:
        """Receive a nomination: every candidate is assessed on arrival; the ineligible are returned with reasons."""
        entry = self.catalogue.entry(cmd.award_code)  # NotFound('unknown_award') before anything is read

        async def work(uow: UnitOfWork) -> Handled:
            await uow.lock(nomination_key(cmd.nomination_id))
            file = await self.load(uow, cmd.nomination_id)
            today = self.today()
            assessments: dict[str, Assessment] = {}
            units: dict[str, str | None] = {}
            subtree: set[str] = set()
            known: set[str] = set()
            if not file.state.exists:  # a second submission is refused by the decision, before any input is read
                chart = await self.loader.chart(uow.conn)
                subtree = self._subtree(chart, cmd.submitting_unit_id, cmd.year, today)
                facts, units = await self.subject_facts(
                    uow.conn, chart, cmd.year, [(n.candidate_id, n.recipient_kind, n.subject_id) for n in cmd.candidates]
                )
                households = {n.candidate_id: found for n in cmd.candidates
                              if (found := household_facts(n, cmd.submitting_unit_id)) is not None}
                facts.update(households)
                if path_for(cmd.category).external_subject or households:
                    known = await self.loader.known_subjects(uow.conn, [n.subject_id for n in cmd.candidates])
                if path_for(cmd.category).engine_assessed:
                    # Only the kinds the code is given to: the decision names a wrong kind itself.
                    wanted = {cid: f for cid, f in facts.items() if f.recipient in entry.recipients}
                    assessments = await self.assess(cmd.award_code, cmd.year, wanted, today, cmd.submitted_on)
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
            rid = round_id_for(cmd.year, cmd.category)
            await uow.lock(round_key(rid), shared=True)
            found = Round.replay((await uow.stream(rid)).events)
            events += decide_submission_deadline(found, cmd.nomination_id, cmd.submitted_on)
            recorded = await uow.append(events)
            return Handled(recorded, file.with_events(events))

        return await self.transactions.run(work, metadata)

    async def resubmit(self, cmd: ResubmitCandidate, metadata: Metadata, *, officer_unit: str | None = None) -> Handled:
        """A returned candidate comes back once its unit fixed the facts: assessed again on today's facts.

        A unit officer (``officer_unit``) resubmits only for a nomination of their unit or one under it.
        """

        async def work(uow: UnitOfWork) -> Handled:
            await uow.lock(nomination_key(cmd.nomination_id))
            file = await self.load(uow, cmd.nomination_id)
            state = file.state
            self.require_nomination(state, cmd.nomination_id)
            today = self.today()
            cand = state.candidate(cmd.candidate_id)
            chart = await self.loader.chart(uow.conn)
            self.require_own(chart, state, officer_unit)
            subtree = self._subtree(chart, state.submitting_unit_id, state.year, today)
            assessment: Assessment | None = None
            unit: str | None = None
            if cand is not None:
                c = cand.candidate
                facts, units = await self.subject_facts(
                    uow.conn, chart, state.year, [(c.candidate_id, c.recipient_kind, c.subject_id)]
                )
                unit = units[c.candidate_id]
                assessment = (
                    await self.assess(state.award_code, state.year, facts, today, state.submitted_on)
                ).get(c.candidate_id)
            events = decide_resubmit(
                state, cmd, assessment=assessment, candidate_unit=unit, unit_subtree=subtree, today=today
            )
            recorded = await uow.append(events)
            return Handled(recorded, file.with_events(events))

        return await self.transactions.run(work, metadata)

    async def _on_nomination(
        self,
        nomination_id: str,
        metadata: Metadata,
        decide: Callable[[UnitOfWork, NominationFile], Awaitable[list[EventPayload]]],
        *,
        require: bool = True,
    ) -> Handled:
        """A command on one nomination: lock it, fold its file, decide, append; one transaction."""

        async def work(uow: UnitOfWork) -> Handled:
            await uow.lock(nomination_key(nomination_id))
            file = await self.load(uow, nomination_id)
            if require:
                self.require_nomination(file.state, nomination_id)
            events = await decide(uow, file)
            recorded = await uow.append(events)
            return Handled(recorded, file.with_events(events))

        return await self.transactions.run(work, metadata)

    async def return_candidate(self, cmd: ReturnCandidate, metadata: Metadata) -> Handled:
        """The office returns a candidate to its unit with a reason (trả lại hồ sơ)."""

        async def decide(_uow: UnitOfWork, file: NominationFile) -> list[EventPayload]:
            return decide_return(file.state, cmd, today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide)

    async def return_dossier(self, cmd: ReturnDossier, metadata: Metadata) -> Handled:
        """The office returns the whole nomination to its unit with a reason: every candidate, one event each."""

        async def decide(_uow: UnitOfWork, file: NominationFile) -> list[EventPayload]:
            return decide_return_dossier(file.state, cmd, today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide)

    async def resubmit_dossier(self, cmd: ResubmitDossier, metadata: Metadata, *, officer_unit: str | None) -> Handled:
        """The unit (its officer: own units only) or the office brings every returned candidate back, each
        assessed again on today's facts."""

        async def decide(uow: UnitOfWork, file: NominationFile) -> list[EventPayload]:
            state = file.state
            chart = await self.loader.chart(uow.conn)
            self.require_own(chart, state, officer_unit)
            today = self.today()
            wanted = [c.candidate for cid in returned_candidates(state) if (c := state.candidate(cid)) is not None]
            facts, units = await self.subject_facts(
                uow.conn, chart, state.year, [(c.candidate_id, c.recipient_kind, c.subject_id) for c in wanted]
            )
            assessments = await self.assess(state.award_code, state.year, facts, today)
            return decide_resubmit_dossier(
                state, cmd, assessments=assessments, candidate_units=units,
                unit_subtree=self._subtree(chart, state.submitting_unit_id, state.year, today), today=today,
            )

        return await self._on_nomination(cmd.nomination_id, metadata, decide)

    async def open_notice(self, cmd: OpenPublicNotice, metadata: Metadata) -> Handled:
        """Publish candidates for comment; the notice's length comes from the rule and the holidays."""

        async def decide(uow: UnitOfWork, file: NominationFile) -> list[EventPayload]:
            await self.require_complete(uow, file.state, "the public notice (công khai)")
            return decide_open_notice(
                file.state, cmd, procedures=self._procedures(file.state), today=self.today(),
                holidays=await reference.all_holidays(uow.conn),
            )

        return await self._on_nomination(cmd.nomination_id, metadata, decide)

    async def close_notice(self, cmd: ClosePublicNotice, metadata: Metadata) -> Handled:
        """Close the open notice with the comments received."""

        async def decide(_uow: UnitOfWork, file: NominationFile) -> list[EventPayload]:
            return decide_close_notice(file.state, cmd, today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide, require=False)

    async def comment_result(self, cmd: RecordCommentResult, metadata: Metadata) -> Handled:
        """Record the result of verifying a comment received during a notice; it lifts (or keeps) the hold."""

        async def decide(_uow: UnitOfWork, file: NominationFile) -> list[EventPayload]:
            return decide_comment_result(file.state, cmd, today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide, require=False)

    async def vote(self, cmd: RecordCouncilVote, metadata: Metadata) -> Handled:
        """Record the council's vote, counted against its composition on the meeting day."""

        async def work(uow: UnitOfWork) -> Handled:
            await uow.lock(nomination_key(cmd.nomination_id))
            file = await self.load(uow, cmd.nomination_id)
            self.require_nomination(file.state, cmd.nomination_id)
            await self.require_complete(uow, file.state, "the council (Hội đồng)")
            await uow.lock(council_key(cmd.council_id), shared=True)
            council = await reference.council_on(uow.conn, cmd.council_id, cmd.voted_on)
            events = decide_vote(
                file.state,
                cmd,
                council=council,
                procedures=self._procedures(file.state),
                law=self.catalogue,
                today=self.today(),
                holidays=await reference.all_holidays(uow.conn),
            )
            recorded = await uow.append(events)
            return Handled(recorded, file.with_events(events))

        return await self.transactions.run(work, metadata)

    async def grant(self, cmd: GrantAwards, metadata: Metadata) -> Handled:
        """The Minister (or a unit head) grants: the award events, held_awards and the initiatives used."""

        async def work(uow: UnitOfWork) -> Handled:
            await uow.lock(nomination_key(cmd.nomination_id))
            file = await self.load(uow, cmd.nomination_id)
            state = file.state
            self.require_nomination(state, cmd.nomination_id)
            chosen = [c for cid in cmd.candidate_ids if (c := state.candidate(cid)) is not None]
            bases = share_quota_bases(self.catalogue, state, chosen)
            await uow.lock(
                quota_key(state.award_code, state.year),
                *(quota_key(code, state.year) for code in bases),
                *(subject_key(c.candidate.recipient_kind.value, c.candidate.subject_id) for c in chosen),
            )
            today = self.today()
            chart = await self.loader.chart(uow.conn)
            subjects = [c.candidate.subject_id for c in chosen]
            current: dict[str, Assessment] | None = None
            if state.path.engine_assessed:
                # Re-run today, under the subjects' locks: a hold opened since the submission, or an
                # initiative another award has used meanwhile, stops the grant (no_longer_eligible).
                open_ones = [c for c in chosen if c.status is CandidateStatus.ELIGIBLE]
                facts, _ = await self.subject_facts(
                    uow.conn,
                    chart,
                    state.year,
                    [(c.candidate_id, c.candidate.recipient_kind, c.candidate.subject_id) for c in open_ones],
                )
                current = await self.assess(state.award_code, state.year, facts, today, state.submitted_on)
            events = decide_grant(
                state,
                cmd,
                procedures=self._procedures(state),
                law=self.catalogue,
                held_awards=await self.history(uow, subject_ids=subjects),
                today=today,
                quotas=await self.quotas(uow.conn, chart, state.award_code, state.year),
                shares=await self.unit_shares(uow.conn, chart, state, bases) if bases else None,
                current_assessments=current,
                holidays=await reference.all_holidays(uow.conn),
            )
            # Forms 0602/0603 count people by their post on the decision's day (person_category).
            events = with_person_categories(events, await self.loader.people(uow.conn, subjects), chart)
            recorded = await uow.append(events)
            return Handled(recorded, file.with_events(events))

        return await self.transactions.run(work, metadata)

    async def reject(self, cmd: RejectCandidates, metadata: Metadata) -> Handled:
        """The decider declines candidates (không khen thưởng), with the reason."""

        async def decide(_uow: UnitOfWork, file: NominationFile) -> list[EventPayload]:
            return decide_reject(file.state, cmd, procedures=self._procedures(file.state), today=self.today())

        return await self._on_nomination(cmd.nomination_id, metadata, decide)

    async def forward(self, cmd: ForwardProposal, metadata: Metadata) -> Handled:
        """Forward candidates to the competent authority (trình): a new proposal stream."""

        async def work(uow: UnitOfWork) -> Handled:
            await uow.lock(nomination_key(cmd.nomination_id))
            file = await self.load(uow, cmd.nomination_id)
            self.require_nomination(file.state, cmd.nomination_id)
            events = decide_forward(
                file.state,
                cmd,
                procedures=self._procedures(file.state),
                today=self.today(),
                holidays=await reference.all_holidays(uow.conn),
            )
            recorded = await uow.append(events)
            after = file.with_events(events)
            return Handled(recorded, after, proposal=after.proposals.get(events[0].subject()))

        return await self.transactions.run(work, metadata)

    async def record_higher_decision(self, cmd: RecordHigherDecision, metadata: Metadata) -> Handled:
        """The Prime Minister's, the President's or another ministry's decision came back: record its awards."""

        async def work(uow: UnitOfWork) -> Handled:
            # The proposal names its nomination; read it first to know which lock to take, then again under it.
            head = (await uow.streams([cmd.proposal_id]))[cmd.proposal_id]
            proposal = ProposalState.replay(head.events, cmd.proposal_id)
            if not proposal.exists:
                decide_record_higher_decision(proposal, cmd, today=self.today())  # raises proposal_not_found
            await uow.lock(nomination_key(proposal.nomination_id))
            file = await self.load(uow, proposal.nomination_id)
            proposal = file.proposals.get(cmd.proposal_id, proposal)
            await uow.lock(*(subject_key(r.recipient_kind.value, r.subject_id) for r in proposal.recipients))
            procedures = self._procedures(file.state) if file.state.exists else None
            events = decide_record_higher_decision(
                proposal, cmd, today=self.today(), nomination=file.state, procedures=procedures
            )
            people = await self.loader.people(uow.conn, [r.subject_id for r in proposal.recipients])
            events = with_person_categories(events, people, await self.loader.chart(uow.conn))
            # The versions read under the lock win over the first, unlocked read.
            recorded = await uow.append(events)
            after = file.with_events(events)
            return Handled(recorded, after, proposal=after.proposals.get(cmd.proposal_id))

        return await self.transactions.run(work, metadata)

    async def revoke(self, cmd: RevokeAward, metadata: Metadata) -> Handled:
        """Revoke a conferred title or award: it stays in the history, marked revoked, and counts no more."""

        async def work(uow: UnitOfWork) -> Handled:
            stream = (await uow.streams([cmd.award_id]))[cmd.award_id]
            award = AwardState.replay(stream.events, cmd.award_id)
            if award.exists and award.recipient is not None:
                await uow.lock(subject_key(award.recipient.recipient_kind.value, award.recipient.subject_id))
                stream = (await uow.streams([cmd.award_id]))[cmd.award_id]
                award = AwardState.replay(stream.events, cmd.award_id)
            events = decide_revoke(award, cmd, today=self.today())
            recorded = await uow.append(events)
            for event in events:
                award = award.apply(event)
            return Handled(recorded, award=award)

        return await self.transactions.run(work, metadata)

    # ------------------------------------------------------------------ reference data commands

    async def set_holidays(self, year: int, days: Sequence[tuple[date, str]], metadata: Metadata) -> None:
        """Replace the public holidays of a year (Tết and the Government's yearly days off)."""
        outside = [d.isoformat() for d, _ in days if d.year != year]
        if outside:
            raise DomainError("holiday_outside_year", f"Days not in {year}: {', '.join(outside)}", days=outside)
        await self.transactions.run(lambda uow: reference.replace_holidays(uow.conn, year, days), metadata)

    async def set_quota(
        self, award_code: str, year: int, unit_id: str | None, max_count: int, label: str, metadata: Metadata
    ) -> None:
        """Record (or replace) a quota; taken under the quota's lock so no grant counts half of it."""
        self.catalogue.entry(award_code)  # NotFound('unknown_award')

        async def work(uow: UnitOfWork) -> None:
            if unit_id is not None and unit_id not in await self.loader.chart(uow.conn):
                raise NotFound(UNIT_NOT_FOUND, f"No unit {unit_id!r} is known to the awards service", unit_id=unit_id)
            await uow.lock(quota_key(award_code, year))
            await reference.set_quota(uow.conn, award_code, year, unit_id, max_count, label)

        await self.transactions.run(work, metadata)

    async def set_council(
        self, council_id: str, cmd: SetCouncil, metadata: Metadata
    ) -> list[reference.Composition]:
        """Record the council's composition from ``cmd.effective_on``; answers every composition recorded.

        Under the council's lock, exclusively: a vote (shared) never counts against a half-replaced one.
        """

        async def work(uow: UnitOfWork) -> list[reference.Composition]:
            await uow.lock(council_key(council_id))
            await reference.set_council(uow.conn, council_id, cmd, metadata.actor_id)
            return await reference.compositions(uow.conn, council_id)

        return await self.transactions.run(work, metadata)

    async def schedule_round(
        self, year: int, category: Category, title: str, submission_deadline: date, late_rule: LateRule,
        council_meeting_on: date | None, metadata: Metadata,
    ) -> tuple[Round, list[RecordedEvent]]:
        """Set or move a nomination round's dates (the same dates again record nothing); answers the round."""
        rid = round_id_for(year, category)

        async def work(uow: UnitOfWork) -> tuple[Round, list[RecordedEvent]]:
            await uow.lock(round_key(rid))
            stream = await uow.stream(rid)
            events = decide_schedule_round(
                Round.replay(stream.events), year, category, title, submission_deadline, late_rule,
                council_meeting_on, today=self.today(),
            )
            recorded = await uow.append(events)
            found = Round.replay([*stream.events, *events])
            assert found is not None
            return found, recorded

        return await self.transactions.run(work, metadata)

    async def rounds(self, year: int) -> list[Round]:
        """The rounds of a year, one per path that has one."""

        async def work(uow: UnitOfWork) -> list[Round]:
            found = await uow.streams(round_id_for(year, c) for c in get_args(Category))
            return [r for s in found.values() if (r := Round.replay(s.events)) is not None]

        return await self.look(work)

    async def deadlines(
        self, file: NominationFile
    ) -> tuple[Round | None, NominationFlaggedLate | None, list[UpwardDeadline]]:
        """A nomination's round, its late flag (recorded on arrival) and the law's dates upward for it."""
        state = file.state

        async def work(uow: UnitOfWork) -> tuple[Round | None, NominationFlaggedLate | None]:
            found = await uow.streams([round_id_for(state.year, state.category), state.nomination_id])
            return (Round.replay(found[round_id_for(state.year, state.category)].events),
                    late_flag(found[state.nomination_id].events))

        found, late = await self.look(work)
        forwarded = [p.forwarded_on for p in file.proposals.values() if p.forwarded_on is not None]
        upward = upward_deadlines(self.law_deadlines, state.award_code, state.year, forwarded, today=self.today())
        return found, late, upward

    # ------------------------------------------------------------------ file facts commands

    async def require_person(self, conn: asyncpg.Connection, person_id: str) -> PersonBundle:
        """The person's bundle, or NotFound('subject_not_found') if the units context never published them."""
        people = await self.loader.people(conn, [person_id])
        if not people:
            raise NotFound(
                Code.SUBJECT_NOT_FOUND, f"No person {person_id!r} is known to the awards service", person_id=person_id
            )
        return people[0]

    async def require_subject(
        self, conn: asyncpg.Connection, kind: RecipientKind, subject_id: str, on: date
    ) -> Recipient:
        """The subject's name of record and unit on ``on`` (NotFound if the units context never published it)."""
        chart = await self.loader.chart(conn)
        if kind is RecipientKind.COLLECTIVE:
            unit = chart.get(subject_id)
            if unit is None:
                raise NotFound(
                    Code.SUBJECT_NOT_FOUND, f"No unit {subject_id!r} is known to the awards service", unit_id=subject_id
                )
            name, unit_id = unit.name_on(on), subject_id
        else:
            bundle = await self.require_person(conn, subject_id)
            # The unit of the year, else (an award older than the person's first posting here) their first unit.
            name = bundle.full_name
            unit_id = self.person_unit(bundle, on.year, chart) or next(
                (p.unit_id for p in bundle.postings if p.unit_id), None
            )
        return Recipient(
            candidate_id=subject_id, recipient_kind=kind, subject_id=subject_id, display_name=name, unit_id=unit_id
        )

    async def record_supplements(self, person_id: str, cmd: RecordSupplements, metadata: Metadata) -> None:
        """Replace the service facts recorded for a person (the latest file wins)."""
        not_after(cmd.recorded_on, self.today(), "recorded_on")

        async def work(uow: UnitOfWork) -> None:
            await self.require_person(uow.conn, person_id)
            await history.record_supplements(uow.conn, person_id, **cmd.model_dump())

        await self.transactions.run(work, metadata)

    async def record_attestation(self, cmd: RecordAttestation, metadata: Metadata) -> None:
        """Record a finding the file attests (idempotent on recipient, key and year)."""
        check_attestation_key(cmd.key, self.attestation_keys)

        async def work(uow: UnitOfWork) -> None:
            await self.require_subject(uow.conn, cmd.recipient_kind, cmd.subject_id, date(cmd.year, 12, 31))
            await history.record_attestation(
                uow.conn, recipient_kind=cmd.recipient_kind.value, subject_id=cmd.subject_id, key=cmd.key,
                year=cmd.year, reference=cmd.reference,
            )

        await self.transactions.run(work, metadata)

    async def record_prior_award(self, cmd: RecordPriorAward, metadata: Metadata) -> HistoryEntry:
        """Enter a title or award decided outside the workflow: an award event on its own stream."""
        entry = self.catalogue.entry(cmd.award_code)  # NotFound('unknown_award')
        award_id = prior_award_id(cmd.recipient_kind, cmd.subject_id, entry.code, cmd.year)

        async def work(uow: UnitOfWork) -> HistoryEntry:
            await uow.lock(subject_key(cmd.recipient_kind.value, cmd.subject_id))
            recipient = await self.require_subject(uow.conn, cmd.recipient_kind, cmd.subject_id, cmd.decision_date)
            stream = (await uow.streams([award_id]))[award_id]
            events = decide_record_prior(
                cmd,
                entry=entry,
                recipient=recipient,
                stream_version=stream.version,
                held=[
                    h for h in await self.history(uow, subject_ids=[cmd.subject_id])
                    if h.subject_id == cmd.subject_id and h.recipient_kind is cmd.recipient_kind
                ],
                today=self.today(),
            )
            await uow.append(events)
            return title_and_award_history(events)[0]

        return await self.transactions.run(work, metadata)

    # ------------------------------------------------------------------ the dossier's files

    def require_own(self, chart: OrgChart, state: NominationState, officer_unit: str | None) -> None:
        """Forbidden('outside_unit_scope') unless the officer's unit (None: not scoped) is or holds the submitting unit.

        A unit officer acts on a nomination, and reads its files, as they submit: for their unit and under it.
        """
        if officer_unit is None:
            return
        unit = state.submitting_unit_id
        if officer_unit not in chart or unit not in chart.subtree(officer_unit, self.today()):
            raise Forbidden(
                "outside_unit_scope",
                f"A unit officer acts only within their unit and the units under it: nomination "
                f"{state.nomination_id!r} is unit {unit!r}'s",
                officer_unit_id=officer_unit, nomination_id=state.nomination_id, submitting_unit_id=unit,
            )

    async def dossier_state(self, uow: UnitOfWork, nomination_id: str) -> DossierState:
        """A nomination's dossier as its stream stands."""
        did = dossier_id_for(nomination_id)
        return DossierState.replay((await uow.stream(did)).events, did)

    def completeness(self, state: NominationState, dossier_state: DossierState) -> Completeness:
        """What the dossier lacks by the law's requirements."""
        return completeness(self.requirements, state, dossier_state)

    def files_enforced(self, state: NominationState) -> bool:
        """Whether the nomination's dossier is electronic (received on or after :attr:`files_required_from`)."""
        return state.submitted_on is not None and state.submitted_on >= self.files_required_from

    async def require_complete(self, uow: UnitOfWork, state: NominationState, step: str) -> None:
        """DomainError('dossier_incomplete') before ``step`` while a confirmed requirement lacks its file."""
        if self.files_enforced(state):
            require_complete(self.completeness(state, await self.dossier_state(uow, state.nomination_id)),
                             state.nomination_id, step)

    async def override_completeness(self, nomination_id: str, reason: str, metadata: Metadata) -> list[RecordedEvent]:
        """The office lets an incomplete dossier go on: the gaps of today and its reason, recorded."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(nomination_key(nomination_id))
            file = await self.load(uow, nomination_id)
            self.require_nomination(file.state, nomination_id)
            dossier_state = await self.dossier_state(uow, nomination_id)
            found = self.completeness(file.state, dossier_state)
            return await uow.append(decide_override(
                dossier_state, nomination_id, [m.key for m in found.blocking], reason,
                by=metadata.actor_id, today=self.today(),
            ))

        return await self.transactions.run(work, metadata)

    async def assign_dossier(
        self, nomination_id: str, assignee_id: str, assignee_name: str | None, note: str | None, metadata: Metadata
    ) -> list[RecordedEvent]:
        """The office hands a nomination's dossier to a specialist (dossier_assignments follows in the transaction)."""

        async def work(uow: UnitOfWork) -> list[RecordedEvent]:
            await uow.lock(nomination_key(nomination_id))
            file = await self.load(uow, nomination_id)
            self.require_nomination(file.state, nomination_id)
            return await uow.append(decide_assign(
                await self.dossier_state(uow, nomination_id), nomination_id, assignee_id, assignee_name, note,
                by=metadata.actor_id, today=self.today(),
            ))

        return await self.transactions.run(work, metadata)

    async def attach_file(
        self, cmd: AttachFile, content: IO[bytes], metadata: Metadata, *, officer_unit: str | None
    ) -> tuple[list[RecordedEvent], StoredVersion]:
        """Store a file as the next version of its document and record it: bytes and event in one transaction."""
        dossier_id = dossier_id_for(cmd.nomination_id)

        async def work(uow: UnitOfWork) -> tuple[list[RecordedEvent], StoredVersion]:
            await uow.lock(nomination_key(cmd.nomination_id))
            file = await self.load(uow, cmd.nomination_id)
            self.require_nomination(file.state, cmd.nomination_id)
            self.require_own(await self.loader.chart(uow.conn), file.state, officer_unit)
            state = await self.dossier_state(uow, cmd.nomination_id)
            events = decide_attach(
                state, cmd, candidate_ids={c.candidate_id for c in file.state.candidates},
                limits=self.dossier_limits, today=self.today(),
            )
            recorded = await uow.append(events)
            stored = state.apply(events[0]).versions[-1]
            await dossier.store_file(uow.conn, dossier_id, stored.document_id, stored.version, content)
            return recorded, stored

        return await self.transactions.run(work, metadata)

    async def dossier(self, nomination_id: str, *, officer_unit: str | None) -> tuple[NominationFile, DossierState]:
        """A nomination and its dossier, for a reader allowed to see the nomination's files."""

        async def work(uow: UnitOfWork) -> tuple[NominationFile, DossierState]:
            file = await self.load(uow, nomination_id)
            self.require_nomination(file.state, nomination_id)
            self.require_own(await self.loader.chart(uow.conn), file.state, officer_unit)
            return file, await self.dossier_state(uow, nomination_id)

        return await self.look(work)

    async def verified_version(
        self, nomination_id: str, document_id: str, version: int | None, *, officer_unit: str | None
    ) -> StoredVersion:
        """A version whose stored bytes still hash to what its event recorded; else 500 'document_corrupted'."""

        async def work(uow: UnitOfWork) -> StoredVersion:
            file = await self.load(uow, nomination_id)
            self.require_nomination(file.state, nomination_id)
            self.require_own(await self.loader.chart(uow.conn), file.state, officer_unit)
            did = dossier_id_for(nomination_id)
            found = (await self.dossier_state(uow, nomination_id)).version(document_id, version)
            if found is None:
                raise NotFound(Code.DOCUMENT_NOT_FOUND, f"Document {document_id!r} (version {version or 'latest'}) "
                               f"is not in nomination {nomination_id!r}'s dossier",
                               nomination_id=nomination_id, document_id=document_id, version=version)
            if await dossier.file_sha256(uow.conn, did, document_id, found.version) != found.sha256:
                raise DocumentCorrupted(document_id, found.version)
            return found

        return await self.look(work)

    def file_chunks(self, nomination_id: str, stored: StoredVersion):  # type: ignore[no-untyped-def]
        """The bytes of a verified version, streamed chunk by chunk."""
        return dossier.file_chunks(
            self.service.running_pool(), dossier_id_for(nomination_id), stored.document_id, stored.version
        )

    # ------------------------------------------------------------------ queries that fold streams

    async def nomination(self, nomination_id: str) -> NominationFile:
        """A nomination's file as its streams stand; NotFound('nomination_not_found')."""
        file = await self.look(lambda uow: self.load(uow, nomination_id))
        self.require_nomination(file.state, nomination_id)
        return file

    async def proposal(self, proposal_id: str) -> ProposalState:
        """A proposal as its stream stands; NotFound('proposal_not_found')."""
        streams = await self.look(lambda uow: uow.streams([proposal_id]))
        return self.require_proposal(ProposalState.replay(streams[proposal_id].events, proposal_id))

    @staticmethod
    def require_proposal(proposal: ProposalState) -> ProposalState:
        """The proposal, if it was forwarded; NotFound('proposal_not_found') otherwise."""
        if not proposal.exists:
            raise NotFound(Code.PROPOSAL_NOT_FOUND, f"Proposal {proposal.proposal_id!r} does not exist",
                           proposal_id=proposal.proposal_id)
        return proposal

    async def award(self, award_id: str) -> HistoryEntry:
        """One conferred award as the history shows it; NotFound('award_not_found')."""
        events = await self.look(lambda uow: self.award_events(uow, [award_id]))
        found = title_and_award_history(events)
        if not found:
            raise NotFound(Code.AWARD_NOT_FOUND, f"Award {award_id!r} does not exist", award_id=award_id)
        return found[0]

    async def person_history(self, person_id: str) -> tuple[list[HistoryEntry], str | None]:
        """A person's titles and awards and their name of record (None if the replica lacks them)."""

        async def work(uow: UnitOfWork) -> tuple[list[HistoryEntry], str | None]:
            entries = [
                e for e in await self.history(uow, subject_ids=[person_id])
                if e.subject_id == person_id and e.recipient_kind is RecipientKind.INDIVIDUAL
            ]
            people = await self.loader.people(uow.conn, [person_id])
            return entries, people[0].full_name if people else None

        return await self.look(work)

    async def unit_history(
        self, unit_id: str, *, include_people: bool, include_subunits: bool
    ) -> tuple[list[HistoryEntry], str]:
        """A unit's titles and awards (and its people's, and its subunits' today), with its name today."""

        async def work(uow: UnitOfWork) -> tuple[list[HistoryEntry], str]:
            chart = await self.loader.unit_chart(uow.conn, unit_id)  # NotFound('unit_not_found')
            today = self.today()
            units = chart.subtree(unit_id, today) if include_subunits else [unit_id]
            found = await self.history(uow, subject_ids=units, unit_ids=units if include_people else [])
            keep = [
                e for e in found
                if (e.recipient_kind is RecipientKind.COLLECTIVE and e.subject_id in units)
                or (include_people and e.recipient_kind is RecipientKind.INDIVIDUAL and e.unit_id in units)
            ]
            unit = chart.get(unit_id)
            assert unit is not None
            return keep, unit.name_on(today)

        return await self.look(work)

    async def recipient_details(
        self,
        conn: asyncpg.Connection,
        chart: OrgChart,
        recipients: Sequence[tuple[RecipientKind, str]],
        year: int,
        day: date,
    ) -> tuple[dict[str, RecipientDetails], dict[str, str]]:
        """What the documents print beyond the events: Ông / Bà and the position of people, the parent of units."""
        people = await self.loader.people(conn, [s for k, s in recipients if k is RecipientKind.INDIVIDUAL])
        details = {
            b.person_id: RecipientDetails(honorific=honorific(b.sex), position=b.position_in(year)) for b in people
        }
        for kind, subject in recipients:
            unit = chart.get(subject) if kind is RecipientKind.COLLECTIVE else None
            parent = chart.get(unit.parent_on(day) or "") if unit else None
            if parent is not None:
                details[subject] = RecipientDetails(unit_name=parent.name_on(day))
        unit_names = {u.unit_id: u.name_on(day) for u in chart.units()}
        return details, unit_names

    async def draft_decision(self, nomination_id: str, candidate_ids: Sequence[str] | None) -> DecisionDocument:
        """The draft decision of a nomination: the candidates named, or every one assessed eligible and open.

        Issued by the Minister, or by the head of the submitting unit for what the law leaves to a unit head;
        refused for an award the Ministry forwards upward (``not_ministry_decision``) and when no candidate
        is open (``nothing_to_decide``).
        """
        today = self.today()

        async def work(uow: UnitOfWork) -> DecisionDocument:
            file = await self.load(uow, nomination_id)
            state = file.state
            self.require_nomination(state, nomination_id)
            ids = candidate_ids or [c.candidate_id for c in state.candidates if c.status is CandidateStatus.ELIGIBLE]
            ids = distinct_capped(ids, limit=MAX_CANDIDATES, field="candidate_id")
            chosen = []
            for cid in ids:
                cand = state.candidate(cid)
                if cand is None:
                    raise NotFound(Code.UNKNOWN_CANDIDATE, f"Candidate {cid!r} is not in nomination {nomination_id!r}",
                                   nomination_id=nomination_id, candidate_id=cid)
                chosen.append(cand)
            if not chosen:
                raise DomainError(NOTHING_TO_DECIDE, "No candidate of this nomination is open for a decision",
                                  nomination_id=nomination_id)
            procedures = self._procedures(state)
            used = [procedures[c.candidate.recipient_kind] for c in chosen]
            if any(not p.ministry_decides for p in used):
                raise DomainError(
                    NOT_MINISTRY_DECISION,
                    f"{state.award_name} is decided by {used[0].authority_vi}: the Ministry forwards it (trình), "
                    "it issues no decision",
                    award_code=state.award_code,
                )
            cash = {p.cash_multiple.value if p.cash_multiple else None for p in used}
            chart = await self.loader.chart(uow.conn)
            details, unit_names = await self.recipient_details(
                uow.conn, chart, [(c.candidate.recipient_kind, c.candidate.subject_id) for c in chosen],
                state.year, today,  # names and units as they stand when the decision is signed
            )
            unit_head = all(p.authority is Authority.UNIT_HEAD for p in used)
            return decision_from_nomination(
                state,
                [c.candidate_id for c in chosen],
                cash_multiple=cash.pop() if len(cash) == 1 else None,
                issuer=unit_issuer(chart, state.submitting_unit_id, today) if unit_head else MINISTRY,
                details=details,
                unit_names=unit_names,
                drafted_on=today,
            )

        return await self.look(work)

    async def decision_awards(
        self, uow: UnitOfWork, number: str, award_code: str | None, year: int | None = None
    ) -> list[AwardGranted | TitleConferred]:
        """The award events of the Ministry's decision ``number`` (one code; of ``year``, numbers restarting
        every year), or the refusal saying why not: without a year, a number used in several years is
        ``decision_ambiguous``, its details naming each decision's issuer/year/number."""
        rows = await history.awards_of_decision(uow.conn, number, award_code, year)  # NotFound('decision_not_found')
        years = sorted({r["decision_date"].year for r in rows})
        if len(years) > 1:
            refs = [ref_or_none(number, date(y, 1, 1)) for y in years]
            raise DomainError(
                DECISION_AMBIGUOUS,
                f"Number {number} was used by decisions of {', '.join(map(str, years))}; "
                "ask for one by issuer, year and number",
                decision_number=number,
                years=years,
                paths=[r.path for r in refs if r is not None],
            )
        ours = [r for r in rows if r["conferred_by_ministry"]]
        if not ours:
            raise DomainError(
                NOT_MINISTRY_DECISION,
                f"Decision {number} was taken by a higher authority; its documents are that authority's own",
                decision_number=number,
            )
        codes = sorted({r["award_code"] for r in ours})
        if len(codes) > 1:
            raise DomainError(
                DECISION_AMBIGUOUS,
                f"Decision {number} confers several codes ({', '.join(codes)}); ask for one with award_code",
                decision_number=number,
                award_codes=codes,
            )
        streams = await uow.streams([r["award_id"] for r in ours])
        found = [e for s in streams.values() for e in s.events if isinstance(e, AwardGranted | TitleConferred)]
        # Award ids say nothing about order; the annex lists people as lists do, by given name (tên).
        return sorted(found, key=lambda e: by_given_name(e.recipient.display_name))

    async def decision_document(
        self, uow: UnitOfWork, number: str, award_code: str | None, year: int | None = None
    ) -> DecisionDocument:
        """The decision ``number`` (of ``year``) as granted, with the recipients' details from the replica."""
        events = await self.decision_awards(uow, number, award_code, year)
        chart = await self.loader.chart(uow.conn)
        first = events[0]
        details, unit_names = await self.recipient_details(
            uow.conn, chart, [(e.recipient.recipient_kind, e.recipient.subject_id) for e in events],
            first.year, first.decision_date,
        )
        issuer = MINISTRY
        if first.authority is Authority.UNIT_HEAD:
            unit_id = first.recipient.unit_id
            if first.nomination_id:
                nomination = (await uow.streams([first.nomination_id]))[first.nomination_id]
                unit_id = NominationState.replay(nomination.events, first.nomination_id).submitting_unit_id or unit_id
            issuer = unit_issuer(chart, unit_id, first.decision_date)
        try:
            return decision_from_awards(events, issuer=issuer, details=details, unit_names=unit_names)
        except ValueError as error:  # same number, different dates or categories: two decisions share a number
            raise DomainError(DECISION_AMBIGUOUS, f"Decision {number}: {error}", decision_number=number) from None

    async def decision(
        self, number: str, award_code: str | None, year: int | None = None
    ) -> tuple[DecisionDocument, set[str]]:
        """The decision ``number`` (of ``year``) as granted, and the ids of its awards since revoked."""

        async def work(uow: UnitOfWork) -> tuple[DecisionDocument, set[str]]:
            doc = await self.decision_document(uow, number, award_code, year)
            ids = [r.award_id for r in doc.recipients if r.award_id]
            events = await self.award_events(uow, ids)
            revoked = {a for a in ids if AwardState.replay([e for e in events if e.subject() == a], a).revoked}
            return doc, revoked

        return await self.look(work)

    async def decision_of(self, number: str, award_code: str | None, year: int | None = None) -> DecisionDocument:
        """The decision ``number`` (of ``year``) as granted (one code: ``award_code`` when it confers several)."""
        return await self.look(lambda uow: self.decision_document(uow, number, award_code, year))

    async def submission(self, proposal_id: str) -> SubmissionDocument:
        """The tờ trình of a proposal upward, with the council's votes and the recipients' details on the day
        it was forwarded; NotFound('proposal_not_found')."""

        async def work(uow: UnitOfWork) -> SubmissionDocument:
            head = (await uow.streams([proposal_id]))[proposal_id]
            proposal = self.require_proposal(ProposalState.replay(head.events, proposal_id))
            assert proposal.forwarded_on is not None  # set by the event that opens the stream
            file = await self.load(uow, proposal.nomination_id)
            chart = await self.loader.chart(uow.conn)
            details, unit_names = await self.recipient_details(
                uow.conn, chart, [(r.recipient_kind, r.subject_id) for r in proposal.recipients],
                proposal.year, proposal.forwarded_on,  # names and units as they stood when it was sent
            )
            return submission_from_proposal(proposal, file.state if file.state.exists else None,
                                            details=details, unit_names=unit_names)

        return await self.look(work)

    async def award_decision(self, award_id: str) -> tuple[DecisionDocument, AwardState]:
        """The decision that conferred an award, and the award; NotFound('award_not_found')."""

        async def work(uow: UnitOfWork) -> tuple[DecisionDocument, AwardState]:
            events = await self.award_events(uow, [award_id])
            award = AwardState.replay(events, award_id)
            if not award.exists:
                raise NotFound(Code.AWARD_NOT_FOUND, f"Award {award_id!r} does not exist", award_id=award_id)
            year = award.decision_date.year if award.decision_date else None  # the number's register
            return await self.decision_document(uow, award.decision_number, award.award_code, year), award

        return await self.look(work)


__all__ = [
    "UNIT_NOT_FOUND",
    "AwardsHandlers",
    "Handled",
    "business_today",
    "council_key",
    "nomination_key",
    "quota_key",
    "subject_key",
]
