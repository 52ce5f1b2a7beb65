"""The orders module's page in the admin console: orders, listed, searched and filtered,
read-only.

Every change of an order is a state transition that reserves or releases stock and publishes an
event under an ``If-Match`` version, so it stays with the API's transition routes.
"""

from __future__ import annotations

from core import AdminView
from modules.orders.dependencies import MANAGE
from modules.orders.models import Order

ADMIN_VIEWS = (
    AdminView(
        model=Order,
        label="Orders",
        permission=MANAGE,
        columns=("id", "user_id", "status", "currency", "total", "note", "created_at"),
        searchable=("note",),
        filters=("status",),
    ),
)
