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


def test_every_part_is_declared_with_image_health_check_and_restart_policy() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"kafka", "postgres", *SERVICES}
    assert services["kafka"]["image"].startswith("apache/kafka:4.")
    assert services["postgres"]["image"].startswith("postgres:")
    for name, spec in services.items():
        assert spec.get("image"), f"{name} has no image"
        assert spec.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert spec.get("restart") == "unless-stopped", f"{name} has no restart policy"
        assert spec.get("ports"), f"{name} publishes no port"
        for port in spec["ports"]:
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_environment_is_exactly_understood_by_the_settings_model(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = COMPOSE["services"][name]
    environment = {key: _substitute(str(value)) for key, value in spec["environment"].items()}
    unknown = set(environment) - SETTINGS_VARIABLES
    assert not unknown, f"{name} sets variables the settings model ignores: {unknown}"
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    settings = Settings()
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert settings.database_url.endswith(f"@postgres:5432/tdkt_{name}")
    assert settings.auth_public_key_file is not None
    assert str(settings.auth_public_key_file) == "/run/secrets/tdkt_auth_public_key"
    assert "tdkt_auth_public_key" in spec["secrets"] and "tdkt_auth_public_key" in COMPOSE["secrets"]
    assert spec["command"] == ["python", "-m", f"services.{name}"]
    assert spec["depends_on"]["kafka"]["condition"] == "service_healthy"
    assert f"CREATE DATABASE tdkt_{name} OWNER tdkt_{name}" in (ROOT / "deploy/postgres/init-databases.sql").read_text()


def test_data_lives_in_named_volumes() -> None:
    volumes = set(COMPOSE["volumes"])
    assert {"kafka-data", "postgres-data"} <= volumes
    assert any(v.startswith("kafka-data:") for v in COMPOSE["services"]["kafka"]["volumes"])
    assert any(v.startswith("postgres-data:") for v in COMPOSE["services"]["postgres"]["volumes"])


def test_the_dockerfile_installs_every_package_the_services_import() -> None:
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text()
    for folder in ("contracts", "kernel", "services", "tdkt", "constraints.txt"):
        assert f"COPY {folder}" in dockerfile
