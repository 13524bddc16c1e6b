-- Query tables of the campaigns service, one row per aggregate, written in the same
-- transaction as the aggregate's events (services.campaigns.projections.tables.project).
-- Typed columns serve filters, lists and SQL reporting; `state` is the aggregate's
-- folded state (a snapshot the views are computed from). Everything here is derived
-- from the event store and can be rebuilt (projections.tables.rebuild).

CREATE TABLE IF NOT EXISTS movements (
    movement_id    text PRIMARY KEY,
    title          text NOT NULL,
    launched_by    text NOT NULL,
    kind           text NOT NULL,
    status         text NOT NULL CHECK (status IN ('open', 'closed')),
    period_start   date NOT NULL,
    period_end     date,
    launched_on    date NOT NULL,
    closed_on      date,
    stream_version integer NOT NULL,
    state          jsonb NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS targets (
    target_id         text PRIMARY KEY,
    movement_id       text,
    year              integer NOT NULL,
    metric            text NOT NULL,
    threshold_percent numeric(5, 2) NOT NULL,
    training_code     text,
    description       text NOT NULL,
    numerator         integer,            -- last published numbers (target.progressed / met / missed)
    denominator       integer,
    share_percent     numeric(5, 2),
    on_track          boolean,
    outcome           text CHECK (outcome IN ('met', 'missed')),
    decided_on        date,
    stream_version    integer NOT NULL,
    state             jsonb NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS targets_by_movement ON targets (movement_id);
CREATE INDEX IF NOT EXISTS targets_open_by_year ON targets (year) WHERE outcome IS NULL;

CREATE TABLE IF NOT EXISTS registrations (
    registration_id   text PRIMARY KEY,
    movement_id       text NOT NULL,
    unit_id           text NOT NULL,
    year              integer NOT NULL,
    active            boolean NOT NULL,
    collective_titles text[] NOT NULL,
    people            integer NOT NULL,
    submitted_on      date,
    deadline          date,
    withdrawn_on      date,
    stream_version    integer NOT NULL,
    state             jsonb NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS registrations_by_movement ON registrations (movement_id, year);
CREATE INDEX IF NOT EXISTS registrations_by_unit ON registrations (unit_id);

CREATE TABLE IF NOT EXISTS pledges (
    pledge_id      text PRIMARY KEY,
    title          text NOT NULL,
    year           integer NOT NULL,
    movement_id    text,
    cluster_id     text,
    party_names    text[] NOT NULL,
    party_unit_ids text[] NOT NULL,
    signed_on      date NOT NULL,
    status         text NOT NULL,
    reviews        integer NOT NULL,
    stream_version integer NOT NULL,
    state          jsonb NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS pledges_by_movement ON pledges (movement_id);
CREATE INDEX IF NOT EXISTS pledges_by_cluster ON pledges (cluster_id);
CREATE INDEX IF NOT EXISTS pledges_by_party_unit ON pledges USING gin (party_unit_ids);

CREATE TABLE IF NOT EXISTS clusters (
    cluster_id     text PRIMARY KEY,
    name           text NOT NULL,
    kind           text NOT NULL,
    from_year      integer NOT NULL,
    member_ids     text[] NOT NULL,       -- every unit that is or was a member, any year
    stream_version integer NOT NULL,
    state          jsonb NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS clusters_by_member ON clusters USING gin (member_ids);

CREATE TABLE IF NOT EXISTS years (
    year           integer PRIMARY KEY,
    closed         boolean NOT NULL,
    closed_on      date,
    stream_version integer NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS training_reports (
    report_id      text PRIMARY KEY,
    unit_id        text NOT NULL,
    year           integer NOT NULL,
    training_code  text NOT NULL,
    completed      integer NOT NULL,
    headcount      integer NOT NULL,
    reported_on    date NOT NULL,
    stream_version integer NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS training_reports_by_year ON training_reports (year, training_code);
