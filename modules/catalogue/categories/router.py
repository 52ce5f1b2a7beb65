"""HTTP routes of the category tree: parse, call the service, answer."""

from __future__ import annotations

from fastapi import APIRouter, status

from core.auth import require
from core.db import UoW
from core.errors import raises
from modules.catalogue.categories import service
from modules.catalogue.categories.dependencies import ValidCategory
from modules.catalogue.categories.schemas import (
    CategoryCreate,
    CategoryDetail,
    CategoryNode,
    CategoryRead,
    CategoryRef,
    CategoryUpdate,
)
from modules.catalogue.dependencies import WRITE
from modules.catalogue.errors import (
    CategoryCycle,
    CategoryNotEmpty,
    CategoryTreeCorrupt,
    SlugTaken,
    UnknownCategory,
)
from modules.catalogue.models import Category

router = APIRouter(tags=["catalogue"])
writers_only = [require(WRITE)]


@router.get("/categories", response_model=list[CategoryRead], summary="List categories")
async def list_categories(uow: UoW) -> list[Category]:
    """Every category, flat, siblings in display order (`position`, then name)."""
    return list(await service.list_categories(uow))


@router.get("/categories/tree", response_model=list[CategoryNode], summary="Category tree")
@raises(CategoryTreeCorrupt)
async def read_category_tree(uow: UoW) -> list[CategoryNode]:
    """The root categories, each with its sub-categories nested, in display order."""
    return await service.category_tree(uow)


@router.get("/categories/{category_id}", response_model=CategoryDetail, summary="Read a category")
@raises(CategoryTreeCorrupt)
async def read_category(category: ValidCategory, uow: UoW) -> CategoryDetail:
    """The category with its breadcrumb (`ancestors`, from the root down)."""
    ancestors = await service.category_ancestors(uow, category=category)
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
    return await service.create_category(uow, data=body)


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
    return await service.update_category(uow, category=category, changes=body)


@router.delete(
    "/categories/{category_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=writers_only,
    summary="Delete a category",
)
@raises(CategoryNotEmpty)
async def delete_category(category: ValidCategory, uow: UoW) -> None:
    """Deletes a category holding no product and no sub-category (409 otherwise)."""
    await service.delete_category(uow, category=category)
