"""Input and output of the categories API; an update keeps the fields it leaves out."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from core import Omittable
from modules.catalogue.types import Id, Input, Name, Position, Slug


class CategoryCreate(Input):
    slug: Slug
    name: Name
    parent_id: Id | None = Field(default=None, description="Parent category; null for a root.")
    position: Position = Field(default=0, description="Order among its siblings, lowest first.")


class CategoryUpdate(Input):
    slug: Omittable[Slug] = None
    name: Omittable[Name] = None
    parent_id: Id | None = Field(
        default=None, description="Moves the category; null makes it a root."
    )
    position: Omittable[Position] = None


class CategoryRef(BaseModel):
    """A category as it appears inside another resource."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str


class CategoryRead(CategoryRef):
    parent_id: int | None
    position: int


class CategoryDetail(CategoryRead):
    ancestors: list[CategoryRef] = Field(
        description="The breadcrumb: every ancestor, from the root down to the parent."
    )


class CategoryNode(CategoryRead):
    children: list[CategoryNode]
