"""The base of every public event: a versioned, self-describing pydantic model.

An event type is named ``vn.tdkt.<context>.<aggregate>.<fact>`` (lower case,
dots between parts, hyphens inside a part) and carries an integer schema
version. The pair (type, version) identifies one JSON Schema forever: a
breaking change is a new version, and the old one stays readable through an
upcaster registered in :mod:`tdkt_contracts.registry`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, field_validator

TYPE_PATTERN = re.compile(r"^vn\.tdkt\.[a-z]+(\.[a-z][a-z0-9-]*){2}$")


def nfc(value: Any) -> Any:
    """Normalise text to Unicode NFC and trim it (refusing a NUL character); other values pass through.

    Vietnamese can be typed with combining marks (decomposed) or precomposed
    letters; both must compare and index as the same name.
    """
    if isinstance(value, str):
        if "\x00" in value:
            # No text store (PostgreSQL, JSONB) holds it, and no name or decision contains it.
            raise ValueError("text must not contain a NUL character")
        return unicodedata.normalize("NFC", value).strip()
    return value


class ContractModel(BaseModel):
    """Base of every model in the contracts: strict about unknown fields,
    immutable, and NFC-normalising every string it is given."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @field_validator("*", mode="before")
    @classmethod
    def _normalise_text(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [nfc(v) for v in value]
        return nfc(value)


class EventPart(ContractModel):
    """Base of an object nested in an event's data (a recipient, a candidate, a unit scope…).

    Like :class:`EventPayload`, it ignores unknown fields when reading and its
    JSON Schema leaves ``additionalProperties`` open: a nested object may gain
    an optional field within a version without breaking any subscriber.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class EventPayload(ContractModel):
    """Base class of every event's data (the CloudEvents ``data``).

    Subclasses set the class variables below; the registry reads them.
    Unknown fields are ignored when reading, so that a subscriber with an older
    copy of the contracts keeps working when a version gains an optional field.
    """

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    event_type: ClassVar[str]
    """The CloudEvents ``type``, without the version."""
    event_version: ClassVar[int] = 1
    """The schema version of this model (``ce_schemaversion``)."""
    context: ClassVar[str]
    """The bounded context that owns and publishes the event (units, campaigns, awards)."""
    audience: ClassVar[str] = "public"
    """``public`` events go to the context's public topic; ``internal`` ones stay
    on the context's internal topic that external subscribers cannot read."""
    subject_field: ClassVar[str]
    """Name of the field holding the aggregate id: the Kafka key and ``ce_subject``."""

    def subject(self) -> str:
        """The aggregate id this event belongs to."""
        return str(getattr(self, self.subject_field))

    @classmethod
    def topic(cls) -> str:
        """The Kafka topic this event is published on."""
        return topic_for(cls.context, cls.audience)


def topic_for(context: str, audience: str = "public") -> str:
    """Topic naming: one public and one internal topic per bounded context."""
    suffix = "events" if audience == "public" else "internal"
    return f"tdkt.{context}.{suffix}"
