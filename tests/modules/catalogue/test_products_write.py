"""Creating, changing, archiving and deleting products: rules, conflicts and permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from core.testing.kernel import kernel_of
from tests.modules.catalogue.conftest import API
from tests.openapi_schemas import body_accepts


async def test_create_answers_the_product_with_location_and_etag(
    client, writer, category, make_tag
):
    await make_tag("steel")
    body = {
        "sku": "SP-001",
        "slug": "steel-spade",
        "name": "Steel spade",
        "description": "Digs.",
        "price": "24.5",
        "stock": 3,
        "category_id": category["id"],
        "tags": ["steel"],
    }

    response = await client.post(f"{API}/products", json=body, headers=writer)

    assert response.status_code == 201
    product = response.json()
    assert product | {"id": 0, "created_at": "", "updated_at": ""} == {
        "id": 0,
        "sku": "SP-001",
        "slug": "steel-spade",
        "name": "Steel spade",
        "description": "Digs.",
        "price": "24.50",
        "currency": "EUR",
        "stock": 3,
        "status": "draft",
        "category": {"id": category["id"], "slug": "tools", "name": "Tools"},
        "tags": [{"slug": "steel", "name": "Steel"}],
        "created_at": "",
        "updated_at": "",
    }
    assert product["created_at"].endswith("Z")
    assert response.headers["location"].endswith(f"{API}/products/{product['id']}")
    assert response.headers["etag"] == f'"{product["id"]}.1"'


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("price", "-1"),
        ("price", "1.999"),
        ("price", "12345678901.00"),
        ("stock", -1),
        ("name", ""),
        ("name", "x" * 201),
        ("name", "Nul\x00"),
        ("description", "a\x00b"),
        ("sku", "has space"),
        ("slug", "Upper"),
        ("status", "deleted"),
        ("description", "x" * 10_001),
        ("tags", ["x"] * 51),
        ("version", 3),
        ("id", 7),
    ],
)
async def test_invalid_input_is_422(client, writer, category, field, value):
    body = {"sku": "A", "slug": "a", "name": "A", "price": "1", "category_id": category["id"]}

    response = await client.post(f"{API}/products", json=body | {field: value}, headers=writer)

    assert response.status_code == 422
    assert response.json()["code"] == "core.validation_failed"
    assert response.json()["errors"][0]["pointer"] == f"/{field}"


@pytest.mark.parametrize(
    ("taken", "code"),
    [({"sku": "A-1"}, "catalogue.sku_taken"), ({"slug": "a-1"}, "catalogue.slug_taken")],
)
async def test_a_duplicate_sku_or_slug_is_409(client, writer, make_product, category, taken, code):
    await make_product("A-1")  # its slug is a-1
    body = {"sku": "B-1", "slug": "other", "name": "x", "price": "1", "category_id": 1}

    response = await client.post(f"{API}/products", json=body | taken, headers=writer)

    assert response.status_code == 409
    assert response.json()["code"] == code


async def test_unknown_category_or_tag_is_422(client, writer, category):
    body = {"sku": "A", "slug": "a", "name": "A", "price": "1", "category_id": category["id"]}

    no_category = await client.post(
        f"{API}/products", json=body | {"category_id": 999}, headers=writer
    )
    no_tag = await client.post(f"{API}/products", json=body | {"tags": ["ghost"]}, headers=writer)

    assert no_category.status_code == 422
    assert no_category.json()["code"] == "catalogue.unknown_category"
    assert no_tag.status_code == 422
    assert no_tag.json()["code"] == "catalogue.unknown_tag"
    assert (await client.get(f"{API}/products", headers=writer)).json()["items"] == []


async def test_patch_changes_only_what_is_sent(client, writer, make_product, make_category):
    product = await make_product("A-1", description="keep me")
    other = await make_category("other")

    response = await client.patch(
        f"{API}/products/{product['id']}",
        json={"price": "7.25", "category_id": other["id"], "stock": 0},
        headers=writer,
    )

    assert response.status_code == 200
    changed = response.json()
    assert changed["price"] == "7.25"
    assert changed["stock"] == 0
    assert changed["category"]["slug"] == "other"
    assert changed["description"] == "keep me"
    assert changed["name"] == product["name"]
    assert changed["updated_at"] > product["updated_at"]
    assert (await client.get(f"{API}/products/{product['id']}")).json() == changed


async def test_patch_to_a_taken_sku_is_409(client, writer, make_product):
    await make_product("A-1")
    second = await make_product("B-1")

    response = await client.patch(
        f"{API}/products/{second['id']}", json={"sku": "A-1"}, headers=writer
    )

    assert response.status_code == 409
    assert response.json()["code"] == "catalogue.sku_taken"


async def test_patch_null_is_refused(client, writer, make_product):
    product = await make_product("A-1")

    response = await client.patch(
        f"{API}/products/{product['id']}", json={"price": None}, headers=writer
    )

    assert response.status_code == 422


@pytest.mark.parametrize(
    "field",
    ["sku", "slug", "name", "description", "price", "stock", "status", "category_id", "tags"],
)
async def test_the_schema_allows_null_only_where_the_server_takes_it(
    client, writer, make_product, field
):
    product = await make_product("A-1")
    accepts = body_accepts(
        (await client.get("/openapi.json")).json(), "PATCH", f"{API}/products/{{product_id}}"
    )

    response = await client.patch(
        f"{API}/products/{product['id']}", json={field: None}, headers=writer
    )

    assert response.status_code in (200, 422)
    assert accepts({field: None}) == (response.status_code == 200)


@pytest.mark.parametrize(
    ("field", "value"),
    [("stock", "4"), ("stock", True), ("stock", 4.5), ("category_id", "1"), ("category_id", True)],
)
async def test_integers_are_json_numbers_as_the_schema_says(client, writer, category, field, value):
    body = {"sku": "A", "slug": "a", "name": "A", "price": "1", "category_id": category["id"]}
    accepts = body_accepts((await client.get("/openapi.json")).json(), "POST", f"{API}/products")

    response = await client.post(f"{API}/products", json=body | {field: value}, headers=writer)

    assert accepts(body)
    assert not accepts(body | {field: value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == f"/{field}"


async def test_a_number_with_a_zero_fraction_is_an_integer_as_json_schema_says(
    client, writer, category
):
    body = {"sku": "A", "slug": "a", "name": "A", "price": "1", "stock": 10.0}
    body["category_id"] = float(category["id"])
    accepts = body_accepts((await client.get("/openapi.json")).json(), "POST", f"{API}/products")

    response = await client.post(f"{API}/products", json=body, headers=writer)

    assert accepts(body)
    assert response.status_code == 201, response.text
    assert response.json()["stock"] == 10
    assert response.json()["category"]["id"] == category["id"]


@pytest.mark.parametrize(
    "price",
    [
        *("0", "24.5", "24.50", "9999999999.99"),
        *("", " 1", "1e2", "1_000", ".5", "5.", "-1", "1.999", "12345678901", 3, 2.5),
    ],
)
async def test_the_schema_of_a_price_is_what_the_server_takes(client, writer, category, price):
    body = {"sku": "A", "slug": "a", "name": "A", "price": price, "category_id": category["id"]}
    accepts = body_accepts((await client.get("/openapi.json")).json(), "POST", f"{API}/products")

    response = await client.post(f"{API}/products", json=body, headers=writer)

    assert response.status_code in (201, 422)
    assert accepts(body) == (response.status_code == 201)


async def test_archive_hides_it_from_the_public(client, writer, make_product):
    product = await make_product("A-1")

    response = await client.post(f"{API}/products/{product['id']}/archive", headers=writer)

    assert response.status_code == 200
    assert response.json()["status"] == "archived"
    assert (await client.get(f"{API}/products/{product['id']}")).status_code == 404
    seen = await client.get(f"{API}/products/{product['id']}", headers=writer)
    assert seen.json()["status"] == "archived"


async def test_delete(client, writer, make_product):
    product = await make_product("A-1")

    response = await client.delete(f"{API}/products/{product['id']}", headers=writer)

    assert response.status_code == 204
    missing = await client.get(f"{API}/products/{product['id']}", headers=writer)
    assert missing.status_code == 404
    assert missing.json()["code"] == "catalogue.product_not_found"


async def test_unknown_product_is_404_on_every_write(client, writer):
    for method, path in [("PATCH", ""), ("POST", "/archive"), ("DELETE", "")]:
        response = await client.request(
            method,
            f"{API}/products/999{path}",
            json={} if method == "PATCH" else None,
            headers=writer,
        )
        assert response.status_code == 404, method
        assert response.json()["code"] == "catalogue.product_not_found"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        (
            "POST",
            "/products",
            {"sku": "Z", "slug": "z", "name": "Z", "price": "1", "category_id": 1},
        ),
        ("PATCH", "/products/{id}", {"name": "Changed"}),
        ("POST", "/products/{id}/archive", None),
        ("DELETE", "/products/{id}", None),
    ],
)
async def test_writes_need_catalogue_write(client, reader, make_product, method, path, body):
    product = await make_product("A-1")
    url = API + path.format(id=product["id"])

    anonymous = await client.request(method, url, json=body)
    without = await client.request(method, url, json=body, headers=reader)

    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "core.unauthorized"
    assert without.status_code == 403
    assert without.json()["code"] == "core.insufficient_scope"
    after = await client.get(f"{API}/products/{product['id']}")
    assert after.json() == product


async def test_the_database_refuses_negative_stock(app, make_product):
    product = await make_product("A-1")
    engine = kernel_of(app).database.engine

    with pytest.raises(IntegrityError):
        async with engine.begin() as connection:
            await connection.execute(
                text("UPDATE catalogue_products SET stock = -1 WHERE id = :id"),
                {"id": product["id"]},
            )
