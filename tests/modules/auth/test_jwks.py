"""Asymmetric signing with key rotation, and the published key set."""

from __future__ import annotations

import pytest
from joserfc.jwk import ECKey

from tests.modules.auth.conftest import login, me, register, token_authority


def _pem(key):
    return key.as_pem(private=True).decode()


OLD = ECKey.generate_key("P-256")
NEW = ECKey.generate_key("P-256")


@pytest.fixture
def auth_settings():
    return {
        "algorithm": "ES256",
        "signing_keys": [
            {"kid": "2026-11", "private_key": _pem(NEW)},
            {"kid": "2026-05", "private_key": _pem(OLD)},
        ],
    }


async def test_jwks_publishes_every_verification_key_without_private_parts(client):
    keys = (await client.get("/api/v1/auth/jwks")).json()["keys"]

    assert [key["kid"] for key in keys] == ["2026-11", "2026-05"]
    assert all(key["kty"] == "EC" and "d" not in key for key in keys)


async def test_new_tokens_use_the_first_key_and_old_keys_still_verify(app, client):
    from joserfc import jwt

    await register(client, "rotate-keys@example.com")
    session = await login(client, "rotate-keys@example.com")
    header = jwt.decode(session.access, token_authority(app).keys.verifying).header
    assert header["kid"] == "2026-11"
    assert header["alg"] == "ES256"

    authority = token_authority(app)
    claims = jwt.decode(session.access, authority.keys.verifying).claims
    old_token = jwt.encode(
        {"alg": "ES256", "typ": "at+jwt", "kid": "2026-05"}, claims, OLD, algorithms=["ES256"]
    )

    assert (await me(client, old_token)).status_code == 200


async def test_hs256_signed_with_the_public_key_is_refused(app, client):
    """The classic confusion: HMAC with the published public key as the secret."""
    import base64
    import hashlib
    import hmac
    import json

    await register(client, "confused@example.com")
    session = await login(client, "confused@example.com")
    _header, payload, _signature = session.access.split(".")
    header = {"alg": "HS256", "typ": "at+jwt", "kid": "2026-11"}
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    signing_input = f"{encoded}.{payload}".encode()
    mac = hmac.new(NEW.as_pem(private=False), signing_input, hashlib.sha256).digest()
    forged = f"{encoded}.{payload}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"

    assert (await me(client, forged)).status_code == 401


def test_asymmetric_algorithm_without_keys_is_refused():
    from pydantic import ValidationError

    from modules.auth.config import AuthSettings

    with pytest.raises(ValidationError, match="needs at least one entry in signing_keys"):
        AuthSettings(algorithm="RS256")
