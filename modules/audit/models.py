"""The audit module's one table (``audit_entries``): a row per event, never changed."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

import core.db


class Base(core.db.ModuleBase):
    """Base of the audit module's tables, in a metadata of their own."""


class Entry(Base):
    """One event as it happened: its type, owner module, actor, request and payload."""

    __tablename__ = "audit_entries"
    __table_args__ = (
        # The listing pages newest first through (occurred_at, id).
        Index("ix_audit_entries_occurred_at_id", "occurred_at", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    event_type: Mapped[str] = mapped_column(String(128), index=True)
    module: Mapped[str] = mapped_column(String(40), index=True)
    actor: Mapped[str | None] = mapped_column(String(200), index=True)
    request_id: Mapped[str | None] = mapped_column(String(128))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
