"""The committed schemas, asyncapi.json and README catalogue are what the code generates."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from contracts_support import CONTRACTS, SCRATCH_TYPE
from tdkt_contracts import all_models, generate


def test_committed_files_are_what_the_code_generates(capsys: pytest.CaptureFixture[str]) -> None:
    code = generate.main(["--check"])
    output = capsys.readouterr().out
    assert code == 0, f"\n{output}\nRegenerate: cd contracts && ../.venv/bin/python -m tdkt_contracts.generate"


def test_generation_is_the_same_in_every_process() -> None:
    # Different hash seeds change set and dict-of-set iteration orders; the
    # bytes must not depend on them.
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "tdkt_contracts.generate", "--check"],
            cwd=CONTRACTS,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_rendering_twice_gives_the_same_bytes() -> None:
    assert generate.render() == generate.render()


def _copy_contracts(tmp_path: Path) -> Path:
    root = tmp_path / "contracts"
    root.mkdir()
    shutil.copy(CONTRACTS / "README.md", root / "README.md")
    generate.write(root)
    return root


def test_check_lists_every_kind_of_drift(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = _copy_contracts(tmp_path)
    assert generate.problems(root) == []
    assert generate.main(["--check", "--root", str(root)]) == 0

    model = next(iter(all_models()), None)
    if model is not None:
        schema_file = root / generate.schema_path(model.event_type, model.event_version)
        schema_file.write_bytes(schema_file.read_bytes().replace(b'"type": "object"', b'"type": "array"', 1))
    (root / "asyncapi.json").unlink()
    stale = root / "schemas" / "vn.tdkt.gone.thing.happened" / "v1.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}\n")
    readme = root / "README.md"
    readme.write_text(readme.read_text(encoding="utf-8").replace("| Type |", "| Kind |"), encoding="utf-8")

    capsys.readouterr()
    assert generate.main(["--check", "--root", str(root)]) == 1
    output = capsys.readouterr().out
    assert "asyncapi.json: missing" in output
    assert "schemas/vn.tdkt.gone.thing.happened/v1.json: published schema has no model" in output
    assert "README.md: differs" in output
    if model is not None:
        assert f"{generate.schema_path(model.event_type, model.event_version)}: differs" in output


def test_write_never_deletes_a_published_schema(tmp_path: Path) -> None:
    root = _copy_contracts(tmp_path)
    stale = root / "schemas" / "vn.tdkt.gone.thing.happened" / "v1.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}\n")
    assert generate.main(["--root", str(root)]) == 1  # it says why it cannot finish…
    assert stale.exists()  # …and leaves the decision to a human


def test_readme_without_markers_is_reported(tmp_path: Path) -> None:
    root = _copy_contracts(tmp_path)
    (root / "README.md").write_text("# Contracts\n", encoding="utf-8")
    assert any("README.md: has no" in line for line in generate.problems(root))


def test_scratch_types_do_not_reach_the_committed_files(scratch_events: Any) -> None:
    # While registered, the scratch type is generated (so --check sees it)…
    assert generate.schema_path(SCRATCH_TYPE, 2) in generate.render()
    assert not (CONTRACTS / generate.schema_path(SCRATCH_TYPE, 1)).exists()


def test_scratch_types_are_gone_after_their_fixture() -> None:
    # …and once the fixture is torn down it is not (the autouse fixture checks every test).
    assert all(model.event_type != SCRATCH_TYPE for model in all_models())


# --------------------------------------------------------------------------- content


def _asyncapi() -> dict[str, Any]:
    return json.loads((CONTRACTS / "asyncapi.json").read_text(encoding="utf-8"))


def _pointer(document: dict[str, Any], ref: str) -> Any:
    node: Any = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_asyncapi_references_resolve() -> None:
    document = _asyncapi()
    for ref in _refs(document):
        if ref.startswith("#/"):
            _pointer(document, ref)  # raises KeyError if dangling
        else:
            target = CONTRACTS / ref
            assert target.is_file(), f"{ref} is referenced by asyncapi.json but does not exist"
            schema = json.loads(target.read_text(encoding="utf-8"))
            assert schema["$schema"] == generate.JSON_SCHEMA_DIALECT


def test_asyncapi_describes_every_topic_message_and_guarantee() -> None:
    document = _asyncapi()
    assert document["asyncapi"] == "3.0.0"
    assert set(document["servers"]) == {"production", "local"}
    assert document["servers"]["local"]["host"] == "127.0.0.1:9092"
    assert "variables" in document["servers"]["production"]

    models = list(all_models())
    topics = {model.topic() for model in models}
    channels = document["channels"]
    assert {channel["address"] for channel in channels.values()} == topics
    for channel_id, channel in channels.items():
        text = channel["description"]
        assert "at least once" in text and "ce_id" in text and "aggregate" in text and "order" in text
        ref = f"#/channels/{channel_id}"
        operation = [op for op in document["operations"].values() if op["channel"]["$ref"] == ref]
        assert len(operation) == 1 and operation[0]["action"] == "receive"
        assert len(operation[0]["messages"]) == len(channel["messages"])

    messages = document["components"]["messages"]
    assert len(messages) == len(models)
    for model in models:
        schema_id = generate.schema_id(model.event_type, model.event_version)
        message = next(m for m in messages.values() if m["x-schema-id"] == schema_id)
        assert message["name"] == model.event_type
        path = generate.schema_path(model.event_type, model.event_version)
        assert message["payload"]["schema"]["$ref"] == f"./{path}"
        assert message["headers"]["allOf"][0]["$ref"] == "#/components/schemas/CloudEventsHeaders"
        assert model.subject_field in message["bindings"]["kafka"]["key"]["description"]


def test_headers_schema_follows_the_envelope() -> None:
    from tdkt_contracts.envelope import HEADERS, REQUIRED

    schema = generate.headers_schema()
    assert set(HEADERS.values()) | {"ce_specversion", "content-type"} == set(schema["properties"])
    assert {HEADERS[field] for field in REQUIRED} <= set(schema["required"])


def test_readme_catalogue_lists_every_event_type() -> None:
    readme = (CONTRACTS / "README.md").read_text(encoding="utf-8")
    block = readme.split(generate.CATALOGUE_START, 1)[1].split(generate.CATALOGUE_END, 1)[0]
    for model in all_models():
        assert f"`{model.event_type}` | {model.event_version}" in block
        assert f"({generate.schema_path(model.event_type, model.event_version)})" in block


def test_production_server_declares_tls_and_scram() -> None:
    document = _asyncapi()
    production = document["servers"]["production"]
    assert production["protocol"] == "kafka-secure"  # TLS
    schemes = [_pointer(document, entry["$ref"]) for entry in production["security"]]
    assert [scheme["type"] for scheme in schemes] == ["scramSha512"]
    assert "SCRAM-SHA-512" in production["description"]
