"""Fixtures of the orders tests: an app with users, the catalogue and orders, customers holding
tokens minted in memory, and products to sell (made by the catalogue tests' own makers)."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from core.testing.auth import STATIC_AUTH, static_auth_plugin
from modules.catalogue import plugin as catalogue_plugin
from modules.orders import plugin as orders_plugin
from modules.users import plugin as users_plugin
from tests.modules.catalogue.conftest import (  # noqa: F401 - pytest finds fixtures by name
    category,
    make_category,
    make_product,
    writer,
)

API = "/api/v1/orders"
CATALOGUE = "/api/v1/catalogue"
MANAGE = "orders:manage"
# OWASP's floor: the cheapest hashing the users module accepts, so registering is fast.
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}
Json = dict[str, Any]
Headers = dict[str, str]


def orders_plugins() -> dict[str, object]:
    """Only what orders need: users, the catalogue, itself, and tokens minted in memory."""
    return {
        "users": users_plugin,
        "catalogue": catalogue_plugin,
        "orders": orders_plugin,
        STATIC_AUTH: static_auth_plugin(),
    }


@pytest.fixture
def settings() -> dict[str, Any]:
    """The ``[modules.orders]`` section; override in a test module to change it."""
    return {}


@pytest.fixture
async def app(mosaic_app, settings) -> FastAPI:
    built: FastAPI = await mosaic_app(
        orders_plugins(), settings={"users": FAST_HASHING, "orders": settings}
    )
    return built


_emails = itertools.count(1)


@pytest.fixture
def make_customer(app, client, mosaic_token) -> Callable[..., Awaitable[Headers]]:
    """Returns ``await make_customer(*permissions)``: the headers of a new account's token."""

    async def make(*permissions: str) -> Headers:
        email = f"customer{next(_emails)}-{uuid.uuid4().hex[:8]}@example.com"
        response = await client.post(
            "/api/v1/users", json={"email": email, "password": "correct horse battery"}
        )
        assert response.status_code == 201, response.text
        token = await mosaic_token(app, *permissions, subject=response.json()["id"])
        return {"Authorization": f"Bearer {token}"}

    return make


@pytest.fixture
async def alice(make_customer) -> Headers:
    headers: Headers = await make_customer()
    return headers


@pytest.fixture
async def bob(make_customer) -> Headers:
    headers: Headers = await make_customer()
    return headers


@pytest.fixture
async def manager(make_customer) -> Headers:
    headers: Headers = await make_customer(MANAGE)
    return headers


@pytest.fixture
def stock_of(client, writer) -> Callable[[int], Awaitable[int]]:  # noqa: F811 - the fixture
    """Returns ``await stock_of(product_id)``: the product's stock now."""

    async def read(product_id: int) -> int:
        response = await client.get(f"{CATALOGUE}/products/{product_id}", headers=writer)
        stock: int = response.json()["stock"]
        return stock

    return read


@pytest.fixture
def place(client) -> Callable[..., Awaitable[httpx.Response]]:
    """Returns ``await place(headers, lines, key=..., **fields)``: the checkout's response."""

    async def post(
        headers: Headers, lines: list[Json], *, key: str | None = None, **fields: Any
    ) -> httpx.Response:
        sent = headers | {"Idempotency-Key": f'"{key or uuid.uuid4()}"'}
        response: httpx.Response = await client.post(
            API, json={"lines": lines, **fields}, headers=sent
        )
        return response

    return post
