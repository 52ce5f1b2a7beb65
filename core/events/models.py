"""The kernel's event tables: the publication registry and the listeners' inbox."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db.kernel_tables import KernelBase as Base

TYPE_LENGTH = 128
LISTENER_LENGTH = 200


class Publication(Base):
    """One event for one after-commit listener (or for the broker): written in the publisher's
    transaction, completed in the listener's. Incomplete while neither ``completed_at`` nor
    ``abandoned_at`` is set; ``claim`` and ``claimed_until`` lease it to one deliverer at a time.
    """

    __tablename__ = "core_event_publications"
    __table_args__ = (
        # What the deliverers poll: the incomplete publications, soonest due first.
        Index(
            "ix_core_event_publications_due",
            "next_attempt_at",
            postgresql_where="completed_at IS NULL AND abandoned_at IS NULL",
            sqlite_where="completed_at IS NULL AND abandoned_at IS NULL",
        ),
        Index("ix_core_event_publications_occurred_at", "occurred_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    event_type: Mapped[str] = mapped_column(String(TYPE_LENGTH), index=True)
    module: Mapped[str] = mapped_column(String(40))
    listener: Mapped[str] = mapped_column(String(LISTENER_LENGTH))
    payload: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    request_id: Mapped[str | None] = mapped_column(String(128))
    actor: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    claim: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    abandoned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(Text)

    @property
    def status(self) -> str:
        """``completed``, ``abandoned`` or ``incomplete``."""
        if self.completed_at is not None:
            return "completed"
        return "abandoned" if self.abandoned_at is not None else "incomplete"


class InboxEntry(Base):
    """An event a listener has already handled: the idempotency record of at-least-once delivery."""

    __tablename__ = "core_event_inbox"

    listener: Mapped[str] = mapped_column(String(LISTENER_LENGTH), primary_key=True)
    event_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
