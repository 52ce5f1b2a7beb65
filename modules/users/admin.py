"""The users module's page in the admin console: accounts, listed and searched, read-only.

The password hash is neither listed nor shown. Changing an account (roles, deactivation) publishes
events that end its sessions, so it stays with the API and the ``mosaic users`` commands, which
go through the service that publishes them.
"""

from __future__ import annotations

from core import AdminView
from modules.users.models import User
from modules.users.router import ADMIN

ADMIN_VIEWS = (
    AdminView(
        model=User,
        label="Accounts",
        permission=ADMIN,
        columns=(
            "id",
            "email",
            "display_name",
            "roles",
            "is_active",
            "email_verified_at",
            "created_at",
        ),
        searchable=("email", "display_name"),
        filters=("is_active",),
    ),
)
