"""The supervisor of the local stack: Kafka, PostgreSQL and the services, on loopback.

It starts each part, waits until it really serves, records where everything
listens in ``<state>/stack.json``, and stops everything in order on Ctrl-C,
SIGTERM or ``tdkt stack down``. Its children die with it even if it is killed.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kernel.auth import Role, generate_key_pair, mint_token
from kernel.kafka_auth import KafkaCredentials
from kernel.topics import ensure_topics

from .kafka import KafkaBroker, fetch_broker_jars
from .kafka_acls import CONTEXT_TOPICS, READS, SUBSCRIBER, apply_grants, grants
from .keycloak import DATABASE as KEYCLOAK_DATABASE
from .keycloak import Keycloak
from .postgres import PostgresServer
from .processes import StackError, free_port, pid_alive, spawn, stop, wait_for_port

LOCAL_ISSUER = "tdkt-local"
"""Issuer of the local stack's tokens (``TDKT_AUTH_ISSUER``); production uses the sign-on's."""
AUDIENCE = "tdkt"
"""Audience every service expects (``TDKT_AUTH_AUDIENCE``)."""

SERVICES = ("units", "campaigns", "awards", "reporting")


def runnable_services() -> tuple[str, ...]:
    """The services of this checkout that can run (each has a ``__main__`` module)."""
    from importlib.util import find_spec

    return tuple(s for s in SERVICES if find_spec(f"services.{s}.__main__") is not None)
STATE_FILE = "stack.json"


def default_state_dir() -> Path:
    return Path(os.environ.get("TDKT_STATE_DIR", Path.cwd() / ".tdkt")).resolve()


def default_cache_dir() -> Path:
    return Path(os.environ.get("TDKT_CACHE_DIR", Path.home() / ".cache" / "tdkt")).resolve()


def database_name(service: str) -> str:
    return f"tdkt_{service}"


@dataclass
class StackConfig:
    """Where the stack keeps its data and which ports it uses (0 = pick a free one)."""

    state_dir: Path = field(default_factory=default_state_dir)
    cache_dir: Path = field(default_factory=default_cache_dir)
    kafka_port: int = 0
    postgres_port: int = 0
    service_ports: dict[str, int] = field(default_factory=dict)
    services: tuple[str, ...] = field(default_factory=runnable_services)
    log_format: str = "json"
    secure_kafka: bool = False
    """Kafka authenticates every client (SASL/SCRAM) and authorises it with ACLs (tdkt.stack.kafka_acls)."""
    portal: bool = False
    """The web portal too, with its OpenID Connect provider (Keycloak, tdkt.stack.keycloak)."""


@dataclass
class Stack:
    """A running local stack; ``start`` brings it up, ``stop`` takes it down."""

    config: StackConfig
    kafka: KafkaBroker | None = None
    postgres: PostgresServer | None = None
    service_processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    service_urls: dict[str, str] = field(default_factory=dict)
    keycloak: Keycloak | None = None

    def start(self, progress: Callable[[str], None] = print) -> None:
        cfg = self.config
        cfg.state_dir.mkdir(parents=True, exist_ok=True)
        generate_key_pair(self.auth_dir)  # the local sign-on: services trust its public key
        lib = fetch_broker_jars(cfg.cache_dir)
        kafka_port = cfg.kafka_port or free_port()
        self.kafka = KafkaBroker(
            home=cfg.state_dir / "kafka", lib=lib, port=kafka_port, controller_port=free_port(),
            scram_users=self.kafka_passwords if cfg.secure_kafka else {},
        )
        secured = " (SASL/SCRAM, ACLs)" if cfg.secure_kafka else ""
        progress(f"starting Apache Kafka on 127.0.0.1:{kafka_port}{secured}")
        self.kafka.start()
        if cfg.secure_kafka:
            asyncio.run(self._secure_topics())
        self.postgres = PostgresServer(home=cfg.state_dir / "postgres", port=cfg.postgres_port or free_port())
        progress(f"starting PostgreSQL on 127.0.0.1:{self.postgres.port}")
        self.postgres.start([database_name(s) for s in cfg.services] + ([KEYCLOAK_DATABASE] if cfg.portal else []))
        if cfg.portal:
            self.config.service_ports.setdefault("portal", free_port())  # the realm's client redirects there
            self.keycloak = Keycloak.for_stack(cfg.state_dir, cfg.cache_dir, self.postgres.port,
                                               cfg.service_ports["portal"])
            progress(f"starting Keycloak on {self.keycloak.url}")
            self.keycloak.launch()  # it becomes ready while the services start
        for service in cfg.services:
            self._start_service(service, progress)
        if self.keycloak:
            self.keycloak.ready()
            progress(f"Keycloak ready at {self.keycloak.url} in {self.keycloak.started_in:.0f} s")
            self._start_service("portal", progress)
        self.write_state()

    @property
    def issuer(self) -> str:
        """The tokens' issuer: Keycloak's realm when it runs (the local key signs as it too), else tdkt-local."""
        return self.keycloak.issuer if self.keycloak else LOCAL_ISSUER

    def service_env(self, service: str, port: int) -> dict[str, str]:
        """The environment a service process runs with: the same variables compose sets."""
        assert self.kafka and self.postgres
        return {
            **os.environ,
            "TDKT_KAFKA_BOOTSTRAP_SERVERS": self.kafka.bootstrap_servers,
            "TDKT_DATABASE_URL": self.postgres.url(database_name(service)),
            "TDKT_HTTP_HOST": "127.0.0.1",
            "TDKT_HTTP_PORT": str(port),
            "TDKT_LOG_FORMAT": self.config.log_format,
            **self._kafka_login(service),
            "TDKT_AUTH_PUBLIC_KEY_FILE": str(self.auth_dir / "public.pem"),
            "TDKT_AUTH_ISSUER": self.issuer,
            "TDKT_AUTH_AUDIENCE": AUDIENCE,
            **(self.keycloak.service_env(service, self.service_urls) if self.keycloak else {}),
            "PYTHONUNBUFFERED": "1",
        }

    @functools.cached_property
    def kafka_passwords(self) -> dict[str, str]:
        """The broker's SCRAM users and passwords, made once and kept (owner-only) in the state folder."""
        path = self.config.state_dir / "kafka-users.json"
        if path.exists():
            return dict(json.loads(path.read_text()))
        passwords = {user: secrets.token_urlsafe(18) for user in ("admin", *READS, SUBSCRIBER)}
        path.write_text("")
        os.chmod(path, 0o600)
        path.write_text(json.dumps(passwords, indent=2))
        return passwords

    def kafka_credentials(self, user: str) -> KafkaCredentials | None:
        """A user's credentials on this stack's broker (None when it does not authenticate)."""
        if not self.config.secure_kafka:
            return None
        return KafkaCredentials(user, self.kafka_passwords[user])

    def _kafka_login(self, service: str) -> dict[str, str]:
        credentials = self.kafka_credentials(service)
        if credentials is None:
            return {}
        return {"TDKT_KAFKA_USERNAME": credentials.username, "TDKT_KAFKA_PASSWORD": credentials.password}

    async def _secure_topics(self) -> None:
        """Every context's topics, created by the admin, and the grants of kafka_acls."""
        assert self.kafka
        admin = self.kafka_credentials("admin")
        assert admin is not None
        await ensure_topics(self.kafka.bootstrap_servers, list(CONTEXT_TOPICS), credentials=admin)
        await apply_grants(self.kafka.bootstrap_servers, admin, grants())

    @property
    def auth_dir(self) -> Path:
        """The local key pair tokens are signed with (``private.pem``) and verified with (``public.pem``)."""
        return self.config.state_dir / "auth"

    def token(self, *roles: Role, subject: str = "tdkt-operator", name: str | None = None,
              unit_id: str | None = None, ttl_seconds: int = 12 * 3600) -> str:
        """A bearer token the services of this stack accept."""
        return mint_token(self.auth_dir / "private.pem", subject=subject, roles=roles or (Role.ADMINISTRATOR,),
                          name=name, unit_id=unit_id, issuer=self.issuer, audience=AUDIENCE,
                          ttl_seconds=ttl_seconds)

    def _start_service(self, service: str, progress: Callable[[str], None]) -> None:
        port = self.config.service_ports.get(service) or free_port()
        log_file = self.config.state_dir / "logs" / f"{service}.log"
        progress(f"starting the {service} service on http://127.0.0.1:{port}")
        process = spawn(
            [sys.executable, "-m", f"services.{service}"],
            log_file=log_file,
            env=self.service_env(service, port),
        )
        self.service_processes[service] = process
        wait_for_port("127.0.0.1", port, timeout=60, process=process, log_file=log_file)
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, timeout=60)
        self.service_urls[service] = url

    def write_state(self) -> None:
        assert self.kafka and self.postgres
        state = {
            "supervisor_pid": os.getpid(),
            "kafka": {"bootstrap_servers": self.kafka.bootstrap_servers, "pid": self.kafka.process.pid},
            "postgres": {
                "url": self.postgres.url(),
                "pid": self.postgres.process.pid,
                "databases": {s: self.postgres.url(database_name(s)) for s in self.config.services},
            },
            "services": {
                name: {"url": self.service_urls[name], "pid": proc.pid}
                for name, proc in self.service_processes.items()
            },
            "state_dir": str(self.config.state_dir),
            "issuer": self.issuer,
            **({"keycloak": {"url": self.keycloak.url, "pid": self.keycloak.process.pid}} if self.keycloak else {}),
        }
        (self.config.state_dir / STATE_FILE).write_text(json.dumps(state, indent=2))

    def stop(self) -> None:
        """Stop the services, then Kafka, then PostgreSQL; remove the state file."""
        for process in self.service_processes.values():
            stop(process)
        if self.keycloak:
            self.keycloak.stop()
        if self.kafka:
            self.kafka.stop()
        if self.postgres:
            self.postgres.stop()
        (self.config.state_dir / STATE_FILE).unlink(missing_ok=True)


def wait_for_health(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{url}/health", timeout=2)
            if response.status_code == 200:
                return
            last = f"HTTP {response.status_code}: {response.text[:200]}"
        except httpx.HTTPError as error:
            last = str(error)
        time.sleep(0.3)
    raise StackError(f"{url}/health did not answer 200 in {timeout:.0f} s: {last}")


def run_foreground(
    stack: Stack,
    on_ready: Callable[[Stack], None] | None = None,
    stop_when: threading.Event | None = None,
) -> None:
    """Start the stack and keep it up until Ctrl-C, SIGTERM or ``stop_when``; always stop it."""
    stopping = stop_when or threading.Event()

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        stack.start()
        if on_ready:
            on_ready(stack)
        while not stopping.wait(0.5):
            dead = [name for name, p in stack.service_processes.items() if p.poll() is not None]
            if stack.kafka and stack.kafka.process and stack.kafka.process.poll() is not None:
                dead.append("kafka")
            if stack.postgres and stack.postgres.process and stack.postgres.process.poll() is not None:
                dead.append("postgres")
            if stack.keycloak and stack.keycloak.process and stack.keycloak.process.poll() is not None:
                dead.append("keycloak")
            if dead:
                raise StackError(f"stopped unexpectedly: {', '.join(dead)}; see the logs in {stack.config.state_dir}")
    finally:
        stack.stop()


def read_state(state_dir: Path) -> dict | None:
    path = state_dir / STATE_FILE
    if not path.exists():
        return None
    state = json.loads(path.read_text())
    if not pid_alive(state["supervisor_pid"]):
        return None
    return state


def stop_running(state_dir: Path, timeout: float = 90.0) -> bool:
    """Ask a running supervisor to stop; True when one was running."""
    state = read_state(state_dir)
    if state is None:
        return False
    pid = state["supervisor_pid"]
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid):
        if time.monotonic() > deadline:
            raise StackError(f"the stack supervisor (pid {pid}) did not stop within {timeout:.0f} s")
        time.sleep(0.2)
    return True
