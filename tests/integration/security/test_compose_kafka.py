"""The compose file's Kafka, run from the same jars as the local stack (no Docker engine needed).

The broker's settings are the ``kafka`` service's ``KAFKA_*`` variables turned into properties as the
apache/kafka image does; the storage is formatted by the ``kafka-storage`` service's own script; the logins
come from the files ``deploy/make-secrets.sh`` makes; the grants from ``tdkt kafka-acls --create-topics`` as
the ``kafka-acls`` service runs it. Then: the controller listener refuses a client without the broker's login,
the subscriber reads a public topic and not the internal one, and a service logs in with its password file.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from aiokafka.errors import KafkaError

from kernel.kafka_auth import KafkaCredentials
from tdkt.stack.kafka import fetch_broker_jars, wait_for_metadata
from tdkt.stack.launcher import default_cache_dir
from tdkt.stack.processes import free_port, spawn, stop, wait_for_port

from .test_kafka_acls import INTERNAL, SUBSCRIBER, _produce, _read

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
NOT_PROPERTIES = {"KAFKA_OPTS", "CLUSTER_ID"}


def image_properties(environment: dict[str, str]) -> dict[str, str]:
    """apache/kafka's rule: KAFKA_FOO_BAR → foo.bar (``___`` → ``-``, ``__`` → ``_``)."""
    found = {}
    for key, value in environment.items():
        if key.startswith("KAFKA_") and key not in NOT_PROPERTIES:
            name = key.removeprefix("KAFKA_").lower().replace("___", "-").replace("__", "\0")
            found[name.replace("_", ".").replace("\0", "_")] = str(value)
    return found


@dataclass
class ComposeKafka:
    port: int
    controller_port: int
    secrets: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def login(self, user: str) -> KafkaCredentials:
        return KafkaCredentials(user, (self.secrets / f"kafka_{user}_password").read_text().strip())


@pytest.fixture(scope="module")
def compose_kafka() -> Iterator[ComposeKafka]:
    home = Path(tempfile.mkdtemp(prefix="tdkt-compose-kafka-"))
    lib = fetch_broker_jars(default_cache_dir())
    shutil.copy(ROOT / "deploy" / "make-secrets.sh", home / "make-secrets.sh")
    subprocess.run(["bash", str(home / "make-secrets.sh")], check=True, capture_output=True)
    secrets = home / "secrets"
    port, controller_port, external_port = free_port(), free_port(), free_port()

    def local(text: str) -> str:
        text = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", text)  # compose's defaults
        return (text.replace("kafka:9093", f"127.0.0.1:{controller_port}").replace("kafka:9092", f"127.0.0.1:{port}")
                .replace("://:9092", f"://127.0.0.1:{port}").replace("://:9093", f"://127.0.0.1:{controller_port}")
                .replace("://:9094", f"://127.0.0.1:{external_port}")
                .replace("://127.0.0.1:9092", f"://127.0.0.1:{external_port}")
                .replace("/var/lib/kafka/data", str(home / "data")).replace("/run/secrets/", f"{secrets}/"))

    spec = COMPOSE["services"]["kafka"]
    environment = {k: local(str(v)) for k, v in spec["environment"].items()}
    properties = image_properties(environment)
    config = home / "server.properties"
    config.write_text("".join(f"{k}={v}\n" for k, v in properties.items()))
    # The kafka-storage service's script, with the image's tool and paths replaced by this machine's.
    storage = home / "kafka-storage.sh"
    storage.write_text(f'#!/bin/bash\nexec java -cp "{lib}/*" kafka.tools.StorageTool "$@"\n')
    storage.chmod(0o755)
    script = local(COMPOSE["services"]["kafka-storage"]["command"][0]).replace("$$", "$") \
        .replace("/opt/kafka/bin/kafka-storage.sh", str(storage)).replace("/tmp/format.properties",
                                                                           str(home / "format.properties"))
    storage_environment = {k: local(str(v)) for k, v in COMPOSE["services"]["kafka-storage"]["environment"].items()}
    storage_environment["CLUSTER_ID"] = storage_environment["CLUSTER_ID"].split(":-")[-1].rstrip("}")
    formatted = subprocess.run(["bash", "-ec", script], capture_output=True, text=True,
                               env={**os.environ, **storage_environment})
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    process = spawn(["java", "-Xmx512m", environment["KAFKA_OPTS"], "-cp", f"{lib}/*", "kafka.Kafka", str(config)],
                    log_file=home / "broker.log")
    running = ComposeKafka(port, controller_port, secrets)
    try:
        wait_for_port("127.0.0.1", port, timeout=120, process=process, log_file=home / "broker.log")
        asyncio.run(wait_for_metadata(running.bootstrap, 60, running.login("admin")))
        acls = COMPOSE["services"]["kafka-acls"]["command"]
        result = subprocess.run([sys.executable, *[local(a) for a in acls[1:]]], capture_output=True, text=True,
                                cwd=ROOT, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        yield running
    finally:
        stop(process, timeout=30)
        shutil.rmtree(home, ignore_errors=True)


async def test_the_compose_controller_listener_refuses_a_client_without_the_brokers_login(compose_kafka) -> None:  # type: ignore[no-untyped-def]
    from aiokafka.conn import create_conn
    from aiokafka.protocol.admin import CreateAclsRequest

    conn = await create_conn("127.0.0.1", compose_kafka.controller_port, request_timeout_ms=5000)
    try:
        with pytest.raises(KafkaError):
            await conn.send(CreateAclsRequest(2, INTERNAL, 3, f"User:{SUBSCRIBER}", "*", 3, 3))
    finally:
        conn.close()


async def test_the_compose_grants_let_the_subscriber_read_public_topics_only(compose_kafka) -> None:  # type: ignore[no-untyped-def]
    bootstrap = compose_kafka.bootstrap
    await _produce(bootstrap, compose_kafka.login("units"), "tdkt.units.events")
    await _produce(bootstrap, compose_kafka.login("units"), INTERNAL)
    assert await _read(bootstrap, compose_kafka.login(SUBSCRIBER), "tdkt.units.events")
    assert await _read(bootstrap, compose_kafka.login("awards"), INTERNAL)
    assert await _read(bootstrap, compose_kafka.login(SUBSCRIBER), INTERNAL, seconds=3) == []
    with pytest.raises(KafkaError):
        await _produce(bootstrap, KafkaCredentials("units", "not-its-password"), "tdkt.units.events")
