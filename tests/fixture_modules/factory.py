"""Building small plugins on the fly, for the refusal cases."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Column, Integer, MetaData, Table

from core import ModuleInfo, hookimpl


def make_plugin(
    name: str,
    *,
    depends_on: Sequence[str] = (),
    prefix: str | None = None,
    tables: Sequence[str] = (),
    errors: Sequence[type] = (),
    permissions: Sequence[str] = (),
    settings: type | None = None,
    **extra_hooks: Any,
) -> object:
    """Returns a plugin object for module ``name`` claiming what the arguments say."""
    hooks: dict[str, Any] = {}

    @hookimpl
    def mosaic_describe_module() -> ModuleInfo:
        return ModuleInfo(name, "0.0.1", f"{name} fixture", tuple(depends_on))

    hooks["mosaic_describe_module"] = mosaic_describe_module
    if prefix is not None:
        router = APIRouter(prefix=prefix)

        @router.get("/ping")
        async def ping() -> dict[str, str]:
            return {"module": name}

        hooks["mosaic_register_routers"] = hookimpl(lambda: [router])
    if tables:
        metadata = MetaData()
        for table in tables:
            Table(table, metadata, Column("id", Integer, primary_key=True))
        hooks["mosaic_register_models"] = hookimpl(lambda: metadata)
    if errors:
        hooks["mosaic_register_errors"] = hookimpl(lambda: list(errors))
    if permissions:
        hooks["mosaic_register_permissions"] = hookimpl(lambda: dict.fromkeys(permissions, "x"))
    if settings is not None:
        hooks["mosaic_register_settings"] = hookimpl(lambda: settings)
    hooks.update({key: hookimpl(value) for key, value in extra_hooks.items()})
    return SimpleNamespace(**hooks)
