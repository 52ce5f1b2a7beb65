"""Tiny routes for the kernel's HTTP tests: who is calling, caching, body sizes.

The module itself is the plugin (``{"probe": probe}``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict

from core import Module, body_limit, hookimpl
from core.auth.dependencies import CurrentPrincipal

router = APIRouter(prefix="/probe", tags=["probe"])


class ProbeSettings(BaseModel):
    """Body limits of the upload routes that declare their own, above and below the kernel's."""

    model_config = ConfigDict(extra="forbid")

    large_upload_bytes: int = 4096
    small_upload_bytes: int = 100


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


@router.post("/upload/large")
@body_limit(ProbeSettings, "large_upload_bytes")
async def upload_large(request: Request) -> dict[str, int]:
    return await upload(request)


@router.post("/upload/small")
@body_limit(ProbeSettings, "small_upload_bytes")
async def upload_small(request: Request) -> dict[str, int]:
    return await upload(request)


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="probe",
        version="0.0.1",
        description="Tiny routes for kernel HTTP tests.",
        settings=ProbeSettings,
        routers=[router],
    )
