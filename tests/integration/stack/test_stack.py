"""The local stack is made of real parts, and stopping or killing it leaves nothing behind."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from tdkt.stack.processes import StackError, free_port, pid_alive

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


def _without_password(url: str) -> dict[str, object]:
    parsed = urlsplit(url)
    return {"host": parsed.hostname, "port": parsed.port, "user": parsed.username, "database": parsed.path[1:]}


async def test_postgresql_refuses_a_connection_without_a_password(real_stack) -> None:
    if real_stack.state_dir is None:
        pytest.skip("an external PostgreSQL (TDKT_TEST_DATABASE_URL): its authentication is its operator's")
    login = _without_password(real_stack.database_url)
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(**login, password="not-the-password")  # type: ignore[arg-type]
    with pytest.raises((asyncpg.InvalidPasswordError, asyncpg.InterfaceError)):
        await asyncpg.connect(**login)  # type: ignore[arg-type]
    # The Unix socket asks for the password too (no trust, no peer authentication).
    sockets = real_stack.state_dir / "postgres" / "sockets"
    with pytest.raises((asyncpg.InvalidPasswordError, asyncpg.InterfaceError)):
        await asyncpg.connect(**{**login, "host": str(sockets)})  # type: ignore[arg-type]
    conn = await asyncpg.connect(real_stack.database_url)  # the fixtures' URL carries the password
    try:
        assert await conn.fetchval("SELECT count(*) FROM pg_hba_file_rules WHERE auth_method <> 'scram-sha-256'") == 0
    finally:
        await conn.close()


@pytest.fixture
def server_home() -> Iterator[Path]:
    """A folder PostgreSQL's own user can reach when the tests run as root (pytest's /tmp/pytest-of-root is
    put back to 0700 by any concurrent pytest session)."""
    home = Path(tempfile.mkdtemp(prefix="tdkt-test-pg-"))
    yield home
    shutil.rmtree(home, ignore_errors=True)


async def test_a_service_role_owns_its_database_and_cannot_connect_to_another(server_home: Path) -> None:
    from tdkt.stack.postgres import PostgresServer

    tmp_path = server_home

    passwords = {"postgres": "su-" + uuid.uuid4().hex, "tdkt_units": "u-" + uuid.uuid4().hex,
                 "tdkt_awards": "a-" + uuid.uuid4().hex}
    server = PostgresServer(home=tmp_path / "postgres", port=free_port(), passwords=passwords)
    await asyncio.to_thread(server.start, {"tdkt_units": "tdkt_units", "tdkt_awards": "tdkt_awards"})
    try:
        conn = await asyncpg.connect(server.url("tdkt_units", role="tdkt_units"))
        try:
            await conn.execute("CREATE TABLE mine (id int)")  # it owns its database
            assert await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user") is False
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute("COPY (SELECT 1) TO PROGRAM 'true'")
        finally:
            await conn.close()
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await asyncpg.connect(server.url("tdkt_awards", role="tdkt_units"))
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await asyncpg.connect(server.url("postgres", role="tdkt_units"))
        with pytest.raises(asyncpg.InvalidPasswordError):
            await asyncpg.connect(server.url("tdkt_awards", role="tdkt_awards").replace(passwords["tdkt_awards"],
                                                                                        passwords["tdkt_units"]))
    finally:
        server.stop()


def test_a_cluster_made_with_trust_authentication_is_refused_and_left_alone(tmp_path: Path) -> None:
    from tdkt.stack.postgres import PostgresServer

    data = tmp_path / "postgres" / "data"
    data.mkdir(parents=True)
    (data / "PG_VERSION").write_text("17\n")
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    server = PostgresServer(home=tmp_path / "postgres", port=free_port(), passwords={"postgres": "x"})
    with pytest.raises(StackError, match="trust authentication"):
        server.start({})
    assert server.process is None
    assert (data / "pg_hba.conf").read_text().count("trust") == 2


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_the_stacks_secrets_are_its_owners_and_its_data_folders_private(real_stack) -> None:
    if real_stack.state_dir is None:
        pytest.skip("an external Kafka and PostgreSQL (TDKT_TEST_*): no local state folder")
    state = real_stack.state_dir
    secrets = [state / "stack.json", state / "postgres-users.json", state / "kafka" / "server.properties",
               state / "auth" / "private.pem"]
    assert {path.name: _mode(path) for path in secrets} == {path.name: 0o600 for path in secrets}
    folders = [state / "kafka", state / "kafka" / "data", state / "postgres", state / "postgres" / "data",
               state / "postgres" / "sockets", state / "auth", state / "logs"]
    assert {str(path): _mode(path) for path in folders} == {str(path): 0o700 for path in folders}
    if os.geteuid() == 0:
        # PostgreSQL runs as its own user, which may cross (not list) the state folder as its group.
        import grp

        assert _mode(state) == 0o710 and grp.getgrgid(state.stat().st_gid).gr_name == "tdkt-postgres"
    else:
        assert _mode(state) == 0o700
    # Everything Kafka writes (the topics' log files, discipline's among them) is the owner's only.
    kafka_files = [p for p in (state / "kafka" / "data").rglob("*")]
    assert kafka_files and [str(p) for p in kafka_files if p.stat().st_mode & 0o077] == []


def _launch(state_dir: Path, services: str = "") -> tuple[subprocess.Popen[bytes], dict]:  # type: ignore[type-arg]
    process = subprocess.Popen(
        [sys.executable, "-m", "tdkt.cli", "stack", "up", "--services", services, "--state-dir", str(state_dir),
         "--plain-kafka"],
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


def _status(state_dir: Path) -> tuple[int, str]:
    result = subprocess.run([sys.executable, "-m", "tdkt.cli", "stack", "status", "--state-dir", str(state_dir)],
                            capture_output=True, text=True, timeout=60)
    return result.returncode, result.stdout + result.stderr


def test_a_killed_service_is_started_again_and_the_status_shows_the_restart(server_home: Path) -> None:
    state_dir = server_home / "stack"
    process, state = _launch(state_dir, services="units")
    try:
        units = state["services"]["units"]
        assert units["restarts"] == []
        code, output = _status(state_dir)
        assert code == 0 and "restarts: 0" in output, output
        os.kill(units["pid"], signal.SIGKILL)
        deadline = time.monotonic() + 90
        while True:  # the launcher restarts it after its first pause (1 s) and records it in stack.json
            restarted = json.loads((state_dir / "stack.json").read_text())["services"]["units"]
            if restarted["restarts"]:
                break
            assert process.poll() is None, "the launcher stopped instead of restarting the service"
            assert time.monotonic() < deadline, "the killed service was not restarted"
            time.sleep(0.3)
        assert restarted["pid"] != units["pid"] and restarted["url"] == units["url"]
        assert [r["exit_code"] for r in restarted["restarts"]] == [-signal.SIGKILL]
        while True:  # the new process serves on the same port
            code, output = _status(state_dir)
            if code == 0:
                break
            assert time.monotonic() < deadline, output
            time.sleep(0.5)
        assert "restarts: 1 (last" in output and "exit -9" in output, output
        assert httpx.get(f"{units['url']}/health", timeout=5).status_code == 200
        assert process.poll() is None
        # The restarted child still dies with the launcher: it was spawned from the launcher's main thread.
        os.kill(process.pid, signal.SIGKILL)
        process.wait(60)
        assert _wait_gone([restarted["pid"], state["kafka"]["pid"], state["postgres"]["pid"]]) == []
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(60)
    log = process.stdout.read().decode() if process.stdout else ""
    assert "service died; restarting" in log and "service restarted" in log, log
