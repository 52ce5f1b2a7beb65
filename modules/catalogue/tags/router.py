"""HTTP routes of tags: parse, call the service, answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, status

from core.auth import require
from core.db import UoW
from core.errors import raises
from modules.catalogue.dependencies import WRITE
from modules.catalogue.errors import SlugTaken, TagNotFound
from modules.catalogue.models import Tag
from modules.catalogue.tags import service
from modules.catalogue.tags.schemas import TagCreate, TagRead
from modules.catalogue.types import Slug

router = APIRouter(tags=["catalogue"])
writers_only = [require(WRITE)]


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
