"""Tables of the catalogue module (each named ``catalogue_…``).

Relationships never lazy-load (``core.db.relationship``): every query says what it loads.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Column,
    ColumnElement,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    Update,
    event,
    func,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

import core.db
from core import utcnow
from core.db import relationship

SLUG_LENGTH = 120
SKU_LENGTH = 64
NAME_LENGTH = 200
TAG_NAME_LENGTH = 100
PRICE_DIGITS = 12
PRICE_PLACES = 2


class ProductStatus(StrEnum):
    """Where a product is in its life: only ``active`` products are shown to the public."""

    DRAFT = "draft"
    ACTIVE = "active"
    ARCHIVED = "archived"


# Constraint names (the kernel's naming convention): a write they refuse maps to an error.
CATEGORY_SLUG_UNIQUE = "uq_catalogue_categories_slug"
CATEGORY_PARENT_KEY = "fk_catalogue_categories_parent_id_catalogue_categories"
TAG_SLUG_UNIQUE = "uq_catalogue_tags_slug"
PRODUCT_SKU_UNIQUE = "uq_catalogue_products_sku"
PRODUCT_SLUG_UNIQUE = "uq_catalogue_products_slug"
PRODUCT_CATEGORY_KEY = "fk_catalogue_products_category_id_catalogue_categories"
PRODUCT_TAG_KEY = "fk_catalogue_product_tags_tag_id_catalogue_tags"


class Base(core.db.ModuleBase):
    """Base of the catalogue module's tables, in a metadata of their own."""


class Category(Base):
    __tablename__ = "catalogue_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_categories.id"), index=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    position: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )

    parent: Mapped[Category | None] = relationship(remote_side="Category.id")


class Tag(Base):
    __tablename__ = "catalogue_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(TAG_NAME_LENGTH))


product_tags = Table(
    "catalogue_product_tags",
    Base.metadata,
    Column(
        "product_id",
        ForeignKey("catalogue_products.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column(
        "tag_id",
        ForeignKey("catalogue_tags.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Product(Base):
    __tablename__ = "catalogue_products"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price >= 0", name="price_not_negative"),
        CheckConstraint("status IN ('draft', 'active', 'archived')", name="status_known"),
        # Keyset pagination walks (sort key, id) for each sort order.
        Index("ix_catalogue_products_name_id", "name", "id"),
        Index("ix_catalogue_products_price_id", "price", "id"),
        Index("ix_catalogue_products_created_at_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(SKU_LENGTH), unique=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    price: Mapped[Decimal] = mapped_column(Numeric(PRICE_DIGITS, PRICE_PLACES))
    stock: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    status: Mapped[str] = mapped_column(
        String(16), default=ProductStatus.DRAFT.value, server_default=ProductStatus.DRAFT.value
    )
    category_id: Mapped[int] = mapped_column(ForeignKey("catalogue_categories.id"), index=True)
    # Name and description case-folded in Python, so search is case-insensitive for every
    # alphabet on SQLite too (its LOWER() only folds ASCII).
    search_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )

    category: Mapped[Category] = relationship()
    tags: Mapped[list[Tag]] = relationship(
        secondary=product_tags, order_by=Tag.slug, passive_deletes=True
    )

    __mapper_args__ = {"version_id_col": version}


def touch_products(where: ColumnElement[bool]) -> Update:
    """Returns the UPDATE that gives the products matching ``where`` a new version."""
    # A product's ETag is its version: anything shown in its representation that changes
    # elsewhere (a tag removed, its category renamed) must change the version too.
    return (
        update(Product)
        .where(where)
        .values(version=Product.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def search_text(name: str, description: str) -> str:
    """Returns what text search matches against: name and description, case-folded."""
    return f"{name}\n{description}".casefold()


@event.listens_for(Product, "before_insert")
@event.listens_for(Product, "before_update")
def _index_text(_mapper: Any, _connection: Any, product: Product) -> None:
    product.search_text = search_text(product.name, product.description or "")
