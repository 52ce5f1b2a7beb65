"""Tables of the bookmarks module (each named ``bookmarks_…``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

import core.db


class Base(core.db.ModuleBase):
    """Base of the bookmarks module's tables, in a metadata of their own."""


class BookmarksItem(Base):
    __tablename__ = "bookmarks_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
