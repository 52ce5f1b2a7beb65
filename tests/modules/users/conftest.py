"""Fixtures of the users module's tests: an app with users and a stand-in token issuer."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from core.testing.auth import STATIC_AUTH, static_auth_plugin
from core.testing.kernel import kernel_of
from modules.users import plugin as users_plugin
from modules.users.api import Passwords
from modules.users.config import UsersSettings
from modules.users.passwords import passwords_for

# OWASP's floor: the cheapest parameters the module accepts, so tests hash fast.
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}
PASSWORD = "correct horse battery"


def configured_passwords(app) -> Passwords:
    """The hasher of ``app``'s ``[modules.users]`` settings, as its routes are handed it."""
    return passwords_for(kernel_of(app).settings_of(UsersSettings))


@pytest.fixture
def users_app(mosaic_app):
    """Returns ``await users_app(**users_settings, auth=plugin, extra=plugins, enabled=...,
    env=kernel_settings)``."""

    async def factory(*, auth=None, extra=None, enabled=None, env=None, **settings):
        plugins = {
            "users": users_plugin,
            STATIC_AUTH: auth or static_auth_plugin(),
            **(extra or {}),
        }
        return await mosaic_app(
            plugins,
            enabled=enabled or ["users", STATIC_AUTH],
            settings={"users": {**FAST_HASHING, **settings}},
            env=env,
        )

    return factory


@pytest.fixture
async def app(users_app):
    return await users_app()


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


class CredentialChanges:
    """``(user_id, keep_session)`` of every credential event committed so far, in order."""

    TYPES = frozenset({"users.password_changed.v1", "users.deactivated.v1", "users.deleted.v1"})

    def __init__(self, published) -> None:
        self._published = published

    def _items(self) -> list[tuple[uuid.UUID, str | None]]:
        payloads = (json.loads(e.payload) for e in self._published if e.type in self.TYPES)
        return [(uuid.UUID(p["user_id"]), p.get("keep_session")) for p in payloads]

    def __iter__(self):
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, list) and self._items() == other

    __hash__ = None  # type: ignore[assignment]


@pytest.fixture
def credential_changes(published_events) -> CredentialChanges:
    """The credential events (password changed, deactivated, deleted) the test committed."""
    return CredentialChanges(published_events)


TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_-]+)")


def mailed_token(mail):
    """The token of the link in a received mail's text (the HTML links to the same one)."""
    [token] = TOKEN_IN_LINK.findall(mail.text)
    assert mail.html is not None and f"token={token}" in mail.html
    return str(token)


@pytest.fixture
async def mail_app(users_app, mosaic_smtp):
    """Returns ``await mail_app(**users_settings)``: the users app sending to ``mosaic_smtp``."""

    async def factory(**settings):
        return await users_app(env={"smtp_url": mosaic_smtp.url}, **settings)

    return factory
