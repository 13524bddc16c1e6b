"""Kafka's own authorizer on a broker that authenticates every client (SASL/SCRAM-SHA-512).

A private broker with the system's users and grants (tdkt.stack.kafka_acls):
an external subscriber reads the public topics and nothing else — it cannot
write, and cannot read the internal topic where discipline travels; a service
writes only its own topics; and a service started with its credentials
publishes through its relay and consumes as usual.
"""

from __future__ import annotations

import asyncio
import secrets
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from aiokafka.errors import KafkaError, TopicAuthorizationFailedError
from pydantic import SecretStr

from kernel.kafka_auth import KafkaCredentials, client_options
from kernel.topics import ensure_topics
from services.units.app import build as build_units
from tdkt.stack.kafka import KafkaBroker, fetch_broker_jars
from tdkt.stack.kafka_acls import CONTEXT_TOPICS, READS, SUBSCRIBER, apply_grants, grants
from tdkt.stack.launcher import default_cache_dir
from tdkt.stack.processes import free_port

pytestmark = pytest.mark.integration

USERS = ("admin", *READS, SUBSCRIBER)
INTERNAL = "tdkt.units.internal"


@pytest.fixture(scope="module")
def secure_broker() -> Iterator[tuple[KafkaBroker, dict[str, KafkaCredentials]]]:
    home = Path(tempfile.mkdtemp(prefix="tdkt-secure-kafka-"))
    passwords = {user: secrets.token_urlsafe(16) for user in USERS}
    broker = KafkaBroker(home=home, lib=fetch_broker_jars(default_cache_dir()), port=free_port(),
                         controller_port=free_port(), scram_users=passwords)
    try:
        broker.start()
        credentials = {user: KafkaCredentials(user, password) for user, password in passwords.items()}

        async def prepare() -> None:
            await ensure_topics(broker.bootstrap_servers, list(CONTEXT_TOPICS), credentials=credentials["admin"])
            await apply_grants(broker.bootstrap_servers, credentials["admin"], grants())

        asyncio.run(prepare())
        yield broker, credentials
    finally:
        broker.stop()
        shutil.rmtree(home, ignore_errors=True)


async def _produce(bootstrap: str, who: KafkaCredentials, topic: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=10_000, **client_options(who))
    await producer.start()
    try:
        await asyncio.wait_for(producer.send_and_wait(topic, b"{}", key=b"k"), 20)
    finally:
        await producer.stop()


async def _read(bootstrap: str, who: KafkaCredentials, topic: str, *, seconds: float = 20,
                until: Callable[[list[bytes]], bool] = bool) -> list[bytes]:
    """What ``who`` can read of ``topic`` from the beginning, once ``until`` holds or time is up (a denied
    fetch yields nothing)."""
    # From the beginning without seek_to_beginning, which waits 40 s for a topic it may not describe.
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", **client_options(who))
    await consumer.start()
    try:
        consumer.assign([TopicPartition(topic, p) for p in range(3)])
        found: list[bytes] = []
        deadline = asyncio.get_running_loop().time() + seconds
        while not until(found) and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            found += [r.value for records in batch.values() for r in records]
        return found
    finally:
        await consumer.stop()


def test_the_grants_cover_what_each_service_subscribes_to(auth_keys) -> None:  # type: ignore[no-untyped-def]
    import importlib

    from kernel.settings import Settings

    for service, reads in READS.items():
        _app, built = importlib.import_module(f"services.{service}.app").build(
            Settings(auth_public_key_file=auth_keys.public))
        subscribed = {topic for handler in built.handlers for topic in handler.topics}
        assert subscribed == set(reads), (service, subscribed)


async def test_a_subscriber_reads_public_topics_only_and_writes_nowhere(secure_broker) -> None:  # type: ignore[no-untyped-def]
    broker, who = secure_broker
    bootstrap = broker.bootstrap_servers
    await _produce(bootstrap, who["units"], "tdkt.units.events")
    await _produce(bootstrap, who["units"], INTERNAL)
    assert await _read(bootstrap, who[SUBSCRIBER], "tdkt.units.events")

    with pytest.raises(TopicAuthorizationFailedError):
        await _produce(bootstrap, who[SUBSCRIBER], "tdkt.units.events")
    # The internal topic holds a record: the awards service reads it (discipline is an eligibility fact),
    # the subscriber gets nothing of it; neither can write there.
    assert await _read(bootstrap, who["awards"], INTERNAL)
    assert await _read(bootstrap, who[SUBSCRIBER], INTERNAL, seconds=5) == []
    # Nor the campaigns service: no campaigns rule reads discipline or a person's profile.
    assert await _read(bootstrap, who["campaigns"], INTERNAL, seconds=5) == []
    # Nor the notifications service: it reads the awards' internal topic (returns), never the units' one.
    assert await _read(bootstrap, who["notifications"], INTERNAL, seconds=5) == []
    with pytest.raises(TopicAuthorizationFailedError):
        await _produce(bootstrap, who["awards"], INTERNAL)
    with pytest.raises(TopicAuthorizationFailedError):
        await _produce(bootstrap, who["units"], "tdkt.awards.events")
    # A wrong password does not get in at all.
    with pytest.raises(KafkaError):
        await _produce(bootstrap, KafkaCredentials(SUBSCRIBER, "wrong-password"), "tdkt.units.events")


async def test_a_service_publishes_with_its_own_credentials(secure_broker, settings, start_service) -> None:  # type: ignore[no-untyped-def]
    broker, who = secure_broker
    secured = settings.model_copy(update={
        "kafka_bootstrap_servers": broker.bootstrap_servers, "topic_prefix": "",
        "kafka_username": "units", "kafka_password": SecretStr(who["units"].password),
    })
    client = await start_service(build_units, secured)
    body = {"unit_id": "u-acl-bo", "code": "ACLBO", "name": "Bộ Công Thương (kiểm thử ACL)", "kind": "bo",
            "effective_on": "2015-01-01"}
    assert (await client.post("/units", json=body)).status_code == 201
    # The relay publishes the event; the subscriber reads it (the data, with the name, is the value).
    name = "Bộ Công Thương (kiểm thử ACL)".encode()
    values = await _read(broker.bootstrap_servers, who[SUBSCRIBER], "tdkt.units.events",
                         until=lambda found: any(name in v for v in found))
    assert any(name in v for v in values), values
    assert (await client.get("/health")).json()["relay"]["last_error"] is None


async def _grant_on_controller(broker: KafkaBroker, **login: str) -> None:
    """What the penetration test did: on the controller port, grant the subscriber read access to the internal
    topic (Kafka's CreateAcls, which a KRaft controller serves)."""
    from aiokafka.conn import create_conn
    from aiokafka.protocol.admin import CreateAclsRequest

    conn = await create_conn("127.0.0.1", broker.controller_port, request_timeout_ms=5000, **login)
    try:
        # topic (2), literal (3), read (3), allow (3)
        request = CreateAclsRequest(2, INTERNAL, 3, f"User:{SUBSCRIBER}", "*", 3, 3)
        response = await conn.send(request)
        [(error_code, message)] = response.creation_responses
        if error_code:
            raise KafkaError(f"CreateAcls refused: {error_code} {message}")
    finally:
        conn.close()


@pytest.mark.parametrize("login", ["none", "plain-as-subscriber", "scram-as-admin"])
async def test_the_controller_listener_refuses_a_client_without_the_brokers_credentials(  # type: ignore[no-untyped-def]
        secure_broker, login: str) -> None:
    broker, who = secure_broker
    options = {
        "none": {},
        # The subscriber's own password, over the mechanism the controller listener offers.
        "plain-as-subscriber": {"security_protocol": "SASL_PLAINTEXT", "sasl_mechanism": "PLAIN",
                                "sasl_plain_username": SUBSCRIBER, "sasl_plain_password": who[SUBSCRIBER].password},
        # Even the admin's SCRAM login of the client listener does not open the controller's.
        "scram-as-admin": client_options(who["admin"]),
    }[login]
    with pytest.raises(KafkaError):
        await _grant_on_controller(broker, **options)
    # The grant did not happen: the subscriber reads nothing of the internal topic, by any listener.
    await _produce(broker.bootstrap_servers, who["units"], INTERNAL)
    assert await _read(broker.bootstrap_servers, who[SUBSCRIBER], INTERNAL, seconds=3) == []


def test_no_anonymous_principal_is_a_super_user(secure_broker) -> None:  # type: ignore[no-untyped-def]
    broker, _who = secure_broker
    config = (broker.home / "server.properties").read_text()
    assert "super.users=User:admin\n" in config
    assert "ANONYMOUS" not in config
    assert "CONTROLLER:PLAINTEXT" not in config and "CONTROLLER:SASL_PLAINTEXT" in config
