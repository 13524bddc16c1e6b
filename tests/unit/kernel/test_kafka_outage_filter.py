"""The outage filter (kernel/logs.KafkaOutage) on aiokafka's own messages, without a broker."""

from __future__ import annotations

import logging

import pytest

from kernel.logs import KafkaOutage

OUTAGE_MESSAGES = [
    "Unable connect to node with id 1: [Errno 111] Connect call failed ('127.0.0.1', 47369)",
    "Unable to update metadata from [1]",
    "Group Coordinator Request failed: [Error 15] GroupCoordinatorNotAvailableError",
    "Failed fetch messages from 1: NodeNotReadyError: Attempt to send a request to node which is not ready",
    # Seen first in a CI run: the consumer's heartbeat is the first to notice the broker has gone.
    "Heartbeat failed for group tdkt-test: coordinator (node 1) is either not started or not valid",
]


def record(message: str, name: str = "aiokafka.consumer.group_coordinator") -> logging.LogRecord:
    return logging.LogRecord(name, logging.WARNING, __file__, 1, message, None, None)


@pytest.mark.parametrize("message", OUTAGE_MESSAGES)
def test_each_sign_of_an_outage_starts_one_and_is_kept_from_the_log(message: str) -> None:
    outage = KafkaOutage()
    assert outage.filter(record(message)) is False
    assert outage.down_since is not None and outage.suppressed == 1
    assert outage.filter(record("anything else aiokafka says meanwhile")) is False
    outage.reachable()
    assert outage.down_since is None


def test_other_records_pass() -> None:
    outage = KafkaOutage()
    assert outage.filter(record("Topic tdkt.x.events is not known yet, retrying")) is True
    assert outage.filter(record(OUTAGE_MESSAGES[0], name="tdkt.kernel")) is True
    quiet = logging.LogRecord("aiokafka", logging.INFO, __file__, 1, OUTAGE_MESSAGES[0], None, None)
    assert outage.filter(quiet) is True and outage.down_since is None
