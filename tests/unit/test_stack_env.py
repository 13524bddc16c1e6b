"""What each process of the local stack is given: the portal gets no database and no broker login."""

from __future__ import annotations

from pathlib import Path

import pytest

from tdkt.stack.kafka import KafkaBroker
from tdkt.stack.launcher import Stack, StackConfig
from tdkt.stack.postgres import PostgresServer


def _stack(tmp_path: Path) -> Stack:
    stack = Stack(StackConfig(state_dir=tmp_path, secure_kafka=True))
    stack.kafka = KafkaBroker(home=tmp_path / "kafka", lib=tmp_path, port=19092, controller_port=19093,
                              scram_users=stack.kafka_passwords)
    stack.postgres = PostgresServer(home=tmp_path / "postgres", port=15432, passwords=stack.postgres_passwords)
    return stack


def test_a_service_gets_its_own_database_role_and_broker_login(tmp_path: Path) -> None:
    env = _stack(tmp_path).service_env("units", 8001)
    assert env["TDKT_KAFKA_USERNAME"] == "units" and env["TDKT_KAFKA_PASSWORD"]
    assert env["TDKT_DATABASE_URL"].startswith("postgresql://tdkt_units:")


def test_the_portal_gets_no_database_and_no_broker_login(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in ("TDKT_DATABASE_URL", "TDKT_KAFKA_USERNAME", "TDKT_KAFKA_PASSWORD"):
        monkeypatch.delenv(variable, raising=False)
    env = _stack(tmp_path).service_env("portal", 8005)
    assert not {"TDKT_DATABASE_URL", "TDKT_KAFKA_USERNAME", "TDKT_KAFKA_PASSWORD"} & set(env)


def test_the_awards_service_signs_with_the_stacks_own_test_certificate(tmp_path: Path) -> None:
    """The local stack's approver certificate (its own test CA): given to the awards service only, owner-only
    files the service loads, made once and kept."""
    from services.awards.settings import AwardsSettings, signing_keys

    stack = _stack(tmp_path)
    env = stack.service_env("awards", 8003)
    bundle, password = Path(env["TDKT_SIGNING_PKCS12_FILE"]), Path(env["TDKT_SIGNING_PASSWORD_FILE"])
    assert (bundle.stat().st_mode & 0o777, password.stat().st_mode & 0o777) == (0o600, 0o600)
    assert "TDKT_SIGNING_PKCS12_FILE" not in stack.service_env("units", 8001)
    keys = signing_keys(AwardsSettings.model_construct(signing_pkcs12_file=bundle, signing_password_file=password,
                                                       signing_trust_file=None))
    assert keys is not None and keys.trust_roots()
    assert stack.service_env("awards", 8003)["TDKT_SIGNING_PKCS12_FILE"] == str(bundle)
    assert bundle.read_bytes() == Path(stack.service_env("awards", 8003)["TDKT_SIGNING_PKCS12_FILE"]).read_bytes()


def test_the_awards_service_can_sign_with_the_stacks_softhsm_token(tmp_path: Path) -> None:
    """``--signing-token``: the same test key on a SoftHSM2 token, made once; a service process given that
    environment (its own, as SoftHSM reads its configuration once per process) signs with it."""
    import os
    import shutil
    import subprocess
    import sys

    from tdkt.stack.signing_ca import SIGNER_NAME
    from tdkt.stack.softhsm import MODULE

    if shutil.which("softhsm2-util") is None or not MODULE.is_file():
        pytest.skip("softhsm2 is missing: scripts/setup installs it")
    stack = _stack(tmp_path)
    stack.config.signing_token = True
    env = stack.service_env("awards", 8003)
    assert "TDKT_SIGNING_PKCS12_FILE" not in env and env["TDKT_SIGNING_PKCS11_TOKEN_LABEL"] == "tdkt-approver"
    pin = Path(env["TDKT_SIGNING_PKCS11_PIN_FILE"])
    assert pin.stat().st_mode & 0o777 == 0o600 and stack.service_env("awards", 8003) == env
    assert pin.read_text() == Path(stack.service_env("awards", 8003)["TDKT_SIGNING_PKCS11_PIN_FILE"]).read_text()
    code = ("from services.awards.settings import AwardsSettings, signing_keys\n"
            "keys = signing_keys(AwardsSettings())\n"
            "print(keys.signer().subject, len(keys.trust_roots()))")
    done = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parents[2])
    assert done.returncode == 0 and done.stdout.splitlines()[-1] == f"{SIGNER_NAME} 1", done.stderr
