"""Conditional requests: ETag on reads and writes, If-None-Match (304) and If-Match (412)."""

from __future__ import annotations

from tests.modules.catalogue.conftest import API


async def test_get_carries_the_etag(client, make_product):
    product = await make_product("A-1")

    response = await client.get(f"{API}/products/{product['id']}")

    assert response.headers["etag"] == f'"{product["id"]}.1"'


async def test_if_none_match_answers_304_without_a_body(client, make_product):
    product = await make_product("A-1")
    etag = (await client.get(f"{API}/products/{product['id']}")).headers["etag"]

    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        response = await client.get(
            f"{API}/products/{product['id']}", headers={"If-None-Match": header}
        )
        assert response.status_code == 304, header
        assert response.content == b""
        assert response.headers["etag"] == etag


async def test_if_none_match_with_an_old_etag_answers_200(client, writer, make_product):
    product = await make_product("A-1")
    old = (await client.get(f"{API}/products/{product['id']}")).headers["etag"]
    await client.patch(f"{API}/products/{product['id']}", json={"stock": 9}, headers=writer)

    response = await client.get(f"{API}/products/{product['id']}", headers={"If-None-Match": old})

    assert response.status_code == 200
    assert response.json()["stock"] == 9
    assert response.headers["etag"] != old


async def test_if_none_match_does_not_reveal_a_hidden_product(client, make_product):
    product = await make_product("A-1", status="draft")

    response = await client.get(f"{API}/products/{product['id']}", headers={"If-None-Match": "*"})

    assert response.status_code == 404


async def test_each_update_gives_a_new_version(client, writer, make_product):
    product = await make_product("A-1")
    url = f"{API}/products/{product['id']}"

    first = await client.patch(url, json={"name": "One"}, headers=writer)
    second = await client.patch(url, json={"tags": []}, headers=writer)
    third = await client.patch(url, json={"stock": 1}, headers=writer)

    assert [r.headers["etag"] for r in (first, second, third)] == [
        f'"{product["id"]}.2"',
        f'"{product["id"]}.2"',  # nothing changed: same version
        f'"{product["id"]}.3"',
    ]


async def test_if_match_with_the_current_etag_applies(client, writer, make_product):
    product = await make_product("A-1")
    url = f"{API}/products/{product['id']}"
    etag = (await client.get(url)).headers["etag"]

    response = await client.patch(
        url, json={"name": "Renamed"}, headers=writer | {"If-Match": etag}
    )

    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"
    assert response.headers["etag"] != etag


async def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(client, writer, make_product):
    product = await make_product("A-1")
    url = f"{API}/products/{product['id']}"
    stale = (await client.get(url)).headers["etag"]
    await client.patch(url, json={"name": "First writer"}, headers=writer)

    response = await client.patch(
        url, json={"name": "Second writer"}, headers=writer | {"If-Match": stale}
    )

    assert response.status_code == 412
    assert response.json()["code"] == "catalogue.version_mismatch"
    assert response.headers["etag"] == f'"{product["id"]}.2"'
    assert (await client.get(url)).json()["name"] == "First writer"


async def test_if_match_never_matches_a_weak_etag(client, writer, make_product):
    product = await make_product("A-1")
    url = f"{API}/products/{product['id']}"
    etag = (await client.get(url)).headers["etag"]

    response = await client.patch(
        url, json={"name": "X"}, headers=writer | {"If-Match": f"W/{etag}"}
    )

    assert response.status_code == 412


async def test_if_match_guards_archive_and_delete(client, writer, make_product):
    product = await make_product("A-1")
    url = f"{API}/products/{product['id']}"
    stale = '"0.0"'

    archive = await client.post(f"{url}/archive", headers=writer | {"If-Match": stale})
    delete = await client.delete(url, headers=writer | {"If-Match": stale})

    assert archive.status_code == delete.status_code == 412
    assert (await client.get(url)).json()["status"] == "active"


async def test_another_products_etag_does_not_match(client, writer, make_product):
    first = await make_product("A-1")
    second = await make_product("B-1")
    etag = (await client.get(f"{API}/products/{first['id']}")).headers["etag"]

    response = await client.patch(
        f"{API}/products/{second['id']}", json={"name": "X"}, headers=writer | {"If-Match": etag}
    )

    assert response.status_code == 412


async def test_category_rename_changes_its_products_etags(client, writer, make_product, category):
    product = await make_product("A-1")
    url = f"{API}/products/{product['id']}"
    etag = (await client.get(url)).headers["etag"]

    await client.patch(f"{API}/categories/{category['id']}", json={"name": "Gear"}, headers=writer)

    response = await client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["category"]["name"] == "Gear"
