"""A broker outage is two log lines, not a flood: one when the broker goes, one when it is back."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from kernel.logs import KAFKA_OUTAGE
from kernel.metrics import KAFKA_CLIENT_ERRORS
from kernel.service import Service
from tdkt.stack.kafka import KafkaBroker, fetch_broker_jars
from tdkt.stack.launcher import default_cache_dir
from tdkt.stack.processes import free_port

from .support import ThingTotals

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 8


class _Count(logging.Handler):
    def __init__(self, shown_through: logging.Filter | None = None) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []
        if shown_through is not None:
            self.addFilter(shown_through)

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("aiokafka"):
            self.records.append(record)


async def test_a_broker_outage_logs_once_going_and_once_back(settings) -> None:
    home = Path(tempfile.mkdtemp(prefix="tdkt-outage-kafka-"))
    broker = KafkaBroker(home=home, lib=fetch_broker_jars(default_cache_dir()), port=free_port(),
                         controller_port=free_port())
    raw, shown = _Count(), _Count(shown_through=KAFKA_OUTAGE)
    errors_before = KAFKA_CLIENT_ERRORS._value.get()  # noqa: SLF001  (before the first record is counted)
    root = logging.getLogger()
    level = root.level
    root.addHandler(raw)
    root.addHandler(shown)
    root.setLevel(logging.WARNING)
    try:
        await asyncio.to_thread(broker.start)
        service = Service(context="test", handlers=[ThingTotals()],
                          settings=settings.model_copy(update={"kafka_bootstrap_servers": broker.bootstrap_servers}))
        await service.start()
        try:
            await asyncio.to_thread(broker.stop)
            await asyncio.sleep(OUTAGE_SECONDS)
            assert KAFKA_OUTAGE.down_since is not None, "the outage was not noticed"
            await asyncio.to_thread(broker.start)
            deadline = time.monotonic() + 60
            while KAFKA_OUTAGE.down_since is not None and time.monotonic() < deadline:
                await asyncio.sleep(0.5)
            assert KAFKA_OUTAGE.down_since is None, "the broker's return was not noticed"
        finally:
            await service.stop()
        print(f"aiokafka warnings and errors during a {OUTAGE_SECONDS} s outage: {len(raw.records)}, "
              f"shown: {len(shown.records)}")
        assert len(raw.records) >= 3  # the flood the filter exists for
        assert shown.records == []
        # Every record the filter kept from the log was counted instead.
        assert KAFKA_CLIENT_ERRORS._value.get() - errors_before >= len(raw.records)  # noqa: SLF001
    finally:
        root.removeHandler(raw)
        root.removeHandler(shown)
        root.setLevel(level)
        broker.stop()
        shutil.rmtree(home, ignore_errors=True)
