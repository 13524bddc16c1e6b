"""Rebuilding read models from inside the running service (``POST /read-models/{name}/rebuild``).

A rebuild runs :func:`kernel.replay.rebuild` as a background task: a fresh
copy fills a shadow schema from the beginning of the topics while queries keep
reading the live one, then the two are swapped in one transaction. One
rebuild per read model at a time; the last job of each model is kept for
``GET /read-models/{name}/rebuild``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import structlog

from kernel.errors import Conflict
from kernel.replay import rebuild
from kernel.service import Service
from kernel.stopping import STOP_SECONDS, finish_within

from .projections import Projection, table_checksums

log = structlog.get_logger("reporting.rebuilds")


@dataclass
class RebuildJob:
    """One rebuild and how far it got."""

    read_model: str
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    status: str = "running"
    read: int = 0
    known: int = 0
    messages: int | None = None
    seconds: float | None = None
    rows: dict[str, int] = field(default_factory=dict)
    checksums: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)

    def as_dict(self) -> dict[str, Any]:
        """JSON form for the API."""
        return {
            "id": self.id,
            "read_model": self.read_model,
            "status": self.status,
            "progress": {"read": self.read, "known": self.known},
            "messages": self.messages,
            "seconds": self.seconds,
            "rows": self.rows,
            "checksums": self.checksums,
            "error": self.error,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
        }


class Rebuilds:
    """The rebuild jobs of one service process."""

    def __init__(self, service: Service, models: dict[str, Projection]) -> None:
        self.service = service
        self.models = models
        self.jobs: dict[str, RebuildJob] = {}

    def start(self, name: str) -> RebuildJob:
        """Start rebuilding ``name``; refused with 409 while one runs."""
        current = self.jobs.get(name)
        if current is not None and current.status == "running":
            raise Conflict("rebuild_running", f"the read model {name} is being rebuilt already", job_id=current.id)
        job = RebuildJob(read_model=name)
        job.task = asyncio.create_task(self._run(job), name=f"rebuild-{name}")
        self.jobs[name] = job
        return job

    async def _run(self, job: RebuildJob) -> None:
        handler = self.models[job.read_model]
        s = self.service.settings
        assert self.service.pool is not None

        def progress(read: int, known: int) -> None:
            job.read, job.known = read, known

        try:
            result = await rebuild(
                handler, pool=self.service.pool, bootstrap_servers=s.kafka_bootstrap_servers,
                topic_prefix=s.topic_prefix, progress=progress, credentials=s.kafka_credentials(),
            )
            async with self.service.pool.acquire() as conn:
                sums = await table_checksums(conn, handler.live_schema, handler.TABLES)
            job.messages, job.seconds = result.messages, round(result.seconds, 3)
            job.rows = {t: n for t, (_s, n) in sums.items()}
            job.checksums = {t: s for t, (s, _n) in sums.items()}
            job.status = "done"
        except asyncio.CancelledError:
            job.status, job.error = "cancelled", "the service stopped during the rebuild"
            raise
        except Exception as error:  # noqa: BLE001  (reported on the job; the live model is untouched)
            job.status, job.error = "failed", f"{type(error).__name__}: {error}"
            log.error("rebuild_failed", read_model=job.read_model, error=job.error)
        finally:
            job.finished_at = time.time()

    async def stop(self) -> None:
        """Cancel running rebuilds (the live models are untouched; the shadow is dropped by the next one)."""
        for job in self.jobs.values():
            if job.task is not None and not job.task.done():
                job.task.cancel()
                await finish_within(job.task, STOP_SECONDS, f"rebuild_{job.read_model}_stop")
