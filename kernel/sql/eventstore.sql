-- The event store of one service. Every event is also its outbox entry: the
-- relay publishes rows in (tx_id, seq) order, reading only rows of
-- transactions older than every transaction still running, so a row that
-- commits late can never be skipped (see kernel/relay.py).
CREATE TABLE IF NOT EXISTS events (
    tx_id          xid8        NOT NULL DEFAULT pg_current_xact_id(),
    seq            bigint      GENERATED ALWAYS AS IDENTITY,
    event_id       uuid        PRIMARY KEY,
    stream_id      text        NOT NULL,
    stream_version integer     NOT NULL CHECK (stream_version > 0),
    event_type     text        NOT NULL,
    schema_version integer     NOT NULL,
    topic          text        NOT NULL,
    payload        jsonb       NOT NULL,
    occurred_at    timestamptz NOT NULL,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id       text,
    actor_role     text,
    correlation_id text,
    causation_id   text,
    UNIQUE (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_log_position ON events (tx_id, seq);
-- The W3C trace context of the request that caused the event (kernel/telemetry.py); added later.
ALTER TABLE events ADD COLUMN IF NOT EXISTS traceparent text;
-- What the request claimed rather than the service established: the business date it set
-- (X-Tdkt-Today) and which ids the client supplied. Shown by the audit trail; not published.
ALTER TABLE events ADD COLUMN IF NOT EXISTS request_claims jsonb;
CREATE TABLE IF NOT EXISTS relay_checkpoints (
    relay      text   PRIMARY KEY,
    tx_id      xid8   NOT NULL,
    seq        bigint NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
-- Idempotency keys of commands (kernel/idempotency.py): committed is set in the
-- transaction that appends the command's events; the answer is kept afterwards.
CREATE TABLE IF NOT EXISTS idempotency_keys (
    subject      text        NOT NULL,
    key          text        NOT NULL,
    fingerprint  text        NOT NULL,
    holder       text        NOT NULL DEFAULT '',
    committed    boolean     NOT NULL DEFAULT false,
    status       integer,
    content_type text,
    body         bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, key)
);
