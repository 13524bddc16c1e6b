"""A single-node Apache Kafka broker (KRaft, broker and controller in one) from Maven Central jars."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

from kernel.kafka_auth import KafkaCredentials, client_options

from .maven import cache_folder, copy_dependencies, pom
from .processes import StackError, private_dir, private_umask, spawn, stop, wait_for_port, write_secret

KAFKA_VERSION = "4.1.2"
LOG4J_VERSION = "2.24.3"
HOST = "127.0.0.1"


def require_java_and_maven() -> None:
    """Fail with a clear message when Java 17+ or Maven is missing."""
    hint = (
        "Install it (Debian: apt-get install openjdk-17-jre-headless maven), or point the services at "
        "an existing Kafka with TDKT_KAFKA_BOOTSTRAP_SERVERS (see README, Configuration)."
    )
    if shutil.which("java") is None:
        raise StackError(f"Java 17 or newer is needed to run the Kafka broker and was not found. {hint}")
    if shutil.which("mvn") is None:
        raise StackError(f"Maven is needed to fetch the Kafka broker from Maven Central and was not found. {hint}")
    out = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
    try:
        major = int(out.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        major = 0
    if major < 17:
        raise StackError(f"Kafka {KAFKA_VERSION} needs Java 17 or newer; `java -version` says:\n{out}")


def fetch_broker_jars(cache_dir: Path) -> Path:
    """Download the broker's class path once into ``cache_dir``; return the lib folder."""
    text = pom("kafka-pom.xml", KAFKA_VERSION=KAFKA_VERSION, LOG4J_VERSION=LOG4J_VERSION)
    home = cache_folder(cache_dir, f"kafka-{KAFKA_VERSION}", text)
    lib = home / "lib"
    done = home / ".complete"
    if done.exists():
        return lib
    require_java_and_maven()
    partial = home / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    copy_dependencies(text, home, partial, f"Apache Kafka {KAFKA_VERSION}", "-DincludeScope=runtime")
    shutil.rmtree(lib, ignore_errors=True)
    partial.rename(lib)
    done.write_text(KAFKA_VERSION)
    return lib


@dataclass
class KafkaBroker:
    """One KRaft node on loopback whose data lives in ``home``."""

    home: Path
    lib: Path
    port: int
    controller_port: int
    heap_mb: int = 512
    scram_users: dict[str, str] = field(default_factory=dict)
    """SCRAM-SHA-512 users (name → password) when clients must authenticate; ``admin`` is the super user.
    Empty: a plain-text client listener that lets every client do anything."""
    controller_password: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    """The password of ``admin`` on the controller listener (SASL/PLAIN): only the broker itself logs in there."""
    process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"{HOST}:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.home / "broker.log"

    @property
    def secure(self) -> bool:
        return bool(self.scram_users)

    def _controller_config(self) -> list[str]:
        """The controller listener authenticates its peer (SASL/PLAIN; KRaft's controllers cannot use SCRAM,
        whose credentials live in the metadata they serve): the broker logs in as ``admin``, nobody else can."""
        password = self.controller_password
        return [
            "sasl.mechanism.controller.protocol=PLAIN",
            "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
            "listener.name.controller.plain.sasl.jaas.config="
            "org.apache.kafka.common.security.plain.PlainLoginModule required "
            f'username="admin" password="{password}" user_admin="{password}";',
        ]

    def _listener_config(self) -> list[str]:
        if not self.secure:
            return [
                f"listeners=PLAINTEXT://{HOST}:{self.port},CONTROLLER://{HOST}:{self.controller_port}",
                f"advertised.listeners=PLAINTEXT://{HOST}:{self.port}",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                *self._controller_config(),
            ]
        admin = self.scram_users["admin"]
        return [
            f"listeners=SASL_PLAINTEXT://{HOST}:{self.port},CONTROLLER://{HOST}:{self.controller_port}",
            f"advertised.listeners=SASL_PLAINTEXT://{HOST}:{self.port}",
            "inter.broker.listener.name=SASL_PLAINTEXT",
            "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
            "sasl.enabled.mechanisms=SCRAM-SHA-512",
            "sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512",
            "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config="
            f'org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="{admin}";',
            *self._controller_config(),
            "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
            # No anonymous principal: every listener authenticates, and only the admin is a super user.
            "super.users=User:admin",
            "allow.everyone.if.no.acl.found=false",
        ]

    def _write_config(self) -> Path:
        data = private_dir(self.home / "data")
        config = self.home / "server.properties"
        write_secret(  # it holds the admin's passwords
            config,
            "\n".join(
                [
                    "process.roles=broker,controller",
                    "node.id=1",
                    f"controller.quorum.voters=1@{HOST}:{self.controller_port}",
                    *self._listener_config(),
                    "controller.listener.names=CONTROLLER",
                    f"log.dirs={data}",
                    "num.partitions=3",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=5",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    # Event topics keep every event: read models are rebuilt from them.
                    "log.retention.ms=-1",
                    "log.cleaner.dedupe.buffer.size=16777216",
                    "auto.create.topics.enable=true",
                ]
            )
            + "\n",
        )
        (self.home / "log4j2.properties").write_text(
            "\n".join(
                [
                    "status = error",
                    "appender.file.type = File",
                    "appender.file.name = FILE",
                    f"appender.file.fileName = {self.log_file}",
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = [%d] %p %m (%c)%n",
                    "rootLogger.level = INFO",
                    "rootLogger.appenderRef.file.ref = FILE",
                    "logger.kafka.name = kafka",
                    "logger.kafka.level = WARN",
                    "logger.apache.name = org.apache.kafka",
                    "logger.apache.level = WARN",
                ]
            )
            + "\n"
        )
        if not (data / "meta.properties").exists():
            cluster_id = self._java("kafka.tools.StorageTool", "random-uuid").strip().splitlines()[-1]
            scram = [arg for name, password in self.scram_users.items()
                     for arg in ("--add-scram", f"SCRAM-SHA-512=[name={name},password={password}]")]
            self._java("kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config), *scram)
        return config

    def _java(self, *args: str) -> str:
        result = subprocess.run(["java", "-cp", f"{self.lib}/*", *args], capture_output=True, text=True,
                                preexec_fn=private_umask)
        if result.returncode != 0:
            raise StackError(f"java {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self, timeout: float = 120.0) -> None:
        """Format the log folder if new, start the broker and wait until it serves metadata."""
        private_dir(self.home)
        config = self._write_config()
        self.process = spawn(
            [
                "java",
                f"-Xmx{self.heap_mb}m",
                f"-Xms{min(self.heap_mb, 256)}m",
                "-XX:+UseG1GC",
                "-Djava.awt.headless=true",
                f"-Dlog4j2.configurationFile={self.home / 'log4j2.properties'}",
                "-cp",
                f"{self.lib}/*",
                "kafka.Kafka",
                str(config),
            ],
            log_file=self.home / "stdout.log",
            env={**os.environ},
        )
        wait_for_port(HOST, self.port, timeout=timeout, process=self.process, log_file=self.log_file)
        admin = KafkaCredentials("admin", self.scram_users["admin"]) if self.secure else None
        asyncio.run(wait_for_metadata(self.bootstrap_servers, timeout, admin))

    def stop(self) -> None:
        stop(self.process, timeout=30.0)


async def wait_for_metadata(bootstrap_servers: str, timeout: float,
                            credentials: KafkaCredentials | None = None) -> dict[str, object]:
    """Ask the broker for cluster metadata; return it once it answers."""
    deadline = asyncio.get_running_loop().time() + timeout
    last: Exception | None = None
    while asyncio.get_running_loop().time() < deadline:
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, request_timeout_ms=5000,
                                    **client_options(credentials))
        try:
            await admin.start()
            cluster = await admin.describe_cluster()
            if cluster.get("brokers"):
                return cluster
        except Exception as error:  # noqa: BLE001  (any failure means: not ready yet)
            last = error
        finally:
            await admin.close()
        await asyncio.sleep(0.3)
    raise StackError(f"Kafka at {bootstrap_servers} did not answer a metadata request in {timeout:.0f} s: {last}")
