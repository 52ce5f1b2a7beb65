"""Transitions: who may do what, If-Match on the order's ETag, stock given back, events."""

from __future__ import annotations

import pytest

from tests.modules.orders.conftest import API


@pytest.fixture
async def product(make_product):
    return await make_product("A-1", stock=5)


@pytest.fixture
def order_of(place, product):
    async def make(headers, quantity=2):
        response = await place(headers, [{"product_id": product["id"], "quantity": quantity}])
        assert response.status_code == 201, response.text
        return response.json() | {"etag": response.headers["etag"]}

    return make


async def act(client, headers, order, action, etag=None):
    sent = headers | {"If-Match": etag if etag is not None else order["etag"]}
    return await client.post(f"{API}/{order['id']}/{action}", headers=sent)


async def test_pay_then_fulfil(
    client, alice, manager, order_of, product, stock_of, published_events
):
    order = await order_of(alice)

    paid = await act(client, alice, order, "pay")
    fulfilled = await act(client, manager, order, "fulfil", paid.headers["etag"])

    assert (paid.status_code, paid.json()["status"]) == (200, "paid")
    assert (fulfilled.status_code, fulfilled.json()["status"]) == (200, "fulfilled")
    assert fulfilled.headers["etag"] == f'"{order["id"]}.3"'
    assert await stock_of(product["id"]) == 3
    assert published_events.types == ["orders.placed.v1", "orders.paid.v1", "orders.fulfilled.v1"]


async def test_cancel_releases_the_stock(
    client, alice, order_of, product, stock_of, published_events
):
    order = await order_of(alice)

    cancelled = await act(client, alice, order, "cancel")

    assert (cancelled.status_code, cancelled.json()["status"]) == (200, "cancelled")
    assert await stock_of(product["id"]) == 5
    assert published_events.payloads("orders.cancelled.v1")[0]["reason"] == "customer"


async def test_a_manager_cancels_any_pending_order(
    client, alice, manager, order_of, published_events
):
    order = await order_of(alice)

    cancelled = await act(client, manager, order, "cancel")

    assert cancelled.status_code == 200
    assert published_events.payloads("orders.cancelled.v1")[0]["reason"] == "manager"


@pytest.mark.parametrize(("fulfil_first", "stock_after"), [(False, 5), (True, 3)])
async def test_refund_releases_the_stock_only_if_not_fulfilled(
    client, alice, manager, order_of, product, stock_of, published_events, fulfil_first, stock_after
):
    order = await order_of(alice)
    etag = (await act(client, alice, order, "pay")).headers["etag"]
    if fulfil_first:
        etag = (await act(client, manager, order, "fulfil", etag)).headers["etag"]

    refunded = await act(client, manager, order, "refund", etag)

    assert (refunded.status_code, refunded.json()["status"]) == (200, "refunded")
    assert await stock_of(product["id"]) == stock_after
    assert published_events.payloads("orders.refunded.v1")[0]["restocked"] is not fulfil_first


@pytest.mark.parametrize(
    ("done", "action", "state"),
    [
        (["cancel"], "pay", "cancelled"),
        (["pay"], "cancel", "paid"),
        (["pay"], "pay", "paid"),
        ([], "fulfil", "pending"),
        ([], "refund", "pending"),
        (["cancel"], "refund", "cancelled"),
    ],
)
async def test_an_illegal_transition_is_409_with_the_current_state(
    client, alice, manager, order_of, done, action, state
):
    order = await order_of(alice)
    etag = order["etag"]
    for step in done:
        etag = (await act(client, alice, order, step, etag)).headers["etag"]

    refused = await act(
        client, manager if action in {"fulfil", "refund"} else alice, order, action, etag
    )

    assert refused.status_code == 409, refused.text
    assert (refused.json()["code"], refused.json()["state"]) == ("orders.illegal_transition", state)


async def test_if_match_is_required_and_checked(client, alice, order_of, stock_of, product):
    order = await order_of(alice)
    url = f"{API}/{order['id']}/cancel"

    missing = await client.post(url, headers=alice)
    stale = await client.post(url, headers=alice | {"If-Match": f'"{order["id"]}.7"'})
    weak = await client.post(url, headers=alice | {"If-Match": f"W/{order['etag']}"})

    assert (missing.status_code, missing.json()["code"]) == (428, "orders.precondition_required")
    assert (stale.status_code, stale.json()["code"]) == (412, "orders.version_mismatch")
    assert weak.status_code == 412
    assert missing.headers["etag"] == stale.headers["etag"] == order["etag"]
    assert await stock_of(product["id"]) == 3


async def test_customers_neither_fulfil_nor_refund_nor_pay_for_others(
    client, alice, manager, order_of
):
    order = await order_of(alice)
    paid = order | {"etag": (await act(client, alice, order, "pay")).headers["etag"]}
    pending = await order_of(alice)

    fulfil = await act(client, alice, paid, "fulfil")
    refund = await act(client, alice, paid, "refund")
    pay_for_alice = await act(client, manager, pending, "pay")

    assert [fulfil.status_code, refund.status_code] == [403, 403]
    assert fulfil.json()["code"] == "core.insufficient_scope"
    assert (pay_for_alice.status_code, pay_for_alice.json()["code"]) == (
        403,
        "orders.not_the_customer",
    )
