"""Every orders route, tried with another customer's token, answers 404 or 403 and never the
order. The routes come from the OpenAPI document, so a new route cannot be forgotten."""

from __future__ import annotations

import re

from tests.modules.orders.conftest import API

# The routes without an order in their path, each with why another customer learns nothing.
COLLECTION_ROUTES = {
    ("get", API): "lists the caller's own orders only",
    ("post", API): "places an order for the caller",
}
REFUSED = {403, 404}


async def test_another_customers_token_never_reaches_an_order(
    client, alice, bob, place, make_product
):
    product = await make_product("A-1", stock=5)
    placed = await place(alice, [{"product_id": product["id"], "quantity": 2}])
    order, etag = placed.json(), placed.headers["etag"]
    paths = (await client.get("/openapi.json")).json()["paths"]
    routes = [
        (method, path)
        for path, operations in paths.items()
        if path == API or path.startswith(f"{API}/")
        for method in operations
    ]

    item_routes = [(m, p) for m, p in routes if "{order_id}" in p]
    assert {(m, p) for m, p in routes if "{order_id}" not in p} == set(COLLECTION_ROUTES)
    assert len(item_routes) == 5  # read, pay, cancel, fulfil, refund
    for method, path in item_routes:
        assert re.findall(r"{(\w+)}", path) == ["order_id"], path
        response = await client.request(
            method.upper(),
            path.replace("{order_id}", order["id"]),
            headers=bob | {"If-Match": etag, "Idempotency-Key": '"bola"'},
        )
        assert response.status_code in REFUSED, (method, path, response.status_code)
        assert order["user_id"] not in response.text
        assert order["total"] not in response.text
    listed = await client.get(API, headers=bob)
    assert listed.json()["items"] == []

    unchanged = await client.get(f"{API}/{order['id']}", headers=alice)
    assert unchanged.json() == order
    assert unchanged.headers["etag"] == etag
