"""The floor: the catalogue's product list and product by id, hand-written with Starlette, asyncpg
(or aiosqlite) and orjson. No ORM, no validation, no middleware, no error contract: two
statements and one ``orjson.dumps`` per request, the least Python can do to give the kernel's
answer.

It answers with the kernel's bytes (``tests/modules/catalogue/test_bench_floor.py`` compares
them) for an anonymous caller's first pages: ``limit``, ``sort``, ``category``, ``tag``,
``min_price``, ``max_price`` and ``in_stock``, with the ``next`` cursor the kernel signs. It
takes no ``cursor`` and no ``q``, and checks nothing: a bad parameter is a 500. On SQLite it
holds one connection, and turns the stored text of each timestamp into a UTC timestamp, which
asyncpg does in C. Serve it with::

    BENCH_DATABASE_URL=postgresql+asyncpg://... MOSAIC_SECRET_KEY=... \
        uvicorn bench.floor_app:create_app_from_environment --factory
"""

from __future__ import annotations

import gc
import os
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any

import aiosqlite
import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.bare_app import (
    CURRENCY,
    DEFAULT_PAGE_SIZE,
    LIST_PATH,
    SECRET_VARIABLE,
    URL_VARIABLE,
    Cursors,
    Sort,
)

POOL_SIZE = 10
_COLUMNS = """p.id, p.sku, p.slug, p.name, p.description, {price} AS price, p.stock,
    p.status, p.category_id, c.slug AS category_slug, c.name AS category_name, p.created_at,
    p.updated_at, p.version
    FROM catalogue_products p JOIN catalogue_categories c ON c.id = p.category_id"""
_TAGS = """SELECT pt.product_id, t.slug, t.name FROM catalogue_product_tags pt
    JOIN catalogue_tags t ON t.id = pt.tag_id
    WHERE pt.product_id {of_ids} ORDER BY pt.product_id, t.slug"""
_SUBTREE = """p.category_id IN (WITH RECURSIVE subtree(id) AS (
        SELECT id FROM catalogue_categories WHERE slug = {p}
        UNION SELECT child.id FROM catalogue_categories child
        JOIN subtree ON child.parent_id = subtree.id)
    SELECT id FROM subtree)"""
_TAGGED = """p.id IN (SELECT pt.product_id FROM catalogue_product_tags pt
    JOIN catalogue_tags t ON t.id = pt.tag_id WHERE t.slug = {p})"""


# Runs one statement with its values on the connection a request holds.
Fetch = Callable[[Any, str, list[object]], Awaitable[list[Any]]]


@dataclass(frozen=True, slots=True)
class _Dialect:
    """What the SQL and its values look like on one database."""

    price: str  # the price as text with its two decimals
    placeholder: Callable[[int], str]  # of the n-th value, from 1
    of_ids: Callable[[int], str]  # `product_id` among that many ids, the first value
    ids: Callable[[list[int]], list[object]]  # the values of `of_ids`
    number: Callable[[Decimal], object]  # a price bound as the driver takes it
    # A timestamp as the driver reads it, in UTC; None: the driver's is (asyncpg's).
    when: Callable[[Any], datetime] | None
    fetch: Fetch


_POSTGRES = _Dialect(
    price="p.price::text",
    placeholder=lambda n: f"${n}",
    of_ids=lambda _count: "= ANY($1::integer[])",
    ids=lambda ids: [ids],
    number=lambda value: value,
    when=None,
    fetch=lambda held, query, values: held.fetch(query, *values),
)
# SQLite keeps a number of the price and the text of a naive UTC timestamp.
_SQLITE = _Dialect(
    price="printf('%.2f', p.price)",
    placeholder=lambda _n: "?",
    of_ids=lambda count: f"IN ({', '.join('?' * count)})",
    ids=list,
    number=float,
    when=lambda value: datetime.fromisoformat(value).replace(tzinfo=UTC),
    fetch=lambda held, query, values: held.execute_fetchall(query, values),
)


# A database opened for the application's life lends each request a connection.
Connections = Callable[[], AbstractAsyncContextManager[Any]]


@asynccontextmanager
async def _postgres(dsn: str) -> AsyncIterator[Connections]:
    async with asyncpg.create_pool(dsn, min_size=1, max_size=POOL_SIZE) as pool:
        yield pool.acquire


@asynccontextmanager
async def _sqlite(path: str) -> AsyncIterator[Connections]:
    async with aiosqlite.connect(path) as held:
        held.row_factory = sqlite3.Row
        yield lambda: nullcontext(held)


# Sort: (ORDER BY, the row's column the cursor resumes from, how to read it).
_ORDERS: dict[Sort, tuple[str, str, Callable[[Any], object]]] = {
    Sort.NAME: ("p.name ASC, p.id ASC", "name", str),
    Sort.NAME_DESC: ("p.name DESC, p.id DESC", "name", str),
    Sort.PRICE: ("p.price ASC, p.id ASC", "price", Decimal),
    Sort.PRICE_DESC: ("p.price DESC, p.id DESC", "price", Decimal),
    Sort.NEWEST: ("p.created_at DESC, p.id DESC", "created_at", lambda value: value),
}


def _item(
    row: Any, tags: list[dict[str, str]], when: Callable[[Any], datetime] | None
) -> dict[str, Any]:
    # The keys in the order of the kernel's ``ProductRead``.
    return {
        "id": row["id"],
        "sku": row["sku"],
        "slug": row["slug"],
        "name": row["name"],
        "description": row["description"],
        "price": row["price"],
        "currency": CURRENCY,
        "stock": row["stock"],
        "status": row["status"],
        "category": {
            "id": row["category_id"],
            "slug": row["category_slug"],
            "name": row["category_name"],
        },
        "tags": tags,
        "created_at": row["created_at"] if when is None else when(row["created_at"]),
        "updated_at": row["updated_at"] if when is None else when(row["updated_at"]),
    }


async def _tags(held: Any, dialect: _Dialect, ids: list[int]) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = {}
    query = _TAGS.format(of_ids=dialect.of_ids(len(ids)))
    for tag in await dialect.fetch(held, query, dialect.ids(ids)):
        found.setdefault(tag["product_id"], []).append({"slug": tag["slug"], "name": tag["name"]})
    return found


def _sort_key(dialect: _Dialect, key: str, value: Any, read: Callable[[Any], object]) -> object:
    if key == "created_at" and dialect.when is not None:
        return dialect.when(value)
    return read(value)


def _json(content: object, headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps(content, option=orjson.OPT_UTC_Z)
    return Response(body, headers=headers, media_type="application/json")


def create_app(url: str, *, secret_key: str) -> Starlette:
    """Returns the floor over the PostgreSQL or SQLite database at ``url`` (a SQLAlchemy URL);
    its cursors are signed with a key derived from ``secret_key``, as the kernel's are."""
    cursors = Cursors(secret_key)
    if url.startswith("sqlite+aiosqlite:///"):
        opened, dialect = partial(_sqlite, url.removeprefix("sqlite+aiosqlite:///")), _SQLITE
    else:
        opened = partial(_postgres, url.replace("postgresql+asyncpg://", "postgresql://", 1))
        dialect = _POSTGRES
    lend: list[Connections] = []
    columns = _COLUMNS.format(price=dialect.price)

    async def list_products(request: Request) -> Response:
        params = request.query_params
        limit = int(params.get("limit", DEFAULT_PAGE_SIZE))
        sort = Sort(params.get("sort", Sort.NEWEST.value))
        conditions, values = ["p.status = 'active'"], list[object]()
        for name, condition, read in (
            ("category", _SUBTREE, str),
            ("tag", _TAGGED, str),
            ("min_price", "p.price >= {p}", lambda text: dialect.number(Decimal(text))),
            ("max_price", "p.price <= {p}", lambda text: dialect.number(Decimal(text))),
        ):
            if name in params:
                values.append(read(params[name]))
                conditions.append(condition.format(p=dialect.placeholder(len(values))))
        if "in_stock" in params:
            conditions.append("p.stock > 0" if params["in_stock"] == "true" else "p.stock = 0")
        order, key, read_key = _ORDERS[sort]
        values.append(limit + 1)
        query = (
            f"SELECT {columns} WHERE {' AND '.join(conditions)}"
            f" ORDER BY {order} LIMIT {dialect.placeholder(len(values))}"
        )
        async with lend[0]() as held:
            rows = await dialect.fetch(held, query, values)
            shown = rows[:limit]
            tags = await _tags(held, dialect, [row["id"] for row in shown])
        following = None
        if len(rows) > limit:
            last = shown[-1]
            following = cursors.after(
                sort, _sort_key(dialect, key, last[key], read_key), last["id"]
            )
        items = [_item(row, tags.get(row["id"], []), dialect.when) for row in shown]
        return _json({"items": items, "next": following})

    async def read_product(request: Request) -> Response:
        product_id = int(request.path_params["product_id"])
        query = f"SELECT {columns} WHERE p.id = {dialect.placeholder(1)} AND p.status = 'active'"
        async with lend[0]() as held:
            found = await dialect.fetch(held, query, [product_id])
            if not found:
                return Response(status_code=404)
            row = found[0]
            tags = await _tags(held, dialect, [product_id])
        etag = f'"{product_id}.{row["version"]}"'
        return _json(_item(row, tags.get(product_id, []), dialect.when), {"ETag": etag})

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        async with opened() as connections:
            lend.append(connections)
            try:
                yield
            finally:
                lend.pop()

    routes = [
        Route(LIST_PATH, list_products),
        Route(LIST_PATH + "/{product_id:int}", read_product),
    ]
    return Starlette(routes=routes, lifespan=lifespan)


def create_app_from_environment() -> Starlette:
    """The ``uvicorn --factory`` entry point: the floor over ``$BENCH_DATABASE_URL``."""
    app = create_app(os.environ[URL_VARIABLE], secret_key=os.environ[SECRET_VARIABLE])
    gc.collect()
    gc.freeze()  # as the kernel's workers do
    return app
