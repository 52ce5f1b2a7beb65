"""Turning every failure of a request into a problem document, in one place."""

from __future__ import annotations

import email.message
import logging
import socket
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.params import Form
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from core.db.outage import Outage
from core.errors import kernel_errors
from core.errors.exceptions import MosaicError
from core.errors.problem import FieldError, problem_response
from core.errors.registry import ErrorEntry, ErrorRegistry
from core.http.methods import resource_methods

logger = logging.getLogger("mosaic.errors")

# PostgreSQL's SQLSTATE for a statement it cancelled: the statement timeout, or an operator's
# pg_cancel_backend. Either way the work was undone and a later attempt may well succeed.
QUERY_CANCELED = "57014"
UNDEFINED_TABLE = "42P01"
MIGRATIONS_RETRY_AFTER = 30
DATABASE_RETRY_AFTER = 5
# admin_shutdown, crash_shutdown, cannot_connect_now: what a stopping or starting server answers.
SERVER_UNAVAILABLE = frozenset({"57P01", "57P02", "57P03"})
# too_many_connections: the server's max_connections or a role's CONNECTION LIMIT is reached.
TOO_MANY_CONNECTIONS = "53300"


def install_error_handlers(app: FastAPI, registry: ErrorRegistry, *, outage: Outage) -> None:
    """Registers the handlers that render errors raised inside routes and dependencies.

    ``outage`` hears of every request the database could not serve, and logs each outage once.
    """

    def entry_for(error: type[MosaicError]) -> ErrorEntry:
        known = registry.get(error.code)
        if known is not None:
            return known
        logger.warning("error code %s is raised but not registered by any module", error.code)
        return ErrorEntry(error.code, error.status, error.title, error.description, "unknown")

    async def on_mosaic_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, MosaicError)
        return problem_response(
            request,
            entry_for(type(exc)),
            detail=exc.detail,
            headers=exc.headers,
            extensions=exc.extensions,
        )

    async def on_http_exception(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        error = kernel_errors.BY_STATUS.get(exc.status_code, kernel_errors.HttpError)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        entry = entry_for(error)
        # Starlette's own details ("Not Found") only repeat the status phrase; the catalogue's
        # description says more. A detail a route wrote itself is kept.
        detail = exc.detail if isinstance(exc.detail, str) else None
        if detail is None or detail == _phrase(exc.status_code):
            detail = entry.description
        return problem_response(
            request, entry, status=exc.status_code, detail=detail, headers=headers
        )

    async def on_validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        raw = exc.errors()
        if any(error.get("type") == "json_invalid" for error in raw):
            return problem_response(
                request,
                entry_for(kernel_errors.MalformedJson),
                detail="The request body is not valid JSON.",
            )
        if _body_has_wrong_media_type(request, raw):
            return problem_response(
                request,
                entry_for(kernel_errors.UnsupportedMediaType),
                detail=f"Send the body as {' or '.join(_accepted_media_types(request))}.",
            )
        return problem_response(
            request,
            entry_for(kernel_errors.ValidationFailed),
            detail=f"{len(raw)} input{'s are' if len(raw) != 1 else ' is'} invalid.",
            errors=[_field_error(error) for error in raw],
        )

    async def on_database_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DBAPIError)
        if exc.connection_invalidated or _server_unavailable(exc):
            return await on_unreachable(request, exc)
        if _missing_table(exc):
            logger.error(
                "a table is missing in %s %s: %s", request.method, request.url.path, exc.orig
            )
            return problem_response(
                request,
                entry_for(kernel_errors.MigrationsPending),
                detail="An enabled module's tables are not in the database yet; the operator runs "
                "'mosaic db upgrade'.",
                headers={"Retry-After": str(MIGRATIONS_RETRY_AFTER)},
            )
        if not _timed_out(exc):
            raise exc  # a failure: the server-error middleware logs it and answers 500
        logger.warning(
            "database statement cancelled in %s %s: %s",
            request.method,
            request.url.path,
            exc.orig,
        )
        return problem_response(
            request,
            entry_for(kernel_errors.DatabaseTimeout),
            detail="The database took too long to answer; the request changed nothing.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )

    async def on_unreachable(request: Request, exc: Exception) -> Response:
        # The database server refused or dropped the connection: an outage, not a bug; the
        # client may retry. The driver's own error is the cause (SQLAlchemy's adds the SQL).
        cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
        outage.failed(cause, where=f"{request.method} {request.url.path}")
        return problem_response(
            request,
            entry_for(kernel_errors.ServiceUnavailable),
            detail="A service the API depends on cannot be reached; the request changed nothing.",
            headers={"Retry-After": str(DATABASE_RETRY_AFTER)},
        )

    app.add_exception_handler(MosaicError, on_mosaic_error)
    app.add_exception_handler(DBAPIError, on_database_error)
    app.add_exception_handler(ConnectionError, on_unreachable)
    # The server's name does not resolve: a stopped compose service leaves Docker's DNS.
    app.add_exception_handler(socket.gaierror, on_unreachable)
    app.add_exception_handler(HTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_validation_error)


def _server_unavailable(exc: DBAPIError) -> bool:
    """PostgreSQL refused or ended the connection because it is starting, stopping or crashed
    (SQLSTATE 57P01 to 57P03) or holds too many connections (53300), or the connection failed
    (class 08)."""
    sqlstate = getattr(exc.orig, "sqlstate", None) or ""
    return (
        sqlstate in SERVER_UNAVAILABLE
        or sqlstate == TOO_MANY_CONNECTIONS
        or sqlstate.startswith("08")
    )


def _missing_table(exc: DBAPIError) -> bool:
    """A module's table does not exist: its migrations were never applied (PostgreSQL's
    ``undefined_table``, SQLite's ``no such table``)."""
    if getattr(exc.orig, "sqlstate", None) == UNDEFINED_TABLE:
        return True
    return str(exc.orig).startswith("no such table")


def _timed_out(exc: DBAPIError) -> bool:
    """PostgreSQL cancelled the statement (``statement_timeout``), or SQLite's lock stayed taken
    past ``MOSAIC_SQLITE_BUSY_TIMEOUT_MS``."""
    if getattr(exc.orig, "sqlstate", None) == QUERY_CANCELED:
        return True
    return "database is locked" in str(exc.orig)


def _phrase(status: int) -> str | None:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


def _field_error(error: Mapping[str, Any]) -> FieldError:
    loc = tuple(error.get("loc", ()))
    location = str(loc[0]) if loc else "body"
    parts = (str(part).replace("~", "~0").replace("/", "~1") for part in loc[1:])
    return FieldError(
        pointer="".join(f"/{part}" for part in parts),
        location=location,
        code=str(error.get("type", "invalid")),
        message=str(error.get("msg", "Invalid value")),
    )


def _body_has_wrong_media_type(request: Request, errors: Sequence[Mapping[str, Any]]) -> bool:
    """A body of a media type the route does not decode is left undecoded; say 415, not 422."""
    if not any(tuple(error.get("loc", ()))[:1] == ("body",) for error in errors):
        return False
    if (
        request.headers.get("content-length", "0") == "0"
        and "transfer-encoding" not in request.headers
    ):
        return False
    content_type = request.headers.get("content-type")
    if not content_type:
        return True
    message = email.message.Message()
    message["content-type"] = content_type
    sent = message.get_content_type()
    accepted = _accepted_media_types(request)
    if accepted == _JSON and sent.startswith("application/") and sent.endswith("+json"):
        return False
    return sent not in accepted


_JSON = ("application/json",)
_FORM = ("application/x-www-form-urlencoded", "multipart/form-data")


def _accepted_media_types(request: Request) -> tuple[str, ...]:
    """What the matched route decodes its body from: a form, or JSON (``+json`` types too)."""
    body_field = getattr(request.scope.get("route"), "body_field", None)
    return _FORM if body_field is not None and isinstance(body_field.field_info, Form) else _JSON


def _allowed_methods(request: Request) -> str:
    """Every method of the resource the path names (Starlette only reports the first route's)."""
    return ", ".join(sorted(resource_methods(request.app, request.scope) or ()))
