"""Input and output of the tags API."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from modules.catalogue.types import Input, Slug, TagName


class TagCreate(Input):
    slug: Slug
    name: TagName


class TagRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    slug: str
    name: str
