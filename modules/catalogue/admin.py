"""The catalogue's pages in the admin console: products, categories and tags.

Edits go through the same services as ``PATCH /api/v1/catalogue/products/{id}`` and
``PATCH /api/v1/catalogue/categories/{id}``, validated by the same input schemas: a console edit
gives the product a new version (so a new ``ETag``), and a taken SKU or slug is refused with the
API's message. Tags have no update in the API, so their page is read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from core import AdminView
from core.auth import Principal
from core.db import UnitOfWork
from core.errors import NotFound
from modules.catalogue.categories import service as categories
from modules.catalogue.categories.schemas import CategoryUpdate
from modules.catalogue.dependencies import WRITE
from modules.catalogue.errors import CategoryNotFound, ProductNotFound
from modules.catalogue.models import Category, Product, Tag
from modules.catalogue.products import service as products
from modules.catalogue.products.schemas import ProductUpdate


async def save_product(
    uow: UnitOfWork, *, pk: str, values: Mapping[str, Any], principal: Principal
) -> None:
    """Applies a console edit of product ``pk`` as the API's update does."""
    product_id = _id(pk, missing=ProductNotFound(f"No product has id {pk}."))
    changes = dict(values)
    # The API takes a price as text (never a binary float); the form hands over a Decimal.
    if isinstance(changes.get("price"), Decimal):
        changes["price"] = format(changes["price"], "f")
    product = await products.get_product(uow, product_id=product_id, include_hidden=True)
    await products.update_product(
        uow, product=product, changes=ProductUpdate.model_validate(changes)
    )


async def save_category(
    uow: UnitOfWork, *, pk: str, values: Mapping[str, Any], principal: Principal
) -> None:
    """Applies a console edit of category ``pk`` as the API's update does."""
    category_id = _id(pk, missing=CategoryNotFound(f"No category has id {pk}."))
    category = await categories.get_category(uow, category_id=category_id)
    await categories.update_category(
        uow, category=category, changes=CategoryUpdate.model_validate(dict(values))
    )


def _id(pk: str, *, missing: NotFound) -> int:
    """Returns the id the console's ``pk`` names; raises ``missing`` for a key no row can have."""
    if pk.isascii() and pk.isdigit() and len(pk) < 19:
        return int(pk)
    raise missing


ADMIN_VIEWS = (
    AdminView(
        model=Product,
        permission=WRITE,
        columns=("id", "sku", "name", "price", "stock", "status", "version", "updated_at"),
        searchable=("sku", "name"),
        filters=("status",),
        editable=("name", "description", "price", "stock", "status"),
        save=save_product,
        version="version",
    ),
    AdminView(
        model=Category,
        permission=WRITE,
        columns=("id", "slug", "name", "parent_id", "position"),
        searchable=("slug", "name"),
        editable=("name", "position"),
        save=save_category,
    ),
    AdminView(
        model=Tag,
        permission=WRITE,
        columns=("id", "slug", "name"),
        searchable=("slug", "name"),
    ),
)
