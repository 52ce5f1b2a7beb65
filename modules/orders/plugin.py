"""The orders module's record: how the kernel learns what it brings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core import Job, Module, hookimpl
from modules.orders.admin import ADMIN_VIEWS
from modules.orders.cli import orders_cli
from modules.orders.config import OrdersSettings
from modules.orders.dependencies import MANAGE
from modules.orders.errors import ERRORS
from modules.orders.events import EVENTS
from modules.orders.expiry import expire_job
from modules.orders.models import Base
from modules.orders.router import router


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="orders",
        version="0.1.0",
        description="Orders: checkout with stock reservation, payment, fulfilment, refunds and "
        "expiry of unpaid orders.",
        depends_on=["users", "catalogue"],
        settings=OrdersSettings,
        routers=[router],
        errors=ERRORS,
        permissions={MANAGE: "See every order; fulfil and refund orders, cancel any pending one."},
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
        commands=[orders_cli],
        events=list(EVENTS),
        jobs=[Job("orders.expire_pending", timedelta(minutes=1), expire_job)],
        admin=ADMIN_VIEWS,
    )
