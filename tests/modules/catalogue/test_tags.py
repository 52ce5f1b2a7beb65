"""Tags: unique slugs, named by slug on product writes, removed from products when deleted."""

from __future__ import annotations

from tests.modules.catalogue.conftest import API


async def test_create_and_list(client, make_tag):
    await make_tag("red")
    await make_tag("blue")

    response = await client.get(f"{API}/tags")

    assert response.status_code == 200
    assert response.json() == [{"slug": "blue", "name": "Blue"}, {"slug": "red", "name": "Red"}]


async def test_duplicate_slug_is_409(client, writer, make_tag):
    await make_tag("red")

    response = await client.post(f"{API}/tags", json={"slug": "red", "name": "R"}, headers=writer)

    assert response.status_code == 409
    assert response.json()["code"] == "catalogue.slug_taken"


async def test_bad_slug_is_422(client, writer):
    response = await client.post(
        f"{API}/tags", json={"slug": "Not A Slug", "name": "x"}, headers=writer
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/slug"


async def test_delete_takes_it_off_products_and_changes_their_etag(
    client, writer, make_tag, make_product
):
    await make_tag("red")
    await make_tag("blue")
    product = await make_product("P-1", tags=["red", "blue"])
    before = (await client.get(f"{API}/products/{product['id']}")).headers["etag"]

    response = await client.delete(f"{API}/tags/red", headers=writer)

    assert response.status_code == 204
    after = await client.get(f"{API}/products/{product['id']}")
    assert [tag["slug"] for tag in after.json()["tags"]] == ["blue"]
    assert after.headers["etag"] != before
    assert [t["slug"] for t in (await client.get(f"{API}/tags")).json()] == ["blue"]


async def test_delete_unknown_is_404(client, writer):
    response = await client.delete(f"{API}/tags/nope", headers=writer)

    assert response.status_code == 404
    assert response.json()["code"] == "catalogue.tag_not_found"
