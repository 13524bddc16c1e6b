"""The compose file, checked without a Docker engine: it parses and matches the settings model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from kernel.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
SERVICES = ("units", "campaigns", "awards", "reporting")
SETTINGS_VARIABLES = {f"TDKT_{name.upper()}" for name in Settings.model_fields}


def _substitute(value: str) -> str:
    """Compose's ${VAR:-default} with the defaults, as a first start would see it."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


ONE_SHOT = ("kafka-storage", "kafka-acls")
"""Set-up steps that run once before the broker and the services and exit."""


def test_every_part_is_declared_with_image_health_check_and_restart_policy() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"kafka", "postgres", *SERVICES, *ONE_SHOT}
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["postgres"]["image"].startswith("postgres:")
    for name, spec in services.items():
        assert spec.get("image"), f"{name} has no image"
        if name in ONE_SHOT:
            assert spec.get("restart") == "no" and not spec.get("ports"), name
            continue
        assert spec.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert spec.get("restart") == "unless-stopped", f"{name} has no restart policy"
        assert spec.get("ports"), f"{name} publishes no port"
        for port in spec["ports"]:
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def _secret_target(entry: str | dict[str, str]) -> tuple[str, str]:
    return (entry, entry) if isinstance(entry, str) else (entry["source"], entry.get("target", entry["source"]))


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_environment_is_exactly_understood_by_the_settings_model(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = COMPOSE["services"][name]
    environment = {key: _substitute(str(value)) for key, value in spec["environment"].items()}
    unknown = set(environment) - SETTINGS_VARIABLES
    assert not unknown, f"{name} sets variables the settings model ignores: {unknown}"
    targets = dict(_secret_target(e)[::-1] for e in spec["secrets"])  # /run/secrets/<target> → source
    for key, value in environment.items():
        if value.startswith("/run/secrets/") and key.endswith("_PASSWORD_FILE"):
            source = targets[value.removeprefix("/run/secrets/")]
            assert source in COMPOSE["secrets"], source
            (tmp_path / source).write_text(f"secret-of-{source}\n")  # what compose mounts there
            value = str(tmp_path / source)
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert settings.database_url == f"postgresql://tdkt_{name}:secret-of-tdkt_{name}_db_password@postgres:5432/tdkt_{name}"
    credentials = settings.kafka_credentials()
    assert credentials is not None and (credentials.username, credentials.password) == \
        (name, f"secret-of-kafka_{name}_password")
    assert settings.auth_public_key_file is not None
    assert str(settings.auth_public_key_file) == "/run/secrets/tdkt_auth_public_key"
    assert "tdkt_auth_public_key" in targets and "tdkt_auth_public_key" in COMPOSE["secrets"]
    assert spec["command"] == ["python", "-m", f"services.{name}"]
    assert spec["depends_on"]["kafka-acls"]["condition"] == "service_completed_successfully"
    init = (ROOT / "deploy/postgres/init-databases.sh").read_text()
    assert "for service in units campaigns awards reporting" in init and 'CREATE DATABASE :"role" OWNER :"role"' in init


def test_no_password_is_an_environment_variable() -> None:
    for name, spec in COMPOSE["services"].items():
        environment = spec.get("environment") or {}
        for key, value in environment.items():
            if "PASSWORD" in key or "JAAS" in key:
                assert key.endswith("_FILE") and str(value).startswith("/run/secrets/"), (name, key)
            assert "password=" not in str(value).lower(), (name, key)
    for source in COMPOSE["secrets"].values():
        assert source["file"].startswith(("./secrets/", "${TDKT_AUTH_PUBLIC_KEY_PATH"))


def test_kafka_authenticates_every_listener_and_has_no_anonymous_super_user() -> None:
    kafka = COMPOSE["services"]["kafka"]["environment"]
    protocols = dict(pair.split(":") for pair in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert protocols == {"SASL_PLAINTEXT": "SASL_PLAINTEXT", "CONTROLLER": "SASL_PLAINTEXT"}
    assert kafka["KAFKA_SUPER_USERS"] == "User:admin"
    assert kafka["KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND"] == "false"
    assert kafka["KAFKA_AUTHORIZER_CLASS_NAME"].endswith("StandardAuthorizer")
    assert "kafka_jaas" in COMPOSE["services"]["kafka"]["secrets"]


def test_postgres_asks_every_connection_for_a_password() -> None:
    postgres = COMPOSE["services"]["postgres"]["environment"]
    assert "--auth-local=scram-sha-256" in postgres["POSTGRES_INITDB_ARGS"]
    assert "--auth-host=scram-sha-256" in postgres["POSTGRES_INITDB_ARGS"]
    assert "POSTGRES_HOST_AUTH_METHOD" not in postgres and "POSTGRES_PASSWORD" not in postgres


def test_data_lives_in_named_volumes() -> None:
    volumes = set(COMPOSE["volumes"])
    assert {"kafka-data", "postgres-data"} <= volumes
    assert any(v.startswith("kafka-data:") for v in COMPOSE["services"]["kafka"]["volumes"])
    assert any(v.startswith("postgres-data:") for v in COMPOSE["services"]["postgres"]["volumes"])


def test_the_dockerfile_installs_every_package_the_services_import() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    for folder in ("contracts", "kernel", "services", "tdkt", "constraints.txt"):
        assert f"COPY {folder}" in dockerfile
