"""``tdkt import units|people|grades FILE``: bulk import into the units service from CSV or Excel.

The file goes to the running units service (``POST /imports/{kind}``), which
checks every row and applies the file in one transaction, or nothing. The
command shows a progress bar while it uploads and while the service checks,
then prints the report: every bad row with its row number, column and reason.

Exit status: 0 when the file is (or would be, with ``--dry-run``) imported
whole; 1 when rows are bad (nothing was written); 2 when the service could not
be reached or refused the file itself.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import typer
from rich.console import Console

ERRORS = Console(stderr=True)
"""Where failures go: standard error, so that standard output holds only the report."""
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from .tokens import operator_token

app = typer.Typer(
    help="Bulk import into the units service from CSV or Excel (nhập dữ liệu đơn vị, cán bộ, xếp loại).",
    no_args_is_help=True,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK = 64 * 1024


def content_type_for(path: Path) -> str:
    """The MIME type the service expects for a file, from its extension (CSV unless Excel or JSON)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return XLSX_MIME
    if suffix == ".json":
        return "application/json"
    return "text/csv"


def service_url(explicit: str | None) -> str:
    """``--url``, else ``TDKT_UNITS_URL``, else the units service of the local stack (``tdkt stack up``)."""
    if explicit:
        return explicit.rstrip("/")
    if os.environ.get("TDKT_UNITS_URL"):
        return os.environ["TDKT_UNITS_URL"].rstrip("/")
    from .stack.launcher import default_state_dir, read_state

    state = read_state(default_state_dir())
    if state and "units" in state.get("services", {}):
        return str(state["services"]["units"]["url"]).rstrip("/")
    raise typer.BadParameter(
        "no units service found: pass --url http://host:port, set TDKT_UNITS_URL, or start `tdkt stack up`",
        param_hint="--url",
    )


def _chunks(data: bytes, progress: Progress, task: Any) -> Iterator[bytes]:
    for start in range(0, len(data), CHUNK):
        chunk = data[start : start + CHUNK]
        yield chunk
        progress.advance(task, len(chunk))


def send(kind: str, path: Path, *, dry_run: bool, url: str, timeout: float, console: Console,
         token: str) -> httpx.Response:
    """Upload ``path`` with a progress bar, then wait for the service's answer under a second one."""
    data = path.read_bytes()
    endpoint = f"{url}/imports/{kind}"
    headers = {"content-type": content_type_for(path), "content-length": str(len(data)),
               "authorization": f"Bearer {token}"}
    params = {"dry_run": "true" if dry_run else "false", "filename": path.name}
    outcome: dict[str, Any] = {}

    def post(progress: Progress, task: Any) -> None:
        try:
            with httpx.Client(timeout=httpx.Timeout(timeout, connect=10)) as client:
                outcome["response"] = client.post(endpoint, params=params, headers=headers,
                                                  content=_chunks(data, progress, task))
        except httpx.HTTPError as error:
            outcome["error"] = error

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task(f"Uploading {path.name}", total=len(data))
        worker = threading.Thread(target=post, args=(progress, task), daemon=True)
        worker.start()
        while worker.is_alive() and progress.tasks[0].completed < len(data):
            worker.join(0.05)
    # Once the body is sent the service works on every row: an indeterminate bar until it answers.
    verb = "Checking" if dry_run else "Checking and applying"
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                  console=console) as progress:
        task = progress.add_task(f"{verb} every row on the service", total=None)
        while worker.is_alive():
            worker.join(0.1)
        progress.update(task, total=1, completed=1)
    if "error" in outcome:
        raise outcome["error"]
    return outcome["response"]


def print_report(report: dict[str, Any], console: Console) -> None:
    """Counts, then every problem as a table (row, column, code, message)."""
    mode = "Dry run" if report.get("dry_run") else ("Applied" if report.get("applied") else "Not applied")
    source = ", ".join(str(x) for x in (report.get("format"), report.get("encoding"),
                                        report.get("sheet") and f"sheet {report['sheet']!r}") if x)
    if report.get("applied"):
        outcome = f"{report.get('events_written', report['events'])} events written"
    elif report.get("dry_run") and report.get("ok"):
        outcome = f"{report['events']} events would be written"
    else:
        outcome = "nothing written"
    console.print(
        f"[bold]{mode}[/bold] — {report['kind']}: {report['rows']} rows read ({source}); "
        f"{report['new']} new, {report['unchanged']} unchanged, {report['invalid']} invalid; {outcome}."
    )
    if report.get("ignored_columns"):
        console.print(f"Ignored columns: {', '.join(report['ignored_columns'])}")
    errors = report.get("errors") or []
    if not errors:
        console.print("[green]No problems.[/green]")
        return
    table = Table(title=f"{len(errors)} problems in {report['invalid']} rows", show_lines=False)
    table.add_column("Row", justify="right")
    table.add_column("Column")
    table.add_column("Code")
    table.add_column("Message", overflow="fold")
    for problem in errors:
        table.add_row(str(problem.get("row") or ""), problem.get("column") or "", problem["code"], problem["message"])
    console.print(table)
    if not report.get("dry_run"):
        console.print("[red]Nothing was written.[/red] Fix these rows and import the file again.")


def run_import(kind: str, file: Path, dry_run: bool, url: str | None, timeout: float, as_json: bool,
               token: str | None) -> None:
    """The body of every ``tdkt import`` sub-command."""
    console = Console(stderr=as_json)
    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="FILE")
    base = service_url(url)
    bearer = operator_token(token)
    try:
        response = send(kind, file, dry_run=dry_run, url=base, timeout=timeout, console=console,
                        token=bearer)
    except httpx.HTTPError as error:
        ERRORS.print(f"[red]error:[/red] could not reach the units service at {base}: {error}")
        raise typer.Exit(2) from error
    try:
        body = response.json()
    except ValueError:
        ERRORS.print(f"[red]error:[/red] HTTP {response.status_code}: {response.text[:500]}")
        raise typer.Exit(2) from None
    report = body if response.status_code == 200 else (body.get("details") or {}).get("report")
    if report is None:
        ERRORS.print(f"[red]error:[/red] HTTP {response.status_code} {body.get('code')}: {body.get('message')}")
        raise typer.Exit(2)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        print_report(report, console)
    raise typer.Exit(0 if report.get("ok") else 1)


_FILE = typer.Argument(..., metavar="FILE", help="CSV (UTF-8 or Windows-1258), Excel .xlsx, or JSON rows.")
_DRY = typer.Option(False, "--dry-run", help="Check every row and report; write nothing.")
_URL = typer.Option(None, "--url", help="The units service, e.g. http://127.0.0.1:8001 [TDKT_UNITS_URL or the "
                    "local stack].")
_TIMEOUT = typer.Option(600.0, "--timeout", help="Seconds to wait for the service's answer.")
_JSON = typer.Option(False, "--json", help="Print the report as JSON (progress goes to stderr).")
_TOKEN = typer.Option(None, "--token", envvar="TDKT_TOKEN",
                      help="Bearer token [an administrator token from the local stack].")


@app.command("units")
def import_units(file: Path = _FILE, dry_run: bool = _DRY, url: str = _URL, timeout: float = _TIMEOUT,
                 as_json: bool = _JSON, token: str = _TOKEN) -> None:
    """Units (đơn vị): Mã đơn vị, Tên đơn vị, Loại đơn vị, Đơn vị cấp trên, Ngày thành lập, Số quyết định."""
    run_import("units", file, dry_run, url, timeout, as_json, token)


@app.command("people")
def import_people(file: Path = _FILE, dry_run: bool = _DRY, url: str = _URL, timeout: float = _TIMEOUT,
                  as_json: bool = _JSON, token: str = _TOKEN) -> None:
    """People (cán bộ): Mã cán bộ, Họ và tên, Giới tính, Ngày sinh, Ngày vào ngành, Mã đơn vị, Chức vụ, Loại cán bộ…"""
    run_import("people", file, dry_run, url, timeout, as_json, token)


@app.command("grades")
def import_grades(file: Path = _FILE, dry_run: bool = _DRY, url: str = _URL, timeout: float = _TIMEOUT,
                  as_json: bool = _JSON, token: str = _TOKEN) -> None:
    """Past grades (xếp loại): Mã cán bộ or Mã đơn vị, Năm, Xếp loại, Số quyết định, Căn cứ."""
    run_import("grades", file, dry_run, url, timeout, as_json, token)
