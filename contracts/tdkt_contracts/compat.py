"""Compatibility guard: is the current JSON Schema of an event version a safe
successor of the published one?

A published (type, version) is a promise to two kinds of reader, and a change
is breaking when it breaks either:

1. **Old events.** Topics are kept forever and replayed; everything the
   published schema accepted must stay valid under the current one. So a
   property that becomes required, a type, format or ``additionalProperties``
   that gets narrower, an enum code that disappears or a length or range
   limit that gets tighter is breaking. (With ``extra="forbid"`` a removed
   property also makes old events invalid.)
2. **Subscribers' code.** A property they read must not disappear, be
   renamed, change type (either way: ``integer`` to ``integer | null`` breaks
   code that assumed a number), change format, or stop being required.
   The Kafka key field and the topic must not move.

Additive changes are not breaking and may be made within a version: a new
optional property, a new enum code, a looser length or range limit, and any
change to titles, descriptions, examples or other annotations. Subscribers
are told (README) to tolerate them.

Nested objects are compared recursively, following ``$ref`` into ``$defs``
(so a model renamed in ``$defs`` with the same shape is not a change);
``anyOf``/``oneOf`` branches are matched by their JSON type.

The README's evolution promise (every object, nested ones too, leaves
``additionalProperties`` open) is checked by :func:`closed_objects`.

Only the standard library is used.
"""

from __future__ import annotations

import json
from typing import Any

_MISSING = object()

# Keywords that describe or document; they never make a change breaking.
# Identity and routing keywords compared at the top level only.
_IDENTITY = {
    "x-cloudevents-type": "event type",
    "x-schema-version": "schema version",
    "x-topic": "topic (subscribers of the old topic would miss the events)",
    "x-subject-field": "key field (ordering and partitioning change)",
}
# Lower bounds: a larger or a new value is tighter.
_LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
# Upper bounds: a smaller or a new value is tighter.
_UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")


def breaking_changes(published: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """The breaking changes from ``published`` to ``current``, two JSON Schemas of one (type, version).

    Each entry names where (a dotted property path, ``[]`` for array items,
    ``(root)`` for the event itself) and what changed. An empty list means
    ``current`` may replace ``published`` without a new version.
    """
    return _Comparison(published, current).run()


def closed_objects(schema: dict[str, Any]) -> list[str]:
    """Where ``schema`` forbids extra properties (``additionalProperties: false``), at any depth.

    Each entry is a JSON pointer into the schema (``#/$defs/Recipient``,
    ``#`` for the root). The published promise is that there are none: an
    optional field added within a version, to the event or to an object
    nested in it, must not make a subscriber's validation fail.
    """
    found: list[str] = []

    def walk(node: Any, pointer: str) -> None:
        if isinstance(node, dict):
            if node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False:
                found.append(pointer)
            for key, value in node.items():
                walk(value, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{pointer}/{index}")

    walk(schema, "#")
    return found


def _show(value: Any) -> str:
    if value is _MISSING:
        return "none"
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _types(node: dict[str, Any]) -> frozenset[str] | None:
    """The JSON types a schema node allows; None when it does not constrain the type."""
    declared = node.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(declared)
    if "const" in node:
        return frozenset({_json_type(node["const"])})
    if isinstance(node.get("enum"), list):
        return frozenset(_json_type(v) for v in node["enum"])
    if "properties" in node or "additionalProperties" in node:
        return frozenset({"object"})
    if "items" in node or "prefixItems" in node:
        return frozenset({"array"})
    return None


def _type_label(types: frozenset[str] | None) -> str:
    return "any" if types is None else " | ".join(sorted(types))


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


class _Comparison:
    """One walk over a published and a current schema, collecting messages."""

    def __init__(self, published: dict[str, Any], current: dict[str, Any]) -> None:
        self.published_root = published
        self.current_root = current
        self.changes: list[str] = []
        # Pairs of $ref already compared: recursive models must not loop, and a
        # $def used by several properties is reported once.
        self.seen: set[tuple[str, str]] = set()

    def run(self) -> list[str]:
        for key, meaning in _IDENTITY.items():
            old = self.published_root.get(key, _MISSING)
            new = self.current_root.get(key, _MISSING)
            if old is not _MISSING and old != new:
                self.report("", f"{meaning} changed from {_show(old)} to {_show(new)}")
        self.compare(self.published_root, self.current_root, "")
        return self.changes

    def report(self, path: str, what: str) -> None:
        self.changes.append(f"{path or '(root)'}: {what}")

    # ----------------------------------------------------------------- resolution

    @staticmethod
    def _pointer(root: dict[str, Any], ref: str) -> Any:
        node: Any = root
        for part in ref[2:].split("/") if ref != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def resolve(self, node: Any, root: dict[str, Any]) -> tuple[Any, str | None]:
        """Follow local ``$ref`` chains; sibling keywords override the target's."""
        ref_seen: str | None = None
        for _ in range(32):  # a chain longer than this is a cycle of bare refs
            if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
                return node, ref_seen
            ref = node["$ref"]
            if not ref.startswith("#"):
                return node, ref  # external: compared by its address only
            target = self._pointer(root, ref)
            if not isinstance(target, dict):
                return node, ref
            ref_seen = ref_seen or ref
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings}
        return node, ref_seen

    def branches(self, node: dict[str, Any], root: dict[str, Any]) -> list[tuple[dict[str, Any], str | None]]:
        """The alternatives of a node (anyOf/oneOf branches, flattened, or the node
        itself), each with the ``$ref`` it was reached through."""
        node = self.merge_all_of(node, root)
        alternatives = node.get("anyOf", node.get("oneOf"))
        if not isinstance(alternatives, list):
            return [(node, None)]
        flat: list[tuple[dict[str, Any], str | None]] = []
        for alternative in alternatives:
            resolved, ref = self.resolve(alternative, root)
            if isinstance(resolved, dict):
                flat.extend((branch, inner or ref) for branch, inner in self.branches(resolved, root))
            else:
                flat.append(({} if resolved is True else {"not": {}}, None))
        return flat

    def merge_all_of(self, node: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
        """Fold ``allOf`` into one node (properties and required are unions)."""
        parts = node.get("allOf")
        if not isinstance(parts, list):
            return node
        merged = {k: v for k, v in node.items() if k != "allOf"}
        for part in parts:
            resolved, _ = self.resolve(part, root)
            if not isinstance(resolved, dict):
                continue
            resolved = self.merge_all_of(resolved, root)
            for key, value in resolved.items():
                if key == "properties" and isinstance(merged.get(key), dict):
                    merged[key] = {**merged[key], **value}
                elif key == "required" and isinstance(merged.get(key), list):
                    merged[key] = [*merged[key], *(v for v in value if v not in merged[key])]
                else:
                    merged.setdefault(key, value)
        return merged

    # ----------------------------------------------------------------- comparison

    def compare(self, published: Any, current: Any, path: str) -> None:
        published, old_ref = self.resolve(published, self.published_root)
        current, new_ref = self.resolve(current, self.current_root)
        if isinstance(published, bool) or isinstance(current, bool):
            if published != current:
                self.report(path, f"schema changed from {_show(published)} to {_show(current)}")
            return
        if not isinstance(published, dict) or not isinstance(current, dict):
            return
        external = [ref for ref in (old_ref, new_ref) if ref and not ref.startswith("#")]
        if external and old_ref != new_ref:
            old_text, new_text = _show(old_ref or _MISSING), _show(new_ref or _MISSING)
            self.report(path, f"external schema changed from {old_text} to {new_text}")
            return

        old_branches = self.branches(published, self.published_root)
        new_branches = self.branches(current, self.current_root)
        if len(old_branches) == 1 and len(new_branches) == 1:
            (old_node, old_inner), (new_node, new_inner) = old_branches[0], new_branches[0]
            self.compare_one(old_node, new_node, path, old_inner or old_ref, new_inner or new_ref)
            return
        self.compare_union(old_branches, new_branches, path)

    def compare_union(
        self,
        old: list[tuple[dict[str, Any], str | None]],
        new: list[tuple[dict[str, Any], str | None]],
        path: str,
    ) -> None:
        def label(branch: dict[str, Any], siblings: list[tuple[dict[str, Any], str | None]]) -> str:
            types = _types(branch)
            text = _type_label(types)
            same = [b for b, _ in siblings if _types(b) == types]
            if len(same) > 1 and branch.get("title"):
                text += f" {branch['title']}"
            return text

        old_labels = [label(b, old) for b, _ in old]
        new_labels = [label(b, new) for b, _ in new]
        if sorted(old_labels) != sorted(new_labels):
            self.report(
                path,
                f"type changed from {' | '.join(sorted(old_labels))} to {' | '.join(sorted(new_labels))}",
            )
        unmatched = list(zip(new_labels, new))
        for old_label, (old_branch, old_ref) in zip(old_labels, old):
            for index, (new_label, (new_branch, new_ref)) in enumerate(unmatched):
                if new_label == old_label:
                    self.compare_one(old_branch, new_branch, path, old_ref, new_ref)
                    del unmatched[index]
                    break

    def compare_one(
        self, old: dict[str, Any], new: dict[str, Any], path: str, old_ref: str | None, new_ref: str | None
    ) -> None:
        if old_ref and new_ref:
            if (old_ref, new_ref) in self.seen:
                return
            self.seen.add((old_ref, new_ref))
        old = self.merge_all_of(old, self.published_root)
        new = self.merge_all_of(new, self.current_root)
        old_types, new_types = _types(old), _types(new)
        if old_types != new_types:
            self.report(path, f"type changed from {_type_label(old_types)} to {_type_label(new_types)}")
            return  # what follows would only repeat the same change

        self.compare_values(old, new, path)
        self.compare_bounds(old, new, path)
        if "object" in (new_types or ()) or "properties" in old or "properties" in new:
            self.compare_object(old, new, path)
        if "array" in (new_types or ()) or "items" in old or "items" in new:
            self.compare_array(old, new, path)
        old_not, new_not = old.get("not", _MISSING), new.get("not", _MISSING)
        if old_not != new_not:
            self.report(path, f"'not' changed from {_show(old_not)} to {_show(new_not)}")

    def compare_values(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_format, new_format = old.get("format", _MISSING), new.get("format", _MISSING)
        if old_format != new_format:
            self.report(path, f"format changed from {_show(old_format)} to {_show(new_format)}")

        old_const, new_const = old.get("const", _MISSING), new.get("const", _MISSING)
        if old_const != new_const:
            self.report(path, f"constant changed from {_show(old_const)} to {_show(new_const)}")

        old_enum, new_enum = old.get("enum"), new.get("enum")
        if isinstance(old_enum, list) and isinstance(new_enum, list):
            removed = [value for value in old_enum if value not in new_enum]
            if removed:
                self.report(path, f"enum values removed: {', '.join(_show(v) for v in removed)}")
        elif isinstance(new_enum, list):
            self.report(path, f"now restricted to the values {', '.join(_show(v) for v in new_enum)}")
        elif isinstance(old_enum, list):
            self.report(path, "no longer restricted to a list of values (enum removed)")

        for keyword in ("pattern", "multipleOf"):
            old_value, new_value = old.get(keyword, _MISSING), new.get(keyword, _MISSING)
            if old_value != new_value and new_value is not _MISSING:
                self.report(path, f"{keyword} changed from {_show(old_value)} to {_show(new_value)}")
        if new.get("uniqueItems") is True and old.get("uniqueItems") is not True:
            self.report(path, "items must now be unique")

    def compare_bounds(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        for keyword in (*_LOWER_BOUNDS, *_UPPER_BOUNDS):
            old_value, new_value = old.get(keyword), new.get(keyword)
            if new_value is None:
                continue  # a limit dropped or absent loosens
            if old_value is None:
                self.report(path, f"{keyword} tightened from none to {new_value}")
            elif new_value > old_value if keyword in _LOWER_BOUNDS else new_value < old_value:
                self.report(path, f"{keyword} tightened from {old_value} to {new_value}")

    def compare_object(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_properties: dict[str, Any] = old.get("properties") or {}
        new_properties: dict[str, Any] = new.get("properties") or {}
        old_required = set(old.get("required") or [])
        new_required = set(new.get("required") or [])
        added = [name for name in new_properties if name not in old_properties]

        for name, schema in old_properties.items():
            child = _child(path, name)
            if name not in new_properties:
                self.report(path, f"property {name!r} removed{self._rename_hint(schema, new_properties, added)}")
                continue
            self.compare(schema, new_properties[name], child)
            if name in old_required and name not in new_required:
                self.report(path, f"property {name!r} is no longer required")
            elif name in new_required and name not in old_required:
                self.report(path, f"property {name!r} is now required")
        for name in added:
            if name in new_required:
                self.report(path, f"new property {name!r} is required (events published before lack it)")

        self.compare_additional(old.get("additionalProperties", True), new.get("additionalProperties", True), path)

        old_patterns: dict[str, Any] = old.get("patternProperties") or {}
        new_patterns: dict[str, Any] = new.get("patternProperties") or {}
        for pattern, schema in old_patterns.items():
            if pattern in new_patterns:
                self.compare(schema, new_patterns[pattern], _child(path, f"/{pattern}/"))
            else:
                self.report(path, f"patternProperties {pattern!r} removed")

    def _rename_hint(self, removed: Any, new_properties: dict[str, Any], added: list[str]) -> str:
        # A removed property next to an added one of the same type is most
        # likely a rename; saying so makes the message actionable.
        removed_node, _ = self.resolve(removed, self.published_root)
        if not isinstance(removed_node, dict):
            return ""
        removed_types = {_type_label(_types(b)) for b, _ in self.branches(removed_node, self.published_root)}
        candidates = []
        for name in added:
            node, _ = self.resolve(new_properties[name], self.current_root)
            if isinstance(node, dict):
                types = {_type_label(_types(b)) for b, _ in self.branches(node, self.current_root)}
                if types == removed_types:
                    candidates.append(name)
        if not candidates:
            return ""
        return f" (renamed to {' or '.join(repr(c) for c in candidates)}?)"

    def compare_additional(self, old: Any, new: Any, path: str) -> None:
        old_open = old is True or old == {}
        new_open = new is True or new == {}
        if old_open:
            if not new_open:
                what = "now forbidden" if new is False else "now restricted"
                self.report(path, f"additionalProperties tightened: extra properties were allowed, {what}")
            return
        if old is False:
            return  # anything is at least as open
        if new is False:
            self.report(path, "additionalProperties tightened: extra properties are now forbidden")
        elif isinstance(new, dict) and not new_open:
            self.compare(old, new, _child(path, "*"))

    def compare_array(self, old: dict[str, Any], new: dict[str, Any], path: str) -> None:
        old_prefix: list[Any] = old.get("prefixItems") or []
        new_prefix: list[Any] = new.get("prefixItems") or []
        for index, (old_item, new_item) in enumerate(zip(old_prefix, new_prefix)):
            self.compare(old_item, new_item, f"{path}[{index}]")
        if len(old_prefix) != len(new_prefix):
            self.report(path, f"tuple length changed from {len(old_prefix)} to {len(new_prefix)}")
        old_items, new_items = old.get("items", True), new.get("items", True)
        if old_items in (True, {}) and new_items in (True, {}):
            return
        if old_items in (True, {}):
            self.report(path, "array items are now restricted")
            return
        if new_items in (True, {}):
            self.report(f"{path}[]", "type changed to any")
            return
        self.compare(old_items, new_items, f"{path}[]")
