"""PostgreSQL refusing a connection for too many connections (SQLSTATE 53300) is an outage the
client can retry, like an unreachable server: 503 ``core.service_unavailable``, never a 500."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy.engine import make_url

from core.testing.databases import is_postgres
from core.testing.kernel import kernel_of
from modules.users import plugin as users_plugin

BODY = {"email": "crowded@example.com", "password": "correct horse battery"}
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}


async def _connect(url: str) -> asyncpg.Connection:
    target = make_url(url)
    return await asyncpg.connect(
        host=target.host or "127.0.0.1",
        port=target.port or 5432,
        user=target.username or "postgres",
        password=target.password,
        database=target.database,
    )


@pytest.fixture
async def limited_role(mosaic_database_url: str) -> AsyncIterator[str]:
    """A throwaway login role allowed one connection (``CONNECTION LIMIT 1``) to the test
    database, with the rights the application needs; dropped after the test."""
    if not is_postgres(mosaic_database_url):
        pytest.skip("a role's CONNECTION LIMIT (SQLSTATE 53300) exists only on PostgreSQL")
    role = f"mosaic_limited_{uuid.uuid4().hex[:12]}"
    admin = await _connect(mosaic_database_url)
    try:
        await admin.execute(f"CREATE ROLE {role} LOGIN CONNECTION LIMIT 1")
        yield make_url(mosaic_database_url).set(username=role).render_as_string(hide_password=False)
    finally:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", role
        )
        await admin.execute(f"DROP OWNED BY {role}")
        await admin.execute(f"DROP ROLE {role}")
        await admin.close()


async def test_too_many_connections_answers_503_and_recovers(
    mosaic_app, mosaic_client, mosaic_database_url, limited_role
):
    await mosaic_app({"users": users_plugin}, settings={"users": FAST_HASHING})  # migrates
    role = make_url(limited_role).username
    admin = await _connect(mosaic_database_url)
    try:
        await admin.execute(
            f"GRANT USAGE ON SCHEMA public TO {role}; "
            f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}; "
            f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}"
        )
    finally:
        await admin.close()
    app = await mosaic_app(
        {"users": users_plugin},
        settings={"users": FAST_HASHING},
        env={"database_url": limited_role},
    )
    client = await mosaic_client(app)
    holder = await _connect(limited_role)  # another process holding the role's one connection
    try:
        crowded = await client.post("/api/v1/users", json=BODY)
    finally:
        await holder.close()
    after = await client.post("/api/v1/users", json=BODY)
    await kernel_of(app).database.dispose()

    assert crowded.status_code == 503, crowded.text
    assert crowded.json()["code"] == "core.service_unavailable"
    assert int(crowded.headers["retry-after"]) > 0
    assert role not in crowded.text
    assert after.status_code == 201, after.text
