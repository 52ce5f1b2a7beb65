"""``mosaic auth``: session housekeeping from the command line."""

from __future__ import annotations

import click

from core import Kernel, pass_kernel, run_in_unit_of_work
from modules.auth.service import prune_sessions


@click.group("auth")
def auth_group() -> None:
    """Manage login sessions."""


@auth_group.command("prune-sessions")
@pass_kernel
def prune_sessions_command(kernel: Kernel) -> None:
    """Remove expired and revoked sessions (their tokens can never be used again)."""
    removed = run_in_unit_of_work(kernel, prune_sessions)
    click.echo(f"removed {removed} expired or revoked session{'s' if removed != 1 else ''}")
