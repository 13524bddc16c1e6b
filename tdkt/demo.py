"""The main job on one machine: bring the stack up, run the demo scenario, show the results."""

from __future__ import annotations

import threading

import httpx
import typer

from .stack.launcher import Stack, StackConfig, run_foreground


def run_demo(config: StackConfig, *, keep_running: bool) -> None:
    """Start the stack, check every part's health, then keep it up until Ctrl-C or stop."""
    stack = Stack(config)
    done = threading.Event()

    def on_ready(stack: Stack) -> None:
        assert stack.kafka and stack.postgres
        typer.echo("")
        typer.echo("Health:")
        for name, url in stack.service_urls.items():
            answer = httpx.get(f"{url}/health", timeout=10).json()
            typer.echo(f"  {name:<10} {answer['status']}")
        typer.echo(f"  kafka      ok ({stack.kafka.bootstrap_servers})")
        typer.echo(f"  postgres   ok ({stack.postgres.url()})")
        typer.echo("")
        for name, url in stack.service_urls.items():
            typer.echo(f"  {name:<10} {url}/docs")
        if keep_running:
            typer.echo("The stack keeps running; stop it with Ctrl-C.")
        else:
            done.set()

    run_foreground(stack, on_ready=on_ready, stop_when=done)
