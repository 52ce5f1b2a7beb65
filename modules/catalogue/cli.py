"""``mosaic catalogue …``: the catalogue's commands."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import BinaryIO

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)

from core import Kernel, pass_kernel, run_in_unit_of_work
from core.db import UnitOfWork
from core.errors import MosaicError
from modules.catalogue.config import CatalogueSettings
from modules.catalogue.products import importer
from modules.catalogue.products.schemas import ImportReport

CHUNK_SIZE = 64 * 1024
EXIT_REJECTED = 1


@click.group("catalogue")
def catalogue_cli() -> None:
    """Operate the catalogue: bulk import of products."""


@catalogue_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_kernel
@click.pass_context
def import_command(ctx: click.Context, kernel: Kernel, file: Path) -> None:
    """Create or update products by SKU from the CSV FILE.

    Columns (header line first, any order): sku, name, slug, price, category (required);
    description, stock, status, tags (optional; tags separated by |). Prints one line per
    rejected row and the totals; exits with status 1 when a row was rejected (the other rows
    are imported all the same), 0 otherwise.
    """
    console = Console(stderr=True)
    try:
        with file.open("rb") as source:
            report = _import(kernel, source, size=file.stat().st_size, console=console)
    except MosaicError as exc:
        raise click.ClickException(f"nothing was imported: {exc.detail}") from None
    for rejection in report.rejections:
        click.echo(
            f"line {rejection.line}: rejected ({rejection.sku or 'no SKU'}): {rejection.reason}"
        )
    if report.rejected > len(report.rejections):
        click.echo(f"… and {report.rejected - len(report.rejections)} more rejected rows")
    click.echo(", ".join(f"{key}: {value}" for key, value in report.as_counts().items()))
    if report.rejected:
        ctx.exit(EXIT_REJECTED)


def _import(kernel: Kernel, source: BinaryIO, *, size: int, console: Console) -> ImportReport:
    settings = kernel.settings_of(CatalogueSettings)
    with import_progress(console) as progress:
        task = progress.add_task("import", total=size, rows=0, rejected=0)

        async def chunks() -> AsyncIterator[bytes]:
            while chunk := await asyncio.to_thread(source.read, CHUNK_SIZE):
                progress.advance(task, len(chunk))
                yield chunk

        def on_batch(report: ImportReport) -> None:
            rows = sum(report.as_counts().values())
            progress.update(task, rows=rows, rejected=report.rejected)

        async def work(uow: UnitOfWork) -> ImportReport:
            return await importer.import_products(
                uow, chunks=chunks(), batch_size=settings.import_batch_size, on_batch=on_batch
            )

        return run_in_unit_of_work(kernel, work)


def import_progress(console: Console) -> Progress:
    """The import's progress: how much of the file is read, and the rows done and rejected.

    The bar follows bytes (the number of rows is not known before the end) with the rows beside
    it. One line within 80 columns, whatever the counts; nothing at all (not even a last frame)
    when stderr is not an interactive terminal, where the totals printed at the end say it all.
    """
    return Progress(
        BarColumn(bar_width=28),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:>11,} rows"),
        TextColumn("{task.fields[rejected]:>9,} rejected"),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_interactive,
    )
