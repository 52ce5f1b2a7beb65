"""The users module's record, and the lifespan that warms its password hasher."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from core import Job, Kernel, Listener, Module, hookimpl
from modules.users.admin import ADMIN_VIEWS
from modules.users.cli import users_group
from modules.users.config import UsersSettings
from modules.users.errors import ERRORS
from modules.users.events import EVENTS, PasswordResetRequested, VerificationRequested
from modules.users.models import Base
from modules.users.password_reset import mail_requested_reset
from modules.users.passwords import passwords_for
from modules.users.router import ADMIN, router
from modules.users.service import prune_tokens
from modules.users.verification import mail_requested_verification


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="users",
        version="0.1.0",
        description="Users: accounts, registration, profiles, passwords and roles.",
        settings=UsersSettings,
        routers=[router],
        errors=ERRORS,
        permissions={ADMIN: "Manage every account"},
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
        events=EVENTS,
        # After commit: whether an account has the address is looked up only there, so the
        # request that asked does the same work for every address.
        listeners=[
            Listener(VerificationRequested, mail_requested_verification),
            Listener(PasswordResetRequested, mail_requested_reset),
        ],
        jobs=[Job("users.prune_tokens", timedelta(hours=1), prune_tokens)],
        mail_templates=Path(__file__).parent / "mail",
        commands=[users_group],
        admin=ADMIN_VIEWS,
    )


@hookimpl
@asynccontextmanager
async def mosaic_register_lifespan(kernel: Kernel) -> AsyncIterator[None]:
    # The instance every route of this deployment is handed: its dummy hash is computed now, so
    # the first login with an unknown email is not slower than the rest.
    await passwords_for(kernel.settings_of(UsersSettings)).warm_up()
    yield
