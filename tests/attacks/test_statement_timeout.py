"""A statement that never ends must not hold a worker: PostgreSQL cancels it, the client gets a
503 it can retry.

Before the statement timeout, a query looping over a corrupt category tree ran until someone
killed it, and its request never answered.
"""

from __future__ import annotations

import pytest
from fastapi import APIRouter
from sqlalchemy import text

from core.db import UoW
from core.testing.databases import is_postgres
from tests.fixture_modules.factory import make_plugin

router = APIRouter(prefix="/slow", tags=["slow"])


@router.get("/sleep")
async def sleep(uow: UoW) -> dict[str, str]:
    """Sleeps one second in the database, then says what timeout the connection had."""
    await uow.session.execute(text("SELECT pg_sleep(1)"))
    return {"statement_timeout": str(await uow.session.scalar(text("SHOW statement_timeout")))}


@router.get("/broken")
async def broken(uow: UoW) -> None:
    """Fails in the database for another reason than time (or a missing table: that is 503)."""
    await uow.session.execute(text("SELECT no_such_function()"))


@pytest.fixture
def postgres(mosaic_database_url):
    if not is_postgres(mosaic_database_url):
        pytest.skip("SQLite has no statement timeout")


@pytest.fixture
def slow_app(mosaic_app):
    async def build(**env):
        return await mosaic_app({"slow": make_plugin("slow", routers=[router])}, env=env)

    return build


async def test_postgres_connections_carry_the_statement_timeout(postgres, slow_app, mosaic_client):
    default = await mosaic_client(await slow_app())
    unset = await mosaic_client(await slow_app(db_statement_timeout_ms=0))

    assert (await default.get("/api/v1/slow/sleep")).json() == {"statement_timeout": "30s"}
    assert (await unset.get("/api/v1/slow/sleep")).json() == {"statement_timeout": "0"}


async def test_a_statement_over_the_timeout_answers_503_with_retry_after(
    postgres, slow_app, mosaic_client
):
    client = await mosaic_client(await slow_app(db_statement_timeout_ms=100))

    response = await client.get("/api/v1/slow/sleep")

    assert response.status_code == 503
    assert response.json()["code"] == "core.database_timeout"
    assert response.headers["retry-after"] == "5"
    # The cancelled transaction was rolled back: its connection serves the next request.
    assert (await client.get("/api/v1/slow/sleep")).status_code == 503


async def test_other_database_failures_stay_500(slow_app, mosaic_client):
    client = await mosaic_client(await slow_app(db_statement_timeout_ms=100))

    response = await client.get("/api/v1/slow/broken")

    assert response.status_code == 500
    assert response.json()["code"] == "core.internal_error"
    assert "retry-after" not in response.headers


async def test_openapi_documents_the_503_of_routes_using_the_database(slow_app, mosaic_client):
    client = await mosaic_client(await slow_app())

    paths = (await client.get("/openapi.json")).json()["paths"]

    assert (
        "core.database_timeout"
        in paths["/api/v1/slow/sleep"]["get"]["responses"]["503"]["description"]
    )
