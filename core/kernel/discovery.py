"""Finding the modules that are installed: built-in packages and ``mosaic.modules`` entry points."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
from collections.abc import Callable
from importlib.metadata import entry_points
from pathlib import Path

from core.config.errors import ConfigError

ENTRY_POINT_GROUP = "mosaic.modules"
BUILTIN_PACKAGE = "modules"


def discover_plugins() -> dict[str, object]:
    """Returns every installed module's plugin, by module name.

    Built-in modules are the packages under ``modules/`` that have a ``plugin.py``; a module team's
    distribution declares ``[project.entry-points."mosaic.modules"] name = "package.plugin"``.
    """
    found: dict[str, object] = {}
    spec = importlib.util.find_spec(BUILTIN_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        for info in sorted(pkgutil.iter_modules([location]), key=lambda info: info.name):
            if info.ispkg and (Path(location) / info.name / "plugin.py").is_file():
                found[info.name] = _import(info.name, f"{BUILTIN_PACKAGE}.{info.name}.plugin")
    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        if entry_point.name in found:
            raise ConfigError(
                f"module '{entry_point.name}' is installed twice "
                f"(built in, and by the distribution providing {entry_point.value})"
            )
        found[entry_point.name] = _import(entry_point.name, entry_point.value, entry_point.load)
    return found


def _import(name: str, target: str, load: Callable[[], object] | None = None) -> object:
    try:
        return load() if load is not None else importlib.import_module(target)
    except Exception as exc:  # A broken module must not take the CLI down with a traceback.
        raise ConfigError(
            f"module '{name}' cannot be imported from {target}: {type(exc).__name__}: {exc}"
        ) from exc
