"""How many items a listing's page holds: the ``limit`` query parameter, bounded.

Every listing answers a ``limit`` above its maximum alike, with a validation error (422), never
with a smaller page than was asked for. The maximum and the default are a module's settings
(:class:`PagingSettings`) or fixed by the module::

    PageSize = Annotated[int, Depends(page_size(CatalogueSettings, description="..."))]
    PageSize = Annotated[int, Depends(page_size(maximum=200, default=50, description="..."))]
"""

# No ``from __future__ import annotations``: FastAPI reads the parameters' annotations, and those
# of a dependency built here name this function's arguments, which only evaluated ones can.

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Self

from fastapi import Depends, Query
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, model_validator

from core.config.dependencies import module_settings
from core.types import PlainInteger, SettingMaximum

#: The ceiling of ``max_page_size``: no deployment pages more rows at once.
PAGE_SIZE_CEILING = 1000


class PagingSettings(BaseModel):
    """The page-size settings of a module with listings; its settings model subclasses this one
    and may give ``default_page_size`` another default. Setting only a ``max_page_size`` below
    the default lowers the default with it."""

    # Settings: a misspelt key is refused, and nothing changes them once loaded.
    model_config = ConfigDict(extra="forbid", frozen=True)

    max_page_size: int = Field(
        default=100,
        ge=1,
        le=PAGE_SIZE_CEILING,
        description="Largest `limit` a listing accepts; above it is 422.",
    )
    default_page_size: int = Field(
        default=20,
        ge=1,
        le=PAGE_SIZE_CEILING,
        description="Items per page when `limit` is not given.",
    )

    @model_validator(mode="before")
    @classmethod
    def _default_follows_a_lower_maximum(cls, data: object) -> object:
        # Setting only max_page_size = 10 must work: the default page shrinks with it.
        if isinstance(data, dict) and "default_page_size" not in data:
            maximum = data.get("max_page_size")
            default = cls.model_fields["default_page_size"].default
            if isinstance(maximum, int) and 1 <= maximum < default:
                return {**data, "default_page_size": maximum}
        return data

    @model_validator(mode="after")
    def _default_fits_maximum(self) -> Self:
        if self.default_page_size > self.max_page_size:
            raise ValueError("default_page_size must not exceed max_page_size")
        return self


def page_size(
    settings: type[PagingSettings] | None = None,
    *,
    maximum: int | None = None,
    default: int | None = None,
    description: str,
) -> Callable[..., Awaitable[int]]:
    """Returns a dependency that yields the page size a request asks for as ``limit``: at most
    the module's ``max_page_size`` and ``default_page_size`` when left out (``settings``), or
    at most ``maximum`` and ``default`` otherwise. ``description`` documents the parameter; a
    ``limit`` above the maximum is a validation error (422), which OpenAPI shows with the
    deployment's maximum."""
    if settings is not None:
        return _configured(settings, description=description)
    if maximum is None or default is None:
        raise TypeError("page_size needs a settings model, or a maximum and a default")
    return _fixed(maximum=maximum, default=default, description=description)


def _fixed(*, maximum: int, default: int, description: str) -> Callable[..., Awaitable[int]]:
    async def dependency(
        limit: Annotated[
            int, Query(ge=1, le=maximum, description=description), PlainInteger
        ] = default,
    ) -> int:
        return limit

    return dependency


def _configured(
    settings: type[PagingSettings], *, description: str
) -> Callable[..., Awaitable[int]]:
    async def dependency(
        config: Annotated[Any, Depends(module_settings(settings))],
        limit: Annotated[
            int | None,
            Query(ge=1, le=PAGE_SIZE_CEILING, description=description),
            PlainInteger,
            SettingMaximum(settings, "max_page_size"),
        ] = None,
    ) -> int:
        if limit is None:
            return int(config.default_page_size)
        if limit > config.max_page_size:
            # The parameter is validated without the deployment's settings, so the
            # configured maximum is checked here, and answered as the bound in Query would be.
            raise RequestValidationError(
                [
                    {
                        "type": "less_than_equal",
                        "loc": ("query", "limit"),
                        "msg": f"Input should be less than or equal to {config.max_page_size}",
                        "input": limit,
                        "ctx": {"le": config.max_page_size},
                    }
                ]
            )
        return limit

    return dependency
