"""Tables of the oidc module (each named ``oidc_…``)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

import core.db
from core import utcnow
from modules.users.api import user_id_column

HASH_LENGTH = 64  # hexadecimal SHA-256
PROVIDER_LENGTH = 40
SUBJECT_LENGTH = 255  # OpenID Connect Core §2: sub is at most 255 ASCII characters
EMAIL_LENGTH = 254
LINK_CONSTRAINT = "uq_oidc_links_provider_subject"


class Base(core.db.ModuleBase):
    """Base of the oidc module's tables, in a metadata of their own."""


class PendingSignIn(Base):
    """A sign-in sent to a provider and not back yet. Only hashes are kept: the state travels
    in the redirect, the browser's binding in its cookie, and neither is stored in clear."""

    __tablename__ = "oidc_sign_ins"
    __table_args__ = (Index("ix_oidc_sign_ins_expires_at", "expires_at"),)

    state_hash: Mapped[str] = mapped_column(String(HASH_LENGTH), primary_key=True)
    provider: Mapped[str] = mapped_column(String(PROVIDER_LENGTH))
    browser_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Link(Base):
    """An identity at a provider (its ``sub``) tied to an account: later sign-ins find the
    account by it, whatever the email says then."""

    __tablename__ = "oidc_links"
    __table_args__ = (UniqueConstraint("provider", "subject", name=LINK_CONSTRAINT),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid(), primary_key=True, default=uuid.uuid4)
    provider: Mapped[str] = mapped_column(String(PROVIDER_LENGTH))
    subject: Mapped[str] = mapped_column(String(SUBJECT_LENGTH))
    user_id: Mapped[uuid.UUID] = mapped_column(
        Uuid(), ForeignKey(user_id_column(), ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sign_in_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
