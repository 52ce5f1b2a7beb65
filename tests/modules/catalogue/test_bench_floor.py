"""The benchmark's floor (``bench/floor_app.py``) must answer the product list and product by id
with the very bytes the catalogue sends, or the kernel's distance to the floor would compare
different work."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager

from bench import floor_app
from core.testing.kernel import kernel_of
from tests.modules.catalogue.conftest import API
from tests.modules.catalogue.test_bench_baseline import FILTERS, SORTS, shelf  # noqa: F401 - fixture

LIST = f"{API}/products"


@pytest.fixture
async def floor(app, mosaic_database_url) -> AsyncIterator[httpx.AsyncClient]:
    """The floor over the catalogue's database, signing its cursors with the same secret key."""
    secret_key = kernel_of(app).settings.secret_key.get_secret_value()
    built = floor_app.create_app(mosaic_database_url, secret_key=secret_key)
    async with LifespanManager(built) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            yield client


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize("limit", [1, 2, 5, 100])
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("query", FILTERS)
async def test_the_floor_answers_the_catalogues_bytes(client, floor, limit, sort, query):
    path = f"{LIST}?limit={limit}&sort={sort}&{query}"
    kernel, bare = await client.get(path), await floor.get(path)

    assert kernel.status_code == bare.status_code == 200
    assert kernel.headers["content-type"] == bare.headers["content-type"]
    assert kernel.content == bare.content
    assert kernel.json()["items"] or query.startswith("category=home&tag")


@pytest.mark.usefixtures("shelf")
async def test_the_floor_reads_a_product_as_the_catalogue(client, floor):
    first = (await client.get(f"{LIST}?limit=100")).json()["items"]
    assert len(first) == 5
    for product in first:
        kernel = await client.get(f"{LIST}/{product['id']}")
        bare = await floor.get(f"{LIST}/{product['id']}")
        assert kernel.status_code == bare.status_code == 200
        assert kernel.content == bare.content
        assert kernel.headers["etag"] == bare.headers["etag"]
