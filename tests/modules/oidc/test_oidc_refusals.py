"""Every way a sign-in fails: each a documented problem with its own code, and nobody signed in."""

from __future__ import annotations

import socket
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.modules.oidc.conftest import oidc_settings, sign_in, start
from tests.modules.oidc.rows import execute, rows


def _problem(response: httpx.Response) -> tuple[int, str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return response.status_code, response.json()["code"]


async def test_an_unknown_provider_is_404(client):
    for path in ("/api/v1/oidc/nobody/login", "/api/v1/oidc/nobody/callback?state=x&code=y"):
        assert _problem(await client.get(path)) == (404, "oidc.provider_not_found")


async def test_a_wrong_state_is_refused_before_the_provider_is_asked(app, client, provider):
    dance = await start(client)
    returned = dance.returned

    answer = await client.get(
        "/api/v1/oidc/acme/callback",
        params={"state": returned["state"][:-2] + "xx", "code": returned["code"]},
    )

    assert _problem(answer) == (400, "oidc.invalid_state")
    assert provider.token_requests == []
    assert await rows(app, "auth_sessions") == []


async def test_a_callback_without_state_is_refused(client, provider):
    dance = await start(client)

    answer = await client.get("/api/v1/oidc/acme/callback", params={"code": dance.returned["code"]})

    assert _problem(answer) == (400, "oidc.invalid_state")


async def test_a_callback_in_another_browser_is_refused(app, mosaic_client, client, provider):
    dance = await start(client)
    other_browser = await mosaic_client(app)

    answer = await other_browser.get(dance.callback_url)

    assert _problem(answer) == (400, "oidc.invalid_state")
    assert provider.token_requests == []


async def test_a_forged_cookie_is_refused(client, provider):
    dance = await start(client)
    cookie = next(c for c in client.cookies.jar if c.name == "mosaic_oidc_acme")
    browser, expires, _signature = cookie.value.split(".")
    cookie.value = f"{browser}.{expires}.{'A' * 43}"

    answer = await client.get(dance.callback_url)

    assert _problem(answer) == (400, "oidc.invalid_state")


async def test_a_replayed_callback_is_refused(client, provider):
    dance = await sign_in(client)
    assert dance.callback.status_code == 200
    # The browser (or whoever copied the URL) comes back with a fresh sign-in's cookie.
    await start(client)

    replay = await client.get(dance.callback_url)

    assert _problem(replay) == (400, "oidc.invalid_state")
    assert len(provider.token_requests) == 1


async def test_an_expired_sign_in_is_refused(app, client, provider):
    dance = await start(client)
    past = datetime.now(UTC) - timedelta(seconds=1)
    await execute(app, "UPDATE oidc_sign_ins SET expires_at = :past", past=past)

    answer = await client.get(dance.callback_url)

    assert _problem(answer) == (400, "oidc.invalid_state")


async def test_a_replayed_code_is_refused_by_the_provider(client, provider):
    first = await sign_in(client)
    assert first.callback.status_code == 200
    second = await start(client)

    replay = await client.get(
        "/api/v1/oidc/acme/callback",
        params={"state": second.returned["state"], "code": first.returned["code"]},
    )

    assert _problem(replay) == (400, "oidc.token_exchange_failed")
    assert "invalid_grant" in replay.json()["detail"]


async def test_a_state_spent_on_a_failed_exchange_cannot_be_played_again(client, provider):
    first = await sign_in(client)
    second = await start(client)
    params = {"state": second.returned["state"], "code": first.returned["code"]}
    assert (await client.get("/api/v1/oidc/acme/callback", params=params)).status_code == 400
    await start(client)  # a live cookie again: only the state is stale

    again = await client.get(
        "/api/v1/oidc/acme/callback",
        params={"state": second.returned["state"], "code": second.returned["code"]},
    )

    assert _problem(again) == (400, "oidc.invalid_state")


@pytest.mark.parametrize(
    "fault", ["bad_nonce", "expired", "unknown_key", "wrong_audience", "wrong_issuer"]
)
async def test_an_id_token_failing_a_check_signs_nobody_in(app, client, provider, fault):
    provider.fault = fault

    dance = await sign_in(client)

    assert _problem(dance.callback) == (400, "oidc.invalid_id_token")
    assert await rows(app, "users_users") == []
    assert await rows(app, "auth_sessions") == []


async def test_an_unknown_key_refetches_the_keys_at_most_once_a_minute(client, provider):
    assert (await sign_in(client)).callback.status_code == 200
    provider.fault = "unknown_key"

    dance = await sign_in(client)

    assert _problem(dance.callback) == (400, "oidc.invalid_id_token")
    assert provider.requests.count("/jwks") == 1  # fetched for the first sign-in only


async def test_a_key_the_provider_rotated_in_is_fetched(client, provider, monkeypatch):
    assert (await sign_in(client)).callback.status_code == 200
    provider.rotate()
    monkeypatch.setattr("modules.oidc.provider.KEYS_REFRESH_INTERVAL", 0.0)

    dance = await sign_in(client)

    assert dance.callback.status_code == 200, dance.callback.text
    assert provider.requests.count("/jwks") == 2


async def test_a_provider_refusal_is_its_own_problem(client, provider):
    provider.deny = True

    dance = await sign_in(client)

    assert _problem(dance.callback) == (400, "oidc.provider_error")
    assert "access_denied" in dance.callback.json()["detail"]


async def test_an_unreachable_provider_is_503(oidc_app, mosaic_client):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    app = await oidc_app(**oidc_settings(f"http://127.0.0.1:{port}"), timeout=2)
    client = await mosaic_client(app)

    answer = await client.get("/api/v1/oidc/acme/login")

    assert _problem(answer) == (503, "oidc.provider_unavailable")
    assert answer.headers["retry-after"] == "30"
    assert await rows(app, "oidc_sign_ins") == []
