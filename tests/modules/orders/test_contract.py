"""The module contract: routes documented, codes registered, migrations exact and reversible."""

from __future__ import annotations

from core.testing.contract import ModuleContract
from tests.modules.orders.conftest import API, orders_plugins
from tests.openapi_schemas import response_description


class TestOrdersContract(ModuleContract):
    module = "orders"
    # Built from only what orders need, like every test of the module.
    plugins = orders_plugins()


async def test_openapi_documents_what_each_route_raises(client):
    document = (await client.get("/openapi.json")).json()
    paths = document["paths"]

    def documented(path: str, method: str, status: str) -> str:
        return response_description(document, method, f"{API}{path}", status)

    assert "core.idempotency_key_missing" in documented("", "post", "400")
    assert "core.idempotency_in_flight" in documented("", "post", "409")
    assert "catalogue.out_of_stock" in documented("", "post", "409")
    assert "core.idempotency_key_reused" in documented("", "post", "422")
    assert "orders.empty_order" in documented("", "post", "422")
    header = [p for p in paths[API]["post"]["parameters"] if p["name"] == "Idempotency-Key"]
    assert header[0]["required"] is True
    for action in ("pay", "cancel", "fulfil", "refund"):
        assert "orders.version_mismatch" in documented(f"/{{order_id}}/{action}", "post", "412")
        assert "orders.precondition_required" in documented(
            f"/{{order_id}}/{action}", "post", "428"
        )
        assert "orders.illegal_transition" in documented(f"/{{order_id}}/{action}", "post", "409")
    assert "orders.order_not_found" in documented("/{order_id}", "get", "404")
    assert "core.insufficient_scope" in documented("/{order_id}/fulfil", "post", "403")
    assert "orders.user_filter_forbidden" in documented("", "get", "403")


async def test_manage_permission_is_declared(client):
    scopes = (await client.get("/openapi.json")).json()["components"]["securitySchemes"]
    password = next(iter(scopes.values()))["flows"]["password"]["scopes"]

    assert "orders:manage" in password
