"""Rules of tags. Functions work over the Unit of Work and never commit."""

from __future__ import annotations

from collections.abc import Sequence

from core.db import UnitOfWork, flush_or_raise
from modules.catalogue.errors import SlugTaken, TagNotFound, UnknownTag
from modules.catalogue.events import TagCreated, TagDeleted
from modules.catalogue.models import TAG_SLUG_UNIQUE, Tag
from modules.catalogue.tags import repository


async def list_tags(uow: UnitOfWork) -> Sequence[Tag]:
    """Returns every tag, by slug."""
    return await repository.tags(uow.session)


async def create_tag(uow: UnitOfWork, *, slug: str, name: str) -> Tag:
    """Returns the new tag; its slug must be free."""
    taken = SlugTaken(f"A tag already has the slug '{slug}'.")
    if await repository.slug_exists(uow.session, slug=slug):
        raise taken
    tag = Tag(slug=slug, name=name)
    uow.session.add(tag)
    await flush_or_raise(uow.session, {TAG_SLUG_UNIQUE: taken})
    await uow.publish(TagCreated(tag_id=tag.id, slug=tag.slug))
    return tag


async def delete_tag(uow: UnitOfWork, *, slug: str) -> None:
    """Deletes the tag and takes it off every product, or raises ``catalogue.tag_not_found``."""
    tag_id = await repository.delete_tag(uow.session, slug=slug)
    if tag_id is None:
        raise TagNotFound(f"No tag has the slug '{slug}'.")
    await uow.publish(TagDeleted(tag_id=tag_id, slug=slug))


async def tags_for(uow: UnitOfWork, *, slugs: Sequence[str]) -> list[Tag]:
    """Returns the tags with these slugs, or raises ``catalogue.unknown_tag``."""
    wanted = sorted(set(slugs))
    found = await repository.tags_by_slug(uow.session, slugs=wanted) if wanted else {}
    missing = [slug for slug in wanted if slug not in found]
    if missing:
        raise UnknownTag(f"No tag has the slug {', '.join(repr(slug) for slug in missing)}.")
    return [found[slug] for slug in wanted]
