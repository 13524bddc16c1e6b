"""Prometheus metrics of the kernel, served by every service at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

RELAY_BACKLOG = Gauge("tdkt_outbox_backlog_events", "Events committed but not yet published to Kafka.", ["schema"])
RELAY_LAG_SECONDS = Gauge(
    "tdkt_relay_lag_seconds", "Age of the oldest event not yet published to Kafka.", ["schema"]
)
RELAY_PUBLISHED = Counter("tdkt_relay_published_events_total", "Events published to Kafka.", ["schema"])
CONSUMER_LAG = Gauge(
    "tdkt_consumer_lag_messages", "Messages behind the end of the partition.", ["consumer", "topic", "partition"]
)
CONSUMER_APPLIED = Counter("tdkt_consumer_applied_events_total", "Events applied by a consumer.", ["consumer"])
CONSUMER_DUPLICATES = Counter(
    "tdkt_consumer_duplicate_events_total", "Redelivered events skipped by a consumer.", ["consumer"]
)
HANDLER_ERRORS = Counter("tdkt_handler_errors_total", "Failed attempts at handling an event.", ["consumer"])
DEAD_LETTERS = Counter("tdkt_dead_letters_total", "Messages sent to the dead-letter topic.", ["consumer"])
KAFKA_CLIENT_ERRORS = Counter(
    "tdkt_kafka_client_errors_total", "Kafka client errors and warnings counted (not logged) during a broker outage."
)
KAFKA_REACHABLE = Gauge("tdkt_kafka_reachable", "1 while the broker answers, 0 during an outage.")
KAFKA_REACHABLE.set(1)
