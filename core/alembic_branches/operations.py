"""What ``mosaic db`` does: upgrade, downgrade and new revisions, one module branch at a time."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.autogenerate import RevisionContext
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Connection

from core.alembic_branches.branches import Branches
from core.alembic_branches.config import alembic_config
from core.config.errors import ConfigError
from core.kernel.kernel import Kernel
from core.kernel.module import LoadedModule


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
    """Writes module ``name``'s next revision, ``<name>_<NNNN>``, into its branch; returns the file.

    With ``autogenerate`` the revision compares the module's own models with the database, which
    must hold the newest revision of the module's branch and of the branches it depends on; other
    modules' branches (a disabled module never upgraded, say) may stand anywhere.
    """
    module = _module_with_branch(kernel, name)
    branch = module.migrations
    assert branch is not None
    branch.versions.mkdir(parents=True, exist_ok=True)
    branches = Branches(kernel)  # not the cached one: an earlier call may have written a file
    started = bool(branches.revisions(name))
    config = alembic_config(kernel, connection=connection)
    config.attributes["target_metadata"] = module.metadata
    config.attributes["table_prefix"] = f"{name}_"
    context = RevisionContext(
        config,
        branches.script,
        {
            "message": message,
            "autogenerate": autogenerate,
            "sql": False,
            "head": f"{branch.label}@head" if started else "base",
            "splice": False,
            "branch_label": None if started else branch.label,
            "version_path": str(branch.versions),
            "rev_id": branches.next_revision(name),
            "depends_on": None if started else list(branch.depends_on) or None,
        },
    )
    if autogenerate:
        if connection is None:
            raise ConfigError("autogenerate compares with the database: it needs a connection")
        _refuse_behind(branches, connection, module)

        def compare(_database_heads: object, migration_context: MigrationContext) -> list[Any]:
            # Alembic would insist that every branch be at its head, a disabled module's too;
            # the branches this module needs were checked above, so compare from the heads.
            context.run_autogenerate("heads", migration_context)
            return []

        with EnvironmentContext(
            config,
            branches.script,
            fn=compare,
            template_args=context.template_args,
            revision_context=context,
        ):
            branches.script.run_env()
    written = next(context.generate_scripts(), None)
    if written is None:
        raise ConfigError(f"no revision was written for module '{name}'")
    return Path(written.path)


def _refuse_behind(branches: Branches, connection: Connection, module: LoadedModule) -> None:
    """Refuses to compare while the module's branch, or one it depends on, is not at its head:
    the revision would repeat what a pending one already does."""
    needed = branches.needed_by(module.name)
    for row in branches.status(connection):
        if row.module in needed and not row.up_to_date:
            raise ConfigError(
                f"the database holds {row.current or 'no revision'} of module '{row.module}', "
                f"not its newest ({row.head}); run 'mosaic db upgrade' before writing a "
                f"revision of module '{module.name}' from its models"
            )


def _module_with_branch(kernel: Kernel, name: str) -> LoadedModule:
    module = kernel.available.get(name)
    if module is None or module.migrations is None:
        raise ConfigError(f"module '{name}' is not installed or has no migrations")
    return module


def _label(module: LoadedModule) -> str:
    assert module.migrations is not None
    return module.migrations.label
