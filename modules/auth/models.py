"""Tables of the auth module: one row per login session."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

import core.db
from modules.users.api import user_id_column


class Base(core.db.ModuleBase):
    """Base of the auth module's tables, in a metadata of their own."""


class LoginSession(Base):
    """A login: the refresh token currently valid for it, and whether it was revoked."""

    __tablename__ = "auth_sessions"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey(user_id_column(), ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(Text)
    refresh_jti: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_reason: Mapped[str | None] = mapped_column(String(32), default=None)
