"""Tests of the bookmarks module, written with Mosaic's module kit only."""

from __future__ import annotations

from core.testing.contract import ModuleContract
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements


class TestBookmarksContract(ModuleContract):
    module = "bookmarks"


async def test_create_read_list_delete(mosaic_app, mosaic_client):
    app = await mosaic_app(enabled=["bookmarks"])
    client = await mosaic_client(app)

    created = await client.post("/api/v1/bookmarks/items", json={"name": "first"})
    assert created.status_code == 201
    item = created.json()
    assert (await client.get(f"/api/v1/bookmarks/items/{item['id']}")).json() == item
    listed = (await client.get("/api/v1/bookmarks/items")).json()
    assert listed == {"items": [item], "next_after": None}
    assert (await client.delete(f"/api/v1/bookmarks/items/{item['id']}")).status_code == 204
    missing = await client.get(f"/api/v1/bookmarks/items/{item['id']}")
    assert missing.status_code == 404
    assert missing.json()["code"] == "bookmarks.item_not_found"


async def test_duplicate_name_is_a_conflict(mosaic_app, mosaic_client):
    client = await mosaic_client(await mosaic_app(enabled=["bookmarks"]))
    await client.post("/api/v1/bookmarks/items", json={"name": "same"})

    again = await client.post("/api/v1/bookmarks/items", json={"name": "same"})

    assert again.status_code == 409
    assert again.json()["code"] == "bookmarks.item_name_taken"


async def test_pages_follow_the_cursor_in_constant_statements(mosaic_app, mosaic_client):
    app = await mosaic_app(enabled=["bookmarks"], settings={"bookmarks": {"max_page_size": 2}})
    client = await mosaic_client(app)
    for index in range(5):
        await client.post("/api/v1/bookmarks/items", json={"name": f"item {index}"})

    names, after = [], None
    engine = kernel_of(app).database.engine
    while True:
        params: dict[str, int] = {"after": after} if after else {}
        with count_statements(engine) as statements:
            page = (await client.get("/api/v1/bookmarks/items", params=params)).json()
        assert len(statements) == 1
        names += [item["name"] for item in page["items"]]
        after = page["next_after"]
        if after is None:
            break

    assert names == [f"item {index}" for index in range(5)]
