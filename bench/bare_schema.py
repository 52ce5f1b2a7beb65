"""The bare app's tables and answer shapes: the catalogue's, declared again without the kernel.

The columns are mapped in the catalogue's order, so SQLAlchemy emits the very same SQL; the
models give the answer the shape of the catalogue's ``ProductPage``.
"""

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
from sqlalchemy import Column, DateTime, ForeignKey, Integer, Numeric, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


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


def read(product: Product, *, currency: str) -> ProductRead:
    """As ``ProductRead.of`` in the catalogue."""
    return ProductRead(
        id=product.id,
        sku=product.sku,
        slug=product.slug,
        name=product.name,
        description=product.description,
        price=product.price,
        currency=currency,
        stock=product.stock,
        status=Status(product.status),
        category=CategoryRef.model_validate(product.category),
        tags=[TagRead.model_validate(tag) for tag in product.tags],
        created_at=product.created_at,
        updated_at=product.updated_at,
    )
