from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

import core.db
from tests.fixture_modules.notes.api import Note


class Base(core.db.Base):
    __abstract__ = True
    metadata = core.db.new_metadata()


class Pin(Base):
    """A pin on a note: its table references the notes module's table."""

    __tablename__ = "pins_pins"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Another module's table is referenced through its public API, never by a string name:
    # each module's tables live in the module's own MetaData.
    note_id: Mapped[int] = mapped_column(ForeignKey(Note.id, ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(50))
