"""Concurrent clients: checkouts never oversell, one key never orders twice, and of two actions
racing on one order exactly one wins. Real concurrency needs PostgreSQL; on SQLite, whose
writers run one at a time, the same promises are checked with the requests interleaved."""

from __future__ import annotations

import asyncio
from collections import Counter

from tests.modules.orders.conftest import API

CHECKOUTS = 50
LAST_UNITS = 10


async def test_fifty_checkouts_for_the_last_ten_units_sell_exactly_ten(
    client, make_customer, manager, place, make_product, stock_of
):
    product = await make_product("LAST", stock=LAST_UNITS)
    customers = [await make_customer() for _ in range(5)]
    lines = [{"product_id": product["id"], "quantity": 1}]

    responses = await asyncio.gather(
        *(place(customers[i % len(customers)], lines) for i in range(CHECKOUTS))
    )

    outcomes = Counter((r.status_code, r.json().get("code")) for r in responses)
    assert outcomes == {
        (201, None): LAST_UNITS,
        (409, "catalogue.out_of_stock"): CHECKOUTS - LAST_UNITS,
    }, outcomes
    assert await stock_of(product["id"]) == 0
    listed = (await client.get(API, params={"limit": 100}, headers=manager)).json()["items"]
    assert sum(order["lines"][0]["quantity"] for order in listed) == LAST_UNITS


async def test_twenty_identical_requests_with_one_key_place_one_order(
    client, alice, place, make_product, stock_of
):
    product = await make_product("A-1", stock=100)
    lines = [{"product_id": product["id"], "quantity": 3}]

    responses = await asyncio.gather(*(place(alice, lines, key="same-key") for _ in range(20)))

    statuses = Counter(response.status_code for response in responses)
    assert set(statuses) <= {201, 409}, statuses
    assert statuses[201] >= 1
    created = {response.content for response in responses if response.status_code == 201}
    assert len(created) == 1  # the first response, replayed byte for byte
    in_flight = {r.json()["code"] for r in responses if r.status_code == 409}
    assert in_flight <= {"core.idempotency_in_flight"}
    assert len((await client.get(API, headers=alice)).json()["items"]) == 1
    assert await stock_of(product["id"]) == 97


async def test_cancel_racing_pay_exactly_one_wins(client, alice, place, make_product, stock_of):
    product = await make_product("A-1", stock=100)
    placed = []
    for _ in range(10):
        response = await place(alice, [{"product_id": product["id"], "quantity": 1}])
        placed.append((response.json()["id"], response.headers["etag"]))

    async def race(order_id: str, etag: str) -> list[int]:
        pay, cancel = await asyncio.gather(
            *(
                client.post(f"{API}/{order_id}/{action}", headers=alice | {"If-Match": etag})
                for action in ("pay", "cancel")
            )
        )
        final = (await client.get(f"{API}/{order_id}", headers=alice)).json()["status"]
        assert final == ("paid" if pay.status_code == 200 else "cancelled")
        return sorted([pay.status_code, cancel.status_code])

    results = await asyncio.gather(*(race(order_id, etag) for order_id, etag in placed))

    assert all(result == [200, 412] for result in results), results
    cancelled = 0
    for order_id, _ in placed:
        order = (await client.get(f"{API}/{order_id}", headers=alice)).json()
        cancelled += order["status"] == "cancelled"
    assert await stock_of(product["id"]) == 90 + cancelled
