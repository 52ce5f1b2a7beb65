"""Exceptions that become problem details.

Every error a client can see is an instance of a concrete subclass bound to a registered code::

    MosaicError                      500 unless a subclass says otherwise
     ├── BadRequest                  400
     ├── Unauthorized                401  (adds WWW-Authenticate: Bearer)
     ├── Forbidden                   403
     ├── NotFound                    404
     ├── Conflict                    409
     ├── PreconditionFailed          412
     ├── UnprocessableContent        422
     ├── TooManyRequests             429  (adds Retry-After when given)
     └── Unavailable                 503  (adds Retry-After when given)

A module subclasses the family it belongs to and names its code::

    class ProductNotFound(NotFound):
        code = "catalogue.product_not_found"
        title = "Product not found"
        description = "No product has this id, or the caller may not see it."

and declares its classes in its record (``Module(errors=ERRORS)``). Raising one anywhere in a
request (route, dependency, service) produces ``application/problem+json`` with that code.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar


class MosaicError(Exception):
    """Base of every error the kernel renders as a problem document."""

    status: ClassVar[int] = 500
    code: ClassVar[str]
    title: ClassVar[str]
    description: ClassVar[str] = ""
    #: When true, the Unit of Work commits what the request wrote before this error was raised:
    #: the refusal is itself a state change that must last (a replayed refresh token revokes its
    #: session). False for every other error, whose writes are rolled back.
    keeps_writes: ClassVar[bool] = False

    def __init__(
        self,
        detail: str | None = None,
        *,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, object] | None = None,
    ) -> None:
        self.detail = detail or self.title
        self.headers = dict(headers or {})
        self.extensions = dict(extensions or {})
        super().__init__(self.detail)

    @classmethod
    def is_concrete(cls) -> bool:
        """Whether the class names its own code (families such as ``NotFound`` do not)."""
        return "code" in cls.__dict__


class BadRequest(MosaicError):
    """The request is malformed in a way validation cannot describe field by field."""

    status = 400


class Unauthorized(MosaicError):
    """No valid credentials: the client must (re)authenticate."""

    status = 401

    def __init__(
        self,
        detail: str | None = None,
        *,
        www_authenticate: str = "Bearer",
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(
            detail,
            headers={"WWW-Authenticate": www_authenticate, **(headers or {})},
            extensions=extensions,
        )


class Forbidden(MosaicError):
    """Valid credentials that do not grant what the request needs."""

    status = 403


class NotFound(MosaicError):
    """The resource does not exist, or the caller may not know that it does."""

    status = 404


class Conflict(MosaicError):
    """The request contradicts the current state (a duplicate, a resource still in use)."""

    status = 409


class PreconditionFailed(MosaicError):
    """A conditional request (``If-Match``) does not match the current version."""

    status = 412


class UnprocessableContent(MosaicError):
    """Well-formed input that breaks a business rule."""

    status = 422


class _RetryLater(MosaicError):
    """An error after which the client may try again: ``retry_after`` seconds, when given,
    becomes the ``Retry-After`` header."""

    def __init__(
        self,
        detail: str | None = None,
        *,
        retry_after: int | None = None,
        headers: Mapping[str, str] | None = None,
        extensions: Mapping[str, object] | None = None,
    ) -> None:
        extra = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        super().__init__(detail, headers={**extra, **(headers or {})}, extensions=extensions)


class TooManyRequests(_RetryLater):
    """The caller is throttled; ``retry_after`` seconds tells when to try again."""

    status = 429


class Unavailable(_RetryLater):
    """A dependency the request needs (database, shared store, broker) cannot be reached right
    now; ``retry_after`` seconds tells when to try again."""

    status = 503
