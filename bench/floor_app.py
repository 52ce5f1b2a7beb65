"""The floor: the catalogue's product list and product by id, hand-written with Starlette, asyncpg
and orjson. No ORM, no validation, no middleware, no error contract: two statements and one
``orjson.dumps`` per request, the least Python can do to give the kernel's answer.

It answers with the kernel's bytes (``tests/modules/catalogue/test_bench_floor.py`` compares
them) for an anonymous caller's first pages: ``limit``, ``sort``, ``category``, ``tag``,
``min_price``, ``max_price`` and ``in_stock``, with the ``next`` cursor the kernel signs. It
takes no ``cursor`` and no ``q``, and checks nothing: a bad parameter is a 500. PostgreSQL only.
Serve it with::

    BENCH_DATABASE_URL=postgresql+asyncpg://... MOSAIC_SECRET_KEY=... \
        uvicorn bench.floor_app:create_app_from_environment --factory
"""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Any

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
_COLUMNS = """p.id, p.sku, p.slug, p.name, p.description, p.price::text AS price, p.stock,
    p.status, p.category_id, c.slug AS category_slug, c.name AS category_name, p.created_at,
    p.updated_at, p.version
    FROM catalogue_products p JOIN catalogue_categories c ON c.id = p.category_id"""
_TAGS = """SELECT pt.product_id, t.slug, t.name FROM catalogue_product_tags pt
    JOIN catalogue_tags t ON t.id = pt.tag_id
    WHERE pt.product_id = ANY($1::integer[]) ORDER BY pt.product_id, t.slug"""
_SUBTREE = """p.category_id IN (WITH RECURSIVE subtree(id) AS (
        SELECT id FROM catalogue_categories WHERE slug = ${n}
        UNION SELECT child.id FROM catalogue_categories child
        JOIN subtree ON child.parent_id = subtree.id)
    SELECT id FROM subtree)"""
_TAGGED = """p.id IN (SELECT pt.product_id FROM catalogue_product_tags pt
    JOIN catalogue_tags t ON t.id = pt.tag_id WHERE t.slug = ${n})"""
# Sort: (ORDER BY, the row's column the cursor resumes from, how to read it).
_ORDERS: dict[Sort, tuple[str, str, Callable[[Any], object]]] = {
    Sort.NAME: ("p.name ASC, p.id ASC", "name", str),
    Sort.NAME_DESC: ("p.name DESC, p.id DESC", "name", str),
    Sort.PRICE: ("p.price ASC, p.id ASC", "price", Decimal),
    Sort.PRICE_DESC: ("p.price DESC, p.id DESC", "price", Decimal),
    Sort.NEWEST: ("p.created_at DESC, p.id DESC", "created_at", lambda value: value),
}


def _item(row: asyncpg.Record, tags: list[dict[str, str]]) -> dict[str, Any]:
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
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


async def _tags(connection: asyncpg.Connection, ids: list[int]) -> dict[int, list[dict[str, str]]]:
    found: dict[int, list[dict[str, str]]] = {}
    for tag in await connection.fetch(_TAGS, ids):
        found.setdefault(tag["product_id"], []).append({"slug": tag["slug"], "name": tag["name"]})
    return found


def _json(content: object, headers: dict[str, str] | None = None) -> Response:
    body = orjson.dumps(content, option=orjson.OPT_UTC_Z)
    return Response(body, headers=headers, media_type="application/json")


def create_app(url: str, *, secret_key: str) -> Starlette:
    """Returns the floor over the PostgreSQL database at ``url`` (a SQLAlchemy or libpq URL);
    its cursors are signed with a key derived from ``secret_key``, as the kernel's are."""
    cursors = Cursors(secret_key)
    dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
    pools: list[asyncpg.Pool] = []

    async def list_products(request: Request) -> Response:
        params = request.query_params
        limit = int(params.get("limit", DEFAULT_PAGE_SIZE))
        sort = Sort(params.get("sort", Sort.NEWEST.value))
        conditions, values = ["p.status = 'active'"], list[object]()
        for name, condition, read in (
            ("category", _SUBTREE, str),
            ("tag", _TAGGED, str),
            ("min_price", "p.price >= ${n}", Decimal),
            ("max_price", "p.price <= ${n}", Decimal),
        ):
            if name in params:
                values.append(read(params[name]))
                conditions.append(condition.replace("{n}", str(len(values))))
        if "in_stock" in params:
            conditions.append("p.stock > 0" if params["in_stock"] == "true" else "p.stock = 0")
        order, key, read_key = _ORDERS[sort]
        values.append(limit + 1)
        query = (
            f"SELECT {_COLUMNS} WHERE {' AND '.join(conditions)}"
            f" ORDER BY {order} LIMIT ${len(values)}"
        )
        async with pools[0].acquire() as connection:
            rows = await connection.fetch(query, *values)
            shown = rows[:limit]
            tags = await _tags(connection, [row["id"] for row in shown])
        following = None
        if len(rows) > limit:
            last = shown[-1]
            following = cursors.after(sort, read_key(last[key]), last["id"])
        items = [_item(row, tags.get(row["id"], [])) for row in shown]
        return _json({"items": items, "next": following})

    async def read_product(request: Request) -> Response:
        product_id = int(request.path_params["product_id"])
        async with pools[0].acquire() as connection:
            row = await connection.fetchrow(
                f"SELECT {_COLUMNS} WHERE p.id = $1 AND p.status = 'active'",
                product_id,
            )
            if row is None:
                return Response(status_code=404)
            tags = await _tags(connection, [product_id])
        etag = f'"{product_id}.{row["version"]}"'
        return _json(_item(row, tags.get(product_id, [])), {"ETag": etag})

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        pools.append(await asyncpg.create_pool(dsn, min_size=1, max_size=POOL_SIZE))
        try:
            yield
        finally:
            await pools.pop().close()

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
