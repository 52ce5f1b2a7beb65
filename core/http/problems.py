"""Problem answers sent by middlewares, which run outside FastAPI's exception handlers."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from core.errors.exceptions import MosaicError
from core.errors.problem import problem_response
from core.errors.registry import ErrorEntry


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
