"""Creating a context's topics with the settings the system relies on."""

from __future__ import annotations

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from .kafka_auth import KafkaCredentials, client_options


async def ensure_topics(bootstrap_servers: str, names: list[str], partitions: int = 3, replication: int = 1,
                        credentials: KafkaCredentials | None = None) -> None:
    """Create missing topics; event topics keep every event forever (read models are rebuilt from them)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, **client_options(credentials))
    await admin.start()
    try:
        existing = set(await admin.list_topics())
        missing = [
            NewTopic(name, partitions, replication, topic_configs={"retention.ms": "-1", "retention.bytes": "-1"})
            for name in names
            if name not in existing
        ]
        if missing:
            try:
                await admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass  # another replica created them first
    finally:
        await admin.close()


async def partitions_of(consumer: AIOKafkaConsumer, topics: list[str]) -> list[TopicPartition]:
    """Every partition of ``topics``, asking the broker when the client has not seen a topic yet."""
    found: list[TopicPartition] = []
    for topic in topics:
        parts = consumer.partitions_for_topic(topic)
        if parts is None:
            await consumer._client.force_metadata_update()  # noqa: SLF001  (no public way to refresh)
            parts = consumer.partitions_for_topic(topic) or set()
        found.extend(TopicPartition(topic, p) for p in sorted(parts))
    return found
