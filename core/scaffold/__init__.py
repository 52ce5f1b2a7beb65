"""``mosaic modules new``: a module in the standard shape, with its first migration and tests."""

from __future__ import annotations

import importlib.util
import keyword
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from string import Template

from core.config.errors import ConfigError
from core.kernel.module import MODULE_NAME

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class Layout:
    """Where the module's package and its tests go, and the package's import name."""

    package_dir: Path
    package: str
    tests_dir: Path
    distribution: Path | None = None


def builtin_layout(root: Path, name: str) -> Layout:
    """A built-in module: ``modules/<name>`` with tests in ``tests/modules/<name>``."""
    return Layout(root / "modules" / name, f"modules.{name}", root / "tests" / "modules" / name)


def distribution_layout(root: Path, name: str) -> Layout:
    """A module shipped as its own distribution ``mosaic-<name>`` in folder ``root``."""
    return Layout(root / f"mosaic_{name}", f"mosaic_{name}", root / "tests", distribution=root)


def create_module(name: str, layout: Layout, *, description: str = "") -> list[Path]:
    """Writes the module's files; returns them. Refuses a bad name or an existing folder."""
    if not MODULE_NAME.match(name) or keyword.iskeyword(name):
        raise ConfigError(f"'{name}' is not a valid module name: use lower_snake_case")
    if layout.package_dir.exists():
        raise ConfigError(f"{layout.package_dir} already exists")
    values = {
        "name": name,
        "Name": "".join(part.capitalize() for part in name.split("_")),
        "NAME": name.upper(),
        "package": layout.package,
        "description": description or f"The {name} module.",
    }
    written = [
        _render(source, layout.package_dir / _target(source, TEMPLATES / "module", name), values)
        for source in sorted((TEMPLATES / "module").rglob("*.tmpl"))
    ]
    written.append(
        _render(
            TEMPLATES / "tests" / "test_module.py.tmpl",
            layout.tests_dir / f"test_{name}.py",
            values,
        )
    )
    if layout.distribution is not None:
        # Written before formatting: ruff sorts the imports by the distribution's own settings.
        written += [
            _render(TEMPLATES / f"{file}.tmpl", layout.distribution / file, values)
            for file in ("pyproject.toml", "README.md")
        ]
    _format([path for path in written if path.suffix == ".py"])
    return written


def _format(paths: list[Path]) -> None:
    """Sorts the imports and formats the new files like the code around them, when ruff is
    installed: ``core`` is first-party beside the built-in modules, third-party in a
    distribution."""
    if importlib.util.find_spec("ruff") is None:
        return
    files = [str(path) for path in paths]
    for command in (["check", "--select", "I", "--fix"], ["format"]):
        subprocess.run(  # noqa: S603 - fixed commands over files this function just wrote
            [sys.executable, "-m", "ruff", *command, "--quiet", *files], check=False
        )


def _target(source: Path, base: Path, name: str) -> Path:
    relative = source.relative_to(base).with_suffix("")
    return relative.with_name(relative.name.replace("NAME", name))


def _render(source: Path, target: Path, values: dict[str, str]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(Template(source.read_text(encoding="utf-8")).substitute(values), "utf-8")
    return target
