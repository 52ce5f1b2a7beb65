"""The catalogue's events: each write announces exactly what it changed, in its own transaction,
so a refused or rolled-back write announces nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from core.testing.kernel import kernel_of
from core.testing.plugin import PublishedEvents
from modules.catalogue.api import Catalogue, CatalogueEvent
from modules.catalogue.categories.schemas import CategoryCreate
from modules.catalogue.categories.service import create_category
from tests.modules.catalogue.conftest import API

PRODUCT_CHANGED = "catalogue.product_changed.v1"


class Announcements:
    """What the test's application committed since the last look."""

    def __init__(self, published: PublishedEvents) -> None:
        self._published = published
        self._seen = 0

    def new(self) -> list[tuple[str, dict[str, Any]]]:
        """Returns the type and payload of each event committed since the last call."""
        fresh = self._published[self._seen :]
        self._seen = len(self._published)
        return [(envelope.type, json.loads(envelope.payload)) for envelope in fresh]


@pytest.fixture
def announced(published_events) -> Announcements:
    return Announcements(published_events)


async def test_every_event_is_registered_as_external(app):
    registered = {
        name: event
        for name, event in kernel_of(app).events.types.items()
        if name.startswith("catalogue.")
    }

    assert set(registered) == {
        "catalogue.product_created.v1",
        "catalogue.product_changed.v1",
        "catalogue.product_deleted.v1",
        "catalogue.category_created.v1",
        "catalogue.category_changed.v1",
        "catalogue.category_deleted.v1",
        "catalogue.tag_created.v1",
        "catalogue.tag_deleted.v1",
        "catalogue.products_imported.v1",
    }
    assert all(
        issubclass(event, CatalogueEvent) and event.event_external for event in registered.values()
    )


async def test_each_write_of_a_product_announces_itself(
    client, writer, make_product, announced, published_events
):
    product = await make_product("SP-1")
    created = announced.new()
    url = f"{API}/products/{product['id']}"

    changed = await client.patch(url, json={"price": "12.00", "stock": 2}, headers=writer)
    changed_fields = announced.new()
    archived = await client.post(f"{url}/archive", headers=writer)
    archived_fields = announced.new()
    deleted = await client.delete(url, headers=writer)

    assert (changed.status_code, archived.status_code, deleted.status_code) == (200, 200, 204)
    facts = {"product_id": product["id"], "sku": "SP-1"}
    assert created == [("catalogue.product_created.v1", facts)]
    assert changed_fields == [(PRODUCT_CHANGED, facts | {"fields": ["price", "stock"]})]
    assert archived_fields == [(PRODUCT_CHANGED, facts | {"fields": ["status"]})]
    assert announced.new() == [("catalogue.product_deleted.v1", facts)]
    assert {envelope.actor for envelope in published_events} == {"test-user"}


async def test_a_change_names_its_fields_never_their_values(
    client, writer, make_product, make_category, make_tag, announced
):
    product = await make_product("SP-1")
    garden = await make_category("garden")
    await make_tag("steel")
    announced.new()
    url = f"{API}/products/{product['id']}"

    moved = await client.patch(
        url, json={"category_id": garden["id"], "tags": ["steel"], "sku": "SP-2"}, headers=writer
    )

    assert moved.status_code == 200
    assert announced.new() == [
        (
            PRODUCT_CHANGED,
            {"product_id": product["id"], "sku": "SP-2", "fields": ["sku", "category_id", "tags"]},
        )
    ]


async def test_a_write_that_changes_nothing_announces_nothing(
    client, writer, make_product, announced
):
    product = await make_product("SP-1", status="archived")
    announced.new()
    url = f"{API}/products/{product['id']}"

    same = await client.patch(url, json={"price": "10.00", "stock": 5}, headers=writer)
    archived_again = await client.post(f"{url}/archive", headers=writer)

    assert (same.status_code, archived_again.status_code) == (200, 200)
    assert announced.new() == []


async def test_each_write_of_a_category_announces_itself(client, writer, make_category, announced):
    tools = await make_category("tools")
    garden = await make_category("garden")
    created = announced.new()
    url = f"{API}/categories/{garden['id']}"

    renamed = await client.patch(url, json={"name": "Yard", "position": 3}, headers=writer)
    renamed_fields = announced.new()
    moved = await client.patch(url, json={"parent_id": tools["id"]}, headers=writer)
    moved_fields = announced.new()
    deleted = await client.delete(url, headers=writer)

    assert (renamed.status_code, moved.status_code, deleted.status_code) == (200, 200, 204)
    facts = {"category_id": garden["id"], "slug": "garden"}
    assert created == [
        ("catalogue.category_created.v1", {"category_id": tools["id"], "slug": "tools"}),
        ("catalogue.category_created.v1", facts),
    ]
    assert renamed_fields == [
        ("catalogue.category_changed.v1", facts | {"fields": ["name", "position"]})
    ]
    assert moved_fields == [("catalogue.category_changed.v1", facts | {"fields": ["parent_id"]})]
    assert announced.new() == [("catalogue.category_deleted.v1", facts)]


async def test_creating_and_deleting_a_tag_announce_themselves(client, writer, make_tag, announced):
    tag = await make_tag("steel")
    created = announced.new()

    deleted = await client.delete(f"{API}/tags/steel", headers=writer)

    assert deleted.status_code == 204
    assert tag["slug"] == "steel"
    [(created_type, payload)] = created
    assert created_type == "catalogue.tag_created.v1"
    assert payload["slug"] == "steel"
    assert announced.new() == [("catalogue.tag_deleted.v1", payload)]


async def test_an_import_announces_its_counts_once(client, writer, category, announced):
    header = "sku,name,slug,price,category\n"
    first = header + "HAM-1,Hammer,hammer,15.00,tools\nRAKE-1,Rake,rake,22.50,tools\n"
    second = first.replace("22.50", "19.90") + "BAD-1,Bad,bad,-3,tools\n"
    csv = {"Content-Type": "text/csv"}
    announced.new()

    imported = await client.post(f"{API}/products/import", content=first, headers=writer | csv)
    first_counts = announced.new()
    again = await client.post(f"{API}/products/import", content=second, headers=writer | csv)

    assert (imported.status_code, again.status_code) == (200, 200)
    counts = {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert first_counts == [("catalogue.products_imported.v1", counts)]
    assert announced.new() == [
        (
            "catalogue.products_imported.v1",
            {"created": 0, "updated": 1, "unchanged": 1, "rejected": 1},
        )
    ]


async def test_a_refused_write_announces_nothing(
    client, writer, make_product, make_category, announced
):
    product = await make_product("SP-1")
    child = await make_category("spades", parent_id=product["category"]["id"])
    announced.new()
    url = f"{API}/products/{product['id']}"
    tools = f"{API}/categories/{product['category']['id']}"

    taken = {key: product[key] for key in ("sku", "name", "price")} | {"slug": "other"}
    refused = [
        await client.post(
            f"{API}/products", json=taken | {"category_id": child["id"]}, headers=writer
        ),
        await client.post(f"{API}/products", json={"sku": "SP-2"}, headers=writer),
        await client.patch(url, json={"tags": ["ghost"]}, headers=writer),
        await client.patch(url, json={"stock": 1}, headers=writer | {"If-Match": '"0.0"'}),
        await client.patch(tools, json={"parent_id": child["id"]}, headers=writer),
        await client.delete(tools, headers=writer),
        await client.delete(f"{API}/tags/ghost", headers=writer),
        await client.post(f"{API}/categories", json={"slug": "tools", "name": "T"}, headers=writer),
        await client.post(
            f"{API}/products/import",
            content="nothing,useful\n",
            headers=writer | {"Content-Type": "text/csv"},
        ),
    ]

    assert [response.json()["code"] for response in refused] == [
        "catalogue.sku_taken",
        "core.validation_failed",
        "catalogue.unknown_tag",
        "catalogue.version_mismatch",
        "catalogue.category_cycle",
        "catalogue.category_not_empty",
        "catalogue.tag_not_found",
        "catalogue.slug_taken",
        "catalogue.invalid_import_file",
    ]
    assert announced.new() == []


async def test_a_rolled_back_write_announces_nothing(app, client, announced):
    with pytest.raises(RuntimeError):
        async with kernel_of(app).database.unit_of_work() as uow:
            await create_category(uow, data=CategoryCreate(slug="tools", name="Tools"))
            raise RuntimeError("the caller's own work failed after the category was written")

    assert (await client.get(f"{API}/categories")).json() == []
    assert announced.new() == []


async def test_stock_moved_by_reservations_is_no_product_change(app, make_product, announced):
    product = await make_product("SP-1", stock=5)
    announced.new()

    async with kernel_of(app).database.unit_of_work() as uow:
        catalogue = Catalogue.of(kernel_of(app), uow)
        await catalogue.reserve_stocks(quantities={product["id"]: 2})
        await catalogue.release_stock(product_id=product["id"], quantity=1)

    assert announced.new() == []
