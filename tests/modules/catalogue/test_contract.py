"""The module contract: routes documented, codes registered, migrations exact and reversible."""

from __future__ import annotations

from core.testing.contract import ModuleContract
from tests.modules.catalogue.conftest import API, catalogue_plugins
from tests.openapi_schemas import response_description

EXPECTED_CODES = {
    "catalogue.product_not_found",
    "catalogue.category_not_found",
    "catalogue.tag_not_found",
    "catalogue.sku_taken",
    "catalogue.slug_taken",
    "catalogue.out_of_stock",
    "catalogue.category_not_empty",
    "catalogue.category_cycle",
    "core.invalid_cursor",
    "catalogue.version_mismatch",
    "catalogue.status_filter_forbidden",
    "catalogue.invalid_import_file",
    "catalogue.import_too_large",
    "catalogue.unknown_category",
    "catalogue.unknown_tag",
    "catalogue.category_tree_corrupt",
}


class TestCatalogueContract(ModuleContract):
    module = "catalogue"
    # Built from only what the catalogue needs, like every test of the module.
    plugins = catalogue_plugins()


async def test_every_code_is_in_the_catalogue(client):
    listed = {entry["code"] for entry in (await client.get("/api/v1/errors")).json()}

    assert listed >= EXPECTED_CODES
    assert "catalogue.invalid_cursor" not in listed  # the kernel's code replaced it


async def test_openapi_documents_what_each_route_raises(client):
    document = (await client.get("/openapi.json")).json()
    paths = document["paths"]

    def documented(path: str, method: str, status: str) -> str:
        return response_description(document, method, f"{API}{path}", status)

    assert "core.invalid_cursor" in documented("/products", "get", "400")
    assert "catalogue.status_filter_forbidden" in documented("/products", "get", "403")
    assert "catalogue.product_not_found" in documented("/products/{product_id}", "get", "404")
    assert "304" in paths[f"{API}/products/{{product_id}}"]["get"]["responses"]
    assert "catalogue.version_mismatch" in documented("/products/{product_id}", "patch", "412")
    assert "core.insufficient_scope" in documented("/products/{product_id}", "patch", "403")
    assert "catalogue.sku_taken" in documented("/products", "post", "409")
    assert "catalogue.category_cycle" in documented("/categories/{category_id}", "patch", "409")
    assert "catalogue.category_tree_corrupt" in documented(
        "/categories/{category_id}", "get", "500"
    )
    assert "catalogue.category_tree_corrupt" in documented("/categories/tree", "get", "500")
    assert "catalogue.category_not_empty" in documented(
        "/categories/{category_id}", "delete", "409"
    )
    assert "catalogue.invalid_import_file" in documented("/products/import", "post", "400")
    assert "catalogue.sku_taken" in documented("/products/import", "post", "409")
    assert "catalogue.version_mismatch" in documented("/products/import", "post", "412")
    body = paths[f"{API}/products/import"]["post"]["requestBody"]["content"]
    assert set(body) == {"text/csv; charset=utf-8", "multipart/form-data"}


async def test_write_permission_is_declared(client):
    scopes = (await client.get("/openapi.json")).json()["components"]["securitySchemes"]
    password = next(iter(scopes.values()))["flows"]["password"]["scopes"]

    assert "catalogue:write" in password
