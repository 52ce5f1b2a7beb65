"""A database that is busy or down is an outage the client can retry: 503, never a 500."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy.engine import make_url

from core.testing.databases import is_postgres
from modules.users import plugin as users_plugin

BODY = {"email": "patient@example.com", "password": "correct horse battery"}
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}


async def test_sqlite_locked_past_the_busy_timeout_answers_503(
    mosaic_app, mosaic_client, mosaic_database_url
):
    if is_postgres(mosaic_database_url):
        pytest.skip("SQLite's write lock: PostgreSQL writers lock rows, not the database")
    app = await mosaic_app(
        {"users": users_plugin},
        settings={"users": FAST_HASHING},
        env={"sqlite_busy_timeout_ms": 100},
    )
    client = await mosaic_client(app)
    holder = sqlite3.connect(str(make_url(mosaic_database_url).database), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process writing, and taking its time
    try:
        response = await client.post("/api/v1/users", json=BODY)
    finally:
        holder.execute("ROLLBACK")
        holder.close()

    assert response.status_code == 503
    assert response.json()["code"] == "core.database_timeout"
    assert int(response.headers["retry-after"]) > 0
    assert (await client.post("/api/v1/users", json=BODY)).status_code == 201


async def test_an_unreachable_database_server_answers_503(mosaic_app, mosaic_client):
    # Nothing listens on port 1 of the loopback: connections are refused at once.
    app = await mosaic_app(
        {"users": users_plugin},
        settings={"users": FAST_HASHING},
        env={"database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/mosaic"},
    )
    client = await mosaic_client(app)

    response = await client.post("/api/v1/users", json=BODY)

    assert response.status_code == 503
    assert response.json()["code"] == "core.service_unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert "127.0.0.1" not in response.text
