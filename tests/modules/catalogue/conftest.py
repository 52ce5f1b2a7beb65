"""Fixtures of the catalogue's tests: an app with the catalogue and the test authenticator."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fastapi import FastAPI

from core.testing.auth import static_auth_plugin
from modules.catalogue import plugin as catalogue_plugin

API = "/api/v1/catalogue"
Json = dict[str, Any]
Maker = Callable[..., Awaitable[Json]]


def catalogue_plugins() -> dict[str, object]:
    """Only what the catalogue needs: itself, and tokens minted in memory."""
    return {"catalogue": catalogue_plugin, "testauth": static_auth_plugin()}


@pytest.fixture
def settings() -> dict[str, Any]:
    """The ``[modules.catalogue]`` section; override in a test module to change it."""
    return {}


@pytest.fixture
async def app(mosaic_app, settings) -> FastAPI:
    built: FastAPI = await mosaic_app(catalogue_plugins(), settings={"catalogue": settings})
    return built


@pytest.fixture
async def writer(app, mosaic_token) -> dict[str, str]:
    """Headers of a caller holding ``catalogue:write``."""
    return {"Authorization": f"Bearer {await mosaic_token(app, 'catalogue:write')}"}


@pytest.fixture
async def reader(app, mosaic_token) -> dict[str, str]:
    """Headers of an authenticated caller without ``catalogue:write``."""
    return {"Authorization": f"Bearer {await mosaic_token(app, 'other:read')}"}


@pytest.fixture
def make_category(client, writer) -> Maker:
    async def make(slug: str, *, parent_id: int | None = None, **fields: Any) -> Json:
        body = {"slug": slug, "name": slug.replace("-", " ").title(), "parent_id": parent_id}
        response = await client.post(f"{API}/categories", json=body | fields, headers=writer)
        assert response.status_code == 201, response.text
        created: Json = response.json()
        return created

    return make


@pytest.fixture
def make_tag(client, writer) -> Maker:
    async def make(slug: str) -> Json:
        body = {"slug": slug, "name": slug.title()}
        response = await client.post(f"{API}/tags", json=body, headers=writer)
        assert response.status_code == 201, response.text
        created: Json = response.json()
        return created

    return make


@pytest.fixture
async def category(make_category) -> Json:
    """A root category, ``tools``."""
    tools: Json = await make_category("tools")
    return tools


@pytest.fixture
def make_product(client, writer, category) -> Maker:
    """Returns ``await make_product(sku, **fields)``: an active product, 10.00, 5 in stock."""

    async def make(sku: str, **fields: Any) -> Json:
        body = {
            "sku": sku,
            "slug": sku.lower(),
            "name": f"Product {sku}",
            "price": "10.00",
            "stock": 5,
            "status": "active",
            "category_id": category["id"],
        }
        response = await client.post(f"{API}/products", json=body | fields, headers=writer)
        assert response.status_code == 201, response.text
        created: Json = response.json()
        return created

    return make
