"""Tables of the users module (each named ``users_…``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

import core.db
from core import utcnow

EMAIL_MAX_LENGTH = 254  # RFC 5321's limit on a forward path
DISPLAY_NAME_MAX_LENGTH = 100
TOKEN_HASH_LENGTH = 64  # hexadecimal SHA-256
PURPOSE_MAX_LENGTH = 32
EMAIL_CONSTRAINT = "uq_users_users_email"  # the unique constraint on users_users.email


class Base(core.db.ModuleBase):
    """Base of the users module's tables, in a metadata of their own."""


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
    # When the owner proved they read mail at ``email``; ``None`` until then, and again after
    # the email changes.
    email_verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    @property
    def email_verified(self) -> bool:
        """Whether the owner proved they read mail at ``email``."""
        return self.email_verified_at is not None


class AccountToken(Base):
    """A single-use token mailed to an account's address (email verification, password reset).

    Only its SHA-256 is stored: the token itself exists in the mail alone. ``email`` is the
    address it was sent to; the token stops working when the account's email changes.
    """

    __tablename__ = "users_tokens"
    __table_args__ = (Index("ix_users_tokens_user_id_purpose", "user_id", "purpose"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), unique=True)
    purpose: Mapped[str] = mapped_column(String(PURPOSE_MAX_LENGTH))
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid(), ForeignKey("users_users.id", ondelete="CASCADE")
    )
    email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
