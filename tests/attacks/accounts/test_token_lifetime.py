"""A token signed with the right key but claiming an absurd lifetime is refused.

The attack: ``exp`` = 1e30 with the deployment's key was accepted. A token may not claim to live
longer than the service issues tokens for (plus the clock leeway).
"""

from __future__ import annotations

import pytest
from joserfc import jwt

from tests.modules.auth.conftest import login, me, refresh, register, token_authority


async def _resigned(app, token, **claims):
    keys = token_authority(app).keys
    decoded = jwt.decode(token, keys.verifying, algorithms=[keys.algorithm])
    return jwt.encode(
        decoded.header, {**decoded.claims, **claims}, keys.signing, algorithms=[keys.algorithm]
    )


@pytest.mark.parametrize("extra", [1e30 - 1, 10**12, 3600 * 24 * 365, 900 + 30 + 1])
async def test_an_access_token_living_too_long_is_refused(app, client, extra):
    await register(client, "long@example.com")
    session = await login(client, "long@example.com")
    iat = jwt.decode(session.access, token_authority(app).keys.verifying).claims["iat"]
    forged = await _resigned(app, session.access, exp=iat + extra)

    response = await me(client, forged)

    assert response.status_code == 401
    assert response.json()["code"] == "core.invalid_token"
    assert "lifetime" in response.json()["detail"]


async def test_a_refresh_token_living_too_long_is_refused(app, client):
    await register(client, "longer@example.com")
    session = await login(client, "longer@example.com")
    forged = await _resigned(app, session.refresh, exp=10**30)

    response = await refresh(client, forged)

    assert response.status_code == 400
    assert response.json()["code"] == "auth.invalid_grant"


async def test_a_token_at_exactly_its_lifetime_and_leeway_is_accepted(app, client):
    await register(client, "exact@example.com")
    session = await login(client, "exact@example.com")
    iat = jwt.decode(session.access, token_authority(app).keys.verifying).claims["iat"]
    resigned = await _resigned(app, session.access, exp=iat + 900 + 30)

    assert (await me(client, resigned)).status_code == 200
