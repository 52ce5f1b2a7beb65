"""The benchmark's bare app (``bench/bare_app.py``) must serve the very product list the catalogue
serves to an anonymous caller, or the kernel's measured overhead would compare different work:
same answers for every filter, sort and page, same refusals."""

from __future__ import annotations

from collections.abc import AsyncIterator
from urllib.parse import quote

import httpx
import pytest

from bench import bare_app
from core.testing.kernel import kernel_of
from tests.modules.catalogue.conftest import API

LIST = f"{API}/products"
SORTS = ["name", "-name", "price", "-price", "newest"]
#: Filters of an anonymous listing, each alone and all at once (the last matches nothing).
FILTERS = [
    "",
    "category=garden",
    "category=hand-tools",
    "tag=sale",
    "min_price=19.99&max_price=100",
    "in_stock=true",
    "in_stock=false",
    "category=home&tag=new&in_stock=false",
]


@pytest.fixture
async def bare(app, mosaic_database_url) -> AsyncIterator[httpx.AsyncClient]:
    """The bare app over the catalogue's database, called like the kernel's app, signing its
    cursors with the same secret key."""
    # The catalogue's app comes first: it creates the tables.
    secret_key = kernel_of(app).settings.secret_key.get_secret_value()
    built = bare_app.create_app(mosaic_database_url, secret_key=secret_key)
    transport = httpx.ASGITransport(app=built)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
        yield client
    await built.state.engine.dispose()


@pytest.fixture
async def shelf(make_category, make_tag, make_product) -> None:
    """A small tree of categories, two tags, and products of every status, sharing names and
    prices so only the id breaks ties."""
    home = await make_category("home")
    garden = await make_category("garden", parent_id=home["id"])
    tools = await make_category("hand-tools", parent_id=garden["id"])
    await make_tag("sale")
    await make_tag("new")
    specs = [
        ("A1", "Oak Table", "120.00", 3, "active", home, ["sale"]),
        ("A2", "Pine Table", "80.50", 0, "active", garden, ["new"]),
        ("A3", "Spade 100%", "19.99", 7, "active", tools, ["sale", "new"]),
        ("A4", "Rake", "19.99", 2, "active", tools, []),
        ("A5", "Oak Table", "120.00", 0, "active", garden, ["sale"]),
        ("D1", "Draft Chair", "45.00", 4, "draft", home, ["sale"]),
        ("R1", "Archived Lamp", "9.00", 1, "archived", garden, []),
    ]
    for sku, name, price, stock, status, category, tags in specs:
        await make_product(
            sku,
            name=name,
            price=price,
            stock=stock,
            status=status,
            category_id=category["id"],
            tags=tags,
            description=f"{name}, described",
        )


async def pages(client: httpx.AsyncClient, query: str) -> list[dict[str, object]]:
    """Every page of ``query``, following ``next`` to the end."""
    found, cursor = [], None
    while True:
        suffix = f"&cursor={cursor}" if cursor else ""
        answer = await client.get(f"{LIST}?{query}{suffix}")
        assert answer.status_code == 200, answer.text
        found.append(answer.json())
        cursor = found[-1]["next"]
        if cursor is None:
            return found


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("query", [*FILTERS, "status=active", f"q={quote('100%')}", "q=TABLE"])
async def test_the_bare_app_answers_every_listing_as_the_catalogue(client, bare, sort, query):
    query = f"limit=2&sort={sort}&{query}"
    kernel_pages = await pages(client, query)
    assert kernel_pages == await pages(bare, query)


@pytest.mark.usefixtures("shelf")
async def test_the_default_page_is_the_same_and_not_empty(client, bare):
    kernel = (await client.get(LIST)).json()
    assert [item["sku"] for item in kernel["items"]] == ["A5", "A4", "A3", "A2", "A1"]
    assert kernel == (await bare.get(LIST)).json()


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("status=draft", 403),
        ("status=archived", 403),
        ("cursor=bm9wZQ", 400),
        ("sort=price&cursor=" + "eyJpZCI6MSwia2V5IjoiMSIsInNvcnQiOiJuYW1lIn0", 400),
        ("limit=0", 422),
        ("limit=101", 422),
        ("category=Not%20A%20Slug", 422),
        ("min_price=1.234", 422),
        ("q=a%00b", 422),
        ("sort=oldest", 422),
    ],
)
async def test_the_bare_app_refuses_what_the_catalogue_refuses(client, bare, query, status):
    assert (await client.get(f"{LIST}?{query}")).status_code == status
    assert (await bare.get(f"{LIST}?{query}")).status_code == status


@pytest.mark.usefixtures("shelf")
async def test_the_bare_app_refuses_a_cursor_of_another_sort_as_the_catalogue(client, bare):
    cursor = (await client.get(f"{LIST}?sort=price&limit=1")).json()["next"]
    assert cursor == (await bare.get(f"{LIST}?sort=price&limit=1")).json()["next"]

    assert (await client.get(f"{LIST}?sort=name&cursor={cursor}")).status_code == 400
    assert (await bare.get(f"{LIST}?sort=name&cursor={cursor}")).status_code == 400
