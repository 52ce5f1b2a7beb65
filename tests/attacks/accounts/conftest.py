"""An application with the users and auth modules, as the attacks on logins and tokens met it."""

from __future__ import annotations

from tests.modules.auth.conftest import app, auth_settings

__all__ = ["app", "auth_settings"]
