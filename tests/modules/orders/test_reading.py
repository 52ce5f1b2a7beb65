"""Reading orders: each customer sees their own, managers all, in keyset pages of a constant
number of statements."""

from __future__ import annotations

import pytest

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from tests.modules.orders.conftest import API


@pytest.fixture
async def product(make_product):
    return await make_product("A-1", price="10.00", stock=1000)


@pytest.fixture
def order_for(place, product):
    async def make(headers, quantity=1):
        response = await place(headers, [{"product_id": product["id"], "quantity": quantity}])
        assert response.status_code == 201, response.text
        return response.json()

    return make


async def test_a_customer_lists_their_own_orders_newest_first(client, alice, bob, order_for):
    first = await order_for(alice)
    await order_for(bob)
    second = await order_for(alice)

    page = (await client.get(API, headers=alice)).json()

    assert [order["id"] for order in page["items"]] == [second["id"], first["id"]]
    assert page["next"] is None


async def test_another_customers_order_is_404_like_a_missing_one(client, alice, bob, order_for):
    order = await order_for(alice)

    theirs = await client.get(f"{API}/{order['id']}", headers=bob)
    missing = await client.get(f"{API}/00000000-0000-4000-8000-000000000000", headers=bob)

    assert theirs.status_code == missing.status_code == 404
    assert theirs.json()["code"] == missing.json()["code"] == "orders.order_not_found"
    assert set(theirs.json()) == set(missing.json())
    assert order["user_id"] not in theirs.text


async def test_a_manager_sees_and_filters_every_order(
    client, alice, bob, manager, order_for, make_customer
):
    small = await order_for(alice, quantity=1)
    large = await order_for(bob, quantity=5)
    bob_id = large["user_id"]

    everything = (await client.get(API, headers=manager)).json()
    of_bob = (await client.get(API, params={"user": bob_id}, headers=manager)).json()
    pricey = (await client.get(API, params={"min_total": "20"}, headers=manager)).json()
    cheap = (await client.get(API, params={"max_total": "10.00"}, headers=manager)).json()
    paid = (await client.get(API, params={"status": "paid"}, headers=manager)).json()
    since = (
        await client.get(API, params={"created_from": large["created_at"]}, headers=manager)
    ).json()
    before = (
        await client.get(API, params={"created_before": large["created_at"]}, headers=manager)
    ).json()
    read = await client.get(f"{API}/{small['id']}", headers=manager)
    refused = await client.get(API, params={"user": bob_id}, headers=alice)

    assert [o["id"] for o in everything["items"]] == [large["id"], small["id"]]
    assert [o["id"] for o in of_bob["items"]] == [large["id"]]
    assert [o["id"] for o in pricey["items"]] == [large["id"]]
    assert [o["id"] for o in cheap["items"]] == [small["id"]]
    assert paid["items"] == []
    assert [o["id"] for o in since["items"]] == [large["id"]]
    assert [o["id"] for o in before["items"]] == [small["id"]]
    assert read.status_code == 200
    assert (refused.status_code, refused.json()["code"]) == (403, "orders.user_filter_forbidden")


@pytest.mark.parametrize("bound", ["created_from", "created_before"])
async def test_a_time_with_no_utc_equivalent_is_refused_not_a_server_error(client, manager, bound):
    """RFC 3339 allows 0001-01-01T00:00:00+01:00, which is before year 1 in UTC."""
    response = await client.get(API, params={bound: "0001-01-01T00:00:00+01:00"}, headers=manager)

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["pointer"] == f"/{bound}"


@pytest.mark.parametrize("settings", [{"default_page_size": 2}])
async def test_pages_follow_their_cursors_in_constant_statements(
    app, client, alice, place, make_product
):
    products = [await make_product(f"P-{i}", stock=100) for i in range(3)]
    placed = []
    for count in (1, 3, 2, 3, 1):
        lines = [{"product_id": p["id"], "quantity": 1} for p in products[:count]]
        placed.append((await place(alice, lines)).json()["id"])

    pages, statements = [], []
    cursor = None
    while True:
        params: dict[str, str] = {"cursor": cursor} if cursor else {}
        with count_statements(kernel_of(app).database.engine) as log:
            page = (await client.get(API, params=params, headers=alice)).json()
        statements.append(len(log))
        pages.append(page)
        cursor = page["next"]
        if cursor is None:
            break

    assert [o["id"] for page in pages for o in page["items"]] == placed[::-1]
    assert [len(page["items"]) for page in pages] == [2, 2, 1]
    # The orders, then every line of the page in one more statement: no query per order.
    assert statements == [2, 2, 2]
    forged = await client.get(API, params={"cursor": "forged"}, headers=alice)
    assert (forged.status_code, forged.json()["code"]) == (400, "core.invalid_cursor")


async def test_statements_do_not_grow_with_the_page_size(app, client, manager, order_for, alice):
    for _ in range(6):
        await order_for(alice)

    counts = []
    for limit in (1, 3, 6):
        with count_statements(kernel_of(app).database.engine) as log:
            response = await client.get(API, params={"limit": limit}, headers=manager)
        assert len(response.json()["items"]) == limit
        counts.append(len(log))

    assert counts == [2, 2, 2]


async def test_an_order_outlives_its_customers_account(
    app, client, mosaic_token, alice, manager, order_for
):
    order = await order_for(alice)
    admin = {"Authorization": f"Bearer {await mosaic_token(app, 'users:admin')}"}
    before = (await client.get(f"{API}/{order['id']}", headers=manager)).headers["ETag"]

    deleted = await client.delete(f"/api/v1/users/{order['user_id']}", headers=admin)
    kept = await client.get(f"{API}/{order['id']}", headers=manager)
    stale = await client.post(f"{API}/{order['id']}/cancel", headers=manager | {"If-Match": before})

    assert deleted.status_code == 204, deleted.text
    assert kept.json() | {"user_id": order["user_id"]} == order
    assert kept.json()["user_id"] is None
    # The representation changed (no customer), so its tag did too: the old one is stale.
    assert kept.headers["ETag"] != before
    assert stale.status_code == 412, stale.text
    cancelled = await client.post(
        f"{API}/{order['id']}/cancel", headers=manager | {"If-Match": kept.headers["ETag"]}
    )
    assert cancelled.status_code == 200, cancelled.text
