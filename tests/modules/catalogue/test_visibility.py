"""Who sees what: the public sees active products only; writers see every status."""

from __future__ import annotations

import pytest

from tests.modules.catalogue.conftest import API


@pytest.fixture
async def products(make_product):
    return {
        status: await make_product(f"{status.upper()}-1", status=status)
        for status in ("draft", "active", "archived")
    }


@pytest.mark.parametrize("status", ["draft", "archived"])
async def test_the_public_gets_404_for_a_product_that_is_not_active(
    client, reader, products, status
):
    for headers in (dict[str, str](), reader):
        response = await client.get(f"{API}/products/{products[status]['id']}", headers=headers)
        assert response.status_code == 404
        assert response.json()["code"] == "catalogue.product_not_found"
        assert "etag" not in response.headers


async def test_the_public_reads_an_active_product(client, products):
    response = await client.get(f"{API}/products/{products['active']['id']}")

    assert response.status_code == 200
    assert response.json()["sku"] == "ACTIVE-1"


async def test_writers_read_every_status(client, writer, products):
    for product in products.values():
        response = await client.get(f"{API}/products/{product['id']}", headers=writer)
        assert response.status_code == 200
        assert response.json()["status"] == product["status"]


async def test_the_public_lists_active_products_only(client, reader, products):
    for headers in (dict[str, str](), reader):
        listed = (await client.get(f"{API}/products", headers=headers)).json()["items"]
        assert [item["sku"] for item in listed] == ["ACTIVE-1"]


async def test_writers_list_every_status_and_may_filter_by_it(client, writer, products):
    everything = (await client.get(f"{API}/products", headers=writer)).json()["items"]
    drafts = (await client.get(f"{API}/products?status=draft", headers=writer)).json()["items"]

    assert sorted(item["sku"] for item in everything) == ["ACTIVE-1", "ARCHIVED-1", "DRAFT-1"]
    assert [item["sku"] for item in drafts] == ["DRAFT-1"]


@pytest.mark.parametrize("status", ["draft", "archived"])
async def test_the_public_asking_for_another_status_is_403(client, reader, products, status):
    for headers in (dict[str, str](), reader):
        response = await client.get(f"{API}/products?status={status}", headers=headers)
        assert response.status_code == 403
        assert response.json()["code"] == "catalogue.status_filter_forbidden"


async def test_the_public_may_ask_for_active(client, products):
    response = await client.get(f"{API}/products?status=active")

    assert response.status_code == 200
    assert [item["sku"] for item in response.json()["items"]] == ["ACTIVE-1"]


async def test_an_invalid_token_is_401_even_on_public_reads(client, products):
    response = await client.get(f"{API}/products", headers={"Authorization": "Bearer not-a-token"})

    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
