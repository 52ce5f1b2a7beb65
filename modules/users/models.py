"""Tables of the users module (each named ``users_…``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

import core.db
from core import utcnow

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path
DISPLAY_NAME_MAX_LENGTH = 100
EMAIL_CONSTRAINT = "uq_users_users_email"  # the unique constraint on users_users.email


class Base(core.db.Base):
    __abstract__ = True
    metadata = core.db.new_metadata()


class User(Base):
    """An account. ``email`` is stored normalized (``schemas.normalize_email``), so the unique
    constraint makes addresses unique case-insensitively on every database."""

    __tablename__ = "users_users"
    # The admin listing pages through (created_at, id).
    __table_args__ = (Index("ix_users_users_created_at_id", "created_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_MAX_LENGTH))
    password_hash: Mapped[str] = mapped_column(String(255))
    roles: Mapped[list[str]] = mapped_column(JSON(), default=list)
    is_active: Mapped[bool] = mapped_column(Boolean(), default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
