"""Keyset pagination: stable order, opaque cursors bound to their sort, page size limits, and a
constant number of statements per page."""

from __future__ import annotations

import base64
import json

import pytest

from core import MAX_CURSOR_LENGTH
from core.testing.cursors import signed_cursor
from modules.catalogue.products.cursor import PURPOSE
from tests.modules.catalogue.conftest import API

ALL_SORTS = ["name", "-name", "price", "-price", "newest"]


@pytest.fixture
def settings():
    return {"max_page_size": 100, "default_page_size": 3}


async def walk(client, query: str, headers=None) -> tuple[list[str], int]:
    """Follows ``next`` to the end; returns every SKU seen and the number of pages."""
    seen: list[str] = []
    pages, cursor = 0, None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        response = await client.get(f"{API}/products?{query}{suffix}", headers=headers or {})
        assert response.status_code == 200, response.text
        page = response.json()
        pages += 1
        seen += [item["sku"] for item in page["items"]]
        cursor = page["next"]
        if cursor is None:
            return seen, pages


@pytest.fixture
async def seven(make_product):
    # Duplicate names and prices: only the id tie-breaker keeps the order stable.
    specs = [
        ("A", "pear", "3"),
        ("B", "apple", "1"),
        ("C", "pear", "3"),
        ("D", "fig", "2"),
        ("E", "apple", "1"),
        ("F", "kiwi", "3"),
        ("G", "pear", "2"),
    ]
    for sku, name, price in specs:
        await make_product(sku, name=name, price=price)


@pytest.mark.parametrize("sort", ALL_SORTS)
async def test_pages_cover_everything_once_in_order(client, seven, sort):
    unpaged = (await client.get(f"{API}/products?sort={sort}&limit=100")).json()["items"]

    seen, pages = await walk(client, f"sort={sort}&limit=2")

    assert seen == [item["sku"] for item in unpaged]
    assert sorted(seen) == list("ABCDEFG")
    assert pages == 4


async def test_ties_are_broken_by_id(client, seven):
    assert (await walk(client, "sort=name&limit=1"))[0] == ["B", "E", "D", "F", "A", "C", "G"]
    assert (await walk(client, "sort=-price&limit=1"))[0] == ["F", "C", "A", "G", "D", "E", "B"]


async def test_default_page_size_comes_from_settings(client, seven):
    page = (await client.get(f"{API}/products")).json()

    assert len(page["items"]) == 3
    assert page["next"] is not None


async def test_last_page_has_no_next(client, seven):
    page = (await client.get(f"{API}/products?limit=7")).json()

    assert len(page["items"]) == 7
    assert page["next"] is None


async def test_exactly_full_last_page_then_nothing_more(client, seven):
    first = (await client.get(f"{API}/products?sort=name&limit=4")).json()
    second = (await client.get(f"{API}/products?sort=name&limit=3&cursor={first['next']}")).json()

    assert len(second["items"]) == 3
    assert second["next"] is None


async def test_empty_listing(client, category):
    response = await client.get(f"{API}/products")

    assert response.status_code == 200
    assert response.json() == {"items": [], "next": None}


async def test_a_cursor_past_the_end_gives_an_empty_page(client, writer, seven):
    first = (await client.get(f"{API}/products?sort=name&limit=6")).json()
    last_sku = (await client.get(f"{API}/products?sort=-name&limit=1")).json()["items"][0]
    # The last product disappears: the cursor now points past the end.
    await client.delete(f"{API}/products/{last_sku['id']}", headers=writer)

    response = await client.get(f"{API}/products?sort=name&limit=6&cursor={first['next']}")

    assert response.status_code == 200
    assert response.json() == {"items": [], "next": None}


async def test_a_cursor_of_another_sort_is_refused(client, seven):
    cursor = (await client.get(f"{API}/products?sort=price&limit=2")).json()["next"]

    response = await client.get(f"{API}/products?sort=name&cursor={cursor}")

    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "core.invalid_cursor"
    assert "price" in problem["detail"]


def unsigned(payload: object) -> str:
    """What the API issued before cursors were signed: the JSON alone, in base64."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def signed(payload: object) -> bytes:
    """A payload to sign with the app's key: what only the key's holder can make."""
    return json.dumps(payload).encode()


@pytest.mark.parametrize(
    ("sort", "cursor"),
    [
        ("name", "not-a-cursor"),
        ("name", base64.urlsafe_b64encode(b"\xff\xfe").decode().rstrip("=")),
        ("name", unsigned(["name", "pear", 3])),
        ("name", unsigned({"sort": "name", "key": "pear", "id": 3})),
        ("name", signed([1, 2])),
        ("name", signed({"sort": "name", "key": "pear", "id": 3})),
        ("name", signed(["name", "pear"])),
        ("name", signed(["name", "pear", "3"])),
        ("name", signed(["name", "pear", 0])),
        ("name", signed(["name", 5, 3])),
        ("name", signed(["name", "pear", 3, 1])),
        ("price", signed(["price", "NaN", 3])),
        ("price", signed(["price", "cheap", 3])),
        ("newest", signed(["newest", "yesterday", 3])),
    ],
)
async def test_invalid_cursor_is_a_400_problem(app, client, seven, sort, cursor):
    if isinstance(cursor, bytes):
        cursor = signed_cursor(app, PURPOSE, cursor)

    response = await client.get(f"{API}/products", params={"sort": sort, "cursor": cursor})

    assert response.status_code == 400
    assert response.json()["code"] == "core.invalid_cursor"


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "%%%",
        "a b",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "a" * (MAX_CURSOR_LENGTH + 1),
    ],
)
async def test_a_cursor_unlike_any_issued_is_refused_by_its_schema(client, cursor):
    # What the API issues is URL-safe base64 without padding, of at most MAX_CURSOR_LENGTH
    # characters.
    response = await client.get(f"{API}/products", params={"cursor": cursor})

    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "core.validation_failed"
    assert problem["errors"][0]["pointer"] == "/cursor"


async def test_limit_above_the_maximum_is_422(mosaic_app, mosaic_client):
    from tests.modules.catalogue.conftest import catalogue_plugins

    app = await mosaic_app(catalogue_plugins(), settings={"catalogue": {"max_page_size": 5}})
    client = await mosaic_client(app)

    at_max = await client.get(f"{API}/products?limit=5")
    above = await client.get(f"{API}/products?limit=6")

    assert at_max.status_code == 200
    assert above.status_code == 422
    problem = above.json()
    assert problem["code"] == "core.validation_failed"
    assert problem["errors"][0]["pointer"] == "/limit"
    assert problem["errors"][0]["location"] == "query"
    assert "5" in problem["errors"][0]["message"]


async def test_openapi_documents_the_deployments_maximum(mosaic_app, mosaic_client):
    from tests.modules.catalogue.conftest import catalogue_plugins

    app = await mosaic_app(catalogue_plugins(), settings={"catalogue": {"max_page_size": 5}})
    client = await mosaic_client(app)

    document = (await client.get("/openapi.json")).json()

    parameters = document["paths"][f"{API}/products"]["get"]["parameters"]
    (limit,) = [parameter for parameter in parameters if parameter["name"] == "limit"]
    assert limit["schema"]["anyOf"][0] == {"type": "integer", "minimum": 1, "maximum": 5}


@pytest.mark.parametrize("limit", ["0", "-1", "1001", "ten"])
async def test_limit_out_of_range_is_422(client, limit):
    response = await client.get(f"{API}/products?limit={limit}")

    assert response.status_code == 422
