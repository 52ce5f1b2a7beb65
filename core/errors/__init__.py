"""The error contract: exception families, the catalogue and problem details."""

from core.errors.exceptions import (
    BadRequest,
    Conflict,
    Forbidden,
    MosaicError,
    NotFound,
    PreconditionFailed,
    TooManyRequests,
    Unauthorized,
    Unavailable,
    UnprocessableContent,
)
from core.errors.openapi import raises
from core.errors.problem import PROBLEM_MEDIA_TYPE, FieldError, Problem
from core.errors.registry import ErrorEntry, ErrorRegistry

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "BadRequest",
    "Conflict",
    "ErrorEntry",
    "ErrorRegistry",
    "FieldError",
    "Forbidden",
    "MosaicError",
    "NotFound",
    "PreconditionFailed",
    "Problem",
    "TooManyRequests",
    "Unauthorized",
    "Unavailable",
    "UnprocessableContent",
    "raises",
]
