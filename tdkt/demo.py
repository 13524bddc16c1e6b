"""The main job on one machine: bring the stack up, play the article's story, show the results.

``tdkt demo`` starts Kafka, PostgreSQL and every service, then plays the
scenario (:mod:`tdkt.scenario`): a generated Ministry of Industry and Trade,
its 2017–2023 records and awards, the 2024 conference. It prints what the
reporting service then answers — the 2023 year-end figures and paragraph,
the 2024 targets — and keeps the stack up to explore (Ctrl-C stops it), or
stops it with ``--stop``.

The size of the generated ministry is chosen on the command line
(``--staff``, ``--seed``, ``--history-from``) or by the environment
variables ``TDKT_DEMO_STAFF``, ``TDKT_DEMO_SEED``, ``TDKT_DEMO_HISTORY_FROM``.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Coroutine
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from .demo_data.article import ARTICLE_2023
from .scenario import PlainReporter, Signer, RichReporter, ScenarioOptions, ScenarioResult, play_scenario, summary_figures
from .stack.launcher import Stack, StackConfig, run_foreground
from .stack.processes import StackError


def run_demo(config: StackConfig, options: ScenarioOptions, *, keep_running: bool) -> None:
    """Start the stack, play the scenario, print the results; then keep the stack up until Ctrl-C, or stop."""
    # The scenario replays 2023 registrations (deadline 31 March 2023): the campaigns service of this
    # local stack may take "today" from the X-Tdkt-Today header. Production deployments never set this.
    os.environ.setdefault("TDKT_ALLOW_TODAY_HEADER", "true")
    console = Console()
    stack = Stack(config)
    done = threading.Event()

    def on_ready(stack: Stack) -> None:
        assert stack.kafka and stack.postgres
        for name, url in stack.service_urls.items():
            answer = httpx.get(f"{url}/health", timeout=10).json()
            if answer.get("status") != "ok":
                raise StackError(f"the {name} service is not healthy: {answer}")
        console.print()
        console.rule("[bold]Bộ Công Thương — thi đua, khen thưởng 2023 và Hội nghị 2024")
        try:
            # A live display on a terminal; in a log (CI, a pipe), one line per step as it ends.
            display = RichReporter(console) if console.is_terminal else contextlib.nullcontext(PlainReporter())
            with display as reporter:
                result = asyncio.run(_until_stopped(play_scenario(stack.service_urls, signer(stack), options,
                                                                  reporter=reporter),
                                                    done))
        except asyncio.CancelledError:
            console.print("Interrupted: stopping the stack.")
            return
        except Exception as error:  # noqa: BLE001  (shown to the user, then the stack stops)
            raise StackError(f"the demo scenario failed: {error}") from error
        print_results(console, result)
        print_urls(console, stack, keep_running)
        if not keep_running:
            done.set()

    run_foreground(stack, on_ready=on_ready, stop_when=done)


def signer(stack: Stack) -> Signer:
    """Tokens of the scenario's actors, signed with the local stack's key."""
    return lambda role, subject, name: stack.token(role, subject=subject, name=name)


async def _until_stopped(scenario: Coroutine[Any, Any, ScenarioResult], stop: threading.Event) -> ScenarioResult:
    """Run the scenario, cancelling it when Ctrl-C or SIGTERM sets ``stop`` (the launcher's handlers only set
    the event, so without this the scenario would run to its end before the stack stops)."""
    task = asyncio.ensure_future(scenario)
    while not task.done():
        if stop.is_set():
            task.cancel()
        await asyncio.wait({task}, timeout=0.2)
    return task.result()


def print_results(console: Console, result: ScenarioResult) -> None:
    """The 2023 summary (paragraph and figures against the article) and the 2024 targets' status."""
    summary = result.summary
    console.print()
    console.rule("[bold]Tổng kết năm 2023 — GET /summaries/2023 (reporting)")
    console.print(summary["paragraph_vi"], soft_wrap=True)
    if summary.get("paragraph_conferred_vi"):
        console.print(f"[dim]{summary['paragraph_conferred_vi']}[/]", soft_wrap=True)
    found = summary_figures(summary)
    names = {i["award_code"]: i["award_name"] for section in ("proposed", "granted") for i in summary.get(section, [])}
    table = Table(show_header=True, header_style="bold")
    for column in ("Hình thức", "Luồng", "Tập thể", "Cá nhân", "Bài báo", ""):
        table.add_column(column)
    for c in ARTICLE_2023:
        ind, col = found.get((c.code, c.flow), (0, 0))
        same = (ind, col) == (c.individuals, c.collectives)
        table.add_row(names.get(c.code, c.code), "trình cấp trên" if c.flow == "proposed" else "Bộ trưởng tặng",
                      str(col or ""), str(ind), _as_written(c.collectives, c.individuals),
                      "[green]✓[/]" if same else "[red]✗[/]")
    console.print(table)
    console.print()
    pledge = result.pledge
    console.rule(f"[bold]{pledge.get('title', 'Giao ước thi đua 2024')} — GET /pledges/{pledge.get('pledge_id', '')}")
    console.print(f"Ký ngày {pledge.get('signed_on')} giữa {' và '.join(pledge.get('parties', []))}:")
    results = {"achieved": "[green]hoàn thành[/]", "partly_achieved": "[yellow]hoàn thành một phần[/]",
               "not_achieved": "[red]chưa hoàn thành[/]"}
    for clause in pledge.get("clauses", []):
        outcome = results.get(clause.get("result") or "", "")
        console.print(f"  {clause['number']}. {clause['text']} {('— ' + outcome) if outcome else ''}", soft_wrap=True)
    console.print()
    console.rule("[bold]Chỉ tiêu năm 2024 — giao ước giữa Lãnh đạo Bộ và Công đoàn Bộ")
    targets = Table(show_header=True, header_style="bold")
    for column in ("Chỉ tiêu", "Mức", "Kết quả", "Trạng thái"):
        targets.add_column(column)
    for t in result.targets:
        share = f"{t.share_percent:.2f}% ({t.numerator}/{t.denominator})" if t.share_percent is not None else "—"
        status = {"met": "[green]đạt[/]", "missed": "[red]không đạt[/]"}.get(t.status, "[yellow]đang thực hiện[/]")
        targets.add_row(t.description, f"{t.threshold_percent:g}%", share, status)
    console.print(targets)
    steps = ", ".join(f"{t.label.split(' (')[0]} {t.seconds:.0f} s" for t in result.timings if t.seconds >= 1)
    note = " (already played on this stack: results read again)" if result.already_played else ""
    console.print(f"[dim]Scenario: {result.seconds:.0f} s{note}. {steps}[/]", soft_wrap=True)


def _as_written(collectives: int, individuals: int) -> str:
    """A count as the article writes it: "1 tập thể, 3 cá nhân"."""
    parts = ([f"{collectives} tập thể"] if collectives else []) + [f"{individuals} cá nhân"]
    return ", ".join(parts)


def print_urls(console: Console, stack: Stack, keep_running: bool) -> None:
    """Where everything listens."""
    assert stack.kafka and stack.postgres
    console.print()
    for name, url in stack.service_urls.items():
        console.print(f"  {name:<10} {url}  {'' if name == 'portal' else f'(API docs: {url}/docs)'}")
    if stack.keycloak and "portal" in stack.service_urls:
        console.print()
        console.rule("[bold]Cổng thông tin — mở địa chỉ này và đăng nhập")
        console.print(f"  [bold]{stack.service_urls['portal']}/?year=2023[/]  (đăng nhập qua Keycloak {stack.keycloak.url})")
        for user, password in stack.keycloak.demo_logins():
            roles = ", ".join(user.roles) + (f" ({user.unit_id})" if user.unit_id else "")
            console.print(f"  {user.username:<12} {password:<14} {user.name} — {roles}")
        console.print()
    console.print(f"  kafka      {stack.kafka.bootstrap_servers}")
    console.print(f"  postgres   {stack.postgres.address}  (passwords in {stack.config.state_dir}/postgres-users.json)")
    if stack.smtp:
        console.print(f"  smtp       127.0.0.1:{stack.smtp.port}  (every mail the notifications service sent: "
                      f"{stack.smtp.maildir}/*.eml)")
    console.print(f"  state      {stack.config.state_dir}")
    if keep_running:
        console.print("The stack keeps running; explore it (e.g. "
                      f"{stack.service_urls.get('reporting', '')}/summaries/2023), stop it with Ctrl-C.")
    else:
        console.print("Stopping the stack (--stop).")
