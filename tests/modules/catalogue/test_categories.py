"""The category tree: listing, breadcrumb, moves without cycles, deletion rules, permissions."""

from __future__ import annotations

import pytest

from tests.modules.catalogue.conftest import API
from tests.openapi_schemas import body_accepts


@pytest.fixture
async def tree(make_category):
    """home > garden > (tools > spades), home > kitchen; and a second root, books."""
    home = await make_category("home", position=1)
    garden = await make_category("garden", parent_id=home["id"], position=2)
    kitchen = await make_category("kitchen", parent_id=home["id"], position=1)
    tools = await make_category("garden-tools", parent_id=garden["id"])
    spades = await make_category("spades", parent_id=tools["id"])
    books = await make_category("books", position=0)
    return {
        "home": home,
        "garden": garden,
        "kitchen": kitchen,
        "tools": tools,
        "spades": spades,
        "books": books,
    }


async def test_flat_list_in_display_order(client, tree):
    response = await client.get(f"{API}/categories")

    assert response.status_code == 200
    slugs = [category["slug"] for category in response.json()]
    # position first (books 0, home/kitchen 1, garden 2, the rest 0 by name)
    assert slugs == ["books", "garden-tools", "spades", "home", "kitchen", "garden"]
    kitchen = next(c for c in response.json() if c["slug"] == "kitchen")
    assert kitchen == {
        "id": tree["kitchen"]["id"],
        "slug": "kitchen",
        "name": "Kitchen",
        "parent_id": tree["home"]["id"],
        "position": 1,
    }


async def test_tree_nests_children_in_order(client, tree):
    response = await client.get(f"{API}/categories/tree")

    assert response.status_code == 200

    def shape(nodes):
        return [(node["slug"], shape(node["children"])) for node in nodes]

    assert shape(response.json()) == [
        ("books", []),
        ("home", [("kitchen", []), ("garden", [("garden-tools", [("spades", [])])])]),
    ]


async def test_read_one_with_its_breadcrumb(client, tree):
    response = await client.get(f"{API}/categories/{tree['spades']['id']}")

    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "spades"
    assert [a["slug"] for a in body["ancestors"]] == ["home", "garden", "garden-tools"]
    assert body["ancestors"][0] == {"id": tree["home"]["id"], "slug": "home", "name": "Home"}


async def test_a_root_has_no_ancestors(client, tree):
    body = (await client.get(f"{API}/categories/{tree['books']['id']}")).json()

    assert body["ancestors"] == []
    assert body["parent_id"] is None


async def test_unknown_category_is_404(client):
    response = await client.get(f"{API}/categories/999")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "catalogue.category_not_found"


async def test_duplicate_slug_is_409(client, writer, tree):
    response = await client.post(
        f"{API}/categories", json={"slug": "garden", "name": "Again"}, headers=writer
    )

    assert response.status_code == 409
    assert response.json()["code"] == "catalogue.slug_taken"


async def test_unknown_parent_is_422(client, writer):
    response = await client.post(
        f"{API}/categories", json={"slug": "x", "name": "X", "parent_id": 999}, headers=writer
    )

    assert response.status_code == 422
    assert response.json()["code"] == "catalogue.unknown_category"


async def test_move_under_another_branch(client, writer, tree):
    response = await client.patch(
        f"{API}/categories/{tree['tools']['id']}",
        json={"parent_id": tree["books"]["id"]},
        headers=writer,
    )

    assert response.status_code == 200
    assert response.json()["parent_id"] == tree["books"]["id"]
    crumbs = (await client.get(f"{API}/categories/{tree['spades']['id']}")).json()["ancestors"]
    assert [a["slug"] for a in crumbs] == ["books", "garden-tools"]


async def test_move_to_the_top_level_with_null(client, writer, tree):
    response = await client.patch(
        f"{API}/categories/{tree['garden']['id']}", json={"parent_id": None}, headers=writer
    )

    assert response.status_code == 200
    assert response.json()["parent_id"] is None


@pytest.mark.parametrize("target", ["garden", "tools", "spades"])
async def test_moving_under_itself_or_a_descendant_is_a_cycle(client, writer, tree, target):
    response = await client.patch(
        f"{API}/categories/{tree['garden']['id']}",
        json={"parent_id": tree[target]["id"]},
        headers=writer,
    )

    assert response.status_code == 409
    assert response.json()["code"] == "catalogue.category_cycle"
    unchanged = (await client.get(f"{API}/categories/{tree['garden']['id']}")).json()
    assert unchanged["parent_id"] == tree["home"]["id"]


async def test_rename_and_reorder(client, writer, tree):
    response = await client.patch(
        f"{API}/categories/{tree['kitchen']['id']}",
        json={"name": "Cooking", "slug": "cooking", "position": 9},
        headers=writer,
    )

    assert response.status_code == 200
    assert response.json() | {"id": 0} == {
        "id": 0,
        "slug": "cooking",
        "name": "Cooking",
        "parent_id": tree["home"]["id"],
        "position": 9,
    }


async def test_null_name_is_refused(client, writer, tree):
    response = await client.patch(
        f"{API}/categories/{tree['kitchen']['id']}", json={"name": None}, headers=writer
    )

    assert response.status_code == 422


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("categories", "\u00a0"),
        ("categories", " \t\n"),
        ("categories", "  Garden  "),
        ("tags", "\u2003"),
        ("tags", " Sale "),
    ],
)
async def test_a_name_of_white_space_alone_is_refused_as_the_schema_says(
    client, writer, path, name
):
    """Names are stripped, so white space alone is no name: the schema's pattern says so, and a
    name with something else in it is kept, stripped."""
    accepts = body_accepts((await client.get("/openapi.json")).json(), "POST", f"{API}/{path}")
    body = {"slug": "x-1", "name": name}

    response = await client.post(f"{API}/{path}", json=body, headers=writer)

    assert response.status_code == (201 if name.strip() else 422), response.text
    assert accepts(body) == (response.status_code == 201)
    if response.status_code == 201:
        assert response.json()["name"] == name.strip()


@pytest.mark.parametrize("field", ["slug", "name", "parent_id", "position"])
async def test_the_schema_allows_null_only_where_the_server_takes_it(client, writer, tree, field):
    accepts = body_accepts(
        (await client.get("/openapi.json")).json(), "PATCH", f"{API}/categories/{{category_id}}"
    )

    response = await client.patch(
        f"{API}/categories/{tree['kitchen']['id']}", json={field: None}, headers=writer
    )

    assert response.status_code in (200, 422)
    assert accepts({field: None}) == (response.status_code == 200)


@pytest.mark.parametrize(
    ("field", "value"), [("position", "3"), ("position", False), ("parent_id", "1")]
)
async def test_integers_are_json_numbers_as_the_schema_says(client, writer, tree, field, value):
    accepts = body_accepts(
        (await client.get("/openapi.json")).json(), "PATCH", f"{API}/categories/{{category_id}}"
    )

    response = await client.patch(
        f"{API}/categories/{tree['kitchen']['id']}", json={field: value}, headers=writer
    )

    assert not accepts({field: value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == f"/{field}"


async def test_delete_an_empty_leaf(client, writer, tree):
    response = await client.delete(f"{API}/categories/{tree['spades']['id']}", headers=writer)

    assert response.status_code == 204
    assert (await client.get(f"{API}/categories/{tree['spades']['id']}")).status_code == 404


async def test_delete_with_children_is_409(client, writer, tree):
    response = await client.delete(f"{API}/categories/{tree['garden']['id']}", headers=writer)

    assert response.status_code == 409
    assert response.json()["code"] == "catalogue.category_not_empty"
    assert (await client.get(f"{API}/categories/{tree['garden']['id']}")).status_code == 200


async def test_delete_with_products_is_409(client, writer, make_product, category):
    await make_product("P-1", status="archived")

    response = await client.delete(f"{API}/categories/{category['id']}", headers=writer)

    assert response.status_code == 409
    assert response.json()["code"] == "catalogue.category_not_empty"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/categories", {"slug": "x", "name": "X"}),
        ("PATCH", "/categories/{id}", {"name": "X"}),
        ("DELETE", "/categories/{id}", None),
        ("POST", "/tags", {"slug": "x", "name": "X"}),
        ("DELETE", "/tags/red", None),
    ],
)
async def test_writes_need_catalogue_write(client, reader, category, method, path, body):
    url = API + path.format(id=category["id"])

    anonymous = await client.request(method, url, json=body)
    without = await client.request(method, url, json=body, headers=reader)

    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    assert without.status_code == 403
    assert without.json()["code"] == "core.insufficient_scope"
    assert 'error="insufficient_scope"' in without.headers["www-authenticate"]
    assert (await client.get(f"{API}/categories/{category['id']}")).json()["name"] == "Tools"
