"""``tdkt rebuild``: rebuild the reporting service's read models from the beginning of the topics.

Two ways, the same result (the kernel's :func:`kernel.replay.rebuild`: a fresh
copy fills a shadow schema while queries keep reading the live one, then the
two are swapped in one transaction):

- ``tdkt rebuild award_stats --url http://127.0.0.1:8104`` asks a running
  reporting service to rebuild in its own process and follows its progress;
- ``tdkt rebuild all`` (no ``--url``) runs the rebuild here, with the service's
  settings from the environment (``TDKT_DATABASE_URL``, ``TDKT_DATABASE_SCHEMA``,
  ``TDKT_KAFKA_BOOTSTRAP_SERVERS``, ``TDKT_TOPIC_PREFIX``); the service may be
  running meanwhile, or not.

A progress bar per read model, then the count of messages read and rows built,
and an md5 per table: two rebuilds of the same topics print the same sums.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from services.reporting.projections import READ_MODELS

from .tokens import operator_token

app = typer.Typer(help="The reporting service's read models.", no_args_is_help=True)


@dataclass
class Rebuilt:
    """What one rebuild did, as printed at the end."""

    read_model: str
    messages: int
    seconds: float
    rows: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description:<14}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("messages"),
        TimeElapsedColumn(),
        console=console,
    )


def _names(read_model: str) -> list[str]:
    if read_model == "all":
        return list(READ_MODELS)
    if read_model not in READ_MODELS:
        raise typer.BadParameter(f"{read_model!r} is not a read model; choose from {', '.join(READ_MODELS)} or all",
                                 param_hint="READ_MODEL")
    return [read_model]


async def rebuild_here(names: list[str], progress: Progress) -> list[Rebuilt]:
    """Rebuild ``names`` in this process with the settings from the environment."""
    from kernel.db import create_pool
    from kernel.replay import rebuild
    from kernel.settings import Settings
    from kernel.topics import ensure_topics
    from services.reporting.projections import read_models, table_checksums

    settings = Settings()
    models = read_models(settings.database_schema)
    # The kernel's rebuild cannot seek on a topic that does not exist yet; the service creates
    # its topics at start, and so does this, so a rebuild before any event gives empty tables.
    await ensure_topics(
        settings.kafka_bootstrap_servers,
        sorted({settings.topic_prefix + t for name in names for t in models[name].topics}),
        credentials=settings.kafka_credentials(),
    )
    pool = await create_pool(settings.database_url, settings.database_schema, max_size=4)
    done: list[Rebuilt] = []
    try:
        for name in names:
            task = progress.add_task(name, total=None)

            def advance(read: int, known: int, task: Any = task) -> None:
                progress.update(task, completed=read, total=max(known, read))

            result = await rebuild(
                models[name], pool=pool, bootstrap_servers=settings.kafka_bootstrap_servers,
                topic_prefix=settings.topic_prefix, progress=advance, credentials=settings.kafka_credentials(),
            )
            progress.update(task, completed=result.messages, total=result.messages)
            async with pool.acquire() as conn:
                sums = await table_checksums(conn, models[name].live_schema, models[name].TABLES)
            done.append(Rebuilt(name, result.messages, result.seconds, {t: n for t, (_s, n) in sums.items()},
                                {t: s for t, (s, _n) in sums.items()}))
    finally:
        await pool.close()
    return done


def rebuild_remote(url: str, names: list[str], progress: Progress, poll: float = 0.5,
                   client: httpx.Client | None = None) -> list[Rebuilt]:
    """Ask the reporting service at ``url`` to rebuild ``names``, one after the other, following each."""
    http = client or httpx.Client(base_url=url.rstrip("/"), timeout=30)
    done: list[Rebuilt] = []
    try:
        for name in names:
            task = progress.add_task(name, total=None)
            started = http.post(f"/read-models/{name}/rebuild")
            if started.status_code == 409:
                progress.console.print(f"{name}: a rebuild is already running; following it")
            elif started.status_code != 202:
                raise RuntimeError(f"{name}: the service answered {started.status_code}: {started.text}")
            while True:
                job = http.get(f"/read-models/{name}/rebuild").json()
                read, known = job["progress"]["read"], job["progress"]["known"]
                progress.update(task, completed=read, total=max(known, read) or None)
                if job["status"] != "running":
                    break
                time.sleep(poll)
            if job["status"] != "done":
                raise RuntimeError(f"{name}: the rebuild {job['status']}: {job.get('error')}")
            progress.update(task, completed=job["messages"], total=job["messages"])
            done.append(Rebuilt(name, job["messages"], job["seconds"], job["rows"], job["checksums"]))
    finally:
        if client is None:
            http.close()
    return done


@app.command("rebuild")
def rebuild_command(
    read_model: str = typer.Argument("all", help=f"{', '.join(READ_MODELS)} or all."),
    url: str = typer.Option(
        None, "--url", envvar="TDKT_REPORTING_URL",
        help="A running reporting service (e.g. http://127.0.0.1:8104): it rebuilds in its own process. "
        "Without it, the rebuild runs here with the TDKT_* settings of the service.",
    ),
    poll: float = typer.Option(0.5, min=0.05, help="Seconds between progress checks with --url."),
    token: str = typer.Option(None, "--token", envvar="TDKT_TOKEN",
                              help="Bearer token with --url [an administrator token from the local stack]."),
) -> None:
    """Rebuild a read model (or all) from the beginning of its topics, then swap it in.

    The service keeps answering from the live tables until the swap; events
    that arrive meanwhile are applied exactly once.
    """
    names = _names(read_model)
    console = Console(stderr=True)
    started = time.monotonic()
    try:
        with _progress(console) as progress:
            if url:
                headers = {"authorization": f"Bearer {operator_token(token)}"}
                with httpx.Client(base_url=url.rstrip("/"), timeout=30, headers=headers) as client:
                    results = rebuild_remote(url, names, progress, poll, client=client)
            else:
                results = asyncio.run(rebuild_here(names, progress))
    except Exception as error:  # noqa: BLE001  (an operator wants the reason, not a traceback)
        typer.echo(f"error: {type(error).__name__}: {error}", err=True)
        raise typer.Exit(1) from error
    for r in results:
        rows = ", ".join(f"{t} {n}" for t, n in r.rows.items())
        typer.echo(f"{r.read_model}: {r.messages} messages read in {r.seconds:.1f} s; rows: {rows}")
        for table, checksum in r.checksums.items():
            typer.echo(f"    {table:<20} md5 {checksum}")
    total = sum(r.messages for r in results)
    typer.echo(f"Rebuilt {len(results)} read model{'s' if len(results) != 1 else ''} from {total} messages "
               f"in {time.monotonic() - started:.1f} s.")


if __name__ == "__main__":
    app()
