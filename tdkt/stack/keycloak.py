"""The local stack's OpenID Connect provider: Keycloak from Maven Central, its data in the stack's PostgreSQL.

``fetch_keycloak`` downloads the server distribution (``org.keycloak:keycloak-quarkus-dist``, a zip) once
into the cache and builds it for PostgreSQL; :class:`Keycloak` runs it on loopback in production mode
(``start --optimized``: no rebuild at start) on Java 21 or later, found in the JVM folder. At every start
the ``tdkt`` realm is imported afresh through the admin API (:func:`realm`): the portal's confidential
client (authorization code + PKCE S256), the services' audience, the ``roles`` and ``unit_id`` claims
in access tokens, and one demo user per role. The demo users' passwords, the client secret and the
bootstrap administrator's password are made once and kept owner-only in ``<state>/keycloak.json``.
"""

from __future__ import annotations

import contextlib
import functools
import glob
import json
import os
import re
import secrets
import shutil
import subprocess
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from .maven import cache_folder, copy_dependencies, pom
from .processes import StackError, free_port, spawn, stop, wait_for_port

KEYCLOAK_VERSION = "26.5.6"
MIN_JAVA = 21
HOST = "127.0.0.1"
REALM = "tdkt"
PORTAL_CLIENT = "tdkt-portal"
DATABASE = "tdkt_keycloak"
JVM_FOLDERS = ("/usr/lib/jvm/*",)


@dataclass(frozen=True)
class DemoUser:
    """A person of the demo realm: their login, name, roles and (a unit officer's) unit."""

    username: str
    name: str
    roles: tuple[str, ...]
    unit_id: str | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("vanphong", "Trần Thị Thu Hà", ("emulation_office",)),
    DemoUser("hoidong", "Lê Minh Tuấn", ("council_member",)),
    DemoUser("botruong", "Nguyễn Hồng Diên", ("approver",)),
    DemoUser("bandoc", "Phạm Thu Trang", ("reader",)),
    # Two units the demo generator creates: the Import-Export Department and the Ministry's Office.
    DemoUser("canbo.cxnk", "Đỗ Văn Hùng", ("unit_officer",), "u-cxnk"),
    DemoUser("canbo.vpb", "Hoàng Thị Mai", ("unit_officer",), "u-vpb"),
    DemoUser("quantri", "Vũ Quốc Khánh", ("administrator",)),
)


def find_java(minimum: int = MIN_JAVA) -> Path:
    """The newest ``java`` of at least ``minimum`` in ``JAVA_HOME`` or the JVM folder (Keycloak 26 needs 21)."""
    homes = [os.environ["JAVA_HOME"]] if os.environ.get("JAVA_HOME") else []
    homes += sorted(path for pattern in JVM_FOLDERS for path in glob.glob(pattern))
    found: list[tuple[int, Path]] = []
    for home in homes:
        java = Path(home) / "bin" / "java"
        major = _java_major(Path(home))
        if java.exists() and major >= minimum:
            found.append((major, java))
    if not found:
        raise StackError(
            f"Keycloak {KEYCLOAK_VERSION} needs Java {minimum} or newer, and none was found in JAVA_HOME or "
            f"{', '.join(JVM_FOLDERS)} (Debian: apt-get install openjdk-21-jre-headless)"
        )
    return max(found)[1]


def _java_major(home: Path) -> int:
    try:
        text = (home / "release").read_text()
    except OSError:
        return 0
    match = re.search(r'JAVA_VERSION="(\d+)', text)
    return int(match.group(1)) if match else 0


def fetch_keycloak(cache_dir: Path, java: Path) -> Path:
    """Download and build the Keycloak distribution once into ``cache_dir``; return its home folder."""
    text = pom("keycloak-pom.xml", KEYCLOAK_VERSION=KEYCLOAK_VERSION)
    root = cache_folder(cache_dir, f"keycloak-{KEYCLOAK_VERSION}", text)
    home = root / "home"
    done = root / ".complete"
    if done.exists():
        return home
    if shutil.which("mvn") is None:
        raise StackError("Maven is needed to fetch Keycloak from Maven Central and was not found "
                         "(Debian: apt-get install maven)")
    download = root / "download"
    shutil.rmtree(download, ignore_errors=True)
    copy_dependencies(text, root, download, f"Keycloak {KEYCLOAK_VERSION}", "-DincludeTypes=zip",
                      "-DexcludeTransitive=true")
    archives = sorted(download.glob("keycloak-quarkus-dist-*.zip"))
    if not archives:
        raise StackError(f"Maven fetched no Keycloak distribution into {download}")
    partial = root / "home.partial"
    shutil.rmtree(partial, ignore_errors=True)
    with zipfile.ZipFile(archives[0]) as archive:
        archive.extractall(partial)
    (top,) = [p for p in partial.iterdir() if p.is_dir()]
    # Built once for PostgreSQL and a single node, so every start is `start --optimized` (no rebuild).
    _run_keycloak(java, top, ["build", "--db=postgres", "--cache=local", "--health-enabled=false"])
    shutil.rmtree(home, ignore_errors=True)
    top.rename(home)
    shutil.rmtree(partial, ignore_errors=True)
    shutil.rmtree(download, ignore_errors=True)
    done.write_text(KEYCLOAK_VERSION)
    return home


def _java_command(java: Path, home: Path, args: list[str]) -> list[str]:
    """What ``bin/kc.sh`` runs, without the shell script (the zip keeps no execute bits)."""
    return [
        str(java), "-Xms64m", "-Xmx512m", "-XX:MetaspaceSize=96M", "-XX:MaxMetaspaceSize=256m", "-XX:+UseG1GC",
        "-XX:+ExitOnOutOfMemoryError", "-Dfile.encoding=UTF-8", "-Djava.security.egd=file:/dev/urandom",
        "-Duser.language=en", "-Duser.country=US",
        "-Djava.util.concurrent.ForkJoinPool.common.threadFactory="
        "io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory",
        "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.security=ALL-UNNAMED",
        f"-Dkc.home.dir={home}", f"-Djboss.server.config.dir={home / 'conf'}",
        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-Dpicocli.disable.closures=true",
        "-cp", str(home / "lib" / "quarkus-run.jar"), "io.quarkus.bootstrap.runner.QuarkusEntryPoint", *args,
    ]


def _run_keycloak(java: Path, home: Path, args: list[str]) -> None:
    result = subprocess.run(_java_command(java, home, args), capture_output=True, text=True)
    if result.returncode != 0:
        raise StackError(f"Keycloak {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


@dataclass
class Keycloak:
    """One Keycloak node on loopback, its data in a PostgreSQL database of the stack."""

    state_dir: Path
    dist: Path
    java: Path
    port: int
    jdbc_url: str
    db_username: str
    db_password: str = ""
    portal_url: str = ""
    """Where the portal listens: its sign-in callback and sign-out return are the client's only redirects."""
    process: subprocess.Popen[bytes] | None = None
    _launched_at: float = 0.0
    started_in: float = 0.0
    """Seconds from spawn to a realm ready to sign in (the provider's share of the stack's start-up)."""

    @classmethod
    def for_stack(cls, state_dir: Path, cache_dir: Path, postgres_port: int, portal_port: int, *,
                  db_username: str, db_password: str) -> Keycloak:
        """The local stack's provider: fetched once into the cache, its data in the stack's PostgreSQL
        (database ``tdkt_keycloak``), the portal's client redirecting to ``portal_port``."""
        java = find_java()
        return cls(state_dir=state_dir, dist=fetch_keycloak(cache_dir, java), java=java, port=free_port(),
                   jdbc_url=f"jdbc:postgresql://{HOST}:{postgres_port}/{DATABASE}", db_username=db_username,
                   db_password=db_password,
                   portal_url=f"http://{HOST}:{portal_port}")

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def issuer(self) -> str:
        """The ``iss`` of the realm's tokens (``TDKT_AUTH_ISSUER`` of the services)."""
        return f"{self.url}/realms/{REALM}"

    @property
    def jwks_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/certs"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "keycloak" / "keycloak.log"

    @functools.cached_property
    def secrets(self) -> dict[str, Any]:
        """The bootstrap administrator's and the demo users' passwords and the portal's client secret,
        made once and kept owner-only in ``<state>/keycloak.json``."""
        path = self.state_dir / "keycloak.json"
        if path.exists():
            return dict(json.loads(path.read_text()))
        made = {
            "admin_password": secrets.token_urlsafe(18),
            "client_secret": secrets.token_urlsafe(32),
            "session_secret": secrets.token_urlsafe(32),
            "users": {user.username: secrets.token_urlsafe(9) for user in DEMO_USERS},
        }
        path.write_text("")
        os.chmod(path, 0o600)
        path.write_text(json.dumps(made, indent=2))
        return made

    def start(self, timeout: float = 240.0) -> None:
        """Start the server and wait until the realm is ready (:meth:`launch`, then :meth:`ready`)."""
        self.launch()
        self.ready(timeout)

    def launch(self) -> None:
        """Spawn the server without waiting: it takes tens of seconds, which the launcher spends starting
        the services (they fetch the realm's keys when the first token signed by it arrives)."""
        self._launched_at = time.monotonic()
        (self.state_dir / "keycloak").mkdir(parents=True, exist_ok=True)
        args = [
            "start", "--optimized", f"--http-host={HOST}", f"--http-port={self.port}", "--http-enabled=true",
            f"--hostname={self.url}", "--hostname-strict=false",
            f"--db-url={self.jdbc_url}", f"--db-username={self.db_username}",
            # One node: no JGroups cluster discovery (it would listen on every interface).
            "--cache=local",
            "--db-pool-initial-size=1", "--db-pool-min-size=1", "--db-pool-max-size=10",
            f"--log-file={self.log_file}", "--log=file",
        ]
        env = {
            **os.environ,
            "KC_DB_PASSWORD": self.db_password,
            # Used only when the master realm is new (the first start on this database).
            "KC_BOOTSTRAP_ADMIN_USERNAME": "admin",
            "KC_BOOTSTRAP_ADMIN_PASSWORD": self.secrets["admin_password"],
        }
        self.process = spawn(_java_command(self.java, self.dist, args),
                             log_file=self.state_dir / "keycloak" / "stdout.log", env=env)

    def ready(self, timeout: float = 240.0) -> None:
        """Wait until the launched server answers, then import the realm; ``started_in`` counts from launch."""
        assert self.process is not None, "launch() first"
        wait_for_port(HOST, self.port, timeout=timeout, process=self.process, log_file=self.log_file)
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(f"{self.url}/realms/master/.well-known/openid-configuration", timeout=5).is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise StackError(f"Keycloak did not answer on {self.url}; see {self.log_file}")
            time.sleep(0.5)
        self.import_realm()
        self.started_in = time.monotonic() - self._launched_at

    def _admin(self) -> contextlib.AbstractContextManager[httpx.Client]:
        """A client signed in as Keycloak's administrator."""
        return admin_client(self.url, self.secrets["admin_password"])

    def user_ids(self) -> dict[str, str]:
        """Each demo user's Keycloak id: the ``sub`` of their tokens (the notifications' recipients)."""
        with self._admin() as client:
            found = client.get(f"/admin/realms/{REALM}/users", params={"max": 1000})
            _check(found, "list the realm's users")
            return {user["username"]: user["id"] for user in found.json()}

    def import_realm(self) -> None:
        """Replace the ``tdkt`` realm with :func:`realm` (the portal's address may have changed)."""
        with self._admin() as client:
            apply_realm(client, self.portal_url, self.secrets["client_secret"], self.secrets["users"])

    def service_env(self, service: str, service_urls: dict[str, str]) -> dict[str, str]:
        """Variables of a service process: every service trusts the realm's keys; the portal also gets its
        client, a session key and the backends' addresses (the secret goes to the portal alone)."""
        env = {"TDKT_AUTH_JWKS_URL": self.jwks_url}
        if service == "portal":
            env |= {
                "TDKT_PORTAL_OIDC_ISSUER": self.issuer,
                "TDKT_PORTAL_OIDC_CLIENT_ID": PORTAL_CLIENT,
                "TDKT_PORTAL_OIDC_CLIENT_SECRET": self.secrets["client_secret"],
                "TDKT_PORTAL_PUBLIC_URL": self.portal_url,
                "TDKT_PORTAL_SESSION_SECRET": self.secrets["session_secret"],
                **{f"TDKT_PORTAL_{name.upper()}_URL": url for name, url in service_urls.items()},
            }
        return env

    def demo_logins(self) -> list[tuple[DemoUser, str]]:
        """Each demo user with their password."""
        return [(user, self.secrets["users"][user.username]) for user in DEMO_USERS]

    def stop(self) -> None:
        stop(self.process, timeout=30.0)


def _check(response: httpx.Response, what: str) -> None:
    if not response.is_success:
        raise StackError(f"Keycloak refused to {what}: HTTP {response.status_code} {response.text[:500]}")


@contextlib.contextmanager
def admin_client(url: str, admin_password: str) -> Iterator[httpx.Client]:
    """A client of the Keycloak at ``url`` signed in as its bootstrap administrator (``admin``)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        answer = client.post("/realms/master/protocol/openid-connect/token", data={
            "grant_type": "password", "client_id": "admin-cli", "username": "admin", "password": admin_password,
        })
        _check(answer, "sign in as Keycloak's administrator")
        client.headers["authorization"] = f"Bearer {answer.json()['access_token']}"
        yield client


def apply_realm(client: httpx.Client, portal_url: str, client_secret: str, passwords: dict[str, str]) -> None:
    """Make the ``tdkt`` realm (:func:`realm`) with the demo users of ``passwords`` (login → password), or, when
    an earlier start made it, update the portal's client only (its redirects follow ``portal_url``).
    ``client`` is signed in as the administrator (:func:`admin_client`)."""
    wanted = realm(portal_url, client_secret)
    if client.get(f"/admin/realms/{REALM}").status_code == 200:
        # Made on an earlier start (its users keep their passwords): only the portal's address, hence the
        # client's redirects, and its secret may have changed.
        (portal,) = client.get(f"/admin/realms/{REALM}/clients", params={"clientId": PORTAL_CLIENT}).json()
        _check(client.put(f"/admin/realms/{REALM}/clients/{portal['id']}",
                          json={**portal, **wanted["clients"][0], "id": portal["id"]}),
               "update the portal's client")
        return
    _check(client.post("/admin/realms", json=wanted), "create the realm")
    # unit_id is an attribute of our own: let the realm keep it (Keycloak drops undeclared ones).
    profile = client.get(f"/admin/realms/{REALM}/users/profile").json()
    profile["unmanagedAttributePolicy"] = "ADMIN_EDIT"
    _check(client.put(f"/admin/realms/{REALM}/users/profile", json=profile), "allow the unit attribute")
    for user in DEMO_USERS:
        if user.username not in passwords:
            continue
        _check(client.post(f"/admin/realms/{REALM}/users",
                           json=user_representation(user, passwords[user.username])),
               f"create the user {user.username}")
        found = client.get(f"/admin/realms/{REALM}/users", params={"username": user.username,
                                                                   "exact": "true"}).json()
        roles = [client.get(f"/admin/realms/{REALM}/roles/{role}").json() for role in user.roles]
        _check(client.post(f"/admin/realms/{REALM}/users/{found[0]['id']}/role-mappings/realm",
                           json=roles), f"give {user.username} their roles")


def realm(portal_url: str, client_secret: str) -> dict[str, Any]:
    """The ``tdkt`` realm: roles, the portal's client with the claims the services read."""
    roles = sorted({role for user in DEMO_USERS for role in user.roles})
    return {
        "realm": REALM,
        "enabled": True,
        "displayName": "Bộ Công Thương — Thi đua, Khen thưởng",
        "internationalizationEnabled": True,
        "supportedLocales": ["vi", "en"],
        "defaultLocale": "vi",
        "accessTokenLifespan": 300,
        "ssoSessionIdleTimeout": 1800,
        "ssoSessionMaxLifespan": 36000,
        "bruteForceProtected": True,
        "roles": {"realm": [{"name": role} for role in roles]},
        "clients": [{
            "clientId": PORTAL_CLIENT,
            "name": "Cổng thông tin thi đua, khen thưởng",
            "enabled": True,
            "protocol": "openid-connect",
            "publicClient": False,
            "clientAuthenticatorType": "client-secret",
            "secret": client_secret,
            "standardFlowEnabled": True,
            "directAccessGrantsEnabled": False,
            "implicitFlowEnabled": False,
            "serviceAccountsEnabled": False,
            "redirectUris": [f"{portal_url}/auth/callback"],
            "webOrigins": [portal_url],
            "attributes": {"pkce.code.challenge.method": "S256", "post.logout.redirect.uris": f"{portal_url}/*"},
            "protocolMappers": [
                {"name": "tdkt audience", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
                 "config": {"included.custom.audience": "tdkt", "access.token.claim": "true",
                            "id.token.claim": "false"}},
                {"name": "roles", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-realm-role-mapper",
                 "config": {"claim.name": "roles", "multivalued": "true", "jsonType.label": "String",
                            "access.token.claim": "true", "id.token.claim": "true", "userinfo.token.claim": "true"}},
                {"name": "unit_id", "protocol": "openid-connect", "protocolMapper": "oidc-usermodel-attribute-mapper",
                 "config": {"user.attribute": "unit_id", "claim.name": "unit_id", "jsonType.label": "String",
                            "access.token.claim": "true", "id.token.claim": "true", "userinfo.token.claim": "true"}},
            ],
        }],
    }


def user_representation(user: DemoUser, password: str) -> dict[str, Any]:
    """A demo user as Keycloak's admin API takes it; the whole name in order ("Nguyễn Văn An")."""
    family, _, given = user.name.rpartition(" ")
    return {
        "username": user.username,
        "enabled": True,
        "emailVerified": True,
        "firstName": family,
        "lastName": given,
        "email": f"{user.username}@tdkt.local",
        "attributes": {"unit_id": [user.unit_id]} if user.unit_id else {},
        "credentials": [{"type": "password", "value": password, "temporary": False}],
    }


def read_logins(path: Path) -> dict[str, str]:
    """``login password`` lines (make-secrets.sh's ``keycloak_users``) as login → password."""
    logins = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        login, _, password = line.strip().partition(" ")
        if not password:
            raise StackError(f"{path}, line {number}: expected 'login password'")
        logins[login] = password
    return logins


def main(argv: list[str] | None = None) -> None:
    """Make the ``tdkt`` realm in a running Keycloak once it answers (compose's one-shot ``keycloak-realm``)."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--url", required=True, help="Keycloak as this container reaches it")
    parser.add_argument("--portal-url", required=True, help="the portal's public address (its client's redirects)")
    parser.add_argument("--admin-password-file", type=Path, required=True)
    parser.add_argument("--client-secret-file", type=Path, required=True)
    parser.add_argument("--users-file", type=Path, required=True, help="'login password' lines: the demo users")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds to wait for Keycloak")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.timeout
    while True:
        try:
            if httpx.get(f"{args.url}/realms/master", timeout=5).is_success:
                break
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"Keycloak did not answer on {args.url} within {args.timeout:.0f} s")
        time.sleep(2)
    with admin_client(args.url, args.admin_password_file.read_text().strip()) as client:
        apply_realm(client, args.portal_url.rstrip("/"), args.client_secret_file.read_text().strip(),
                    read_logins(args.users_file))
    print(f"realm {REALM} ready at {args.url}", flush=True)


if __name__ == "__main__":
    main()
