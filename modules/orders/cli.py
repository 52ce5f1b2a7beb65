"""``mosaic orders …``: the orders module's commands."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import click

from core import Kernel, pass_kernel, utcnow
from modules.orders.config import OrdersSettings
from modules.orders.expiry import cutoff, expire_all


@click.group("orders")
def orders_cli() -> None:
    """Operate orders: expiry of unpaid orders."""


@orders_cli.command("expire")
@click.option(
    "--older-than",
    "minutes",
    type=click.IntRange(min=1),
    default=None,
    help="Minutes; default: the module's pending_expiry_minutes setting.",
)
@pass_kernel
def expire_command(kernel: Kernel, minutes: int | None) -> None:
    """Cancel the pending (unpaid) orders placed longer ago than the setting
    pending_expiry_minutes (or --older-than), releasing their stock."""
    before = (
        utcnow() - timedelta(minutes=minutes)
        if minutes is not None
        else cutoff(kernel.settings_of(OrdersSettings))
    )
    if before is None:
        raise click.ClickException(
            "set [modules.orders] pending_expiry_minutes in plugins.toml, or pass --older-than"
        )
    expired = asyncio.run(_expire(kernel, before))
    click.echo(f"expired {expired} pending order{'s' if expired != 1 else ''}")


async def _expire(kernel: Kernel, before: datetime) -> int:
    try:
        return await expire_all(kernel, before=before)
    finally:
        await kernel.database.dispose()
