"""Building small plugins on the fly, for the refusal cases."""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from fastapi import APIRouter
from sqlalchemy import Column, Integer, MetaData, Table

from core import Module, hookimpl


def make_plugin(
    name: str,
    *,
    depends_on: Sequence[str] = (),
    prefix: str | None = None,
    tables: Sequence[str] = (),
    permissions: Sequence[str] = (),
    **extra: Any,
) -> object:
    """Returns a plugin object for module ``name`` claiming what the arguments say.

    Keywords named ``mosaic_…`` become hook implementations; any other goes into the record
    (``events=[...]``, ``settings=Model``).
    """
    record: dict[str, Any] = {}
    if prefix is not None:
        router = APIRouter(prefix=prefix)

        @router.get("/ping")
        async def ping() -> dict[str, str]:
            return {"module": name}

        record["routers"] = [router]
    if tables:
        metadata = MetaData()
        for table in tables:
            Table(table, metadata, Column("id", Integer, primary_key=True))
        record["models"] = metadata
    if permissions:
        record["permissions"] = dict.fromkeys(permissions, "x")
    hooks = {key: hookimpl(value) for key, value in extra.items() if key.startswith("mosaic_")}
    record.update({key: value for key, value in extra.items() if not key.startswith("mosaic_")})
    module = Module(
        name=name, version="0.0.1", description=f"{name} fixture", depends_on=depends_on, **record
    )
    hooks.setdefault("mosaic_describe_module", hookimpl(lambda: module))
    return SimpleNamespace(**hooks)
