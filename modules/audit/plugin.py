"""The audit module's record: how the kernel learns what it brings."""

from __future__ import annotations

from pathlib import Path

from core import Event, Listener, Module, hookimpl
from modules.audit.errors import ERRORS
from modules.audit.models import Base
from modules.audit.router import READ, router
from modules.audit.service import record


@hookimpl
def mosaic_describe_module() -> Module:
    return Module(
        name="audit",
        version="0.1.0",
        description="Audit trail: every event, who caused it and when.",
        routers=[router],
        errors=ERRORS,
        permissions={READ: "Read the audit trail."},
        models=Base.metadata,
        migrations=Path(__file__).parent / "migrations" / "versions",
        # After commit: the trail must never fail or slow down the request it records.
        listeners=[Listener(Event, record, name="audit.record")],
    )
