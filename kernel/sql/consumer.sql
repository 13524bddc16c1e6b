-- What a consumer has applied, kept in the same transaction as its effects.
-- consumer_offsets: the next Kafka offset per partition (skips redeliveries).
-- consumer_inbox: the event ids applied (skips duplicates the relay re-sent).
CREATE TABLE IF NOT EXISTS consumer_offsets (
    consumer    text    NOT NULL,
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, partition)
);
CREATE TABLE IF NOT EXISTS consumer_inbox (
    consumer text NOT NULL,
    event_id uuid NOT NULL,
    PRIMARY KEY (consumer, event_id)
);
CREATE TABLE IF NOT EXISTS dead_letters (
    consumer    text    NOT NULL,
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    kafka_offset bigint NOT NULL,
    event_id    text,
    error       text    NOT NULL,
    attempts    integer NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, partition, kafka_offset)
);
