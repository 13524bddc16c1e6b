"""``tdkt rebuild``: in this process with the environment's settings, and through a running service's API."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator

import httpx
import pytest
import typer
import uvicorn
from typer.testing import CliRunner

from tdkt import reporting_cli
from tdkt.stack.processes import free_port

from .test_reporting_rebuild import checksums

pytestmark = pytest.mark.integration


def tdkt_like() -> typer.Typer:
    """A parent app registering the sub-app as tdkt/cli.py does (``app.add_typer(reporting_app)``)."""
    parent = typer.Typer()
    parent.add_typer(reporting_cli.app)

    @parent.command()
    def version() -> None:  # a second command, so `rebuild` stays a subcommand as in `tdkt`
        typer.echo("0")

    return parent


def env_of(settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "TDKT_DATABASE_URL": settings.database_url,
        "TDKT_DATABASE_SCHEMA": settings.database_schema,
        "TDKT_KAFKA_BOOTSTRAP_SERVERS": settings.kafka_bootstrap_servers,
        "TDKT_TOPIC_PREFIX": settings.topic_prefix,
        "TDKT_REPORTING_URL": "",
    }


def md5_lines(output: str) -> dict[str, str]:
    return dict(re.findall(r"^\s+(\S+)\s+md5 ([0-9a-f]{32})$", output, flags=re.M))


async def test_rebuild_all_in_process_gives_the_same_tables(loaded: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    before = await checksums(loaded.service.pool, settings.database_schema)
    runner = CliRunner()
    result = await asyncio.to_thread(runner.invoke, tdkt_like(), ["rebuild", "all"], env=env_of(settings))
    assert result.exit_code == 0, result.output
    assert "award_stats: 15 messages read" in result.output
    assert "unit_tree: 24 messages read" in result.output
    assert "Rebuilt 4 read models from 74 messages" in result.output
    assert await checksums(loaded.service.pool, settings.database_schema) == before
    sums = md5_lines(result.output)
    assert sums["award_stats"] == before["award_stats"]["award_stats"][0]

    again = await asyncio.to_thread(runner.invoke, tdkt_like(), ["rebuild", "movements"], env=env_of(settings))
    assert again.exit_code == 0 and "Rebuilt 1 read model from 20 messages" in again.output
    assert md5_lines(again.output)["targets"] == sums["targets"]


async def test_an_unknown_read_model_is_refused(settings) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(tdkt_like(), ["rebuild", "everything"], env=env_of(settings))
    assert result.exit_code == 2 and "award_stats" in result.output


@contextlib.asynccontextmanager
async def serving(client: httpx.AsyncClient) -> AsyncIterator[str]:
    """Serve the already started app over HTTP on a free port."""
    port = free_port()
    app = client._transport.app  # type: ignore[attr-defined]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_config=None))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_rebuild_through_a_running_service(loaded: httpx.AsyncClient, settings, auth_keys) -> None:  # type: ignore[no-untyped-def]
    before = await checksums(loaded.service.pool, settings.database_schema)
    async with serving(loaded) as url:
        reader = await asyncio.to_thread(
            CliRunner().invoke, tdkt_like(), ["rebuild", "award_history", "--url", url],
            env={**env_of(settings), "TDKT_TOKEN": auth_keys.token("reader")},
        )
        assert reader.exit_code == 1 and "403" in reader.output and "forbidden" in reader.output, reader.output
        result = await asyncio.to_thread(
            CliRunner().invoke, tdkt_like(), ["rebuild", "award_history", "--url", url, "--poll", "0.05"],
            env={**env_of(settings), "TDKT_TOKEN": auth_keys.token("administrator")},
        )
    assert result.exit_code == 0, result.output
    assert "award_history: 15 messages read" in result.output and "award_history 15" in result.output
    assert md5_lines(result.output)["award_history"] == before["award_history"]["award_history"][0]
    assert await checksums(loaded.service.pool, settings.database_schema) == before


async def test_an_unreachable_service_is_a_clear_error(settings) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{free_port()}"
    result = await asyncio.to_thread(CliRunner().invoke, tdkt_like(), ["rebuild", "movements", "--url", url],
                                     env={**env_of(settings), "TDKT_TOKEN": "any"})
    assert result.exit_code == 1 and "error:" in result.output
