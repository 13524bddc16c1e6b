-- The campaigns service's replica of the units context's facts (and of its own
-- training reports), as the domain's *Fact models: one row per fact, in the order
-- they were recorded (the log), and the replica's state (the fold of the log in
-- `seq` order, services.campaigns.domain.replay_facts), kept in the same transaction
-- as each fact's row. Commands read the state tables in their own transaction; the
-- process keeps none of it in memory.
--
-- Every writer takes the replica's advisory lock before inserting, so `seq` order is
-- commit order and a reader that has seen up to `seq` = n has seen every row <= n.
CREATE TABLE IF NOT EXISTS units_replica_facts (
    seq         bigserial PRIMARY KEY,
    event_id    uuid NOT NULL UNIQUE,             -- the event the fact comes from
    source_type text NOT NULL,                    -- its type, e.g. vn.tdkt.units.person.enrolled
    subject     text NOT NULL,                    -- its subject (unit, person or report id)
    fact_type   text NOT NULL,                    -- the domain's fact class, e.g. PersonEnrolledFact
    fact        jsonb NOT NULL,
    correlation_id text,                          -- the source event's flow, for what the fact causes
    tx          xid8 NOT NULL DEFAULT pg_current_xact_id(),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS units_replica_facts_by_subject ON units_replica_facts (subject);
-- Finds the current transaction's own facts (end of a consumer batch) without a scan.
CREATE INDEX IF NOT EXISTS units_replica_facts_by_tx ON units_replica_facts (tx);

-- The state. A row exists for every unit and person any fact named (a unit's record
-- is there before its establishment arrives: facts come out of order across streams).
CREATE TABLE IF NOT EXISTS units_replica_units (
    unit_id        text PRIMARY KEY,
    established_on date,                          -- null until unit.established arrives
    ended_on       date,                          -- first day it no longer exists (merge or dissolution)
    merged_into    text
);
CREATE TABLE IF NOT EXISTS units_replica_unit_parents (   -- the parent in force from `from_day`
    unit_id   text NOT NULL,
    from_day  date NOT NULL,
    parent_id text,                               -- null: top level
    PRIMARY KEY (unit_id, from_day)
);
CREATE TABLE IF NOT EXISTS units_replica_unit_grades (
    unit_id text NOT NULL,
    year    integer NOT NULL,
    grade   text NOT NULL,                        -- Grade value: HTXS, HTT, HT, KHT
    PRIMARY KEY (unit_id, year)
);
CREATE TABLE IF NOT EXISTS units_replica_people (
    person_id text PRIMARY KEY
);
CREATE TABLE IF NOT EXISTS units_replica_person_units (   -- the unit from `from_day`; null: off the staff
    person_id text NOT NULL,
    from_day  date NOT NULL,
    unit_id   text,
    PRIMARY KEY (person_id, from_day)
);
CREATE TABLE IF NOT EXISTS units_replica_person_grades (
    person_id text NOT NULL,
    year      integer NOT NULL,
    grade     text NOT NULL,
    unit_id   text,                               -- the unit the grade was given in, if known
    PRIMARY KEY (person_id, year)
);
CREATE INDEX IF NOT EXISTS units_replica_person_grades_by_year ON units_replica_person_grades (year);
CREATE TABLE IF NOT EXISTS units_replica_training (
    unit_id       text NOT NULL,
    year          integer NOT NULL,
    training_code text NOT NULL,
    completed     integer NOT NULL,
    headcount     integer NOT NULL,
    PRIMARY KEY (unit_id, year, training_code)
);
-- One row once the state tables hold the fold of the whole log (the facts recorded
-- before these tables existed are folded in at the first start that creates them).
CREATE TABLE IF NOT EXISTS units_replica_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    folded_at timestamptz NOT NULL DEFAULT now()
);
