"""The operator's command: a version, errors on standard error, exit codes as documented."""

from __future__ import annotations

from importlib.metadata import version

from typer.testing import CliRunner

from tdkt.cli import app

RUNNER = CliRunner()


def test_version() -> None:
    result = RUNNER.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"tdkt {version('tdkt')}"


def test_kafka_acls_show_needs_no_broker() -> None:
    result = RUNNER.invoke(app, ["kafka-acls", "--show"])
    assert result.exit_code == 0, result.output
    assert "| units | topic |" in result.stdout


def test_kafka_acls_without_a_broker_is_a_usage_error_on_stderr() -> None:
    result = RUNNER.invoke(app, ["kafka-acls"], env={"TDKT_KAFKA_BOOTSTRAP_SERVERS": ""})
    assert result.exit_code == 2
    assert "error:" in result.stderr and "error:" not in result.stdout


def test_an_import_that_cannot_reach_the_service_says_so_on_stderr(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = tmp_path / "units.csv"
    rows.write_text("unit_id,code,name,kind\n", encoding="utf-8")
    result = RUNNER.invoke(app, ["import", "units", str(rows), "--url", "http://127.0.0.1:9", "--token", "x"])
    assert result.exit_code == 2
    assert "could not reach" in result.stderr and "could not reach" not in result.stdout
