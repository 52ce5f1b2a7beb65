"""The oidc module's record: how the kernel learns what it brings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core import Job, Module, hookimpl
from modules.oidc.config import OidcSettings
from modules.oidc.errors import ERRORS
from modules.oidc.models import Base
from modules.oidc.router import router
from modules.oidc.service import prune_sign_ins


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="oidc",
        version="0.1.0",
        description="Sign in with any OpenID Connect provider, for the same tokens as a "
        "password login.",
        depends_on=["users", "auth"],
        settings=OidcSettings,
        routers=[router],
        errors=ERRORS,
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
        jobs=[Job("oidc.prune_sign_ins", timedelta(hours=1), prune_sign_ins)],
    )
