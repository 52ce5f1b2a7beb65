"""Tiny routes for the kernel's HTTP tests: who is calling, caching, body sizes.

The module itself is the plugin (``{"probe": probe}``).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import APIRouter, Request, Response

from core import ModuleInfo, hookimpl
from core.auth.dependencies import CurrentPrincipal

router = APIRouter(prefix="/probe", tags=["probe"])

# What the upload route read, request by request, so a test can tell how much reached it.
RECEIVED: list[int] = []


@router.get("/me")
async def me(principal: CurrentPrincipal) -> dict[str, str]:
    return {"subject": principal.subject}


@router.get("/cached")
async def cached(principal: CurrentPrincipal, response: Response) -> dict[str, str]:
    response.headers["Cache-Control"] = "private, max-age=60"
    return {"subject": principal.subject}


@router.post("/upload")
async def upload(request: Request) -> dict[str, int]:
    RECEIVED.append(0)
    async for chunk in request.stream():
        RECEIVED[-1] += len(chunk)
    return {"received": RECEIVED[-1]}


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo("probe", "0.0.1", "Tiny routes for kernel HTTP tests.")


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [router]
