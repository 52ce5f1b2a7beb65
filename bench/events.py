"""What publishing an event costs a write: statements, and requests per second, side by side.

    .venv/bin/python bench/events.py [--requests N] [--rounds R]

A tiny module (``ledger``) serves ``POST /api/v1/ledger/plain`` (insert one row) and
``POST /api/v1/ledger/announced`` (insert one row and publish ``ledger.entry_added`` to two
after-commit listeners). Both are called through httpx's ASGI transport, in alternating rounds,
on a fresh SQLite file and a fresh PostgreSQL database; background delivery is off, so only the
publishing side is measured. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import httpx
from fastapi import APIRouter, status
from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from bench.databases import BenchDatabase, fresh_postgres, fresh_sqlite
from core import Delivery, Event, Kernel, Listener, Module, Settings, hookimpl
from core.alembic_branches import operations
from core.app import build_app
from core.config.plugins_file import parse_plugins_document
from core.db import UoW
from core.testing.statements import count_statements

metadata = MetaData()
entries = Table(
    "ledger_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("label", String(40)),
)


class EntryAdded(Event):
    """An entry was added to the ledger."""

    event_name = "ledger.entry_added"

    label: str


async def _nothing(_delivery: Delivery[EntryAdded]) -> None:
    return None


router = APIRouter(prefix="/ledger")


@router.post("/plain", status_code=status.HTTP_204_NO_CONTENT)
async def plain(uow: UoW) -> None:
    await uow.session.execute(insert(entries).values(label="plain"))


@router.post("/announced", status_code=status.HTTP_204_NO_CONTENT)
async def announced(uow: UoW) -> None:
    await uow.session.execute(insert(entries).values(label="announced"))
    await uow.publish(EntryAdded(label="announced"))


def _plugin() -> object:
    listeners = [
        Listener(EntryAdded, _nothing, name="ledger.first"),
        Listener(EntryAdded, _nothing, name="ledger.second"),
    ]
    module = Module(
        name="ledger",
        version="0",
        description="Bench ledger.",
        routers=[router],
        events=[EntryAdded],
        listeners=listeners,
    )
    return SimpleNamespace(mosaic_describe_module=hookimpl(lambda: module))


async def _measure(database: BenchDatabase, requests: int, rounds: int) -> dict[str, Any]:
    config = parse_plugins_document({"modules": {"enabled": ["ledger"]}}, path=None, environ={})
    settings = Settings(database_url=database.url, events_dispatch=False, metrics_enabled=False)
    kernel = Kernel.load(settings, config=config, plugins={"ledger": _plugin()})
    engine = kernel.database.engine
    async with engine.begin() as connection:
        await connection.run_sync(lambda sync: operations.upgrade(kernel, sync))
        await connection.run_sync(metadata.create_all)
    app = build_app(kernel)
    transport = httpx.ASGITransport(app=app)
    statements: dict[str, int] = {}
    rates: dict[str, list[float]] = {"plain": [], "announced": []}
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for path in rates:
            with count_statements(engine) as log:
                assert (await client.post(f"/api/v1/ledger/{path}")).status_code == 204
            statements[path] = len(log)
        for index in range(rounds):
            order: Sequence[str] = (
                ("plain", "announced") if index % 2 == 0 else ("announced", "plain")
            )
            for path in order:
                started = time.perf_counter()
                for _ in range(requests):
                    await client.post(f"/api/v1/ledger/{path}")
                rates[path].append(requests / (time.perf_counter() - started))
    await kernel.database.dispose()
    plain_rate = statistics.median(rates["plain"])
    announced_rate = statistics.median(rates["announced"])
    return {
        "database": database.label,
        "statements": statements,
        "plain": plain_rate,
        "announced": announced_rate,
        "ratios": [a / p for a, p in zip(rates["announced"], rates["plain"], strict=True)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=6)
    arguments = parser.parse_args()
    rows = []
    with fresh_sqlite() as sqlite:
        rows.append(asyncio.run(_measure(sqlite, arguments.requests, arguments.rounds)))
    with fresh_postgres() as postgres:
        rows.append(asyncio.run(_measure(postgres, arguments.requests, arguments.rounds)))
    print(
        "| database | statements without / with the event | req/s without | req/s with "
        "| ratio (median of rounds) |"
    )
    print("|---|---|---|---|---|")
    for row in rows:
        counts = row["statements"]
        print(
            f"| {row['database']} | {counts['plain']} / {counts['announced']} | "
            f"{row['plain']:.0f} | {row['announced']:.0f} | "
            f"{statistics.median(row['ratios']):.2f} |"
        )


if __name__ == "__main__":
    main()
