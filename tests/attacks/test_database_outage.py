"""A database that is busy or down is an outage the client can retry: 503, never a 500."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import struct
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import make_url

from core.testing.databases import is_postgres
from core.testing.gate import Gate
from modules.users import plugin as users_plugin

BODY = {"email": "patient@example.com", "password": "correct horse battery"}
FAST_HASHING = {"argon2_memory_cost": 19456, "argon2_time_cost": 2, "argon2_parallelism": 1}


@pytest.fixture
def users_client(mosaic_app, mosaic_client):
    """Returns ``await users_client(**env)``: a client of the users module's app, built with the
    kernel settings ``env`` (another ``database_url``: a database server that is not there)."""

    async def build(**env: Any) -> httpx.AsyncClient:
        app = await mosaic_app({"users": users_plugin}, settings={"users": FAST_HASHING}, env=env)
        client: httpx.AsyncClient = await mosaic_client(app)
        return client

    return build


async def test_sqlite_locked_past_the_busy_timeout_answers_503(users_client, mosaic_database_url):
    if is_postgres(mosaic_database_url):
        pytest.skip("SQLite's write lock: PostgreSQL writers lock rows, not the database")
    client = await users_client(sqlite_busy_timeout_ms=100)
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


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1:1",  # nothing listens on port 1 of the loopback: refused at once
        "postgres.invalid:5432",  # a stopped compose service leaves Docker's DNS (RFC 6761)
    ],
    ids=["refused", "unresolved"],
)
async def test_an_unreachable_database_server_answers_503(users_client, host):
    client = await users_client(database_url=f"postgresql+asyncpg://postgres@{host}/mosaic")

    response = await client.post("/api/v1/users", json=BODY)

    assert response.status_code == 503
    assert response.json()["code"] == "core.service_unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert host.partition(":")[0] not in response.text


SSL_REQUEST = 80877103


async def _starting_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answers a connection as PostgreSQL does while it starts: FATAL 57P03 after the start-up."""
    length, code = struct.unpack("!II", await reader.readexactly(8))
    if code == SSL_REQUEST:
        writer.write(b"N")  # no TLS; the start-up message follows
        (length,) = struct.unpack("!I", await reader.readexactly(4))
        await reader.readexactly(length - 4)
    else:
        await reader.readexactly(length - 8)
    fields = b"SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0"
    writer.write(b"E" + struct.pack("!I", len(fields) + 4) + fields)
    await writer.drain()
    writer.close()


async def test_a_server_starting_or_stopping_answers_503(users_client):
    server = await asyncio.start_server(_starting_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        client = await users_client(
            database_url=f"postgresql+asyncpg://postgres@127.0.0.1:{port}/mosaic"
        )

        response = await client.post("/api/v1/users", json=BODY)
    finally:
        server.close()

    assert response.status_code == 503
    assert response.json()["code"] == "core.service_unavailable"
    assert int(response.headers["retry-after"]) > 0


UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:1/mosaic"


def outage_records(caplog: pytest.LogCaptureFixture, level: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "mosaic.database" and r.levelno == level]


async def test_an_outage_is_logged_once_with_its_cause_not_per_request(users_client, caplog):
    client = await users_client(database_url=UNREACHABLE)

    with caplog.at_level(logging.DEBUG, logger="mosaic"):
        responses = [await client.post("/api/v1/users", json=BODY) for _ in range(5)]

    assert [response.status_code for response in responses] == [503] * 5
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.name == "mosaic.database"
    assert "database unreachable, first in POST /api/v1/users" in error.getMessage()
    assert "Connect call failed" in error.getMessage()  # the cause
    assert len(outage_records(caplog, logging.DEBUG)) == 4


async def test_a_stopped_server_is_one_logged_outage_and_recovery_is_noted_once(
    users_client, mosaic_database_url, caplog
):
    if not is_postgres(mosaic_database_url):
        pytest.skip("a database server that stops and starts again: PostgreSQL")
    await users_client()  # migrates
    url = make_url(mosaic_database_url)
    gate = Gate(url.host or "127.0.0.1", url.port or 5432)
    await gate.open()
    relayed = url.set(host="127.0.0.1", port=gate.port).render_as_string(hide_password=False)
    client = await users_client(database_url=relayed)

    def register(n: int) -> Any:
        return client.post("/api/v1/users", json=BODY | {"email": f"user{n}@example.com"})

    with caplog.at_level(logging.DEBUG, logger="mosaic"):
        before = await register(0)
        await gate.shut()
        during = [await register(n) for n in range(1, 4)]
        await gate.open()
        after = await register(4)

    assert before.status_code == 201
    assert [response.status_code for response in during] == [503] * 3
    assert after.status_code == 201, after.text
    assert [r.levelno for r in caplog.records if r.levelno >= logging.ERROR] == [logging.ERROR]
    [back] = outage_records(caplog, logging.WARNING)
    assert "database reachable again after" in back.getMessage()
    assert "3 requests answered 503 meanwhile" in back.getMessage()
