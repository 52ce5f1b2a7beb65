"""From installed modules and the operator's choice to a valid, ordered set of enabled modules."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from graphlib import CycleError, TopologicalSorter

from pydantic import BaseModel, ValidationError

from core.config.errors import ConfigError
from core.config.plugins_file import PluginsConfig
from core.kernel.module import LoadedModule

PERMISSION_ACTION_MAX = 40
AUTHENTICATOR_HOOK = "mosaic_register_authenticator"


def resolve_enabled(
    available: Mapping[str, LoadedModule], enabled: Iterable[str], *, where: str = "plugins.toml"
) -> list[LoadedModule]:
    """Returns the enabled modules, each after the modules it depends on.

    Refuses an unknown module, a dependency that is not installed or not enabled, and a cycle.
    """
    chosen = list(enabled)
    for name in chosen:
        if name not in available:
            known = ", ".join(sorted(available)) or "none"
            raise ConfigError(f"{where} enables unknown module '{name}' (installed: {known})")
    graph: dict[str, tuple[str, ...]] = {}
    for name in chosen:
        for dependency in available[name].info.depends_on:
            if dependency not in available:
                raise ConfigError(
                    f"module '{name}' depends on '{dependency}', which is not installed"
                )
            if dependency not in chosen:
                raise ConfigError(
                    f"module '{name}' depends on '{dependency}', which is not enabled in {where}"
                )
        graph[name] = tuple(available[name].info.depends_on)
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        cycle = " -> ".join(reversed(exc.args[1]))
        raise ConfigError(f"modules depend on each other in a cycle: {cycle}") from None
    return [available[name] for name in order]


def validate_module_settings(
    modules: Iterable[LoadedModule], config: PluginsConfig, *, where: str = "plugins.toml"
) -> dict[str, BaseModel]:
    """Returns each enabled module's validated settings, by module name."""
    validated: dict[str, BaseModel] = {}
    for module in modules:
        raw = dict(config.sections.get(module.name, {}))
        if module.settings_model is None:
            if raw:
                key = next(iter(raw))
                source = config.sources.get((module.name, key), where)
                raise ConfigError(f"{source}: module '{module.name}' takes no settings")
            continue
        try:
            validated[module.name] = module.settings_model.model_validate(raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            key = ".".join(str(part) for part in error["loc"]) or "(section)"
            top = str(error["loc"][0]) if error["loc"] else ""
            source = config.sources.get(
                (module.name, top), f"{where} [modules.{module.name}] {key}"
            )
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = f"unknown setting '{key}' for module '{module.name}'"
            raise ConfigError(f"{source}: {message}") from None
    return validated


def check_sections(available: Mapping[str, LoadedModule], config: PluginsConfig) -> None:
    """Refuses settings for a module that is not installed: almost always a misspelt name.

    Settings of an installed but disabled module are kept for the day it is enabled again.
    """
    for name in config.sections:
        if name not in available:
            key = next(iter(config.sections[name]), "")
            source = config.sources.get((name, key), f"[modules.{name}]")
            raise ConfigError(f"{source}: settings for unknown module '{name}'")


def check_claims(modules: Iterable[LoadedModule]) -> None:
    """Refuses two modules claiming the same route prefix, table, permission or CLI command."""
    authenticators: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    tables: dict[str, str] = {}
    permissions: dict[str, str] = {}
    commands: dict[str, str] = {}
    for module in modules:
        for prefix in module.route_prefixes:
            _check_prefix(module.name, prefix, prefixes)
        for table in module.tables:
            if not table.startswith(f"{module.name}_"):
                raise ConfigError(
                    f"module '{module.name}' owns table '{table}', "
                    f"whose name must start with '{module.name}_'"
                )
            _claim("table", table, module.name, tables)
        for permission in module.permissions:
            scope, _, action = permission.partition(":")
            if scope != module.name or not action or len(action) > PERMISSION_ACTION_MAX:
                raise ConfigError(
                    f"module '{module.name}' declares permission '{permission}', "
                    f"which must look like '{module.name}:action'"
                )
            _claim("permission", permission, module.name, permissions)
        for command in module.commands:
            _claim("CLI command", command.name or "", module.name, commands)
        _check_migrations(module)
        if AUTHENTICATOR_HOOK in module.hooks:
            _claim("token authenticator", "bearer tokens", module.name, authenticators)


def _check_migrations(module: LoadedModule) -> None:
    if module.tables and module.migrations is None:
        raise ConfigError(
            f"module '{module.name}' owns tables but registers no migrations "
            "(migrations=... in its record)"
        )


def _check_prefix(module: str, prefix: str, claimed: dict[str, str]) -> None:
    if not prefix.startswith("/") or prefix == "/" or prefix.endswith("/"):
        raise ConfigError(
            f"module '{module}' mounts a router at '{prefix or '(no prefix)'}'; "
            "give each router a prefix such as '/{module}'"
        )
    for other, owner in claimed.items():
        if owner != module and (
            prefix == other or prefix.startswith(other + "/") or other.startswith(prefix + "/")
        ):
            raise ConfigError(
                f"modules '{owner}' and '{module}' both claim the route prefix "
                f"'/api/v1{min(prefix, other, key=len)}'"
            )
    claimed[prefix] = module


def _claim(kind: str, key: str, module: str, claimed: dict[str, str]) -> None:
    owner = claimed.setdefault(key, module)
    if owner != module:
        raise ConfigError(f"modules '{owner}' and '{module}' both claim the {kind} '{key}'")
