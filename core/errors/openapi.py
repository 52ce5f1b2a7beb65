"""Documenting in OpenAPI every problem a route can really answer with.

Routes and dependencies declare what they raise with :func:`raises`; the kernel walks each route's
dependency tree, adds what the framework itself can answer (422 for parameters, 400 and 415 for a
JSON body, 500 everywhere) and writes each status with the problem schema and its codes. A
parameter bounded by a module setting (:class:`~core.types.SettingMaximum`) shows the running
deployment's value as its ``maximum``. The OAuth2 password flow gets the enabled modules'
permissions as its scopes, and the token URL of the enabled authenticator. Each tag is described
by the module of that name (the kernel's own tags by the kernel).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.params import Form
from fastapi.routing import APIRoute, RouteContext, iter_route_contexts

from core.errors import kernel_errors
from core.errors.exceptions import MosaicError
from core.errors.problem import PROBLEM_MEDIA_TYPE, Problem
from core.kernel.access import kernel_of
from core.types import SettingMaximum

F = TypeVar("F", bound=Callable[..., Any])
_ATTRIBUTE = "__mosaic_errors__"
ANONYMOUS_ALLOWED = "__mosaic_anonymous_allowed__"
# On a dependency: the headers it declares optional to answer their absence itself, which the
# document shows as required all the same.
REQUIRED_HEADERS = "__mosaic_required_headers__"


def raises(*errors: type[MosaicError]) -> Callable[[F], F]:
    """Declares the errors a route or a dependency raises, so OpenAPI documents them."""

    def mark(function: F) -> F:
        declared = getattr(function, _ATTRIBUTE, ())
        setattr(function, _ATTRIBUTE, (*declared, *errors))
        return function

    return mark


def requires_headers(*names: str) -> Callable[[F], F]:
    """Declares that a dependency, which takes the headers ``names`` as optional to answer their
    absence with its own error (a 400, a 428), needs them all the same: OpenAPI shows them
    required."""

    def mark(function: F) -> F:
        setattr(function, REQUIRED_HEADERS, (*getattr(function, REQUIRED_HEADERS, ()), *names))
        return function

    return mark


def api_routes(app: FastAPI) -> list[RouteContext]:
    """Returns every API route of ``app``, with included routers flattened."""
    return [
        context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
    ]


def route_errors(route: RouteContext) -> dict[int, list[type[MosaicError]]]:
    """Returns the errors ``route`` can answer with, by status."""
    found: list[type[MosaicError]] = [*_declared(route.dependant)]
    if _has_parameters(route.dependant):
        found.append(kernel_errors.ValidationFailed)
    if route.body_field is not None:
        if not isinstance(route.body_field.field_info, Form):
            found.append(kernel_errors.MalformedJson)
        found.append(kernel_errors.UnsupportedMediaType)
    found.append(kernel_errors.InternalError)
    by_status: dict[int, list[type[MosaicError]]] = defaultdict(list)
    for error in found:
        if error not in by_status[error.status]:
            by_status[error.status].append(error)
    return dict(sorted(by_status.items()))


def install_openapi(app: FastAPI) -> None:
    """Replaces ``app.openapi`` with a generator that documents problem responses."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _generate(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _generate(app: FastAPI) -> dict[str, Any]:
    kernel = kernel_of(app)
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=_tags(app, {module.name: module.info.description for module in kernel.modules}),
        servers=app.servers,
    )
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    problem = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(problem.pop("$defs", {}))
    schemas["Problem"] = problem
    for route in api_routes(app):
        if not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = schema["paths"][route.path_format][method.lower()]
            responses = operation.setdefault("responses", {})
            for status, errors in route_errors(route).items():
                responses[str(status)] = {
                    "description": _describe(errors),
                    "content": {
                        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}
                    },
                }
            operation["responses"] = dict(sorted(responses.items()))
            if operation.get("security") and _allows_anonymous(route.dependant):
                # OpenAPI's way to say "a token is optional": the empty requirement.
                operation["security"] = [{}, *operation["security"]]
            _document_setting_maximums(operation, route.dependant, app)
            _document_required_headers(operation, route.dependant)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    authenticator = kernel.authenticator
    _document_password_flow(
        components,
        permissions=kernel.permissions,
        token_url=authenticator.token_url if authenticator is not None else None,
    )
    return schema


# The kernel's own tags, which no module names.
KERNEL_TAGS = {
    "errors": "The error catalogue: every problem `code` a client can receive, and what it means.",
    "health": "Whether the process is up, and whether the service can take traffic.",
}


def _tags(app: FastAPI, descriptions: dict[str, str]) -> list[dict[str, Any]]:
    """The tags the documented routes use, in order of use, each with its description."""
    described = {**KERNEL_TAGS, **descriptions}
    used: dict[str, None] = {}
    for route in api_routes(app):
        if route.include_in_schema:
            used |= dict.fromkeys(str(tag) for tag in route.tags or ())
    return [
        {"name": tag, "description": described[tag]} if described.get(tag) else {"name": tag}
        for tag in used
    ]


def _document_setting_maximums(
    operation: dict[str, Any], dependant: Dependant, app: FastAPI
) -> None:
    """Writes the deployment's value of each ``SettingMaximum`` as its parameter's ``maximum``."""
    documented = {(item["in"], item["name"]): item for item in operation.get("parameters", ())}
    for location, field in _parameters(dependant):
        for bound in field.field_info.metadata:
            if not isinstance(bound, SettingMaximum):
                continue
            maximum = getattr(kernel_of(app).settings_of(bound.settings), bound.name)
            schema = documented[(location, field.alias)]["schema"]
            for choice in schema.get("anyOf", [schema]):  # `int | None` is a choice of two
                if choice.get("type") in {"integer", "number"}:
                    choice["maximum"] = maximum


def _document_required_headers(operation: dict[str, Any], dependant: Dependant) -> None:
    """Marks required the headers a dependency declares in ``REQUIRED_HEADERS``."""
    required = {name.lower() for name in _required_headers(dependant)}
    for parameter in operation.get("parameters", ()):
        if parameter["in"] == "header" and parameter["name"].lower() in required:
            parameter["required"] = True
            schema = parameter["schema"]
            present = next(
                (choice for choice in schema.get("anyOf", ()) if choice.get("type") != "null"),
                None,
            )
            if present is not None:
                # What the parameter declared beside the union (a pattern, lengths) stays.
                beside = {k: v for k, v in schema.items() if k not in {"anyOf", "default"}}
                parameter["schema"] = beside | present


def _required_headers(dependant: Dependant) -> list[str]:
    found = list(getattr(dependant.call, REQUIRED_HEADERS, ()))
    for dependency in dependant.dependencies:
        found += _required_headers(dependency)
    return found


def _parameters(dependant: Dependant) -> Iterable[tuple[str, Any]]:
    """Yields every parameter of the route and of its dependencies, with where it is sent."""
    for location, fields in (
        ("path", dependant.path_params),
        ("query", dependant.query_params),
        ("header", dependant.header_params),
        ("cookie", dependant.cookie_params),
    ):
        for field in fields:
            yield location, field
    for dependency in dependant.dependencies:
        yield from _parameters(dependency)


def _document_password_flow(
    components: dict[str, Any], *, permissions: dict[str, str], token_url: str | None
) -> None:
    """Lists the enabled modules' permissions as the OAuth2 scopes Swagger UI offers, and points
    the flow at the authenticator's token URL (without one, no module issues tokens)."""
    for scheme in components.get("securitySchemes", {}).values():
        password = scheme.get("flows", {}).get("password")
        if password is not None:
            password["scopes"] = dict(sorted(permissions.items()))
            if token_url is not None:
                password["tokenUrl"] = token_url


def _describe(errors: Iterable[type[MosaicError]]) -> str:
    return "; ".join(f"{error.title} (`{error.code}`)" for error in errors)


def _declared(dependant: Dependant) -> list[type[MosaicError]]:
    found = list(getattr(dependant.call, _ATTRIBUTE, ()))
    for dependency in dependant.dependencies:
        found += _declared(dependency)
    return found


def _allows_anonymous(dependant: Dependant) -> bool:
    if getattr(dependant.call, ANONYMOUS_ALLOWED, False):
        return True
    return any(_allows_anonymous(dependency) for dependency in dependant.dependencies)


def _has_parameters(dependant: Dependant) -> bool:
    if dependant.path_params or dependant.query_params or dependant.header_params:
        return True
    if dependant.cookie_params or dependant.body_params:
        return True
    return any(_has_parameters(dependency) for dependency in dependant.dependencies)
