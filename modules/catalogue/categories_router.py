"""HTTP routes of the category tree and of tags: parse, call the service, answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from core.auth import require
from core.db import UoW
from core.errors import raises
from modules.catalogue import categories_service, service
from modules.catalogue.dependencies import WRITE, ValidCategory
from modules.catalogue.errors import (
    CategoryCycle,
    CategoryNotEmpty,
    CategoryTreeCorrupt,
    SlugTaken,
    TagNotFound,
    UnknownCategory,
)
from modules.catalogue.models import Category, Tag
from modules.catalogue.schemas import (
    CategoryCreate,
    CategoryDetail,
    CategoryNode,
    CategoryRead,
    CategoryRef,
    CategoryUpdate,
    Slug,
    TagCreate,
    TagRead,
)

router = APIRouter(tags=["catalogue"])
writers_only = [require(WRITE)]


@router.get("/categories", response_model=list[CategoryRead], summary="List categories")
async def list_categories(uow: UoW) -> list[Category]:
    """Every category, flat, siblings in display order (`position`, then name)."""
    return list(await categories_service.list_categories(uow))


@router.get("/categories/tree", response_model=list[CategoryNode], summary="Category tree")
@raises(CategoryTreeCorrupt)
async def read_category_tree(uow: UoW) -> list[CategoryNode]:
    """The root categories, each with its sub-categories nested, in display order."""
    return await categories_service.category_tree(uow)


@router.get("/categories/{category_id}", response_model=CategoryDetail, summary="Read a category")
@raises(CategoryTreeCorrupt)
async def read_category(category: ValidCategory, uow: UoW) -> CategoryDetail:
    """The category with its breadcrumb (`ancestors`, from the root down)."""
    ancestors = await categories_service.category_ancestors(uow, category=category)
    return CategoryDetail(
        **CategoryRead.model_validate(category).model_dump(),
        ancestors=[CategoryRef.model_validate(ancestor) for ancestor in ancestors],
    )


@router.post(
    "/categories",
    response_model=CategoryRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=writers_only,
    summary="Create a category",
)
@raises(SlugTaken, UnknownCategory)
async def create_category(body: CategoryCreate, uow: UoW) -> Category:
    """Creates a category under `parent_id` (a root when null). Needs `catalogue:write`."""
    return await categories_service.create_category(uow, data=body)


@router.patch(
    "/categories/{category_id}",
    response_model=CategoryRead,
    dependencies=writers_only,
    summary="Change or move a category",
)
@raises(SlugTaken, UnknownCategory, CategoryCycle)
async def update_category(category: ValidCategory, body: CategoryUpdate, uow: UoW) -> Category:
    """Changes the fields sent; `parent_id` moves the category (null: to the top level), but
    never under itself or one of its descendants (409). Needs `catalogue:write`."""
    return await categories_service.update_category(uow, category=category, changes=body)


@router.delete(
    "/categories/{category_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=writers_only,
    summary="Delete a category",
)
@raises(CategoryNotEmpty)
async def delete_category(category: ValidCategory, uow: UoW) -> None:
    """Deletes a category holding no product and no sub-category (409 otherwise)."""
    await categories_service.delete_category(uow, category=category)


@router.get("/tags", response_model=list[TagRead], summary="List tags")
async def list_tags(uow: UoW) -> list[Tag]:
    """Every tag, by slug."""
    return list(await service.list_tags(uow))


@router.post(
    "/tags",
    response_model=TagRead,
    status_code=status.HTTP_201_CREATED,
    dependencies=writers_only,
    summary="Create a tag",
)
@raises(SlugTaken)
async def create_tag(body: TagCreate, uow: UoW) -> Tag:
    """Creates a tag products can then name by its slug. Needs `catalogue:write`."""
    return await service.create_tag(uow, slug=body.slug, name=body.name)


@router.delete(
    "/tags/{slug}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=writers_only,
    summary="Delete a tag",
)
@raises(TagNotFound)
async def delete_tag(slug: Annotated[Slug, Path()], uow: UoW) -> None:
    """Deletes the tag and takes it off every product. Needs `catalogue:write`."""
    await service.delete_tag(uow, slug=slug)
