"""``tdkt token``: local key pairs and bearer tokens, and the token the other commands send.

In production the ministry's sign-on issues tokens and the services trust its
public keys (``TDKT_AUTH_JWKS_URL`` or ``TDKT_AUTH_PUBLIC_KEY_FILE``). The local
stack makes a key pair of its own under ``<state>/auth``, trusted beside its
Keycloak's keys; ``tdkt token mint`` signs tokens with it, as the same issuer,
for trying the API by hand and for scripts.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from kernel.auth import Role, generate_key_pair, mint_token
from kernel.settings import DEFAULT_MAX_TOKEN_LIFETIME

from .stack.launcher import AUDIENCE, LOCAL_ISSUER, default_state_dir, read_state

app = typer.Typer(help="Bearer tokens for the services' APIs (local key pairs).", no_args_is_help=True)


def stack_issuer(state_dir: Path) -> str:
    """The issuer the running local stack's services expect (its Keycloak realm when the portal runs)."""
    state = read_state(state_dir)
    return str(state.get("issuer", LOCAL_ISSUER)) if state else LOCAL_ISSUER


def local_key(state_dir: Path) -> Path:
    """The private key of the local stack kept in ``state_dir``."""
    return state_dir / "auth" / "private.pem"


def operator_token(explicit: str | None) -> str:
    """``--token``, else ``TDKT_TOKEN``, else an administrator token signed with the running local stack's key."""
    if explicit:
        return explicit
    if os.environ.get("TDKT_TOKEN"):
        return os.environ["TDKT_TOKEN"]
    state_dir = default_state_dir()
    key = local_key(state_dir)
    if read_state(state_dir) and key.exists():
        return mint_token(key, subject="tdkt-operator", roles=[Role.ADMINISTRATOR], name="Quản trị hệ thống",
                          issuer=stack_issuer(state_dir), audience=AUDIENCE)
    raise typer.BadParameter(
        "no token: pass --token, set TDKT_TOKEN (from the ministry's sign-on), or run against `tdkt stack up`",
        param_hint="--token",
    )


@app.command("keygen")
def keygen(folder: Path = typer.Argument(..., help="Where to write private.pem and public.pem.")) -> None:
    """Make an Ed25519 key pair (kept if one is already there)."""
    private, public = generate_key_pair(folder)
    typer.echo(f"private key: {private}\npublic key:  {public}  (give it to the services: TDKT_AUTH_PUBLIC_KEY_FILE)")


@app.command("mint")
def mint(
    role: list[Role] = typer.Option(..., "--role", help="A role (repeat for several)."),
    subject: str = typer.Option("tdkt-operator", "--sub", help="Who the token names (the audit trail shows it)."),
    name: str = typer.Option(None, "--name", help="The person's name, e.g. 'Nguyễn Văn An'."),
    unit: str = typer.Option(None, "--unit", help="A unit officer's unit id."),
    ttl: int = typer.Option(3600, "--ttl", min=60, max=DEFAULT_MAX_TOKEN_LIFETIME,
                             help="Seconds the token is valid (at most what the services accept by default)."),
    key: Path = typer.Option(None, "--key", help="Private key [the local stack's: <state>/auth/private.pem]."),
    issuer: str = typer.Option(None, "--issuer", envvar="TDKT_AUTH_ISSUER",
                               help="The tokens' issuer [the running local stack's: its Keycloak realm, or tdkt-local]."),
    audience: str = typer.Option(AUDIENCE, "--audience", envvar="TDKT_AUTH_AUDIENCE"),
) -> None:
    """Print a signed token: `curl -H "Authorization: Bearer $(tdkt token mint --role reader)" …`."""
    private = key or local_key(default_state_dir())
    if not private.exists():
        typer.echo(f"error: no private key at {private}: start `tdkt stack up` or pass --key", err=True)
        raise typer.Exit(1)
    if Role.UNIT_OFFICER in role and not unit:
        typer.echo("error: a unit officer's token needs --unit", err=True)
        raise typer.Exit(1)
    typer.echo(mint_token(private, subject=subject, roles=role, unit_id=unit, name=name, ttl_seconds=ttl,
                          issuer=issuer or stack_issuer(default_state_dir()), audience=audience))
