"""Print the events of the thi đua – khen thưởng system as they arrive.

A minimal subscriber for teams integrating with tdkt: it reads the public
topics, turns each Kafka record back into an event with the contracts
package (``from_kafka`` then ``Envelope.payload()``, which also upcasts old
versions) and prints it. A record it cannot read gets one clear line and the
loop goes on.

Needs the contracts package and aiokafka::

    pip install ./contracts aiokafka
    python contracts/examples/print_events.py --bootstrap-servers 127.0.0.1:9092 --from-beginning

Options: ``--topic`` (repeatable; default every public topic), ``--group``
(a consumer group id; without one nothing is committed and every run starts
from the beginning or the end, as ``--from-beginning`` says).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from typing import Any, Protocol

from tdkt_contracts import Envelope, InvalidEnvelope, UnknownEventType, all_models, from_kafka


class Record(Protocol):
    """What this script reads from a Kafka record (aiokafka's ``ConsumerRecord`` has it)."""

    topic: str
    partition: int
    offset: int
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]


def public_topics() -> list[str]:
    """Every public topic of the events this version of the package knows."""
    return sorted({model.topic() for model in all_models() if model.audience == "public"})


def format_envelope(envelope: Envelope) -> str:
    """Header line (time, type and version, subject) and the data as indented JSON.

    The data is the newest model of the type: an event published with an
    older schema version is upcast, and the header line says so.
    """
    payload = envelope.payload()
    newest = payload.event_version
    version = f"v{envelope.schema_version}"
    if newest != envelope.schema_version:
        version += f" (read as v{newest})"
    time = envelope.time.isoformat().replace("+00:00", "Z")
    data = json.dumps(payload.model_dump(mode="json"), ensure_ascii=False, indent=2)
    return f"{time}  {envelope.type} {version}  subject={envelope.subject}\n{data}"


def format_record(record: Record) -> str:
    """One record as text; never raises: an unreadable record becomes a line starting ``!!``."""
    where = f"{record.topic}[{record.partition}]@{record.offset}"
    try:
        envelope = from_kafka(record.value, list(record.headers or ()))
        return format_envelope(envelope)
    except InvalidEnvelope as error:
        reason = f"not a tdkt event: {error}"
    except UnknownEventType as error:
        reason = f"{error} (a newer tdkt-contracts may know it: pip install --upgrade ./contracts)"
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        reason = f"data does not match its schema: {_one_line(error)}"
    except Exception as error:  # e.g. an upcaster meeting malformed old data: report it, keep consuming
        reason = f"{type(error).__name__}: {_one_line(error)}"
    return f"!! {where}: cannot read this message: {reason}"


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


async def consume(bootstrap_servers: str, topics: list[str], from_beginning: bool, group: str | None) -> None:
    """Subscribe to ``topics`` and print every record until interrupted."""
    from aiokafka import AIOKafkaConsumer  # imported here: formatting alone needs no Kafka client

    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=bootstrap_servers,
        group_id=group,
        # Only used when the group has no committed offset yet (or there is no group).
        auto_offset_reset="earliest" if from_beginning else "latest",
        enable_auto_commit=group is not None,
    )
    await consumer.start()
    try:
        print(f"Listening to {', '.join(topics)} on {bootstrap_servers} (Ctrl-C to stop)", file=sys.stderr)
        async for record in consumer:
            print(format_record(record), flush=True)
    finally:
        await consumer.stop()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line of this script."""
    parser = argparse.ArgumentParser(description="Print tdkt events from Kafka as they arrive.")
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092", help="host:port[,host:port…] [%(default)s]")
    parser.add_argument(
        "--topic",
        action="append",
        dest="topics",
        metavar="TOPIC",
        help="topic to read; repeat for several [default: every public topic]",
    )
    parser.add_argument(
        "--from-beginning",
        action="store_true",
        help="start at the oldest event when the group has no committed position (replay)",
    )
    parser.add_argument("--group", default=None, help="consumer group id; omit to commit nothing")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the subscriber; returns the process exit code."""
    args: Any = parse_args(argv)
    topics = args.topics or public_topics()
    if not topics:
        print("No topics: this tdkt-contracts has no public event types; pass --topic.", file=sys.stderr)
        return 2
    # Vietnamese must print as itself, even where the console default is not UTF-8.
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
    try:
        asyncio.run(consume(args.bootstrap_servers, topics, args.from_beginning, args.group))
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
