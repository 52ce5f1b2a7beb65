"""Fixtures of the users module's tests: an app with users and a stand-in token issuer."""

from __future__ import annotations

import uuid

import pytest

from core.testing.auth import STATIC_AUTH, static_auth_plugin
from modules.users import listeners
from modules.users import plugin as users_plugin
from modules.users.api import on_credentials_changed

# OWASP's floor: the cheapest parameters the module accepts, so tests hash fast.
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}
PASSWORD = "correct horse battery"


@pytest.fixture
def users_app(mosaic_app):
    """Returns ``await users_app(**users_settings, auth=plugin, extra=plugins, enabled=...)``."""

    async def factory(*, auth=None, extra=None, enabled=None, **settings):
        plugins = {
            "users": users_plugin,
            STATIC_AUTH: auth or static_auth_plugin(),
            **(extra or {}),
        }
        return await mosaic_app(
            plugins,
            enabled=enabled or ["users", STATIC_AUTH],
            settings={"users": {**FAST_HASHING, **settings}},
        )

    return factory


@pytest.fixture
async def app(users_app):
    return await users_app()


@pytest.fixture
async def client(app, mosaic_client):
    return await mosaic_client(app)


@pytest.fixture
def register(client):
    """Returns ``await register(email, **fields)``: the created account's JSON."""

    async def create(email="ada@example.com", password=PASSWORD, **fields):
        response = await client.post(
            "/api/v1/users", json={"email": email, "password": password, **fields}
        )
        assert response.status_code == 201, response.text
        return response.json()

    return create


@pytest.fixture
def bearer(app, mosaic_token):
    """Returns ``await bearer(subject, *permissions)``: an Authorization header."""

    async def header(subject, *permissions):
        token = await mosaic_token(app, *permissions, subject=str(subject))
        return {"Authorization": f"Bearer {token}"}

    return header


@pytest.fixture
async def admin(bearer):
    """Headers of an administrator (any subject: admin routes only check the permission)."""
    return await bearer(uuid.uuid4(), "users:admin")


@pytest.fixture
def credential_changes(monkeypatch):
    """The calls made to a listener registered with ``on_credentials_changed``, as
    ``(user_id, keep_session)``; no other listener is registered during the test."""
    calls: list[tuple[uuid.UUID, str | None]] = []

    async def record(_session, user_id, keep_session):
        calls.append((user_id, keep_session))

    monkeypatch.setattr(listeners, "_listeners", [])
    on_credentials_changed(record)
    return calls
