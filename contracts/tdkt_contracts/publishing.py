"""The AsyncAPI document in the two forms a reader outside ``contracts/`` can use.

``asyncapi.json`` references each payload schema as a file beside it
(``./schemas/<type>/v<N>.json``), which a tool can follow only when it opens
the document from ``contracts/``. :func:`bundled_document` makes the same
document self-contained: every payload schema moves into
``components.schemas`` under its message's id (its own ``$defs`` references
rewritten to their new place), so the file renders and validates wherever it
is copied. :func:`html_page` renders that bundle as one static HTML page — no
script, no stylesheet or font from a network — for people who read the
contract in a browser on a closed network.
"""

from __future__ import annotations

import copy
import html
import json
from typing import Any

SCHEMA_REF_PREFIX = "./"


def _moved_refs(schema: Any, base: str) -> Any:
    """``schema`` with its document-local references (``#/...``) pointing under ``base``."""
    if isinstance(schema, dict):
        moved = {k: _moved_refs(v, base) for k, v in schema.items() if k not in ("$id", "$schema")}
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            moved["$ref"] = f"{base}/{ref[2:]}"
        return moved
    if isinstance(schema, list):
        return [_moved_refs(item, base) for item in schema]
    return schema


def bundled_document(document: dict[str, Any], schemas: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """``document`` with every ``./schemas/…`` payload reference replaced by a component.

    ``schemas`` maps a schema's path relative to the document (as the
    references name it) to the schema. Raises ``KeyError`` naming a reference
    with no schema: a bundle never points outside itself.
    """
    bundled = copy.deepcopy(document)
    components = bundled.setdefault("components", {}).setdefault("schemas", {})
    for message_id, message in bundled["components"]["messages"].items():
        payload = message["payload"]["schema"]
        ref = payload.get("$ref", "")
        if not ref.startswith(SCHEMA_REF_PREFIX):
            continue
        name = f"{message_id}.payload"
        base = f"#/components/schemas/{name}"
        components[name] = _moved_refs(schemas[ref.removeprefix(SCHEMA_REF_PREFIX)], base)
        message["payload"]["schema"] = {"$ref": base}
    return bundled


# --------------------------------------------------------------------------- HTML

_STYLE = """
body{font-family:system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;margin:0 auto;max-width:72rem;padding:1rem 2rem;
line-height:1.45;color:#1d2733}
h1{font-size:1.6rem}h2{border-bottom:2px solid #b71c1c;padding-bottom:.2rem;margin-top:2.5rem}
h3{margin-bottom:.3rem}code,pre{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.85rem}
pre{background:#f4f6f8;padding:.6rem;overflow:auto}table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid #cfd6dd;padding:.25rem .5rem;text-align:left;vertical-align:top}th{background:#eef1f4}
.message{border:1px solid #cfd6dd;border-radius:4px;padding:.2rem 1rem 1rem;margin:1rem 0}
.superseded{opacity:.75}nav ul{columns:2}.muted{color:#5b6672}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{_e(p)}</p>" for p in text.split("\n\n") if p.strip())


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """A local ``$ref`` followed to what it names (one level: enough for field tables)."""
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return schema
    target: Any = document
    for part in ref[2:].split("/"):
        target = target[part]
    return target


def _type_of(schema: dict[str, Any], document: dict[str, Any]) -> str:
    """A short type for a field table: ``string (date)``, ``array of Candidate``, ``Recipient | null``."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(_type_of(s, document) for s in schema[key])
    kind = schema.get("type", "object" if "properties" in schema else "any")
    if kind == "array":
        return f"array of {_type_of(schema.get('items', {}), document)}"
    if "enum" in schema:
        return f"{kind}: " + ", ".join(json.dumps(v, ensure_ascii=False) for v in schema["enum"])
    if "const" in schema:
        return f"{kind} = {json.dumps(schema['const'], ensure_ascii=False)}"
    return f"{kind} ({schema['format']})" if "format" in schema else str(kind)


def _fields(schema: dict[str, Any], document: dict[str, Any]) -> str:
    schema = _resolve(schema, document)
    required = set(schema.get("required", ()))
    rows = "".join(
        f"<tr><td><code>{_e(name)}</code></td><td>{_e(_type_of(field, document))}</td>"
        f"<td>{'yes' if name in required else ''}</td><td>{_e(field.get('description', ''))}</td></tr>"
        for name, field in schema.get("properties", {}).items()
    )
    return (
        "<table><tr><th>field</th><th>type</th><th>required</th><th>meaning</th></tr>"
        f"{rows}</table>"
    )


def _message_html(message_id: str, message: dict[str, Any], document: dict[str, Any]) -> str:
    superseded = "Superseded by version" in message.get("description", "")
    key = message.get("bindings", {}).get("kafka", {}).get("key", {}).get("description", "")
    examples = "".join(
        f"<details><summary>{_e(x.get('name', 'example'))}: {_e(x.get('summary', ''))}</summary>"
        f"<pre>{_e(json.dumps(x.get('payload'), ensure_ascii=False, indent=2))}</pre></details>"
        for x in message.get("examples", ())
    )
    return (
        f'<section class="message{" superseded" if superseded else ""}" id="{_e(message_id)}">'
        f"<h3><code>{_e(message['name'])}</code> v{_e(message.get('x-schema-version', ''))}</h3>"
        f"<p><strong>{_e(message.get('summary', ''))}</strong></p>{_paragraphs(message.get('description', ''))}"
        f"<p class=\"muted\">Schema <code>{_e(message.get('x-schema-id', ''))}</code>; key: {_e(key)}</p>"
        f"{_fields(message['payload']['schema'], document)}{examples}</section>"
    )


def html_page(bundled: dict[str, Any]) -> str:
    """The bundled AsyncAPI document as one static, self-contained HTML page (UTF-8)."""
    info = bundled["info"]
    messages = bundled["components"]["messages"]
    servers = "".join(
        f"<tr><td>{_e(name)}</td><td><code>{_e(s['host'])}</code></td><td>{_e(s['protocol'])}</td>"
        f"<td>{_e(s.get('description', ''))}</td></tr>"
        for name, s in bundled.get("servers", {}).items()
    )
    nav, body = [], []
    for channel_id, channel in bundled["channels"].items():
        nav.append(f'<li><a href="#{_e(channel_id)}"><code>{_e(channel["address"])}</code></a></li>')
        ids = [ref["$ref"].rsplit("/", 1)[-1] for ref in channel["messages"].values()]
        body.append(
            f'<h2 id="{_e(channel_id)}">Topic <code>{_e(channel["address"])}</code></h2>'
            f"{_paragraphs(channel.get('description', ''))}"
            + "".join(_message_html(mid, messages[mid], bundled) for mid in ids)
        )
    headers = _fields(bundled["components"]["schemas"]["CloudEventsHeaders"], bundled)
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(info['title'])}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_e(info['title'])}</h1><p class=\"muted\">AsyncAPI {_e(bundled['asyncapi'])}, "
        f"version {_e(info['version'])}; {len(messages)} messages on {len(bundled['channels'])} topics. "
        "Machine-readable: <code>asyncapi.bundled.json</code>.</p>"
        f"{_paragraphs(info.get('description', ''))}"
        f"<h2>Servers</h2><table><tr><th>server</th><th>host</th><th>protocol</th><th>how to connect</th></tr>"
        f"{servers}</table><h2>Kafka headers (CloudEvents 1.0, binary mode)</h2>{headers}"
        f"<nav><h2>Topics</h2><ul>{''.join(nav)}</ul></nav>{''.join(body)}</body></html>\n"
    )
