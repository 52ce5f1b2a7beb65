"""The same product list as the catalogue module, written with FastAPI and SQLAlchemy alone.

No kernel: no middleware, no Unit of Work, no error contract, no metrics, no logging. The tables
are mapped again here (same columns, in the same order, so SQLAlchemy emits the very same SQL),
the engine gets the kernel's options (pool size, pre-ping, SQLite pragmas) so the database side
is identical, and the answer has the shape of ``ProductPage``. Serve it with::

    BENCH_DATABASE_URL=... uvicorn bench.bare_app:create_app --factory --workers N
"""

import base64
import gc
import json
import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Query
from pydantic import AfterValidator, BaseModel, ConfigDict
from sqlalchemy import (
    Column,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    event,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.ext.asyncio import create_async_engine as create_engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    joinedload,
    mapped_column,
    relationship,
    selectinload,
)

URL_VARIABLE = "BENCH_DATABASE_URL"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
CURRENCY = "EUR"


class Base(DeclarativeBase):
    """The bare app's own registry: the catalogue's tables, mapped without the kernel."""


class Category(Base):
    __tablename__ = "catalogue_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_categories.id"))
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Tag(Base):
    __tablename__ = "catalogue_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(100))


product_tags = Table(
    "catalogue_product_tags",
    Base.metadata,
    Column("product_id", ForeignKey("catalogue_products.id"), primary_key=True),
    Column("tag_id", ForeignKey("catalogue_tags.id"), primary_key=True),
)


class Product(Base):
    __tablename__ = "catalogue_products"

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64))
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    price: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    stock: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    category_id: Mapped[int] = mapped_column(ForeignKey("catalogue_categories.id"))
    search_text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    category: Mapped[Category] = relationship(lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary=product_tags, order_by=Tag.slug, lazy="raise")

    __mapper_args__ = {"version_id_col": version}


def _as_utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Status(StrEnum):
    """A product's status, as ``ProductStatus``."""

    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


class CategoryRef(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str


class TagRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str


class ProductRead(BaseModel):
    id: int
    sku: str
    slug: str
    name: str
    description: str
    price: Decimal
    currency: str
    stock: int
    status: Status
    category: CategoryRef
    tags: list[TagRead]
    created_at: Annotated[datetime, AfterValidator(_as_utc)]
    updated_at: Annotated[datetime, AfterValidator(_as_utc)]


class ProductPage(BaseModel):
    """One page of products and the opaque cursor of the next, as the catalogue answers."""

    items: list[ProductRead]
    next: str | None


def _read(product: Product) -> ProductRead:
    """As ``ProductRead.of`` in the catalogue."""
    return ProductRead(
        id=product.id,
        sku=product.sku,
        slug=product.slug,
        name=product.name,
        description=product.description,
        price=product.price,
        currency=CURRENCY,
        stock=product.stock,
        status=Status(product.status),
        category=CategoryRef.model_validate(product.category),
        tags=[TagRead.model_validate(tag) for tag in product.tags],
        created_at=product.created_at,
        updated_at=product.updated_at,
    )


def _cursor(last: Product) -> str:
    """The catalogue's cursor format: URL-safe base64 of ``{"id", "key", "sort"}``."""
    payload = {"id": last.id, "key": last.created_at.isoformat(), "sort": "newest"}
    raw = json.dumps(payload, sort_keys=True).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


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


def create_app(url: str | None = None) -> FastAPI:
    """Returns the application over ``url`` (default: ``$BENCH_DATABASE_URL``)."""
    engine = engine_for(url or os.environ[URL_VARIABLE])
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    async def session() -> AsyncIterator[AsyncSession]:
        # One session per request; closing it rolls the read-only transaction back.
        async with sessions() as opened:
            yield opened

    app = FastAPI()
    app.state.engine = engine

    @app.get("/api/v1/catalogue/products", response_model=ProductPage)
    async def list_products(
        db: Annotated[AsyncSession, Depends(session)],
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    ) -> ProductPage:
        # The query of ``modules.catalogue.repository.browse`` for an anonymous caller.
        statement = (
            select(Product)
            .where(Product.status.in_([Status.ACTIVE.value]))
            .order_by(Product.created_at.desc(), Product.id.desc())
            .limit(limit + 1)
            .options(joinedload(Product.category), selectinload(Product.tags))
        )
        found = (await db.scalars(statement)).unique().all()
        page = found[:limit]
        following = _cursor(page[-1]) if len(found) > limit else None
        return ProductPage(items=[_read(product) for product in page], next=following)

    # As the kernel does for its workers (`core.app.create_app_from_environment`): without it,
    # the ratio would count the collector's work on startup objects as the kernel's gain.
    gc.collect()
    gc.freeze()
    return app
