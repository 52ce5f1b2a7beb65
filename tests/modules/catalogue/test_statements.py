"""The number of SQL statements a request issues does not grow with the number of products:
the category is joined, all the page's tags come in one more statement, and nothing lazy-loads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from modules.catalogue.models import Category, Product, Tag
from tests.modules.catalogue.conftest import API

# One SELECT of the products joined to their category, one SELECT of all their tags.
LISTING_STATEMENTS = 2


async def stock_the_shop(app, numbers: range) -> None:
    """Writes active products numbered ``numbers``, each with two tags, under tools > garden
    (created with the first product); product 1 matches every filter the tests use."""
    async with kernel_of(app).database.unit_of_work() as uow:
        session = uow.session
        tools = await session.scalar(select(Category).where(Category.slug == "tools"))
        if tools is None:
            tools = Category(slug="tools", name="Tools")
            session.add_all([Category(slug="garden", name="Garden", parent=tools)])
            session.add_all([Tag(slug=f"tag-{n}", name=f"Tag {n}") for n in range(3)])
            await session.flush()
        garden = await session.scalar(select(Category).where(Category.slug == "garden"))
        tags = (await session.scalars(select(Tag).order_by(Tag.slug))).all()
        for n in numbers:
            session.add(
                Product(
                    sku=f"SKU-{n:04d}",
                    slug=f"product-{n}",
                    name=f"Spade {n}",
                    price=Decimal(n % 50) + Decimal("0.99"),
                    stock=n % 3,
                    status="active",
                    category=garden if n % 2 else tools,
                    tags=[tags[n % 3], tags[(n + 1) % 3]],
                )
            )


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?sort=name",
        "?sort=-price&category=tools&tag=tag-1&q=spade&min_price=0&in_stock=true",
        "?sort=newest&category=garden",
    ],
)
async def test_listing_costs_the_same_for_1_and_100_products(app, client, query):
    counts, found = [], []
    for numbers in (range(1, 2), range(2, 301)):
        await stock_the_shop(app, numbers)
        separator = "&" if query else "?"
        with count_statements(kernel_of(app).database.engine) as statements:
            response = await client.get(f"{API}/products{query}{separator}limit=100")
        assert response.status_code == 200
        items = response.json()["items"]
        assert all(len(item["tags"]) == 2 for item in items)
        counts.append(len(statements))
        found.append(len(items))

    assert found == [1, 100]
    assert counts == [LISTING_STATEMENTS, LISTING_STATEMENTS], statements


async def test_following_a_cursor_costs_the_same(app, client):
    await stock_the_shop(app, range(1, 101))
    first = (await client.get(f"{API}/products?sort=price&limit=40")).json()

    with count_statements(kernel_of(app).database.engine) as statements:
        second = await client.get(f"{API}/products?sort=price&limit=40&cursor={first['next']}")

    assert second.status_code == 200
    assert len(second.json()["items"]) == 40
    assert len(statements) == LISTING_STATEMENTS


async def test_reading_one_product_costs_two_statements(app, client):
    await stock_the_shop(app, range(1, 4))

    with count_statements(kernel_of(app).database.engine) as statements:
        response = await client.get(f"{API}/products/1")

    assert response.status_code == 200
    assert len(statements) == 2


async def test_breadcrumb_costs_two_statements_at_any_depth(app, client, writer):
    parent_id = None
    for depth in range(8):
        body = {"slug": f"level-{depth}", "name": f"Level {depth}", "parent_id": parent_id}
        response = await client.post(f"{API}/categories", json=body, headers=writer)
        parent_id = response.json()["id"]

    with count_statements(kernel_of(app).database.engine) as statements:
        response = await client.get(f"{API}/categories/{parent_id}")

    assert len(response.json()["ancestors"]) == 7
    assert len(statements) == 2
