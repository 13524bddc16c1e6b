"""Hostile input over Kafka: malformed, wrongly-typed and oversized messages on every topic a service reads.

A service (awards: the units and campaigns topics, the internal one included;
reporting: every public topic) is started for real; hypothesis generates
messages of four kinds onto its topics:

- garbage: arbitrary bytes with arbitrary headers, or none;
- broken envelopes: CloudEvents headers missing or wrong;
- wrong data: a real event type whose contract example has one field replaced
  by a value of another type, or removed;
- oversized: a real event with a ~900 KB text field (under the broker's 1 MB).

Then: the service is still healthy, every message was consumed (applied
without effect, or dead-lettered — never stuck), nothing was written to its
read models or replicas, and a valid event sent after all of it is applied.
"""

from __future__ import annotations

import copy
import json
import uuid
from datetime import UTC, datetime
from typing import Any

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from tdkt_contracts import Envelope
from tdkt_contracts.registry import all_models, model_for

from kernel.db import quote_ident
from services.awards.app import build as build_awards
from services.reporting.app import build as build_reporting

from ..awards.support import unit
from ..kernel.support import wait_until

pytestmark = pytest.mark.integration

MESSAGES = 60
TOPICS = {
    "awards": ("tdkt.units.events", "tdkt.units.internal", "tdkt.campaigns.events"),
    "reporting": ("tdkt.units.events", "tdkt.campaigns.events", "tdkt.awards.events"),
}
BUILDS = {"awards": build_awards, "reporting": build_reporting}


def _examples() -> list[tuple[str, str, dict[str, Any]]]:
    """(topic, type, example data) of every contract event that documents an example."""
    found = []
    for model in all_models():
        examples = (model.model_config.get("json_schema_extra") or {}).get("examples") or []
        if examples:
            found.append((model.topic(), model.event_type, examples[0]))
    return found


EXAMPLES = _examples()
WRONG = st.one_of(st.integers(), st.floats(allow_nan=True), st.booleans(), st.none(), st.text(max_size=30),
                  st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


settings_for_generation = settings(  # the same messages on every run
    max_examples=MESSAGES, deadline=None, database=None, derandomize=True, phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


def _valid(event_type: str, data: dict[str, Any]) -> bool:
    try:
        model_for(event_type, 1).model_validate(data)
    except ValidationError:
        return False
    return True


def _headers(event_type: str, subject: str) -> list[tuple[str, bytes]]:
    envelope = Envelope(id=uuid.uuid4(), source="/tdkt/fuzz", type=event_type, schema_version=1, subject=subject,
                        time=datetime.now(UTC), data={})
    return envelope.to_kafka()[2]


@st.composite
def hostile(draw: st.DrawFn, topics: tuple[str, ...]) -> tuple[str, bytes, list[tuple[str, bytes]]]:
    """(logical topic, value, headers) of one hostile message."""
    kind = draw(st.sampled_from(["garbage", "broken", "wrong", "oversized"]))
    usable = [e for e in EXAMPLES if e[0] in topics]
    topic, event_type, example = draw(st.sampled_from(usable))
    # A subject the envelope itself accepts (letters and digits): what is hostile here is the message.
    subject = draw(st.text(alphabet=st.characters(whitelist_categories=("L", "N")), min_size=1, max_size=20))
    if kind == "garbage":
        headers = draw(st.lists(st.tuples(st.text(max_size=12), st.binary(max_size=20)), max_size=4))
        return topic, draw(st.binary(max_size=200)), headers
    if kind == "broken":
        # A header every event must carry is missing, or the time is not a time.
        headers = _headers(event_type, subject)
        if draw(st.booleans()):
            drop = draw(st.sampled_from(["ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject",
                                         "ce_schemaversion"]))
            headers = [(h, v) for h, v in headers if h != drop]
        else:
            headers = [(h, v) for h, v in headers if h != "ce_time"]
            headers.append(("ce_time", draw(st.text(alphabet="abcxyz!", min_size=1, max_size=10)).encode()))
        return topic, json.dumps(example, ensure_ascii=False).encode(), headers
    data = copy.deepcopy(example)
    field = draw(st.sampled_from(sorted(data)))
    if kind == "wrong":
        if draw(st.booleans()):
            del data[field]
        else:
            data[field] = draw(WRONG)
    else:
        data[field] = "Nguyễn " * 100_000  # ≈ 900 KB of Vietnamese text
    assume(not _valid(event_type, data))  # hostile means the contract refuses it
    return topic, json.dumps(data, ensure_ascii=False).encode(), _headers(event_type, subject)


async def _row_counts(pool: asyncpg.Pool, schemas: list[str]) -> dict[str, int]:
    """Rows of every table in these schemas, but the consumers' own bookkeeping (offsets, inbox, dead
    letters, and the reporting models' ``rm_currency``: how many events a model has read)."""
    rows = await pool.fetch(
        "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY($1::text[]) "
        "AND table_type = 'BASE TABLE' AND table_name NOT IN ('consumer_offsets', 'consumer_inbox', "
        "'dead_letters', 'schema_migrations', 'rm_currency')",
        schemas,
    )
    counts = {}
    for r in rows:
        name = f"{quote_ident(r['table_schema'])}.{quote_ident(r['table_name'])}"
        counts[name] = await pool.fetchval(f"SELECT count(*) FROM {name}")
    return counts


@pytest.mark.parametrize("service", list(BUILDS))
async def test_hostile_messages_are_dead_lettered_or_ignored_and_change_nothing(  # type: ignore[no-untyped-def]
    service: str, settings, start_service, real_stack
) -> None:
    client = await start_service(BUILDS[service], settings)
    pool = client.service.pool
    schemas = [r["nspname"] for r in await pool.fetch(
        "SELECT nspname FROM pg_namespace WHERE nspname LIKE $1", settings.database_schema + "%")]
    before = await _row_counts(pool, schemas)

    messages: list[tuple[str, bytes, list[tuple[str, bytes]]]] = []

    @settings_for_generation
    @given(message=hostile(TOPICS[service]))
    def collect(message: tuple[str, bytes, list[tuple[str, bytes]]]) -> None:
        messages.append(message)

    collect()
    assert len(messages) >= MESSAGES // 2
    producer = AIOKafkaProducer(bootstrap_servers=real_stack.bootstrap_servers, max_request_size=2 * 1024 * 1024)
    await producer.start()
    try:
        for topic, value, headers in messages:
            key = uuid.uuid4().hex.encode()
            await producer.send_and_wait(settings.topic_prefix + topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()
    sent = {t: sum(1 for m in messages if m[0] == t) for t in TOPICS[service]}
    expected = {h.name: sum(sent.get(t, 0) for t in h.topics) for h in client.service.handlers}

    async def all_consumed() -> bool:
        consumers = (await client.get("/health")).json()["consumers"]
        return all(consumers[name]["applied"] + consumers[name]["duplicates"] + consumers[name]["dead_letters"]
                   >= n for name, n in expected.items())

    try:
        await wait_until(all_consumed, timeout=120)
    except AssertionError:
        raise AssertionError(f"not every message was consumed: expected {expected}; "
                             f"{(await client.get('/health')).json()['consumers']}") from None
    health = await client.get("/health")
    assert health.status_code == 200, health.text
    consumers = health.json()["consumers"]
    assert sum(c["dead_letters"] for c in consumers.values()) > 0
    # Nothing written: the read models and replicas hold exactly what they held before.
    assert await _row_counts(pool, schemas) == before

    # And the consumers still work: a valid event after all of it is applied.
    producer = AIOKafkaProducer(bootstrap_servers=real_stack.bootstrap_servers)
    await producer.start()
    try:
        event = unit("u-sau-fuzz", "SAUFUZZ", "Vụ Sau Kiểm thử", parent_id=None)
        envelope = Envelope(id=uuid.uuid4(), source="/tdkt/units", type=event.event_type, schema_version=1,
                            subject=event.subject(), time=datetime.now(UTC), stream_version=1,
                            data=event.model_dump(mode="json"))
        key, value, headers = envelope.to_kafka()
        await producer.send_and_wait(settings.topic_prefix + event.topic(), value=value, key=key, headers=headers)
    finally:
        await producer.stop()

    async def applied() -> bool:
        return await _row_counts(pool, schemas) != before

    await wait_until(applied, timeout=60)


def test_the_generator_covers_every_kind() -> None:
    kinds: set[str] = set()

    @settings_for_generation
    @given(message=hostile(TOPICS["reporting"]))
    def collect(message: tuple[str, bytes, list[tuple[str, bytes]]]) -> None:
        _topic, value, headers = message
        names = {h for h, _ in headers}
        if "ce_specversion" not in names or "ce_type" not in names or "ce_id" not in names:
            kinds.add("broken or garbage")
        elif len(value) > 500_000:
            kinds.add("oversized")
        else:
            kinds.add("wrong")

    collect()
    assert kinds == {"broken or garbage", "oversized", "wrong"}
