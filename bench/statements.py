"""SQL statements (and CPU time) per request, counted in-process with ``core.testing.statements``.

The kernel's application is built with ``create_app`` over the seeded database; the bare app
(``bench/bare_app.py``) is counted the same way, and its statements for a page of 50 are compared
with the kernel's, text for text, to show both serve the list with the very same SQL.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.applications import BARE, KERNEL, TARGETS, application
from bench.config import (
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    LIST_PAGE,
    STATEMENT_PAGE_SIZES,
)
from bench.cpu import cpu_ms
from bench.in_process import client_of
from core.testing.kernel import kernel_of
from core.testing.statements import count_statements

LIST = "/api/v1/catalogue/products"


@dataclass(slots=True)
class StatementCounts:
    """Statements per request: the list by page size, the other scenarios, the SQL check."""

    database: str
    kernel_list: dict[int, int] = field(default_factory=dict)
    bare_list: dict[int, int] = field(default_factory=dict)
    others: dict[str, int] = field(default_factory=dict)
    same_sql: bool = False
    cpu_ms: dict[str, list[float]] = field(default_factory=dict)
    instructions: dict[str, float] = field(default_factory=dict)

    @property
    def constant(self) -> bool:
        """Whether the kernel's list costs the same number of statements at every page size."""
        return len(set(self.kernel_list.values())) == 1


async def measure(
    database: str,
    url: str,
    env: Mapping[str, str],
    product_id: int,
    *,
    rounds: int,
    requests: int,
) -> StatementCounts:
    """Counts the statements of each benchmarked request against the database at ``url``, and
    the CPU time per product list page of the kernel and of both bare apps (``bench.cpu``)."""
    counts = StatementCounts(database)
    kernel_app = application(KERNEL, url, env)
    engine: AsyncEngine = kernel_of(kernel_app).database.engine
    async with client_of(kernel_app) as client:
        kernel_sql = await _list_sizes(client, engine, counts.kernel_list)
        login = {"grant_type": "password", "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD}
        answer, counts.others["login"] = await _count(
            client, engine, "POST", "/api/v1/auth/token", data=login
        )
        headers = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        _, counts.others["me"] = await _count(
            client, engine, "GET", "/api/v1/users/me", headers=headers
        )
        _, counts.others["by_id"] = await _count(client, engine, "GET", f"{LIST}/{product_id}")
    bare = application(BARE, url, env)
    async with client_of(bare) as client:
        bare_sql = await _list_sizes(client, bare.state.engine, counts.bare_list)
    await bare.state.engine.dispose()
    counts.same_sql = kernel_sql == bare_sql
    counts.cpu_ms = await cpu_ms(
        {target: application(target, url, env) for target in TARGETS},
        f"{LIST}?limit={LIST_PAGE}",
        rounds=rounds,
        requests=requests,
    )
    return counts


async def _list_sizes(
    client: httpx.AsyncClient, engine: AsyncEngine, into: dict[int, int]
) -> list[str]:
    """Fills ``into`` with the statements of each page size; returns those of the usual page."""
    await client.get(LIST, params={"limit": 1})  # connect first: the pool's first use
    kept: list[str] = []
    for size in STATEMENT_PAGE_SIZES:
        with count_statements(engine) as log:
            answer = await client.get(LIST, params={"limit": size})
        _check(answer)
        into[size] = len(log)
        if size == LIST_PAGE:
            kept = list(log.statements)
    return kept


async def _count(
    client: httpx.AsyncClient, engine: AsyncEngine, method: str, path: str, **kwargs: object
) -> tuple[httpx.Response, int]:
    with count_statements(engine) as log:
        answer = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
    _check(answer)
    return answer, len(log)


def _check(answer: httpx.Response) -> None:
    if answer.status_code != 200:
        raise RuntimeError(f"{answer.request.url} answered {answer.status_code}: {answer.text}")
