"""The users module's mailed links, seen from login: a password reset ends every session, and a
deployment may refuse logins until the email is verified."""

from __future__ import annotations

import re

import pytest

from modules.auth import plugin as auth_plugin
from modules.users import plugin as users_plugin
from tests.modules.auth.conftest import FAST_HASHING, PASSWORD, login, me, refresh, register

TOKEN = re.compile(r"[?&]token=([A-Za-z0-9_-]+)")
NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def users_settings():
    return {}


@pytest.fixture
async def app(mosaic_app, mosaic_smtp, users_settings):
    return await mosaic_app(
        {"users": users_plugin, "auth": auth_plugin},
        settings={"users": {**FAST_HASHING, **users_settings}},
        env={"smtp_url": mosaic_smtp.url},
    )


async def _token(app, deliver_events, mosaic_smtp, subject):
    await deliver_events(app)
    [mail] = [m for m in mosaic_smtp.messages if m.message["Subject"] == subject][-1:]
    [token] = TOKEN.findall(mail.text)
    return token


async def test_a_password_reset_ends_every_session(client, app, deliver_events, mosaic_smtp):
    await register(client, "ada@example.com")
    laptop = await login(client, "ada@example.com")
    phone = await login(client, "ada@example.com")
    await client.post("/api/v1/users/password-reset", json={"email": "ada@example.com"})
    token = await _token(app, deliver_events, mosaic_smtp, "Reset your password")

    response = await client.post(
        "/api/v1/users/password-reset/confirm",
        json={"token": token, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 204
    for session in (laptop, phone):
        assert (await me(client, session.access)).status_code == 401
        assert (await refresh(client, session.refresh)).status_code == 400
    assert (await me(client, (await login(client, "ada@example.com", NEW_PASSWORD)).access)).json()[
        "email_verified"
    ]


async def test_by_default_an_unverified_account_logs_in(client):
    await register(client, "ada@example.com")

    session = await login(client, "ada@example.com")

    assert (await me(client, session.access)).json()["email_verified"] is False


@pytest.mark.parametrize("users_settings", [{"require_verified_email": True}])
async def test_a_deployment_may_refuse_unverified_accounts(
    client, app, deliver_events, mosaic_smtp
):
    await register(client, "ada@example.com")
    form = {"grant_type": "password", "username": "ada@example.com"}

    refused = await client.post("/api/v1/auth/token", data={**form, "password": PASSWORD})
    wrong = await client.post("/api/v1/auth/token", data={**form, "password": "not it at all"})

    assert refused.status_code == 403
    assert refused.json()["code"] == "users.email_not_verified"
    # Only who knows the password learns that the account waits for its verification.
    assert wrong.status_code == 400
    assert wrong.json()["code"] == "auth.invalid_grant"

    token = await _token(app, deliver_events, mosaic_smtp, "Confirm your email address")
    assert (await client.post("/api/v1/users/verify", json={"token": token})).status_code == 204
    assert (await me(client, (await login(client, "ada@example.com")).access)).status_code == 200


async def test_the_token_endpoint_documents_the_refusal(client):
    operation = (await client.get("/openapi.json")).json()["paths"]["/api/v1/auth/token"]["post"]

    assert "403" in operation["responses"]
