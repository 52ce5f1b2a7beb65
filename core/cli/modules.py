"""``mosaic modules list`` and ``mosaic modules check``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from core.cli.output import Row, echo_rows
from core.config.plugins_file import read_plugins_file
from core.config.settings import load_settings
from core.kernel.commands import pass_kernel
from core.kernel.kernel import Kernel
from core.kernel.module import LoadedModule
from core.scaffold import builtin_layout, create_module, distribution_layout


@click.group("modules")
def modules_group() -> None:
    """Inspect the installed modules and the plugins.toml that enables them."""


@modules_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@pass_kernel
def list_command(kernel: Kernel, as_json: bool) -> None:
    """Show every installed module: version, enabled, dependencies and what it claims."""
    enabled = set(kernel.enabled)
    rows = [
        _describe(module, enabled=name in enabled, kernel=kernel)
        for name, module in sorted(kernel.available.items())
        if name != "core"
    ]
    echo_rows(rows, as_json=as_json, none="No module is installed.", lines=_module_lines)


def _module_lines(row: Row) -> Iterator[str]:
    state = "enabled" if row["enabled"] else "disabled"
    yield f"{row['name']} {row['version']} ({state}) - {row['description']}"
    keys = ("depends_on", "routes", "tables", "error_codes", "permissions", "publishes")
    for key in (*keys, "listens_to"):
        values = row[key]
        yield f"  {key.replace('_', ' ')}: {', '.join(values) if values else '-'}"


@modules_group.command("check")
@click.argument("plugins_file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def check_command(plugins_file: Path | None) -> None:
    """Validate PLUGINS_FILE (default: the current one) without starting anything.

    Prints what it would enable or disable compared with the current configuration.
    """
    settings = load_settings()
    candidate = Kernel.load(
        settings, config=read_plugins_file(plugins_file or settings.plugins_file)
    )
    click.echo(
        f"{candidate.config.path}: valid; enables {', '.join(candidate.enabled) or 'nothing'}"
    )
    if plugins_file is None or plugins_file.resolve() == settings.plugins_file.resolve():
        return
    try:
        current = set(Kernel.load(settings).enabled)
    except Exception:  # The current file may be missing or broken; the candidate is what matters.
        current = set()
    for name in candidate.enabled:
        if name not in current:
            module = candidate.available[name]
            click.echo(
                f"+ {name}: adds {len(module.routes)} routes, "
                f"tables {', '.join(module.tables) or '-'}"
            )
    for name in sorted(current - set(candidate.enabled)):
        click.echo(f"- {name}: removes its routes; its tables and rows are kept")
    if set(candidate.enabled) == current:
        click.echo("no module would be enabled or disabled")


@modules_group.command("new")
@click.argument("name")
@click.option(
    "--distribution",
    type=click.Path(file_okay=False, path_type=Path),
    help="Create a separate distribution in this folder instead of modules/NAME.",
)
@click.option("--description", default="", help="One sentence saying what the module does.")
def new_command(name: str, distribution: Path | None, description: str) -> None:
    """Scaffold module NAME: every standard file, its first migration and passing tests."""
    root = Path.cwd()
    layout = distribution_layout(distribution, name) if distribution else builtin_layout(root, name)
    for path in create_module(name, layout, description=description):
        click.echo(f"created {path.relative_to(root) if path.is_relative_to(root) else path}")
    if distribution:
        click.echo(
            f"next: pip install -e {distribution}, then add '{name}' to plugins.toml, "
            "then mosaic db upgrade"
        )
    else:
        click.echo(f"next: add '{name}' to modules.enabled in plugins.toml, then mosaic db upgrade")


def _describe(module: LoadedModule, *, enabled: bool, kernel: Kernel) -> dict[str, Any]:
    types = kernel.events.types.values()
    return {
        "name": module.name,
        "version": module.info.version,
        "description": module.info.description,
        "enabled": enabled,
        "depends_on": list(module.info.depends_on),
        "routes": list(module.routes),
        "tables": list(module.tables),
        "error_codes": [error.code for error in module.errors],
        "permissions": sorted(module.permissions),
        "publishes": [event.event_type() for event in module.events],
        # Among the event types of the enabled modules, those this module's listeners receive.
        "listens_to": sorted(
            {e.event_type() for e in types for lst in module.listeners if lst.receives(e)}
        ),
    }
