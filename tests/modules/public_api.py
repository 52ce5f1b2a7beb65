"""What the other built-in modules take from a module's public API, read from their source."""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType

MODULES = Path(__file__).resolve().parents[2] / "modules"


def imported_by_other_modules(api: ModuleType) -> set[str]:
    """Returns the names that source files of every built-in module but ``api``'s own import from
    ``api`` (``from modules.users.api import get_active_user``)."""
    owner = api.__name__.split(".")[1]
    names: set[str] = set()
    for path in MODULES.rglob("*.py"):
        if path.relative_to(MODULES).parts[0] == owner:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.ImportFrom) and node.module == api.__name__:
                names.update(alias.name for alias in node.names)
    return names
