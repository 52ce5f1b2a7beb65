"""Hook implementations of the users module: how the kernel learns what it brings."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import click
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import MetaData

from core import Event, Job, Kernel, Lifespan, Listener, MigrationBranch, ModuleInfo, hookimpl
from core.errors import MosaicError
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

VERSION = "0.1.0"


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo(
        "users", VERSION, "Users: accounts, registration, profiles, passwords and roles."
    )


@hookimpl
def mosaic_register_settings() -> type[BaseModel]:
    return UsersSettings


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [router]


@hookimpl
def mosaic_register_errors() -> Sequence[type[MosaicError]]:
    return ERRORS


@hookimpl
def mosaic_register_permissions() -> Mapping[str, str]:
    return {ADMIN: "Manage every account"}


@hookimpl
def mosaic_register_models() -> MetaData:
    return Base.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch("users", Path(__file__).parent / "migrations" / "versions")


@hookimpl
def mosaic_register_events() -> Sequence[type[Event]]:
    return EVENTS


@hookimpl
def mosaic_register_listeners() -> Sequence[Listener]:
    # After commit: whether an account has the address is looked up only there, so the request
    # that asked does the same work for every address.
    return [
        Listener(VerificationRequested, mail_requested_verification),
        Listener(PasswordResetRequested, mail_requested_reset),
    ]


@hookimpl
def mosaic_register_mail_templates() -> Path:
    return Path(__file__).parent / "mail"


@hookimpl
def mosaic_register_jobs() -> Sequence[Job]:
    return [Job("users.prune_tokens", timedelta(hours=1), prune_tokens)]


@hookimpl
def mosaic_register_commands() -> Sequence[click.Command]:
    return [users_group]


@hookimpl
def mosaic_register_lifespan() -> Lifespan:
    return _lifespan


@asynccontextmanager
async def _lifespan(kernel: Kernel) -> AsyncIterator[None]:
    # The instance every route of this deployment is handed: its dummy hash is computed now, so
    # the first login with an unknown email is not slower than the rest.
    await passwords_for(kernel.settings_of(UsersSettings)).warm_up()
    yield
