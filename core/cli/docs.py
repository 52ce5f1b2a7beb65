"""``mosaic openapi`` and ``mosaic errors``: the API contract, without starting a server."""

from __future__ import annotations

import json
from pathlib import Path

import click

from core.app import build_app
from core.kernel.commands import pass_kernel
from core.kernel.kernel import Kernel


@click.command("openapi")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@pass_kernel
def openapi_command(kernel: Kernel, output: Path | None) -> None:
    """Print the OpenAPI document of the enabled modules."""
    document = json.dumps(build_app(kernel).openapi(), indent=2, sort_keys=False)
    if output is None:
        click.echo(document)
    else:
        output.write_text(document + "\n", encoding="utf-8")


@click.command("errors")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@pass_kernel
def errors_command(kernel: Kernel, as_json: bool) -> None:
    """Print the error catalogue: every code a client can receive."""
    entries = list(kernel.errors)
    if as_json:
        rows = [
            {
                "code": e.code,
                "status": e.status,
                "title": e.title,
                "description": e.description,
                "module": e.module,
            }
            for e in entries
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    width = max(len(entry.code) for entry in entries)
    for entry in entries:
        click.echo(f"{entry.code:<{width}}  {entry.status}  {entry.title}")
