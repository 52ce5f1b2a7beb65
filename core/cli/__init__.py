"""The ``mosaic`` command line: the kernel's commands plus those of the enabled modules."""

from __future__ import annotations

import os
import sys
from typing import Any, NoReturn

import click
from alembic.util import CommandError as AlembicCommandError
from sqlalchemy.exc import InterfaceError, OperationalError

from core.cli.db import db_group
from core.cli.docs import errors_command, openapi_command
from core.cli.events import events_group
from core.cli.modules import modules_group
from core.cli.serve import serve_command
from core.config.errors import ConfigError
from core.kernel.commands import context_kernel
from core.kernel.kernel import Kernel

EXIT_FAILURE = 1
EXIT_CONFIG = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `git log | head`


class MosaicCLI(click.Group):
    """Finds module commands lazily, so ``mosaic --help`` works even with a broken config.

    The kernel loaded to find a module's command stays in the context: the command receives
    that one (:func:`~core.kernel.commands.pass_kernel`) rather than loading its own.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        kernel = _kernel_or_none(ctx)
        extra = [command.name for m in kernel.modules for command in m.commands] if kernel else []
        return sorted({*names, *(name for name in extra if name)})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None:
            return command
        try:
            kernel = context_kernel(ctx)
        except ConfigError as exc:
            _fail(str(exc))
        for module in kernel.modules:
            for command in module.commands:
                if command.name == cmd_name:
                    return command
        for name, module in kernel.available.items():
            if any(command.name == cmd_name for command in module.commands):
                # Installed but disabled: "No such command" would send the operator looking
                # for a missing install rather than at the one line that enables it.
                where = kernel.config.path or "plugins.toml"
                _fail(
                    f"'{cmd_name}' is a command of module '{name}', which is disabled; "
                    f'add "{name}" to [modules] enabled in {where} to use it',
                    kind="module disabled",
                )
        return None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # here, so a reader gone away is seen below and not at exit
            return result
        except BrokenPipeError:
            _stdout_closed()
        except ConfigError as exc:
            _fail(str(exc))
        except AlembicCommandError as exc:
            _fail(f"migrations: {exc}", kind="migration error", code=EXIT_FAILURE)
        except (OperationalError, InterfaceError, OSError) as exc:
            reason = getattr(exc, "orig", None) or exc
            _fail(f"cannot reach the database: {reason}", kind="database error", code=EXIT_FAILURE)


def _kernel_or_none(ctx: click.Context) -> Kernel | None:
    try:
        return context_kernel(ctx)
    except ConfigError:
        return None


def _stdout_closed() -> NoReturn:
    """Stops quietly once the reader of stdout is gone (``mosaic errors | head -n 1``), as git does.

    The exit status is the one a shell reports for a program SIGPIPE ends; stdout points at
    ``/dev/null`` so the interpreter's last flush does not fail again (Python's ``signal`` docs).
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(EXIT_BROKEN_PIPE)


def _fail(message: str, *, kind: str = "configuration error", code: int = EXIT_CONFIG) -> Any:
    click.echo(f"mosaic: {kind}: {message}", err=True)
    raise SystemExit(code)


@click.group(cls=MosaicCLI, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mosaic")
def cli() -> None:
    """Run and operate a Mosaic service: one FastAPI app made of pluggable modules."""


cli.add_command(serve_command)
cli.add_command(modules_group)
cli.add_command(db_group)
cli.add_command(events_group)
cli.add_command(openapi_command)
cli.add_command(errors_command)


def main() -> None:
    """Console entry point."""
    cli()
