from __future__ import annotations

from core.errors import Conflict, NotFound


class NoteNotFound(NotFound):
    code = "notes.note_not_found"
    title = "Note not found"
    description = "No note has this id."


class NoteRejected(Conflict):
    code = "notes.note_rejected"
    title = "Note rejected"
