"""The catalogue's public API: the only thing other modules may import.

::

    from modules.catalogue.api import CatalogueApi, OutOfStock

    @router.post("/orders")
    async def place_order(..., catalogue: CatalogueApi) -> ...:
        product = await catalogue.product_by_sku(sku=line.sku)
        await catalogue.reserve_stock(product_id=product.id, quantity=line.quantity)

``products``, ``reserve_stocks`` and ``release_stocks`` do the same for many products at once, in
a constant number of statements (an order of twenty lines costs what an order of one does).

``CatalogueApi`` works in the request's Unit of Work, so a reservation commits or rolls back with
the caller's own writes. Outside a request, build ``Catalogue.of(kernel, uow)``.

Other modules follow changes of the catalogue through its events, all external
(``ProductEvent`` hears each of a product's, ``CatalogueEvent`` every one)::

    listeners = [Listener(ProductEvent, refresh_search_entry)]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated

from fastapi import Depends

from core import Kernel
from core.db import UnitOfWork, UoW
from modules.catalogue.config import CatalogueSettings
from modules.catalogue.dependencies import Settings
from modules.catalogue.errors import OutOfStock, ProductNotFound
from modules.catalogue.events import (
    CatalogueEvent,
    CategoryChanged,
    CategoryCreated,
    CategoryDeleted,
    CategoryEvent,
    ProductChanged,
    ProductCreated,
    ProductDeleted,
    ProductEvent,
    ProductsImported,
    TagCreated,
    TagDeleted,
    TagEvent,
)
from modules.catalogue.models import Product, ProductStatus
from modules.catalogue.products import repository, service
from modules.catalogue.products import stock as stock_queries

__all__ = [
    "Catalogue",
    "CatalogueApi",
    "CatalogueEvent",
    "CategoryChanged",
    "CategoryCreated",
    "CategoryDeleted",
    "CategoryEvent",
    "OutOfStock",
    "ProductChanged",
    "ProductCreated",
    "ProductDeleted",
    "ProductEvent",
    "ProductNotFound",
    "ProductSnapshot",
    "ProductStatus",
    "ProductsImported",
    "TagCreated",
    "TagDeleted",
    "TagEvent",
]


@dataclass(frozen=True, slots=True)
class ProductSnapshot:
    """A product as other modules see it: a copy, not a database row."""

    id: int
    sku: str
    name: str
    price: Decimal
    currency: str
    stock: int
    status: ProductStatus

    @property
    def is_active(self) -> bool:
        """Whether the product is offered to the public."""
        return self.status is ProductStatus.ACTIVE


class Catalogue:
    """Product look-ups and stock reservations, within one Unit of Work."""

    def __init__(self, uow: UnitOfWork, *, currency: str) -> None:
        self._uow = uow
        self._currency = currency

    @classmethod
    def of(cls, kernel: Kernel, uow: UnitOfWork) -> Catalogue:
        """Returns the catalogue of ``kernel`` (the module must be enabled), working in ``uow``."""
        return cls(uow, currency=kernel.settings_of(CatalogueSettings).currency)

    async def product(self, *, product_id: int) -> ProductSnapshot:
        """Returns the product with this id, whatever its status; raises ``ProductNotFound``."""
        found = await repository.product(self._uow.session, product_id=product_id)
        if found is None:
            raise ProductNotFound(f"No product has id {product_id}.")
        return self._snapshot(found)

    async def product_by_sku(self, *, sku: str) -> ProductSnapshot:
        """Returns the product with this SKU, whatever its status; raises ``ProductNotFound``."""
        found = await repository.product(self._uow.session, sku=sku)
        if found is None:
            raise ProductNotFound(f"No product has the SKU '{sku}'.")
        return self._snapshot(found)

    async def reserve_stock(self, *, product_id: int, quantity: int) -> None:
        """Takes ``quantity`` units in one conditional UPDATE; raises ``OutOfStock`` (nothing
        taken) when fewer are left, even under concurrent reservations."""
        await service.reserve_stock(self._uow, product_id=product_id, quantity=quantity)

    async def release_stock(self, *, product_id: int, quantity: int) -> None:
        """Puts ``quantity`` reserved units back, atomically."""
        await service.release_stock(self._uow, product_id=product_id, quantity=quantity)

    async def products(
        self, *, ids: Collection[int] = (), skus: Collection[str] = ()
    ) -> list[ProductSnapshot]:
        """Returns the products having one of ``ids`` or ``skus``, whatever their status, in one
        SELECT; one asked for but missing is simply not in the list."""
        found = await stock_queries.products(self._uow.session, ids=ids, skus=skus)
        return [self._snapshot(product) for product in found]

    async def reserve_stocks(self, *, quantities: Mapping[int, int]) -> None:
        """Takes ``quantities[product_id]`` units of every product, all or none, in a constant
        number of statements; raises ``ProductNotFound`` or ``OutOfStock`` (its ``product_id``
        extension names the product; nothing taken), even under concurrent reservations."""
        await service.reserve_stocks(self._uow, quantities=quantities)

    async def release_stocks(self, *, quantities: Mapping[int, int]) -> None:
        """Puts ``quantities[product_id]`` reserved units of every product back, atomically; a
        product deleted since is skipped."""
        await service.release_stocks(self._uow, quantities=quantities)

    def _snapshot(self, product: Product) -> ProductSnapshot:
        return ProductSnapshot(
            id=product.id,
            sku=product.sku,
            name=product.name,
            price=product.price,
            currency=self._currency,
            stock=product.stock,
            status=ProductStatus(product.status),
        )


async def _catalogue(uow: UoW, settings: Settings) -> Catalogue:
    return Catalogue(uow, currency=settings.currency)


CatalogueApi = Annotated[Catalogue, Depends(_catalogue)]
