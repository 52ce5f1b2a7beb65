"""The audit trail of the catalogue: who changed a product, through the API and the dispatcher."""

from __future__ import annotations

import pytest

from core.testing.kernel import kernel_of
from core.testing.statements import count_statements
from modules.audit import plugin as audit_plugin
from modules.auth import plugin as auth_plugin
from modules.catalogue import plugin as catalogue_plugin
from modules.users import plugin as users_plugin
from tests.modules.audit.conftest import ENTRIES
from tests.modules.auth.conftest import FAST_HASHING

CATALOGUE = "/api/v1/catalogue"


@pytest.fixture
async def app(mosaic_app):
    plugins = {
        "users": users_plugin,
        "auth": auth_plugin,
        "catalogue": catalogue_plugin,
        "audit": audit_plugin,
    }
    return await mosaic_app(plugins, settings={"users": FAST_HASHING})


async def test_a_price_change_is_recorded_with_its_editor(app, client, auditor, deliver_events):
    editor = (await client.get("/api/v1/users/me", headers=auditor)).json()["id"]
    category = await client.post(
        f"{CATALOGUE}/categories", json={"slug": "tools", "name": "Tools"}, headers=auditor
    )
    body = {"sku": "HAM-1", "slug": "hammer", "name": "Hammer", "price": "12.50"}
    product = await client.post(
        f"{CATALOGUE}/products", json=body | {"category_id": category.json()["id"]}, headers=auditor
    )
    product_id = product.json()["id"]
    with count_statements(kernel_of(app).database.engine) as statements:
        changed = await client.patch(
            f"{CATALOGUE}/products/{product_id}",
            json={"price": "13.90"},
            headers={**auditor, "X-Request-ID": "req-price-1"},
        )

    await deliver_events(app)
    entries = await client.get(ENTRIES, headers=auditor, params={"module": "catalogue"})

    assert changed.status_code == 200, changed.text
    # The change writes its publication for the audit trail in one INSERT of its own.
    publications = [s for s in statements.statements if "core_event_publications" in s]
    assert len(publications) == 1 and publications[0].startswith("INSERT"), publications
    newest, *older = entries.json()["items"]
    assert newest["event_type"] == "catalogue.product_changed.v1"
    assert newest["actor"] == editor
    assert newest["request_id"] == "req-price-1"
    assert newest["payload"] == {"product_id": product_id, "sku": "HAM-1", "fields": ["price"]}
    assert [(entry["event_type"], entry["actor"]) for entry in older] == [
        ("catalogue.product_created.v1", editor),
        ("catalogue.category_created.v1", editor),
    ]


async def test_a_refused_change_leaves_no_entry(app, client, auditor, deliver_events):
    refused = await client.post(
        f"{CATALOGUE}/categories",
        json={"slug": "tools", "name": "Tools", "parent_id": 99},
        headers=auditor,
    )

    await deliver_events(app)

    assert refused.json()["code"] == "catalogue.unknown_category"
    assert (await client.get(ENTRIES, headers=auditor)).json()["items"] == []
