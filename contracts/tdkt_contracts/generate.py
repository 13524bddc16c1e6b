"""Generate the published artefacts of the contracts from the registered models.

``python -m tdkt_contracts.generate`` writes, next to the package:

- ``schemas/<type>/v<N>.json``: one JSON Schema (draft 2020-12) per event type
  and version, with the routing facts (topic, key field) as ``x-`` keywords;
- ``asyncapi.json``: one AsyncAPI 3.0 document describing the Kafka topics,
  the key, the CloudEvents headers and every message;
- ``asyncapi.bundled.json`` (the same, self-contained: usable from anywhere)
  and ``asyncapi.html`` (it rendered as one static page that needs no
  network), see :mod:`.publishing`;
- the event catalogue table in ``README.md``, between the
  ``<!-- catalogue:start -->`` and ``<!-- catalogue:end -->`` markers.

``--check`` writes nothing and exits 1 listing every file that differs from
what the code generates (CI and the tests run it). The output is a pure
function of the registered models: same bytes on every run and machine.

A schema file without a model is never deleted by the generator: it is a
published version that consumers may still receive when they replay the
topics, so removing it is a reviewed, deliberate act (delete the file by hand).

Only the standard library and pydantic are used, so the package keeps its
single dependency.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from . import compat, publishing
from .base import EventPayload
from .envelope import CONTENT_TYPE, HEADERS, REQUIRED, SPEC_VERSION, Envelope
from .registry import all_models, latest_version

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
# AsyncAPI lists draft-07 by name but allows any media type string; ours are
# 2020-12 (``$defs``), and saying so lets tools pick the right validator.
PAYLOAD_SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12"
ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING_VERSION = "0.5.0"

CATALOGUE_START = "<!-- catalogue:start -->"
CATALOGUE_END = "<!-- catalogue:end -->"

DEFAULT_ROOT = Path(__file__).resolve().parent.parent
"""The ``contracts/`` folder of a source checkout (the package's parent)."""

SCHEMAS_DIR = "schemas"
ASYNCAPI_FILE = "asyncapi.json"
BUNDLED_FILE = "asyncapi.bundled.json"
HTML_FILE = "asyncapi.html"
README_FILE = "README.md"

# Fixed values for the AsyncAPI message examples: the output must not depend
# on the clock or on random ids.
_EXAMPLE_TIME = datetime(2025, 1, 15, 2, 30, tzinfo=UTC)
_EXAMPLE_NAMESPACE = uuid.UUID("6f1c1f0e-7a53-4b43-9d0a-2f4a51c0d7a1")


# --------------------------------------------------------------------------- names


def schema_id(event_type: str, version: int) -> str:
    """The ``$id`` of the JSON Schema of ``event_type`` version ``version``."""
    return f"urn:tdkt:schema:{event_type}:v{version}"


def schema_path(event_type: str, version: int) -> str:
    """Path of the schema file, relative to the contracts folder (POSIX separators)."""
    return f"{SCHEMAS_DIR}/{event_type}/v{version}.json"


def source_for(context: str) -> str:
    """The CloudEvents ``source`` of the events a context publishes."""
    return f"/tdkt/{context}"


def _message_id(model: type[EventPayload]) -> str:
    # AsyncAPI component keys allow letters, digits, '.', '-', '_'.
    return f"{model.event_type.removeprefix('vn.tdkt.')}.v{model.event_version}"


def _channel_id(topic: str) -> str:
    _, context, kind = topic.split(".")
    return f"{context}{kind.capitalize()}"


def _operation_id(topic: str) -> str:
    channel = _channel_id(topic)
    return f"receive{channel[0].upper()}{channel[1:]}"


def _summary(model: type[EventPayload]) -> str:
    """First paragraph of the model's docstring, on one line."""
    doc = _description(model)
    return " ".join(doc.split("\n\n", 1)[0].split())


def _description(model: type[EventPayload]) -> str:
    doc = inspect.cleandoc(model.__doc__) if model.__doc__ else ""
    return doc or f"Event {model.event_type}, version {model.event_version}."


# --------------------------------------------------------------------------- JSON Schema


class _ContractSchemaGenerator(GenerateJsonSchema):
    """pydantic's generator, plus the Vietnamese label of every enum code.

    The codes are stable and short (``HTXS``); another ministry's developers
    need the legal term (``Hoàn thành xuất sắc nhiệm vụ``) to display them.
    """

    def enum_schema(self, schema: core_schema.EnumSchema) -> JsonSchemaValue:
        result = super().enum_schema(schema)
        labels = {
            str(member.value): member.label_vi
            for member in schema["members"]
            if isinstance(getattr(member, "label_vi", None), str)
        }
        if labels:
            result["x-enum-labels-vi"] = labels
        return result


def example_payloads(model: type[EventPayload]) -> list[dict[str, Any]]:
    """The model's examples in their wire form (``model_dump(mode="json")``).

    Examples are written by hand in ``model_config``; passing them through the
    model fills defaults and normalises text, so the published example is
    exactly what a subscriber would receive. An invalid example raises
    ``ValueError`` naming the model.
    """
    raw = model.model_json_schema(schema_generator=_ContractSchemaGenerator).get("examples", [])
    wire = []
    for index, example in enumerate(raw):
        try:
            wire.append(model.model_validate(example).model_dump(mode="json"))
        except ValueError as error:
            raise ValueError(f"example {index} of {model.__name__} ({model.event_type}) is invalid: {error}") from error
    return wire


def event_schema(model: type[EventPayload]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one event model's data.

    Besides the validation keywords it carries the facts a subscriber needs:
    ``x-cloudevents-type``, ``x-schema-version``, ``x-topic``,
    ``x-subject-field`` (the field that is the Kafka key), ``x-context`` and
    ``x-audience``.
    """
    schema = model.model_json_schema(schema_generator=_ContractSchemaGenerator, mode="validation")
    schema.pop("examples", None)
    schema.update(
        {
            "$schema": JSON_SCHEMA_DIALECT,
            "$id": schema_id(model.event_type, model.event_version),
            "title": model.__name__,
            "description": _description(model),
            "examples": example_payloads(model),
            "x-cloudevents-type": model.event_type,
            "x-schema-version": model.event_version,
            "x-topic": model.topic(),
            "x-subject-field": model.subject_field,
            "x-context": model.context,
            "x-audience": model.audience,
        }
    )
    return schema


# --------------------------------------------------------------------------- AsyncAPI

# Added to the Envelope's own field descriptions for subscribers; the first two
# describe the constant headers ``Envelope.to_kafka`` writes without a field.
_HEADER_NOTES: dict[str, str] = {
    "ce_specversion": "CloudEvents specification version; always 1.0.",
    "content-type": "Media type of the Kafka value (the CloudEvents datacontenttype): UTF-8 JSON.",
    "ce_id": "Redeliveries carry the same id: process an id once.",
    "ce_time": "UTC, e.g. 2025-01-15T02:30:00Z.",
    "ce_schemaversion": "Decimal integer as text, e.g. \"1\". Pick the schema with ce_type and this.",
    "ce_streamversion": (
        "Decimal integer as text, increasing per aggregate. A topic can show gaps: the aggregate's other "
        "events may be on its context's other topic (public vs internal)."
    ),
    "ce_subject": "Equal to the Kafka key.",
}


def headers_schema() -> dict[str, Any]:
    """JSON Schema of the Kafka headers (CloudEvents attributes) of every message.

    Built from :data:`tdkt_contracts.envelope.HEADERS` so a header added to
    the envelope appears here on the next generation.
    """
    properties: dict[str, Any] = {
        "ce_specversion": {"type": "string", "const": SPEC_VERSION, "description": _HEADER_NOTES["ce_specversion"]},
        "content-type": {"type": "string", "const": CONTENT_TYPE, "description": _HEADER_NOTES["content-type"]},
    }
    for field, header in HEADERS.items():
        description = Envelope.model_fields[field].description or field
        if header in _HEADER_NOTES:
            description = f"{description} {_HEADER_NOTES[header]}"
        spec: dict[str, Any] = {"type": "string", "description": description}
        if field == "id":
            spec["format"] = "uuid"
        elif field == "time":
            spec["format"] = "date-time"
        elif field in ("schema_version", "stream_version"):
            spec["pattern"] = "^[1-9][0-9]*$"
        properties[header] = spec
    required = ["ce_specversion", "content-type", *(HEADERS[field] for field in REQUIRED)]
    return {
        "type": "object",
        "title": "CloudEvents headers",
        "description": (
            "CloudEvents 1.0 attributes in Kafka binary content mode: every attribute is a header "
            "named ce_<attribute>, its value UTF-8 text. Other headers (e.g. tracing) may be present; ignore them."
        ),
        "properties": properties,
        "required": sorted(required),
        "additionalProperties": True,
    }


def _package_version() -> str:
    # A source checkout says its version in pyproject.toml; an installed
    # package in its metadata. Read the checkout first: the metadata of an
    # editable install is only as fresh as the last ``pip install``.
    pyproject = DEFAULT_ROOT / "pyproject.toml"
    if pyproject.is_file():
        import tomllib

        with pyproject.open("rb") as file:
            version = tomllib.load(file).get("project", {}).get("version")
        if isinstance(version, str):
            return version
    from importlib.metadata import PackageNotFoundError, version as installed_version

    try:
        return installed_version("tdkt-contracts")
    except PackageNotFoundError:
        return "0.0.0"


_ORDERING = (
    "Ordering: the Kafka key is the aggregate id (ce_subject), so the events of one aggregate on a topic are on "
    "one partition, in the order they happened (increasing ce_streamversion). There is no order between "
    "aggregates, nor between topics."
)
_DELIVERY = (
    "Delivery: at least once. After a publisher crash the same event can arrive again, with the same ce_id; "
    "dedupe on ce_id (keep the ids you processed, or make your handling idempotent)."
)
_RETENTION = (
    "Retention: forever. A new consumer group with auto.offset.reset=earliest replays the whole history."
)


def _topics(models: Sequence[type[EventPayload]]) -> list[str]:
    return sorted({model.topic() for model in models})


def _channel_description(topic: str) -> str:
    _, context, kind = topic.split(".")
    if kind == "events":
        who = (
            f"Public events of the {context} context: any ministry system may subscribe "
            "(read access is granted per consumer group by the operators)."
        )
    else:
        who = (
            f"Internal events of the {context} context (personal data such as discipline): "
            "only the ministry's own tdkt services may read this topic; it is not for external subscribers."
        )
    return " ".join([who, _ORDERING, _DELIVERY, _RETENTION])


def _message(model: type[EventPayload], superseded_by: int | None) -> dict[str, Any]:
    version = model.event_version
    description = _description(model)
    if superseded_by is not None:
        description += (
            f"\n\nSuperseded by version {superseded_by}: no longer published, but still on the topic for "
            "anyone replaying history. tdkt_contracts.parse upcasts it to the newest version."
        )
    message: dict[str, Any] = {
        "name": model.event_type,
        "title": f"{model.__name__} v{version}",
        "summary": _summary(model),
        "description": description,
        "contentType": CONTENT_TYPE,
        "headers": {
            "allOf": [
                {"$ref": "#/components/schemas/CloudEventsHeaders"},
                {
                    "type": "object",
                    "properties": {
                        "ce_type": {"type": "string", "const": model.event_type},
                        "ce_schemaversion": {"type": "string", "const": str(version)},
                    },
                },
            ]
        },
        "payload": {
            "schemaFormat": PAYLOAD_SCHEMA_FORMAT,
            "schema": {"$ref": f"./{schema_path(model.event_type, version)}"},
        },
        "correlationId": {
            "description": "Shared by every event of one business flow.",
            "location": "$message.header#/ce_correlationid",
        },
        "bindings": {
            "kafka": {
                "bindingVersion": KAFKA_BINDING_VERSION,
                "key": {
                    "type": "string",
                    "description": (
                        f"The aggregate id: the data's {model.subject_field!r} field, also in ce_subject. "
                        "UTF-8 text."
                    ),
                },
            }
        },
        "x-cloudevents-type": model.event_type,
        "x-schema-id": schema_id(model.event_type, version),
        "x-schema-version": version,
        "x-subject-field": model.subject_field,
    }
    examples = []
    for index, payload in enumerate(example_payloads(model)):
        envelope = Envelope(
            id=uuid.uuid5(_EXAMPLE_NAMESPACE, f"{model.event_type}:v{version}:{index}"),
            source=source_for(model.context),
            type=model.event_type,
            schema_version=version,
            subject=model.model_validate(payload).subject(),
            time=_EXAMPLE_TIME,
            stream_version=1,
            data=payload,
        )
        key, _, headers = envelope.to_kafka()
        examples.append(
            {
                "name": f"example{index + 1}",
                "summary": f"Key {key.decode()!r}",
                "headers": {name: value.decode() for name, value in headers},
                "payload": payload,
            }
        )
    if examples:
        message["examples"] = examples
    return message


def asyncapi_document(models: Iterable[type[EventPayload]] | None = None) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of every registered event (or of ``models``).

    One channel per Kafka topic that carries at least one event type, one
    message per (type, version), and one ``receive`` operation per channel
    for subscribers. Payload schemas are referenced, not copied: they live in
    ``schemas/<type>/v<N>.json`` next to the document.
    """
    models = list(all_models() if models is None else models)
    newest: dict[str, int] = {}
    for model in models:
        newest[model.event_type] = max(newest.get(model.event_type, 0), model.event_version)

    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    for topic in _topics(models):
        on_topic = [m for m in models if m.topic() == topic]
        channel_id = _channel_id(topic)
        channel_messages = {}
        for model in on_topic:
            message_id = _message_id(model)
            superseded = newest[model.event_type] if model.event_version < newest[model.event_type] else None
            messages[message_id] = _message(model, superseded)
            channel_messages[message_id] = {"$ref": f"#/components/messages/{message_id}"}
        channels[channel_id] = {
            "address": topic,
            "title": topic,
            "description": _channel_description(topic),
            "messages": channel_messages,
            "bindings": {
                "kafka": {
                    "bindingVersion": KAFKA_BINDING_VERSION,
                    "topic": topic,
                    "topicConfiguration": {"cleanup.policy": ["delete"], "retention.ms": -1},
                }
            },
        }
        public = topic.endswith(".events")
        operations[_operation_id(topic)] = {
            "action": "receive",
            "channel": {"$ref": f"#/channels/{channel_id}"},
            "title": f"Subscribe to {topic}",
            "summary": (
                f"Read the {'public' if public else 'internal'} events of the {topic.split('.')[1]} context."
            ),
            "description": (
                "Use your own consumer group id; commit offsets after handling a message. "
                "Messages of one key arrive in order; handle each ce_id once. Look the payload schema up "
                "by ce_type and ce_schemaversion; skip (and log) types you do not know."
            ),
            "messages": [{"$ref": f"#/channels/{channel_id}/messages/{mid}"} for mid in channel_messages],
            "bindings": {
                "kafka": {
                    "bindingVersion": KAFKA_BINDING_VERSION,
                    "groupId": {
                        "type": "string",
                        "description": (
                            "Your system's own consumer group. A new group with auto.offset.reset=earliest "
                            "replays from the beginning."
                        ),
                    },
                }
            },
        }

    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:tdkt:asyncapi",
        "info": {
            "title": "tdkt – thi đua, khen thưởng: domain events",
            "version": _package_version(),
            "description": (
                "Events published by the emulation and commendation (thi đua – khen thưởng) system of the "
                "ministry on Apache Kafka, as CloudEvents 1.0 in binary content mode: the Kafka value is the "
                "event's data (UTF-8 JSON, Vietnamese text unescaped and NFC-normalised), the CloudEvents "
                "attributes are ce_* headers, the Kafka key is the aggregate id.\n\n"
                f"{_ORDERING}\n\n{_DELIVERY}\n\n{_RETENTION}\n\n"
                "Versions: ce_type plus ce_schemaversion name one JSON Schema, which never changes "
                "incompatibly; a breaking change is a new version and old versions stay on the topics. "
                "Type names are vn.tdkt.<context>.<aggregate>.<fact>."
            ),
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {
            "production": {
                "host": "{bootstrapServer}",
                "protocol": "kafka-secure",
                "title": "Ministry Kafka cluster",
                "description": (
                    "The ministry's production cluster: TLS with SASL/SCRAM-SHA-512 authentication "
                    "(security.protocol=SASL_SSL, sasl.mechanism=SCRAM-SHA-512). Its address and CA "
                    "certificate, your user name and password and your consumer group are given by the "
                    "ministry's operators on request."
                ),
                "security": [{"$ref": "#/components/securitySchemes/scramSha512"}],
                "variables": {
                    "bootstrapServer": {
                        "default": "kafka.example.gov.vn:9093",
                        "description": "A bootstrap broker, host:port (placeholder: ask the operators).",
                    }
                },
            },
            "local": {
                "host": "127.0.0.1:9092",
                "protocol": "kafka",
                "title": "Local development stack",
                "description": (
                    "`tdkt stack up` on a developer machine (plaintext, no authentication). "
                    "It prints its Kafka address; set TDKT_STACK_KAFKA_PORT=9092 to get this one."
                ),
            },
        },
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": {"CloudEventsHeaders": headers_schema()},
            "messages": messages,
            "securitySchemes": {
                "scramSha512": {
                    "type": "scramSha512",
                    "description": (
                        "SASL/SCRAM-SHA-512 over TLS: the user name and password the operators issue for "
                        "your system. Read access is granted per topic and consumer group."
                    ),
                }
            },
        },
    }


# --------------------------------------------------------------------------- README catalogue


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def catalogue_markdown(models: Iterable[type[EventPayload]] | None = None) -> str:
    """The Markdown tables of topics and event types that go between the README markers."""
    models = list(all_models() if models is None else models)
    lines = [
        "<!-- Generated by `python -m tdkt_contracts.generate` from the registered models. Do not edit. -->",
        "",
    ]
    if not models:
        lines += ["_No event types are registered yet._", ""]
        return "\n".join(lines)

    lines += ["| Topic | Who may read it | Event types |", "|---|---|---|"]
    for topic in _topics(models):
        count = len({m.event_type for m in models if m.topic() == topic})
        who = "public: any subscriber" if topic.endswith(".events") else "internal: tdkt services only"
        lines.append(f"| `{topic}` | {who} | {count} |")
    lines += [
        "",
        "| Type | Version | Topic | Key (`ce_subject`) | What happened | Schema |",
        "|---|---|---|---|---|---|",
    ]
    for model in models:
        version = model.event_version
        current = "" if version == latest_version(model.event_type) else " (superseded)"
        path = schema_path(model.event_type, version)
        lines.append(
            f"| `{model.event_type}` | {version}{current} | `{model.topic()}` | `{model.subject_field}` "
            f"| {_cell(_summary(model))} | [v{version}]({path}) |"
        )
    lines.append("")
    return "\n".join(lines)


def replace_block(text: str, block: str) -> str:
    """``text`` with the part between the catalogue markers replaced by ``block``.

    Raises ``ValueError`` when the markers are missing or out of order.
    """
    start = text.find(CATALOGUE_START)
    end = text.find(CATALOGUE_END)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"{CATALOGUE_START} … {CATALOGUE_END} markers not found (in this order)")
    head = text[: start + len(CATALOGUE_START)]
    return f"{head}\n{block}{text[end:]}"


# --------------------------------------------------------------------------- files


def dumps(document: Any) -> bytes:
    """Canonical JSON bytes: sorted keys, two-space indent, Vietnamese unescaped, final newline."""
    return (json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def render(root: Path = DEFAULT_ROOT, models: Iterable[type[EventPayload]] | None = None) -> dict[str, bytes]:
    """Every generated file, as ``{path relative to root: bytes}``.

    The README is rendered from the one in ``root`` (only its marked block
    changes); it is left out if the file or its markers are missing, which
    :func:`problems` reports.
    """
    models = list(all_models() if models is None else models)
    schemas = {schema_path(m.event_type, m.event_version): event_schema(m) for m in models}
    files = {path: dumps(schema) for path, schema in schemas.items()}
    document = asyncapi_document(models)
    files[ASYNCAPI_FILE] = dumps(document)
    bundled = publishing.bundled_document(document, schemas)
    files[BUNDLED_FILE] = dumps(bundled)
    files[HTML_FILE] = publishing.html_page(bundled).encode("utf-8")
    readme = root / README_FILE
    if readme.is_file():
        text = readme.read_bytes().decode("utf-8")
        try:
            files[README_FILE] = replace_block(text, catalogue_markdown(models)).encode("utf-8")
        except ValueError:
            pass
    return files


def _schema_files_on_disk(root: Path) -> list[str]:
    base = root / SCHEMAS_DIR
    if not base.is_dir():
        return []
    return sorted(path.relative_to(root).as_posix() for path in base.rglob("*.json"))


def problems(root: Path = DEFAULT_ROOT, models: Iterable[type[EventPayload]] | None = None) -> list[str]:
    """Why the files under ``root`` are not what the code generates; empty when they are.

    One line per file: missing, differs, a published schema whose model is
    gone, or a README without its catalogue markers.
    """
    expected = render(root, models)
    found: list[str] = []
    readme = root / README_FILE
    if README_FILE not in expected:
        reason = "is missing" if not readme.is_file() else f"has no {CATALOGUE_START} … {CATALOGUE_END} block"
        found.append(f"{README_FILE}: {reason}")
    for relative, content in sorted(expected.items()):
        path = root / relative
        if not path.is_file():
            found.append(f"{relative}: missing")
        elif path.read_bytes() != content:
            found.append(f"{relative}: differs from what the code generates")
    for relative in _schema_files_on_disk(root):
        if relative not in expected:
            found.append(
                f"{relative}: published schema has no model in the code "
                "(restore the model, or delete the file deliberately in a reviewed change)"
            )
    return found


class BreakingChange(Exception):
    """Regenerating would overwrite a published schema with an incompatible one."""


def write(
    root: Path = DEFAULT_ROOT,
    models: Iterable[type[EventPayload]] | None = None,
    *,
    allow_breaking: bool = False,
) -> list[str]:
    """Write every generated file under ``root`` that differs; return the paths written.

    Files already up to date are not touched. A schema file is never
    overwritten with an incompatible one (that needs a new version) unless
    ``allow_breaking`` says the version was never published; nothing is
    written then.
    """
    rendered = sorted(render(root, models).items())
    if not allow_breaking:
        refused = [
            f"{relative}: {change}"
            for relative, content in rendered
            if relative.startswith(f"{SCHEMAS_DIR}/") and (root / relative).is_file()
            for change in _breaking(root / relative, content)
        ]
        if refused:
            raise BreakingChange("\n".join(refused))
    written = []
    for relative, content in rendered:
        path = root / relative
        if path.is_file() and path.read_bytes() == content:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(relative)
    return written


def _breaking(path: Path, new: bytes) -> list[str]:
    try:
        return compat.breaking_changes(json.loads(path.read_bytes()), json.loads(new))
    except ValueError:
        return []  # an unreadable old file is simply replaced


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the generated files, or with ``--check`` report the stale ones (exit 1)."""
    parser = argparse.ArgumentParser(
        prog="python -m tdkt_contracts.generate",
        description="Generate JSON Schemas, asyncapi.json and the README catalogue from the event models.",
    )
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any file is out of date")
    parser.add_argument(
        "--allow-breaking",
        action="store_true",
        help="overwrite schemas incompatibly: only for versions never published (make a new version instead)",
    )
    parser.add_argument(
        "--root",
        type=Path,
        default=None,
        help=f"the contracts folder to write into [default: {DEFAULT_ROOT}]",
    )
    args = parser.parse_args(argv)
    root: Path = args.root or DEFAULT_ROOT
    if args.root is None and not (DEFAULT_ROOT / "pyproject.toml").is_file():
        # An installed (not editable) package: its parent is site-packages, not a checkout.
        print(f"{DEFAULT_ROOT} is not a contracts source folder; pass --root", file=sys.stderr)
        return 2

    if args.check:
        found = problems(root)
        if found:
            print("Generated contract files are out of date:")
            for line in found:
                print(f"  {line}")
            print("Run `python -m tdkt_contracts.generate` and review the diff.")
            return 1
        print(f"Generated contract files are up to date ({len(list(all_models()))} event models).")
        return 0

    try:
        written = write(root, allow_breaking=args.allow_breaking)
    except BreakingChange as refused:
        print("Refused: these published schemas would change incompatibly; add a new version instead:",
              file=sys.stderr)
        print(str(refused), file=sys.stderr)
        return 1
    for relative in written:
        print(f"wrote {relative}")
    remaining = problems(root)
    if remaining:
        for line in remaining:
            print(f"error: {line}", file=sys.stderr)
        return 1
    if not written:
        print("Everything was up to date.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
