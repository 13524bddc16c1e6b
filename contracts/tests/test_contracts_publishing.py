"""The AsyncAPI document as published for readers outside contracts/: a self-contained bundle and a static page."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from contracts_support import CONTRACTS
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from tdkt_contracts import all_models, generate


def load(name: str) -> dict[str, Any]:
    return json.loads((CONTRACTS / name).read_text(encoding="utf-8"))


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        return ([node["$ref"]] if isinstance(node.get("$ref"), str) else []) + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def resolve(document: dict[str, Any], ref: str) -> Any:
    target: Any = document
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def test_the_bundle_points_nowhere_outside_itself_and_every_reference_resolves() -> None:
    bundled = load(generate.BUNDLED_FILE)
    found = refs(bundled)
    assert found and all(r.startswith("#/") for r in found), [r for r in found if not r.startswith("#/")][:5]
    for ref in set(found):
        resolve(bundled, ref)  # KeyError names a dangling reference
    assert len(bundled["components"]["messages"]) == len(list(all_models()))


def test_the_bundle_renders_from_anywhere(tmp_path: Path) -> None:
    """Copied away from contracts/ (no schemas/ beside it), every message's examples validate against its
    payload as the bundle states it — the same verdict as against the published schema file."""
    shutil.copy(CONTRACTS / generate.BUNDLED_FILE, tmp_path)
    bundled = json.loads((tmp_path / generate.BUNDLED_FILE).read_text(encoding="utf-8"))
    registry = Registry().with_resource("urn:bundle", DRAFT202012.create_resource(bundled))
    checked = 0
    for message_id, message in bundled["components"]["messages"].items():
        schema_ref = message["payload"]["schema"]["$ref"]
        validator = Draft202012Validator({"$ref": f"urn:bundle{schema_ref}"}, registry=registry)
        published = load(generate.schema_path(message["name"], message["x-schema-version"]))
        for example in message.get("examples", ()):
            assert not list(validator.iter_errors(example["payload"])), message_id
            assert Draft202012Validator(published).is_valid(example["payload"]), message_id
            checked += 1
        broken = {**message["examples"][0]["payload"], published["required"][0]: {"not": "this"}}
        assert not validator.is_valid(broken) and not Draft202012Validator(published).is_valid(broken), message_id
    assert checked >= len(bundled["components"]["messages"])


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.fetched: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag in ("script", "link", "img", "iframe") or found.get("src"):
            self.fetched.append(tag)


def test_the_page_shows_every_message_and_fetches_nothing() -> None:
    text = (CONTRACTS / generate.HTML_FILE).read_text(encoding="utf-8")
    page = _Page()
    page.feed(text)
    bundled = load(generate.BUNDLED_FILE)
    assert page.fetched == []  # no script, stylesheet, font or image: it opens the same on a closed network
    assert set(bundled["components"]["messages"]) <= page.ids
    assert all(link.removeprefix("#") in page.ids for link in page.links if link.startswith("#"))
    assert not re.search(r"https?://", "".join(page.links))
    assert "Nghị định" in text or "thi đua" in text  # Vietnamese kept as text, not escaped away
