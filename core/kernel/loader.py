"""Registering plugins with pluggy and asking each one what it brings."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pluggy

from core import hookspecs
from core.config.errors import ConfigError
from core.kernel.module import LoadedModule
from core.module import MODULE_NAME, ModuleInfo


def load_modules(plugins: Mapping[str, object]) -> dict[str, LoadedModule]:
    """Returns each plugin's answers to every hook, by module name.

    Refuses a plugin with an unknown hook (a typo would otherwise be silently ignored), one without
    ``mosaic_describe_module``, or one whose declared name differs from the name it was found under.
    """
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    for name, plugin in plugins.items():
        try:
            manager.register(plugin, name=name)
        except pluggy.PluginValidationError as exc:
            raise ConfigError(f"module '{name}' has an invalid hook: {_first_line(exc)}") from None
    for name in manager.hook.__dict__:
        caller = getattr(manager.hook, name)
        if not name.startswith("_") and not caller.has_spec():
            owner = caller.get_hookimpls()[0].plugin_name
            raise ConfigError(f"module '{owner}' implements unknown hook '{name}'")

    answers: dict[str, dict[str, Any]] = {name: {} for name in plugins}
    for hook_name in _HOOKS:
        for impl in getattr(manager.hook, hook_name).get_hookimpls():
            answers[impl.plugin_name][hook_name] = impl.function()

    return {name: _assemble(name, plugins[name], answers[name]) for name in plugins}


def _assemble(name: str, plugin: object, answers: Mapping[str, Any]) -> LoadedModule:
    info = answers.get("mosaic_describe_module")
    if not isinstance(info, ModuleInfo):
        raise ConfigError(f"module '{name}' does not describe itself (mosaic_describe_module)")
    if info.name != name:
        raise ConfigError(f"module found as '{name}' calls itself '{info.name}'")
    if not MODULE_NAME.match(name):
        raise ConfigError(f"module name '{name}' must be lower_snake_case, at most 40 characters")

    def many(hook: str) -> tuple[Any, ...]:
        return tuple(answers.get(hook) or ())

    return LoadedModule(
        info=info,
        plugin=plugin,
        settings_model=answers.get("mosaic_register_settings"),
        routers=many("mosaic_register_routers"),
        errors=many("mosaic_register_errors"),
        permissions=dict(answers.get("mosaic_register_permissions") or {}),
        metadata=answers.get("mosaic_register_models"),
        migrations=answers.get("mosaic_register_migrations"),
        commands=many("mosaic_register_commands"),
        lifespan=answers.get("mosaic_register_lifespan"),
        authenticator=answers.get("mosaic_register_authenticator"),
        events=many("mosaic_register_events"),
        listeners=many("mosaic_register_listeners"),
        jobs=many("mosaic_register_jobs"),
        mail_templates=_folder(name, answers.get("mosaic_register_mail_templates")),
    )


def _folder(name: str, answer: object) -> Path | None:
    if answer is None or isinstance(answer, Path):
        return answer
    raise ConfigError(f"module '{name}' returns {answer!r} as its mail templates, not a Path")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0]


_HOOKS: tuple[str, ...] = tuple(
    name
    for name, value in vars(hookspecs).items()
    if name.startswith("mosaic_") and isinstance(value, Callable)  # type: ignore[arg-type]
)
