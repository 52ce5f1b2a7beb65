"""Changing one's password: the current one is checked, and every other session ends."""

from __future__ import annotations

import dataclasses

import pytest

from core import Delivery, Listener, Mode
from core.testing.auth import STATIC_AUTH, StaticAuthenticator
from core.testing.kernel import kernel_of
from modules.users.api import CredentialsChanged, verify_credentials
from tests.fixture_modules.factory import make_plugin
from tests.modules.users.conftest import configured_passwords

PASSWORD = "correct horse battery"
NEW_PASSWORD = "tr0ub4dor & 3"


class SessionAuthenticator(StaticAuthenticator):
    """The static authenticator, with a login session per token (``session-<token prefix>``)."""

    async def authenticate(self, token, session):
        principal = await super().authenticate(token, session)
        return dataclasses.replace(principal, session=session_of(token))


def session_of(token: str) -> str:
    return f"session-{token[:8]}"


def session_auth_plugin() -> object:
    """Like ``static_auth_plugin()``, but principals carry a session id."""
    return make_plugin(
        STATIC_AUTH, mosaic_register_authenticator=lambda kernel: SessionAuthenticator()
    )


@pytest.fixture
async def session_app(users_app):
    return await users_app(auth=session_auth_plugin())


@pytest.fixture
async def session_client(session_app, mosaic_client):
    return await mosaic_client(session_app)


async def _account_and_token(client, app, mosaic_token):
    response = await client.post(
        "/api/v1/users", json={"email": "ada@example.com", "password": PASSWORD}
    )
    account = response.json()
    return account, await mosaic_token(app, subject=account["id"])


async def _change_password(client, token, current_password=PASSWORD):
    """Asks, with ``token``, to change the account's password to ``NEW_PASSWORD``."""
    return await client.post(
        "/api/v1/users/me/password",
        headers={"Authorization": f"Bearer {token}"},
        json={"current_password": current_password, "new_password": NEW_PASSWORD},
    )


async def _login(app, email, password):
    async with kernel_of(app).database.unit_of_work() as uow:
        return await verify_credentials(
            uow.session, email=email, password=password, passwords=configured_passwords(app)
        )


async def test_password_change_ends_every_other_session(
    session_app, session_client, mosaic_token, credential_changes
):
    account, token = await _account_and_token(session_client, session_app, mosaic_token)

    response = await _change_password(session_client, token)

    assert response.status_code == 204
    assert response.content == b""
    assert [(str(user_id), keep) for user_id, keep in credential_changes] == [
        (account["id"], session_of(token))
    ]
    assert await _login(session_app, "ada@example.com", PASSWORD) is None
    assert (await _login(session_app, "ada@example.com", NEW_PASSWORD)).email == "ada@example.com"


async def test_a_wrong_current_password_changes_nothing(
    session_app, session_client, mosaic_token, credential_changes
):
    _, token = await _account_and_token(session_client, session_app, mosaic_token)

    response = await _change_password(session_client, token, "not my password")

    assert response.status_code == 422
    assert response.json()["code"] == "users.wrong_password"
    assert credential_changes == []
    assert await _login(session_app, "ada@example.com", PASSWORD) is not None


@pytest.mark.parametrize(
    "body",
    [
        {"current_password": PASSWORD, "new_password": "short"},
        {"current_password": PASSWORD, "new_password": "p" * 129},
        {"current_password": "p" * 10_000, "new_password": NEW_PASSWORD},
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "keep_sessions": True},
        {"new_password": NEW_PASSWORD},
    ],
)
async def test_invalid_password_changes_are_refused(client, register, bearer, body):
    headers = await bearer((await register())["id"])

    response = await client.post("/api/v1/users/me/password", headers=headers, json=body)

    assert response.status_code == 422
    assert response.json()["code"] == "core.validation_failed"


async def test_password_change_needs_a_token(client):
    response = await client.post(
        "/api/v1/users/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert response.status_code == 401


def _listening_plugin(heard: list[str]) -> object:
    """A module ``hears`` whose listener records the credential events it receives."""

    async def record(delivery: Delivery[CredentialsChanged]) -> None:
        heard.append(str(delivery.event.user_id))

    listener = Listener(CredentialsChanged, record, mode=Mode.IN_TRANSACTION)
    return make_plugin("hears", depends_on=["users"], listeners=[listener])


@pytest.mark.parametrize("listener_enabled", [True, False])
async def test_only_enabled_modules_listeners_are_called(
    users_app, mosaic_client, mosaic_token, credential_changes, listener_enabled
):
    heard: list[str] = []
    enabled = ["users", "testauth", *(["hears"] if listener_enabled else [])]
    app = await users_app(extra={"hears": _listening_plugin(heard)}, enabled=enabled)
    client = await mosaic_client(app)
    account, token = await _account_and_token(client, app, mosaic_token)

    response = await _change_password(client, token)

    assert response.status_code == 204
    assert len(credential_changes) == 1  # published whoever listens
    assert heard == ([account["id"]] if listener_enabled else [])
