"""The reporting routes hold no SQL: every query is in services/reporting/projections/queries.py."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

API = Path(__file__).resolve().parents[3] / "services" / "reporting" / "api"
SQL = re.compile(r"\b(SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET|WHERE|ORDER BY|GROUP BY|LIMIT \$)\b")
DATABASE_CALLS = {"fetch", "fetchrow", "fetchval", "execute", "executemany", "acquire", "transaction"}


def _route_files() -> list[Path]:
    return sorted(API.glob("*.py"))


def test_the_api_package_has_its_route_modules() -> None:
    assert {p.stem for p in _route_files()} >= {"statistics", "history", "movements", "units", "read_models"}


@pytest.mark.parametrize("path", _route_files(), ids=lambda p: p.name)
def test_a_route_file_writes_no_sql_and_calls_no_database(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    sql = [
        (node.lineno, node.value[:60]) for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]
    calls = [
        (node.lineno, node.func.attr) for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DATABASE_CALLS
    ]
    imports_asyncpg = [
        node.lineno for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        and any(a.name.split(".")[0] == "asyncpg" for a in node.names)
        or isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "asyncpg"
    ]
    assert (sql, calls, imports_asyncpg) == ([], [], [])
