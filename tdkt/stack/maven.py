"""Fetching what the local stack runs (the Kafka broker's jars, Keycloak's distribution) from Maven Central."""

from __future__ import annotations

import hashlib
import subprocess
from importlib import resources
from pathlib import Path

from .processes import StackError


def pom(name: str, **versions: str) -> str:
    """The text of ``resources/<name>`` with each ``@KEY@`` replaced by its version."""
    text = resources.files("tdkt.stack").joinpath(f"resources/{name}").read_text()
    for key, value in versions.items():
        text = text.replace(f"@{key}@", value)
    return text


def cache_folder(cache_dir: Path, label: str, pom_text: str) -> Path:
    """Where one fetch is kept: named by what and by the pom's digest, so a changed pom fetches anew."""
    return cache_dir / f"{label}-{hashlib.sha256(pom_text.encode()).hexdigest()[:12]}"


def copy_dependencies(pom_text: str, root: Path, output: Path, what: str, *options: str) -> None:
    """``mvn dependency:copy-dependencies`` of ``pom_text`` (kept as ``root/pom.xml``) into ``output``."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "pom.xml").write_text(pom_text)
    print(f"Fetching {what} from Maven Central into {root} (once)…", flush=True)
    result = subprocess.run(
        ["mvn", "-q", "-B", "-f", str(root / "pom.xml"), "dependency:copy-dependencies",
         f"-DoutputDirectory={output}", *options],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise StackError(f"Maven could not fetch {what}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
