"""Enabling a module adds its routes, OpenAPI entries and lifespan; disabling removes them."""

from __future__ import annotations

from core.testing.kernel import kernel_of
from tests.fixture_modules.notes import plugin as notes_plugin
from tests.fixture_modules.variants import needs_notes


async def test_enabled_module_serves_and_documents_its_routes(mosaic_app, mosaic_client, notes):
    app = await mosaic_app({"notes": notes})
    client = await mosaic_client(app)

    assert (await client.get("/api/v1/notes/count")).json() == {"count": 0}
    assert "/api/v1/notes/{note_id}" in (await client.get("/openapi.json")).json()["paths"]


async def test_disabled_module_is_absent(mosaic_app, mosaic_client, notes):
    app = await mosaic_app({"notes": notes}, enabled=[])
    client = await mosaic_client(app)

    response = await client.get("/api/v1/notes/count")
    assert response.status_code == 404
    assert response.json()["code"] == "core.not_found"
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert not [path for path in paths if path.startswith("/api/v1/notes")]
    assert "/api/v1/errors" in paths


async def test_modules_start_in_dependency_order(mosaic_app, notes):
    app = await mosaic_app({"needs_notes": needs_notes, "notes": notes})

    assert kernel_of(app).enabled == ("notes", "needs_notes")


async def test_lifespans_run_at_start_and_stop(mosaic_app, mosaic_client, notes):
    notes_plugin.LIFESPAN_EVENTS.clear()
    app = await mosaic_app({"notes": notes})

    await mosaic_client(app)
    assert notes_plugin.LIFESPAN_EVENTS == ["notes:start"]


async def test_health(mosaic_app, mosaic_client):
    client = await mosaic_client(await mosaic_app({}))

    assert (await client.get("/health/live")).json() == {"status": "ok", "checks": {}}
    ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


async def test_readiness_fails_when_the_database_is_unreachable(mosaic_app, mosaic_client):
    # Port 1 on loopback: nothing listens, so the connection is refused at once.
    url = "postgresql+asyncpg://postgres@127.0.0.1:1/mosaic"
    app = await mosaic_app({}, env={"database_url": url, "db_pool_timeout": 2})
    client = await mosaic_client(app)

    response = await client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["code"] == "core.service_unavailable"
