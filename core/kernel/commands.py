"""Giving a command the kernel the ``mosaic`` group loaded.

The group loads the kernel once, to find the enabled modules' commands, and keeps it in the
click context; a command takes it from there instead of loading it again::

    @users_group.command("list")
    @pass_kernel
    def list_command(kernel: Kernel) -> None: ...
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Concatenate, ParamSpec, TypeVar

import click

from core.kernel.kernel import Kernel

P = ParamSpec("P")
R = TypeVar("R")


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
