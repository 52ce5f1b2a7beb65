"""Checkout: a 3-line order on PostgreSQL, its throughput and latency with 2 workers, and the
statements of one checkout as its number of lines grows.

    .venv/bin/python bench/checkout.py [--seconds S] [--connections C]

A fresh PostgreSQL database is migrated and seeded as ``bench/run.py`` does (the catalogue's
10,000 products, the administrator), with the stock of the ordered products raised so that no
checkout runs out. The administrator places every order (an active account, logged in through
the password flow). ``mosaic serve --workers 2`` serves ``plugins.toml``'s modules (``orders``,
and ``audit``, which records every ``orders.placed``); wrk posts 3-line orders, each with an
``Idempotency-Key`` of its own. The statements are counted in-process (``core.testing.statements``)
for orders of 1, 3, 10 and 20 lines, with a real token, background delivery off (what it
delivers after commit is per order, not per line). Prints Markdown tables, and the load
average before and after (the machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.applications import KERNEL, application
from bench.config import ADMIN_EMAIL, ADMIN_PASSWORD, base_environment
from bench.databases import fresh_postgres
from bench.in_process import client_of
from bench.load import _DONE, Sample, Scenario, run_wrk
from bench.seed import prepare
from bench.servers import serving_target
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements

ORDERS = "/api/v1/orders"
LINE_COUNTS = (1, 3, 10, 20)
ORDERED = 20  # products 1..20 are ordered; their stock is raised so none runs out
STOCK = 1_000_000_000
WORKERS = 2
SEQUENTIAL = 30


def _body(lines: int) -> str:
    return json.dumps({"lines": [{"product_id": i, "quantity": 1} for i in range(1, lines + 1)]})


def checkout_scenario(token: str, lines: int = 3) -> Scenario:
    """``POST /api/v1/orders`` with a ``lines``-line order and a fresh Idempotency-Key per
    request."""
    script = f"""
local counter = 0
local threads = 0
setup = function(thread) threads = threads + 1; thread:set("thread_id", threads) end
init = function(args) math.randomseed(os.time() * 1000 + (thread_id or 0)) end
request = function()
  counter = counter + 1
  local key = string.format('"bench-%d-%d-%d"', thread_id or 0, math.random(1, 2^30), counter)
  return wrk.format("POST", "{ORDERS}", {{
    ["Authorization"] = "Bearer {token}",
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = key,
  }}, {json.dumps(_body(lines))})
end
"""
    return Scenario("checkout", f"checkout ({lines} lines)", ORDERS, script + _DONE)


async def _raise_stock(url: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(
                text(
                    "UPDATE catalogue_products SET stock = :stock, status = 'active' WHERE id <= :n"
                ),
                {"stock": STOCK, "n": ORDERED},
            )
    finally:
        await engine.dispose()


async def _statements(url: str, env: dict[str, str]) -> tuple[dict[int, int], float, float]:
    """Statements of one checkout of each size in ``LINE_COUNTS``, with a real token; then the
    wall and CPU milliseconds of a 3-line checkout, one request at a time, in-process."""
    # The in-process application reads what `kernel_settings` does not pass from the process's
    # environment: no background delivery or jobs, whose statements (audit's entry of each
    # order, after commit) would be counted too.
    os.environ.update(MOSAIC_EVENTS_DISPATCH="false", MOSAIC_JOBS_ENABLED="false")
    app = application(KERNEL, url, env)
    engine = kernel_of(app).database.engine
    counts: dict[int, int] = {}
    async with client_of(app) as client:
        login = {"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        token = (await client.post("/api/v1/auth/token", data=login)).json()["access_token"]
        for index, lines in enumerate((1, *LINE_COUNTS)):  # the first one warms the pool up
            headers = {
                "Authorization": f"Bearer {token}",
                "Content-Type": "application/json",
                "Idempotency-Key": f'"statements-{index}"',
            }
            with count_statements(engine) as log:
                answer = await client.post(ORDERS, content=_body(lines), headers=headers)
            if answer.status_code != 201:
                raise RuntimeError(f"checkout answered {answer.status_code}: {answer.text}")
            if index:
                counts[lines] = len(log)
        started, cpu = time.perf_counter(), time.process_time()
        for index in range(SEQUENTIAL):
            headers["Idempotency-Key"] = f'"sequential-{index}"'
            answer = await client.post(ORDERS, content=_body(3), headers=headers)
            if answer.status_code != 201:
                raise RuntimeError(f"checkout answered {answer.status_code}: {answer.text}")
        wall_ms = (time.perf_counter() - started) / SEQUENTIAL * 1000
        cpu_ms = (time.process_time() - cpu) / SEQUENTIAL * 1000
    return counts, wall_ms, cpu_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--runs", type=int, default=3)
    arguments = parser.parse_args()
    env = base_environment()
    samples: list[Sample] = []
    before = os.getloadavg()
    with fresh_postgres() as database, tempfile.TemporaryDirectory() as workdir:
        prepare(database.url, env)
        asyncio.run(_raise_stock(database.url))
        statements, wall_ms, cpu_ms = asyncio.run(_statements(database.url, env))
        log = Path(workdir) / "server.log"
        with serving_target(KERNEL, WORKERS, url=database.url, env=env, log=log) as server:
            server.wait_ready()
            scenario = checkout_scenario(server.token())
            options = {"workdir": Path(workdir), "threads": 2, "connections": arguments.connections}
            run_wrk(server.base, scenario, seconds=2, **options)  # warm-up
            for _ in range(arguments.runs):
                samples.append(run_wrk(server.base, scenario, seconds=arguments.seconds, **options))
    after = os.getloadavg()
    print(f"load average (1, 5, 15 min) before: {before}, after: {after}")
    print()
    print("| scenario | database | workers | connections | run | req/s | p50 ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for run, sample in enumerate(samples, 1):
        print(
            f"| checkout (3 lines) | PostgreSQL | {WORKERS} | {arguments.connections} | {run} | "
            f"{sample.rps:.0f} | {sample.p50_ms:.1f} | {sample.p99_ms:.1f} |"
        )
    print()
    print("| lines per order | " + " | ".join(str(lines) for lines in statements) + " |")
    print("|---|" + "---:|" * len(statements))
    print("| statements per checkout | " + " | ".join(map(str, statements.values())) + " |")
    print()
    print(
        f"One 3-line checkout at a time, in-process: {wall_ms:.1f} ms wall, "
        f"{cpu_ms:.1f} ms CPU of this process, per checkout ({SEQUENTIAL} checkouts)."
    )


if __name__ == "__main__":
    main()
