"""Chained dependencies of the categories routes: the category of the path, loaded."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from core import PlainInteger
from core.db import UoW
from core.errors import raises
from modules.catalogue.categories import service
from modules.catalogue.errors import CategoryNotFound
from modules.catalogue.models import Category
from modules.catalogue.types import MAX_ID

CategoryId = Annotated[int, Path(ge=1, le=MAX_ID), PlainInteger]


@raises(CategoryNotFound)
async def valid_category(category_id: CategoryId, uow: UoW) -> Category:
    """Returns the category of the path, or 404."""
    return await service.get_category(uow, category_id=category_id)


ValidCategory = Annotated[Category, Depends(valid_category)]
