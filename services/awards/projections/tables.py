"""Every table of the awards service's own schema, declared once (the replicas declare theirs).

- ``held_awards``: every title and award conferred, with the initiatives it
  used and its revocation (:mod:`.history` writes it in the command's
  transaction);
- ``holds``, ``attestations``, ``person_supplements``: facts the office
  records from the files (:mod:`.history`, :mod:`.reference`);
- ``award_quotas``, ``public_holidays``, ``council_compositions``: the
  workflow's reference data (:mod:`.reference`). ``award_quotas.scope`` is
  the unit id, or ``'*'`` for the whole Ministry (a primary key cannot hold a
  null).

The replicas of the units and campaigns contexts live in their own schemas
(:mod:`.units_replica`, :mod:`.campaigns_replica`).
"""

TABLES_SQL = """
CREATE TABLE IF NOT EXISTS held_awards (
    award_id              text PRIMARY KEY,
    award_kind            text NOT NULL,
    award_code            text NOT NULL,
    award_name            text NOT NULL,
    year                  integer NOT NULL,
    category              text NOT NULL,
    recipient_kind        text NOT NULL,
    subject_id            text NOT NULL,
    display_name          text NOT NULL,
    unit_id               text,
    authority             text NOT NULL,
    conferred_by_ministry boolean NOT NULL,
    decision_number       text NOT NULL,
    decision_date         date NOT NULL,
    nomination_id         text,
    proposal_id           text,
    initiative_ids        text[] NOT NULL DEFAULT '{}',
    revoked_on            date,
    revocation_decision   text,
    revocation_reason     text
);
CREATE INDEX IF NOT EXISTS held_awards_subject ON held_awards (recipient_kind, subject_id);
CREATE INDEX IF NOT EXISTS held_awards_code_year ON held_awards (award_code, year);
CREATE TABLE IF NOT EXISTS holds (
    hold_id        text PRIMARY KEY,
    recipient_kind text NOT NULL,
    subject_id     text NOT NULL,
    kind           text NOT NULL,
    opened_on      date NOT NULL,
    closed_on      date,
    reference      text
);
CREATE INDEX IF NOT EXISTS holds_subject ON holds (recipient_kind, subject_id);
CREATE TABLE IF NOT EXISTS attestations (
    recipient_kind text NOT NULL,
    subject_id     text NOT NULL,
    key            text NOT NULL,
    year           integer NOT NULL,
    reference      text,
    PRIMARY KEY (recipient_kind, subject_id, key, year)
);
CREATE TABLE IF NOT EXISTS person_supplements (
    person_id                text PRIMARY KEY,
    education_joined_on      date,
    hazardous_service_years  double precision,
    disadvantaged_area_years double precision,
    teaching_years           double precision,
    reference                text,
    recorded_on              date NOT NULL
);
-- The file facts of the LĐTT admissibility and of posthumous awards (issue #19.10), added after the table.
ALTER TABLE person_supplements ADD COLUMN IF NOT EXISTS recruited_on date;
ALTER TABLE person_supplements ADD COLUMN IF NOT EXISTS absences jsonb;
ALTER TABLE person_supplements ADD COLUMN IF NOT EXISTS deceased_on date;
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
CREATE TABLE IF NOT EXISTS council_compositions (
    council_id      text NOT NULL,
    effective_on    date NOT NULL,
    name            text NOT NULL,
    default_share   double precision NOT NULL,
    decision_number text,
    members         jsonb NOT NULL,
    recorded_by     text,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (council_id, effective_on)
);
"""

__all__ = ["TABLES_SQL"]
