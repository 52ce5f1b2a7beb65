"""``mosaic users``: account administration from the command line.

Each command runs in one Unit of Work through the same service functions as the API, so the
same rules hold (the last administrator, sessions ended on deactivation or a new password).
A refusal is one sentence on stderr and exit status 1; input the API would refuse is a usage
error (status 2).
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NoReturn, TypeVar

import click
from pydantic import TypeAdapter, ValidationError

from core import Kernel, pass_kernel, run_in_unit_of_work
from core.db import AnyRow, UnitOfWork
from modules.users import repository, service
from modules.users.config import UsersSettings
from modules.users.cursor import Position
from modules.users.dependencies import ADMIN_PERMISSION
from modules.users.errors import EmailTaken, LastAdministrator
from modules.users.models import User
from modules.users.passwords import passwords_for
from modules.users.schemas import Email, Password, UserAdminUpdate

ADMIN_ROLE = "admin"
EXIT_FAILURE = 1
LIST_PAGE = 500
T = TypeVar("T")


# Both commands that set a password take it from stdin when scripted, or prompt for it.
_password_stdin = click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of prompting.",
)


@click.group("users")
def users_group() -> None:
    """Manage user accounts."""


@users_group.command("create-admin")
@click.option("--email", required=True, help="The administrator's email address.")
@_password_stdin
@pass_kernel
def create_admin_command(kernel: Kernel, email: str, password_stdin: bool) -> None:
    """Create an active account with the role 'admin'."""
    address = _valid(Email, email, "--email")
    password = _password(password_stdin, "Password")
    try:
        run_in_unit_of_work(
            kernel, lambda uow: _create_admin(uow, kernel, email=address, password=password)
        )
    except EmailTaken:
        click.echo(f"mosaic: users: an account with the email {address} already exists.", err=True)
        raise SystemExit(EXIT_FAILURE) from None
    click.echo(f"created administrator {address}")


async def _create_admin(uow: UnitOfWork, kernel: Kernel, *, email: str, password: str) -> None:
    await service.register(
        uow,
        email=email,
        password=password,
        display_name=None,
        roles=(ADMIN_ROLE,),
        passwords=passwords_for(kernel.settings_of(UsersSettings)),
        email_verified=True,  # the operator vouches for the address
    )


@users_group.command("list")
@click.option("--role", help="Only accounts with this role.")
@click.option("--inactive", is_flag=True, help="Only inactive accounts.")
@pass_kernel
def list_command(kernel: Kernel, role: str | None, inactive: bool) -> None:
    """List accounts, oldest first: email, roles, active or not, email verified or not."""
    if role is not None:
        _known_roles(kernel, (role,))
    users = _run(kernel, lambda uow: _all_users(uow, role=role, inactive=inactive))
    for user in users:
        click.echo(
            f"{user.email}  roles={','.join(user.roles) or '-'}  "
            f"{'active' if user.is_active else 'inactive'}  "
            f"{'verified' if user.email_verified else 'unverified'}"
        )
    click.echo(f"{len(users)} account{'s' if len(users) != 1 else ''}", err=True)


@users_group.command("set-role")
@click.argument("email")
@click.argument("roles", nargs=-1, required=True)
@pass_kernel
def set_role_command(kernel: Kernel, email: str, roles: tuple[str, ...]) -> None:
    """Replace the roles of the account EMAIL with ROLES (refused when it would leave no active
    administrator)."""
    address = _valid(Email, email, "EMAIL")
    _known_roles(kernel, roles)
    changes = UserAdminUpdate(roles=list(roles))
    _administer(kernel, address, changes)
    click.echo(f"{address} now has the roles {', '.join(dict.fromkeys(roles))}")


def _activation(name: str, *, active: bool, summary: str, done: str) -> None:
    """Adds the command ``name`` EMAIL that makes the account active or not, then says ``done``
    (formatted with the address)."""

    @users_group.command(name, help=summary)
    @click.argument("email")
    @pass_kernel
    def command(kernel: Kernel, email: str) -> None:
        address = _valid(Email, email, "EMAIL")
        _administer(kernel, address, UserAdminUpdate(is_active=active))
        click.echo(done.format(address))


_activation(
    "deactivate",
    active=False,
    summary="Deactivate the account EMAIL: it can no longer log in and its sessions end.",
    done="deactivated {}; its sessions have ended",
)
_activation(
    "reactivate",
    active=True,
    summary="Reactivate the account EMAIL: it can log in again.",
    done="reactivated {}",
)


@users_group.command("set-password")
@click.argument("email")
@_password_stdin
@pass_kernel
def set_password_command(kernel: Kernel, email: str, password_stdin: bool) -> None:
    """Set the password of the account EMAIL; every session of the account ends."""
    address = _valid(Email, email, "EMAIL")
    password = _password(password_stdin, "New password")
    passwords = passwords_for(kernel.settings_of(UsersSettings))

    async def work(uow: UnitOfWork) -> None:
        user = await _account(uow, address)
        await service.set_password(uow, user=user, new_password=password, passwords=passwords)

    _run(kernel, work)
    click.echo(f"set the password of {address}; its sessions have ended")


def _administer(kernel: Kernel, email: str, changes: UserAdminUpdate) -> None:
    admin_roles = frozenset(
        role for role, granted in kernel.roles.items() if ADMIN_PERMISSION in granted
    )

    async def work(uow: UnitOfWork) -> None:
        user = await _account(uow, email)
        await service.administer(uow, user=user, changes=changes, admin_roles=admin_roles)

    try:
        _run(kernel, work)
    except LastAdministrator:
        _fail(
            f"{email} is the last active administrator; make another account an "
            "administrator first."
        )


class _NoAccount(Exception):
    pass


async def _account(uow: UnitOfWork, email: str) -> User:
    user = await repository.by_email(uow.session, email=email)
    if user is None:
        raise _NoAccount(email)
    return user


async def _all_users(uow: UnitOfWork, *, role: str | None, inactive: bool) -> list[AnyRow]:
    users: list[AnyRow] = []
    after: Position | None = None
    while True:
        page = await repository.answer_page(
            uow.session,
            after=after,
            limit=LIST_PAGE,
            role=role,
            is_active=False if inactive else None,
        )
        users.extend(page)
        if len(page) < LIST_PAGE:
            return users
        after = Position(page[-1].created_at, page[-1].id)


def _known_roles(kernel: Kernel, roles: Sequence[str]) -> None:
    known = kernel.roles
    unknown = [role for role in dict.fromkeys(roles) if role not in known]
    if unknown:
        _fail(
            f"unknown role{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"the roles are {', '.join(sorted(known))}."
        )


def _run(kernel: Kernel, work: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Runs ``work`` in one Unit of Work (committed if it returns); an unknown email ends the
    command with one sentence."""

    try:
        return run_in_unit_of_work(kernel, work)
    except _NoAccount as exc:
        _fail(f"no account has the email {exc.args[0]}.")


def _password(from_stdin: bool, prompt: str) -> str:
    """Returns the password read from the first line of stdin or prompted for (twice), checked
    by the API's rules."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(prompt, hide_input=True, confirmation_prompt=True)
    return _valid(Password, password, "the password")


def _fail(message: str) -> NoReturn:
    click.echo(f"mosaic: users: {message}", err=True)
    raise SystemExit(EXIT_FAILURE)


def _valid(kind: Any, value: str, what: str) -> str:
    """Returns ``value`` checked (and normalized) by the API's own rules, or exits with why."""
    try:
        checked: str = TypeAdapter(kind).validate_python(value)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise click.BadParameter(message, param_hint=what) from None
    return checked
