"""The supervisor of the local stack: Kafka, PostgreSQL and the services, on loopback.

It starts each part, waits until it really serves, records where everything
listens in ``<state>/stack.json``, and stops everything in order on Ctrl-C,
SIGTERM or ``tdkt stack down``. Its children die with it even if it is killed.

A service that dies is started again (:class:`RestartPolicy`: a growing pause,
a limit), as compose's restart policy does; ``tdkt stack status`` shows the
restarts. Kafka or PostgreSQL dying still stops the stack: the services'
state is only as good as theirs.

Everything it writes is its owner's only: the state folder and every folder
in it 0700, the passwords (``kafka-users.json``, ``postgres-users.json``),
``stack.json`` (database URLs with passwords), the token signing key and the approver's
PKCS#12 certificate with its password (:mod:`.signing_ca`, the stack's own test CA) 0600.
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
import structlog

from kernel.auth import Role, generate_key_pair, mint_token
from kernel.kafka_auth import KafkaCredentials
from kernel.topics import ensure_topics

from .kafka import KafkaBroker, fetch_broker_jars
from .kafka_acls import CONTEXT_TOPICS, READS, SUBSCRIBER, apply_grants, grants
from .keycloak import DATABASE as KEYCLOAK_DATABASE
from .keycloak import Keycloak
from .postgres import PostgresServer
from .processes import StackError, free_port, pid_alive, private_dir, spawn, stop, wait_for_port, write_secret
from .signing_ca import make_signing_files
from .softhsm import make_token
from .smtp import SmtpServer

log = structlog.get_logger("tdkt.stack")

LOCAL_ISSUER = "tdkt-local"
"""Issuer of the local stack's tokens (``TDKT_AUTH_ISSUER``); production uses the sign-on's."""
AUDIENCE = "tdkt"
"""Audience every service expects (``TDKT_AUTH_AUDIENCE``)."""

SERVICES = ("units", "campaigns", "awards", "reporting", "notifications")


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
    """The service's database, and the name of its role that owns it."""
    return f"tdkt_{service}"


@dataclass(frozen=True)
class RestartPolicy:
    """When a dead service is started again: after ``first_delay`` seconds, doubling up to ``max_delay``;
    at most ``max_restarts`` within ``window`` seconds, after which the stack stops with the reason."""

    first_delay: float = 1.0
    max_delay: float = 30.0
    max_restarts: int = 5
    window: float = 600.0

    def delay(self, recent: int) -> float:
        """The pause before the restart that follows ``recent`` restarts within the window."""
        return min(self.max_delay, self.first_delay * 2 ** recent)


@dataclass
class Restart:
    """One restart of a service: when it died, how it ended (exit code, or minus the signal)."""

    at: float
    exit_code: int | None


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
    signing_token: bool = False
    """The awards service signs with a SoftHSM2 token holding the test CA's key (tdkt.stack.softhsm), not its file."""
    restart: RestartPolicy = field(default_factory=RestartPolicy)


@dataclass
class Stack:
    """A running local stack; ``start`` brings it up, ``stop`` takes it down."""

    config: StackConfig
    kafka: KafkaBroker | None = None
    postgres: PostgresServer | None = None
    service_processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    service_urls: dict[str, str] = field(default_factory=dict)
    keycloak: Keycloak | None = None
    smtp: SmtpServer | None = None
    """The loopback SMTP server the notifications service mails through (tdkt.stack.smtp)."""
    restarts: dict[str, list[Restart]] = field(default_factory=dict)
    _due: dict[str, tuple[float, int | None]] = field(default_factory=dict)
    """Dead services waiting for their restart: when it is due, and how the process ended."""

    def start(self, progress: Callable[[str], None] = print) -> None:
        cfg = self.config
        private_dir(cfg.state_dir)
        generate_key_pair(self.auth_dir)  # the local sign-on: services trust its public key
        private_dir(self.auth_dir)
        private_dir(cfg.state_dir / "logs")
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
        self.postgres = PostgresServer(home=cfg.state_dir / "postgres", port=cfg.postgres_port or free_port(),
                                       passwords=self.postgres_passwords)
        progress(f"starting PostgreSQL on 127.0.0.1:{self.postgres.port} (scram-sha-256, a role per service)")
        self.postgres.start({database_name(s): database_name(s) for s in cfg.services}
                            | ({KEYCLOAK_DATABASE: KEYCLOAK_DATABASE} if cfg.portal else {}))
        if cfg.portal:
            self.config.service_ports.setdefault("portal", free_port())  # the realm's client redirects there
            self.keycloak = Keycloak.for_stack(cfg.state_dir, cfg.cache_dir, self.postgres.port,
                                               cfg.service_ports["portal"], db_username=KEYCLOAK_DATABASE,
                                               db_password=self.postgres_passwords[KEYCLOAK_DATABASE])
            progress(f"starting Keycloak on {self.keycloak.url}")
            self.keycloak.launch()  # it becomes ready while the services start
        if "notifications" in cfg.services:
            self.smtp = SmtpServer(cfg.state_dir / "smtp", free_port(), self.smtp_password)
            progress(f"starting the SMTP server on 127.0.0.1:{self.smtp.port} (STARTTLS, login; mails kept in "
                     f"{self.smtp.maildir})")
            self.smtp.start()
        for service in cfg.services:
            self._start_service(service, progress)
        if self.keycloak:
            self.keycloak.ready()
            progress(f"Keycloak ready at {self.keycloak.url} in {self.keycloak.started_in:.0f} s")
            self._start_service("portal", progress)
        if "notifications" in cfg.services:
            seed_recipients(self.service_urls["notifications"], self.token(), self._demo_accounts())
        self.write_state()

    @functools.cached_property
    def smtp_password(self) -> str:
        """The notifications service's login on the local SMTP server (kept 0600 like the others)."""
        from .smtp import USER

        return self._passwords("smtp-users.json", (USER,))[USER]

    def _demo_accounts(self) -> dict[str, str]:
        """Each demo user's account (their tokens' ``sub``): Keycloak's user id when it runs, else the login."""
        from .keycloak import DEMO_USERS

        ids = self.keycloak.user_ids() if self.keycloak else {}
        return {user.username: ids.get(user.username, user.username) for user in DEMO_USERS}

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
            # The portal owns no database: it calls the services with the person's token.
            **({"TDKT_DATABASE_URL": self.postgres.url(database_name(service), role=database_name(service))}
               if service in SERVICES else {}),
            "TDKT_HTTP_HOST": "127.0.0.1",
            "TDKT_HTTP_PORT": str(port),
            "TDKT_LOG_FORMAT": self.config.log_format,
            **self._kafka_login(service),
            "TDKT_AUTH_PUBLIC_KEY_FILE": str(self.auth_dir / "public.pem"),
            "TDKT_AUTH_ISSUER": self.issuer,
            "TDKT_AUTH_AUDIENCE": AUDIENCE,
            **(self.keycloak.service_env(service, self.service_urls) if self.keycloak else {}),
            **(self._mail_env() if service == "notifications" else {}),
            **(self._signing_env() if service == "awards" else {}),
            "PYTHONUNBUFFERED": "1",
        }

    def _signing_env(self) -> dict[str, str]:
        """The approver's certificate from the stack's own test CA (made once, 0600), so the demo signs: as its
        PKCS#12 file, or on a SoftHSM2 token (``signing_token``)."""
        files = make_signing_files(self.config.state_dir / "signing")
        if not self.config.signing_token:
            return {"TDKT_SIGNING_PKCS12_FILE": str(files.pkcs12), "TDKT_SIGNING_PASSWORD_FILE": str(files.password)}
        token = make_token(files, self.config.state_dir / "signing" / "token")
        return {**token.env, "TDKT_SIGNING_PKCS11_MODULE": str(token.module),
                "TDKT_SIGNING_PKCS11_TOKEN_LABEL": token.token_label, "TDKT_SIGNING_PKCS11_KEY_LABEL": token.key_label,
                "TDKT_SIGNING_PKCS11_PIN_FILE": str(token.pin)}

    def _mail_env(self) -> dict[str, str]:
        assert self.smtp is not None
        portal = self.config.service_ports.get("portal")
        return {**self.smtp.service_env(),
                **({"TDKT_MAIL_LINK_BASE_URL": f"http://127.0.0.1:{portal}"} if portal else {})}

    @functools.cached_property
    def kafka_passwords(self) -> dict[str, str]:
        """The broker's SCRAM users and passwords, made once and kept (owner-only) in the state folder."""
        return self._passwords("kafka-users.json", ("admin", *READS, SUBSCRIBER))

    @functools.cached_property
    def postgres_passwords(self) -> dict[str, str]:
        """PostgreSQL's superuser and each service's role, with their passwords (kept like Kafka's)."""
        return self._passwords("postgres-users.json",
                               ("postgres", *(database_name(s) for s in SERVICES), KEYCLOAK_DATABASE))

    def _passwords(self, file_name: str, users: tuple[str, ...]) -> dict[str, str]:
        """Passwords kept in ``<state>/file_name`` (0600); a user missing there gets a new one."""
        path = self.config.state_dir / file_name
        kept: dict[str, str] = dict(json.loads(path.read_text())) if path.exists() else {}
        passwords = {user: kept.get(user) or secrets.token_urlsafe(18) for user in users}
        if passwords != kept or path.stat().st_mode & 0o077:
            write_secret(path, json.dumps({**kept, **passwords}, indent=2))
        return passwords

    def kafka_credentials(self, user: str) -> KafkaCredentials | None:
        """A user's credentials on this stack's broker (None when it does not authenticate)."""
        if not self.config.secure_kafka:
            return None
        return KafkaCredentials(user, self.kafka_passwords[user])

    def _kafka_login(self, service: str) -> dict[str, str]:
        if service not in SERVICES:
            return {}  # the portal talks to no broker: it has no Kafka user
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
        self.config.service_ports[service] = port  # a restart listens where clients already call
        progress(f"starting the {service} service on http://127.0.0.1:{port}")
        process = self._spawn_service(service)
        wait_for_port("127.0.0.1", port, timeout=60, process=process, log_file=self._service_log(service))
        url = f"http://127.0.0.1:{port}"
        wait_for_health(url, timeout=60)
        self.service_urls[service] = url
        self.restarts.setdefault(service, [])

    def _service_log(self, service: str) -> Path:
        return self.config.state_dir / "logs" / f"{service}.log"

    def _spawn_service(self, service: str) -> subprocess.Popen[bytes]:
        process = spawn(
            [sys.executable, "-m", f"services.{service}"],
            log_file=self._service_log(service),
            env=self.service_env(service, self.config.service_ports[service]),
        )
        self.service_processes[service] = process
        return process

    def supervise(self, now: float | None = None) -> None:
        """Notice dead services and start each again once its pause is over (call it from the thread that
        started the stack: a child's parent-death signal follows the thread that spawned it).

        Raises StackError when Kafka or PostgreSQL died, or a service died more often than the policy allows.
        """
        now = time.monotonic() if now is None else now
        policy = self.config.restart
        for part in (self.kafka, self.postgres):
            if part and part.process and part.process.poll() is not None:
                name = "kafka" if part is self.kafka else "postgres"
                raise StackError(f"{name} stopped unexpectedly (exit {part.process.returncode}); "
                                 f"see the logs in {self.config.state_dir}")
        for service, process in self.service_processes.items():
            if service in self._due or process.poll() is None:
                continue
            recent = [r for r in self.restarts[service] if now - r.at < policy.window]
            if len(recent) >= policy.max_restarts:
                raise StackError(
                    f"the {service} service died {len(recent) + 1} times within {policy.window:.0f} s "
                    f"(last exit {process.returncode}); see {self._service_log(service)}")
            pause = policy.delay(len(recent))
            log.warning("service died; restarting", service=service, exit_code=process.returncode,
                        restart_in_s=pause, restarts=len(self.restarts[service]))
            self._due[service] = (now + pause, process.returncode)
        for service, (due, exit_code) in list(self._due.items()):
            if now < due:
                continue
            del self._due[service]
            self.restarts[service].append(Restart(at=now, exit_code=exit_code))
            process = self._spawn_service(service)
            log.warning("service restarted", service=service, pid=process.pid,
                        restarts=len(self.restarts[service]))
            self.write_state()

    def write_state(self) -> None:
        """Where everything listens, with each service's restarts (owner-only: the URLs carry passwords)."""
        assert self.kafka and self.postgres and self.kafka.process and self.postgres.process
        wall = time.time() - time.monotonic()
        state = {
            "supervisor_pid": os.getpid(),
            "kafka": {"bootstrap_servers": self.kafka.bootstrap_servers, "pid": self.kafka.process.pid,
                      "secure": self.config.secure_kafka},
            "postgres": {
                "url": self.postgres.url(),
                "pid": self.postgres.process.pid,
                "databases": {s: self.postgres.url(database_name(s), role=database_name(s))
                              for s in self.config.services},
            },
            "services": {
                name: {"url": self.service_urls[name], "pid": proc.pid,
                       "restarts": [{"at": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(wall + r.at)),
                                     "exit_code": r.exit_code} for r in self.restarts.get(name, [])]}
                for name, proc in self.service_processes.items()
            },
            "state_dir": str(self.config.state_dir),
            "issuer": self.issuer,
            **({"keycloak": {"url": self.keycloak.url, "pid": self.keycloak.process.pid}} if self.keycloak else {}),
            **({"smtp": {"address": f"127.0.0.1:{self.smtp.port}", "pid": self.smtp.process.pid,
                         "maildir": str(self.smtp.maildir)}} if self.smtp and self.smtp.process else {}),
        }
        write_secret(self.config.state_dir / STATE_FILE, json.dumps(state, indent=2))

    def stop(self) -> None:
        """Stop the services, then Kafka, then PostgreSQL; remove the state file."""
        for process in self.service_processes.values():
            stop(process)
        if self.keycloak:
            self.keycloak.stop()
        if self.smtp:
            self.smtp.stop()
        if self.kafka:
            self.kafka.stop()
        if self.postgres:
            self.postgres.stop()
        (self.config.state_dir / STATE_FILE).unlink(missing_ok=True)


def seed_recipients(url: str, token: str, accounts: dict[str, str]) -> None:
    """Record the demo's users as the notifications service's recipients (``PUT /recipients/{account}``,
    idempotent): their e-mail ``<login>@tdkt.local``, role, name and unit, as the sign-on has them."""
    from .keycloak import DEMO_USERS

    with httpx.Client(base_url=url, timeout=30, headers={"authorization": f"Bearer {token}"}) as client:
        for user in DEMO_USERS:
            body = {"email": f"{user.username}@tdkt.local", "role": user.roles[0], "display_name": user.name,
                    "unit_id": user.unit_id}
            answer = client.put(f"/recipients/{accounts[user.username]}", json=body)
            if answer.status_code != 200:
                raise StackError(f"the notifications service refused the recipient {user.username}: "
                                 f"HTTP {answer.status_code} {answer.text[:300]}")


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
    """Start the stack and keep it up until Ctrl-C, SIGTERM or ``stop_when``; always stop it.

    This thread starts every child and supervises them; ``on_ready`` (the demo's scenario) runs in a thread
    of its own meanwhile, so a service that dies during it is restarted too. An exception of ``on_ready``
    stops the stack and is raised here.
    """
    stopping = stop_when or threading.Event()
    failures: list[BaseException] = []

    def request_stop(signum: int, _frame: object) -> None:
        stopping.set()

    def when_ready() -> None:
        try:
            on_ready(stack)  # type: ignore[misc]
        except BaseException as error:  # noqa: BLE001  (handed to the supervising thread)
            failures.append(error)
            stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    worker: threading.Thread | None = None
    try:
        stack.start()
        if on_ready:
            worker = threading.Thread(target=when_ready, name="tdkt-on-ready", daemon=True)
            worker.start()
        while not stopping.wait(0.5):
            stack.supervise()
            if stack.keycloak and stack.keycloak.process and stack.keycloak.process.poll() is not None:
                raise StackError(f"keycloak stopped unexpectedly; see the logs in {stack.config.state_dir}")
    finally:
        stopping.set()  # also when supervision gave up: ``on_ready`` (the scenario) stops too
        if worker is not None:
            worker.join(ON_READY_STOP_SECONDS)  # it sees ``stopping`` and ends; bounded all the same
        stack.stop()
    if failures:
        raise failures[0]


ON_READY_STOP_SECONDS = 30.0
"""How long a stop waits for ``on_ready`` (the scenario cancels itself when the stop is asked) to end."""


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
