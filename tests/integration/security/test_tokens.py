"""Token edge cases at the running units service: every malformed or over-long token is a 401 ``invalid_token``.

Forged RS256 and ES256 tokens (a key the service does not trust, of a type its key set does not hold),
``roles`` that is null, an object or numbers, an empty ``sub``, a token valid for ten years: each is
refused with the common error body, never a 500 and never read as something else. A key set mixing RSA,
EC and Ed25519 keys verifies a valid token of each type.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from services.units.app import build
from tdkt.stack.launcher import AUDIENCE, LOCAL_ISSUER

pytestmark = pytest.mark.integration


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {"iss": LOCAL_ISSUER, "aud": AUDIENCE, "sub": "nguoi-kiem-thu", "iat": now,
                              "exp": now + 600, "jti": str(uuid.uuid4()), "roles": ["reader"]}
    claims.update(overrides)
    return {k: v for k, v in claims.items() if v is not ...}


def _local(auth_keys: Any) -> Any:
    return serialization.load_pem_private_key(auth_keys.private.read_bytes(), password=None)


async def _status(client: Any, token: str) -> tuple[int, dict[str, Any]]:
    answer = await client.get("/units/tree", headers={"authorization": f"Bearer {token}"})
    return answer.status_code, answer.json()


async def test_malformed_and_forged_tokens_are_401(settings, start_service, auth_keys) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build, settings)
    local = _local(auth_keys)
    now = int(time.time())
    bad = {
        "forged RS256": jwt.encode(_claims(), rsa.generate_private_key(public_exponent=65537, key_size=2048),
                                   algorithm="RS256"),
        "forged ES256": jwt.encode(_claims(), ec.generate_private_key(ec.SECP256R1()), algorithm="ES256"),
        "forged EdDSA": jwt.encode(_claims(), ed25519.Ed25519PrivateKey.generate(), algorithm="EdDSA"),
        "roles null": jwt.encode(_claims(roles=None), local, algorithm="EdDSA"),
        "roles object": jwt.encode(_claims(roles={"administrator": True}), local, algorithm="EdDSA"),
        "roles numbers": jwt.encode(_claims(roles=[1, 2]), local, algorithm="EdDSA"),
        "empty sub": jwt.encode(_claims(sub=""), local, algorithm="EdDSA"),
        "blank sub": jwt.encode(_claims(sub="   "), local, algorithm="EdDSA"),
        "sub not text": jwt.encode(_claims(sub=42), local, algorithm="EdDSA"),
        "ten years": jwt.encode(_claims(exp=now + 10 * 365 * 24 * 3600), local, algorithm="EdDSA"),
        "13 hours": jwt.encode(_claims(exp=now + 13 * 3600), local, algorithm="EdDSA"),
        "name an object": jwt.encode(_claims(name={"x": 1}), local, algorithm="EdDSA"),
        "not a JWT": "abc.def.ghi",
    }
    answers = {why: await _status(client, token) for why, token in bad.items()}
    for why, (status, body) in answers.items():
        assert status == 401, (why, status, body)
        assert body["code"] == "invalid_token", (why, body)
        assert set(body) == {"code", "message", "details"}, (why, body)
    assert "longer than the 43200 s accepted" in answers["ten years"][1]["message"]
    # The same claims, properly signed and within the lifetime, pass: the refusals above are the edge cases'.
    for good in (_claims(), _claims(exp=now + 12 * 3600), _claims(roles="reader")):
        status, body = await _status(client, jwt.encode(good, local, algorithm="EdDSA"))
        assert status == 200, (good, body)


async def test_the_lifetime_cap_is_a_setting(settings, start_service, auth_keys) -> None:  # type: ignore[no-untyped-def]
    client = await start_service(build, settings.model_copy(update={"auth_max_token_lifetime_s": 600}))
    local = _local(auth_keys)
    now = int(time.time())
    # iat given: a second ticking between the two clocks read here must not shorten the lifetime.
    assert (await _status(client, jwt.encode(_claims(iat=now, exp=now + 600), local, algorithm="EdDSA")))[0] == 200
    status, body = await _status(client, jwt.encode(_claims(iat=now, exp=now + 601), local, algorithm="EdDSA"))
    assert (status, body["code"]) == (401, "invalid_token")


async def test_a_key_set_mixing_key_types_verifies_each(  # type: ignore[no-untyped-def]
    settings, start_service, tmp_path: Path
) -> None:
    keys = {"RS256": rsa.generate_private_key(public_exponent=65537, key_size=2048),
            "ES256": ec.generate_private_key(ec.SECP256R1()),
            "EdDSA": ed25519.Ed25519PrivateKey.generate()}
    jwks = {"keys": [
        json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(keys["RS256"].public_key())) | {"kid": "rsa", "use": "sig"},
        json.loads(jwt.algorithms.ECAlgorithm.to_jwk(keys["ES256"].public_key())) | {"kid": "ec", "use": "sig"},
        json.loads(jwt.algorithms.OKPAlgorithm.to_jwk(keys["EdDSA"].public_key())) | {"kid": "okp", "use": "sig"},
    ]}
    path = tmp_path / "jwks.json"
    path.write_text(json.dumps(jwks), encoding="utf-8")
    client = await start_service(build, settings.model_copy(update={"auth_public_key_file": path}))
    for algorithm, key in keys.items():
        status, body = await _status(client, jwt.encode(_claims(), key, algorithm=algorithm))
        assert status == 200, (algorithm, body)
    # Tokens of every type signed by keys outside the set are still refused.
    for algorithm, key in (("RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048)),
                           ("ES256", ec.generate_private_key(ec.SECP256R1())),
                           ("EdDSA", ed25519.Ed25519PrivateKey.generate())):
        status, body = await _status(client, jwt.encode(_claims(), key, algorithm=algorithm))
        assert (status, body["code"]) == (401, "invalid_token"), algorithm
