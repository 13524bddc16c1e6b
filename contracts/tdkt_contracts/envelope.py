"""CloudEvents 1.0 in Kafka binary content mode: the envelope of every message.

The event's data is the Kafka value (UTF-8 JSON, Vietnamese unescaped); its
attributes travel as ``ce_*`` headers; the Kafka key is the aggregate id, so
every event of one aggregate lands on one partition, in order.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from pydantic import Field, ValidationError

from .base import ContractModel, EventPayload
from .registry import parse

SPEC_VERSION = "1.0"
CONTENT_TYPE = "application/json; charset=utf-8"

# Header name for each envelope field. Extension names follow the CloudEvents
# rule: lower-case letters and digits only.
HEADERS: dict[str, str] = {
    "id": "ce_id",
    "source": "ce_source",
    "type": "ce_type",
    "time": "ce_time",
    "subject": "ce_subject",
    "schema_version": "ce_schemaversion",
    "stream_version": "ce_streamversion",
    "correlation_id": "ce_correlationid",
    "causation_id": "ce_causationid",
    "actor_id": "ce_actorid",
    "actor_role": "ce_actorrole",
    "traceparent": "ce_traceparent",
}
REQUIRED = ("id", "source", "type", "time", "subject", "schema_version")


class InvalidEnvelope(ValueError):
    """A Kafka message that is not a valid event of this system."""


class Envelope(ContractModel):
    """One event as it travels: CloudEvents attributes plus the JSON data."""

    id: UUID = Field(description="Unique event id (ce_id); consumers dedupe on it.")
    source: str = Field(description="Publishing context, e.g. /tdkt/units (ce_source).")
    type: str = Field(description="Event type without version (ce_type).")
    schema_version: int = Field(ge=1, description="Version of the data schema (ce_schemaversion).")
    subject: str = Field(description="Aggregate id; also the Kafka key (ce_subject).")
    time: datetime = Field(description="When the fact occurred, RFC 3339 (ce_time).")
    stream_version: int | None = Field(
        default=None, ge=1, description="Position of the event in its aggregate's stream."
    )
    correlation_id: str | None = Field(default=None, description="Id shared by one business flow.")
    causation_id: str | None = Field(default=None, description="Id of the command or event that caused this one.")
    actor_id: str | None = Field(default=None, description="Who acted (user id), for audit.")
    actor_role: str | None = Field(default=None, description="The role the actor acted in.")
    traceparent: str | None = Field(
        default=None, description="W3C trace context of the request that caused the event (CloudEvents "
        "distributed-tracing extension), to follow one request across services.")
    data: dict[str, Any] = Field(description="The event's data, as its JSON Schema describes.")

    def payload(self) -> EventPayload:
        """The data as the newest model of its type (older versions are upcast)."""
        return parse(self.type, self.schema_version, self.data)

    def to_kafka(self) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
        """Key, value and headers of the Kafka record for this event."""
        headers = [("ce_specversion", SPEC_VERSION.encode()), ("content-type", CONTENT_TYPE.encode())]
        for field, header in HEADERS.items():
            value = getattr(self, field)
            if value is None:
                continue
            if isinstance(value, datetime):
                text = value.astimezone(UTC).isoformat().replace("+00:00", "Z")
            else:
                text = str(value)
            headers.append((header, text.encode()))
        value_bytes = json.dumps(self.data, ensure_ascii=False, separators=(",", ":")).encode()
        return self.subject.encode(), value_bytes, headers


def from_kafka(value: bytes | None, headers: list[tuple[str, bytes]] | tuple[tuple[str, bytes], ...]) -> Envelope:
    """Read a Kafka record back into an envelope, or raise :class:`InvalidEnvelope` saying why."""
    found: dict[str, str] = {}
    for name, raw in headers:
        if raw is None:
            continue
        try:
            found[name] = raw.decode("utf-8", errors="strict")
        except (UnicodeDecodeError, AttributeError):
            raise InvalidEnvelope(f"header {name!r} is not UTF-8 text") from None
    if found.get("ce_specversion") != SPEC_VERSION:
        raise InvalidEnvelope(f"ce_specversion must be {SPEC_VERSION!r}, got {found.get('ce_specversion')!r}")
    fields: dict[str, Any] = {}
    for field, header in HEADERS.items():
        if header in found:
            fields[field] = found[header]
        elif field in REQUIRED:
            raise InvalidEnvelope(f"header {header} is missing")
    if value is None:
        raise InvalidEnvelope("the message has no value (data)")
    try:
        fields["data"] = json.loads(value.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise InvalidEnvelope(f"data is not UTF-8 JSON: {error}") from error
    try:
        return Envelope.model_validate(fields)
    except ValidationError as error:
        raise InvalidEnvelope(f"invalid envelope: {error}") from error
