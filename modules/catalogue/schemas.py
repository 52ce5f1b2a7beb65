"""Input and output of the catalogue's API.

Inputs forbid unknown fields, bound every string and take JSON's integers as sent (``StrictInt``:
``"4"`` or ``true`` is no integer); an update keeps the fields it leaves out, and takes ``null``
only where it empties one (``Omittable`` elsewhere). Outputs name only what a client may see (no
search index, no version column: the version travels in the ``ETag`` header).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from core import Omittable, Page, Text, UtcDateTime
from modules.catalogue.models import (
    NAME_LENGTH,
    PRICE_DIGITS,
    PRICE_PLACES,
    SKU_LENGTH,
    SLUG_LENGTH,
    TAG_NAME_LENGTH,
    Product,
    ProductStatus,
)

MAX_ID = 2**31 - 1
MAX_POSITION = 1_000_000
MAX_STOCK = 2**31 - 1
MAX_DESCRIPTION = 10_000
MAX_TAGS = 50


CENT = Decimal("0.01")
# A price as text: up to ten digits, then at most two decimals after a `.` (`24.50`, `3`).
PRICE_PATTERN = rf"^[0-9]{{1,{PRICE_DIGITS - PRICE_PLACES}}}(?:\.[0-9]{{1,{PRICE_PLACES}}})?$"
_PRICE = re.compile(PRICE_PATTERN)


def _price_text(value: object) -> object:
    """A price is the text its pattern describes. Not a JSON number, which a client holds as a
    binary float; nor what else `Decimal` reads (``1e2``, ``1_000``, ``.5``, `` 1``)."""
    if not isinstance(value, str):
        raise PydanticCustomError("string_type", "Input should be a valid string")
    if not _PRICE.fullmatch(value):
        raise PydanticCustomError(
            "string_pattern_mismatch",
            "String should match pattern '{pattern}'",
            {"pattern": PRICE_PATTERN},
        )
    return value


def _to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT)


Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=SLUG_LENGTH,
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        description="Lower-case letters and digits in words joined by `-`.",
        examples=["garden-tools"],
    ),
]
Sku = Annotated[
    str,
    Field(
        min_length=1,
        max_length=SKU_LENGTH,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$",
        description="Stock keeping unit: letters, digits, `.`, `_` and `-`.",
        examples=["TOOL-0042"],
    ),
]
Name = Annotated[Text, Field(min_length=1, max_length=NAME_LENGTH)]
TagName = Annotated[Text, Field(min_length=1, max_length=TAG_NAME_LENGTH)]
Description = Annotated[Text, Field(max_length=MAX_DESCRIPTION)]
Price = Annotated[
    Decimal,
    BeforeValidator(_price_text),
    AfterValidator(_to_cents),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": PRICE_PATTERN,
            "description": "Amount in the catalogue's currency, at most two decimal places.",
        }
    ),
]
Stock = Annotated[StrictInt, Field(ge=0, le=MAX_STOCK)]
Position = Annotated[StrictInt, Field(ge=0, le=MAX_POSITION)]
TagSlugs = Annotated[
    list[Slug],
    Field(max_length=MAX_TAGS, description="Slugs of existing tags; order does not matter."),
]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


# --- tags ---------------------------------------------------------------------------------------


class TagCreate(_Input):
    slug: Slug
    name: TagName


class TagRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str


# --- categories ---------------------------------------------------------------------------------


class CategoryCreate(_Input):
    slug: Slug
    name: Name
    parent_id: Id | None = Field(default=None, description="Parent category; null for a root.")
    position: Position = Field(default=0, description="Order among its siblings, lowest first.")


class CategoryUpdate(_Input):
    slug: Omittable[Slug] = None
    name: Omittable[Name] = None
    parent_id: Id | None = Field(
        default=None, description="Moves the category; null makes it a root."
    )
    position: Omittable[Position] = None


class CategoryRef(BaseModel):
    """A category as it appears inside another resource."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str


class CategoryRead(CategoryRef):
    parent_id: int | None
    position: int


class CategoryDetail(CategoryRead):
    ancestors: list[CategoryRef] = Field(
        description="The breadcrumb: every ancestor, from the root down to the parent."
    )


class CategoryNode(CategoryRead):
    children: list[CategoryNode]


# --- products -----------------------------------------------------------------------------------


class ProductCreate(_Input):
    sku: Sku
    slug: Slug
    name: Name
    description: Description = ""
    price: Price
    stock: Stock = 0
    status: ProductStatus = ProductStatus.DRAFT
    category_id: Id
    tags: TagSlugs = Field(default_factory=list)


class ProductUpdate(_Input):
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
    price: Decimal
    currency: str = Field(description="ISO 4217 code of `price`.")
    stock: int
    status: ProductStatus
    category: CategoryRef
    tags: list[TagRead]
    created_at: UtcDateTime
    updated_at: UtcDateTime

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
