"""An application with the users and auth modules, and helpers to log in."""

from __future__ import annotations

from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from core.testing.kernel import kernel_of
from modules.auth import plugin as auth_plugin
from modules.auth.authority import TokenAuthority
from modules.users import plugin as users_plugin

PASSWORD = "correct horse battery staple"
# OWASP's floor for argon2id keeps the suite fast; production defaults are stronger.
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}


@dataclass
class Login:
    access: str
    refresh: str
    scope: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access}"}


@pytest.fixture
def auth_settings() -> dict[str, object]:
    """Overridden by tests that need another configuration of the auth module."""
    return {}


@pytest.fixture
async def app(mosaic_app, auth_settings) -> FastAPI:
    app: FastAPI = await mosaic_app(
        {"users": users_plugin, "auth": auth_plugin},
        settings={"users": FAST_HASHING, "auth": auth_settings},
    )
    return app


def token_authority(app: FastAPI) -> TokenAuthority:
    """Returns the auth module's authority in ``app``: its keys and codec, to forge tokens with."""
    authenticator = kernel_of(app).authenticator
    assert isinstance(authenticator, TokenAuthority)
    return authenticator


async def register(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> str:
    response = await client.post("/api/v1/users", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def request_token(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    """Posts the OAuth2 password form; returns the answer, whatever it is."""
    return await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": email, "password": password},
    )


async def login(client: httpx.AsyncClient, email: str, password: str = PASSWORD) -> Login:
    response = await request_token(client, email, password)
    assert response.status_code == 200, response.text
    body = response.json()
    return Login(body["access_token"], body["refresh_token"], body["scope"])


async def refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post("/api/v1/auth/refresh", json={"refresh_token": token})


async def me(client: httpx.AsyncClient, access: str) -> httpx.Response:
    return await client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {access}"})
