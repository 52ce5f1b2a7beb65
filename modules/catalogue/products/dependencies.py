"""Chained dependencies of the products routes: each one hands the route input that is already
valid and authorised."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import Depends, Header, Path, Query

from core import CursorCodec, PlainInteger, Text, cursor_codec, page_size
from core.auth import OptionalPrincipal
from core.db import UoW
from core.errors import raises
from modules.catalogue.config import CatalogueSettings
from modules.catalogue.dependencies import WRITE, Settings, Writer
from modules.catalogue.errors import (
    ProductNotFound,
    StatusFilterForbidden,
    VersionMismatch,
)
from modules.catalogue.models import Product, ProductStatus
from modules.catalogue.products import service
from modules.catalogue.products.cursor import PURPOSE
from modules.catalogue.products.repository import ProductFilter
from modules.catalogue.products.schemas import ProductView
from modules.catalogue.types import MAX_ID, PRICE_PATTERN, Slug

MAX_ETAG_HEADER = 1024
MAX_SEARCH = 100

ProductCursors = Annotated[CursorCodec, Depends(cursor_codec(PURPOSE))]
ProductId = Annotated[int, Path(ge=1, le=MAX_ID), PlainInteger]


async def sees_everything(principal: OptionalPrincipal) -> bool:
    """Returns whether the caller may see products of every status (``catalogue:write``)."""
    return principal is not None and principal.can(WRITE)


SeesEverything = Annotated[bool, Depends(sees_everything)]


PageSize = Annotated[
    int,
    Depends(
        page_size(
            CatalogueSettings,
            description="Products per page: at most the deployment's `max_page_size` "
            "(100 unless configured); `default_page_size` when left out.",
        )
    ),
]


@raises(StatusFilterForbidden)
async def listing_filter(
    *,
    everything: SeesEverything,
    category: Annotated[
        Slug | None, Query(description="Slug of a category: its products and its descendants'.")
    ] = None,
    tag: Annotated[Slug | None, Query(description="Slug of a tag the products carry.")] = None,
    min_price: Annotated[
        str | None,
        Query(
            pattern=PRICE_PATTERN,
            description="Lowest price, inclusive, in the catalogue's currency.",
            examples=["9.90"],
        ),
    ] = None,
    max_price: Annotated[
        str | None,
        Query(
            pattern=PRICE_PATTERN,
            description="Highest price, inclusive, in the catalogue's currency.",
            examples=["20"],
        ),
    ] = None,
    in_stock: Annotated[
        bool | None, Query(description="true: stock above 0; false: sold out.")
    ] = None,
    status: Annotated[
        ProductStatus | None,
        Query(
            description="Needs `catalogue:write` for anything but `active` (403 otherwise); "
            "without it only active products are listed."
        ),
    ] = None,
    q: Annotated[
        Text | None,
        Query(
            min_length=1,
            max_length=MAX_SEARCH,
            description="Text found in the name or the description, ignoring case.",
        ),
    ] = None,
) -> ProductFilter:
    """Returns what a listing keeps. A caller without ``catalogue:write`` sees active products
    only, and asking for another status is refused (403) rather than silently ignored."""
    if status not in {None, ProductStatus.ACTIVE} and not everything:
        raise StatusFilterForbidden(f"Listing {status} products needs {WRITE}.")
    everyone_sees = [ProductStatus.ACTIVE]
    return ProductFilter(
        statuses=everyone_sees if not everything else [status] if status is not None else None,
        category_slug=category,
        tag_slug=tag,
        min_price=Decimal(min_price) if min_price is not None else None,
        max_price=Decimal(max_price) if max_price is not None else None,
        in_stock=in_stock,
        text=q,
    )


ListingFilter = Annotated[ProductFilter, Depends(listing_filter)]


def etag_of(product: Product | ProductView) -> str:
    """Returns the strong entity tag of the product's current representation."""
    if isinstance(product, dict):
        return f'"{product["id"]}.{product["version"]}"'
    return f'"{product.id}.{product.version}"'


def matches(header: str | None, etag: str, *, weak: bool) -> bool:
    """Returns whether an ``If-Match`` (strong comparison) or ``If-None-Match`` (``weak``
    comparison) header value names ``etag``; ``*`` names any current representation."""
    if header is None:
        return False
    for candidate in (part.strip() for part in header.split(",")):
        if candidate == "*":
            return True
        # RFC 9110 §13.1.1: If-Match compares strongly, so a weak tag never matches it.
        is_weak = candidate.startswith("W/")
        if (weak or not is_weak) and candidate.removeprefix("W/") == etag:
            return True
    return False


@raises(ProductNotFound)
async def visible_product(
    product_id: ProductId, uow: UoW, everything: SeesEverything, settings: Settings
) -> ProductView:
    """Returns the answer of the product of the path if the caller may see it; 404 otherwise,
    whether it is missing or not active for a caller without ``catalogue:write``."""
    return await service.view_product(
        uow, product_id=product_id, include_hidden=everything, currency=settings.currency
    )


@raises(ProductNotFound, VersionMismatch)
async def writable_product(
    product_id: ProductId,
    uow: UoW,
    _writer: Writer,
    if_match: Annotated[
        str | None,
        Header(
            max_length=MAX_ETAG_HEADER,
            description="Apply only if the product is still at this `ETag` (else 412).",
        ),
    ] = None,
) -> Product:
    """Returns the product of the path for a writer, if it is still the version ``If-Match``
    names (when sent); 412 ``catalogue.version_mismatch`` otherwise."""
    product = await service.get_product(
        uow, product_id=product_id, include_hidden=True, for_writing=True
    )
    if if_match is not None and not matches(if_match, etag_of(product), weak=False):
        raise VersionMismatch(
            f"Product {product_id} is at {etag_of(product)}, not {if_match}.",
            headers={"ETag": etag_of(product)},
        )
    return product


VisibleProduct = Annotated[ProductView, Depends(visible_product)]
WritableProduct = Annotated[Product, Depends(writable_product)]
