"""The ``tdkt`` command: everything an operator does by hand."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import typer

from .importing import app as import_app
from .reporting_cli import app as reporting_app
from .stack.launcher import (
    Stack,
    StackConfig,
    default_state_dir,
    read_state,
    run_foreground,
    stop_running,
)
from .stack.processes import StackError
from .tokens import app as token_app

SECURE_KAFKA_HELP = ("Kafka authenticates every client with SASL/SCRAM and authorises it with ACLs: each service "
                    "writes only its own topics; the 'subscriber' user reads the public ones (passwords in "
                    "<state>/kafka-users.json). --plain-kafka: a broker any local process may use as it likes "
                    "(for tools that cannot log in; never with real data).")

PORTAL_HELP = ("The web portal too, with its sign-on (Keycloak from Maven Central, on Java 21+), when every service "
               "runs: the demo users' passwords are in <state>/keycloak.json.")
SIGNING_TOKEN_HELP = ("The awards service signs decisions with a PKCS#11 token — a SoftHSM2 token holding the stack's "
                      "test approver key (<state>/signing/token; Debian's softhsm2) — instead of its PKCS#12 file.")

app = typer.Typer(help="Thi đua – khen thưởng: operate the emulation and commendation system.", no_args_is_help=True)


def _version(shown: bool) -> None:
    if shown:
        from importlib.metadata import version

        typer.echo(f"tdkt {version('tdkt')}")
        raise typer.Exit(0)


@app.callback()
def main(
    _version_flag: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit."),
) -> None:
    """Exit codes: 0 done; 1 the work was refused (a file with bad rows, a failed rebuild); 2 bad usage or a
    service that cannot be reached or answered with an error."""
stack_app = typer.Typer(help="The local stack: Apache Kafka, PostgreSQL and the services on loopback.", no_args_is_help=True)
app.add_typer(stack_app, name="stack")
app.add_typer(import_app, name="import")
app.add_typer(token_app, name="token")
# No name: its one command becomes `tdkt rebuild [READ_MODEL|all] [--url …]`.
app.add_typer(reporting_app)


def _print_ready(stack: Stack) -> None:
    assert stack.kafka and stack.postgres
    typer.echo("")
    typer.echo("The stack is up:")
    typer.echo(f"  Kafka       {stack.kafka.bootstrap_servers}")
    typer.echo(f"  PostgreSQL  {stack.postgres.address}  (passwords in {stack.config.state_dir}/postgres-users.json)")
    for name, url in stack.service_urls.items():
        typer.echo(f"  {name:<11} {url}  {'' if name == 'portal' else f'(API docs: {url}/docs)'}")
    if stack.keycloak:
        typer.echo(f"  Keycloak    {stack.keycloak.url}  (realm tdkt; demo users in {stack.config.state_dir}/keycloak.json)")
    typer.echo(f"  state       {stack.config.state_dir}")
    typer.echo("Stop it with Ctrl-C or `tdkt stack down`.")


@stack_app.command("up")
def stack_up(
    detach: bool = typer.Option(False, "--detach", "-d", help="Start in the background and return once healthy."),
    kafka_port: int = typer.Option(0, envvar="TDKT_STACK_KAFKA_PORT", help="Kafka client port (0: a free one)."),
    postgres_port: int = typer.Option(0, envvar="TDKT_STACK_POSTGRES_PORT", help="PostgreSQL port (0: a free one)."),
    services: str = typer.Option(None, help="Comma-separated services to start ('' for none) [all]."),
    state_dir: Path = typer.Option(None, envvar="TDKT_STATE_DIR", help="Folder for all data and logs [./.tdkt]."),
    secure_kafka: bool = typer.Option(True, "--secure-kafka/--plain-kafka", help=SECURE_KAFKA_HELP),
    portal: bool = typer.Option(True, "--portal/--no-portal", help=PORTAL_HELP),
    signing_token: bool = typer.Option(False, "--signing-token/--signing-file", envvar="TDKT_STACK_SIGNING_TOKEN",
                                       help=SIGNING_TOKEN_HELP),
) -> None:
    """Start Kafka, PostgreSQL and the services; stay in the foreground until Ctrl-C."""
    state_dir = (state_dir or default_state_dir()).resolve()
    if read_state(state_dir):
        typer.echo(f"A stack is already running from {state_dir}; `tdkt stack status` shows it.", err=True)
        raise typer.Exit(1)
    if detach:
        _detach(state_dir, kafka_port, postgres_port, services, secure_kafka, portal, signing_token)
        return
    # The portal reads every service: with a chosen few (--services) it stays out, and so does Keycloak.
    config = StackConfig(state_dir=state_dir, kafka_port=kafka_port, postgres_port=postgres_port,
                         secure_kafka=secure_kafka, portal=portal and services is None, signing_token=signing_token)
    if services is not None:
        config.services = tuple(s for s in services.split(",") if s)
    try:
        run_foreground(Stack(config), on_ready=_print_ready)
    except StackError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error


def _postgres_address(state: dict) -> str:  # type: ignore[type-arg]
    """Where the stack's PostgreSQL listens, from stack.json, without the password its URL carries."""
    return "postgresql://" + state["postgres"]["url"].rsplit("@", 1)[-1].rsplit("/", 1)[0]


def _detach(state_dir: Path, kafka_port: int, postgres_port: int, services: str | None, secure_kafka: bool,
            portal: bool, signing_token: bool) -> None:
    state_dir.mkdir(parents=True, exist_ok=True)
    log = open(state_dir / "supervisor.log", "ab")  # noqa: SIM115  (handed to the child)
    process = subprocess.Popen(
        [sys.executable, "-m", "tdkt.cli", "stack", "up", "--kafka-port", str(kafka_port),
         "--postgres-port", str(postgres_port), "--state-dir", str(state_dir),
         *(["--services", services] if services is not None else []),
         "--secure-kafka" if secure_kafka else "--plain-kafka", "--portal" if portal else "--no-portal",
         "--signing-token" if signing_token else "--signing-file"],
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if process.poll() is not None:
            typer.echo(f"error: the stack did not start; see {state_dir / 'supervisor.log'}", err=True)
            raise typer.Exit(1)
        state = read_state(state_dir)
        if state:
            # stack.json's database URLs carry passwords: the terminal gets where PostgreSQL listens.
            state["postgres"] = {"address": _postgres_address(state), "pid": state["postgres"]["pid"],
                                 "passwords": str(state_dir / "postgres-users.json")}
            typer.echo(json.dumps(state, indent=2))
            return
        time.sleep(0.5)
    typer.echo("error: the stack did not become ready in 10 minutes", err=True)
    raise typer.Exit(1)


@app.command("demo")
def demo(
    stop_after: bool = typer.Option(
        False, "--stop", help="Stop the stack once the demo has run, instead of keeping it up to explore."
    ),
    staff: int = typer.Option(
        3000, "--staff", envvar="TDKT_DEMO_STAFF", min=1000,
        help="People on the generated ministry's staff (1,000 at least: the article's 2023 figures need them).",
    ),
    seed: int = typer.Option(2024, "--seed", envvar="TDKT_DEMO_SEED", help="Seed of the generated ministry."),
    history_from: int = typer.Option(
        2019, "--history-from", envvar="TDKT_DEMO_HISTORY_FROM", min=2017, max=2021,
        help="First year whose unit-level titles are replayed (2017: the full history, slower).",
    ),
    state_dir: Path = typer.Option(None, envvar="TDKT_STATE_DIR", help="Folder for all data and logs [./.tdkt]."),
    secure_kafka: bool = typer.Option(True, "--secure-kafka/--plain-kafka", help=SECURE_KAFKA_HELP),
    portal: bool = typer.Option(True, "--portal/--no-portal", help=PORTAL_HELP),
) -> None:
    """The main job: the whole stack on loopback, then the demo scenario and its results."""
    from .demo import run_demo
    from .scenario import ScenarioOptions

    state_dir = (state_dir or default_state_dir()).resolve()
    if read_state(state_dir):
        typer.echo(f"A stack is already running from {state_dir}; stop it with `tdkt stack down`.", err=True)
        raise typer.Exit(1)
    options = ScenarioOptions(seed=seed, staff=staff, history_from=history_from)
    try:
        run_demo(StackConfig(state_dir=state_dir, secure_kafka=secure_kafka, portal=portal), options, keep_running=not stop_after)
    except StackError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from error


@stack_app.command("down")
def stack_down(state_dir: Path = typer.Option(None, envvar="TDKT_STATE_DIR")) -> None:
    """Stop a stack started with `tdkt stack up --detach`."""
    state_dir = (state_dir or default_state_dir()).resolve()
    if stop_running(state_dir):
        typer.echo("The stack is stopped.")
    else:
        typer.echo("No stack is running.")


@stack_app.command("status")
def stack_status(state_dir: Path = typer.Option(None, envvar="TDKT_STATE_DIR")) -> None:
    """Say whether a stack runs and check each part's health."""
    import asyncio

    import asyncpg
    import httpx

    from .stack.kafka import wait_for_metadata

    state_dir = (state_dir or default_state_dir()).resolve()
    state = read_state(state_dir)
    if state is None:
        typer.echo("No stack is running.")
        raise typer.Exit(3)
    healthy = True
    address = _postgres_address(state)
    admin = None
    if state["kafka"].get("secure"):
        from kernel.kafka_auth import KafkaCredentials

        users = json.loads((state_dir / "kafka-users.json").read_text())
        admin = KafkaCredentials("admin", users["admin"])

    async def check() -> None:
        nonlocal healthy
        try:
            await wait_for_metadata(state["kafka"]["bootstrap_servers"], timeout=5, credentials=admin)
            typer.echo(f"kafka       {state['kafka']['bootstrap_servers']}  ok")
        except StackError as error:
            healthy = False
            typer.echo(f"kafka       {state['kafka']['bootstrap_servers']}  DOWN: {error}")
        try:
            conn = await asyncpg.connect(state["postgres"]["url"], timeout=5)
            await conn.fetchval("SELECT 1")
            await conn.close()
            typer.echo(f"postgres    {address}  ok")
        except (OSError, asyncpg.PostgresError) as error:
            healthy = False
            typer.echo(f"postgres    {address}  DOWN: {error}")
        for name, service in state["services"].items():
            try:
                response = httpx.get(f"{service['url']}/health", timeout=5)
                ok = response.status_code == 200
                detail = "ok" if ok else f"HTTP {response.status_code}"
            except httpx.HTTPError as error:
                ok, detail = False, f"DOWN: {error}"
            healthy = healthy and ok
            restarts = service.get("restarts", [])
            if restarts:
                detail += f"  restarts: {len(restarts)} (last {restarts[-1]['at']}, exit {restarts[-1]['exit_code']})"
            else:
                detail += "  restarts: 0"
            typer.echo(f"{name:<11} {service['url']}  {detail}")

    asyncio.run(check())
    raise typer.Exit(0 if healthy else 1)


@stack_app.command("env")
def stack_env(state_dir: Path = typer.Option(None, envvar="TDKT_STATE_DIR")) -> None:
    """Print shell exports that point a service or a tool at the running stack."""
    state_dir = (state_dir or default_state_dir()).resolve()
    state = read_state(state_dir)
    if state is None:
        typer.echo("No stack is running.", err=True)
        raise typer.Exit(3)
    typer.echo(f"export TDKT_KAFKA_BOOTSTRAP_SERVERS={state['kafka']['bootstrap_servers']}")
    for name, url in state["postgres"]["databases"].items():
        typer.echo(f"export TDKT_{name.upper()}_DATABASE_URL={url}")



@app.command("kafka-acls")
def kafka_acls(
    bootstrap_servers: str = typer.Option(None, "--bootstrap-servers", envvar="TDKT_KAFKA_BOOTSTRAP_SERVERS",
                                          help="The broker (required unless --show)."),
    admin_user: str = typer.Option("admin", "--admin-user", help="A super user of the broker."),
    admin_password_file: Path = typer.Option(None, "--admin-password-file", exists=True, dir_okay=False,
                                             help="A file holding the admin's password, one line (required "
                                                  "unless --show)."),
    prefix: str = typer.Option("", "--prefix", envvar="TDKT_TOPIC_PREFIX", help="The deployment's topic prefix."),
    tls: bool = typer.Option(False, "--tls", help="Connect over TLS (SASL_SSL)."),
    show: bool = typer.Option(False, "--show", help="Print the grants; change nothing."),
    create_topics: bool = typer.Option(False, "--create-topics",
                                       help="Create the contexts' topics first, as the admin (a broker that does "
                                            "not create topics automatically)."),
) -> None:
    """Grant on a SASL/SCRAM broker what each service and the external subscriber may do (idempotent)."""
    import asyncio

    from kernel.kafka_auth import KafkaCredentials
    from kernel.topics import ensure_topics

    from .stack.kafka_acls import CONTEXT_TOPICS, apply_grants, grants, grants_markdown

    if show:
        typer.echo(grants_markdown(prefix))
        return
    if not bootstrap_servers or admin_password_file is None:
        typer.echo("error: --bootstrap-servers and --admin-password-file are needed to apply the grants "
                   "(--show only prints them)", err=True)
        raise typer.Exit(2)
    admin = KafkaCredentials(admin_user, admin_password_file.read_text().strip(), tls=tls)

    async def apply() -> int:
        if create_topics:
            await ensure_topics(bootstrap_servers, [prefix + t for t in CONTEXT_TOPICS], credentials=admin)
        return await apply_grants(bootstrap_servers, admin, grants(prefix))

    try:
        created = asyncio.run(apply())
    except Exception as error:  # noqa: BLE001  (an operator wants the reason, not a traceback)
        typer.echo(f"error: {type(error).__name__}: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"{created} ACLs in place on {bootstrap_servers}")


if __name__ == "__main__":
    app()
