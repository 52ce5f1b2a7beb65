"""How a listing command prints its rows: JSON for a script, lines of text for a reader."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import click

Row = Mapping[str, Any]


def echo_rows(
    rows: Sequence[Row], *, as_json: bool, none: str, lines: Callable[[Row], Iterable[str]]
) -> None:
    """Prints ``rows`` as one indented JSON array, or the ``lines`` of each row, or ``none``
    when there is no row."""
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    if not rows:
        click.echo(none)
    for row in rows:
        for line in lines(row):
            click.echo(line)
