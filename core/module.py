"""What a module says about itself through its hooks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    """A module's identity, returned by ``mosaic_describe_module``."""

    name: str
    version: str
    description: str = ""
    depends_on: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class MigrationBranch:
    """A module's Alembic branch: its label and the folder holding its revision files."""

    label: str
    versions: Path
    depends_on: tuple[str, ...] = field(default_factory=tuple)
