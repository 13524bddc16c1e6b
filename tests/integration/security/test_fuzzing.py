"""Hostile input over HTTP: every operation of every service, fed requests generated from its own OpenAPI document.

The four services run as processes on a stack of their own (Kafka, PostgreSQL),
as ``tdkt demo`` runs them. For each operation, schemathesis generates
requests that fit the document (valid shapes with arbitrary values: unknown
ids, dates far in the past, long Vietnamese text…) and requests that break it
(wrong types, missing fields, out-of-range numbers), sent with an
administrator's token so that every rule is reached. Each answer must be
below 500, a refused request (4xx) must leave the service's records as
they were (no event appended, no reference row written), and every answer must
be one the document declares: its status code, its media type and, for JSON,
its schema (schemathesis's conformance checks: a client generated from the
document handles every answer, the refusals' ``{code, message, details}``
included).

``TDKT_FUZZ_EXAMPLES`` sets the examples per operation and mode (default 8;
the note of the security issue reports a larger run).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from kernel.auth import Role
from tdkt.stack.launcher import Stack, StackConfig, database_name

pytestmark = [pytest.mark.integration, pytest.mark.timeout(1500)]

CONFORMANCE = [status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = int(os.environ.get("TDKT_FUZZ_EXAMPLES", "8"))
ORDER = ("reporting", "campaigns", "awards", "units")
"""Units last: its events feed the others' consumers, and the campaigns policy appends events of its own."""
RECORD_TABLES = {
    "units": ("events",),
    "campaigns": ("events",),
    "awards": ("events", "council_compositions", "public_holidays", "award_quotas", "person_supplements",
               "attestations", "dossier_files", "dossier_assignments"),
    "reporting": (),
}
"""What a command writes in each service (the consumers' tables change on their own, from Kafka)."""


# A body the document declares as a PDF (the signatures' verification takes one): schemathesis has no generator
# for it, so it is given some — a PDF header with nothing after it, a truncated file, bytes that are no PDF.
schemathesis.openapi.media_type("application/pdf", st.sampled_from([
    b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n1 0 obj\n<<\n/Type /Catalog\n", b"\x00\x01 not a pdf",
]) | st.binary(min_size=1, max_size=256))


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    state_dir = Path(tempfile.mkdtemp(prefix="tdkt-fuzz-"))
    running = Stack(StackConfig(state_dir=state_dir, log_format="console"))
    try:
        running.start(progress=lambda line: print(f"[fuzz stack] {line}"))
        yield running
    finally:
        running.stop()
        shutil.rmtree(state_dir, ignore_errors=True)


def _code(response: object) -> str:
    try:
        return str(response.json().get("code"))  # type: ignore[attr-defined]
    except (ValueError, AttributeError):
        return "?"


def _title(failure: BaseException) -> str:
    return str(getattr(failure, "title", "") or failure).strip().splitlines()[0][:300]


class Records:
    """Counts of the rows a command writes, read straight from the service's database."""

    def __init__(self, url: str, tables: tuple[str, ...]) -> None:
        self.loop = asyncio.new_event_loop()
        self.conn: asyncpg.Connection = self.loop.run_until_complete(asyncpg.connect(url))
        self.tables = tables

    def count(self) -> tuple[int, ...]:
        return tuple(self.loop.run_until_complete(self.conn.fetchval(f"SELECT count(*) FROM {t}")) for t in self.tables)

    def close(self) -> None:
        self.loop.run_until_complete(self.conn.close())
        self.loop.close()


def test_no_generated_request_causes_a_server_error_or_a_partial_write(stack: Stack) -> None:
    assert stack.postgres is not None
    headers = {"authorization": f"Bearer {stack.token(Role.ADMINISTRATOR, subject='fuzzer')}"}
    tried: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    codes: Counter[str] = Counter()
    nonconforming: dict[str, str] = {}
    started = time.perf_counter()
    for service in ORDER:
        url = stack.service_urls[service]
        spec = httpx.get(f"{url}/openapi.json", timeout=30).json()
        schema = schemathesis.openapi.from_dict(spec)
        records = Records(stack.postgres.url(database_name(service)), RECORD_TABLES[service])
        try:
            for result in schema.get_all_operations():
                operation = result.ok()
                if operation.path in ("/health", "/metrics"):
                    continue
                for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                              phases=[Phase.generate], suppress_health_check=list(HealthCheck))
                    @given(case=operation.as_strategy(generation_mode=mode))
                    def one(case: schemathesis.Case) -> None:
                        before = records.count() if records.tables else ()
                        # The token is always the administrator's: missing and bad tokens are tested apart.
                        case.headers = {**(case.headers or {}), **headers}
                        response = case.call(base_url=url, timeout=60)
                        tried[service] += 1
                        statuses[response.status_code] += 1
                        if response.status_code >= 400:
                            codes[f"{response.status_code} {_code(response)}"] += 1
                        where = f"{service} {case.method} {case.formatted_path} ({mode.value})"
                        assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:500]}"
                        try:
                            case.validate_response(response, checks=CONFORMANCE)
                        except (FailureGroup, AssertionError) as failure:  # collected, reported all at the end
                            key = f"{service} {case.method} {operation.path} {response.status_code}"
                            found = failure.exceptions if isinstance(failure, FailureGroup) else [failure]
                            nonconforming.setdefault(key, "; ".join(_title(f) for f in found))
                        if response.status_code >= 400 and records.tables:
                            assert records.count() == before, f"{where}: refused with {response.status_code} " \
                                                              "but wrote something"

                    one()
        finally:
            records.close()
        health = httpx.get(f"{url}/health", timeout=30)
        assert health.status_code == 200, f"{service} unhealthy after fuzzing: {health.text}"
    seconds = time.perf_counter() - started
    print(f"[fuzz] {sum(tried.values())} requests in {seconds:.0f} s: {dict(tried)}; statuses {dict(statuses)}")
    print(f"[fuzz] refusals: {dict(codes.most_common())}")
    # The tables' own constraints are a last line of defence: input that reaches them was not validated.
    assert not any(c.endswith(("constraint_violated", "invalid_value", "None")) for c in codes), codes
    assert all(tried[s] > 50 for s in ORDER), tried
    assert not nonconforming, "answers the OpenAPI documents do not declare:\n" + "\n".join(
        f"{k}: {v}" for k, v in sorted(nonconforming.items())
    )
    assert any(400 <= s < 500 for s in statuses) and any(s < 300 for s in statuses), statuses
