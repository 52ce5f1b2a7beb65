"""``mosaic db``: each module's Alembic branch, operated from one place."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import click
from sqlalchemy import text
from sqlalchemy.engine import Connection

from core.alembic_branches import operations
from core.alembic_branches.branches import Branches
from core.kernel.commands import pass_kernel
from core.kernel.kernel import Kernel

T = TypeVar("T")


def _run(kernel: Kernel, operation: Callable[[Connection], T]) -> T:
    """Runs ``operation`` on a connection of the kernel's database, in one transaction."""

    async def main() -> T:
        engine = kernel.database.engine
        try:
            async with engine.begin() as connection:
                if not kernel.settings.is_sqlite:
                    # Building an index on a large table may rightly take longer than any
                    # request should: the statement timeout guards requests, not migrations.
                    await connection.execute(text("SET LOCAL statement_timeout = 0"))
                return await connection.run_sync(operation)
        finally:
            await engine.dispose()

    return asyncio.run(main())


@click.group("db")
def db_group() -> None:
    """Migrate the database: one Alembic branch per module."""


@db_group.command("upgrade")
@pass_kernel
def upgrade_command(kernel: Kernel) -> None:
    """Bring every enabled module's tables to its newest revision."""
    upgraded = _run(kernel, lambda connection: operations.upgrade(kernel, connection))
    click.echo(f"upgraded: {', '.join(upgraded)}" if upgraded else "no module has migrations")


@db_group.command("status")
@pass_kernel
def status_command(kernel: Kernel) -> None:
    """Show, per module: enabled, newest revision, database revision, up to date."""
    rows = _run(kernel, Branches.of(kernel).status)
    if not rows:
        click.echo("no installed module has migrations")
    for row in rows:
        state = "up to date" if row.up_to_date else "behind"
        click.echo(
            f"{row.module:<20} {'enabled' if row.enabled else 'disabled':<9} "
            f"head={row.head or '-'} database={row.current or '-'} {state}"
        )


@db_group.command("downgrade")
@click.argument("module")
@pass_kernel
def downgrade_command(kernel: Kernel, module: str) -> None:
    """Remove MODULE's tables (refused while an enabled module depends on it)."""
    _run(kernel, lambda connection: operations.downgrade(kernel, connection, module))
    click.echo(f"downgraded: {module}")


@db_group.command("revision")
@click.argument("module")
@click.option("-m", "--message", required=True, help="What the revision changes.")
@click.option("--autogenerate", is_flag=True, help="Compare the module's models with the database.")
@pass_kernel
def revision_command(kernel: Kernel, module: str, message: str, autogenerate: bool) -> None:
    """Write MODULE's next revision (MODULE_NNNN) into its branch.

    With --autogenerate the database must hold the newest revision of MODULE's branch and of those
    it depends on; a plain revision needs no database.
    """
    if autogenerate:
        path = _run(
            kernel,
            lambda connection: operations.revision(
                kernel, module, message=message, autogenerate=True, connection=connection
            ),
        )
    else:
        path = operations.revision(
            kernel, module, message=message, autogenerate=False, connection=None
        )
    click.echo(f"wrote {path}")
