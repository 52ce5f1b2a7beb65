"""Giving a module its validated settings inside a request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request
from pydantic import BaseModel

from core.kernel.access import kernel_of

SettingsT = TypeVar("SettingsT", bound=BaseModel)


def module_settings(model: type[SettingsT]) -> Callable[[Request], Awaitable[SettingsT]]:
    """Returns a dependency that yields the enabled module's settings of type ``model``::

    CatalogueConfig = Annotated[CatalogueSettings, Depends(module_settings(CatalogueSettings))]

    It is a coroutine function although it awaits nothing: FastAPI runs a plain ``def``
    dependency in its thread pool, a hop that costs more than the lookup itself.
    """

    async def dependency(request: Request) -> SettingsT:
        settings: SettingsT = kernel_of(request).settings_of(model)
        return settings

    return dependency
