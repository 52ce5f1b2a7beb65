"""Mounts the admin console at ``/admin`` from the views the enabled modules declare.

The console is sqladmin (its pages, scripts, styles and fonts ship inside its wheel and are served
from ``/admin/statics``: nothing is fetched from a CDN). It is mounted when
``MOSAIC_ADMIN_ENABLED`` allows it (on by default in development, off in production unless set)
and a module registers the authenticator people sign in through; each enabled module's
``Module.admin`` views become its pages, so a disabled module contributes none.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from sqladmin import Admin
from starlette.middleware import Middleware

from core.admin.origin import SameOriginMiddleware
from core.admin.sign_in import SignIn
from core.admin.system import system_view
from core.admin.views import model_view
from core.kernel.kernel import Kernel

MOUNT = "/admin"
TEMPLATES = Path(__file__).parent / "templates"
logger = logging.getLogger("mosaic.admin")


def install_console(app: FastAPI, kernel: Kernel) -> Admin | None:
    """Mounts the console on ``app``; returns it, or ``None`` when it is off or cannot sign in."""
    if not kernel.settings.console_enabled:
        return None
    authenticator = kernel.authenticator
    if authenticator is None:
        logger.warning("the admin console is off: no enabled module signs people in")
        return None
    admin = Admin(
        app,
        session_maker=kernel.database.sessionmaker,
        base_url=MOUNT,
        title=f"{kernel.settings.title} admin",
        templates_dir=str(TEMPLATES),
        # Outermost first: a foreign form post is refused before the session is even read.
        middlewares=[Middleware(SameOriginMiddleware)],
        authentication_backend=SignIn(kernel, authenticator, app, path=MOUNT),
    )
    for module in kernel.modules:
        for declaration in module.info.admin:
            admin.add_view(model_view(module.name, declaration, kernel.database))
    admin.add_base_view(system_view(kernel))
    return admin
