"""The kernel's own error codes: protocol-level failures no module owns."""

from __future__ import annotations

from core.errors.exceptions import (
    BadRequest,
    Forbidden,
    MosaicError,
    NotFound,
    TooManyRequests,
    Unauthorized,
    Unavailable,
    UnprocessableContent,
)


class HttpError(MosaicError):
    code = "core.http_error"
    title = "HTTP error"
    description = "An HTTP-level failure without a more specific code; `status` tells which."


class InvalidRequest(BadRequest):
    code = "core.bad_request"
    title = "Bad request"
    description = "The request could not be understood."


class MalformedJson(BadRequest):
    code = "core.malformed_json"
    title = "Malformed JSON"
    description = "The request body is not valid JSON."


class UntrustedHost(BadRequest):
    code = "core.untrusted_host"
    title = "Untrusted host"
    description = "The Host header names a host this service does not answer for."


class InvalidCursor(BadRequest):
    code = "core.invalid_cursor"
    title = "Invalid cursor"
    description = (
        "The `cursor` is not a `next` this listing returned: it was altered, forged or cut "
        "short, issued by another listing, or issued for another order of the same listing."
    )


class CorsRefused(BadRequest):
    code = "core.cors_refused"
    title = "Cross-origin request refused"
    description = (
        "The CORS preflight asks for an origin, method or header this service does not allow."
    )


class AuthenticationRequired(Unauthorized):
    code = "core.unauthorized"
    title = "Authentication required"
    description = "The request needs a valid bearer token."


class PermissionDenied(Forbidden):
    code = "core.forbidden"
    title = "Permission denied"
    description = "The credentials are valid but do not grant this operation."


class RouteNotFound(NotFound):
    code = "core.not_found"
    title = "Not found"
    description = "No resource lives at this URL."


class MethodNotAllowed(MosaicError):
    status = 405
    code = "core.method_not_allowed"
    title = "Method not allowed"
    description = "The resource exists but does not accept this method; see the Allow header."


class NotAcceptable(MosaicError):
    status = 406
    code = "core.not_acceptable"
    title = "Not acceptable"
    description = "The resource cannot be represented in any media type the Accept header allows."


class RequestTooLarge(MosaicError):
    status = 413
    code = "core.request_too_large"
    title = "Request body too large"
    description = (
        "The request body exceeds the size this route accepts: `MOSAIC_MAX_BODY_SIZE`, or the "
        "module setting the route declares; the detail names the one that applied."
    )


class UnsupportedMediaType(MosaicError):
    status = 415
    code = "core.unsupported_media_type"
    title = "Unsupported media type"
    description = "The request body's Content-Type is not one this operation accepts."


class ValidationFailed(UnprocessableContent):
    code = "core.validation_failed"
    title = "Validation failed"
    description = "One or more inputs are invalid; `errors` points at each of them."


class RateLimited(TooManyRequests):
    code = "core.too_many_requests"
    title = "Too many requests"
    description = "The caller is throttled; retry after the number of seconds in Retry-After."


class InternalError(MosaicError):
    code = "core.internal_error"
    title = "Internal server error"
    description = (
        "Something went wrong on the server. Quote `request_id` when reporting it; "
        "the details are in the server log."
    )


class ServiceUnavailable(Unavailable):
    code = "core.service_unavailable"
    title = "Service unavailable"
    description = "A dependency of the service (database, migrations) is not ready."


class MigrationsPending(Unavailable):
    code = "core.migrations_pending"
    title = "Migrations pending"
    description = (
        "An enabled module's tables are not in the database yet: the operator has to run "
        "`mosaic db upgrade`. Nothing was written; retry after Retry-After."
    )


class DatabaseTimeout(MosaicError):
    status = 503
    code = "core.database_timeout"
    title = "Database timeout"
    description = (
        "A database statement ran longer than the service allows "
        "(`MOSAIC_DB_STATEMENT_TIMEOUT_MS` on PostgreSQL), or waited longer than "
        "`MOSAIC_SQLITE_BUSY_TIMEOUT_MS` for SQLite's write lock, and was given up; nothing was "
        "written. Retry after the seconds in Retry-After."
    )


KERNEL_ERRORS: tuple[type[MosaicError], ...] = (
    HttpError,
    InvalidRequest,
    MalformedJson,
    UntrustedHost,
    InvalidCursor,
    CorsRefused,
    AuthenticationRequired,
    PermissionDenied,
    RouteNotFound,
    MethodNotAllowed,
    NotAcceptable,
    RequestTooLarge,
    UnsupportedMediaType,
    ValidationFailed,
    RateLimited,
    InternalError,
    ServiceUnavailable,
    DatabaseTimeout,
    MigrationsPending,
)

BY_STATUS: dict[int, type[MosaicError]] = {
    400: InvalidRequest,
    401: AuthenticationRequired,
    403: PermissionDenied,
    404: RouteNotFound,
    405: MethodNotAllowed,
    406: NotAcceptable,
    413: RequestTooLarge,
    415: UnsupportedMediaType,
    422: ValidationFailed,
    429: RateLimited,
    500: InternalError,
    503: ServiceUnavailable,
}
