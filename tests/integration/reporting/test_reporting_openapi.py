"""Reporting answers what its OpenAPI document says: every JSON answer valid against the documented schema,
every export in a media type the document declares for it."""

from __future__ import annotations

from typing import Any

import httpx
import jsonschema
import pytest

from .scenario import MOVEMENT

pytestmark = pytest.mark.integration

# One real request per documented GET operation: (path template, the path asked, query parameters).
ANSWERS = [
    ("/statistics/awards", "/statistics/awards", {"year": 2024}),
    ("/summaries/{year}", "/summaries/2024", {}),
    ("/reports/annual/{year}", "/reports/annual/2024", {}),
    ("/forms/{form}/{year}", "/forms/0602/2024", {}),
    ("/forms/{form}/{year}/reference", "/forms/0604/2024/reference", {}),
    ("/awards", "/awards", {"year": 2024}),
    ("/people/{person_id}/awards", "/people/p-003/awards", {}),
    ("/units/{unit_id}/awards", "/units/u-vtccb/awards", {}),
    ("/movements", "/movements", {}),
    ("/movements/{movement_id}", f"/movements/{MOVEMENT}", {}),
    ("/targets", "/targets", {}),
    ("/registrations", "/registrations", {}),
    ("/pledges", "/pledges", {}),
    ("/pledges/{pledge_id}", "/pledges/gu-2024", {}),
    ("/units", "/units", {"year": 2024}),
    ("/units/tree", "/units/tree", {"year": 2024}),
    ("/units/{unit_id}/headcounts", "/units/u-vtccb/headcounts", {"from_year": 2022, "to_year": 2024}),
    ("/read-models", "/read-models", {}),
]
NOT_QUERIES = {"/health", "/metrics", "/read-models/{name}/rebuild"}


def check(document: dict[str, Any], template: str, method: str, response: httpx.Response) -> None:
    """``response`` is one its operation documents: its status, its media type, and for JSON its schema."""
    documented = document["paths"][template][method]["responses"][str(response.status_code)]
    assert response.headers["content-type"] in documented["content"], (template, response.headers["content-type"])
    if response.headers["content-type"] == "application/json":
        schema = {**documented["content"]["application/json"]["schema"], "components": document["components"]}
        jsonschema.Draft202012Validator(schema).validate(response.json())


async def test_every_answer_matches_the_document(loaded: httpx.AsyncClient) -> None:
    document = (await loaded.get("/openapi.json")).json()
    queries = {path for path, operations in document["paths"].items() if "get" in operations}
    assert queries - NOT_QUERIES == {template for template, _path, _params in ANSWERS}
    recorded = await loaded.put("/forms/0604/2024/reference", json={"units": {"02": 1}})
    assert recorded.status_code == 200, recorded.text
    check(document, "/forms/{form}/{year}/reference", "put", recorded)
    exported = 0
    for template, path, params in ANSWERS:
        response = await loaded.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        check(document, template, "get", response)
        if any(p["name"] == "format" for p in document["paths"][template]["get"].get("parameters", [])):
            formats = document["paths"][template]["get"]["parameters"]
            allowed = next(p for p in formats if p["name"] == "format")["schema"].get("enum", ["csv", "xlsx"])
            for fmt in [f for f in ("csv", "xlsx", "pdf") if f in allowed]:
                export = await loaded.get(path, params={**params, "format": fmt})
                assert export.status_code == 200, (path, fmt, export.text)
                check(document, template, "get", export)
                exported += 1
    assert exported == 2 * 10 + 2  # the forms: xlsx and pdf

    started = await loaded.post("/read-models/unit_tree/rebuild")
    assert started.status_code == 202, started.text
    check(document, "/read-models/{name}/rebuild", "post", started)
    latest = await loaded.get("/read-models/unit_tree/rebuild")
    check(document, "/read-models/{name}/rebuild", "get", latest)
