"""Every claim check of the contract: a token that is not exactly right answers 401."""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from joserfc import jwt
from joserfc.jwk import ECKey, OctKey

from tests.modules.auth.conftest import login, me, refresh, register, token_authority


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


async def _session(client):
    await register(client, "claims@example.com")
    return await login(client, "claims@example.com")


async def _resign(app, access, *, claims=None, header=None, key=None, drop=(), alg=None):
    """Signs a token like ``access``, with some claims or header fields changed."""
    keys = token_authority(app).keys
    decoded = jwt.decode(access, keys.verifying, algorithms=[keys.algorithm])
    new_claims = {**decoded.claims, **(claims or {})}
    for name in drop:
        new_claims.pop(name, None)
    new_header = {**decoded.header, **(header or {})}
    if alg:
        new_header["alg"] = alg
    if key is None and alg:
        # The same secret, free of the algorithm the deployment pinned it to.
        assert isinstance(keys.signing, OctKey)
        key = OctKey.import_key(keys.signing.raw_value)
    elif key is None:
        key = keys.signing
    return jwt.encode(new_header, new_claims, key, algorithms=[new_header["alg"]])


def _assert_invalid_token(response):
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith('Bearer error="invalid_token"')
    assert response.json()["code"] == "core.invalid_token"


async def test_the_genuine_token_works(client):
    session = await _session(client)

    assert (await me(client, session.access)).status_code == 200


async def test_alg_none_is_refused(app, client):
    session = await _session(client)
    header, claims, _signature = session.access.split(".")
    decoded_header = json.loads(base64.urlsafe_b64decode(header + "=="))
    unsigned = f"{_b64({**decoded_header, 'alg': 'none'})}.{claims}."

    _assert_invalid_token(await me(client, unsigned))


@pytest.mark.parametrize("alg", ["HS384", "HS512"])
async def test_another_algorithm_with_the_same_key_is_refused(app, client, alg):
    session = await _session(client)

    _assert_invalid_token(await me(client, await _resign(app, session.access, alg=alg)))


async def test_an_asymmetric_algorithm_is_refused(app, client):
    session = await _session(client)
    key = ECKey.generate_key("P-256")

    forged = await _resign(app, session.access, alg="ES256", key=key)

    _assert_invalid_token(await me(client, forged))


async def test_tampered_signature_and_payload_are_refused(client):
    session = await _session(client)
    header, claims, signature = session.access.split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    payload = json.loads(base64.urlsafe_b64decode(claims + "=="))
    payload["scope"] = "users:admin"

    _assert_invalid_token(await me(client, f"{header}.{claims}.{flipped}"))
    _assert_invalid_token(await me(client, f"{header}.{_b64(payload)}.{signature}"))
    _assert_invalid_token(await me(client, "not-a-jwt"))


async def test_a_key_we_do_not_hold_is_refused(app, client):
    session = await _session(client)
    other = OctKey.generate_key(256, parameters={"kid": "hs-1"})

    _assert_invalid_token(await me(client, await _resign(app, session.access, key=other)))


# Times are offsets from when the test runs, not from when the tests were collected: a long
# run must not turn a token from the future into a valid one.
TIMES = frozenset({"exp", "nbf", "iat"})


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": -120},
        {"nbf": 600},
        {"iat": 600},
        {"iss": "someone-else"},
        {"aud": "another-api"},
        {"sub": "not-a-uuid"},
    ],
    ids=["expired", "not-yet-valid", "issued-in-the-future", "issuer", "audience", "subject"],
)
async def test_claims_are_checked(app, client, claims):
    session = await _session(client)
    now = int(time.time())
    timed = {name: now + value if name in TIMES else value for name, value in claims.items()}

    _assert_invalid_token(await me(client, await _resign(app, session.access, claims=timed)))


@pytest.mark.parametrize("claim", ["exp", "iat", "sub", "jti", "iss", "aud", "sid"])
async def test_required_claims(app, client, claim):
    session = await _session(client)

    _assert_invalid_token(await me(client, await _resign(app, session.access, drop=[claim])))


async def test_small_leeway_accepts_a_just_expired_token(app, client):
    session = await _session(client)
    just_expired = await _resign(app, session.access, claims={"exp": int(time.time()) - 5})

    assert (await me(client, just_expired)).status_code == 200


async def test_garbage_kid_is_refused(app, client):
    session = await _session(client)

    for kid in ["garbage", "../../etc/passwd", "x" * 300]:
        _assert_invalid_token(
            await me(client, await _resign(app, session.access, header={"kid": kid}))
        )


async def test_refresh_token_is_not_an_access_token(client):
    session = await _session(client)

    _assert_invalid_token(await me(client, session.refresh))


async def test_access_token_is_not_a_refresh_token(client):
    session = await _session(client)

    response = await refresh(client, session.access)

    assert response.status_code == 400
    assert response.json()["code"] == "auth.invalid_grant"
    assert response.json()["error"] == "invalid_grant"


async def test_typ_header_is_required(app, client):
    session = await _session(client)

    forged = await _resign(app, session.access, header={"typ": "JWT"})

    _assert_invalid_token(await me(client, forged))


async def test_unknown_session_is_refused(app, client):
    session = await _session(client)

    forged = await _resign(app, session.access, claims={"sid": str(uuid.uuid4())})

    _assert_invalid_token(await me(client, forged))
