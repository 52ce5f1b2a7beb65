"""``mosaic auth``: session housekeeping from the command line."""

from __future__ import annotations

import asyncio

import click

from core import Kernel, pass_kernel
from modules.auth.service import prune_sessions


@click.group("auth")
def auth_group() -> None:
    """Manage login sessions."""


@auth_group.command("prune-sessions")
@pass_kernel
def prune_sessions_command(kernel: Kernel) -> None:
    """Remove expired and revoked sessions (their tokens can never be used again)."""
    removed = asyncio.run(_prune(kernel))
    click.echo(f"removed {removed} expired or revoked session{'s' if removed != 1 else ''}")


async def _prune(kernel: Kernel) -> int:
    try:
        async with kernel.database.unit_of_work() as uow:
            return await prune_sessions(uow)
    finally:
        await kernel.database.dispose()
