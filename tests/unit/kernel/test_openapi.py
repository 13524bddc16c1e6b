"""Each service's OpenAPI document documents the kernel's edge: every refusal in the one error shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kernel.auth import PUBLIC_PATHS, generate_key_pair
from kernel.settings import Settings

SERVICES = ("units", "campaigns", "awards", "reporting")
ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


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
