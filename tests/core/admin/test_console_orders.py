"""The orders module's console page: orders listed for `orders:manage`, read-only, absent for
anyone else."""

from __future__ import annotations

import uuid

import pytest

from modules.orders import plugin as orders_plugin
from tests.core.admin.conftest import FAST_HASHING, PLUGINS, create_account, sign_in

ORDERS = "/admin/orders_orders"


@pytest.fixture
async def app(mosaic_app):
    return await mosaic_app(
        {**PLUGINS, "orders": orders_plugin},
        enabled=[*PLUGINS, "orders"],
        settings={"users": FAST_HASHING},
    )


async def test_managers_see_orders_read_only_and_customers_see_no_page(
    app, client, other_client, product, admin_headers
):
    await create_account(app, other_client, "cus@example.com")
    token = await other_client.post(
        "/api/v1/auth/token",
        data={
            "grant_type": "password",
            "username": "cus@example.com",
            "password": "correct horse battery",
        },
    )
    customer = {"Authorization": f"Bearer {token.json()['access_token']}"}
    placed = await other_client.post(
        "/api/v1/orders",
        json={"lines": [{"sku": "HAM-1", "quantity": 2}], "note": "gift wrap please"},
        headers=customer | {"Idempotency-Key": f'"{uuid.uuid4()}"'},
    )
    assert placed.status_code == 201, placed.text

    listing = await client.get(f"{ORDERS}/list")
    assert listing.status_code == 200
    assert placed.json()["id"] in listing.text
    assert "gift wrap please" in listing.text
    edit = await client.get(f"{ORDERS}/edit/{placed.json()['id']}")
    assert edit.status_code == 403  # read-only: transitions stay with the API

    assert (await sign_in(other_client, "cus@example.com")).status_code == 302
    assert (await other_client.get(f"{ORDERS}/list")).status_code == 403
