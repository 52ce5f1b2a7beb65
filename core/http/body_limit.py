"""A ceiling on request bodies, whether their size is announced or streamed in chunks.

Every route accepts ``MOSAIC_MAX_BODY_SIZE`` bytes, unless it declares its own ceiling from one of
its module's settings with :func:`body_limit` (a bulk import takes more, a login form less)::

    @router.post("/products/import")
    @body_limit(CatalogueSettings, "import_max_bytes")
    async def import_products(...): ...

The 413 names the setting that applied, so an operator knows what to raise.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.errors.kernel_errors import RequestTooLarge
from core.errors.problem import send_problem

if TYPE_CHECKING:
    from core.kernel.kernel import Kernel

F = TypeVar("F", bound=Callable[..., Any])
_ATTRIBUTE = "__mosaic_body_limit__"


@dataclass(frozen=True, slots=True)
class BodyLimit:
    """How many body bytes a request may send, and the setting an operator changes for more."""

    size: int
    setting: str

    @property
    def detail(self) -> str:
        """The 413's detail: the limit and where it is set."""
        return f"The request body exceeds the limit of {self.size} bytes set by {self.setting}."


@dataclass(frozen=True, slots=True)
class _Declared:
    model: type[BaseModel]
    field: str
    envelope: int


def body_limit(model: type[BaseModel], field: str, *, envelope: int = 0) -> Callable[[F], F]:
    """Declares that a route accepts a body up to its module's ``field`` setting, in bytes.

    ``model`` is the module's settings model; ``envelope`` is added for what wraps the content
    (a form's boundary and part headers), so a limit on a file stays a limit on the file. The
    ceiling replaces ``MOSAIC_MAX_BODY_SIZE`` for the route, higher or lower, and is enforced
    the same way: an announced length over it is refused unread, a stream is cut off past it.
    """

    def mark(endpoint: F) -> F:
        setattr(endpoint, _ATTRIBUTE, _Declared(model, field, envelope))
        return endpoint

    return mark


def route_body_limits(
    routes: Iterable[BaseRoute], kernel: Kernel | None
) -> list[tuple[BaseRoute, BodyLimit]]:
    """Returns the routes that declare their own ceiling (:func:`body_limit`), with that ceiling
    as ``kernel``'s module settings set it; a proxy in front must let such bodies through."""
    found: list[tuple[BaseRoute, BodyLimit]] = []
    for route in routes:
        declared = getattr(getattr(route, "endpoint", None), _ATTRIBUTE, None)
        if isinstance(declared, _Declared):
            found.append((route, _resolve(declared, kernel)))
    return found


def _resolve(declared: _Declared, kernel: Kernel | None) -> BodyLimit:
    if kernel is None:
        raise LookupError("a route declares its body limit, but no kernel gives its settings")
    for module, settings in kernel.module_settings.items():
        if isinstance(settings, declared.model):
            size: int = getattr(settings, declared.field)
            variable = f"MOSAIC_MODULES__{module.upper()}__{declared.field.upper()}"
            where = f"{declared.field} in [modules.{module}] ({variable})"
            return BodyLimit(size + declared.envelope, where)
    raise LookupError(f"no enabled module has settings of type {declared.model.__name__}")


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` once a streamed body passes the limit.

    An ``HTTPException`` because FastAPI re-raises those from body parsing (any other exception
    becomes a 400 there), so the error handlers answer it as ``core.request_too_large``.
    """

    def __init__(self, limit: BodyLimit) -> None:
        super().__init__(413, limit.detail, headers=_CLOSE)


class BodyLimitMiddleware:
    """Answers 413 ``core.request_too_large`` for a body larger than its route accepts.

    A ``Content-Length`` over the limit is refused before the application runs; a body without
    one (chunked) is counted as the application reads it, and reading stops at the first chunk
    past the limit. The body is never read to its end to find out.
    """

    def __init__(self, app: ASGIApp, *, max_body_size: int, kernel: Kernel | None = None) -> None:
        self.app = app
        self.default = BodyLimit(max_body_size, "MOSAIC_MAX_BODY_SIZE")
        self.kernel = kernel
        # The routes' own limits, read from the application on its first request (the routes
        # are all in place by then), and the length every route accepts without a look.
        self._routes: tuple[BaseRoute, ...] | None = None
        self._declared: dict[Callable[..., Any], BodyLimit] = {}
        self._accepted_by_all = max_body_size

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._routes is None:
            self._read_declarations(scope["app"].router.routes)
        headers = Headers(scope=scope)
        announced = headers.get("content-length", "")
        framed = "transfer-encoding" not in headers and (announced == "" or announced.isdigit())
        if framed and (announced == "" or int(announced) <= self._accepted_by_all):
            # A body is announced by its length or by chunked coding (RFC 9112 §6.3): here there
            # is none, or one every route accepts, and the server reads no more than announced.
            await self.app(scope, receive, send)
            return

        limit = self._limit_of(scope)
        if announced.isdigit() and int(announced) > limit.size:
            await _refuse(scope, receive, send, limit)
            return
        if framed:
            await self.app(scope, receive, send)
            return

        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit.size:
                    raise BodyTooLarge(limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLarge:
            # Read outside a route (a middleware, a raw ASGI endpoint): answer here instead.
            if started:
                raise
            await _refuse(scope, receive, send, limit)

    def _read_declarations(self, routes: Iterable[BaseRoute]) -> None:
        self._routes = tuple(routes)
        for route, limit in route_body_limits(self._routes, self.kernel):
            self._declared[getattr(route, "endpoint")] = limit  # noqa: B009 (BaseRoute has none)
        self._accepted_by_all = min(
            [self.default.size, *(limit.size for limit in self._declared.values())]
        )

    def _limit_of(self, scope: Scope) -> BodyLimit:
        """The limit of the route that will take the request, matched as the router does."""
        if not self._declared:
            return self.default
        for route in self._routes or ():
            match, child = route.matches(scope)
            if match is Match.FULL:
                return self._declared.get(child.get("endpoint"), self.default)  # type: ignore[arg-type]
        return self.default


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: BodyLimit) -> None:
    await send_problem(scope, receive, send, RequestTooLarge, detail=limit.detail, headers=_CLOSE)


# The rest of the body stays unread, so the connection cannot carry another request.
_CLOSE = {"Connection": "close"}
