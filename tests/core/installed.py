"""Running the tools in a fresh process, as an operator or a module team does: the ``mosaic`` CLI
over fixture modules installed through real ``mosaic.modules`` entry points, and import-linter."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def install_entry_points(site: Path, modules: Mapping[str, str]) -> None:
    """Writes a distribution into ``site`` that declares ``modules`` as entry points."""
    dist = site / "mosaic_fixtures-0.0.0.dist-info"
    dist.mkdir(parents=True, exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mosaic-fixtures\nVersion: 0.0.0\n")
    lines = "".join(f"{name} = {target}\n" for name, target in modules.items())
    (dist / "entry_points.txt").write_text(f"[mosaic.modules]\n{lines}")


def layered_environment(path: Path) -> Path:
    """Creates a virtual environment at ``path`` that sees every package of the running one
    (through a ``.pth`` file) and installs into its own site directory, so a test can
    ``pip install`` into it and leave the running environment as it was. Returns its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    running = sysconfig.get_path("purelib")
    (Path(purelib) / "_running_environment.pth").write_text(
        f"import site; site.addsitedir({running!r})\n"
    )
    return python


def run_mosaic(
    *args: str,
    cwd: Path,
    site: Path | None = None,
    env: Mapping[str, str] | None = None,
    python: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Runs the ``mosaic`` CLI in a fresh interpreter (``python``, by default the running one),
    as an operator would."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOSAIC_")}
    paths = [str(site)] if site else []
    environ["PYTHONPATH"] = os.pathsep.join([*paths, str(ROOT)])
    environ.update(env or {})
    return subprocess.run(
        [str(python or sys.executable), "-c", "from core.cli import main; main()", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def run_lint_imports(cwd: Path, *paths: Path) -> subprocess.CompletedProcess[str]:
    """Runs import-linter over the contracts of ``cwd``'s pyproject.toml, importing from
    ``paths`` first, then from this repository."""
    environ = {k: v for k, v in os.environ.items() if not k.startswith("MOSAIC_")}
    environ["PYTHONPATH"] = os.pathsep.join([*(str(path) for path in paths), str(ROOT)])
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def broken_contracts(output: str) -> set[str]:
    """The names of the contracts ``lint-imports`` reports broken."""
    return {line.split(" BROKEN")[0] for line in output.splitlines() if " BROKEN" in line}
