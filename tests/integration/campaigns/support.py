"""Helpers of the campaigns integration tests: settings, the units events a units
service would publish, and reading what the campaigns service wrote."""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
import httpx
from aiokafka import AIOKafkaProducer, ConsumerRecord
from tdkt_contracts import Envelope, EventPayload
from tdkt_contracts.catalogue import units as u

from kernel.settings import Settings

CAMPAIGNS_TOPIC = "tdkt.campaigns.events"
UNITS_TOPIC = "tdkt.units.events"


def campaigns_settings(settings: Any, *, allow_today_header: bool = True) -> Settings:
    """The test's settings, with X-Tdkt-Today honoured (by default) as a demo stack does."""
    return settings.model_copy(update={"allow_today_header": allow_today_header})


def on(day: str) -> dict[str, str]:
    """Headers that date a request (the service must allow X-Tdkt-Today)."""
    return {"X-Tdkt-Today": day}


class UnitsPublisher:
    """Publishes units events as the units service's relay would: CloudEvents in Kafka
    binary mode, key = subject, per-subject stream versions, built from the real models."""

    def __init__(self, bootstrap_servers: str, topic_prefix: str) -> None:
        self.bootstrap_servers = bootstrap_servers
        self.topic_prefix = topic_prefix
        self.versions: dict[str, int] = defaultdict(int)
        self.sent: list[Envelope] = []
        self._producer: AIOKafkaProducer | None = None

    async def __aenter__(self) -> UnitsPublisher:
        self._producer = AIOKafkaProducer(bootstrap_servers=self.bootstrap_servers, acks="all")
        await self._producer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self._producer is not None
        await self._producer.stop()

    async def publish(self, *events: EventPayload, correlation_id: str | None = None) -> list[Envelope]:
        """Send events in order; returns their envelopes."""
        sent = []
        for event in events:
            sent.append(await self.publish_raw(event.event_type, event.subject(), event.model_dump(mode="json"),
                                               topic=event.topic(), correlation_id=correlation_id))
        return sent

    async def publish_raw(
        self, event_type: str, subject: str, data: dict[str, Any], *, topic: str = UNITS_TOPIC,
        correlation_id: str | None = None,
    ) -> Envelope:
        """Send one event with the data as given (valid or not)."""
        assert self._producer is not None
        self.versions[subject] += 1
        envelope = Envelope(
            id=uuid.uuid4(),
            source="/tdkt/units",
            type=event_type,
            schema_version=1,
            subject=subject,
            time=datetime.now(UTC),
            stream_version=self.versions[subject],
            correlation_id=correlation_id or str(uuid.uuid4()),
            actor_id="can-bo-vu-tccb",
            actor_role="units_officer",
            data=data,
        )
        key, value, headers = envelope.to_kafka()
        await self._producer.send_and_wait(self.topic_prefix + topic, value=value, key=key, headers=headers)
        self.sent.append(envelope)
        return envelope


# -- units events, as the units context defines them ---------------------------------


def unit(unit_id: str, name: str, *, parent_id: str | None, kind: str = "vu", code: str | None = None,
         effective_on: date = date(2017, 6, 1)) -> u.UnitEstablished:
    return u.UnitEstablished(unit_id=unit_id, code=code or unit_id.upper().replace("-", "")[:32], name=name,
                             kind=kind, parent_id=parent_id, effective_on=effective_on)


def person(person_id: str, unit_id: str, full_name: str, *, effective_on: date = date(2020, 1, 1),
           sex: str = "female") -> u.PersonEnrolledV1:
    """An enrolment as version 1 carried it (the publisher sends version 1): history as the replica reads it."""
    return u.PersonEnrolledV1(person_id=person_id, full_name=full_name, sex=sex, date_of_birth=date(1985, 4, 12),
                            sector_joined_on=date(2008, 9, 1), unit_id=unit_id, position="Chuyên viên",
                            staff_category="cong_chuc", union_member=True, effective_on=effective_on)


def unit_grade(unit_id: str, year: int, grade: str) -> u.UnitEvaluationRecorded:
    return u.UnitEvaluationRecorded(unit_id=unit_id, year=year, grade=grade, legal_basis="NĐ 90/2020/NĐ-CP")


def person_grade(person_id: str, unit_id: str, year: int, grade: str) -> u.PersonEvaluationRecorded:
    return u.PersonEvaluationRecorded(person_id=person_id, year=year, grade=grade, unit_id=unit_id)


# -- reading what the service wrote ---------------------------------------------------


async def event_count(pool: asyncpg.Pool, stream_id: str | None = None) -> int:
    """Events in the service's store (of one stream, if given)."""
    async with pool.acquire() as conn:
        if stream_id is None:
            return int(await conn.fetchval("SELECT count(*) FROM events"))
        return int(await conn.fetchval("SELECT count(*) FROM events WHERE stream_id = $1", stream_id))


def headers_of(record: ConsumerRecord) -> dict[str, str]:
    return {name: value.decode() for name, value in record.headers or ()}


def by_type(records: Sequence[ConsumerRecord], event_type: str) -> list[ConsumerRecord]:
    return [r for r in records if headers_of(r).get("ce_type") == event_type]


def data_of(record: ConsumerRecord) -> dict[str, Any]:
    return json.loads(record.value.decode("utf-8"))


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    """The JSON body of a response that must have ``status`` (the body is shown if not)."""
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json()


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """A refusal with ``status`` and body code ``code``."""
    assert response.status_code == status, f"expected {status} {code}, got {response.status_code}: {response.text}"
    body = response.json()
    assert body["code"] == code, body
    assert body["message"]
    return body
