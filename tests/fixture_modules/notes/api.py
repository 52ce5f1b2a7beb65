"""The notes module's public API: what other modules may import."""

from tests.fixture_modules.notes.models import Note

__all__ = ["Note"]
