"""A request whose first try was applied but whose answer died with the service counts as done."""

from __future__ import annotations

from tdkt.scenario.client import ServiceError


def test_an_applied_key_is_already_done() -> None:
    error = ServiceError("units", "POST", "/initiatives", 409,
                         {"code": "idempotency_key_applied", "message": "applied, answer lost", "details": {}})
    assert error.already_done
    assert not ServiceError("units", "POST", "/initiatives", 409,
                            {"code": "idempotency_key_reused", "message": "another request", "details": {}}).already_done
