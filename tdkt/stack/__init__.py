"""The local stack: a real Apache Kafka broker and a real PostgreSQL server on loopback."""
