"""A request's path names one resource; a method that resource does not accept is a 405.

OpenAPI, like HTTP, picks the resource by the path alone, a concrete path such as
``/categories/tree`` before a templated one such as ``/categories/{id}``, and only then looks at
the method. Starlette instead takes the first route matching path and method together, so
``PATCH /categories/tree`` would reach ``PATCH /categories/{id}`` with ``id="tree"``, and the 405
of ``OPTIONS /users/me`` would advertise the methods of ``/users/{id}`` as well.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass

from fastapi.routing import iter_route_contexts
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send


def resource_methods(app: Starlette, scope: Scope) -> frozenset[str] | None:
    """Returns the methods of the resource the request's path names.

    Of the routes whose path matches, the resource is the most specific path template: at the
    first segment where two templates differ, a literal segment beats a parameter (routing order
    breaks ties). Its methods are those of every route with that template. ``None`` when no
    method-based route matches the path (nothing at all, or only a mount).
    """
    path = _route_path(scope)
    table = _resources(app)
    # A template without parameters matches its own path only, and beats any with parameters.
    literal = table.literal.get(path)
    if literal is not None:
        return literal
    for pattern, methods in table.templated:
        if pattern.match(path):
            return methods
    return None


@dataclass(frozen=True, slots=True)
class _Resources:
    """The application's path templates: literal ones by path, the others most specific first."""

    literal: dict[str, frozenset[str]]
    templated: list[tuple[re.Pattern[str], frozenset[str]]]


def _resources(app: Starlette) -> _Resources:
    """The resources of ``app``, computed once per application."""
    cached: _Resources | None = getattr(app.state, "mosaic_resources", None)
    if cached is not None:
        return cached
    templates: dict[str, tuple[re.Pattern[str], set[str]]] = {}
    for route in iter_route_contexts(app.router.routes):
        if route.methods and route.path_format:
            _regex, methods = templates.setdefault(route.path_format, (route.path_regex, set()))
            methods.update(route.methods)
    ordered = sorted(templates.items(), key=lambda item: _specificity(item[0]))
    table = _Resources(
        literal={t: frozenset(m) for t, (_p, m) in ordered if "{" not in t},
        templated=[(pattern, frozenset(m)) for t, (pattern, m) in ordered if "{" in t],
    )
    app.state.mosaic_resources = table
    return table


def _route_path(scope: Scope) -> str:
    """The path routes match against: without the ``root_path`` a proxy mounted us under."""
    path: str = scope["path"]
    root = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in ("", "/"):
        return path[len(root) :]
    return path


def _specificity(template: str) -> tuple[bool, ...]:
    """Sorts ``/products/import`` before ``/products/{id}``: literal segments first."""
    return tuple("{" in segment for segment in template.split("/"))


class MethodNotAllowedMiddleware:
    """Answers 405, as the application answers Starlette's own, when the resource the path names
    does not accept the method, before a route with an overlapping template can take it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            application: Starlette = scope["app"]
            methods = resource_methods(application, scope)
            if methods is not None and scope["method"] not in methods:
                handler = application.exception_handlers[HTTPException]
                answer = handler(Request(scope, receive), HTTPException(405))
                response: Response = await answer if inspect.isawaitable(answer) else answer
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
