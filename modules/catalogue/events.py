"""Events of the catalogue module, all external (sent to the broker when one is configured)::

    CatalogueEvent                (not published itself: subscribe to it to hear them all)
     ├── ProductEvent             (likewise, for a product's three)
     │    ├── ProductCreated      catalogue.product_created.v1
     │    ├── ProductChanged      catalogue.product_changed.v1
     │    └── ProductDeleted      catalogue.product_deleted.v1
     ├── CategoryEvent            (likewise, for a category's three)
     │    ├── CategoryCreated     catalogue.category_created.v1
     │    ├── CategoryChanged     catalogue.category_changed.v1
     │    └── CategoryDeleted     catalogue.category_deleted.v1
     ├── TagEvent                 (likewise, for a tag's two)
     │    ├── TagCreated          catalogue.tag_created.v1
     │    └── TagDeleted          catalogue.tag_deleted.v1
     └── ProductsImported         catalogue.products_imported.v1

Products' events are what other services follow (a search index, a storefront's cache), so
they are external. Categories' and tags' are too: a product is shown with its category's name
and slug and its tags, so renaming a category or deleting a tag changes how its products read
(and their ``ETag``) without a product event of its own. An import announces itself once, with
its counts, rather than once per row: a file of a hundred thousand rows would otherwise write a
hundred thousand publications per listener in the import's transaction; a follower re-reads
the catalogue when it hears one.

A change names the fields that changed, never their old or new values, so no event carries more
than its id and key (a follower reads the rest through the API). Tags have no change: nothing
renames one. Stock moved by the orders module's reservations is no product change (orders
publishes its own events). Each is published in the Unit of Work of the change, so a refused or
rolled-back change announces nothing.
"""

from __future__ import annotations

from typing import ClassVar

from core import Event


class CatalogueEvent(Event):
    """Something changed in the catalogue (base of every catalogue event)."""

    event_external: ClassVar[bool] = True


class ProductEvent(CatalogueEvent):
    """Something happened to a product: its id and SKU (as they are after the change)."""

    product_id: int
    sku: str


class ProductCreated(ProductEvent):
    """A writer created a product."""

    event_name = "catalogue.product_created"


class ProductChanged(ProductEvent):
    """A writer changed a product (archiving it too): ``fields`` names what changed, as the
    API's update names it (``price``, ``stock``, ``status``, ``category_id``, ``tags``, …)."""

    event_name = "catalogue.product_changed"
    fields: list[str]


class ProductDeleted(ProductEvent):
    """A writer deleted a product (published as the row goes, in the same transaction)."""

    event_name = "catalogue.product_deleted"


class CategoryEvent(CatalogueEvent):
    """Something happened to a category: its id and slug (as they are after the change)."""

    category_id: int
    slug: str


class CategoryCreated(CategoryEvent):
    """A writer created a category."""

    event_name = "catalogue.category_created"


class CategoryChanged(CategoryEvent):
    """A writer renamed, moved or reordered a category: ``fields`` names what changed
    (``slug``, ``name``, ``parent_id``, ``position``)."""

    event_name = "catalogue.category_changed"
    fields: list[str]


class CategoryDeleted(CategoryEvent):
    """A writer deleted an empty category."""

    event_name = "catalogue.category_deleted"


class TagEvent(CatalogueEvent):
    """Something happened to a tag: its id and slug."""

    tag_id: int
    slug: str


class TagCreated(TagEvent):
    """A writer created a tag."""

    event_name = "catalogue.tag_created"


class TagDeleted(TagEvent):
    """A writer deleted a tag, which took it off every product that had it."""

    event_name = "catalogue.tag_deleted"


class ProductsImported(CatalogueEvent):
    """A CSV import finished: how many rows created, updated, left unchanged or rejected a
    product."""

    event_name = "catalogue.products_imported"
    created: int
    updated: int
    unchanged: int
    rejected: int


EVENTS: tuple[type[Event], ...] = (
    ProductCreated,
    ProductChanged,
    ProductDeleted,
    CategoryCreated,
    CategoryChanged,
    CategoryDeleted,
    TagCreated,
    TagDeleted,
    ProductsImported,
)
