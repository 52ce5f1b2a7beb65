"""The PostgreSQL pool: a connection the server closed is replaced before a request gets it."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from core.testing.databases import is_postgres


@pytest.fixture
async def client(mosaic_app, mosaic_client, mosaic_database_url, notes):
    if not is_postgres(mosaic_database_url):
        pytest.skip("SQLite has no server to close a connection")
    return await mosaic_client(await mosaic_app({"notes": notes}))


async def _terminate_other_backends(url: str) -> int:
    """Ends every other session on the test database, as a server restart does."""
    target = make_url(url)
    admin = await asyncpg.connect(
        host=target.host, port=target.port, user=target.username, database=target.database
    )
    try:
        ended = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()
    await asyncio.sleep(0.2)  # the closed sockets reach the event loop
    return int(ended)


async def test_a_connection_the_server_closed_costs_no_request(client, mosaic_database_url):
    assert (await client.get("/api/v1/notes/count")).status_code == 200
    assert await _terminate_other_backends(mosaic_database_url) >= 1

    response = await client.get("/api/v1/notes/count")

    assert response.status_code == 200, response.text
    assert response.json() == {"count": 0}
