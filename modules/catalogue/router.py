"""The catalogue's HTTP surface under ``/api/v1/catalogue``: categories, tags and products,
each a sub-package with the same files."""

from __future__ import annotations

from fastapi import APIRouter

from modules.catalogue.categories.router import router as categories_router
from modules.catalogue.products.router import router as products_router
from modules.catalogue.tags.router import router as tags_router

router = APIRouter(prefix="/catalogue")
router.include_router(categories_router)
router.include_router(tags_router)
router.include_router(products_router)
