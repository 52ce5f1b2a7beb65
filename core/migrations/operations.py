"""What ``mosaic db`` does: upgrade, downgrade and new revisions, one module branch at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from alembic import command
from sqlalchemy.engine import Connection

from core.config.errors import ConfigError
from core.kernel.kernel import Kernel
from core.kernel.module import LoadedModule
from core.migrations.branches import Branches
from core.migrations.config import alembic_config


def upgrade(kernel: Kernel, connection: Connection) -> list[str]:
    """Brings every enabled module's branch to its head, in dependency order.

    Returns the modules upgraded. Disabled modules are left where they are, tables and rows kept.
    """
    branches = Branches.of(kernel)
    upgraded: list[str] = []
    for module in kernel.modules:
        if module.migrations is None or not branches.revisions(module.name):
            continue
        config = alembic_config(kernel, connection=connection)
        command.upgrade(config, f"{module.migrations.label}@head")
        upgraded.append(module.name)
    return upgraded


def downgrade(kernel: Kernel, connection: Connection, name: str) -> None:
    """Removes module ``name``'s tables by taking its branch back to base.

    Refuses while an enabled module depends on it, or while another module's applied revisions
    depend on its tables (Alembic would silently remove those too).
    """
    module = _module_with_branch(kernel, name)
    dependents = [m.name for m in kernel.modules if name in m.info.depends_on]
    if dependents:
        raise ConfigError(
            f"module '{name}' cannot be downgraded while enabled module "
            f"'{dependents[0]}' depends on it; disable it first"
        )
    branches = Branches.of(kernel)
    applied = branches.applied(connection)
    label = _label(module)
    for other in branches.modules:
        assert other.migrations is not None
        if label in other.migrations.depends_on and applied & set(branches.revisions(other.name)):
            raise ConfigError(
                f"module '{name}' cannot be downgraded while module '{other.name}' still has "
                f"tables that depend on it; run 'mosaic db downgrade {other.name}' first"
            )
    if applied & set(branches.revisions(name)):
        command.downgrade(alembic_config(kernel, connection=connection), f"{label}@base")


def revision(
    kernel: Kernel, name: str, *, message: str, autogenerate: bool, connection: Connection | None
) -> Path:
    """Writes a new revision into module ``name``'s branch; returns the file written.

    With ``autogenerate`` the revision compares the database (which must be at the branch's head)
    with the module's own models only.
    """
    module = _module_with_branch(kernel, name)
    branch = module.migrations
    assert branch is not None
    branch.versions.mkdir(parents=True, exist_ok=True)
    config = alembic_config(kernel, connection=connection)
    config.attributes["target_metadata"] = module.metadata
    config.attributes["table_prefix"] = f"{name}_"
    started = bool(Branches(kernel).revisions(name))
    written = command.revision(
        config,
        message=message,
        autogenerate=autogenerate,
        head=f"{branch.label}@head" if started else "base",
        branch_label=None if started else branch.label,
        # Alembic accepts a list here although its annotation says str.
        depends_on=None if started else cast(Any, list(branch.depends_on) or None),
        version_path=str(branch.versions),
    )
    script = written[0] if isinstance(written, list) else written
    if script is None:
        raise ConfigError(f"no revision was written for module '{name}'")
    return Path(script.path)


def _module_with_branch(kernel: Kernel, name: str) -> LoadedModule:
    module = kernel.available.get(name)
    if module is None or module.migrations is None:
        raise ConfigError(f"module '{name}' is not installed or has no migrations")
    return module


def _label(module: LoadedModule) -> str:
    assert module.migrations is not None
    return module.migrations.label
