"""The compose project scripts/test-compose brought up, driven from the host: HTTP on its published ports,
``docker compose`` for restarts, Kafka read from inside its network, PostgreSQL through its container."""

from __future__ import annotations

import email
import email.policy
import json
import os
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import httpx

from kernel.auth import mint_token

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "deploy" / "compose.yaml"
DUMP_SCRIPT = Path(__file__).with_name("kafka_dump.py")
SERVICE_PORTS = {"units": 8101, "campaigns": 8102, "awards": 8103, "reporting": 8104, "notifications": 8105,
                 "portal": 8080, "keycloak": 8180}
MAILDIR = "/home/tdkt/mail"
"""Where the smtp-sink part keeps every message (a maildir, in its container)."""
_READ_MAILDIR = (
    "import json, mailbox; box = mailbox.Maildir('" + MAILDIR + "'); "
    "print(json.dumps([box.get_bytes(key).decode('utf-8', 'replace') for key in box.keys()]))"
)
DATABASES = ("units", "campaigns", "awards")
"""The services whose event stores are relayed to Kafka (reporting only reads)."""


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines of a compose env file."""
    found = {}
    for line in path.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            found[key.strip()] = value.strip()
    return found


@dataclass(frozen=True)
class ComposeStack:
    """One running compose project: its name, its env file and the private key its tokens are signed with."""

    project: str
    env_file: Path
    private_key: Path

    @classmethod
    def from_environment(cls) -> ComposeStack:
        """The project scripts/test-compose names in TDKT_COMPOSE_PROJECT, _ENV_FILE and _PRIVATE_KEY."""
        return cls(os.environ["TDKT_COMPOSE_PROJECT"], Path(os.environ["TDKT_COMPOSE_ENV_FILE"]),
                   Path(os.environ["TDKT_COMPOSE_PRIVATE_KEY"]))

    def compose(self, *args: str, stdin: str | None = None, timeout: float = 300) -> str:
        """``docker compose`` on this project; its standard output (a failure raises with its output)."""
        command = ["docker", "compose", "-p", self.project, "--env-file", str(self.env_file),
                   "-f", str(COMPOSE_FILE), *args]
        result = subprocess.run(command, input=stdin, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def postgres(self, command: str, stdin: bytes | None = None, timeout: float = 300) -> bytes:
        """``command`` run by a shell in the PostgreSQL container with the superuser's password in PGPASSWORD;
        its standard output as bytes (a dump is binary)."""
        shell = f"PGPASSWORD=$(cat /run/secrets/postgres_password) {command}"
        args = ["docker", "compose", "-p", self.project, "--env-file", str(self.env_file), "-f", str(COMPOSE_FILE),
                "exec", "-T", "postgres", "sh", "-c", shell]
        result = subprocess.run(args, input=stdin, capture_output=True, timeout=timeout)
        if result.returncode != 0:
            raise AssertionError(f"{command} failed ({result.returncode}): {result.stderr.decode(errors='replace')}")
        return result.stdout

    def url(self, service: str) -> str:
        """Where ``service`` answers on the host."""
        variables = read_env_file(self.env_file)
        port = variables.get(f"TDKT_{service.upper()}_PORT", str(SERVICE_PORTS[service]))
        return f"http://{variables.get('TDKT_BIND_ADDRESS', '127.0.0.1')}:{port}"

    @property
    def issuer(self) -> str:
        """The tokens' issuer the services expect: compose's Keycloak realm, at the address browsers use."""
        return f"{read_env_file(self.env_file)['TDKT_KEYCLOAK_PUBLIC_URL']}/realms/tdkt"

    def client(self, service: str) -> httpx.Client:
        """An HTTP client for ``service`` with an administrator's token (signed with the key the services
        trust beside the realm's)."""
        token = mint_token(self.private_key, subject="compose-test", name="Kiểm thử compose",
                           roles=["administrator"], issuer=self.issuer, audience="tdkt")
        return httpx.Client(base_url=self.url(service), headers={"Authorization": f"Bearer {token}"}, timeout=30)

    def mails(self) -> list[email.message.EmailMessage]:
        """Every message the smtp-sink part has received, parsed from its bytes as kept."""
        out = self.compose("exec", "-T", "smtp-sink", "python", "-c", _READ_MAILDIR)
        return [email.message_from_string(text, policy=email.policy.default)  # type: ignore[misc]
                for text in json.loads(out)]

    def kafka_bootstrap(self) -> str:
        """The broker's published listener (EXTERNAL), where a subscribing system outside the network connects."""
        variables = read_env_file(self.env_file)
        return f"{variables.get('TDKT_BIND_ADDRESS', '127.0.0.1')}:{variables.get('TDKT_KAFKA_PORT', '9092')}"

    def secret(self, name: str) -> str:
        """One of the deployment's secrets, as make-secrets.sh wrote it."""
        return (Path(read_env_file(self.env_file)["TDKT_SECRETS_DIR"]) / name).read_text().strip()

    def kafka_records(self, *topics: str) -> list[dict[str, str]]:
        """Every record of ``topics`` (topic, ce_id, ce_type), read as the admin from inside the network."""
        out = self.compose("run", "--rm", "-T", "--no-deps", "kafka-acls", "python", "-", *topics,
                           stdin=DUMP_SCRIPT.read_text())
        return [json.loads(line) for line in out.splitlines() if line.startswith("{")]

    def stored_events(self) -> dict[str, set[str]]:
        """The event ids of every relayed service's event store, by topic (as the PostgreSQL superuser)."""
        found: dict[str, set[str]] = {}
        for service in DATABASES:
            out = self.compose("exec", "-T", "postgres", "sh", "-c",
                               "PGPASSWORD=$(cat /run/secrets/postgres_password) psql -U postgres -At -F ' ' "
                               f"-d tdkt_{service} -c 'SELECT topic, event_id FROM events'")
            for line in out.splitlines():
                topic, event_id = line.split(" ")
                found.setdefault(topic, set()).add(event_id)
        return found

    def wait_healthy(self, *services: str, timeout: float = 600) -> None:
        """Until every one of ``services`` reports healthy (docker's health check), or fail naming the others."""
        deadline = time.monotonic() + timeout
        states: dict[str, str] = {}
        while time.monotonic() < deadline:
            rows = [json.loads(line) for line in self.compose("ps", "--format", "json", *services).splitlines()
                    if line.startswith("{")]
            states = {row["Service"]: row.get("Health") or row.get("State", "") for row in rows}
            if set(states) == set(services) and all(state == "healthy" for state in states.values()):
                return
            time.sleep(2)
        raise AssertionError(f"not healthy after {timeout:.0f} s: {states}")


def types(records: list[dict[str, str]]) -> Counter[str]:
    """How many records of each event type (the type's last two parts, e.g. 'award.granted')."""
    return Counter(".".join(r["type"].split(".")[-2:]) for r in records)
