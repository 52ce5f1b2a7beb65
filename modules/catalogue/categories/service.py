"""Rules of the category tree. Functions work over the Unit of Work and never commit."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from core.db import UnitOfWork, flush_or_raise, serialize
from modules.catalogue.categories import repository
from modules.catalogue.categories.schemas import (
    CategoryCreate,
    CategoryNode,
    CategoryRead,
    CategoryUpdate,
)
from modules.catalogue.errors import (
    CategoryCycle,
    CategoryNotEmpty,
    CategoryNotFound,
    CategoryTreeCorrupt,
    SlugTaken,
    UnknownCategory,
)
from modules.catalogue.events import CategoryChanged, CategoryCreated, CategoryDeleted
from modules.catalogue.models import (
    CATEGORY_PARENT_KEY,
    CATEGORY_SLUG_UNIQUE,
    PRODUCT_CATEGORY_KEY,
    Category,
)

# Held by every move of a category until its transaction ends.
TREE_LOCK = "catalogue.category_tree"
logger = logging.getLogger("mosaic.catalogue")


async def list_categories(uow: UnitOfWork) -> Sequence[Category]:
    """Returns every category, siblings in display order."""
    return await repository.categories(uow.session)


async def category_tree(uow: UnitOfWork) -> list[CategoryNode]:
    """Returns the root categories, each with its descendants nested, in display order; raises
    ``catalogue.category_tree_corrupt`` when some categories are each other's ancestors (no
    root leads to them, and leaving them out would hide them)."""
    categories = await repository.categories(uow.session)
    nodes = {
        category.id: CategoryNode(**CategoryRead.model_validate(category).model_dump(), children=[])
        for category in categories
    }
    roots: list[CategoryNode] = []
    for node in nodes.values():  # in display order, so every children list is sorted too
        parent = nodes.get(node.parent_id) if node.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    placed, below = 0, list(roots)
    while below:  # a cycle has no root above it, so this walk never enters one
        placed += 1
        below.extend(below.pop().children)
    if placed < len(nodes):
        parent_of = {category.id: category.parent_id for category in categories}
        raise _corrupt({member for start in parent_of for member in _walk_up(parent_of, start)[1]})
    return roots


async def get_category(uow: UnitOfWork, *, category_id: int) -> Category:
    """Returns the category, or raises ``catalogue.category_not_found``."""
    category = await uow.session.get(Category, category_id)
    if category is None:
        raise CategoryNotFound(f"No category has id {category_id}.")
    return category


async def category_ancestors(uow: UnitOfWork, *, category: Category) -> list[Category]:
    """Returns the breadcrumb of ``category``: its ancestors from the root down; raises
    ``catalogue.category_tree_corrupt`` when they loop back instead of reaching a root."""
    if category.parent_id is None:
        return []
    lineage = await repository.lineage(uow.session, category_id=category.id)
    parent_of = {found.id: found.parent_id for found in lineage.values()}
    above, cycle = _walk_up(parent_of, category.id)
    if cycle:
        raise _corrupt(set(cycle))
    return [lineage[ancestor] for ancestor in reversed(above)]


async def create_category(uow: UnitOfWork, *, data: CategoryCreate) -> Category:
    """Returns the new category; its slug must be free and its parent must exist."""
    if await repository.slug_exists(uow.session, slug=data.slug):
        raise SlugTaken(f"A category already has the slug '{data.slug}'.")
    if data.parent_id is not None:
        await category_for(uow, data.parent_id)
    category = Category(
        slug=data.slug, name=data.name, parent_id=data.parent_id, position=data.position
    )
    uow.session.add(category)
    # A concurrent request may take the slug, or delete the parent, since the checks.
    await flush_or_raise(
        uow.session,
        {
            CATEGORY_SLUG_UNIQUE: SlugTaken(f"A category already has the slug '{data.slug}'."),
            CATEGORY_PARENT_KEY: UnknownCategory(f"Category {data.parent_id} was deleted."),
        },
    )
    await uow.publish(CategoryCreated(category_id=category.id, slug=category.slug))
    return category


async def update_category(
    uow: UnitOfWork, *, category: Category, changes: CategoryUpdate
) -> Category:
    """Returns the changed category. Moving it under itself or a descendant is refused."""
    fields = changes.model_fields_set
    changed: list[str] = []
    if "parent_id" in fields:
        # Two opposite moves checked at once would each pass the check and together make a
        # cycle: moves run one at a time, over the tree as the previous one left it.
        await serialize(uow.session, key=TREE_LOCK)
        # Read again: the previous move may have changed it since the request loaded it.
        if await uow.session.get(Category, category.id, populate_existing=True) is None:
            raise CategoryNotFound(f"No category has id {category.id}.")
    if changes.slug is not None and changes.slug != category.slug:
        if await repository.slug_exists(uow.session, slug=changes.slug):
            raise SlugTaken(f"A category already has the slug '{changes.slug}'.")
        category.slug = changes.slug
        changed.append("slug")
    if "parent_id" in fields and changes.parent_id != category.parent_id:
        if changes.parent_id is not None:
            await category_for(uow, changes.parent_id)
            if await repository.is_in_subtree(
                uow.session, root_id=category.id, category_id=changes.parent_id
            ):
                raise CategoryCycle(
                    f"Category {changes.parent_id} is category {category.id} or lies under it."
                )
        category.parent_id = changes.parent_id
        changed.append("parent_id")
    if changes.name is not None and changes.name != category.name:
        category.name = changes.name
        changed.append("name")
    if changes.position is not None and changes.position != category.position:
        category.position = changes.position
        changed.append("position")
    if {"slug", "name"} & fields:
        await repository.touch_products_in(uow.session, category_id=category.id)
    await flush_or_raise(
        uow.session,
        {
            CATEGORY_SLUG_UNIQUE: SlugTaken(f"A category already has the slug '{category.slug}'."),
            CATEGORY_PARENT_KEY: UnknownCategory(f"Category {category.parent_id} was deleted."),
        },
    )
    if changed:
        await uow.publish(
            CategoryChanged(category_id=category.id, slug=category.slug, fields=changed)
        )
    return category


async def delete_category(uow: UnitOfWork, *, category: Category) -> None:
    """Deletes an empty category; one still holding products or children is refused."""
    empty = CategoryNotEmpty(f"Category {category.id} still holds products or sub-categories.")
    if await repository.has_children_or_products(uow.session, category_id=category.id):
        raise empty
    deleted = CategoryDeleted(category_id=category.id, slug=category.slug)
    await uow.session.delete(category)
    # A concurrent request may add a product or a child since the check.
    await flush_or_raise(uow.session, {CATEGORY_PARENT_KEY: empty, PRODUCT_CATEGORY_KEY: empty})
    await uow.publish(deleted)


async def category_for(uow: UnitOfWork, category_id: int) -> Category:
    """Returns the category an input refers to, or raises ``catalogue.unknown_category``."""
    category = await uow.session.get(Category, category_id)
    if category is None:
        raise UnknownCategory(f"No category has id {category_id}.")
    return category


def _walk_up(parent_of: Mapping[int, int | None], start: int) -> tuple[list[int], list[int]]:
    """Returns the ids above ``start``, nearest first, and those of the cycle the walk ran into
    (none when it reached a root)."""
    chain, position = [start], {start: 0}
    parent = parent_of.get(start)
    while parent is not None and parent in parent_of:
        if parent in position:
            return chain[1:], chain[position[parent] :]
        position[parent] = len(chain)
        chain.append(parent)
        parent = parent_of[parent]
    return chain[1:], []


def _corrupt(cycle: set[int]) -> CategoryTreeCorrupt:
    ids = sorted(cycle)
    listed = ", ".join(str(category_id) for category_id in ids)
    logger.error("category tree corrupt: categories %s are each other's ancestors", listed)
    return CategoryTreeCorrupt(
        f"Categories {listed} are each other's ancestors. Moving one of them to the top level "
        "(PATCH with parent_id null) repairs the tree.",
        extensions={"cycle": ids},
    )
