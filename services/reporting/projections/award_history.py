"""Read model ``award_history``: each person's and each unit's titles, awards and proposals.

One row per award conferred (by the Ministry or by a higher authority) and one
per recipient the Ministry proposed upward, with the decision, the proposal's
outcome once the higher authority decided, and the revocation if any.

Tables (schema ``<service schema>_rm_award_history``):

- ``award_history``: ``entry_id`` = ``award:<award_id>`` or
  ``proposal:<proposal_id>:<candidate_id>``; ``flow`` granted / conferred /
  proposed; ``outcome`` for a proposal: pending, conferred or declined;
- ``pending_revocations``: a revocation read before its award (kept so the
  order of reading cannot change the result).

Events of one award, and of one proposal, share a partition, so a decision
always follows its proposal and a revocation its award.
"""

from __future__ import annotations

from typing import ClassVar

import asyncpg
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue.awards import (
    AwardGranted,
    AwardRevoked,
    HigherDecisionRecorded,
    ProposalForwarded,
    TitleConferred,
)

from kernel.collation import sortable

from .base import Projection

COLUMNS: tuple[str, ...] = (
    "entry_id", "flow", "subject_id", "recipient_kind", "display_name", "unit_id", "year", "award_code",
    "award_name", "award_kind", "category", "authority", "to_body", "award_id", "proposal_id", "nomination_id",
    "decision_number", "decision_date", "signer", "submission_number", "forwarded_on", "outcome",
    "outcome_decision_number", "outcome_decision_date", "outcome_award_id", "revoked", "revoked_on",
    "revoke_reason", "revoke_decision_number",
)


class AwardHistory(Projection):
    """The history read model (see the module docstring)."""

    model: ClassVar[str] = "award_history"
    topics: ClassVar[tuple[str, ...]] = ("tdkt.awards.events",)
    TABLES: ClassVar[tuple[str, ...]] = ("award_history", "pending_revocations", "rm_currency")
    HANDLES: ClassVar[frozenset[str]] = frozenset(
        {
            ProposalForwarded.event_type,
            HigherDecisionRecorded.event_type,
            AwardGranted.event_type,
            TitleConferred.event_type,
            AwardRevoked.event_type,
        }
    )
    DDL: ClassVar[tuple[str, ...]] = (
        """
        CREATE TABLE IF NOT EXISTS award_history (
            entry_id                text PRIMARY KEY,
            flow                    text    NOT NULL CHECK (flow IN ('granted', 'proposed', 'conferred')),
            subject_id              text    NOT NULL,
            recipient_kind          text    NOT NULL,
            display_name            text    NOT NULL,
            display_name_key        text    COLLATE "C",
            unit_id                 text,
            year                    integer NOT NULL,
            award_code              text    NOT NULL,
            award_name              text    NOT NULL,
            award_kind              text    NOT NULL,
            category                text    NOT NULL,
            authority               text    NOT NULL,
            to_body                 text,
            award_id                text,
            proposal_id             text,
            nomination_id           text,
            decision_number         text,
            decision_date           date,
            signer                  text,
            submission_number       text,
            forwarded_on            date,
            outcome                 text,
            outcome_decision_number text,
            outcome_decision_date   date,
            outcome_award_id        text,
            revoked                 boolean NOT NULL DEFAULT false,
            revoked_on              date,
            revoke_reason           text,
            revoke_decision_number  text
        )
        """,
        # Read models made before the key existed gain the column; a rebuild fills it (README: upgrading).
        'ALTER TABLE award_history ADD COLUMN IF NOT EXISTS display_name_key text COLLATE "C"',
        "CREATE INDEX IF NOT EXISTS award_history_subject ON award_history (subject_id, year)",
        "CREATE INDEX IF NOT EXISTS award_history_unit ON award_history (unit_id, year)",
        "CREATE INDEX IF NOT EXISTS award_history_year ON award_history (year, award_code)",
        """
        CREATE TABLE IF NOT EXISTS pending_revocations (
            award_id        text PRIMARY KEY,
            revoked_on      date NOT NULL,
            reason          text NOT NULL,
            decision_number text NOT NULL
        )
        """,
    )

    async def apply(self, conn: asyncpg.Connection, event: Envelope, payload: EventPayload) -> None:
        """Record an award, a proposal, a decision on a proposal, or a revocation."""
        if isinstance(payload, ProposalForwarded):
            await conn.executemany(
                "INSERT INTO award_history (entry_id, flow, subject_id, recipient_kind, display_name, unit_id, year, "
                "award_code, award_name, award_kind, category, authority, to_body, proposal_id, nomination_id, "
                "submission_number, forwarded_on, outcome, display_name_key) "
                "VALUES ($1, 'proposed', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 'pending', "
                "$17) "
                "ON CONFLICT (entry_id) DO NOTHING",
                [
                    (
                        f"proposal:{payload.proposal_id}:{r.candidate_id}", r.subject_id, str(r.recipient_kind),
                        r.display_name, r.unit_id, payload.year, payload.award_code, payload.award_name,
                        payload.award_kind, payload.category, str(payload.to_authority), payload.to_body,
                        payload.proposal_id, payload.nomination_id, payload.submission_number, payload.forwarded_on,
                        sortable(r.display_name),
                    )
                    for r in payload.recipients
                ],
            )
        elif isinstance(payload, HigherDecisionRecorded):
            await conn.executemany(
                "UPDATE award_history SET outcome = $2, outcome_decision_number = $3, outcome_decision_date = $4, "
                "outcome_award_id = $5 WHERE entry_id = $1",
                [
                    (
                        f"proposal:{payload.proposal_id}:{o.candidate_id}", o.outcome, payload.decision_number,
                        payload.decision_date, o.award_id,
                    )
                    for o in payload.outcomes
                ],
            )
        elif isinstance(payload, (AwardGranted, TitleConferred)):
            r = payload.recipient
            pending = await conn.fetchrow(
                "DELETE FROM pending_revocations WHERE award_id = $1 RETURNING *", payload.award_id
            )
            await conn.execute(
                "INSERT INTO award_history (entry_id, flow, subject_id, recipient_kind, display_name, unit_id, year, "
                "award_code, award_name, award_kind, category, authority, award_id, proposal_id, nomination_id, "
                "decision_number, decision_date, signer, revoked, revoked_on, revoke_reason, revoke_decision_number, "
                "display_name_key) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, "
                "$21, $22, $23) ON CONFLICT (entry_id) DO NOTHING",
                f"award:{payload.award_id}", "granted" if payload.conferred_by_ministry else "conferred",
                r.subject_id, str(r.recipient_kind), r.display_name, r.unit_id, payload.year, payload.award_code,
                payload.award_name, "title" if isinstance(payload, TitleConferred) else "award", payload.category,
                str(payload.authority), payload.award_id, payload.proposal_id, payload.nomination_id,
                payload.decision_number, payload.decision_date, payload.signer, pending is not None,
                pending["revoked_on"] if pending else None, pending["reason"] if pending else None,
                pending["decision_number"] if pending else None, sortable(r.display_name),
            )
        elif isinstance(payload, AwardRevoked):
            updated = await conn.fetchval(
                "UPDATE award_history SET revoked = true, revoked_on = $2, revoke_reason = $3, "
                "revoke_decision_number = $4 WHERE entry_id = $1 RETURNING entry_id",
                f"award:{payload.award_id}", payload.revoked_on, payload.reason, payload.decision_number,
            )
            if updated is None:
                await conn.execute(
                    "INSERT INTO pending_revocations VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                    payload.award_id, payload.revoked_on, payload.reason, payload.decision_number,
                )
