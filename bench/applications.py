"""The applications a run compares, by name: the kernel, the bare app, the bare app on `limit`,
and the floor (Starlette + asyncpg or aiosqlite + orjson; not in :data:`TARGETS`)."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.applications import Starlette

from bench import bare_app, floor_app
from bench.config import kernel_settings
from core.app import create_app

KERNEL = "kernel"
BARE = "bare"
LIMIT_ONLY = "limit-only"
FLOOR = "floor"
TARGETS = (KERNEL, BARE, LIMIT_ONLY)


def application(target: str, url: str, env: Mapping[str, str]) -> Starlette:
    """Builds the application ``target`` names over the database at ``url``; the kernel reads
    its settings from ``env``, and the bare apps its secret key, which signs their cursors too."""
    if target == KERNEL:
        return create_app(kernel_settings(url, env))
    if target == BARE:
        return bare_app.create_app(url, secret_key=env["MOSAIC_SECRET_KEY"])
    if target == LIMIT_ONLY:
        return bare_app.create_limit_only_app(url, secret_key=env["MOSAIC_SECRET_KEY"])
    if target == FLOOR:
        return floor_app.create_app(url, secret_key=env["MOSAIC_SECRET_KEY"])
    raise ValueError(f"unknown application {target!r}; expected one of {', '.join(TARGETS)}")
