"""Rules of products and their stock. Functions work over the Unit of Work and never commit;
the rules of categories and tags are in their own packages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal

from sqlalchemy.orm.exc import StaleDataError

from core import utcnow
from core.db import AnyRow, UnitOfWork, flush_or_raise, lock_for_writing
from modules.catalogue.categories import service as categories_service
from modules.catalogue.errors import (
    OutOfStock,
    ProductNotFound,
    SkuTaken,
    SlugTaken,
    UnknownCategory,
    UnknownTag,
    VersionMismatch,
)
from modules.catalogue.events import ProductChanged, ProductCreated, ProductDeleted
from modules.catalogue.models import (
    PRODUCT_CATEGORY_KEY,
    PRODUCT_SKU_UNIQUE,
    PRODUCT_SLUG_UNIQUE,
    PRODUCT_TAG_KEY,
    Category,
    Product,
    ProductStatus,
    Tag,
)
from modules.catalogue.products import repository
from modules.catalogue.products import stock as stock_queries
from modules.catalogue.products.cursor import Cursor, ProductSort
from modules.catalogue.products.repository import ProductFilter
from modules.catalogue.products.schemas import ProductCreate, ProductUpdate, ProductView
from modules.catalogue.tags import service as tags_service


async def browse_products(
    uow: UnitOfWork,
    *,
    where: ProductFilter,
    sort: ProductSort,
    after: Cursor | None,
    limit: int,
    currency: str,
) -> tuple[list[ProductView], Cursor | None]:
    """Returns one page of matching products, as answers, and the cursor of the next page
    (``None`` on the last one): two statements whatever the page size."""
    found = await repository.product_rows(
        uow.session, where=where, sort=sort, after=after, limit=limit + 1
    )
    rows = found[:limit]
    tags = await repository.tag_rows(uow.session, product_ids=[row.id for row in rows])
    page = _views(rows, tags, currency)
    if len(found) <= limit:
        return page, None
    last = rows[-1]
    column, _descending = repository.SORT_KEYS[sort]
    return page, Cursor(sort, getattr(last, column.key), last.id)


async def view_product(
    uow: UnitOfWork, *, product_id: int, include_hidden: bool, currency: str
) -> ProductView:
    """Returns the answer of the product with this id; one that is not active is found only
    with ``include_hidden`` and otherwise raises ``catalogue.product_not_found`` like a missing
    one. Two statements."""
    row = await repository.product_row(uow.session, product_id=product_id)
    if row is None or not (include_hidden or row.status == ProductStatus.ACTIVE):
        raise ProductNotFound(f"No product has id {product_id}.")
    tags = await repository.tag_rows(uow.session, product_ids=[product_id])
    return _views([row], tags, currency)[0]


def _views(
    rows: Sequence[AnyRow], tags: Mapping[int, list[dict[str, str]]], currency: str
) -> list[ProductView]:
    # The rows' own columns keep their names, read once for the page; the answer reads only
    # those ProductRead declares. The view is read by key, not the row by attribute: a row's
    # attribute lookup costs more than the whole dict's key lookups.
    names = rows[0]._fields if rows else ()
    views = []
    for row in rows:
        view = dict(zip(names, row, strict=True))
        view["currency"] = currency
        view["category"] = {
            "id": view["category_id"],
            "slug": view["category_slug"],
            "name": view["category_name"],
        }
        view["tags"] = tags.get(view["id"], [])
        views.append(view)
    return views


async def get_product(
    uow: UnitOfWork, *, product_id: int, include_hidden: bool, for_writing: bool = False
) -> Product:
    """Returns the product with category and tags; one that is not active is found only with
    ``include_hidden`` and otherwise raises ``catalogue.product_not_found`` like a missing one.

    ``for_writing`` keeps every other writer of the product waiting until the transaction ends,
    so the version read (and checked against ``If-Match``) is the one the write replaces:
    concurrent writes apply one after the other instead of failing their version check.
    """
    if for_writing:
        await lock_for_writing(uow.session)
    product = await repository.product(uow.session, product_id=product_id, for_update=for_writing)
    if product is None or not (include_hidden or product.status == ProductStatus.ACTIVE):
        raise ProductNotFound(f"No product has id {product_id}.")
    return product


async def create_product(uow: UnitOfWork, *, data: ProductCreate) -> Product:
    """Returns the new product; its SKU and slug must be free, its category and tags exist."""
    if await repository.sku_exists(uow.session, sku=data.sku):
        raise SkuTaken(f"A product already has the SKU '{data.sku}'.")
    if await repository.slug_exists(uow.session, slug=data.slug):
        raise SlugTaken(f"A product already has the slug '{data.slug}'.")
    product = Product(
        sku=data.sku,
        slug=data.slug,
        name=data.name,
        description=data.description,
        price=data.price,
        stock=data.stock,
        status=data.status.value,
        category=await categories_service.category_for(uow, data.category_id),
        tags=await tags_service.tags_for(uow, slugs=data.tags),
    )
    uow.session.add(product)
    await _flush_product(uow, product)
    await uow.publish(ProductCreated(product_id=product.id, sku=product.sku))
    return product


async def update_product(uow: UnitOfWork, *, product: Product, changes: ProductUpdate) -> Product:
    """Returns the product with ``changes`` applied; a new version only if something changed."""
    if changes.sku not in {None, product.sku} and await repository.sku_exists(
        uow.session, sku=changes.sku
    ):
        raise SkuTaken(f"A product already has the SKU '{changes.sku}'.")
    if changes.slug not in {None, product.slug} and await repository.slug_exists(
        uow.session, slug=changes.slug
    ):
        raise SlugTaken(f"A product already has the slug '{changes.slug}'.")
    category = None
    if changes.category_id is not None and changes.category_id != product.category_id:
        category = await categories_service.category_for(uow, changes.category_id)
    tags = (
        await tags_service.tags_for(uow, slugs=changes.tags) if changes.tags is not None else None
    )
    changed = apply_changes(product, ProductFields.of(changes), category=category, tags=tags)
    await _save_changes(uow, product, changed)
    return product


async def archive_product(uow: UnitOfWork, *, product: Product) -> Product:
    """Returns the product, archived (hidden from the public, kept for history)."""
    changed = apply_changes(product, ProductFields(status=ProductStatus.ARCHIVED))
    await _save_changes(uow, product, changed)
    return product


async def delete_product(uow: UnitOfWork, *, product: Product) -> None:
    """Deletes the product and its tag links."""
    deleted = ProductDeleted(product_id=product.id, sku=product.sku)
    await uow.session.delete(product)
    await _flush_product(uow, product)
    await uow.publish(deleted)


async def reserve_stock(uow: UnitOfWork, *, product_id: int, quantity: int) -> None:
    """Takes ``quantity`` units of the product, atomically; raises ``catalogue.out_of_stock``
    (nothing taken) when fewer are left, ``catalogue.product_not_found`` when it is missing."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    if await repository.take_stock(uow.session, product_id=product_id, quantity=quantity):
        return
    if await repository.product(uow.session, product_id=product_id) is None:
        raise ProductNotFound(f"No product has id {product_id}.")
    raise OutOfStock(f"Product {product_id} has fewer than {quantity} units in stock.")


async def release_stock(uow: UnitOfWork, *, product_id: int, quantity: int) -> None:
    """Puts ``quantity`` units of the product back, atomically."""
    if quantity < 1:
        raise ValueError("quantity must be at least 1")
    if not await repository.return_stock(uow.session, product_id=product_id, quantity=quantity):
        raise ProductNotFound(f"No product has id {product_id}.")


async def reserve_stocks(uow: UnitOfWork, *, quantities: Mapping[int, int]) -> None:
    """Takes ``quantities[product_id]`` units of each product, all or none; raises
    ``catalogue.product_not_found`` or ``catalogue.out_of_stock`` naming the first product (by
    id) that is missing or short, having taken nothing. Two statements, whatever the count."""
    if any(quantity < 1 for quantity in quantities.values()):
        raise ValueError("quantity must be at least 1")
    await lock_for_writing(uow.session)
    # Locked first, so the check and the write see the same stock under concurrent checkouts.
    stock = await stock_queries.lock_stock(uow.session, product_ids=quantities)
    for product_id, quantity in sorted(quantities.items()):
        if product_id not in stock:
            raise ProductNotFound(f"No product has id {product_id}.")
        if stock[product_id] < quantity:
            raise OutOfStock(
                f"Product {product_id} has fewer than {quantity} units in stock.",
                extensions={"product_id": product_id},
            )
    await stock_queries.add_stock(
        uow.session, changes={product_id: -quantity for product_id, quantity in quantities.items()}
    )


async def release_stocks(uow: UnitOfWork, *, quantities: Mapping[int, int]) -> None:
    """Puts ``quantities[product_id]`` units of each product back; a product deleted meanwhile
    is skipped (what was sold of it cannot return). Two statements, whatever the count."""
    if any(quantity < 1 for quantity in quantities.values()):
        raise ValueError("quantity must be at least 1")
    await lock_for_writing(uow.session)
    stock = await stock_queries.lock_stock(uow.session, product_ids=quantities)
    changes = {product_id: quantities[product_id] for product_id in stock}
    if changes:
        await stock_queries.add_stock(uow.session, changes=changes)


@dataclass(frozen=True, slots=True)
class ProductFields:
    """Scalar fields of a product to set; ``None`` keeps the current value."""

    sku: str | None = None
    slug: str | None = None
    name: str | None = None
    description: str | None = None
    price: Decimal | None = None
    stock: int | None = None
    status: ProductStatus | None = None

    @classmethod
    def of(cls, source: object) -> ProductFields:
        """Returns the fields ``source`` (an update, an import row) carries under the same
        names; one it lacks is kept."""
        return cls(**{field.name: getattr(source, field.name, None) for field in fields(cls)})


def apply_changes(
    product: Product,
    changes: ProductFields,
    *,
    category: Category | None = None,
    tags: Sequence[Tag] | None = None,
) -> list[str]:
    """Sets what differs on ``product`` (loaded with category and tags); returns the names of
    the fields that did, as the API's update names them (empty: nothing changed). A change
    always bumps ``updated_at``, so the row, and so its version, is written even when only the
    tags changed."""
    changed: list[str] = []
    for field in fields(ProductFields):
        value = getattr(changes, field.name)
        if isinstance(value, ProductStatus):
            value = value.value
        if value is not None and value != getattr(product, field.name):
            setattr(product, field.name, value)
            changed.append(field.name)
    if category is not None and category.id != product.category_id:
        product.category = category
        changed.append("category_id")
    if tags is not None and {tag.slug for tag in tags} != {tag.slug for tag in product.tags}:
        product.tags = sorted(tags, key=lambda tag: tag.slug)
        changed.append("tags")
    if changed:
        product.updated_at = utcnow()
    return changed


async def _save_changes(uow: UnitOfWork, product: Product, changed: list[str]) -> None:
    """Writes the product's new version and announces which fields ``changed``, if any did."""
    if changed:
        await _flush_product(uow, product)
        await uow.publish(ProductChanged(product_id=product.id, sku=product.sku, fields=changed))


async def _flush_product(uow: UnitOfWork, product: Product) -> None:
    # A failed flush rolls the transaction back and expires the product: reading one of its
    # attributes then raises instead of answering, so the errors take what they say first.
    product_id, sku, slug = product.id, product.sku, product.slug
    # A concurrent request may take the SKU or slug, or delete the category or a tag, between
    # the checks and the write.
    conflicts = {
        PRODUCT_SKU_UNIQUE: SkuTaken(f"A product already has the SKU '{sku}'."),
        PRODUCT_SLUG_UNIQUE: SlugTaken(f"A product already has the slug '{slug}'."),
        PRODUCT_CATEGORY_KEY: UnknownCategory("The product's category was deleted meanwhile."),
        PRODUCT_TAG_KEY: UnknownTag("A tag of the product was deleted meanwhile."),
    }
    try:
        await flush_or_raise(uow.session, conflicts)
    except StaleDataError:  # another request changed or deleted it since it was read
        raise VersionMismatch(f"Product {product_id} changed meanwhile; read it again.") from None
