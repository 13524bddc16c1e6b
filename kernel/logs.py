"""structlog for every log line: JSON in production, readable in a terminal."""

from __future__ import annotations

import logging
import re
import sys
import time

import structlog

from .metrics import KAFKA_CLIENT_ERRORS, KAFKA_REACHABLE

log = structlog.get_logger("kernel.logs")


def configure_logging(service: str, fmt: str = "json", level: str = "INFO") -> None:
    """Configure structlog (and the standard library's loggers) for one service process."""
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.bind_contextvars(service=service)
    # Libraries (aiokafka, uvicorn) log through the standard library: render them the same way.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer])
    )
    handler.addFilter(KAFKA_OUTAGE)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if level != "DEBUG" else logging.DEBUG)


_UNREACHABLE = re.compile(
    r"unable|connect|not ?available|not ?ready|not ?coordinator|coordinator dead|timed ?out|timeout|"
    r"metadata|broken pipe|no route to host|no ?brokers|heartbeat failed|not started|not valid",
    re.IGNORECASE,
)
"""What aiokafka says when it cannot reach the broker (connection refused, node not ready, coordinator
not available or "not started or not valid" to a heartbeat, request timed out, metadata not updated)."""


class KafkaOutage(logging.Filter):
    """Turns a broker outage's flood of client errors into two lines: one when it goes, one when it is back.

    aiokafka logs an ERROR per failed connection attempt, per client, several a
    second (about 280 a second in reporting alone during a 52 s outage). The
    first such record becomes one ``kafka_unreachable`` warning; every later
    aiokafka warning or error is counted (``tdkt_kafka_client_errors_total``)
    and dropped until :meth:`reachable` is called by code that just talked to
    the broker successfully, which logs ``kafka_reachable`` once.
    """

    def __init__(self) -> None:
        super().__init__()
        self.down_since: float | None = None
        self.suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.name.startswith("aiokafka") or record.levelno < logging.WARNING:
            return True
        if self.down_since is None:
            if not _UNREACHABLE.search(record.getMessage()):
                return True
            self.down_since = time.monotonic()
            self.suppressed = 0
            KAFKA_REACHABLE.set(0)
            log.warning("kafka_unreachable", first_error=record.getMessage()[:500], client=record.name)
        self.suppressed += 1
        KAFKA_CLIENT_ERRORS.inc()
        return False

    def reachable(self) -> None:
        """The broker answered: end the outage, if one was on, with one line."""
        if self.down_since is None:
            return
        seconds = round(time.monotonic() - self.down_since, 1)
        self.down_since = None
        KAFKA_REACHABLE.set(1)
        log.warning("kafka_reachable", outage_s=seconds, client_errors_suppressed=self.suppressed)


KAFKA_OUTAGE = KafkaOutage()
"""The process's one outage tracker (the broker is one, whichever client noticed)."""
