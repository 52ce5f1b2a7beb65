"""Hook implementations of the auth module."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from pathlib import Path

import click
from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import MetaData

from core import Job, Kernel, Listener, MigrationBranch, Mode, ModuleInfo, hookimpl
from core.auth import Authenticator
from core.errors import MosaicError
from modules.auth.authority import TokenAuthority
from modules.auth.cli import auth_group
from modules.auth.config import AuthSettings
from modules.auth.errors import ERRORS
from modules.auth.models import Base
from modules.auth.router import router
from modules.auth.service import end_sessions, prune_sessions
from modules.users.api import CredentialsChanged

VERSION = "0.1.0"


@hookimpl
def mosaic_describe_module() -> ModuleInfo:
    return ModuleInfo(
        "auth", VERSION, "OAuth2 password login with rotating JWTs and sessions.", ("users",)
    )


@hookimpl
def mosaic_register_settings() -> type[BaseModel]:
    return AuthSettings


@hookimpl
def mosaic_register_routers() -> Sequence[APIRouter]:
    return [router]


@hookimpl
def mosaic_register_errors() -> Sequence[type[MosaicError]]:
    return ERRORS


@hookimpl
def mosaic_register_models() -> MetaData:
    return Base.metadata


@hookimpl
def mosaic_register_migrations() -> MigrationBranch:
    return MigrationBranch(
        "auth", Path(__file__).parent / "migrations" / "versions", depends_on=("users",)
    )


@hookimpl
def mosaic_register_authenticator() -> Callable[[Kernel], Authenticator]:
    return TokenAuthority


@hookimpl
def mosaic_register_commands() -> Sequence[click.Command]:
    return [auth_group]


@hookimpl
def mosaic_register_listeners() -> Sequence[Listener]:
    # In the publisher's transaction: the old tokens must fail on the very next request.
    return [Listener(CredentialsChanged, end_sessions, mode=Mode.IN_TRANSACTION)]


@hookimpl
def mosaic_register_jobs() -> Sequence[Job]:
    return [Job("auth.prune_sessions", timedelta(hours=1), prune_sessions)]
