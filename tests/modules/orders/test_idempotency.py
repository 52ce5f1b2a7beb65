"""Checkout under the kernel's Idempotency-Key: a retry never orders twice."""

from __future__ import annotations

from tests.modules.orders.conftest import API


async def test_a_retry_replays_the_first_response_without_a_second_order(
    client, alice, place, make_product, stock_of
):
    product = await make_product("A-1", stock=5)
    lines = [{"product_id": product["id"], "quantity": 2}]

    first = await place(alice, lines, key="checkout-1")
    again = await place(alice, lines, key="checkout-1")

    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await stock_of(product["id"]) == 3
    assert len((await client.get(API, headers=alice)).json()["items"]) == 1


async def test_the_same_key_with_another_body_is_422(alice, place, make_product, stock_of):
    product = await make_product("A-1", stock=5)

    await place(alice, [{"product_id": product["id"], "quantity": 1}], key="checkout-1")
    other = await place(alice, [{"product_id": product["id"], "quantity": 2}], key="checkout-1")

    assert (other.status_code, other.json()["code"]) == (422, "core.idempotency_key_reused")
    assert await stock_of(product["id"]) == 4


async def test_keys_belong_to_their_user(alice, bob, place, make_product, stock_of):
    product = await make_product("A-1", stock=5)
    lines = [{"product_id": product["id"], "quantity": 1}]

    mine = await place(alice, lines, key="shared")
    theirs = await place(bob, lines, key="shared")

    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert await stock_of(product["id"]) == 3


async def test_a_key_is_required(client, alice, make_product):
    product = await make_product("A-1")

    response = await client.post(
        API, json={"lines": [{"product_id": product["id"], "quantity": 1}]}, headers=alice
    )

    assert (response.status_code, response.json()["code"]) == (400, "core.idempotency_key_missing")


async def test_a_refused_checkout_gives_its_key_back(alice, place, make_product, writer, client):
    product = await make_product("A-1", stock=1)
    lines = [{"product_id": product["id"], "quantity": 2}]

    refused = await place(alice, lines, key="retry-me")
    await client.patch(
        f"/api/v1/catalogue/products/{product['id']}", json={"stock": 2}, headers=writer
    )
    retried = await place(alice, lines, key="retry-me")

    assert (refused.status_code, retried.status_code) == (409, 201)
