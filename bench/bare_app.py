"""The catalogue's product list, written with FastAPI and SQLAlchemy alone: the baseline of the
kernel's overhead.

No kernel: no middleware, no Unit of Work, no authentication, no error contract, no metrics, no
logging. Every caller is anonymous. :func:`create_app` serves the list's whole interface: the
same ten query parameters with the same constraints, filters, sorts and keyset cursors, the same
SQL, and the same answers (``tests/bench/test_bare_app.py`` compares them with the catalogue's).
:func:`create_limit_only_app` takes ``limit`` alone, to show what parsing the other nine
parameters costs FastAPI. The engine gets the kernel's options (pool size, pre-ping, SQLite
pragmas) so the database side is identical. Serve it with::

    BENCH_DATABASE_URL=... uvicorn bench.bare_app:create_app_from_environment --factory
"""

import base64
import binascii
import gc
import json
import os
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Query
from sqlalchemy import ColumnElement, and_, event, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as create_engine
from sqlalchemy.orm import aliased, joinedload, selectinload

from bench.bare_schema import Category, Product, ProductPage, Status, Tag, product_tags, read

URL_VARIABLE = "BENCH_DATABASE_URL"
LIST_PATH = "/api/v1/catalogue/products"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURRENCY = "EUR"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PRICE = r"^[0-9]{1,10}(?:\.[0-9]{1,2})?$"
NO_NUL = r"^[^\x00]*$"
CURSOR = r"^[A-Za-z0-9_-]+$"


class Sort(StrEnum):
    """As ``ProductSort``: ``-`` means descending; ties are broken by id."""

    NAME = "name"
    NAME_DESC = "-name"
    PRICE = "price"
    PRICE_DESC = "-price"
    NEWEST = "newest"


SORT_KEYS: dict[Sort, tuple[Any, bool]] = {
    Sort.NAME: (Product.name, False),
    Sort.NAME_DESC: (Product.name, True),
    Sort.PRICE: (Product.price, False),
    Sort.PRICE_DESC: (Product.price, True),
    Sort.NEWEST: (Product.created_at, True),
}

SlugQuery = Annotated[str | None, Query(min_length=1, max_length=120, pattern=SLUG)]
PriceQuery = Annotated[str | None, Query(pattern=PRICE)]


def encode_cursor(sort: Sort, product: Product) -> str:
    """The catalogue's cursor: URL-safe base64 of ``{"id", "key", "sort"}``, unpadded."""
    key = getattr(product, SORT_KEYS[sort][0].key)
    text = key.isoformat() if isinstance(key, datetime) else str(key)
    raw = json.dumps({"sort": sort.value, "key": text, "id": product.id}, sort_keys=True)
    return base64.urlsafe_b64encode(raw.encode()).rstrip(b"=").decode("ascii")


def decode_cursor(token: str, sort: Sort) -> tuple[Any, int]:
    """Returns the sort key and id ``token`` names; 400 unless it was issued for ``sort``."""
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        if payload["sort"] != sort.value or type(payload["id"]) is not int or payload["id"] < 1:
            raise ValueError
        key = payload["key"]
        if sort in {Sort.PRICE, Sort.PRICE_DESC}:
            key = Decimal(key)
            if not key.is_finite():
                raise ValueError
        elif sort is Sort.NEWEST:
            key = datetime.fromisoformat(key)
        elif not isinstance(key, str):
            raise ValueError
    except (binascii.Error, ValueError, TypeError, KeyError, InvalidOperation, RecursionError):
        raise HTTPException(400, "Invalid cursor.") from None
    return key, payload["id"]


def _subtree_ids(slug: str) -> Any:
    """The ids of the category ``slug`` and of its descendants (one recursive CTE)."""
    tree = select(Category.id).where(Category.slug == slug).cte("subtree", recursive=True)
    child = aliased(Category)
    tree = tree.union(select(child.id).join(tree, child.parent_id == tree.c.id))
    return select(tree.c.id)


def engine_for(url: str) -> AsyncEngine:
    """The engine with the options the kernel gives its own (``core/db/engine.py``)."""
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(
            url,
            pool_size=10,
            max_overflow=10,
            pool_timeout=30,
            pool_recycle=1800,
            pool_pre_ping=True,
        )
    engine = create_engine(url)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()

    return engine


def _application(url: str) -> tuple[FastAPI, Callable[..., AsyncIterator[AsyncSession]]]:
    engine = engine_for(url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def session() -> AsyncIterator[AsyncSession]:
        # One session per request; closing it rolls the read-only transaction back.
        async with sessions() as opened:
            yield opened

    app = FastAPI()
    app.state.engine = engine
    return app, session


async def _page(
    db: AsyncSession, conditions: list[ColumnElement[bool]], sort: Sort, limit: int
) -> ProductPage:
    # The query of ``modules.catalogue.repository.browse``.
    column, descending = SORT_KEYS[sort]
    order = (column.desc(), Product.id.desc()) if descending else (column.asc(), Product.id.asc())
    statement = (
        select(Product)
        .where(*conditions)
        .order_by(*order)
        .limit(limit + 1)
        .options(joinedload(Product.category), selectinload(Product.tags))
    )
    found = (await db.scalars(statement)).unique().all()
    page = found[:limit]
    following = encode_cursor(sort, page[-1]) if len(found) > limit else None
    return ProductPage(items=[read(product, currency=CURRENCY) for product in page], next=following)


def create_app_from_environment() -> FastAPI:
    """The ``uvicorn --factory`` entry point: the whole list over ``$BENCH_DATABASE_URL``."""
    app = create_app(os.environ[URL_VARIABLE])
    # As the kernel does for its workers (`core.app.create_app_from_environment`): without it,
    # the ratio would count the collector's work on startup objects as the kernel's gain.
    gc.collect()
    gc.freeze()
    return app


def create_app(url: str) -> FastAPI:
    """Returns the product list over the database at ``url``, with every
    parameter of the catalogue's, for an anonymous caller."""
    app, session = _application(url)

    @app.get(LIST_PATH, response_model=ProductPage)
    async def list_products(
        *,
        db: Annotated[AsyncSession, Depends(session)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
        sort: Sort = Sort.NEWEST,
        cursor: Annotated[str | None, Query(min_length=1, max_length=1024, pattern=CURSOR)] = None,
        category: SlugQuery = None,
        tag: SlugQuery = None,
        min_price: PriceQuery = None,
        max_price: PriceQuery = None,
        in_stock: bool | None = None,
        status: Status | None = None,
        q: Annotated[str | None, Query(min_length=1, max_length=100, pattern=NO_NUL)] = None,
    ) -> ProductPage:
        if status not in {None, Status.ACTIVE}:
            raise HTTPException(403, "Only active products are listed.")
        conditions: list[ColumnElement[bool]] = [Product.status.in_([Status.ACTIVE.value])]
        if category is not None:
            conditions.append(Product.category_id.in_(_subtree_ids(category)))
        if tag is not None:
            tagged = select(product_tags.c.product_id).join(Tag, Tag.id == product_tags.c.tag_id)
            conditions.append(Product.id.in_(tagged.where(Tag.slug == tag)))
        if min_price is not None:
            conditions.append(Product.price >= Decimal(min_price))
        if max_price is not None:
            conditions.append(Product.price <= Decimal(max_price))
        if in_stock is not None:
            conditions.append(Product.stock > 0 if in_stock else Product.stock == 0)
        if q:
            conditions.append(Product.search_text.contains(q.casefold(), autoescape=True))
        if cursor is not None:
            column, descending = SORT_KEYS[sort]
            key, last = decode_cursor(cursor, sort)
            if descending:
                conditions.append(or_(column < key, and_(column == key, Product.id < last)))
            else:
                conditions.append(or_(column > key, and_(column == key, Product.id > last)))
        return await _page(db, conditions, sort, limit)

    return app


def create_limit_only_app(url: str) -> FastAPI:
    """Returns the same first page, newest first, taking ``limit`` alone."""
    app, session = _application(url)

    @app.get(LIST_PATH, response_model=ProductPage)
    async def list_products(
        db: Annotated[AsyncSession, Depends(session)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    ) -> ProductPage:
        return await _page(db, [Product.status.in_([Status.ACTIVE.value])], Sort.NEWEST, limit)

    return app
