"""``mosaic events``: the publication registry, for operators."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import click

from core.cli.output import Row, echo_rows
from core.db.uow import UnitOfWork
from core.events import repository
from core.kernel.commands import pass_kernel, run_in_unit_of_work
from core.kernel.kernel import Kernel

_DURATION = re.compile(r"^(\d+)([smhdw])$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _duration(_ctx: click.Context, _param: click.Parameter, value: str) -> timedelta:
    match = _DURATION.match(value.strip())
    if match is None:
        raise click.BadParameter(f"'{value}' is not a duration such as 30m, 12h or 7d")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


@click.group("events")
def events_group() -> None:
    """Inspect, resubmit and prune event publications."""


@events_group.command("list")
@click.option("--status", type=click.Choice(repository.STATUSES), help="Only this status.")
@click.option("--type", "event_type", help="Only this event type, e.g. users.deleted.v1.")
@click.option("--limit", type=click.IntRange(1, 10_000), default=100, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_kernel
def list_command(
    kernel: Kernel, status: str | None, event_type: str | None, limit: int, as_json: bool
) -> None:
    """Show publications, newest first: event, listener, status, attempts and last error."""

    async def work(uow: UnitOfWork) -> list[dict[str, object]]:
        found = await repository.listing(
            uow.session, status=status, event_type=event_type, limit=limit
        )
        return [
            {
                "id": str(p.id),
                "event_id": str(p.event_id),
                "type": p.event_type,
                "listener": p.listener,
                "status": p.status,
                "attempts": p.attempts,
                "occurred_at": p.occurred_at.isoformat(),
                "last_error": p.last_error,
            }
            for p in found
        ]

    rows = run_in_unit_of_work(kernel, work)
    echo_rows(rows, as_json=as_json, none="no publication matches", lines=_publication_lines)


def _publication_lines(row: Row) -> Iterator[str]:
    yield (
        f"{row['id']} {row['type']} -> {row['listener']}: {row['status']} "
        f"after {row['attempts']} attempt(s), {row['occurred_at']}"
    )
    if row["last_error"] and row["status"] != "completed":
        yield f"  last error: {row['last_error']}"


@events_group.command("retry")
@click.argument("publication_id", required=False, type=click.UUID)
@click.option("--all-abandoned", is_flag=True, help="Resubmit every abandoned publication.")
@pass_kernel
def retry_command(kernel: Kernel, publication_id: uuid.UUID | None, all_abandoned: bool) -> None:
    """Resubmit an abandoned publication (or all of them) for delivery with fresh attempts."""
    if (publication_id is None) == (not all_abandoned):
        raise click.UsageError("give a publication ID or --all-abandoned, not both")

    async def work(uow: UnitOfWork) -> int:
        now = datetime.now(UTC)
        return await repository.resubmit(uow.session, now=now, publication_id=publication_id)

    count = run_in_unit_of_work(kernel, work)
    if publication_id is not None and count == 0:
        click.echo(f"mosaic: events: no abandoned publication has id {publication_id}", err=True)
        raise SystemExit(1)
    click.echo(f"resubmitted {count} publication{'s' if count != 1 else ''}")


@events_group.command("prune")
@click.option(
    "--older-than",
    "older_than",
    required=True,
    callback=_duration,
    help="Remove completed publications older than this (30m, 12h, 7d, 2w).",
)
@pass_kernel
def prune_command(kernel: Kernel, older_than: timedelta) -> None:
    """Remove completed publications (incomplete and abandoned ones are always kept)."""

    async def work(uow: UnitOfWork) -> int:
        return await repository.prune(uow.session, before=datetime.now(UTC) - older_than)

    count = run_in_unit_of_work(kernel, work)
    click.echo(f"removed {count} completed publication{'s' if count != 1 else ''}")
