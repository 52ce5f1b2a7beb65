"""``mosaic users``: account administration from the command line."""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import click
from pydantic import TypeAdapter, ValidationError

from core import Kernel, pass_kernel
from modules.users import service
from modules.users.config import UsersSettings
from modules.users.errors import EmailTaken
from modules.users.passwords import passwords_for
from modules.users.schemas import Email, Password

ADMIN_ROLE = "admin"
EXIT_FAILURE = 1


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create-admin")
@click.option("--email", required=True, help="The administrator's email address.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.",
)
@pass_kernel
def create_admin_command(kernel: Kernel, email: str, password_stdin: bool) -> None:
    """Create an active account with the role 'admin'."""
    address = _valid(Email, email, "--email")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    password = _valid(Password, password, "the password")
    try:
        asyncio.run(_create_admin(kernel, email=address, password=password))
    except EmailTaken:
        click.echo(f"mosaic: users: an account with the email {address} already exists.", err=True)
        raise SystemExit(EXIT_FAILURE) from None
    click.echo(f"created administrator {address}")


async def _create_admin(kernel: Kernel, *, email: str, password: str) -> None:
    passwords = passwords_for(kernel.settings_of(UsersSettings))
    try:
        async with kernel.database.unit_of_work() as uow:
            await service.register(
                uow,
                email=email,
                password=password,
                display_name=None,
                roles=(ADMIN_ROLE,),
                passwords=passwords,
            )
    finally:
        await kernel.database.dispose()


def _valid(kind: Any, value: str, what: str) -> str:
    """Returns ``value`` checked (and normalized) by the API's own rules, or exits with why."""
    try:
        checked: str = TypeAdapter(kind).validate_python(value)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise click.BadParameter(message, param_hint=what) from None
    return checked
