from __future__ import annotations

from core.db import UnitOfWork
from tests.fixture_modules.notes.errors import NoteNotFound, NoteRejected
from tests.fixture_modules.notes.models import Note


async def create_note(uow: UnitOfWork, *, text: str, fail_after_write: bool = False) -> Note:
    """Returns the new note; with ``fail_after_write`` it writes, then breaks the rule."""
    note = Note(text=text)
    uow.session.add(note)
    await uow.session.flush()
    if fail_after_write:
        raise NoteRejected("written, then refused")
    return note


async def get_note(uow: UnitOfWork, *, note_id: int) -> Note:
    note = await uow.session.get(Note, note_id)
    if note is None:
        raise NoteNotFound(f"No note has id {note_id}.")
    return note
