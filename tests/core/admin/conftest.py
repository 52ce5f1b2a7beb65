"""Fixtures of the console's tests: the users, auth and catalogue modules, and two accounts."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import update

from core.testing.kernel import kernel_of
from modules.auth import plugin as auth_plugin
from modules.catalogue import plugin as catalogue_plugin
from modules.users import plugin as users_plugin
from modules.users.models import User

PASSWORD = "correct horse battery"
# Cheap hashing for tests (the OWASP floor): the console checks passwords as the token route does.
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}
ORIGIN = "http://testserver"
PLUGINS = {"users": users_plugin, "auth": auth_plugin, "catalogue": catalogue_plugin}
#: The category and the product in it that the console's pages show and edit.
TOOLS = {"slug": "tools", "name": "Tools"}
HAMMER = {
    "sku": "HAM-1",
    "slug": "hammer",
    "name": "Hammer",
    "price": "12.50",
    "stock": 3,
    "status": "active",
}


async def console_app(mosaic_app: Any, *, enabled: list[str] | None = None, **env: Any) -> Any:
    """An application with the console's modules (or ``enabled`` of them) and kernel ``env``."""
    return await mosaic_app(
        PLUGINS,
        enabled=enabled or list(PLUGINS),
        settings={"users": FAST_HASHING},
        env=env,
    )


async def create_account(app: Any, client: httpx.AsyncClient, email: str, *roles: str) -> str:
    """Registers ``email`` through the API and gives it ``roles`` (as ``users set-role`` does)."""
    response = await client.post("/api/v1/users", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.text
    async with kernel_of(app).database.unit_of_work() as uow:
        await uow.session.execute(update(User).where(User.email == email).values(roles=list(roles)))
    return str(response.json()["id"])


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    """Posts the console's login form as its page does."""
    return await client.post(
        "/admin/login",
        data={"username": email, "password": password},
        headers={"Origin": ORIGIN},
    )


@pytest.fixture
async def app(mosaic_app):
    return await console_app(mosaic_app)


@pytest.fixture
async def other_client(app, mosaic_client) -> httpx.AsyncClient:
    """A second browser: its own cookies."""
    opened: httpx.AsyncClient = await mosaic_client(app)
    return opened


@pytest.fixture
async def admin_headers(app, client) -> dict[str, str]:
    """``ada@example.com`` (role ``admin``) signed in to the console of ``client``; her bearer
    header for the API."""
    await create_account(app, client, "ada@example.com", "admin")
    assert (await sign_in(client, "ada@example.com")).status_code == 302
    token = await client.post(
        "/api/v1/auth/token",
        data={"grant_type": "password", "username": "ada@example.com", "password": PASSWORD},
    )
    assert token.status_code == 200, token.text
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


@pytest.fixture
async def product(client, admin_headers) -> dict[str, Any]:
    """A product created through the API, with its ETag."""
    category = await client.post("/api/v1/catalogue/categories", json=TOOLS, headers=admin_headers)
    assert category.status_code == 201, category.text
    body = {**HAMMER, "category_id": category.json()["id"]}
    created = await client.post("/api/v1/catalogue/products", json=body, headers=admin_headers)
    assert created.status_code == 201, created.text
    return {**created.json(), "etag": created.headers["ETag"]}
