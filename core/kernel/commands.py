"""Giving a command the kernel the ``mosaic`` group loaded, and a Unit of Work to work in.

The group loads the kernel once, to find the enabled modules' commands, and keeps it in the
click context; a command takes it from there instead of loading it again, and runs its database
work with :func:`run_in_unit_of_work`::

    @users_group.command("list")
    @pass_kernel
    def list_command(kernel: Kernel) -> None:
        users = run_in_unit_of_work(kernel, lambda uow: service.all_users(uow))
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec, TypeVar

import click

from core.db.uow import UnitOfWork
from core.kernel.kernel import Kernel

P = ParamSpec("P")
R = TypeVar("R")
T = TypeVar("T")


def context_kernel(ctx: click.Context) -> Kernel:
    """Returns the kernel kept in ``ctx`` or a parent; the first call loads it (a
    :class:`~core.config.errors.ConfigError` when the configuration is wrong) and keeps it in the
    outermost context, for every command after.
    """
    kernel = ctx.find_object(Kernel)
    if kernel is None:
        kernel = Kernel.load()
        root = ctx.find_root()
        if root.obj is None:
            root.obj = kernel
    return kernel


def pass_kernel(command: Callable[Concatenate[Kernel, P], R]) -> Callable[P, R]:
    """Decorates a click command so it receives the kernel as its first argument."""

    def with_kernel(*args: P.args, **kwargs: P.kwargs) -> R:
        ctx = click.get_current_context()
        return ctx.invoke(command, context_kernel(ctx), *args, **kwargs)

    return update_wrapper(with_kernel, command)


def run_in_unit_of_work(kernel: Kernel, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Returns what ``work`` returns, run in one Unit of Work of the kernel's database: committed
    when it returns, rolled back when it raises (the exception goes on to the caller).

    A command is synchronous: this runs the event loop for the work, and closes the database's
    connections after it, whose pool would otherwise outlive the loop.
    """

    async def main() -> T:
        try:
            async with kernel.database.unit_of_work() as uow:
                return await work(uow)
        finally:
            await kernel.database.dispose()

    return asyncio.run(main())
