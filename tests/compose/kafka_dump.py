"""Run inside the compose network (``docker compose run -T kafka-acls python - TOPIC…``): print every record of
the topics as one JSON line each, ``{"topic", "id", "type"}``, from the first offset to the end offsets read at
start. It logs in as the broker's admin with the password compose gives the kafka-acls container."""

import asyncio
import contextlib
import json
import sys
from pathlib import Path

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from kernel.kafka_auth import KafkaCredentials, client_options


async def dump(topics: list[str]) -> None:
    """Read ``topics`` to their end offsets and print one line per record."""
    admin = KafkaCredentials("admin", Path("/run/secrets/kafka_admin_password").read_text().strip())
    described = AIOKafkaAdminClient(bootstrap_servers="kafka:9092", **client_options(admin))
    await described.start()
    try:
        partitions = [TopicPartition(t["topic"], p["partition"]) for t in await described.describe_topics(topics)
                      for p in t["partitions"]]
    finally:
        await described.close()
    consumer = AIOKafkaConsumer(bootstrap_servers="kafka:9092", enable_auto_commit=False, **client_options(admin))
    await consumer.start()
    try:
        if not partitions:
            return
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        ends = await consumer.end_offsets(partitions)
        waiting = {tp for tp in partitions if ends[tp] > 0}
        while waiting:
            batches = await asyncio.wait_for(consumer.getmany(timeout_ms=1000), timeout=60)
            for tp, records in batches.items():
                for record in records:
                    if record.offset < ends[tp]:
                        headers = {k: v.decode() for k, v in record.headers}
                        print(json.dumps({"topic": tp.topic, "id": headers.get("ce_id"),
                                          "type": headers.get("ce_type")}))
                    if record.offset + 1 >= ends[tp]:
                        waiting.discard(tp)
    finally:
        sys.stdout.flush()
        # aiokafka 0.14's stop() can end in a stray CancelledError of its own (README, "a stop always ends").
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(consumer.stop(), timeout=10)


asyncio.run(dump(sys.argv[1:]))
