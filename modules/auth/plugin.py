"""The auth module's record and the token authority it builds from the kernel."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core import Job, Kernel, Listener, Mode, Module, hookimpl
from core.auth import Authenticator
from modules.auth.authority import TokenAuthority
from modules.auth.cli import auth_group
from modules.auth.config import AuthSettings
from modules.auth.errors import ERRORS
from modules.auth.models import Base
from modules.auth.router import router
from modules.auth.service import end_sessions, prune_sessions
from modules.users.api import CredentialsChanged


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="auth",
        version="0.1.0",
        description="OAuth2 password login with rotating JWTs and sessions.",
        depends_on=["users"],
        settings=AuthSettings,
        routers=[router],
        errors=ERRORS,
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
        commands=[auth_group],
        # In the publisher's transaction: the old tokens must fail on the very next request.
        listeners=[Listener(CredentialsChanged, end_sessions, mode=Mode.IN_TRANSACTION)],
        jobs=[Job("auth.prune_sessions", timedelta(hours=1), prune_sessions)],
    )


@hookimpl
def mosaic_register_authenticator(kernel: Kernel) -> Authenticator:
    return TokenAuthority(kernel)
