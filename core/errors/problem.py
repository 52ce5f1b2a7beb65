"""The RFC 9457 problem document and the response that carries it.

Routes reach :func:`problem_response` through the exception handlers; middlewares, which run
outside them, answer with :func:`send_problem`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from core.errors.exceptions import MosaicError
from core.errors.registry import ErrorEntry

PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    """One invalid input: where it is, a stable code, and a readable message."""

    model_config = ConfigDict(extra="forbid")

    pointer: str = Field(description="RFC 6901 JSON pointer into the input named by `location`.")
    location: str = Field(description="Where the input was: body, query, path, header or cookie.")
    code: str = Field(description="Stable code of the failed check, e.g. `missing`.")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document, extended with a stable ``code`` and the ``request_id``."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"additionalProperties": True})

    type: str = Field(description="URL of this code's entry in the error catalogue.")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The path of the request that failed.")
    code: str = Field(description="Stable, namespaced error code, e.g. `catalogue.sku_taken`.")
    request_id: str
    errors: list[FieldError] | None = Field(
        default=None, description="Present on validation failures: one entry per invalid input."
    )


def problem_response(
    request: Request,
    entry: ErrorEntry,
    *,
    status: int | None = None,
    detail: str | None = None,
    errors: Sequence[FieldError] | None = None,
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, object] | None = None,
) -> JSONResponse:
    """Returns the problem response for ``entry`` as seen by ``request``."""
    request_id = getattr(request.state, "request_id", "")
    body: dict[str, object] = {
        **(extensions or {}),
        "type": str(request.url_for("get_error", code=entry.code)),
        "title": entry.title,
        "status": status or entry.status,
        "detail": detail or entry.title,
        "instance": request.url.path,
        "code": entry.code,
        "request_id": request_id,
    }
    if errors is not None:
        body["errors"] = [error.model_dump() for error in errors]
    return JSONResponse(
        body,
        status_code=status or entry.status,
        headers=dict(headers or {}),
        media_type=PROBLEM_MEDIA_TYPE,
    )


def kernel_entry(error: type[MosaicError]) -> ErrorEntry:
    """Returns the catalogue entry of one of the kernel's own codes, without the registry."""
    return ErrorEntry(
        error.code, error.status, error.title, error.description or error.title, "core"
    )


async def send_problem(
    scope: Scope,
    receive: Receive,
    send: Send,
    error: type[MosaicError],
    *,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> None:
    """Answers the request in ``scope`` with the problem document of ``error``."""
    response = problem_response(Request(scope), kernel_entry(error), detail=detail, headers=headers)
    await response(scope, receive, send)
