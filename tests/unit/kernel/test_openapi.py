"""Each service's OpenAPI document documents the kernel's edge: every refusal in the one error shape.

The documents are also linted by Redocly CLI (installed by scripts/setup into tools/ from its lock file).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kernel.auth import PUBLIC_PATHS, generate_key_pair
from kernel.settings import Settings

SERVICES = ("units", "campaigns", "awards", "reporting", "notifications")
ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}
REDOCLY = Path(__file__).resolve().parents[3] / "tools" / "node_modules" / ".bin" / "redocly"


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    import importlib

    _private, public = generate_key_pair(Path(tmp_path_factory.mktemp("keys")))
    settings = Settings(database_url="postgresql://127.0.0.1:1/none", auth_public_key_file=public)
    found = {}
    for name in SERVICES:
        build = importlib.import_module(f"services.{name}.app").build
        app, _service = build(settings)
        found[name] = app.openapi()
    return found


def _operations(document: dict[str, Any]):  # type: ignore[no-untyped-def]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield path, method, operation


@pytest.mark.parametrize("service", SERVICES)
def test_every_refusal_is_documented_with_the_error_body(documents, service: str) -> None:
    document = documents[service]
    assert "HTTPValidationError" not in str(document)
    assert document["servers"]
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        if path in PUBLIC_PATHS:
            assert operation["security"] == [], (path, method)
            continue
        for status, response in responses.items():
            if status[0] in "45":
                assert response["content"]["application/json"]["schema"] == ERROR_REF, (path, method, status)
        assert "Retry-After" in responses["503"]["headers"], (path, method)
        assert {"401", "403", "422"} <= set(responses), (path, method, sorted(responses))
        if method in {"post", "put", "patch", "delete"}:
            assert "409" in responses, (path, method)


@pytest.mark.parametrize("service", SERVICES)
def test_metrics_are_documented_as_text(documents, service: str) -> None:
    content = documents[service]["paths"]["/metrics"]["get"]["responses"]["200"]["content"]
    assert list(content) == ["text/plain"]


@pytest.mark.parametrize("service", SERVICES)
def test_the_document_passes_redocly_lint(documents, service: str, tmp_path: Path) -> None:
    if not REDOCLY.exists():
        pytest.fail(f"{REDOCLY} is missing: run scripts/setup (it installs tools/ with npm ci)")
    document = tmp_path / f"{service}.openapi.json"
    document.write_text(json.dumps(documents[service], ensure_ascii=False), encoding="utf-8")
    environment = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    run = subprocess.run(  # noqa: S603  (our own pinned tool on our own file)
        [str(REDOCLY), "lint", "--extends=recommended", "--format=json", str(document)],
        capture_output=True, text=True, cwd=tmp_path, env=environment, timeout=120, check=False,
    )
    report = json.loads(run.stdout)
    problems = [f"{p['severity']} {p['ruleId']} at {p['location'][0]['pointer']}: {p['message']}"
                for p in report["problems"]]
    print(f"{service}: {report['totals']}", *problems, sep="\n  ")  # warnings shown with -s, not failed on
    assert report["totals"]["errors"] == 0, [p for p in problems if p.startswith("error")]
    assert run.returncode == 0, run.stderr


def test_reporting_declares_its_exports_and_answer_schemas(documents) -> None:
    from services.reporting.exports import CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE

    document = documents["reporting"]
    exportable = 0
    for path, method, operation in _operations(document):
        successes = {s: r for s, r in operation["responses"].items() if s[0] == "2"}
        assert successes, (path, method)
        for status, response in successes.items():
            json_answer = response["content"].get("application/json")
            if json_answer is not None and path != "/health":  # the kernel's probe is not a read model's answer
                assert json_answer["schema"], (path, method, status)
        if any(p["name"] == "format" for p in operation.get("parameters", [])):
            exportable += 1
            # Lists come as CSV too; the statistical forms are laid out pages: XLSX and PDF.
            other = "application/pdf" if path.startswith("/forms/") else CSV_MEDIA_TYPE
            assert set(successes["200"]["content"]) == {"application/json", other, XLSX_MEDIA_TYPE}, path
            assert "Content-Disposition" in successes["200"]["headers"], path
    assert exportable == 11
