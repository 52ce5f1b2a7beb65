"""Registering plugins with pluggy and reading each one's module record."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pluggy

from core import hookspecs
from core.config.errors import ConfigError
from core.kernel.module import MODULE_NAME, LoadedModule, MigrationBranch, Module

RECORD_HOOK = "mosaic_describe_module"
# Hooks a plugin answered before modules described themselves in one record: refused with the
# field that replaced each, so an older plugin learns what to change instead of being ignored.
REPLACED_HOOKS = {
    "mosaic_register_settings": "settings",
    "mosaic_register_routers": "routers",
    "mosaic_register_errors": "errors",
    "mosaic_register_permissions": "permissions",
    "mosaic_register_models": "models",
    "mosaic_register_migrations": "migrations",
    "mosaic_register_commands": "commands",
    "mosaic_register_events": "events",
    "mosaic_register_listeners": "listeners",
    "mosaic_register_jobs": "jobs",
    "mosaic_register_mail_templates": "mail_templates",
}


def load_modules(
    plugins: Mapping[str, object],
) -> tuple[pluggy.PluginManager, dict[str, LoadedModule]]:
    """Returns the plugin manager holding ``plugins`` and each one's loaded module, by name.

    Refuses a plugin with an unknown hook (a typo would otherwise be silently ignored), one without
    a record, and one whose record names another module than the one it was found under.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for name, plugin in plugins.items():
        try:
            manager.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise ConfigError(f"module '{name}' has an invalid hook: {_first_line(exc)}") from None
    _refuse_unknown_hooks(manager)

    records: dict[str, Module] = {}
    for record in manager.hook.mosaic_describe_module():
        if not isinstance(record, Module):
            raise ConfigError(f"a module describes itself with {record!r}, not a core.Module")
        records[record.name] = record
    for name in plugins:
        if name not in records:
            strangers = sorted(set(records) - set(plugins))
            if strangers:
                raise ConfigError(f"module found as '{name}' calls itself '{strangers[0]}'")
            raise ConfigError(f"module '{name}' does not describe itself ({RECORD_HOOK})")
        _check_record(records[name])

    hooks = _dynamic_hooks(manager)
    return manager, {
        name: LoadedModule(
            info=records[name],
            plugin=plugins[name],
            migrations=_branch(records[name], records),
            hooks=frozenset(hooks.get(name, ())),
        )
        for name in plugins
    }


def keep_enabled(manager: pluggy.PluginManager, names: Iterable[str]) -> None:
    """Leaves only the modules ``names`` (in dependency order) registered with ``manager``.

    pluggy calls the last registered implementation first: registering in reverse dependency
    order makes every hook answer in dependency order.
    """
    order = list(names)
    kept = {name: manager.get_plugin(name) for name in order}
    for name, plugin in list(manager.list_name_plugin()):
        manager.unregister(plugin, name=name)
    for name in reversed(order):
        manager.register(kept[name], name=name)


def _refuse_unknown_hooks(manager: pluggy.PluginManager) -> None:
    for name in manager.hook.__dict__:
        caller = getattr(manager.hook, name)
        if name.startswith("_") or caller.has_spec():
            continue
        owner = caller.get_hookimpls()[0].plugin_name
        if name in REPLACED_HOOKS:
            raise ConfigError(
                f"module '{owner}' implements '{name}', which the module record replaced: "
                f"declare {REPLACED_HOOKS[name]}=... in the core.Module its {RECORD_HOOK} returns"
            )
        raise ConfigError(f"module '{owner}' implements unknown hook '{name}'")


def _check_record(record: Module) -> None:
    name = record.name
    if not MODULE_NAME.match(name):
        raise ConfigError(f"module name '{name}' must be lower_snake_case, at most 40 characters")
    for field in ("depends_on", "routers", "errors", "commands", "events", "listeners", "jobs"):
        if isinstance(getattr(record, field), str | bytes):
            raise ConfigError(f"module '{name}' declares {field} as a string, not a sequence")
    for field in ("migrations", "mail_templates"):
        folder = getattr(record, field)
        if folder is not None and not isinstance(folder, Path):
            raise ConfigError(
                f"module '{name}' returns {folder!r} as its {field.replace('_', ' ')}, not a Path"
            )


def _branch(record: Module, records: Mapping[str, Module]) -> MigrationBranch | None:
    if record.migrations is None:
        return None
    # A module's tables may reference its dependencies' tables: their branches migrate first.
    after = tuple(
        name for name in record.depends_on if name in records and records[name].migrations
    )
    return MigrationBranch(record.name, record.migrations, after)


def _dynamic_hooks(manager: pluggy.PluginManager) -> dict[str, set[str]]:
    answered: dict[str, set[str]] = {}
    for name in manager.hook.__dict__:
        if name.startswith("_") or name == RECORD_HOOK:
            continue
        for impl in getattr(manager.hook, name).get_hookimpls():
            if not (impl.hookwrapper or impl.wrapper):
                answered.setdefault(impl.plugin_name, set()).add(name)
    return answered


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0]
