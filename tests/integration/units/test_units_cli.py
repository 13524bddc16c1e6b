"""``tdkt import`` against a units service listening on a real port."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from kernel.settings import Settings
from typer.testing import CliRunner

from services.units.app import build
from tdkt.importing import app as import_app

from .support import PEOPLE_HEADER, UNITS_CSV_ROWS, UNITS_HEADER, staff_list, to_csv

pytestmark = pytest.mark.integration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def units_url(settings: Settings) -> AsyncIterator[str]:
    """The units service on 127.0.0.1:<free port> (started here, stopped after the test)."""
    app, service = build(settings)
    await service.start()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None,
                                           access_log=False))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
        await service.stop()


@pytest.fixture
def tdkt_import(auth_keys):  # type: ignore[no-untyped-def]
    """Runs ``tdkt import`` with an administrator's token in TDKT_TOKEN."""

    async def run(*args: str) -> tuple[int, str]:
        # The command is synchronous (httpx, rich): run it off the loop that serves the API.
        runner = CliRunner(env={"TDKT_TOKEN": auth_keys.token("administrator", subject="cli-import")})
        result = await asyncio.to_thread(runner.invoke, import_app, list(args))
        return result.exit_code, result.output

    return run


async def test_a_refused_token_is_reported(units_url: str, tmp_path: Path) -> None:
    units = tmp_path / "don_vi.csv"
    units.write_bytes(to_csv(UNITS_HEADER, UNITS_CSV_ROWS))
    runner = CliRunner(env={"TDKT_TOKEN": "expired-or-forged"})
    result = await asyncio.to_thread(runner.invoke, import_app, ["units", str(units), "--url", units_url])
    assert result.exit_code == 2 and "invalid_token" in result.output, result.output


async def test_import_from_the_command_line(units_url: str, tmp_path: Path, tdkt_import) -> None:  # type: ignore[no-untyped-def]
    units = tmp_path / "don_vi.csv"
    units.write_bytes(to_csv(UNITS_HEADER, UNITS_CSV_ROWS))
    code, output = await tdkt_import("units", str(units), "--url", units_url)
    assert code == 0, output
    assert "Applied" in output and "10 new" in output

    rows = staff_list(300)
    rows[41][4] = "30/02/1980"
    rows[99][6] = "KHONG-CO"
    people = tmp_path / "can_bo.csv"
    people.write_bytes(to_csv(PEOPLE_HEADER, rows))
    code, output = await tdkt_import("people", str(people), "--dry-run", "--url", units_url)
    assert code == 1, output
    assert "Dry run" in output and "2 invalid" in output
    assert "invalid_date" in output and "unit_not_found" in output
    assert "Uploading can_bo.csv" in output

    code, output = await tdkt_import("people", str(people), "--url", units_url)
    assert code == 1 and "Nothing was written" in output, output

    rows = staff_list(300)
    people.write_bytes(to_csv(PEOPLE_HEADER, rows))
    code, output = await tdkt_import("people", str(people), "--url", units_url)
    assert code == 0 and "300 new" in output, output
    code, output = await tdkt_import("people", str(people), "--url", units_url, "--json")
    assert code == 0 and '"unchanged": 300' in output, output

    code, output = await tdkt_import("grades", str(tmp_path / "missing.csv"), "--url", units_url)
    assert code == 2 and "Invalid value" in output
