"""Authentication in the kernel: a principal from a bearer token, and permission checks.

The kernel knows no user store: one enabled module registers an :class:`Authenticator` through
``mosaic_register_authenticator``; every module protects its routes with :func:`require`.
"""

from core.auth.authenticator import Authenticator
from core.auth.dependencies import CurrentPrincipal, OptionalPrincipal, require
from core.auth.errors import InsufficientScope, InvalidToken
from core.auth.principal import Principal

__all__ = [
    "Authenticator",
    "CurrentPrincipal",
    "InsufficientScope",
    "InvalidToken",
    "OptionalPrincipal",
    "Principal",
    "require",
]
