"""The kernel's table of idempotency keys: one row per caller and key."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, Integer, LargeBinary, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from core.db.kernel_tables import KernelBase
from core.idempotency.header import MAX_KEY_LENGTH

SCOPE_LENGTH = 200


class IdempotencyRecord(KernelBase):
    """A claimed ``Idempotency-Key``: who sent it, for which request, and how it ended.

    ``state`` goes ``in_flight`` (claimed, leased to ``token`` until ``lease_until``) →
    ``committed`` (in the request's own transaction, with its writes) → ``completed`` (its
    response stored in ``status``, ``headers`` and ``body``). A request that fails before
    committing deletes its claim, so the key can be sent again.
    """

    __tablename__ = "core_idempotency_keys"
    __table_args__ = (
        UniqueConstraint("scope", "key"),
        Index("ix_core_idempotency_keys_created_at", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    scope: Mapped[str] = mapped_column(String(SCOPE_LENGTH))
    key: Mapped[str] = mapped_column(String(MAX_KEY_LENGTH))
    route: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    token: Mapped[str] = mapped_column(String(32))
    lease_until: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[int | None] = mapped_column(Integer)
    # The replayed headers, as a JSON list of [name, value] pairs.
    headers: Mapped[str | None] = mapped_column(Text)
    body: Mapped[bytes | None] = mapped_column(LargeBinary)
