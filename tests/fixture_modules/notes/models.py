from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

import core.db


class Base(core.db.Base):
    __abstract__ = True
    metadata = core.db.new_metadata()


class Note(Base):
    __tablename__ = "notes_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(200))


class NoteLink(Base):
    __tablename__ = "notes_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes_notes.id"))
    note: Mapped[Note] = core.db.relationship(Note)
