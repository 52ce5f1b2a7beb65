"""The catalogue's product list, written with FastAPI and SQLAlchemy alone: the baseline of the
kernel's overhead.

No kernel: no middleware, no Unit of Work, no authentication, no error contract, no metrics, no
logging. Every caller is anonymous. :func:`create_app` serves the list's whole interface: the
same ten query parameters with the same constraints, filters, sorts and signed keyset cursors
(:class:`Cursors`, the kernel's format written again), the same SQL, and the same answers
(``tests/modules/catalogue/test_bench_baseline.py`` compares them with the catalogue's).
:func:`create_limit_only_app` takes ``limit`` alone, to show what parsing the other nine
parameters costs FastAPI. The engine gets the kernel's options (pool size, pre-ping, SQLite
pragmas) so the database side is identical. Serve it with::

    BENCH_DATABASE_URL=... MOSAIC_SECRET_KEY=... \
        uvicorn bench.bare_app:create_app_from_environment --factory
"""

import base64
import gc
import hashlib
import hmac
import json
import os
import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from decimal import Decimal
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
SECRET_VARIABLE = "MOSAIC_SECRET_KEY"  # noqa: S105 - a variable name, not a secret
LIST_PATH = "/api/v1/catalogue/products"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURRENCY = "EUR"
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PRICE = r"^[0-9]{1,10}(?:\.[0-9]{1,2})?$"
NO_NUL = r"^[^\x00]*$"
CURSOR = r"^[A-Za-z0-9_-]+$"
MAX_CURSOR = 2048
MAX_ID = 2**31 - 1
NAME_LENGTH = 200


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


class Cursors:
    """The catalogue's signed cursors, written again (``core/pagination/cursor.py``): URL-safe
    base64, unpadded, of the first 16 bytes of an HMAC-SHA-256, then the JSON ``[sort, key, id]``
    it signs, under a key derived from the secret key for the product listing."""

    def __init__(self, secret_key: str) -> None:
        label = b"mosaic.cursor:catalogue.products"
        self._key = hmac.new(secret_key.encode(), label, hashlib.sha256).digest()

    def encode(self, sort: Sort, product: Product) -> str:
        """The cursor resuming ``sort`` after ``product``."""
        return self.after(sort, getattr(product, SORT_KEYS[sort][0].key), product.id)

    def after(self, sort: Sort, key: object, last: int) -> str:
        """The cursor resuming ``sort`` after the row of id ``last`` and sort key ``key``."""
        if isinstance(key, datetime):
            key = (key if key.tzinfo else key.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
        elif isinstance(key, Decimal):
            key = format(key, "f")
        payload = json.dumps([sort.value, key, last], ensure_ascii=False, separators=(",", ":"))
        return self._seal(payload.encode())

    def decode(self, token: str, sort: Sort) -> tuple[Any, int]:
        """Returns the sort key and id ``token`` names; 400 unless it was issued for ``sort``."""
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            if not hmac.compare_digest(self._seal(raw[16:]), token):
                raise ValueError
            issued_for, key, last = json.loads(raw[16:].decode())
            if issued_for != sort.value or type(last) is not int or not 1 <= last <= MAX_ID:
                raise ValueError
            return _sort_key(sort, key), last
        except (ValueError, TypeError, ArithmeticError, RecursionError):
            raise HTTPException(400, "Invalid cursor.") from None

    def _seal(self, payload: bytes) -> str:
        tag = hmac.new(self._key, payload, hashlib.sha256).digest()[:16]
        return base64.urlsafe_b64encode(tag + payload).rstrip(b"=").decode()


def _sort_key(sort: Sort, key: object) -> Any:
    """The sort key of a signed cursor, within its column's range; ``ValueError`` otherwise."""
    if not isinstance(key, str):
        raise TypeError
    if sort in {Sort.PRICE, Sort.PRICE_DESC}:
        if not re.fullmatch(r"[0-9]{1,10}(?:\.[0-9]{1,2})?", key):
            raise ValueError
        return Decimal(key)
    if sort is Sort.NEWEST:
        moment = datetime.fromisoformat(key)
        if moment.tzinfo is None:
            raise ValueError
        return moment.astimezone(UTC)
    if len(key) > NAME_LENGTH or re.search("[\x00\ud800-\udfff]", key):
        raise ValueError
    return key


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
    db: AsyncSession,
    conditions: list[ColumnElement[bool]],
    sort: Sort,
    limit: int,
    cursors: Cursors,
) -> ProductPage:
    # The query of ``modules.catalogue.products.repository.browse``.
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
    following = cursors.encode(sort, page[-1]) if len(found) > limit else None
    return ProductPage(items=[read(product, currency=CURRENCY) for product in page], next=following)


def create_app_from_environment() -> FastAPI:
    """The ``uvicorn --factory`` entry point: the whole list over ``$BENCH_DATABASE_URL``."""
    app = create_app(os.environ[URL_VARIABLE], secret_key=os.environ[SECRET_VARIABLE])
    # As the kernel does for its workers (`core.app.create_app_from_environment`): without it,
    # the ratio would count the collector's work on startup objects as the kernel's gain.
    gc.collect()
    gc.freeze()
    return app


def create_app(url: str, *, secret_key: str) -> FastAPI:
    """Returns the product list over the database at ``url``, with every
    parameter of the catalogue's, for an anonymous caller; its cursors are signed with a key
    derived from ``secret_key``, as the kernel's are."""
    app, session = _application(url)
    cursors = Cursors(secret_key)

    @app.get(LIST_PATH, response_model=ProductPage)
    async def list_products(
        *,
        db: Annotated[AsyncSession, Depends(session)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
        sort: Sort = Sort.NEWEST,
        cursor: Annotated[
            str | None, Query(min_length=1, max_length=MAX_CURSOR, pattern=CURSOR)
        ] = None,
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
            key, last = cursors.decode(cursor, sort)
            if descending:
                conditions.append(or_(column < key, and_(column == key, Product.id < last)))
            else:
                conditions.append(or_(column > key, and_(column == key, Product.id > last)))
        return await _page(db, conditions, sort, limit, cursors)

    return app


def create_limit_only_app(url: str, *, secret_key: str) -> FastAPI:
    """Returns the same first page, newest first, taking ``limit`` alone."""
    app, session = _application(url)
    cursors = Cursors(secret_key)

    @app.get(LIST_PATH, response_model=ProductPage)
    async def list_products(
        db: Annotated[AsyncSession, Depends(session)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    ) -> ProductPage:
        return await _page(
            db, [Product.status.in_([Status.ACTIVE.value])], Sort.NEWEST, limit, cursors
        )

    return app
