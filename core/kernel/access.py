"""The one place that reads the kernel an application was built from.

:func:`core.app.create_app` keeps the kernel on the application's state; everything in the kernel
that needs it while serving (dependencies, handlers, the OpenAPI generator, the test kit) asks
:func:`kernel_of`, so the untyped state is read in one line and its type is said once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import HTTPConnection

if TYPE_CHECKING:  # the kernel imports the packages that import this module
    from starlette.applications import Starlette

    from core.kernel.kernel import Kernel


def kernel_of(holder: HTTPConnection | Starlette) -> Kernel:
    """Returns the kernel of ``holder``: a request (or WebSocket) or the application itself."""
    app = holder.app if isinstance(holder, HTTPConnection) else holder
    kernel: Kernel = app.state.kernel
    return kernel
