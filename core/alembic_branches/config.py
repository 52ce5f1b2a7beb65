"""The Alembic configuration of a kernel: every installed module's branch, one version table."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from core.kernel.kernel import Kernel
from core.kernel.module import LoadedModule

ENVIRONMENT_PACKAGE = "migrations"


def environment_dir() -> Path:
    """The folder holding ``env.py`` and ``script.py.mako`` (the ``migrations`` package)."""
    spec = importlib.util.find_spec(ENVIRONMENT_PACKAGE)
    if spec is None or spec.origin is None:
        raise RuntimeError("the 'migrations' package is not installed with Mosaic")
    return Path(spec.origin).parent


def branch_modules(kernel: Kernel) -> list[LoadedModule]:
    """Installed modules that own a branch, enabled or not: a disabled module's revisions stay
    known so the database it left behind can still be read and upgraded."""
    return [module for module in kernel.available.values() if module.migrations is not None]


def alembic_config(kernel: Kernel, *, connection: Connection | None = None) -> Config:
    """Returns the configuration for ``kernel``, optionally bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(environment_dir()))
    config.set_main_option("path_separator", "os")
    locations = [str(module.migrations.versions) for module in branch_modules(kernel)]  # type: ignore[union-attr]
    config.set_main_option("version_locations", os.pathsep.join(locations))
    # Through attributes, not the ini parser, so a password with '%' needs no escaping.
    config.set_main_option("sqlalchemy.url", "")
    config.attributes["database_url"] = kernel.settings.database_url
    if connection is not None:
        config.attributes["connection"] = connection
    if importlib.util.find_spec("ruff") is not None:
        # New revision files come out formatted like the rest of the code.
        config.set_section_option("post_write_hooks", "hooks", "ruff_format")
        config.set_section_option("post_write_hooks", "ruff_format.type", "module")
        config.set_section_option("post_write_hooks", "ruff_format.module", "ruff")
        config.set_section_option(
            "post_write_hooks", "ruff_format.options", "format REVISION_SCRIPT_FILENAME"
        )
    return config


def script_directory(kernel: Kernel) -> ScriptDirectory:
    """Returns the revisions of every installed module's branch."""
    return ScriptDirectory.from_config(alembic_config(kernel))
