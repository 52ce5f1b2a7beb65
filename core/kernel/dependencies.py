"""Giving a route the kernel of the application it runs in.

A module declares what it needs from the kernel as a typed parameter, never by reading
``request.app.state``::

    @router.patch("/{user_id}")
    async def update(body: UserAdminUpdate, kernel: KernelDep) -> ...:
        known = kernel.roles
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from core.kernel.access import kernel_of
from core.kernel.kernel import Kernel


async def current_kernel(request: Request) -> Kernel:
    """Returns the kernel the application was built from.

    A coroutine function although it awaits nothing: FastAPI runs a plain ``def`` dependency in
    its thread pool, a hop that costs more than the lookup itself.
    """
    return kernel_of(request)


KernelDep = Annotated[Kernel, Depends(current_kernel)]
