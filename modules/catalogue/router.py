"""The catalogue's HTTP surface under ``/api/v1/catalogue``: categories, tags and products."""

from __future__ import annotations

from fastapi import APIRouter

from modules.catalogue.categories_router import router as categories_router
from modules.catalogue.products_router import router as products_router

router = APIRouter(prefix="/catalogue")
router.include_router(categories_router)
router.include_router(products_router)
