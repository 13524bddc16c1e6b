"""The local stack is made of real parts, and stopping or killing it leaves nothing behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from tdkt.stack.processes import pid_alive

pytestmark = pytest.mark.integration


async def test_the_broker_is_apache_kafka_in_kraft_mode_with_a_working_idempotent_producer(real_stack) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=real_stack.bootstrap_servers)
    await admin.start()
    try:
        cluster = await admin.describe_cluster()
        [config] = await admin.describe_configs([ConfigResource(ConfigResourceType.BROKER, str(cluster["brokers"][0]["node_id"]))])
    finally:
        await admin.close()
    values = {entry[0]: entry[1] for entry in config.resources[0][4]}
    # Broker configurations only a real Apache Kafka broker in KRaft mode answers with.
    assert values["process.roles"] == "broker,controller"
    assert values["transaction.state.log.min.isr"] == "1"
    assert cluster["cluster_id"]
    producer = AIOKafkaProducer(bootstrap_servers=real_stack.bootstrap_servers, enable_idempotence=True, acks="all")
    await producer.start()
    try:
        metadata = await producer.send_and_wait("tdkt.stack-check", b"xin ch\xc3\xa0o", key=b"k")
        # InitProducerId succeeded: the broker granted this producer an id and epoch.
        assert producer._txn_manager is not None and producer._txn_manager.producer_id >= 0
        assert metadata.offset >= 0
    finally:
        await producer.stop()


async def test_postgresql_is_a_real_server_reached_over_tcp(real_stack) -> None:
    conn = await asyncpg.connect(real_stack.database_url)
    try:
        version = await conn.fetchval("SELECT version()")
        address = await conn.fetchval("SELECT host(inet_server_addr())")
        port = await conn.fetchval("SELECT inet_server_port()")
        backend = await conn.fetchval("SELECT pg_backend_pid()")
        encoding = await conn.fetchval("SHOW server_encoding")
        backend_program = Path(f"/proc/{backend}/comm").read_text().strip()
    finally:
        await conn.close()
    assert version.startswith("PostgreSQL ")
    assert address == "127.0.0.1"  # NULL for a Unix socket; a TCP session has the server's address
    assert str(port) in real_stack.database_url
    assert backend_program == "postgres"  # the session is served by a postgres process on this machine
    assert encoding == "UTF8"


def _launch(state_dir: Path) -> tuple[subprocess.Popen[bytes], dict]:  # type: ignore[type-arg]
    process = subprocess.Popen(
        [sys.executable, "-m", "tdkt.cli", "stack", "up", "--services", "", "--state-dir", str(state_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 180
    state_file = state_dir / "stack.json"
    while not state_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            output = process.stdout.read().decode() if process.stdout else ""
            process.kill()
            raise AssertionError(f"the launcher did not come up:\n{output}")
        time.sleep(0.2)
    return process, json.loads(state_file.read_text())


def _children_of(state_dir: Path) -> list[int]:
    """Processes whose command line mentions the state folder (the broker and the database)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(state_dir) in cmdline and "tdkt.cli" not in cmdline and pid_alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def _wait_gone(pids: list[int], timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if pid_alive(pid)]
        if not alive:
            return []
        time.sleep(0.2)
    return [pid for pid in pids if pid_alive(pid)]


@pytest.mark.parametrize("how", ["sigkill", "ctrl-c"])
def test_stopping_or_killing_the_launcher_leaves_no_java_or_postgres_process(tmp_path: Path, how: str) -> None:
    process, state = _launch(tmp_path / "stack")
    pids = [state["kafka"]["pid"], state["postgres"]["pid"], *_children_of(tmp_path / "stack")]
    assert all(pid_alive(pid) for pid in pids[:2])
    comms = {Path(f"/proc/{pid}/comm").read_text().strip() for pid in pids[:2]}
    assert comms == {"java", "postgres"}
    if how == "sigkill":
        os.kill(process.pid, signal.SIGKILL)
    else:
        process.send_signal(signal.SIGINT)
    code = process.wait(60)
    assert _wait_gone(pids) == []
    assert _children_of(tmp_path / "stack") == []
    if how == "ctrl-c":
        assert code == 0
        assert not (tmp_path / "stack" / "stack.json").exists()
