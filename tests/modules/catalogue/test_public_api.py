"""The catalogue's public API for other modules: snapshots and atomic stock reservations."""

from __future__ import annotations

import asyncio
from decimal import Decimal

import pytest

from core.testing.databases import is_postgres
from core.testing.kernel import kernel_of
from modules.catalogue.api import (
    Catalogue,
    CatalogueEvent,
    OutOfStock,
    ProductNotFound,
    ProductSnapshot,
    ProductStatus,
)
from modules.catalogue.events import EVENTS
from tests.modules.catalogue.conftest import API
from tests.modules.public_api import imported_by_other_modules


def catalogue_in(app, uow) -> Catalogue:
    return Catalogue.of(kernel_of(app), uow)


async def stock_of(client, writer, product_id: int) -> int:
    stock: int = (await client.get(f"{API}/products/{product_id}", headers=writer)).json()["stock"]
    return stock


async def test_look_up_by_id_and_sku(app, make_product):
    product = await make_product("A-1", price="12.30", stock=4, status="draft")

    async with kernel_of(app).database.unit_of_work() as uow:
        by_id = await catalogue_in(app, uow).product(product_id=product["id"])
        by_sku = await catalogue_in(app, uow).product_by_sku(sku="A-1")

    assert (
        by_id
        == by_sku
        == ProductSnapshot(
            id=product["id"],
            sku="A-1",
            name="Product A-1",
            price=Decimal("12.30"),
            currency="EUR",
            stock=4,
            status=ProductStatus.DRAFT,
        )
    )
    assert not by_id.is_active
    with pytest.raises(AttributeError):
        by_id.price = Decimal(0)  # type: ignore[misc]


async def test_unknown_products_raise(app):
    async with kernel_of(app).database.unit_of_work() as uow:
        with pytest.raises(ProductNotFound):
            await catalogue_in(app, uow).product(product_id=404)
        with pytest.raises(ProductNotFound):
            await catalogue_in(app, uow).product_by_sku(sku="nope")
        with pytest.raises(ProductNotFound):
            await catalogue_in(app, uow).reserve_stock(product_id=404, quantity=1)
        with pytest.raises(ProductNotFound):
            await catalogue_in(app, uow).release_stock(product_id=404, quantity=1)


async def test_reserve_and_release(app, client, writer, make_product):
    product = await make_product("A-1", stock=5)
    etag = (await client.get(f"{API}/products/{product['id']}")).headers["etag"]

    async with kernel_of(app).database.unit_of_work() as uow:
        await catalogue_in(app, uow).reserve_stock(product_id=product["id"], quantity=3)
    assert await stock_of(client, writer, product["id"]) == 2

    async with kernel_of(app).database.unit_of_work() as uow:
        await catalogue_in(app, uow).release_stock(product_id=product["id"], quantity=1)
    assert await stock_of(client, writer, product["id"]) == 3
    # The representation changed, so its ETag did too.
    response = await client.get(f"{API}/products/{product['id']}", headers={"If-None-Match": etag})
    assert response.status_code == 200


async def test_reserving_more_than_the_stock_takes_nothing(app, client, writer, make_product):
    product = await make_product("A-1", stock=2)

    async with kernel_of(app).database.unit_of_work() as uow:
        with pytest.raises(OutOfStock) as refused:
            await catalogue_in(app, uow).reserve_stock(product_id=product["id"], quantity=3)

    assert refused.value.code == "catalogue.out_of_stock"
    assert await stock_of(client, writer, product["id"]) == 2


@pytest.mark.parametrize("quantity", [0, -1])
async def test_a_quantity_below_one_is_a_programming_error(app, make_product, quantity):
    product = await make_product("A-1")

    async with kernel_of(app).database.unit_of_work() as uow:
        with pytest.raises(ValueError, match="quantity"):
            await catalogue_in(app, uow).reserve_stock(product_id=product["id"], quantity=quantity)


async def test_a_reservation_rolls_back_with_the_callers_work(app, client, writer, make_product):
    product = await make_product("A-1", stock=2)

    with pytest.raises(RuntimeError):
        async with kernel_of(app).database.unit_of_work() as uow:
            await catalogue_in(app, uow).reserve_stock(product_id=product["id"], quantity=2)
            raise RuntimeError("the order could not be placed")

    assert await stock_of(client, writer, product["id"]) == 2


async def test_the_api_exports_only_its_contract():
    from modules.catalogue import api

    # What its answers carry and raise: ProductSnapshot.status, product_by_sku's refusal.
    carried = {"ProductStatus", "ProductNotFound"}
    # What it publishes, for other modules' listeners: each event and the bases grouping them.
    published = {
        cls.__name__ for event in EVENTS for cls in event.__mro__ if issubclass(cls, CatalogueEvent)
    }
    assert set(api.__all__) == imported_by_other_modules(api) | carried | published
    assert all(hasattr(api, name) for name in api.__all__)


async def test_concurrent_reservations_never_oversell(
    app, client, writer, make_product, mosaic_database_url
):
    if not is_postgres(mosaic_database_url):
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so nothing races")
    product = await make_product("LAST-ONE", stock=1)

    async def reserve() -> str:
        async with kernel_of(app).database.unit_of_work() as uow:
            try:
                await catalogue_in(app, uow).reserve_stock(product_id=product["id"], quantity=1)
            except OutOfStock:
                return "refused"
            return "reserved"

    outcomes = await asyncio.gather(*(reserve() for _ in range(20)))

    assert sorted(outcomes) == ["refused"] * 19 + ["reserved"]
    assert await stock_of(client, writer, product["id"]) == 0


async def test_many_products_in_one_look_up(app, make_product):
    first = await make_product("A-1")
    await make_product("B-1", status="archived")
    await make_product("C-1")

    async with app.state.kernel.database.unit_of_work() as uow:
        found = await catalogue_in(app, uow).products(ids=[first["id"], 404], skus=["B-1", "nope"])
        nothing = await catalogue_in(app, uow).products()

    assert sorted(product.sku for product in found) == ["A-1", "B-1"]
    assert nothing == []


async def test_reserve_and_release_many_at_once(app, client, writer, make_product):
    first = await make_product("A-1", stock=5)
    second = await make_product("B-1", stock=3)
    quantities = {first["id"]: 2, second["id"]: 3}

    async with app.state.kernel.database.unit_of_work() as uow:
        await catalogue_in(app, uow).reserve_stocks(quantities=quantities)
    assert [await stock_of(client, writer, p["id"]) for p in (first, second)] == [3, 0]

    async with app.state.kernel.database.unit_of_work() as uow:
        # A product deleted since it was reserved is skipped: nothing can come back to it.
        await catalogue_in(app, uow).release_stocks(quantities=quantities | {404: 1})
    assert [await stock_of(client, writer, p["id"]) for p in (first, second)] == [5, 3]


async def test_one_short_product_reserves_none(app, client, writer, make_product):
    first = await make_product("A-1", stock=5)
    second = await make_product("B-1", stock=1)

    async with app.state.kernel.database.unit_of_work() as uow:
        with pytest.raises(OutOfStock) as refused:
            await catalogue_in(app, uow).reserve_stocks(
                quantities={first["id"]: 2, second["id"]: 2}
            )
        with pytest.raises(ProductNotFound):
            await catalogue_in(app, uow).reserve_stocks(quantities={first["id"]: 1, 404: 1})
        with pytest.raises(ValueError, match="quantity"):
            await catalogue_in(app, uow).reserve_stocks(quantities={first["id"]: 0})

    assert refused.value.extensions == {"product_id": second["id"]}
    assert [await stock_of(client, writer, p["id"]) for p in (first, second)] == [5, 1]


async def test_concurrent_batch_reservations_never_oversell_nor_deadlock(
    app, client, writer, make_product, mosaic_database_url
):
    if not is_postgres(mosaic_database_url):
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so nothing races")
    first = await make_product("A-1", stock=10)
    second = await make_product("B-1", stock=10)

    async def reserve(i: int) -> str:
        # Half the reservations name the products in the other order.
        pair = [(first["id"], 1), (second["id"], 1)]
        quantities = dict(pair if i % 2 else pair[::-1])
        async with app.state.kernel.database.unit_of_work() as uow:
            try:
                await catalogue_in(app, uow).reserve_stocks(quantities=quantities)
            except OutOfStock:
                return "refused"
            return "reserved"

    outcomes = await asyncio.gather(*(reserve(i) for i in range(30)))

    assert sorted(outcomes) == ["refused"] * 20 + ["reserved"] * 10
    assert [await stock_of(client, writer, p["id"]) for p in (first, second)] == [0, 0]
