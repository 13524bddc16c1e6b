-- The campaigns service's replica of the units context's facts (and of its own
-- training reports), as the domain's *Fact models: one row per fact, in the order
-- they were recorded. The in-memory ReplicaState is the fold of these rows in `seq`
-- order (services.campaigns.subscribers.UnitsReplica).
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
