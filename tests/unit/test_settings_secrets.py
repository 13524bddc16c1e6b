"""Passwords from files (docker secrets): read once into the settings, a clear error when a file is unusable."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from pydantic import ValidationError

from kernel.settings import Settings


def test_the_database_password_file_goes_into_the_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "db"
    secret.write_text("p@ss:w/ord đ\n")
    monkeypatch.setenv("TDKT_DATABASE_URL", "postgresql://tdkt_units@postgres:5432/tdkt_units")
    monkeypatch.setenv("TDKT_DATABASE_PASSWORD_FILE", str(secret))
    settings = Settings()
    assert settings.database_url == "postgresql://tdkt_units:p%40ss%3Aw%2Ford%20%C4%91@postgres:5432/tdkt_units"
    url = urlsplit(settings.database_url)  # read back as a driver does
    assert (unquote(url.password or ""), url.username, url.hostname, url.path) == \
        ("p@ss:w/ord đ", "tdkt_units", "postgres", "/tdkt_units")


def test_the_kafka_password_file_replaces_the_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "kafka"
    secret.write_text("from-the-file\n")
    monkeypatch.setenv("TDKT_KAFKA_USERNAME", "units")
    monkeypatch.setenv("TDKT_KAFKA_PASSWORD_FILE", str(secret))
    credentials = Settings().kafka_credentials()
    assert credentials is not None and credentials.password == "from-the-file"


@pytest.mark.parametrize("content", [None, ""])
def test_a_missing_or_empty_password_file_stops_the_service_with_the_variable_named(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, content: str | None) -> None:
    secret = tmp_path / "db"
    if content is not None:
        secret.write_text(content)
    monkeypatch.setenv("TDKT_DATABASE_URL", "postgresql://tdkt_units@postgres:5432/tdkt_units")
    monkeypatch.setenv("TDKT_DATABASE_PASSWORD_FILE", str(secret))
    with pytest.raises(ValidationError, match="TDKT_DATABASE_PASSWORD_FILE"):
        Settings()
