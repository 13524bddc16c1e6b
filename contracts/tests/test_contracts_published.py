"""The guard: a published (type, version) never changes incompatibly and never disappears.

"Published" is every schema file in ``contracts/schemas/``, both as it is in
the working tree and as it is in a git baseline (``HEAD`` by default; CI sets
``TDKT_CONTRACTS_BASELINE`` to the target branch, e.g. ``origin/main``).
The baseline matters: regenerating overwrites the working-tree files, so
without it a breaking change followed by a regeneration would compare the new
model with its own new schema and pass.

A breaking change needs a new version (a new model with ``event_version``
bumped, plus an upcaster from the old one), not an edit of the old one.
"""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest
from contracts_support import CONTRACTS
from tdkt_contracts import EventPayload, UnknownEventType, all_models, latest_version, model_for
from tdkt_contracts.compat import breaking_changes, closed_objects
from tdkt_contracts.generate import SCHEMAS_DIR, event_schema, schema_path

BASELINE_VARIABLE = "TDKT_CONTRACTS_BASELINE"


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=CONTRACTS, capture_output=True, text=True, timeout=60)


def _baseline_schemas() -> list[tuple[str, str, dict[str, Any]]]:
    """(label, path, schema) of the schema files in the git baseline; none outside a git checkout."""
    explicit = os.environ.get(BASELINE_VARIABLE)
    rev = explicit or "HEAD"
    try:
        listing = _git("ls-tree", "-r", "--name-only", rev, "--", SCHEMAS_DIR)
    except (OSError, subprocess.SubprocessError):
        listing = None
    if listing is None or listing.returncode != 0:
        if explicit:  # CI asked for a baseline: not finding it must not pass silently
            why = listing.stderr if listing is not None else "git did not run"
            raise RuntimeError(f"{BASELINE_VARIABLE}={explicit}: cannot list {SCHEMAS_DIR}: {why}")
        return []
    found = []
    for path in sorted(listing.stdout.split()):
        if not path.endswith(".json"):
            continue
        shown = _git("show", f"{rev}:./{path}")
        if shown.returncode != 0:
            raise RuntimeError(f"git show {rev}:./{path}: {shown.stderr}")
        found.append((f"{rev}:{path}", path, json.loads(shown.stdout)))
    return found


def _working_tree_schemas() -> list[tuple[str, str, dict[str, Any]]]:
    base = CONTRACTS / SCHEMAS_DIR
    found = []
    for file in sorted(base.rglob("*.json")) if base.is_dir() else []:
        path = file.relative_to(CONTRACTS).as_posix()
        found.append((path, path, json.loads(file.read_text(encoding="utf-8"))))
    return found


PUBLISHED = _working_tree_schemas() + _baseline_schemas()


def test_schemas_have_been_generated() -> None:
    assert _working_tree_schemas(), "contracts/schemas/ is empty: run python -m tdkt_contracts.generate"


@pytest.mark.parametrize(("label", "path", "published"), PUBLISHED, ids=[label for label, _, _ in PUBLISHED])
def test_published_version_is_still_served_compatibly(label: str, path: str, published: dict[str, Any]) -> None:
    event_type = published.get("x-cloudevents-type")
    version = published.get("x-schema-version")
    assert isinstance(event_type, str), f"{label} has no x-cloudevents-type"
    assert isinstance(version, int), f"{label} has no x-schema-version"
    assert path == schema_path(event_type, version), f"{label} is not where {event_type} v{version} belongs"
    try:
        model = model_for(event_type, version)
    except UnknownEventType:
        pytest.fail(
            f"{event_type} v{version} is published ({label}) but no longer in the code. Subscribers replaying "
            "the topics still receive it: keep the model (and an upcaster to the newest version)."
        )
    changes = breaking_changes(published, event_schema(model))
    assert not changes, (
        f"{model.__name__} ({event_type} v{version}) changed incompatibly since {label}:\n  - "
        + "\n  - ".join(changes)
        + f"\nRevert, or publish the change as version {version + 1} with an upcaster from {version}."
    )


@pytest.mark.parametrize("model", list(all_models()), ids=lambda m: f"{m.event_type}.v{m.event_version}")
def test_every_object_leaves_additional_properties_open(model: type[EventPayload]) -> None:
    # The README's promise: an optional field added within a version, to the
    # event or to an object nested in it, breaks no subscriber's validation.
    assert closed_objects(event_schema(model)) == []


NEWEST = [m for m in all_models() if latest_version(m.event_type) == m.event_version]


@pytest.mark.parametrize("model", NEWEST, ids=lambda m: f"{m.event_type}.v{m.event_version}")
def test_the_key_field_is_text_like_the_key(model: type[EventPayload]) -> None:
    # The Kafka key and ce_subject are UTF-8 text; the data field named as the key has the same type,
    # so a subscriber comparing data[x-subject-field] with the key finds them equal.
    assert event_schema(model)["properties"][model.subject_field].get("type") == "string"
