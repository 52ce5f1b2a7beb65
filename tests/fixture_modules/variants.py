"""Plugins that each break one rule, importable by entry point (``variants:<name>``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from core.errors import NotFound
from tests.fixture_modules.factory import make_plugin


class ClashingError(NotFound):
    code = "notes.note_not_found"
    title = "Stolen code"


class LimitSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = 10


def _typo_hook() -> None:
    """Misspelt hook name: must be refused, not ignored."""


needs_notes = make_plugin("needs_notes", depends_on=["notes"], prefix="/needs-notes")
needs_ghost = make_plugin("needs_ghost", depends_on=["ghost"])
cycle_a = make_plugin("cycle_a", depends_on=["cycle_b"])
cycle_b = make_plugin("cycle_b", depends_on=["cycle_a"])
prefix_clash = make_plugin("prefix_clash", prefix="/notes")
nested_prefix = make_plugin("nested_prefix", prefix="/notes/extra")
table_clash = make_plugin("table_clash", tables=["notes_notes"])
unprefixed_table = make_plugin("unprefixed_table", tables=["products"])
code_clash = make_plugin("code_clash", errors=[ClashingError])
permission_clash = make_plugin("permission_clash", permissions=["notes:write"])
limited = make_plugin("limited", settings=LimitSettings, prefix="/limited")
typo = make_plugin("typo", mosaic_register_routes=_typo_hook)
old_style = make_plugin("old_style", mosaic_register_routers=lambda: [])
