"""Reads the catalogue YAML files into a validated :class:`Catalogue`.

The files live in ``services/awards/catalogue/``; each has one top-level key:

- ``documents``: the legal documents rules cite (``_documents.yaml``);
- ``rule_sets``: the legal regimes and their periods (``_rule_sets.yaml``);
- ``shared_criteria``: criteria many rules share, e.g. the hold rule of each
  regime (``_shared_criteria.yaml``); a rule includes one with ``- use: <name>``;
- ``award``: one title or award form with all its rule versions (one file per code);
- ``requirements``: the documents a dossier must hold, by category, code and validity window
  (``_dossier_requirements.yaml``, Law Art. 84): the one table of the dossier's completeness and of
  :func:`~.procedure_checks.required_documents`.

This is the only module that touches files; everything else is pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from kernel.errors import DomainError
from pydantic import ValidationError

from .catalogue import Catalogue

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogue"


class CatalogueError(DomainError):
    """The catalogue data is invalid: a deployment error, never a user error."""

    status = 500

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__("invalid_catalogue", message, **details)


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read and validate every ``*.yaml`` file of ``directory`` (default: the packaged catalogue)."""
    folder = directory or CATALOGUE_DIR
    files = sorted(folder.glob("*.yaml"))
    if not files:
        raise CatalogueError(f"No catalogue files in {folder}")
    parts = []
    for path in files:
        with path.open(encoding="utf-8") as handle:
            parts.append((path.name, yaml.safe_load(handle)))
    return parse_catalogue(parts)


@lru_cache(maxsize=1)
def default_catalogue() -> Catalogue:
    """The packaged catalogue, read once per process."""
    return load_catalogue()


def parse_catalogue(parts: Iterable[tuple[str, Any]]) -> Catalogue:
    """Build the catalogue from (file name, parsed YAML) pairs; raises CatalogueError naming the file."""
    documents: dict[str, Any] = {}
    rule_sets: list[Any] = []
    shared: dict[str, Any] = {}
    awards: list[tuple[str, Mapping[str, Any]]] = []
    dossiers: list[Any] = []
    for name, content in parts:
        if not isinstance(content, Mapping) or len(content) != 1:
            raise CatalogueError(f"{name}: expected exactly one top-level key", file=name)
        ((key, body),) = content.items()
        if key == "documents":
            for doc in body:
                if doc.get("id") in documents:
                    raise CatalogueError(f"{name}: document {doc.get('id')!r} defined twice", file=name)
                documents[str(doc.get("id"))] = doc
        elif key == "rule_sets":
            rule_sets.extend(body)
        elif key == "shared_criteria":
            shared.update(body)
        elif key == "award":
            awards.append((name, body))
        elif key == "requirements":
            dossiers.extend(body)
        elif key == "deadlines":
            continue  # _deadlines.yaml: the law's dates upward, read by workflow/deadlines.py
        else:
            raise CatalogueError(f"{name}: unknown top-level key {key!r}", file=name)

    entries: dict[str, Any] = {}
    for name, body in awards:
        code = str(body.get("code"))
        if code in entries:
            raise CatalogueError(f"{name}: code {code!r} defined twice", file=name)
        try:
            entries[code] = _expand(body, shared)
        except KeyError as missing:
            raise CatalogueError(f"{name}: unknown shared criterion {missing}", file=name) from None
    try:
        return Catalogue.model_validate(
            {"documents": documents, "rule_sets": rule_sets, "entries": entries, "dossiers": dossiers}
        )
    except ValidationError as error:
        problems = "; ".join(_describe(e) for e in error.errors(include_url=False))
        raise CatalogueError(f"Invalid catalogue: {problems}", errors=problems) from None


def _describe(error: Mapping[str, Any]) -> str:
    where = ".".join(str(part) for part in error.get("loc", ()))
    return f"{where}: {error.get('msg')}" if where else str(error.get("msg"))


def _expand(node: Any, shared: Mapping[str, Any]) -> Any:
    """Replace every ``{use: name}`` item by the shared criterion ``name``.

    ``{use: name, params: {...}}`` overrides some of its params (e.g. the years
    the discipline rule looks back over), so one article is written once.
    """
    if isinstance(node, Mapping):
        if "use" in node and set(node) <= {"use", "params"}:
            base = shared[node["use"]]
            if "params" in node:
                base = {**base, "params": {**(base.get("params") or {}), **node["params"]}}
            return _expand(base, shared)
        return {key: _expand(value, shared) for key, value in node.items()}
    if isinstance(node, list):
        return [_expand(item, shared) for item in node]
    return node
