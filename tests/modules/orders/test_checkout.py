"""Placing an order: prices from the catalogue, stock reserved for every line or none, and the
refusals each with its own code."""

from __future__ import annotations

import pytest

from tests.modules.orders.conftest import API, CATALOGUE


async def test_an_order_copies_the_catalogue_and_reserves_its_stock(
    client, alice, writer, make_product, place, stock_of, published_events
):
    hammer = await make_product("HAMMER", price="12.50", stock=5)
    saw = await make_product("SAW", price="30.00", stock=2)

    response = await place(
        alice,
        [{"product_id": hammer["id"], "quantity": 2}, {"sku": "SAW", "quantity": 1}],
        note="Leave at the door",
    )

    assert response.status_code == 201, response.text
    order = response.json()
    assert order["status"] == "pending"
    assert (order["currency"], order["total"], order["note"]) == (
        "EUR",
        "55.00",
        "Leave at the door",
    )
    assert [
        (line["sku"], line["name"], line["unit_price"], line["quantity"], line["line_total"])
        for line in order["lines"]
    ] == [
        ("HAMMER", "Product HAMMER", "12.50", 2, "25.00"),
        ("SAW", "Product SAW", "30.00", 1, "30.00"),
    ]
    assert response.headers["location"].endswith(f"{API}/{order['id']}")
    assert response.headers["etag"] == f'"{order["id"]}.1"'
    assert (await stock_of(hammer["id"]), await stock_of(saw["id"])) == (3, 1)
    assert published_events.payloads("orders.placed.v1") == [
        {
            "order_id": order["id"],
            "user_id": order["user_id"],
            "total": "55.00",
            "currency": "EUR",
            "lines": 2,
        }
    ]
    # A later price change does not change the order.
    await client.patch(
        f"{CATALOGUE}/products/{hammer['id']}", json={"price": "99.00"}, headers=writer
    )
    again = await client.get(response.headers["location"], headers=alice)
    assert again.json() == order


async def test_a_client_sent_price_is_refused(place, alice, make_product, stock_of):
    product = await make_product("A-1")

    response = await place(
        alice, [{"product_id": product["id"], "quantity": 1, "unit_price": "0.01"}]
    )
    total = await place(alice, [{"product_id": product["id"], "quantity": 1}], total="0.01")

    assert (response.status_code, total.status_code) == (422, 422)
    assert response.json()["code"] == "core.validation_failed"
    assert await stock_of(product["id"]) == 5


async def test_one_short_line_reserves_nothing(
    place, alice, make_product, stock_of, published_events
):
    plenty = await make_product("PLENTY", stock=10)
    scarce = await make_product("SCARCE", stock=1)
    before = len(published_events)  # the catalogue announced the two products

    response = await place(
        alice,
        [{"product_id": plenty["id"], "quantity": 3}, {"product_id": scarce["id"], "quantity": 2}],
    )

    assert (response.status_code, response.json()["code"]) == (409, "catalogue.out_of_stock")
    assert (await stock_of(plenty["id"]), await stock_of(scarce["id"])) == (10, 1)
    assert published_events.types[before:] == []


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([], "orders.empty_order"),
        ([{"product_id": 999_999, "quantity": 1}], "orders.unknown_product"),
        ([{"sku": "NOPE", "quantity": 1}], "orders.unknown_product"),
        ([{"sku": "DRAFT", "quantity": 1}], "orders.product_unavailable"),
        ([{"sku": "A-1", "quantity": 1}, {"sku": "A-1", "quantity": 2}], "orders.duplicate_line"),
        (
            [{"sku": "A-1", "quantity": 1}, {"product_id": "A-1 by id", "quantity": 2}],
            "orders.duplicate_line",
        ),
        ([{"sku": "A-1", "quantity": 4}], "orders.quantity_limit"),
        (
            [
                {"sku": "A-1", "quantity": 1},
                {"sku": "DRAFT", "quantity": 1},
                {"sku": "B-1", "quantity": 1},
            ],
            "orders.too_many_lines",
        ),
    ],
    ids=[
        "empty",
        "unknown-id",
        "unknown-sku",
        "inactive",
        "twice-by-sku",
        "by-sku-and-id",
        "quantity",
        "lines",
    ],
)
@pytest.mark.parametrize("settings", [{"max_quantity": 3, "max_lines": 2}])
async def test_refusals_have_their_own_codes(place, alice, make_product, stock_of, lines, code):
    product = await make_product("A-1")
    await make_product("B-1")
    await make_product("DRAFT", status="draft")
    for line in lines:
        if line.get("product_id") == "A-1 by id":
            line["product_id"] = product["id"]

    response = await place(alice, lines)

    assert response.status_code == 422, response.text
    assert response.json()["code"] == code
    assert await stock_of(product["id"]) == 5


async def test_a_line_names_its_product_by_id_or_sku_not_both(place, alice, make_product):
    product = await make_product("A-1")

    response = await place(alice, [{"product_id": product["id"], "sku": "A-1", "quantity": 1}])

    assert (response.status_code, response.json()["code"]) == (422, "core.validation_failed")


async def test_only_an_account_places_orders(app, client, mosaic_token, make_product):
    await make_product("A-1")
    token = await mosaic_token(app, subject="not-an-account")
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": '"k-1"'}

    response = await client.post(
        API, json={"lines": [{"sku": "A-1", "quantity": 1}]}, headers=headers
    )
    anonymous = await client.post(API, json={"lines": [{"sku": "A-1", "quantity": 1}]})

    assert (response.status_code, response.json()["code"]) == (403, "orders.not_a_customer")
    assert anonymous.status_code == 401
