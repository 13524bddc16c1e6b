"""Child processes that cannot outlive the process that started them."""

from __future__ import annotations

import ctypes
import os
import pwd
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

_PR_SET_PDEATHSIG = 1


class StackError(RuntimeError):
    """A part of the local stack could not be set up or started; the message says why."""


def _die_with_parent(sig: int) -> Callable[[], None]:
    def set_signal() -> None:
        # Runs in the child after any user switch (which would clear the setting),
        # so the kernel signals it when the launcher dies, even by SIGKILL. The kernel sends it when the
        # *thread* that forked the child ends: the launcher spawns from the thread that lives as long as it.
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, sig)
        private_umask()

    return set_signal


def private_umask() -> None:
    """In a child before it runs: whatever it writes (Kafka's log files of the discipline topic, PostgreSQL's
    files) is its owner's only."""
    os.umask(0o077)


def spawn(
    argv: Sequence[str],
    *,
    log_file: Path,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    user: str | None = None,
    parent_death_signal: int = signal.SIGTERM,
) -> subprocess.Popen[bytes]:
    """Start ``argv`` with output to ``log_file``; it is signalled if we die.

    The child gets its own session so a Ctrl-C in the terminal reaches only
    the launcher, which then stops the children in order.
    """
    log_file.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_file, "ab")  # noqa: SIM115  (the child keeps it open)
    try:
        return subprocess.Popen(
            list(argv),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            **as_user(user),
            start_new_session=True,
            preexec_fn=_die_with_parent(parent_death_signal),
        )
    finally:
        log.close()


def as_user(user: str | None) -> dict[str, object]:
    """subprocess arguments that run a child as ``user`` with only that user's group.

    Keeping root's supplementary groups would let a folder's group bits (often
    none, as in a 0700 temporary folder) deny the traversal its other bits allow.
    """
    if user is None:
        return {}
    entry = pwd.getpwnam(user)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def stop(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM, timeout: float = 20.0) -> None:
    """Signal a child and wait for it; kill it if it does not stop in time."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def private_dir(path: Path) -> Path:
    """Create ``path`` if needed and make it its owner's only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def write_secret(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable by its owner only (0600) from the first byte on."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through O_CREAT
    with os.fdopen(descriptor, "w") as file:
        file.write(text)


def pid_alive(pid: int) -> bool:
    """True when a process with this pid exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port on ``host`` that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def wait_for_port(host: str, port: int, *, timeout: float, process: subprocess.Popen[bytes], log_file: Path) -> None:
    """Wait until ``host:port`` accepts connections; fail early if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise StackError(f"{process.args[0]} exited with code {process.returncode}; see {log_file}:\n{tail(log_file)}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise StackError(f"nothing listens on {host}:{port} after {timeout:.0f} s; see {log_file}:\n{tail(log_file)}")


def tail(path: Path, lines: int = 15) -> str:
    """The last lines of a log file, for error messages."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def ensure_traversable(path: Path) -> None:
    """Let other users traverse (not read) every folder above ``path``.

    PostgreSQL refuses to run as root, so when we are root it runs as an
    unprivileged user, which must reach its binaries and data folder.
    """
    for folder in [path, *path.parents]:
        mode = folder.stat().st_mode
        if not mode & 0o001:
            os.chmod(folder, mode | 0o001)
