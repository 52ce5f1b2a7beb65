"""Reading ``plugins.toml``: which modules are enabled and the raw settings of each."""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.config.errors import ConfigError

ENV_PREFIX = "MOSAIC_MODULES__"


@dataclass(frozen=True, slots=True)
class PluginsConfig:
    """The operator's choice of modules, with each module's raw (not yet validated) settings.

    ``sources`` remembers where each value came from, so a refusal can name the file key or the
    environment variable the operator has to fix.
    """

    enabled: tuple[str, ...] = ()
    sections: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    roles: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    sources: Mapping[tuple[str, str], str] = field(default_factory=dict)
    path: Path | None = None


def read_plugins_file(path: Path, environ: Mapping[str, str] | None = None) -> PluginsConfig:
    """Returns the configuration in ``path`` with ``MOSAIC_MODULES__*`` variables laid over it."""
    environ = os.environ if environ is None else environ
    try:
        with path.open("rb") as stream:
            document = tomllib.load(stream)
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: file not found; create it or point MOSAIC_PLUGINS_FILE at one"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    return parse_plugins_document(document, path=path, environ=environ)


def parse_plugins_document(
    document: Mapping[str, Any], *, path: Path | None, environ: Mapping[str, str]
) -> PluginsConfig:
    """Returns the configuration described by a parsed ``plugins.toml`` document."""
    where = str(path) if path else "plugins.toml"
    unknown = sorted(set(document) - {"modules", "roles"})
    if unknown:
        raise ConfigError(
            f"{where}: unknown top-level key '{unknown[0]}' (expected [modules] and [roles])"
        )
    roles = document.get("roles", {})
    if not isinstance(roles, dict) or not all(
        isinstance(grants, list) and all(isinstance(item, str) for item in grants)
        for grants in roles.values()
    ):
        raise ConfigError(f"{where}: [roles] must map each role to a list of permissions")
    modules = document.get("modules", {})
    if not isinstance(modules, dict):
        raise ConfigError(f"{where}: 'modules' must be a table")

    enabled = modules.get("enabled", [])
    sources: dict[tuple[str, str], str] = {}
    if ENV_PREFIX + "ENABLED" in environ:
        enabled = _split_list(environ[ENV_PREFIX + "ENABLED"])
    if not isinstance(enabled, list) or not all(isinstance(name, str) for name in enabled):
        raise ConfigError(f"{where}: modules.enabled must be a list of module names")
    duplicates = sorted({name for name in enabled if enabled.count(name) > 1})
    if duplicates:
        raise ConfigError(f"{where}: module '{duplicates[0]}' is listed twice in modules.enabled")

    sections: dict[str, dict[str, Any]] = {}
    for name, section in modules.items():
        if name == "enabled":
            continue
        if not isinstance(section, dict):
            raise ConfigError(f"{where}: [modules.{name}] must be a table of settings")
        sections[name] = dict(section)
        sources.update({(name, key): f"{where} [modules.{name}] {key}" for key in section})

    for variable, value in environ.items():
        if not variable.startswith(ENV_PREFIX) or variable == ENV_PREFIX + "ENABLED":
            continue
        module, _, key = variable.removeprefix(ENV_PREFIX).partition("__")
        if not module or not key:
            raise ConfigError(f"{variable}: expected MOSAIC_MODULES__<MODULE>__<KEY>")
        module, key = module.lower(), key.lower()
        sections.setdefault(module, {})[key] = _decode_env_value(value)
        sources[(module, key)] = variable

    return PluginsConfig(
        enabled=tuple(enabled),
        sections=sections,
        roles={name: tuple(grants) for name, grants in roles.items()},
        sources=sources,
        path=path,
    )


def _split_list(value: str) -> list[str]:
    decoded = _decode_env_value(value)
    if isinstance(decoded, list):
        return decoded
    return [item.strip() for item in value.split(",") if item.strip()]


def _decode_env_value(value: str) -> Any:
    """Lists and tables arrive as JSON; scalars stay strings for the settings model to coerce."""
    if value[:1] in "[{":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value
