"""Input and output of the products API.

Inputs are built of the catalogue's field types (:mod:`modules.catalogue.types`); an update
keeps the fields it leaves out, and takes ``null`` only where it empties one (``Omittable``
elsewhere). Outputs name only what a client may see (no
search index, no version column: the version travels in the ``ETag`` header).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from core import Omittable, Page, UtcDateTimeRead
from modules.catalogue.categories.schemas import CategoryRef
from modules.catalogue.models import Product, ProductStatus
from modules.catalogue.tags.schemas import TagRead
from modules.catalogue.types import (
    Description,
    Id,
    Input,
    Name,
    Price,
    PriceRead,
    Sku,
    Slug,
    Stock,
    TagSlugs,
)

# --- products -----------------------------------------------------------------------------------


class ProductCreate(Input):
    sku: Sku
    slug: Slug
    name: Name
    description: Description = ""
    price: Price
    stock: Stock = 0
    status: ProductStatus = ProductStatus.DRAFT
    category_id: Id
    tags: TagSlugs = Field(default_factory=list)


class ProductUpdate(Input):
    sku: Omittable[Sku] = None
    slug: Omittable[Slug] = None
    name: Omittable[Name] = None
    description: Omittable[Description] = None
    price: Omittable[Price] = None
    stock: Omittable[Stock] = None
    status: Omittable[ProductStatus] = None
    category_id: Omittable[Id] = None
    tags: Omittable[TagSlugs] = None


class ProductRead(BaseModel):
    id: int
    sku: str
    slug: str
    name: str
    description: str
    price: PriceRead
    currency: str = Field(description="ISO 4217 code of `price`.")
    stock: int
    status: ProductStatus
    category: CategoryRef
    tags: list[TagRead]
    created_at: UtcDateTimeRead
    updated_at: UtcDateTimeRead

    @classmethod
    def of(cls, product: Product, *, currency: str) -> ProductRead:
        """Returns the representation of ``product`` (category and tags loaded)."""
        return cls(
            id=product.id,
            sku=product.sku,
            slug=product.slug,
            name=product.name,
            description=product.description,
            price=product.price,
            currency=currency,
            stock=product.stock,
            status=ProductStatus(product.status),
            category=CategoryRef.model_validate(product.category),
            tags=[TagRead.model_validate(tag) for tag in product.tags],
            created_at=product.created_at,
            updated_at=product.updated_at,
        )


# A product's answer as plain data (its row's columns, its category and tags), read as
# ProductRead only when answered; columns ProductRead does not declare are never sent.
ProductView = dict[str, Any]


class ProductPage(Page[ProductRead]):
    next: str | None = Field(
        description="Opaque cursor of the next page (pass it as `cursor` with the same `sort`); "
        "null on the last page."
    )


# --- import -------------------------------------------------------------------------------------


class RejectedRow(BaseModel):
    line: int = Field(description="Line of the CSV file where the row starts (the header is 1).")
    sku: str | None = Field(description="The row's SKU, when it has one.")
    reason: str


class ImportReport(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[RejectedRow] = Field(
        default_factory=list,
        description="Line and reason of each rejected row (the first 1000).",
    )

    def as_counts(self) -> dict[str, Any]:
        """Returns the four counters, for a one-line summary."""
        return self.model_dump(include={"created", "updated", "unchanged", "rejected"})
