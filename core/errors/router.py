"""The error catalogue over HTTP: ``GET /api/v1/errors`` and ``GET /api/v1/errors/{code}``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from core.errors.exceptions import NotFound
from core.errors.openapi import raises
from core.errors.registry import ErrorRegistry
from core.kernel.access import kernel_of


class ErrorCodeNotFound(NotFound):
    code = "core.error_code_not_found"
    title = "Error code not found"
    description = "No enabled module registers this error code."


class ErrorRead(BaseModel):
    """One entry of the error catalogue."""

    model_config = ConfigDict(from_attributes=True)

    code: str
    status: int
    title: str
    description: str
    module: str


router = APIRouter(prefix="/errors", tags=["errors"])


def _registry(request: Request) -> ErrorRegistry:
    registry: ErrorRegistry = kernel_of(request).errors
    return registry


@router.get("", response_model=list[ErrorRead], summary="List every error code")
async def list_errors(request: Request) -> list[ErrorRead]:
    """Every code a client of this deployment can receive, with its status and meaning."""
    return [ErrorRead.model_validate(entry) for entry in _registry(request)]


@router.get(
    "/{code}", response_model=ErrorRead, name="get_error", summary="Describe one error code"
)
@raises(ErrorCodeNotFound)
async def get_error(code: str, request: Request) -> ErrorRead:
    """The catalogue entry a problem document's ``type`` points at."""
    entry = _registry(request).get(code)
    if entry is None:
        raise ErrorCodeNotFound(f"No enabled module registers the error code '{code}'.")
    return ErrorRead.model_validate(entry)
