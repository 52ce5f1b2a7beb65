"""The applications a run compares, by name: the kernel, the bare app, the bare app on `limit`."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import FastAPI

from bench import bare_app
from bench.config import kernel_settings
from core.app import create_app

KERNEL = "kernel"
BARE = "bare"
LIMIT_ONLY = "limit-only"
TARGETS = (KERNEL, BARE, LIMIT_ONLY)


def application(target: str, url: str, env: Mapping[str, str]) -> FastAPI:
    """Builds the application ``target`` names over the database at ``url``; the kernel reads
    its settings from ``env``."""
    if target == KERNEL:
        return create_app(kernel_settings(url, env))
    if target == BARE:
        return bare_app.create_app(url)
    if target == LIMIT_ONLY:
        return bare_app.create_limit_only_app(url)
    raise ValueError(f"unknown application {target!r}; expected one of {', '.join(TARGETS)}")
